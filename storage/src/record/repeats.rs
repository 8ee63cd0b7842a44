//! Repeat medicines arriving with the record: a current repeat prescription
//! from the clinical system is an item on the patient's repeat list, kept in
//! step by the same resource id each time the record is imported.

use super::entries::{NewEntry, RESTRICTED_REASON};
use crate::db::{query, query_scalar, Tx};
use crate::{StoreError, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, Utc};
use domain::record::EntryKind;
use domain::{PatientId, PracticeId};

/// The terms of a current repeat, as the clinical system authorised them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatTerms {
    pub dosage: String,
    pub quantity: i32,
    /// "tablet", "inhaler"
    pub unit: String,
    pub days_of_supply: i32,
    /// Issues authorised in all, when limited.
    pub issues_authorised: Option<i32>,
    pub issues_issued: i32,
    pub authorised_until: Option<NaiveDate>,
}

/// Puts a current repeat on the patient's list, or updates the item the same
/// resource made before. What is decided here stays: whether it can be
/// ordered online, a clinician's hiding, the review date, the last issue;
/// issues issued never go down (a stale export must not let a patient order
/// early). A restriction from the clinical system always hides it.
pub(super) async fn keep_repeat(
    tx: &mut Tx,
    (practice, patient): (PracticeId, PatientId),
    entry: &NewEntry,
    terms: &RepeatTerms,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let owner: Option<i64> =
        query_scalar("SELECT patient_id FROM repeat_item WHERE practice_id = $1 AND source_id = $2")
            .bind(practice.0)
            .bind(&entry.source_id)
            .fetch_optional(&mut *tx)
            .await?;
    if owner.is_some_and(|owner| owner != patient.0) {
        return Err(StoreError::Rule("A repeat medicine in this file belongs to another patient."));
    }
    query(
        "INSERT INTO repeat_item (practice_id, patient_id, source_id, medicine, form, strength, dosage, quantity, \
         unit, days_of_supply, issues_authorised, issues_issued, authorised_until, hidden, hidden_reason, hidden_at) \
         VALUES ($1, $2, $3, $4, '', '', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT (practice_id, source_id) DO UPDATE SET medicine = excluded.medicine, form = '', strength = '', \
         dosage = excluded.dosage, quantity = excluded.quantity, unit = excluded.unit, \
         days_of_supply = excluded.days_of_supply, issues_authorised = excluded.issues_authorised, \
         issues_issued = CASE WHEN excluded.issues_issued > repeat_item.issues_issued \
           THEN excluded.issues_issued ELSE repeat_item.issues_issued END, \
         authorised_until = excluded.authorised_until, ended_at = NULL, \
         hidden = CASE WHEN excluded.hidden THEN excluded.hidden \
           WHEN repeat_item.hidden_by IS NOT NULL THEN repeat_item.hidden ELSE excluded.hidden END, \
         hidden_reason = CASE WHEN excluded.hidden THEN excluded.hidden_reason \
           WHEN repeat_item.hidden_by IS NOT NULL THEN repeat_item.hidden_reason ELSE excluded.hidden_reason END, \
         hidden_at = CASE WHEN excluded.hidden THEN excluded.hidden_at \
           WHEN repeat_item.hidden_by IS NOT NULL THEN repeat_item.hidden_at ELSE excluded.hidden_at END",
    )
    .bind(practice.0)
    .bind(patient.0)
    .bind(&entry.source_id)
    .bind(&entry.display)
    .bind(&terms.dosage)
    .bind(terms.quantity)
    .bind(&terms.unit)
    .bind(terms.days_of_supply)
    .bind(terms.issues_authorised)
    .bind(terms.issues_issued)
    .bind(terms.authorised_until)
    .bind(entry.restricted)
    .bind(entry.restricted.then_some(RESTRICTED_REASON))
    .bind(entry.restricted.then_some(Timestamp(at)))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A medicine that is no longer a current repeat in the clinical system
/// (stopped, completed, or now acute) leaves the patient's repeat list.
pub(super) async fn end_repeat(
    tx: &mut Tx,
    (practice, patient): (PracticeId, PatientId),
    entry: &NewEntry,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    if entry.kind != EntryKind::Medication {
        return Ok(());
    }
    query(
        "UPDATE repeat_item SET ended_at = $4 \
         WHERE practice_id = $1 AND patient_id = $2 AND source_id = $3 AND ended_at IS NULL",
    )
    .bind(practice.0)
    .bind(patient.0)
    .bind(&entry.source_id)
    .bind(Timestamp(at))
    .execute(&mut *tx)
    .await?;
    Ok(())
}
