//! Online accounts: staff check who a patient is and issue a registration
//! letter; the patient activates their account with the letter's details.

use crate::api::patients::PatientSummary;
use crate::error::{AppError, Problems};
use chrono::NaiveDate;
use domain::online_account::{AccountRef, IdentityRecord, LinkageKey};
use domain::{Email, OdsCode};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What staff see about a patient's online account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnlineAccountView {
    pub patient: PatientSummary,
    /// "No online account", "Waiting for the patient to activate it"…
    pub status: String,
    /// A letter that can still be used exists, so it can be printed again.
    pub letter_ready: bool,
    /// Issuing a letter now replaces an account (a reset).
    pub is_reset: bool,
    /// Only registered patients can have an account.
    pub registered: bool,
    /// "Photo ID seen (passport), by Rita Patel on 2 March 2026"
    pub last_check: Option<String>,
    pub account_id: Option<String>,
    /// The patient can sign in, or has a letter waiting: staff can switch it off.
    pub can_disable: bool,
    /// Switched off after being used: staff can switch it back on.
    pub can_enable: bool,
}

/// The registration letter, printed on A4 and handed to the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationLetter {
    pub practice_name: String,
    pub practice_address: String,
    pub practice_phone: String,
    pub ods_code: String,
    pub patient_name: String,
    pub date_of_birth: String,
    pub identifier_label: String,
    pub identifier: String,
    pub account_id: String,
    pub linkage_key: String,
    /// The last day the key works: "30 March 2026".
    pub expires: String,
    /// Where to activate: `https://…/activate`.
    pub activate_url: String,
    pub patient_id: i64,
}

/// The identity check fields of the letter form; the same code runs in the
/// browser and on the server.
pub fn read_identity(check: &str, note: &str, discussed: &Option<String>) -> Result<IdentityRecord, AppError> {
    IdentityRecord::parse(check, note, discussed.as_deref() == Some("yes")).map_err(|problems| {
        let mut all = Problems::new();
        for (field, invalid) in problems {
            all.add(field, invalid.message);
        }
        all.finish().err().unwrap_or(AppError::Internal)
    })
}

/// An activation form, understood.
pub struct ActivationForm {
    pub ods_code: OdsCode,
    pub account_ref: AccountRef,
    pub key: LinkageKey,
    pub date_of_birth: NaiveDate,
    pub email: Email,
}

/// The activation form, as posted: the registration letter's details, the
/// patient's date of birth, and the email and password they choose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivationFields {
    pub ods_code: String,
    pub account_id: String,
    pub linkage_key: String,
    pub date_of_birth: String,
    pub email: String,
    pub password: String,
    pub confirm_password: String,
}

/// Checks the activation form's fields (their form, not whether they match:
/// that only the server knows, and it never says which one did not).
pub fn read_activation(fields: &ActivationFields) -> Result<ActivationForm, AppError> {
    let ActivationFields { ods_code, account_id, linkage_key, date_of_birth, email, password, confirm_password } =
        fields;
    let mut problems = Problems::new();
    let ods_code = problems.check(
        "ods_code",
        if ods_code.trim().is_empty() {
            Err(domain::Invalid::new("Enter the practice ID from your letter"))
        } else {
            OdsCode::parse(ods_code)
        },
    );
    let account_ref = problems.check("account_id", AccountRef::parse(account_id));
    let key = problems.check("linkage_key", LinkageKey::parse(linkage_key));
    let date_of_birth = domain::time::parse_typed_date(date_of_birth);
    if date_of_birth.is_none() {
        problems.add("date_of_birth", "Enter your date of birth, like 15/01/1980");
    }
    let email = problems.check("email", Email::parse(email));
    problems.check_new_password("password", password, confirm_password);
    problems.finish()?;
    match (ods_code, account_ref, key, date_of_birth, email) {
        (Some(ods_code), Some(account_ref), Some(key), Some(date_of_birth), Some(email)) => {
            Ok(ActivationForm { ods_code, account_ref, key, date_of_birth, email })
        }
        _ => Err(AppError::Internal),
    }
}

