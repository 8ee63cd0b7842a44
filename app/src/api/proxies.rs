//! Proxy access, for staff: who acts for a patient and for what (worked out
//! for today by `domain::proxy`), setting it up after checking the proxy,
//! and suspending, resuming or ending it. Every change is audited.

// A server function takes one argument per form field, and a grant has
// many parts (the browser's side of the macro cannot take an allow of its own).
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One grant as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyLine {
    pub id: i64,
    /// "Ella Brown (ella@example.com)"
    pub proxy: String,
    pub relationship: String,
    pub basis: String,
    /// "Appointments, prescriptions, summary record"
    pub services: String,
    /// "From 1 March 2026 until 31 August 2026"
    pub dates: String,
    /// What it allows today, in words: "Active", "Narrowed because of age…"
    pub standing: String,
    pub review_due: bool,
    /// The proxy has no sign-in with a password yet.
    pub awaiting_sign_in: bool,
    pub verified: String,
    pub suspended_reason: Option<String>,
    pub can_suspend: bool,
    pub can_resume: bool,
    pub can_end: bool,
    /// The patient gave it, and it waits for the practice.
    pub can_approve: bool,
}

/// A grant on the practice's list of those to look at: due for review, or
/// changing within 30 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewLine {
    pub grant_id: i64,
    pub patient_id: i64,
    /// "Noah Jones"
    pub patient: String,
    /// "Dev Jones (parent@riverside.example), parent or guardian"
    pub proxy: String,
    /// "Due for review now", "Stops on 22 March 2026: they turn 16"
    pub why: String,
}

/// Services as a list in words.
pub fn describe_services(services: &domain::proxy::ProxyServices) -> String {
    use domain::services::RecordLevel;
    let mut parts = Vec::new();
    if services.appointments {
        parts.push("appointments".to_owned());
    }
    if services.prescriptions {
        parts.push("repeat prescriptions".to_owned());
    }
    if services.messages {
        parts.push("messages".to_owned());
    }
    if services.record != RecordLevel::None {
        parts.push(services.record.label().to_lowercase());
    }
    let text = if parts.is_empty() { "nothing".to_owned() } else { parts.join(", ") };
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(feature = "ssr")]
fn staff_for(ctx: &crate::server::Ctx, patient_id: i64) -> Result<(domain::PracticeId, domain::PatientId), AppError> {
    use domain::policy::{Action, Object};
    let practice = ctx.staff_practice(Action::ManageProxyAccess)?;
    let patient = domain::PatientId(patient_id);
    ctx.authorize(Action::ManageProxyAccess, Object::Patient { patient, practice })?;
    Ok((practice, patient))
}

#[cfg(feature = "ssr")]
fn line(row: &storage::proxies::GrantRow, today: chrono::NaiveDate, ages: domain::proxy::AgeRules) -> ProxyLine {
    use domain::proxy::{standing, GrantStatus, Standing};
    use domain::time::display_date;
    let facts = row.facts();
    let (standing_text, review_due) = match standing(&facts, row.subject_date_of_birth, today, ages) {
        Standing::Open { services, narrowed: true, review_due } => (
            format!("Active, narrowed because of their age to: {}", describe_services(&services).to_lowercase()),
            review_due,
        ),
        Standing::Open { review_due, .. } => ("Active".to_owned(), review_due),
        Standing::Closed(closed) => (closed.message(), false),
    };
    let dates = match row.ends_on {
        Some(last) => format!("From {} until {}", display_date(row.starts_on), display_date(last)),
        None => format!("From {}, with no end date", display_date(row.starts_on)),
    };
    let verified = match (&row.verified_how, &row.verified_at) {
        (Some(how), Some(at)) => format!("{how} ({})", domain::time::display_london_date(at.0)),
        _ => "Asked for by the patient".to_owned(),
    };
    ProxyLine {
        id: row.id,
        proxy: format!("{} ({})", row.proxy_name, row.proxy_email),
        relationship: row.relationship().map(|r| r.label()).unwrap_or("Other").to_owned(),
        basis: row.basis().map(|b| b.label()).unwrap_or_default().to_owned(),
        services: describe_services(&row.services()),
        dates,
        standing: standing_text,
        review_due,
        awaiting_sign_in: !row.proxy_ready,
        verified,
        suspended_reason: row.suspended_reason.clone(),
        can_suspend: matches!(facts.status, GrantStatus::Active | GrantStatus::Pending),
        can_resume: facts.status == GrantStatus::Suspended,
        can_end: facts.status != GrantStatus::Ended,
        can_approve: facts.status == GrantStatus::Pending,
    }
}

