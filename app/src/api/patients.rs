//! The patient register for staff: search, a patient's page, and their
//! online services grants.

use crate::error::AppError;
use domain::services::{Grants, RecordFrom, RecordLevel};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A patient in a list of search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientSummary {
    pub id: i64,
    pub name: String,
    pub date_of_birth: String,
    pub identifier_label: String,
    pub identifier: String,
    pub status: String,
    pub has_account: bool,
}

/// A patient's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientDetails {
    pub summary: PatientSummary,
    pub contact_by_email: bool,
    pub contact_by_sms: bool,
    pub given_name: String,
    pub family_name: String,
    /// The date of birth as a form shows it: 15/01/1940.
    pub date_of_birth_typed: String,
    /// Whether the viewer may change name, date of birth, sex and address.
    pub can_change_details: bool,
    /// The sex as shown ("Female"), and as stored (`female`) for the form.
    pub sex: String,
    pub sex_value: String,
    pub address: String,
    pub postcode: String,
    pub email: String,
    pub mobile: String,
    pub contact_preferences: String,
    pub registered_on: String,
    /// "No online account", "Active since …", "Disabled".
    pub account: String,
    pub grants: Grants,
    /// Whether the grants are the practice's defaults (no grants of their own).
    pub grants_are_defaults: bool,
    pub grants_reason: String,
    pub defaults: Grants,
    /// The stored registration status, such as `registered`.
    pub status: String,
    /// Whether the viewer may record that they left, died or registered again.
    pub can_change_registration: bool,
    /// Whether the viewer may issue the patient's registration letter.
    pub can_issue_letters: bool,
    /// Whether the viewer may read and keep the patient's record (clinicians).
    pub can_keep_record: bool,
}

/// What a search box held, understood: a date of birth, an identifier's ten
/// digits, or (at least two letters of) a name.
pub fn understand_search(text: &str) -> Result<SearchFor, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid("q", "Enter a name, a date of birth or an NHS, CHI or H&C number"));
    }
    if let Some(date) = domain::time::parse_typed_date(text) {
        return Ok(SearchFor::DateOfBirth(date));
    }
    let digits: String = text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if digits.chars().all(|c| c.is_ascii_digit()) {
        if digits.len() == 10 {
            return Ok(SearchFor::Identifier(digits));
        }
        return Err(AppError::invalid("q", "An NHS, CHI or H&C number has 10 numbers"));
    }
    if text.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return Err(AppError::invalid(
            "q",
            "Enter at least 2 letters of a name, a date of birth like 15/01/1940, or a 10-digit number",
        ));
    }
    Ok(SearchFor::Name(text.to_owned()))
}

/// A search, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchFor {
    Name(String),
    DateOfBirth(chrono::NaiveDate),
    Identifier(String),
}

/// Staff: patients of their practice matching a name, date of birth or
/// identifier. Posted, never put in an address: names, dates of birth and
/// NHS numbers stay out of access logs, browser history and `Referer`s.
#[server(endpoint = "admin/patients/search")]
pub async fn search_patients(q: String) -> Result<Vec<PatientSummary>, AppError> {
    use storage::patients::PatientSearch;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ViewPatients)?;
    let search = match understand_search(&q)? {
        SearchFor::Name(name) => PatientSearch::Name(name),
        SearchFor::DateOfBirth(date) => PatientSearch::DateOfBirth(date),
        SearchFor::Identifier(digits) => PatientSearch::Identifier(digits),
    };
    let rows = state.store.search_patients(practice, &search, 50).await?;
    Ok(rows.iter().map(summary).collect())
}

/// A stored identifier as people read it: its kind's label ("NHS number")
/// and a 10-digit number spaced as `999 000 1243`.
pub fn shown_identifier(kind: &str, digits: &str) -> (String, String) {
    let label = domain::IdentifierKind::parse(kind).map_or("Identifier", domain::IdentifierKind::label);
    let shown = if digits.len() == 10 && digits.is_ascii() {
        format!("{} {} {}", &digits[..3], &digits[3..6], &digits[6..])
    } else {
        digits.to_owned()
    };
    (label.to_owned(), shown)
}