/// What a patient hears for any detail that does not match a letter.
pub const NO_MATCH: &str = "Those details do not match a registration letter. Check them against your letter and \
    try again. A letter works for 28 days and once only: if yours is older, or was used, ask the practice for a new one.";

/// Staff: a patient's online account, and whether a letter can be issued.
#[server(endpoint = "admin/patients/online-account")]
pub async fn load_online_account(patient_id: i64) -> Result<OnlineAccountView, AppError> {
    use domain::online_account::{describe_identity, AccountStatus};
    let (state, ctx, practice, patient, row) = staff_and_patient(patient_id).await?;
    let account = state.store.online_account(practice, patient).await?;
    let date = domain::time::display_london_date;
    let registration = domain::services::RegistrationStatus::parse(&row.registration_status);
    let closed = registration.and_then(domain::online_account::closed_reason);
    let has_account = account.is_some() || row.login_disabled.is_some();
    let status = match (&account, row.login_disabled) {
        _ if has_account && closed.is_some() => format!("Closed: {}", closed.unwrap_or_default()),
        (Some(a), _) if a.status() == AccountStatus::Pending => match a.usable_key(ctx.now) {
            Some((_, expires)) => format!("Letter issued: waiting for the patient to activate it by {}", date(expires)),
            None => "Letter expired before it was used: issue a new one".into(),
        },
        (Some(a), _) if a.status() == AccountStatus::Active => {
            format!("Active since {}", a.activated_at.map(|t| date(t.0)).unwrap_or_default())
        }
        (Some(a), _) => match &a.disabled_reason {
            Some(reason) => format!("Disabled: {reason}"),
            None => "Disabled".into(),
        },
        (None, Some(true)) => "Disabled".into(),
        (None, Some(false)) => "Active".into(),
        (None, None) => "No online account".into(),
    };
    let pending = account.as_ref().is_some_and(|a| a.status() == AccountStatus::Pending);
    Ok(OnlineAccountView {
        can_disable: closed.is_none() && (row.login_disabled == Some(false) || pending),
        can_enable: closed.is_none() && row.login_disabled == Some(true) && !pending,
        patient: crate::api::patients::summary(&row),
        status,
        letter_ready: account.as_ref().is_some_and(|a| a.usable_key(ctx.now).is_some()),
        is_reset: account.is_some() || row.login_id.is_some(),
        registered: row.registration_status == "registered",
        last_check: account.as_ref().map(|a| {
            let by = a.checked_by_name.clone().unwrap_or_else(|| "staff".into());
            format!("{}, by {by} on {}", describe_identity(&a.identity_check, &a.identity_note), date(a.checked_at.0))
        }),
        account_id: account.map(|a| AccountRef::parse(&a.account_ref).map(|r| r.grouped()).unwrap_or(a.account_ref)),
    })
}

/// Staff: records how they checked who the patient is, then issues a
/// registration letter (a new account, or for a patient with one, a reset:
/// their sign-in stops working until they use the new letter). The browser
/// goes on to the letter.
#[server(endpoint = "admin/patients/online-account/issue")]
pub async fn issue_letter(
    patient_id: i64,
    #[server(default)] identity_check: String,
    #[server(default)] identity_note: String,
    #[server(default)] discussed: Option<String>,
) -> Result<(), AppError> {
    use storage::online_accounts::NewLetter;
    let (state, ctx, practice, patient, _) = staff_and_patient(patient_id).await?;
    let identity = read_identity(&identity_check, &identity_note, &discussed)?;
    let by = ctx.actor.login().ok_or(AppError::SignInRequired)?;
    let key = LinkageKey::from_random(rand::random());
    let audit = storage::audit::NewAudit { acting_for: Some(patient), ..ctx.audit("registration_letter_issued") }
        .detail(format!("identity: {}", identity.check.as_str()));
    let (store, key, identity, audit, now) = (&state.store, &key, &identity, &audit, ctx.now);
    with_fresh_account_ref(|account_ref| async move {
        let expires_at = now + domain::online_account::key_lifetime();
        let letter =
            NewLetter { practice, patient, account_ref: &account_ref, key, expires_at, identity, by, audit, now };
        store.issue_letter(&letter).await
    })
    .await?;
    leptos_axum::redirect(&format!("/admin/patients/{patient_id}/online-account/letter"));
    Ok(())
}