/// The fields both forms for a grant have (staff's and the patient's own).
#[cfg(feature = "ssr")]
pub(crate) struct GrantFields<'a> {
    pub proxy_name: &'a str,
    pub proxy_email: &'a str,
    /// Appointments, prescriptions, messages: "yes" when ticked.
    pub ticks: [&'a Option<String>; 3],
    pub record: &'a str,
    pub ends_on: &'a str,
}

/// Those fields read, each `None` with its problem noted under its field.
#[cfg(feature = "ssr")]
pub(crate) struct GrantParts {
    pub name: String,
    pub email: Option<domain::Email>,
    pub services: Option<domain::proxy::ProxyServices>,
    /// The last day, if it ends (`Some(None)`: no end).
    pub ends_on: Option<Option<chrono::NaiveDate>>,
}

/// Who fills in a grant's form, for its words: staff about "the patient",
/// or the patient about themself.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FilledBy {
    Staff,
    Patient,
}

#[cfg(feature = "ssr")]
impl FilledBy {
    fn subject(self) -> &'static str {
        match self {
            Self::Staff => "the patient",
            Self::Patient => "you",
        }
    }

    fn own_sign_in(self) -> &'static str {
        match self {
            Self::Staff => "the patient's own sign-in",
            Self::Patient => "your own sign-in",
        }
    }
}

/// Reads the fields; `subjects_email` is the patient's own sign-in, which
/// cannot act for them.
#[cfg(feature = "ssr")]
pub(crate) fn grant_parts(
    problems: &mut crate::error::Problems,
    fields: GrantFields<'_>,
    subjects_email: Option<&str>,
    by: FilledBy,
) -> GrantParts {
    use domain::proxy::ProxyServices;
    use domain::services::RecordLevel;
    let name = fields.proxy_name.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.chars().count() {
        0 => problems.add("proxy_name", format!("Enter the name of the person who will act for {}", by.subject())),
        n if n > 100 => problems.add("proxy_name", "The name must be 100 characters or fewer"),
        _ => {}
    }
    let email = problems.check("proxy_email", domain::Email::parse(fields.proxy_email));
    if let (Some(email), Some(own)) = (&email, subjects_email) {
        if email.as_str().eq_ignore_ascii_case(own) {
            let own = by.own_sign_in();
            problems.add("proxy_email", format!("That is {own}: enter the email of the person who will act"));
        }
    }
    let record = RecordLevel::parse(if fields.record.is_empty() { "none" } else { fields.record });
    if record.is_none() {
        problems.add("record", "Choose how much of the record they may see");
    }
    let [appointments, prescriptions, messages] = fields.ticks.map(|value| value.as_deref() == Some("yes"));
    let services = ProxyServices { appointments, prescriptions, messages, record: record.unwrap_or(RecordLevel::None) };
    let services = problems.check("appointments", services.check());
    let ends_on = if fields.ends_on.trim().is_empty() {
        Some(None)
    } else {
        typed_date("ends_on", fields.ends_on, problems).map(Some)
    };
    GrantParts { name, email, services, ends_on }
}

/// A date typed as 15/01/2027, or its problem under `field`.
#[cfg(feature = "ssr")]
pub(crate) fn typed_date(field: &str, text: &str, problems: &mut crate::error::Problems) -> Option<chrono::NaiveDate> {
    let parsed = domain::time::parse_typed_date(text);
    if parsed.is_none() {
        problems.add(field, "Enter a date like 15/01/2027");
    }
    parsed
}

/// Staff: the people who act, or acted, for a patient.
#[server(endpoint = "admin/patients/proxies")]
pub async fn patient_proxies(patient_id: i64) -> Result<Vec<ProxyLine>, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient) = staff_for(&ctx, patient_id)?;
    state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    let settings = state.store.proxy_settings(practice).await?;
    let today = domain::time::to_london(ctx.now).date();
    let rows = state.store.proxy_grants_for_subject(practice, patient).await?;
    Ok(rows.iter().map(|row| line(row, today, settings.ages)).collect())
}

