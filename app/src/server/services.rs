//! Which services a request's actor may use for a patient, from what is stored.

use super::{AppState, Ctx};
use crate::error::{AppError, AppResult};
use domain::services::{available_services, Available, PracticeSwitches, RegistrationStatus, Subject};
use domain::{PatientId, PracticeId};
use storage::patients::PatientRow;

/// The patient (found within `practice`) and what this request's actor may use for them now.
pub async fn services_for(
    state: &AppState,
    ctx: &Ctx,
    practice: PracticeId,
    patient: PatientId,
) -> AppResult<(PatientRow, Available)> {
    let row = state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    let settings = state.store.online_services_settings(practice).await?;
    let grants = state.store.patient_grants(practice, patient).await?.map(|g| g.grants).unwrap_or(settings.defaults);
    let subject = Subject {
        patient,
        practice,
        status: RegistrationStatus::parse(&row.registration_status).ok_or(AppError::Internal)?,
        grants,
        account_created: row.login_created_at.map(|t| t.0),
    };
    let switches = PracticeSwitches { online_services: settings.online_services };
    let available = available_services(&ctx.actor, &subject, switches, ctx.now);
    Ok((row, available))
}

/// What the patient would be shown, were they signed in themselves: for
/// staff previewing their record.
pub async fn patients_own_view(
    state: &AppState,
    ctx: &Ctx,
    practice: PracticeId,
    patient: PatientId,
) -> AppResult<Available> {
    let as_patient =
        Ctx { actor: domain::Actor::Patient { login: domain::LoginId(0), patient, practice }, ..ctx.clone() };
    Ok(services_for(state, &as_patient, practice, patient).await?.1)
}

/// The signed-in patient, once they may use the service `uses` picks:
/// their practice, themselves, their record and everything they may use.
pub async fn signed_in_patient(
    state: &AppState,
    ctx: &Ctx,
    uses: impl Fn(&Available) -> bool,
) -> AppResult<(PracticeId, PatientId, PatientRow, Available)> {
    let (practice, patient) = match ctx.actor {
        domain::Actor::Patient { practice, patient, .. } => (practice, patient),
        domain::Actor::Proxy { practice, acting_for, .. } => match ctx.proxy_refusal {
            Some(refusal) => return Err(refuse_proxy(state, ctx, refusal.message()).await?),
            None => (practice, acting_for),
        },
        domain::Actor::Anonymous => return Err(AppError::SignInRequired),
        _ => return Err(AppError::Forbidden),
    };
    let (row, available) = services_for(state, ctx, practice, patient).await?;
    if !uses(&available) {
        if matches!(ctx.actor, domain::Actor::Proxy { .. }) {
            let why = "You cannot use this service for this person. Ask the practice if you need to.";
            return Err(refuse_proxy(state, ctx, why.to_owned()).await?);
        }
        return Err(AppError::Forbidden);
    }
    Ok((practice, patient, row, available))
}

/// The refusal a proxy is shown, once it is in the audit trail: who asked,
/// for whom (the request's actor) and why.
pub async fn refuse_proxy(state: &AppState, ctx: &Ctx, why: String) -> AppResult<AppError> {
    state.store.append_audit(&ctx.audit("proxy_refused").detail(why.clone())).await?;
    Ok(AppError::Refused(why))
}