/// Staff: the registration letter to print, while its key can be used.
#[server(endpoint = "admin/patients/online-account/letter")]
pub async fn load_letter(patient_id: i64) -> Result<RegistrationLetter, AppError> {
    let (state, ctx, practice, patient, row) = staff_and_patient(patient_id).await?;
    let account = state.store.online_account(practice, patient).await?;
    let Some((key, expires)) = account.as_ref().and_then(|a| a.usable_key(ctx.now)) else {
        return Err(AppError::Conflict(
            "There is no letter to print: none was issued, or its key was used or has expired. Issue a new one.".into(),
        ));
    };
    let account_ref = account.as_ref().map(|a| a.account_ref.clone()).unwrap_or_default();
    let key = LinkageKey::parse(key).map_err(|_| AppError::Internal)?;
    let practice_row = state.store.practice(practice).await?.ok_or(AppError::NotFound)?;
    let summary = crate::api::patients::summary(&row);
    // The last day it works, in London.
    let last_day = domain::time::to_london(expires - chrono::TimeDelta::seconds(1)).date();
    Ok(RegistrationLetter {
        practice_name: practice_row.name.clone(),
        practice_address: practice_row.address.clone(),
        practice_phone: practice_row.phone.clone(),
        ods_code: practice_row.ods_code.clone(),
        patient_name: summary.name,
        date_of_birth: summary.date_of_birth,
        identifier_label: summary.identifier_label,
        identifier: summary.identifier,
        account_id: AccountRef::parse(&account_ref).map(|a| a.grouped()).unwrap_or(account_ref),
        linkage_key: key.grouped(),
        expires: domain::time::display_date(last_day),
        activate_url: format!("{}/activate", state.config.public_url),
        patient_id,
    })
}

/// Signed out: activates an online account with the registration letter's
/// details and the patient's date of birth, setting their email and password.
/// Any detail that does not match gets the same answer; failures are limited
/// like sign-in (five in 15 minutes lock the account ID for 15 minutes). The
/// browser goes on to sign in.
#[server(endpoint = "account/activate")]
pub async fn activate_account(#[server(flatten)] fields: ActivationFields) -> Result<(), AppError> {
    use crate::server::{secrets, throttle};
    use storage::online_accounts::{Activation, ActivationRefused};
    let form = read_activation(&fields)?;
    let password = fields.password;
    secrets::refuse_common_password("password", &password)?;
    let (state, ctx) = crate::server::context().await?;
    let subject = format!("activation {} {}", form.ods_code.as_str(), form.account_ref.as_str());
    let attempt = throttle::begin_attempt(&state, &ctx, &subject).await?;
    let password_hash = secrets::hash_password(password).await?;
    let audit = ctx.audit("online_account_activated");
    let activation = Activation {
        ods_code: &form.ods_code,
        account_ref: &form.account_ref,
        key: &form.key,
        date_of_birth: form.date_of_birth,
        email: &form.email,
        password_hash: &password_hash,
        audit: &audit,
        now: ctx.now,
    };
    match state.store.activate_account(&activation).await? {
        Ok(_) => {
            state.store.forget_attempt(attempt).await?;
            leptos_axum::redirect("/sign-in?activated=1");
            Ok(())
        }
        Err(ActivationRefused::EmailInUse) => {
            // The letter's details were right: this is not a guess.
            state.store.forget_attempt(attempt).await?;
            Err(AppError::invalid(
                "email",
                "That email address is used by another account. Each person needs their own email address: \
                 use a different one, or ask the practice about proxy access.",
            ))
        }
        Err(ActivationRefused::NoMatch) => {
            let wrong = AppError::invalid("account_id", NO_MATCH);
            Err(throttle::sign_in_failed(&state, &ctx, &subject, None, "activation_failed", wrong).await)
        }
    }
}