#[cfg(feature = "ssr")]
pub(crate) fn summary(row: &storage::patients::PatientRow) -> PatientSummary {
    use domain::services::RegistrationStatus;
    let (identifier_label, identifier) = shown_identifier(&row.identifier_kind, &row.identifier);
    PatientSummary {
        id: row.id,
        name: format!("{} {}", row.given_name, row.family_name),
        date_of_birth: domain::time::display_date(row.date_of_birth),
        identifier_label,
        identifier,
        status: RegistrationStatus::parse(&row.registration_status)
            .map(RegistrationStatus::label)
            .unwrap_or("Unknown")
            .into(),
        has_account: row.login_id.is_some(),
    }
}

/// Staff: one patient of their practice.
#[server(endpoint = "admin/patients/details")]
pub async fn load_patient(patient_id: i64) -> Result<PatientDetails, AppError> {
    use domain::policy::{Action, Object};
    use domain::PatientId;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::ViewPatients)?;
    ctx.authorize(Action::ViewPatients, Object::Patient { patient: PatientId(patient_id), practice })?;
    let row = state.store.patient(practice, PatientId(patient_id)).await?.ok_or(AppError::NotFound)?;
    let defaults = state.store.online_services_settings(practice).await?.defaults;
    let own = state.store.patient_grants(practice, PatientId(patient_id)).await?;
    let account = match (row.login_disabled, row.login_created_at) {
        (None, _) => "No online account".to_owned(),
        (Some(true), _) => "Disabled".to_owned(),
        (Some(false), Some(created)) => format!("Active since {}", domain::time::display_date(created.0.date_naive())),
        (Some(false), None) => "Active".to_owned(),
    };
    let preferences = match (row.contact_by_email, row.contact_by_sms) {
        (true, true) => "Email and text message",
        (true, false) => "Email",
        (false, true) => "Text message",
        (false, false) => "Letter or telephone only",
    };
    Ok(PatientDetails {
        summary: summary(&row),
        contact_by_email: row.contact_by_email,
        contact_by_sms: row.contact_by_sms,
        sex_value: row.sex.clone(),
        given_name: row.given_name.clone(),
        family_name: row.family_name.clone(),
        date_of_birth_typed: domain::time::typed_date(row.date_of_birth),
        can_change_details: ctx
            .authorize(Action::EditDemographics, Object::Patient { patient: PatientId(patient_id), practice })
            .is_ok(),
        sex: domain::access_request::sex_label(&row.sex).into(),
        address: row.address.clone(),
        postcode: row.postcode.clone(),
        email: row.email.clone().unwrap_or_default(),
        mobile: row.mobile.clone().unwrap_or_default(),
        contact_preferences: preferences.into(),
        registered_on: row.registered_on.map(domain::time::display_date).unwrap_or_default(),
        account,
        grants: own.as_ref().map(|g| g.grants).unwrap_or(defaults),
        grants_are_defaults: own.is_none(),
        grants_reason: own.map(|g| g.reason).unwrap_or_default(),
        defaults,
        status: row.registration_status.clone(),
        can_change_registration: ctx
            .authorize(Action::ChangeRegistration, Object::Patient { patient: PatientId(patient_id), practice })
            .is_ok(),
        can_issue_letters: ctx
            .authorize(Action::IssueOnlineAccounts, Object::Patient { patient: PatientId(patient_id), practice })
            .is_ok(),
        can_keep_record: ctx
            .authorize(Action::KeepRecord, Object::Patient { patient: PatientId(patient_id), practice })
            .is_ok(),
    })
}

/// The grants fields of a form, as posted: ticked boxes arrive as `yes`,
/// unticked ones not at all. Part of the patient's services form, the
/// practice's defaults and the approval of a request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GrantsForm {
    pub appointments: Option<String>,
    pub prescriptions: Option<String>,
    pub messaging: Option<String>,
    pub record: String,
    pub record_from: String,
    pub record_from_date: String,
    pub record_audit: Option<String>,
    pub consent: Option<String>,
}

