//! Requests for online services: a person asks on the website, staff check
//! who they are, talk to them and judge the risks, then approve (issuing the
//! registration letter) or decline.

use crate::error::{AppError, Problems};
use domain::access_request::{AccessRequest, Assessment, AssessmentFields, RequestFields};
use domain::practice::PracticeSummary;
use domain::services::Grants;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the register page needs: the practice, and whether it takes requests
/// online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterInfo {
    pub practice: Option<PracticeSummary>,
    pub self_registration: bool,
}

/// One request in the staff queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestListing {
    pub id: i64,
    pub name: String,
    pub date_of_birth: String,
    pub status: String,
    pub matched: bool,
    pub email_in_use: bool,
    /// "Asked on 2 March 2026", with "(3 times)" after merges.
    pub asked: String,
    /// "Expires 31 May 2026" for open requests; the outcome's date otherwise.
    pub when: String,
    pub handler: Option<String>,
}

/// The staff queue, one tab at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessQueue {
    /// `open`, `approved`, `declined` or `expired`.
    pub tab: String,
    pub open_count: i64,
    pub requests: Vec<RequestListing>,
}

/// A request as staff handle it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequestView {
    pub id: i64,
    pub status: String,
    pub open: bool,
    pub taken: bool,
    pub name: String,
    pub details: Vec<(String, String)>,
    pub matched_patient: Option<(i64, String)>,
    pub email: String,
    pub email_in_use: bool,
    /// The matched patient already has an account: approving replaces it.
    pub has_account: bool,
    pub under_16: bool,
    pub defaults: Grants,
    /// For a decided request: what was recorded.
    pub outcome: Vec<(String, String)>,
}

/// The request form, as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: String,
    pub sex: String,
    pub postcode: String,
    pub identifier_kind: String,
    pub identifier: String,
    pub email: String,
    pub mobile: String,
}

/// The request form's check.
pub fn read_request(form: &RequestForm, today: Option<chrono::NaiveDate>) -> Result<AccessRequest, AppError> {
    let fields = RequestFields {
        given_name: &form.given_name,
        family_name: &form.family_name,
        date_of_birth: &form.date_of_birth,
        sex: &form.sex,
        postcode: &form.postcode,
        identifier_kind: &form.identifier_kind,
        identifier: &form.identifier,
        email: &form.email,
        mobile: &form.mobile,
    };
    AccessRequest::parse(&fields, today).map_err(all_problems)
}

/// The approval form, as posted: the assessment, the services and, when they
/// differ from the practice's defaults, why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApprovalForm {
    pub identity_check: String,
    pub identity_note: String,
    pub discussion: String,
    pub coercion: String,
    pub capacity: String,
    pub gillick: String,
    #[serde(flatten)]
    pub grants: crate::api::patients::GrantsForm,
    pub reason: String,
}

/// The assessment fields of the approval form.
pub fn read_assessment(fields: &AssessmentFields<'_>, under_16: bool) -> Result<Assessment, AppError> {
    Assessment::parse(fields, under_16).map_err(all_problems)
}

fn all_problems(problems: domain::access_request::Problems) -> AppError {
    let mut all = Problems::new();
    for (field, invalid) in problems {
        all.add(field, invalid.message);
    }
    all.finish().err().unwrap_or(AppError::Internal)
}

/// The register page: the practice, and whether it takes requests online.
#[server(endpoint = "register/info")]
pub async fn load_register_info() -> Result<RegisterInfo, AppError> {
    let practice = crate::api::practices::home_practice().await?;
    let (state, ctx) = crate::server::context().await?;
    let self_registration = match &ctx.practice {
        Some(p) => {
            let settings = state.store.online_services_settings(p.id).await?;
            settings.online_services && settings.self_registration
        }
        None => false,
    };
    Ok(RegisterInfo { practice, self_registration })
}

/// An email to someone who asked for online services: only what happens
/// next, never what the register holds.
#[cfg(feature = "ssr")]
fn applicant_mail(
    practice: &storage::practices::PracticeRow,
    to: &str,
    news: domain::mail::RequestNews,
) -> storage::outbox::NewMail {
    let text = domain::mail::RequestUpdate { practice: practice.contact(), news }.render();
    storage::outbox::NewMail::new(domain::PracticeId(practice.id), to, text)
}