/// The disable form's check.
pub fn read_disable_reason(reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            "Say why the account is disabled (the patient is not told the reason)",
        ));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("reason", "Keep the reason to 500 characters or fewer"));
    }
    Ok(reason.to_owned())
}

/// Staff: switches a patient's online account off, with a reason kept by the
/// practice. They are signed out everywhere, an unused letter stops working,
/// and they are emailed how to get help.
#[server(endpoint = "admin/patients/online-account/disable")]
pub async fn disable_online_account(patient_id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    let (state, ctx, practice, patient, _) = staff_and_patient(patient_id).await?;
    let reason = read_disable_reason(&reason)?;
    let row = state.store.practice(practice).await?.ok_or(AppError::NotFound)?;
    let text = domain::mail::AccountSwitchedOff { practice: row.contact() }.render();
    let mail = |to: &str| storage::outbox::NewMail::new(practice, to, text.clone());
    let audit = storage::audit::NewAudit { acting_for: Some(patient), ..ctx.audit("online_account_disabled") }
        .on("patient", patient_id)
        .detail(format!("reason: {reason}"));
    state.store.disable_account(practice, patient, &reason, &mail, &audit, ctx.now).await?;
    leptos_axum::redirect(&format!("/admin/patients/{patient_id}/online-account?saved=disabled"));
    Ok(())
}

/// Staff: switches a disabled account back on, with the patient's same email
/// and password.
#[server(endpoint = "admin/patients/online-account/enable")]
pub async fn enable_online_account(patient_id: i64) -> Result<(), AppError> {
    let (state, ctx, practice, patient, _) = staff_and_patient(patient_id).await?;
    let audit = storage::audit::NewAudit { acting_for: Some(patient), ..ctx.audit("online_account_enabled") }
        .on("patient", patient_id);
    state.store.enable_account(practice, patient, &audit).await?;
    leptos_axum::redirect(&format!("/admin/patients/{patient_id}/online-account?saved=enabled"));
    Ok(())
}

/// Runs `issue` with a random account ID, and again with another when that
/// one is already used at the practice (rare: 9 billion IDs).
#[cfg(feature = "ssr")]
pub(crate) async fn with_fresh_account_ref<F, Fut>(mut issue: F) -> Result<(), AppError>
where
    F: FnMut(AccountRef) -> Fut,
    Fut: std::future::Future<Output = storage::StoreResult<i64>>,
{
    let mut tries = 0;
    loop {
        match issue(AccountRef::from_random(rand::random())).await {
            Ok(_) => return Ok(()),
            Err(e) if e.is_conflict_on("online_account", "ref") && tries < 5 => tries += 1,
            Err(e) => return Err(e.into()),
        }
    }
}

/// The staff member's practice and the patient, once the policy allows
/// issuing letters for them.
#[cfg(feature = "ssr")]
async fn staff_and_patient(patient_id: i64) -> Result<StaffAndPatient, AppError> {
    use domain::policy::{Action, Object};
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::IssueOnlineAccounts)?;
    let patient = domain::PatientId(patient_id);
    ctx.authorize(Action::IssueOnlineAccounts, Object::Patient { patient, practice })?;
    // The patient must be this practice's, whatever the request says.
    let row = state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    Ok((state, ctx, practice, patient, row))
}

#[cfg(feature = "ssr")]
type StaffAndPatient =
    (crate::server::AppState, crate::server::Ctx, domain::PracticeId, domain::PatientId, storage::patients::PatientRow);