/// Staff: sets up proxy access for a patient after checking who the proxy
/// is and their right to act. Nothing is saved on any problem.
#[server(endpoint = "admin/patients/proxies/add")]
pub async fn add_proxy(
    patient_id: i64,
    #[server(default)] proxy_name: String,
    #[server(default)] proxy_email: String,
    #[server(default)] relationship: String,
    #[server(default)] basis: String,
    #[server(default)] appointments: Option<String>,
    #[server(default)] prescriptions: Option<String>,
    #[server(default)] messages: Option<String>,
    #[server(default)] record: String,
    #[server(default)] starts_on: String,
    #[server(default)] ends_on: String,
    #[server(default)] verified_how: String,
    #[server(default)] clinician_note: String,
) -> Result<(), AppError> {
    use crate::server::proxy::{Invite, EMAIL_JUST_TAKEN};
    use domain::proxy::{grant_problems, GrantRequest, GrantStatus, LegalBasis, Relationship};
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient) = staff_for(&ctx, patient_id)?;
    let subject = state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    let today = domain::time::to_london(ctx.now).date();
    let mut problems = crate::error::Problems::new();
    let fields = GrantFields {
        proxy_name: &proxy_name,
        proxy_email: &proxy_email,
        ticks: [&appointments, &prescriptions, &messages],
        record: &record,
        ends_on: &ends_on,
    };
    let GrantParts { name, email, services, ends_on } =
        grant_parts(&mut problems, fields, subject.login_email.as_deref(), FilledBy::Staff);
    let relationship = problems.check("relationship", Relationship::parse(&relationship));
    let basis = problems.check("basis", LegalBasis::parse(&basis));
    let starts_on =
        if starts_on.trim().is_empty() { Some(today) } else { typed_date("starts_on", &starts_on, &mut problems) };
    if let (Some(relationship), Some(basis), Some(starts_on), Some(ends_on)) = (relationship, basis, starts_on, ends_on)
    {
        let request = GrantRequest {
            relationship,
            basis,
            starts_on,
            ends_on,
            verified_how: &verified_how,
            clinician_note: &clinician_note,
        };
        for (field, message) in grant_problems(&request, subject.date_of_birth, today) {
            problems.add(field, message);
        }
    }
    problems.finish()?;
    let (Some(email), Some(relationship), Some(basis), Some(services), Some(starts_on), Some(ends_on)) =
        (email, relationship, basis, services, starts_on, ends_on)
    else {
        return Err(AppError::invalid("proxy_email", "Check the form"));
    };
    let by = ctx.actor.login().ok_or(AppError::SignInRequired)?;
    let note = clinician_note.trim();
    let new = storage::proxies::NewGrant {
        practice,
        subject: patient,
        proxy_email: email.as_str(),
        proxy_name: &name,
        relationship,
        basis,
        services,
        starts_on,
        ends_on,
        status: GrantStatus::Active,
        by_staff: true,
        created_by: by,
        verified_how: Some(verified_how.trim()),
        clinician_note: (!note.is_empty()).then_some(note),
        now: ctx.now,
    };
    let described = describe_services(&services);
    let subject_name = format!("{} {}", subject.given_name, subject.family_name);
    let invite = Invite::to(&state, &ctx, email.as_str(), &subject_name, &described).await?;
    let audit =
        ctx.audit("proxy_access_granted").detail(format!("{} for {patient_id}: {described}", relationship.label()));
    match state.store.add_proxy_grant_telling(&new, Some(&invite.telling()), &audit).await {
        Ok(_) => {}
        Err(e) if e.is_conflict_on("login", "email") => return Err(AppError::Conflict(EMAIL_JUST_TAKEN.into())),
        Err(e) if e.is_conflict_on("proxy_grant", "open") => {
            return Err(AppError::invalid(
                "proxy_email",
                "They already have proxy access for this patient: change or end that one first",
            ))
        }
        Err(other) => return Err(other.into()),
    }
    leptos_axum::redirect(&format!("/admin/patients/{patient_id}?saved=proxy#proxies"));
    Ok(())
}