/// Signed out: asks the practice for online services. Whatever the register
/// says, and whether or not the email already has an account, the browser
/// goes to the same page and the applicant gets the same email. A repeated
/// request merges into the open one. Limited per address and per email.
#[server(endpoint = "register/request")]
pub async fn request_access(#[server(flatten)] form: RequestForm) -> Result<(), AppError> {
    use crate::server::throttle;
    use domain::throttle::{REGISTRATIONS_PER_CLIENT, REGISTRATIONS_PER_EMAIL};
    use storage::throttle::AttemptKind;
    let (state, ctx) = crate::server::context().await?;
    let today = domain::time::to_london(ctx.now).date();
    let request = read_request(&form, Some(today))?;
    let practice_id = ctx.practice.as_ref().map(|p| p.id).ok_or(AppError::NotFound)?;
    let settings = state.store.online_services_settings(practice_id).await?;
    if !(settings.online_services && settings.self_registration) {
        return Err(AppError::Conflict(
            "This practice does not take requests for online services on its website. Ask at the surgery.".into(),
        ));
    }
    let subject = format!("registration {}", request.email.as_str().to_lowercase());
    let allowed = throttle::count_request(
        &state,
        &ctx,
        AttemptKind::Registration,
        &subject,
        REGISTRATIONS_PER_EMAIL,
        REGISTRATIONS_PER_CLIENT,
    )
    .await?;
    if allowed {
        let practice = state.store.practice(practice_id).await?.ok_or(AppError::NotFound)?;
        let mail = applicant_mail(&practice, request.email.as_str(), domain::mail::RequestNews::Received);
        let audit = ctx.audit("access_request_received");
        state.store.submit_access_request(practice_id, &request, Some(&mail), &audit, ctx.now).await?;
    }
    leptos_axum::redirect("/register/sent");
    Ok(())
}

/// Staff: the queue, one tab at a time (`open` unless another is asked for).
/// Requests past their practice's period are closed as expired first.
#[server(endpoint = "admin/access-requests")]
pub async fn load_access_queue(tab: Option<String>) -> Result<AccessQueue, AppError> {
    use domain::access_request::RequestStatus;
    use domain::policy::Action;
    use storage::access_requests::Queue;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::IssueOnlineAccounts)?;
    state.store.expire_access_requests(ctx.now).await?;
    let tab = tab.unwrap_or_else(|| "open".into());
    let queue = match RequestStatus::parse(&tab) {
        _ if tab == "open" => Queue::Open,
        Some(status) if !status.is_open() => Queue::Closed(status),
        _ => return Err(AppError::invalid("tab", "Choose open, approved, declined or expired requests")),
    };
    let rows = state.store.access_requests(practice, queue).await?;
    let date = |t: storage::Timestamp| domain::time::display_london_date(t.0);
    let requests = rows
        .into_iter()
        .map(|r| {
            let status = r.status();
            RequestListing {
                id: r.id,
                name: format!("{} {}", r.given_name, r.family_name),
                date_of_birth: domain::time::display_date(r.date_of_birth),
                status: status.label().into(),
                matched: r.patient_id.is_some(),
                email_in_use: r.email_in_use,
                asked: match r.times_requested {
                    1 => format!("Asked on {}", date(r.last_requested_at)),
                    n => format!("Asked on {} ({n} times)", date(r.last_requested_at)),
                },
                when: match r.closed_at {
                    Some(at) => format!("{} on {}", status.label(), date(at)),
                    None => format!("Expires on {}", date(r.expires_at)),
                },
                handler: r.handler_name,
            }
        })
        .collect();
    let open_count = state.store.open_access_requests(practice).await?;
    Ok(AccessQueue { tab, open_count, requests })
}

