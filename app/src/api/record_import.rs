//! Practice admins: a patient's record from the clinical system, uploaded as
//! a FHIR bundle. The same import as `server import-fhir`: the patient found
//! by NHS number among the practice's registered patients, all or nothing,
//! every problem reported with its resource and path.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What importing one bundle did, or why nothing was imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordImportReport {
    /// The patient whose record it was, when it imported.
    pub patient: Option<(i64, String)>,
    pub added: usize,
    pub updated: usize,
    /// Resources the record does not take, drafts and entries in error.
    pub left_out: usize,
    /// Each problem, naming its resource and path; nothing was imported.
    pub problems: Vec<String>,
}

/// One earlier import, from the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastImport {
    pub at: String,
    pub by: String,
    /// The patient's id and name.
    pub patient: Option<(i64, String)>,
    /// "12 added, 3 updated"
    pub what: String,
}

/// The most recent imports at the practice, newest first; only practice
/// admins may see them (and so the upload page).
#[server(endpoint = "admin/record/imports")]
pub async fn recent_record_imports() -> Result<Vec<PastImport>, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ImportRecords)?;
    let filter =
        storage::audit::AuditFilter { action: Some("record_imported".into()), limit: 20, ..Default::default() };
    let rows = state.store.audit_events(practice, &filter).await?;
    let mut past = Vec::with_capacity(rows.len());
    for row in rows {
        let patient = match row.object_id.and_then(|id| id.parse::<i64>().ok()) {
            Some(id) => state
                .store
                .patient(practice, domain::PatientId(id))
                .await?
                .map(|p| (id, format!("{} {}", p.given_name, p.family_name))),
            None => None,
        };
        past.push(PastImport {
            at: domain::time::display_london(row.at.0),
            by: row.actor_email.unwrap_or_else(|| "the system (import-fhir or demo data)".into()),
            patient,
            what: row.detail.unwrap_or_default(),
        });
    }
    Ok(past)
}

/// Imports one bundle's text (`bundle`, the file's content). A refused
/// bundle is an answer with its problems, not an error: the page lists them.
#[server(endpoint = "admin/record/import")]
pub async fn import_record_bundle(#[server(default)] bundle: String) -> Result<RecordImportReport, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ImportRecords)?;
    if bundle.trim().is_empty() {
        return Err(AppError::invalid("bundle", "Choose a FHIR bundle file (JSON)"));
    }
    let audit = ctx.audit("record_imported");
    let report = match fhir::import_file(&state.store, practice, &bundle, &audit).await? {
        Ok(done) => RecordImportReport {
            patient: Some((done.patient.0, done.patient_name)),
            added: done.imported.added,
            updated: done.imported.updated,
            left_out: done.skipped,
            problems: Vec::new(),
        },
        Err(problems) => RecordImportReport {
            patient: None,
            added: 0,
            updated: 0,
            left_out: 0,
            problems: problems.iter().map(ToString::to_string).collect(),
        },
    };
    Ok(report)
}