/// Staff: suspends a grant (`change` = `suspend`, with a reason), resumes
/// it (`resume`), ends it (`end`), notes it reviewed (`review`) or approves
/// one the patient gave (`approve`), telling the person they can act now.
#[server(endpoint = "admin/patients/proxies/change")]
pub async fn change_proxy(
    patient_id: i64,
    grant_id: i64,
    #[server(default)] change: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::server::proxy::{Invite, EMAIL_JUST_TAKEN};
    use storage::proxies::GrantChange;
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient) = staff_for(&ctx, patient_id)?;
    let grant = state.store.proxy_grant(practice, grant_id).await?.ok_or(AppError::NotFound)?;
    if grant.subject_patient_id != patient.0 {
        return Err(AppError::NotFound);
    }
    let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    let today = domain::time::to_london(ctx.now).date();
    let (change, action) = match change.as_str() {
        "suspend" if reason.is_empty() => return Err(AppError::invalid("reason", "Say why it is suspended")),
        "suspend" if reason.chars().count() > 200 => {
            return Err(AppError::invalid("reason", "The reason must be 200 characters or fewer"))
        }
        "suspend" => (GrantChange::Suspend { reason: &reason }, "proxy_access_suspended"),
        "resume" => (GrantChange::Resume, "proxy_access_resumed"),
        "end" => (GrantChange::End, "proxy_access_ended"),
        "review" => (GrantChange::Review { on: today }, "proxy_access_reviewed"),
        "approve" => (GrantChange::Approve { on: today }, "proxy_access_approved"),
        _ => return Err(AppError::invalid("change", "Choose suspend, resume, end, review or approve")),
    };
    // Approved: the person the patient chose hears they can act now.
    let invite = match change {
        GrantChange::Approve { .. } => {
            let services = describe_services(&grant.services());
            Some(Invite::to(&state, &ctx, &grant.proxy_email, &grant.subject_name, &services).await?)
        }
        _ => None,
    };
    let by = ctx.actor.login().ok_or(AppError::SignInRequired)?;
    let audit = ctx.audit(action).detail(reason.clone());
    let tell = invite.as_ref().map(Invite::telling);
    match state.store.change_proxy_grant_telling(practice, (grant_id, change), by, tell.as_ref(), &audit).await {
        Ok(()) => {}
        Err(e) if e.is_conflict_on("login", "email") => return Err(AppError::Conflict(EMAIL_JUST_TAKEN.into())),
        Err(storage::StoreError::NotFound) => {
            return Err(AppError::Conflict("This access has changed meanwhile: look at it again.".into()))
        }
        Err(other) => return Err(other.into()),
    }
    leptos_axum::redirect(&format!("/admin/patients/{patient_id}?saved=proxy#proxies"));
    Ok(())
}

/// Staff: the practice's grants due for review or changing within 30 days,
/// soonest first, so none outlives its right unseen.
#[server(endpoint = "admin/proxies")]
pub async fn proxies_to_review() -> Result<Vec<ReviewLine>, AppError> {
    use domain::policy::Action;
    use domain::proxy::{notice_due, Change, Standing};
    use domain::time::display_date;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::ManageProxyAccess)?;
    let today = domain::time::to_london(ctx.now).date();
    let mut ages = crate::server::proxy::Ages::default();
    let rules = ages.of(&state.store, practice).await?;
    let mut lines = Vec::new();
    for grant in state.store.open_proxy_grants_of_practice(practice).await? {
        let (when, why) = match ages.standing(&state.store, &grant, today).await? {
            Standing::Open { review_due: true, .. } => (today, "Due for review now".to_owned()),
            Standing::Open { .. } => match notice_due(&grant.facts(), grant.subject_date_of_birth, today, rules) {
                Some((on, change)) => {
                    let what = match change {
                        Change::Narrows => "Narrows on {}: they reach the practice's age for it",
                        Change::ReviewDue => "Due for review on {}: they reach the review age",
                        Change::Suspends => "Stops on {}: they turn 16",
                        Change::Ends => "Ends on {}: its end date",
                        Change::EndsUnused => "Ends on {}: unused for 5 years",
                    };
                    (on, what.replace("{}", &display_date(on)))
                }
                None => continue,
            },
            Standing::Closed(domain::proxy::Closed::Pending) => {
                (today, "Waiting for the practice to approve it".to_owned())
            }
            Standing::Closed(_) => continue,
        };
        // "Other" says nothing worth a comma.
        let relationship = grant.relationship().filter(|r| *r != domain::proxy::Relationship::Other);
        let relationship = relationship.map(|r| format!(", {}", r.label().to_lowercase())).unwrap_or_default();
        lines.push((
            when,
            ReviewLine {
                grant_id: grant.id,
                patient_id: grant.subject_patient_id,
                patient: grant.subject_name.clone(),
                proxy: format!("{} ({}){relationship}", grant.proxy_name, grant.proxy_email),
                why,
            },
        ));
    }
    lines.sort_by_key(|(when, line)| (*when, line.grant_id));
    Ok(lines.into_iter().map(|(_, line)| line).collect())
}
