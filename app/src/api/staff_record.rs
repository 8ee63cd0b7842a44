//! Clinicians: a patient's whole record (hidden entries and unfiled results
//! marked), hiding an entry from online view with a reason or showing it
//! again, filing a result, and previewing exactly what the patient sees.
//! Every look is audited, as a patient's own is.

use crate::api::record::EntryView;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The longest reason for hiding an entry.
pub const MAX_HIDE_REASON_CHARS: usize = 200;

/// One entry as a clinician sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffEntryView {
    pub id: i64,
    pub entry: EntryView,
    /// Why it is hidden from online view, when it is.
    pub hidden: Option<String>,
    /// Restricted in the clinical system: it can only be shown from there.
    pub restricted: bool,
    /// A result no clinician has filed: the patient does not see it.
    pub unfiled: bool,
}

/// The staff record page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRecordView {
    pub patient_id: i64,
    pub patient_name: String,
    pub entries: Vec<StaffEntryView>,
    /// What the patient sees: the sentence and the entries, as their page shows them.
    pub preview_describe: String,
    pub preview: Vec<EntryView>,
}

#[cfg(feature = "ssr")]
fn clinician_for(
    ctx: &crate::server::Ctx,
    patient_id: i64,
) -> Result<(domain::PracticeId, domain::PatientId, domain::LoginId), AppError> {
    use domain::policy::{Action, Object};
    let practice = ctx.staff_practice(Action::KeepRecord)?;
    let patient = domain::PatientId(patient_id);
    ctx.authorize(Action::KeepRecord, Object::Patient { patient, practice })?;
    Ok((practice, patient, ctx.actor.login().ok_or(AppError::SignInRequired)?))
}

/// Clinicians: a patient's record, and what the patient sees of it.
#[server(endpoint = "admin/patients/record")]
pub async fn staff_record(patient_id: i64) -> Result<StaffRecordView, AppError> {
    use crate::api::record::shared::entry_view;
    use domain::record::{RecordAccess, Shown};
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, _) = clinician_for(&ctx, patient_id)?;
    let row = state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    let rows = state.store.record_entries(practice, patient).await?;
    let available = crate::server::services::patients_own_view(&state, &ctx, practice, patient).await?;
    let (preview_describe, preview) = match available.record {
        Some(record) => {
            let access = RecordAccess::new(record);
            let shown = domain::record::filter(&access, rows.iter(), storage::record::EntryRow::facts);
            (access.describe(), shown.into_iter().map(|(row, shown)| entry_view(row, shown)).collect())
        }
        None => ("The patient cannot see their record online.".to_owned(), Vec::new()),
    };
    let entries = rows
        .iter()
        .map(|row| StaffEntryView {
            id: row.id,
            // Documents download from the patient's own page only.
            entry: EntryView { document: None, ..entry_view(row, Shown::Full) },
            hidden: row.hidden.then(|| row.hidden_reason.clone().unwrap_or_default()),
            restricted: row.hidden_reason.as_deref() == Some(storage::record::RESTRICTED_REASON),
            unfiled: row.kind == "test_result" && !row.filed,
        })
        .collect();
    let audit = ctx.audit("record_viewed").on("patient", patient_id).detail("The whole record");
    state.store.append_audit(&audit).await?;
    Ok(StaffRecordView {
        patient_id,
        patient_name: format!("{} {}", row.given_name, row.family_name),
        entries,
        preview_describe,
        preview,
    })
}

/// Clinicians: hides an entry from online view (`hide` is `yes`, with a
/// reason), or shows it again.
#[server(endpoint = "admin/patients/record/hide")]
pub async fn hide_entry(
    patient_id: i64,
    entry_id: i64,
    #[server(default)] hide: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, by) = clinician_for(&ctx, patient_id)?;
    own_entry(&state, practice, patient, entry_id).await?;
    let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    let hiding = match hide.as_str() {
        "yes" if reason.is_empty() => return Err(AppError::invalid("reason", "Say why it is hidden from the patient")),
        "yes" if reason.chars().count() > MAX_HIDE_REASON_CHARS => {
            return Err(AppError::invalid(
                "reason",
                format!("The reason must be {MAX_HIDE_REASON_CHARS} characters or fewer"),
            ))
        }
        "yes" => Some(reason.as_str()),
        "no" => None,
        _ => return Err(AppError::invalid("hide", "Choose hide or show")),
    };
    let action = if hiding.is_some() { "record_entry_hidden" } else { "record_entry_shown" };
    state.store.set_entry_hidden(practice, entry_id, hiding, by, &ctx.audit(action)).await?;
    leptos_axum::redirect(&format!("/admin/patients/{patient_id}/record?saved=1"));
    Ok(())
}

/// Clinicians: files a result, so the patient sees it.
#[server(endpoint = "admin/patients/record/file")]
pub async fn file_result(patient_id: i64, entry_id: i64) -> Result<(), AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, by) = clinician_for(&ctx, patient_id)?;
    own_entry(&state, practice, patient, entry_id).await?;
    let (_, session) = ctx.own_login()?;
    let name = session.display_name.clone();
    match state.store.file_result(practice, entry_id, (by, &name), &ctx.audit("record_result_filed")).await {
        Ok(()) => {}
        Err(storage::StoreError::NotFound) => {
            return Err(AppError::Conflict("This result is filed already, or is not a result.".into()))
        }
        Err(other) => return Err(other.into()),
    }
    leptos_axum::redirect(&format!("/admin/patients/{patient_id}/record?saved=1"));
    Ok(())
}

/// That the entry is this patient's (any other is not found).
#[cfg(feature = "ssr")]
async fn own_entry(
    state: &crate::server::AppState,
    practice: domain::PracticeId,
    patient: domain::PatientId,
    entry: i64,
) -> Result<(), AppError> {
    match state.store.record_entry(practice, patient, entry).await? {
        Some(_) => Ok(()),
        None => Err(AppError::NotFound),
    }
}