/// Reads the grants fields of a form.
pub fn read_grants(form: &GrantsForm) -> Result<Grants, AppError> {
    let GrantsForm {
        appointments,
        prescriptions,
        messaging,
        record,
        record_from,
        record_from_date,
        record_audit,
        consent,
    } = form;
    let (record, record_from) = (record.as_str(), record_from.as_str());
    let mut problems = crate::error::Problems::new();
    let level = RecordLevel::parse(record);
    if level.is_none() {
        problems.add("record", "Select how much of the record they see");
    }
    let date = match record_from {
        "date" => match domain::time::parse_typed_date(record_from_date) {
            Some(date) => Some(date),
            None => {
                problems.add("record_from_date", "Enter the date the record is shown from, like 01/04/2024");
                None
            }
        },
        _ => None,
    };
    let from = RecordFrom::from_parts(record_from, date);
    if from.is_none() && record_from != "date" {
        problems.add("record_from", "Select from when the record is shown");
    }
    problems.finish()?;
    let ticked = |field: &Option<String>| field.as_deref() == Some("yes");
    Ok(Grants {
        appointments: ticked(appointments),
        prescriptions: ticked(prescriptions),
        messaging: ticked(messaging),
        record: level.unwrap_or(RecordLevel::None),
        record_from: from.unwrap_or(RecordFrom::AccountCreation),
        record_audit: ticked(record_audit),
        consent: ticked(consent),
    })
}

/// Services that differ from the practice's defaults need a reason, kept
/// beside them; returns it trimmed.
pub fn check_grants_reason<'a>(grants: &Grants, defaults: &Grants, reason: &'a str) -> Result<&'a str, AppError> {
    let reason = reason.trim();
    if grants != defaults && reason.is_empty() {
        return Err(AppError::invalid("reason", "Give a reason: these services differ from the practice's defaults"));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("reason", "Reason must be 500 characters or fewer"));
    }
    Ok(reason)
}

/// Staff: changes a patient's online services. A reason is required when
/// they differ from the practice's defaults; the audit trail keeps before and
/// after.
#[server(endpoint = "admin/patients/grants")]
pub async fn change_grants(
    patient_id: i64,
    #[server(flatten)] grants: GrantsForm,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use domain::policy::{Action, Object};
    use domain::PatientId;
    let grants = read_grants(&grants)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::ChangeGrants)?;
    let patient = PatientId(patient_id);
    ctx.authorize(Action::ChangeGrants, Object::Patient { patient, practice })?;
    state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    let defaults = state.store.online_services_settings(practice).await?.defaults;
    let reason = check_grants_reason(&grants, &defaults, &reason)?;
    let before = state.store.patient_grants(practice, patient).await?.map(|g| g.grants).unwrap_or(defaults);
    let (login, _) = ctx.own_login()?;
    let audit = ctx.audit("patient_grants_changed").on("patient", patient_id).detail(format!(
        "before: {}; after: {}; reason: {reason}",
        before.describe(),
        grants.describe()
    ));
    let change = storage::services::GrantChange { practice, patient, grants: &grants, reason, by: login, now: ctx.now };
    state.store.set_patient_grants(&change, &audit).await?;
    leptos_axum::redirect(&format!("/admin/patients/{patient_id}?saved=grants"));
    Ok(())
}

/// The checks a registration change passes, in the browser and on the server.
pub fn check_registration_change(status: &str, on: &str) -> Result<(), AppError> {
    let mut problems = crate::error::Problems::new();
    if domain::services::RegistrationStatus::parse(status).is_none() {
        problems.add("status", "Select their registration");
    }
    if domain::time::parse_typed_date(on).is_none() {
        problems.add("on", "Enter the date, like 01/04/2026");
    }
    problems.finish()
}

/// Practice admins: records that a patient left, died or registered again.
/// Leaving or dying disables their online account, ends its sessions and
/// stops email to them, in one transaction, audited.
#[server(endpoint = "admin/patients/registration")]
pub async fn change_registration(patient_id: i64, status: String, on: String) -> Result<(), AppError> {
    use domain::policy::{Action, Object};
    use domain::services::RegistrationStatus;
    use domain::PatientId;
    check_registration_change(&status, &on)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::ChangeRegistration)?;
    let patient = PatientId(patient_id);
    ctx.authorize(Action::ChangeRegistration, Object::Patient { patient, practice })?;
    let before = state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    let status = RegistrationStatus::parse(&status).ok_or(AppError::Internal)?;
    let on = domain::time::parse_typed_date(&on).ok_or(AppError::Internal)?;
    if on > domain::time::to_london(ctx.now).date() {
        return Err(AppError::invalid("on", "The date must be today or in the past"));
    }
    let audit = ctx.audit("patient_registration_changed").on("patient", patient_id).detail(format!(
        "{} -> {} on {on}",
        before.registration_status,
        status.as_str()
    ));
    let change = storage::patients::StatusChange { practice, patient, status, on, audit: &audit, now: ctx.now };
    state.store.change_registration_status(&change).await?;
    leptos_axum::redirect(&format!("/admin/patients/{patient_id}?saved=registration"));
    Ok(())
}

