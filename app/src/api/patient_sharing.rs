//! Consent to share: staff record a patient's three choices on their page;
//! the patient reads them, when the practice allows it.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One choice as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharingLine {
    /// The form field, such as `sharing_out`.
    pub field: String,
    pub question: String,
    /// `yes`, `no`, or empty for not recorded.
    pub value: String,
    /// "Yes", "No", "Not recorded".
    pub answer: String,
}

/// A patient's consent to share, for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSharingView {
    pub patient_id: i64,
    pub lines: Vec<SharingLine>,
}

#[cfg(feature = "ssr")]
fn lines(sharing: &storage::record::Sharing) -> Vec<SharingLine> {
    use domain::record::sharing::{describe, SharingChoice};
    SharingChoice::ALL
        .iter()
        .map(|choice| {
            let consent = match choice {
                SharingChoice::ScrAdditional => sharing.scr_additional,
                SharingChoice::SharingOut => sharing.sharing_out,
                SharingChoice::SharingIn => sharing.sharing_in,
            };
            SharingLine {
                field: choice.as_str().to_owned(),
                question: choice.question().to_owned(),
                value: consent.map(|yes| if yes { "yes" } else { "no" }).unwrap_or_default().to_owned(),
                answer: describe(consent).to_owned(),
            }
        })
        .collect()
}

#[cfg(feature = "ssr")]
fn staff_for(ctx: &crate::server::Ctx, patient_id: i64) -> Result<(domain::PracticeId, domain::PatientId), AppError> {
    use domain::policy::{Action, Object};
    let practice = ctx.staff_practice(Action::RecordConsent)?;
    let patient = domain::PatientId(patient_id);
    ctx.authorize(Action::RecordConsent, Object::Patient { patient, practice })?;
    Ok((practice, patient))
}

/// Staff: a patient's consent to share.
#[server(endpoint = "admin/patients/sharing")]
pub async fn load_patient_sharing(patient_id: i64) -> Result<StaffSharingView, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient) = staff_for(&ctx, patient_id)?;
    state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    let sharing = state.store.patient_sharing(practice, patient).await?;
    Ok(StaffSharingView { patient_id, lines: lines(&sharing) })
}

/// Staff: records a patient's consent to share, each `yes`, `no` or empty
/// for not recorded.
#[server(endpoint = "admin/patients/sharing/save")]
pub async fn save_patient_sharing(
    patient_id: i64,
    #[server(default)] scr_additional: String,
    #[server(default)] sharing_out: String,
    #[server(default)] sharing_in: String,
) -> Result<(), AppError> {
    use domain::record::sharing::parse_consent;
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient) = staff_for(&ctx, patient_id)?;
    state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    let mut problems = crate::error::Problems::new();
    let scr = problems.check("scr_additional", parse_consent(&scr_additional));
    let out = problems.check("sharing_out", parse_consent(&sharing_out));
    let into = problems.check("sharing_in", parse_consent(&sharing_in));
    problems.finish()?;
    let sharing = storage::record::Sharing {
        scr_additional: scr.flatten(),
        sharing_out: out.flatten(),
        sharing_in: into.flatten(),
    };
    let by = ctx.actor.login().ok_or(AppError::SignInRequired)?;
    let detail = lines(&sharing).iter().map(|l| format!("{}={}", l.field, l.answer)).collect::<Vec<_>>().join(", ");
    let audit = ctx.audit("consent_to_share_recorded").on("patient", patient_id).detail(detail);
    state.store.set_patient_sharing(practice, patient, &sharing, by, &audit).await?;
    leptos_axum::redirect(&format!("/admin/patients/{patient_id}?saved=sharing"));
    Ok(())
}

/// Patients whose practice lets them: their consent to share, to read.
#[server(endpoint = "record/sharing")]
pub async fn my_sharing() -> Result<Vec<SharingLine>, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, _, _) =
        crate::server::services::signed_in_patient(&state, &ctx, |available| available.consent).await?;
    Ok(lines(&state.store.patient_sharing(practice, patient).await?))
}
