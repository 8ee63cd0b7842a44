//! Offers of online access made at the desk, and the patients staff should
//! consider offering it to: registered, with no login or online account, and
//! not offered it (and declined) in the last 12 months.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query_as, query_scalar};
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, Utc};
use domain::{LoginId, PatientId, PracticeId};

/// A patient to consider offering online access to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PatientToConsider {
    pub id: i64,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub identifier_kind: String,
    pub identifier: String,
    /// Their last recorded offer, older than 12 months (or none).
    pub last_offered_at: Option<Timestamp>,
}

/// One page of the list, and how many there are in all.
#[derive(Debug, Clone)]
pub struct PatientsToConsider {
    pub patients: Vec<PatientToConsider>,
    pub total: i64,
}

/// Registered patients of practice `$1` with no login, no online account and
/// no offer recorded after `$2`.
const TO_CONSIDER: &str = "FROM patient p WHERE p.practice_id = $1 AND p.registration_status = 'registered' \
    AND NOT EXISTS (SELECT 1 FROM login l WHERE l.patient_id = p.id) \
    AND NOT EXISTS (SELECT 1 FROM online_account oa WHERE oa.patient_id = p.id) \
    AND NOT EXISTS (SELECT 1 FROM access_offer o WHERE o.practice_id = p.practice_id AND o.patient_id = p.id \
        AND o.recorded_at > $2)";

impl Store {
    /// The practice's patients to consider offering online access to, by
    /// family then given name: `limit` of them from `offset`, and the total.
    pub async fn patients_to_consider(
        &self,
        practice: PracticeId,
        now: DateTime<Utc>,
        limit: i64,
        offset: i64,
    ) -> StoreResult<PatientsToConsider> {
        let since = Timestamp(now - domain::online_account::declined_offer_lasts());
        let list_sql = format!(
            "SELECT p.id, p.given_name, p.family_name, p.date_of_birth, p.identifier_kind, p.identifier, \
             (SELECT MAX(o.recorded_at) FROM access_offer o WHERE o.practice_id = p.practice_id AND o.patient_id = p.id) \
             AS last_offered_at {TO_CONSIDER} ORDER BY p.family_name, p.given_name, p.id LIMIT $3 OFFSET $4"
        );
        let count_sql = format!("SELECT COUNT(*) {TO_CONSIDER}");
        let mut db = self.reader().await?;
        let patients =
            query_as(&list_sql).bind(practice.0).bind(since).bind(limit).bind(offset).fetch_all(&mut db).await?;
        let total = query_scalar(&count_sql).bind(practice.0).bind(since).fetch_one(&mut db).await?;
        Ok(PatientsToConsider { patients, total })
    }

    /// Records that the patient was offered online access and declined, with
    /// its audit record, in one transaction. A patient of another practice
    /// (or none) is `NotFound`, and nothing is recorded.
    #[tracing::instrument(skip_all, fields(practice = practice.0, patient = patient.0, by = by.0))]
    pub async fn record_offer_declined(
        &self,
        practice: PracticeId,
        patient: PatientId,
        by: LoginId,
        audit: &NewAudit,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        let found: Option<i64> = query_scalar("SELECT id FROM patient WHERE id = $1 AND practice_id = $2")
            .bind(patient.0)
            .bind(practice.0)
            .fetch_optional(&mut tx)
            .await?;
        found.ok_or(StoreError::NotFound)?;
        let id: i64 = query_scalar(
            "INSERT INTO access_offer (practice_id, patient_id, outcome, recorded_by, recorded_at) \
             VALUES ($1, $2, 'declined', $3, $4) RETURNING id",
        )
        .bind(practice.0)
        .bind(patient.0)
        .bind(by.0)
        .bind(Timestamp(now))
        .fetch_one(&mut tx)
        .await?;
        append_audit(&mut tx, &audit.clone().on("access_offer", id)).await?;
        tx.commit().await?;
        Ok(id)
    }
}