/// What checking or importing a register file found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// True for a check that changes nothing.
    pub checked_only: bool,
    /// Patients read from good lines.
    pub patients: usize,
    /// Every problem, by line; nothing is imported while there are any.
    pub problems: Vec<domain::register_import::LineProblem>,
    pub imported: u64,
}

/// Practice admins: checks a register file (`mode` = `check`: every bad line
/// reported by its number, nothing changed) or imports it (`mode` =
/// `import`: all its patients in one transaction, or none when any line is
/// bad or already registered).
#[server(endpoint = "admin/patients/import")]
pub async fn import_register(csv: String, mode: String) -> Result<ImportReport, AppError> {
    use domain::register_import::{read_register, LineProblem};
    let checked_only = match mode.as_str() {
        "check" => true,
        "import" => false,
        _ => return Err(AppError::invalid("mode", "Choose whether to check the file or import it")),
    };
    if csv.trim().is_empty() {
        return Err(AppError::invalid("csv", "Choose a CSV file"));
    }
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ImportPatients)?;
    let today = domain::time::to_london(ctx.now).date();
    let report = |patients, problems, imported| ImportReport { checked_only, patients, problems, imported };
    let rows = match read_register(&csv, today) {
        Ok(rows) => rows,
        Err(problems) => return Ok(report(0, problems, 0)),
    };
    let registered = state.store.registered_identifiers(practice).await?;
    let already: Vec<LineProblem> = rows
        .iter()
        .filter(|r| registered.contains(r.identifier.as_str()))
        .map(|r| LineProblem {
            line: r.line,
            message: format!("identifier {} is already registered here", r.identifier.as_str()),
        })
        .collect();
    if !already.is_empty() || checked_only {
        return Ok(report(rows.len(), already, 0));
    }
    let patients: Vec<storage::patients::NewPatient> = rows
        .iter()
        .map(|r| storage::patients::NewPatient {
            identifier: r.identifier.clone(),
            given_name: r.given_name.clone(),
            family_name: r.family_name.clone(),
            date_of_birth: r.date_of_birth,
            sex: r.sex,
            address: r.address.clone(),
            postcode: r.postcode.clone(),
            email: r.email.clone(),
            mobile: r.mobile.clone(),
            registered_on: Some(today),
        })
        .collect();
    let audit = ctx.audit("patients_imported").detail(format!("{} patients", patients.len()));
    match state.store.import_patients(practice, &patients, &audit, ctx.now).await {
        Ok(imported) => Ok(report(rows.len(), Vec::new(), imported)),
        // Someone registered one of them since the check above.
        Err(e) if e.is_conflict_on("patient", "identifier") => Ok(report(
            rows.len(),
            vec![LineProblem {
                line: 1,
                message: "A patient in the file was registered meanwhile; check the file again".into(),
            }],
            0,
        )),
        Err(e) => Err(e.into()),
    }
}

/// The checks a contact details change passes, in the browser and on the server.
pub fn check_contact_details(
    email: &str,
    mobile: &str,
    by_email: &Option<String>,
    by_sms: &Option<String>,
) -> Result<(), AppError> {
    let mut problems = crate::error::Problems::new();
    if !email.trim().is_empty() {
        problems.check("email", domain::Email::parse(email));
    } else if by_email.is_some() {
        problems.add("email", "Enter an email address, or untick contact by email");
    }
    if !mobile.trim().is_empty() {
        if domain::register_import::uk_mobile(mobile).is_none() {
            problems.add("mobile", "Enter a UK mobile number, like 07700 900123");
        }
    } else if by_sms.is_some() {
        problems.add("mobile", "Enter a mobile number, or untick contact by text message");
    }
    problems.finish()
}