/// Staff: one request, with the register's match and what to watch for.
#[server(endpoint = "admin/access-requests/one")]
pub async fn load_access_request(request_id: i64) -> Result<AccessRequestView, AppError> {
    use domain::access_request::{age_on, sex_label, GILLICK_AGE};
    use domain::online_account::describe_identity;
    let (state, ctx, practice, r) = staff_and_request(request_id).await?;
    let today = domain::time::to_london(ctx.now).date();
    let date = |t: storage::Timestamp| domain::time::display_london_date(t.0);
    let status = r.status();
    let has_account = match r.patient_id {
        Some(patient) => {
            let row = state.store.patient(practice, domain::PatientId(patient)).await?;
            row.is_some_and(|p| p.login_id.is_some())
                || state.store.online_account(practice, domain::PatientId(patient)).await?.is_some()
        }
        None => false,
    };
    let age = age_on(r.date_of_birth, today);
    let (kind, identifier) = crate::api::patients::shown_identifier(&r.identifier_kind, &r.identifier);
    let mut details = vec![
        ("Date of birth".to_owned(), format!("{} (age {age})", domain::time::display_date(r.date_of_birth))),
        ("Sex".into(), sex_label(&r.sex).into()),
        ("Postcode".into(), r.postcode.clone()),
        (kind, identifier),
        ("Email".into(), r.email.clone()),
        ("Mobile".into(), r.mobile.clone().unwrap_or_else(|| "Not given".into())),
        (
            "Asked".into(),
            match r.times_requested {
                1 => date(r.first_requested_at),
                n => {
                    format!("{n} times, first on {}, last on {}", date(r.first_requested_at), date(r.last_requested_at))
                }
            },
        ),
    ];
    if status.is_open() {
        details.push(("Expires".into(), format!("On {} if nobody handles it", date(r.expires_at))));
    }
    if let Some(handler) = &r.handler_name {
        details.push(("Handled by".into(), handler.clone()));
    }
    let yes_no = |concern: Option<bool>, yes: &str, no: &str| concern.map(|c| if c { yes } else { no }.to_owned());
    let outcome: Vec<(String, String)> = [
        ("Outcome", r.closed_at.map(|at| format!("{} on {}", status.label(), date(at)))),
        ("Reason (not sent to the applicant)", r.decline_reason.clone()),
        (
            "Identity",
            r.identity_check.as_deref().map(|c| describe_identity(c, r.identity_note.as_deref().unwrap_or_default())),
        ),
        ("Discussion", r.discussion.clone()),
        ("Coercion", yes_no(r.coercion_concern, "Concern recorded", "No concerns")),
        ("Capacity", yes_no(r.capacity_concern, "Concern recorded", "No concerns")),
        ("Gillick competence", yes_no(r.gillick_competent, "Competent", "Not competent")),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|v| (label.to_owned(), v)))
    .collect();
    Ok(AccessRequestView {
        id: r.id,
        status: status.label().into(),
        open: status.is_open(),
        taken: r.handler_name.is_some(),
        name: format!("{} {}", r.given_name, r.family_name),
        details,
        matched_patient: r.patient_id.zip(r.patient_name.clone()),
        email: r.email.clone(),
        email_in_use: r.email_in_use,
        has_account,
        under_16: age < GILLICK_AGE,
        defaults: state.store.online_services_settings(practice).await?.defaults,
        outcome,
    })
}

/// Staff: takes a request on, so colleagues see who is handling it.
#[server(endpoint = "admin/access-requests/take")]
pub async fn take_access_request(request_id: i64) -> Result<(), AppError> {
    let (state, ctx, practice, _) = staff_and_request(request_id).await?;
    let by = ctx.actor.login().ok_or(AppError::SignInRequired)?;
    state.store.take_access_request(practice, request_id, by, &ctx.audit("access_request_taken")).await?;
    leptos_axum::redirect(&format!("/admin/access-requests/{request_id}?taken=1"));
    Ok(())
}

/// The decline form's check.
pub fn read_decline(reason: &str) -> Result<String, AppError> {
    domain::access_request::decline_reason(reason).map_err(|e| AppError::invalid("decline_reason", e.message))
}

/// Staff: declines a request with a reason kept by the practice. The
/// applicant is emailed that it was declined and how to ask why, without
/// the reason.
#[server(endpoint = "admin/access-requests/decline")]
pub async fn decline_access_request(
    request_id: i64,
    #[server(default)] decline_reason: String,
) -> Result<(), AppError> {
    use storage::access_requests::Decision;
    let (state, ctx, practice, r) = staff_and_request(request_id).await?;
    let reason = read_decline(&decline_reason)?;
    let by = ctx.actor.login().ok_or(AppError::SignInRequired)?;
    let row = state.store.practice(practice).await?.ok_or(AppError::NotFound)?;
    let mail = applicant_mail(&row, &r.email, domain::mail::RequestNews::Declined);
    let audit = ctx.audit("access_request_declined").detail(format!("reason: {reason}"));
    let decision =
        Decision { practice, request: request_id, assessment: None, by, mail: &mail, audit: &audit, now: ctx.now };
    state.store.decline_access_request(&decision, &reason).await?;
    leptos_axum::redirect("/admin/access-requests?decided=declined");
    Ok(())
}

