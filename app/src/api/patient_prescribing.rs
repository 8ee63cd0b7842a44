//! Staff: a patient's repeat prescribing as their page shows it (whether
//! they may order online, the reason when not, their nominated pharmacy,
//! their repeat medicines), and clinicians or practice admins allowing or
//! stopping their online ordering (seed 001 §3.4).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The longest reason for stopping a patient's online ordering.
pub const MAX_REASON_CHARS: usize = 200;

/// A patient's prescribing, for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientPrescribingView {
    pub patient_id: i64,
    pub ordering_allowed: bool,
    /// For staff only: never shown to the patient.
    pub ordering_off_reason: String,
    pub pharmacy: Option<String>,
    /// Their repeat medicines, hidden ones marked.
    pub medicines: Vec<String>,
    /// Whether the viewer may allow or stop their online ordering.
    pub can_change: bool,
}

#[cfg(feature = "ssr")]
fn patient_of_practice(
    ctx: &crate::server::Ctx,
    action: domain::policy::Action,
    patient_id: i64,
) -> Result<(domain::PracticeId, domain::PatientId), AppError> {
    let practice = ctx.staff_practice(action)?;
    let patient = domain::PatientId(patient_id);
    ctx.authorize(action, domain::policy::Object::Patient { patient, practice })?;
    Ok((practice, patient))
}

/// Staff: a patient's repeat prescribing.
#[server(endpoint = "admin/patients/prescribing")]
pub async fn load_patient_prescribing(patient_id: i64) -> Result<PatientPrescribingView, AppError> {
    use domain::policy::{Action, Object};
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient) = patient_of_practice(&ctx, Action::HandlePrescriptions, patient_id)?;
    state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    let prescribing = state.store.patient_prescribing(practice, patient).await?;
    let medicines = state.store.repeat_items(practice, patient).await?;
    Ok(PatientPrescribingView {
        patient_id,
        ordering_allowed: prescribing.ordering_allowed,
        ordering_off_reason: prescribing.ordering_off_reason.unwrap_or_default(),
        pharmacy: prescribing.pharmacy,
        medicines: medicines
            .iter()
            .map(|item| {
                let hidden = if item.hidden { " (hidden from online view)" } else { "" };
                format!("{}: {}{hidden}", item.name(), item.dosage)
            })
            .collect(),
        can_change: ctx.authorize(Action::DecidePrescriptions, Object::Patient { patient, practice }).is_ok(),
    })
}

/// Clinicians and practice admins: allow a patient to order repeats online,
/// or stop them, saying why (staff see the reason; the patient is told to
/// contact the practice).
#[server(endpoint = "admin/patients/prescribing/ordering")]
pub async fn set_online_ordering(
    patient_id: i64,
    #[server(default)] allowed: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient) = patient_of_practice(&ctx, domain::policy::Action::DecidePrescriptions, patient_id)?;
    state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    let allowed = match allowed.trim() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::invalid("allowed", "Choose whether they can order repeats online")),
    };
    let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    if !allowed && reason.is_empty() {
        return Err(AppError::invalid("reason", "Say why they cannot order online"));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::invalid("reason", format!("The reason must be {MAX_REASON_CHARS} characters or fewer")));
    }
    let reason = (!allowed).then_some(reason);
    let audit = ctx.audit("online_ordering_changed").on("patient", patient_id).detail(if allowed {
        "allowed".to_owned()
    } else {
        format!("stopped: {}", reason.as_deref().unwrap_or(""))
    });
    state.store.set_online_ordering(practice, patient, allowed, reason.as_deref(), &audit).await?;
    leptos_axum::redirect(&format!("/admin/patients/{patient_id}?saved=prescribing"));
    Ok(())
}