/// Staff: changes a patient's email, mobile and contact preferences, audited
/// with before and after.
#[server(endpoint = "admin/patients/contact")]
pub async fn change_contact(
    patient_id: i64,
    #[server(default)] email: String,
    #[server(default)] mobile: String,
    contact_by_email: Option<String>,
    contact_by_sms: Option<String>,
) -> Result<(), AppError> {
    use domain::policy::{Action, Object};
    use domain::PatientId;
    check_contact_details(&email, &mobile, &contact_by_email, &contact_by_sms)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::EditContactDetails)?;
    let patient = PatientId(patient_id);
    ctx.authorize(Action::EditContactDetails, Object::Patient { patient, practice })?;
    let before = state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    let email = domain::Email::parse(&email).ok().map(|e| e.as_str().to_owned());
    let mobile = domain::register_import::uk_mobile(&mobile);
    let (by_email, by_sms) = (contact_by_email.is_some(), contact_by_sms.is_some());
    let describe = |email: &Option<String>, mobile: &Option<String>, by_email: bool, by_sms: bool| {
        format!(
            "email={}, mobile={}, by email={by_email}, by text={by_sms}",
            email.as_deref().unwrap_or("none"),
            mobile.as_deref().unwrap_or("none")
        )
    };
    let audit = ctx.audit("patient_contact_changed").on("patient", patient_id).detail(format!(
        "before: {}; after: {}",
        describe(&before.email, &before.mobile, before.contact_by_email, before.contact_by_sms),
        describe(&email, &mobile, by_email, by_sms)
    ));
    state
        .store
        .change_contact_details(
            practice,
            patient,
            &storage::patients::ContactDetails { email: email.as_deref(), mobile: mobile.as_deref(), by_email, by_sms },
            &audit,
        )
        .await?;
    leptos_axum::redirect(&format!("/admin/patients/{patient_id}?saved=contact"));
    Ok(())
}

/// The sexes the register records.
pub use domain::access_request::SEXES;

/// The checks a change of details passes, in the browser and on the server.
pub fn check_demographics(
    given_name: &str,
    family_name: &str,
    date_of_birth: &str,
    sex: &str,
    today: Option<chrono::NaiveDate>,
) -> Result<(), AppError> {
    let mut problems = crate::error::Problems::new();
    for (field, value, what) in [("given_name", given_name, "first name"), ("family_name", family_name, "last name")] {
        if value.trim().is_empty() {
            problems.add(field, format!("Enter their {what}"));
        } else if value.trim().chars().count() > 100 {
            problems.add(field, format!("Their {what} must be 100 characters or fewer"));
        }
    }
    match domain::time::parse_typed_date(date_of_birth) {
        None => problems.add("date_of_birth", "Enter their date of birth, like 15/01/1940"),
        Some(date) if today.is_some_and(|today| date > today) => {
            problems.add("date_of_birth", "Their date of birth must be in the past")
        }
        Some(_) => {}
    }
    if !SEXES.iter().any(|(value, _)| *value == sex) {
        problems.add("sex", "Select their sex");
    }
    problems.finish()
}

/// Practice admins: changes a patient's name, date of birth, sex and
/// address, audited with before and after.
#[server(endpoint = "admin/patients/details/change")]
pub async fn change_details(
    patient_id: i64,
    given_name: String,
    family_name: String,
    date_of_birth: String,
    sex: String,
    #[server(default)] address: String,
    #[server(default)] postcode: String,
) -> Result<(), AppError> {
    use domain::policy::{Action, Object};
    use domain::PatientId;
    let (state, ctx) = crate::server::context().await?;
    check_demographics(&given_name, &family_name, &date_of_birth, &sex, Some(domain::time::to_london(ctx.now).date()))?;
    let practice = ctx.staff_practice(Action::EditDemographics)?;
    let patient = PatientId(patient_id);
    ctx.authorize(Action::EditDemographics, Object::Patient { patient, practice })?;
    let before = state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    let details = storage::patients::Demographics {
        given_name: given_name.trim().to_owned(),
        family_name: family_name.trim().to_owned(),
        date_of_birth: domain::time::parse_typed_date(&date_of_birth).ok_or(AppError::Internal)?,
        sex: SEXES.iter().find(|(value, _)| *value == sex).map(|(value, _)| *value).ok_or(AppError::Internal)?,
        address: address.trim().to_owned(),
        postcode: postcode.trim().to_uppercase(),
    };
    let audit = ctx.audit("patient_details_changed").on("patient", patient_id).detail(format!(
        "before: {} {}, born {}, {}, {} {}; after: {} {}, born {}, {}, {} {}",
        before.given_name,
        before.family_name,
        before.date_of_birth,
        before.sex,
        before.address,
        before.postcode,
        details.given_name,
        details.family_name,
        details.date_of_birth,
        details.sex,
        details.address,
        details.postcode
    ));
    state.store.change_demographics(practice, patient, &details, &audit).await?;
    leptos_axum::redirect(&format!("/admin/patients/{patient_id}?saved=details"));
    Ok(())
}