/// Staff: approves a request matched to a registered patient, once they have
/// recorded who the patient is, what was discussed and the risks. Issues the
/// registration letter (replacing any account the patient had) and grants
/// the chosen services; the browser goes on to the letter.
#[server(endpoint = "admin/access-requests/approve")]
pub async fn approve_access_request(request_id: i64, #[server(flatten)] form: ApprovalForm) -> Result<(), AppError> {
    use domain::online_account::LinkageKey;
    use storage::access_requests::{ChosenGrants, Decision};
    use storage::online_accounts::NewLetter;
    let (state, ctx, practice, r) = staff_and_request(request_id).await?;
    let Some(patient) = r.patient_id.map(domain::PatientId) else {
        return Err(AppError::Conflict(
            "This request does not match a patient on the register, so it cannot be approved. Decline it, and \
             ask the person to register with the practice first."
                .into(),
        ));
    };
    let today = domain::time::to_london(ctx.now).date();
    let under_16 = domain::access_request::age_on(r.date_of_birth, today) < domain::access_request::GILLICK_AGE;
    let fields = AssessmentFields {
        identity_check: &form.identity_check,
        identity_note: &form.identity_note,
        discussion: &form.discussion,
        coercion: &form.coercion,
        capacity: &form.capacity,
        gillick: &form.gillick,
    };
    let grants = crate::api::patients::read_grants(&form.grants);
    let assessment = read_assessment(&fields, under_16);
    let (assessment, grants) = match (assessment, grants) {
        (Ok(a), Ok(g)) => (a, g),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    if let Some((field, message)) = assessment.refuses_approval() {
        return Err(AppError::invalid(field, message));
    }
    let defaults = state.store.online_services_settings(practice).await?.defaults;
    let reason = crate::api::patients::check_grants_reason(&grants, &defaults, &form.reason)?;
    let by = ctx.actor.login().ok_or(AppError::SignInRequired)?;
    let row = state.store.practice(practice).await?.ok_or(AppError::NotFound)?;
    let mail = applicant_mail(&row, &r.email, domain::mail::RequestNews::Approved);
    let audit = storage::audit::NewAudit { acting_for: Some(patient), ..ctx.audit("access_request_approved") }
        .detail(format!("identity: {}; services: {}", assessment.identity.check.as_str(), grants.describe()));
    let decision = Decision {
        practice,
        request: request_id,
        assessment: Some(&assessment),
        by,
        mail: &mail,
        audit: &audit,
        now: ctx.now,
    };
    let chosen = (grants != defaults).then_some(ChosenGrants { grants: &grants, reason });
    let key = LinkageKey::from_random(rand::random());
    let (store, decision, key, identity, audit, now) =
        (&state.store, &decision, &key, &assessment.identity, &audit, ctx.now);
    crate::api::online_accounts::with_fresh_account_ref(|account_ref| async move {
        let expires_at = now + domain::online_account::key_lifetime();
        let letter =
            NewLetter { practice, patient, account_ref: &account_ref, key, expires_at, identity, by, audit, now };
        store.approve_access_request(decision, &letter, chosen).await
    })
    .await?;
    leptos_axum::redirect(&format!("/admin/patients/{}/online-account/letter", patient.0));
    Ok(())
}

/// The staff member's practice and one of its requests, once the policy
/// allows handling requests.
#[cfg(feature = "ssr")]
async fn staff_and_request(
    request_id: i64,
) -> Result<
    (crate::server::AppState, crate::server::Ctx, domain::PracticeId, storage::access_requests::AccessRequestRow),
    AppError,
> {
    use domain::policy::Action;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::IssueOnlineAccounts)?;
    let row = state.store.access_request(practice, request_id).await?.ok_or(AppError::NotFound)?;
    Ok((state, ctx, practice, row))
}
