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
