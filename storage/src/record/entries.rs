//! Record entries: importing a patient's entries (a resource imported again
//! updates its entry, never adds a second), and reading them back.

use super::repeats::{end_repeat, keep_repeat, RepeatTerms};
use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar};
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::NaiveDate;
use domain::record::{EntryFacts, EntryKind};
use domain::{PatientId, PracticeId};

/// The reason recorded when the clinical system restricted a resource.
pub const RESTRICTED_REASON: &str = "Restricted in the clinical system";

/// One entry as an import brings it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    /// The resource's type and id, such as `Condition/abc`.
    pub source_id: String,
    pub kind: EntryKind,
    pub recorded_on: NaiveDate,
    pub clinician: Option<String>,
    /// SNOMED CT code, where it has one.
    pub code: Option<String>,
    /// What it reads as: "Asthma", "Penicillin", "Haemoglobin".
    pub display: String,
    /// Problem: active or past; medicine: current or past (and acute or repeat); result: its interpretation.
    pub status: Option<String>,
    /// Dosage, reaction, a result's body site or method, a document's type.
    pub detail: Option<String>,
    pub value: Option<String>,
    pub unit: Option<String>,
    pub reference_range: Option<String>,
    pub abnormal: bool,
    /// Notes and comments typed by staff, a consultation's narrative.
    pub free_text: Option<String>,
    /// Results: whether a clinician has filed it in the clinical system.
    pub filed: bool,
    /// A document's file, as FHIR carries it (base64), and its type.
    pub content: Option<(String, String)>,
    /// The clinical system restricted it: imported hidden.
    pub restricted: bool,
    /// A current repeat medicine: the terms it is on the repeat list with.
    pub repeat: Option<RepeatTerms>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    pub added: usize,
    pub updated: usize,
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub patient_id: i64,
    pub source_id: String,
    pub kind: String,
    pub recorded_on: NaiveDate,
    pub clinician: Option<String>,
    pub code: Option<String>,
    pub display: String,
    pub status: Option<String>,
    pub detail: Option<String>,
    pub value: Option<String>,
    pub unit: Option<String>,
    pub reference_range: Option<String>,
    pub abnormal: bool,
    pub free_text: Option<String>,
    pub filed: bool,
    pub content_type: Option<String>,
    pub hidden: bool,
    pub hidden_reason: Option<String>,
}

impl EntryRow {
    pub fn kind(&self) -> Option<EntryKind> {
        EntryKind::parse(&self.kind)
    }

    /// What the rules need. An entry of a kind this version does not know is
    /// treated as hidden.
    pub fn facts(&self) -> EntryFacts {
        EntryFacts {
            kind: self.kind().unwrap_or(EntryKind::Document),
            date: self.recorded_on,
            hidden: self.hidden || self.kind().is_none(),
            filed: self.filed,
            coded: self.code.is_some(),
            current: self.status.as_deref().is_some_and(|s| s.starts_with("current")),
        }
    }
}

const ENTRY_COLUMNS: &str = "id, patient_id, source_id, kind, recorded_on, clinician, code, display, status, detail, \
    value, unit, reference_range, abnormal, free_text, filed, content_type, hidden, hidden_reason";

