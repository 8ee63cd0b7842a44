//! A patient's downloads from their record page: the FHIR file of what they
//! may see, and a document's file. Both go through the same filter as the
//! page; each is audited. Files are sent as attachments, never shown in
//! the page's origin, whatever type the clinical system gave them.

use app::api::record::shared::{patient_record, visible_entries};
use app::error::AppError;
use app::server::{AppState, Ctx};
use axum::extract::{Extension, Path};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use domain::record::{EntryKind, Shown};

/// Headers for a file that must be saved, not opened here.
pub(crate) fn attachment(content_type: &str, filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CONTENT_SECURITY_POLICY, "sandbox".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// `GET /record/download`: the patient's visible record as a FHIR R4 Bundle.
pub async fn record_bundle(Extension(state): Extension<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let (practice, patient, access, _) = patient_record(&state, &ctx).await?;
    let row = state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    let entries = visible_entries(&state, practice, patient, &access).await?;
    let nhs_number = (row.identifier_kind == "nhs").then_some(row.identifier.as_str());
    let bundle = fhir::patient_bundle(nhs_number, (&row.given_name, &row.family_name), &entries);
    let audit = ctx.audit("record_downloaded").on("patient", patient.0).detail(format!("{} entries", entries.len()));
    state.store.append_audit(&audit).await?;
    Ok(attachment("application/fhir+json", "my-gp-record.json", bundle.to_string().into_bytes()))
}

/// `GET /record/documents/{entry}`: one document's file, if the patient may
/// see it in full; any other entry, or another patient's, is not found.
pub async fn record_document(
    Extension(state): Extension<AppState>,
    ctx: Ctx,
    Path(entry): Path<i64>,
) -> Result<Response, AppError> {
    let (practice, patient, access, _) = patient_record(&state, &ctx).await?;
    let entries = visible_entries(&state, practice, patient, &access).await?;
    let (row, _) = entries
        .iter()
        .find(|(row, shown)| row.id == entry && *shown == Shown::Full && row.kind() == Some(EntryKind::Document))
        .ok_or(AppError::NotFound)?;
    let (content_type, data) = state.store.entry_file(practice, row.id).await?.ok_or(AppError::NotFound)?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(data.trim()).map_err(|error| {
        tracing::warn!(%error, entry, "a document's file is not base64");
        AppError::NotFound
    })?;
    let audit = ctx.audit("record_document_viewed").on("record_entry", entry);
    state.store.append_audit(&audit).await?;
    Ok(attachment(&content_type, &format!("document-{entry}"), bytes))
}