impl Store {
    /// Imports a patient's entries, all or nothing. An entry imported before
    /// (the same resource) is updated; a clinician's hiding here is kept,
    /// and a resource restricted in the clinical system is hidden whatever
    /// was decided here. A current repeat medicine joins (or stays on) the
    /// patient's repeat list; one no longer current leaves it. A resource
    /// already imported for another patient is refused, and nothing is
    /// written.
    #[tracing::instrument(skip_all, fields(practice = practice.0, patient = patient.0, entries = entries.len()))]
    pub async fn import_record(
        &self,
        practice: PracticeId,
        patient: PatientId,
        entries: &[NewEntry],
        audit: &NewAudit,
    ) -> StoreResult<Imported> {
        let mut tx = self.begin().await?;
        let mut imported = Imported::default();
        for entry in entries {
            let owner: Option<i64> =
                query_scalar("SELECT patient_id FROM record_entry WHERE practice_id = $1 AND source_id = $2")
                    .bind(practice.0)
                    .bind(&entry.source_id)
                    .fetch_optional(&mut tx)
                    .await?;
            match owner {
                Some(owner) if owner != patient.0 => {
                    return Err(StoreError::Rule("A resource in this file was imported before for another patient."))
                }
                Some(_) => imported.updated += 1,
                None => imported.added += 1,
            }
            let (content_type, content) = entry.content.clone().unzip();
            query(
                "INSERT INTO record_entry (practice_id, patient_id, source_id, kind, recorded_on, clinician, code, \
                 display, status, detail, value, unit, reference_range, abnormal, free_text, filed, content_type, \
                 content, hidden, hidden_reason, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                 $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) \
                 ON CONFLICT (practice_id, source_id) DO UPDATE SET kind = excluded.kind, \
                 recorded_on = excluded.recorded_on, clinician = excluded.clinician, code = excluded.code, \
                 display = excluded.display, status = excluded.status, detail = excluded.detail, \
                 value = excluded.value, unit = excluded.unit, reference_range = excluded.reference_range, \
                 abnormal = excluded.abnormal, free_text = excluded.free_text, \
                 filed = CASE WHEN record_entry.filed_at IS NOT NULL THEN record_entry.filed ELSE excluded.filed END, \
                 content_type = excluded.content_type, content = excluded.content, \
                 hidden = CASE WHEN excluded.hidden THEN excluded.hidden \
                   WHEN record_entry.hidden_by IS NOT NULL THEN record_entry.hidden ELSE excluded.hidden END, \
                 hidden_reason = CASE WHEN excluded.hidden THEN excluded.hidden_reason \
                   WHEN record_entry.hidden_by IS NOT NULL THEN record_entry.hidden_reason ELSE excluded.hidden_reason END, \
                 imported_at = excluded.imported_at",
            )
            .bind(practice.0)
            .bind(patient.0)
            .bind(&entry.source_id)
            .bind(entry.kind.as_str())
            .bind(entry.recorded_on)
            .bind(entry.clinician.as_deref())
            .bind(entry.code.as_deref())
            .bind(&entry.display)
            .bind(entry.status.as_deref())
            .bind(entry.detail.as_deref())
            .bind(entry.value.as_deref())
            .bind(entry.unit.as_deref())
            .bind(entry.reference_range.as_deref())
            .bind(entry.abnormal)
            .bind(entry.free_text.as_deref())
            .bind(entry.filed)
            .bind(content_type)
            .bind(content)
            .bind(entry.restricted)
            .bind(entry.restricted.then_some(RESTRICTED_REASON))
            .bind(Timestamp(audit.at))
            .execute(&mut tx)
            .await?;
            match &entry.repeat {
                Some(terms) => keep_repeat(&mut tx, (practice, patient), entry, terms, audit.at).await?,
                None => end_repeat(&mut tx, (practice, patient), entry, audit.at).await?,
            }
        }
        let detail = format!("{} added, {} updated", imported.added, imported.updated);
        append_audit(&mut tx, &audit.clone().on("patient", patient.0).detail(detail)).await?;
        tx.commit().await?;
        Ok(imported)
    }

    /// One of a patient's entries, hidden or not; another patient's is none.
    pub async fn record_entry(
        &self,
        practice: PracticeId,
        patient: PatientId,
        entry: i64,
    ) -> StoreResult<Option<EntryRow>> {
        query_as(format!(
            "SELECT {ENTRY_COLUMNS} FROM record_entry WHERE id = $1 AND practice_id = $2 AND patient_id = $3"
        ))
        .bind(entry)
        .bind(practice.0)
        .bind(patient.0)
        .fetch_optional(&mut self.reader().await?)
        .await
    }

    /// A document's file: its type and its content as FHIR carried it (base64).
    pub async fn entry_file(&self, practice: PracticeId, entry: i64) -> StoreResult<Option<(String, String)>> {
        let found: Option<(Option<String>, Option<String>)> =
            query_as("SELECT content_type, content FROM record_entry WHERE id = $1 AND practice_id = $2")
                .bind(entry)
                .bind(practice.0)
                .fetch_optional(&mut self.reader().await?)
                .await?;
        Ok(found.and_then(|(content_type, content)| Some((content_type?, content?))))
    }

    /// A patient's entries, newest first, hidden ones included: what staff
    /// see, and what the patient's filter starts from.
    pub async fn record_entries(&self, practice: PracticeId, patient: PatientId) -> StoreResult<Vec<EntryRow>> {
        query_as(format!(
            "SELECT {ENTRY_COLUMNS} FROM record_entry WHERE practice_id = $1 AND patient_id = $2 \
             ORDER BY recorded_on DESC, id DESC"
        ))
        .bind(practice.0)
        .bind(patient.0)
        .fetch_all(&mut self.reader().await?)
        .await
    }
}
