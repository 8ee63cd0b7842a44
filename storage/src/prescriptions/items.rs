//! A patient's repeat medicines, kept by clinicians (or imported from the
//! clinical system), and the patient's ordering settings.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar, Tx};
use crate::{Store, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, Utc};
use domain::prescriptions::ItemFacts;
use domain::{PatientId, PracticeId};

/// A repeat item as stored. `hidden` ones never reach the patient; the
/// reasons are for staff only.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RepeatItemRow {
    pub id: i64,
    pub patient_id: i64,
    pub medicine: String,
    pub form: String,
    pub strength: String,
    pub dosage: String,
    pub quantity: i32,
    pub unit: String,
    pub days_of_supply: i32,
    pub issues_authorised: Option<i32>,
    pub issues_issued: i32,
    pub last_issued_on: Option<NaiveDate>,
    pub review_on: Option<NaiveDate>,
    pub authorised_until: Option<NaiveDate>,
    pub orderable_online: bool,
    pub not_orderable_reason: Option<String>,
    pub hidden: bool,
    pub hidden_reason: Option<String>,
    /// The day of an open request it is in, if any.
    pub requested_on: Option<Timestamp>,
}

impl RepeatItemRow {
    /// What the ordering rules need to know about it.
    pub fn facts(&self) -> ItemFacts {
        ItemFacts {
            orderable_online: self.orderable_online,
            hidden: self.hidden,
            issues_authorised: self.issues_authorised.map(|n| n as u32),
            issues_issued: self.issues_issued as u32,
            last_issued: self.last_issued_on,
            days_of_supply: self.days_of_supply as u32,
            review_date: self.review_on,
            authorisation_end: self.authorised_until,
            in_open_request: self.requested_on.map(|at| domain::prescriptions::london_today(at.0)),
        }
    }

    /// "Amlodipine 5mg tablets"
    pub fn name(&self) -> String {
        medicine_name(&self.medicine, &self.strength, &self.form)
    }
}

/// A medicine as people read it: "Amlodipine 5mg tablets". An imported
/// medicine has its strength and form in its name already.
pub(super) fn medicine_name(medicine: &str, strength: &str, form: &str) -> String {
    [medicine, strength, form].into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A repeat item to add.
#[derive(Debug, Clone)]
pub struct NewRepeatItem<'a> {
    pub practice: PracticeId,
    pub patient: PatientId,
    pub source_id: Option<&'a str>,
    pub medicine: &'a str,
    pub form: &'a str,
    pub strength: &'a str,
    pub dosage: &'a str,
    pub quantity: i32,
    pub unit: &'a str,
    pub days_of_supply: i32,
    pub issues_authorised: Option<i32>,
    pub issues_issued: i32,
    pub last_issued_on: Option<NaiveDate>,
    pub review_on: Option<NaiveDate>,
    pub authorised_until: Option<NaiveDate>,
    pub orderable_online: bool,
    pub not_orderable_reason: Option<&'a str>,
    pub hidden_reason: Option<&'a str>,
}

/// Items with the day of any open request they are in.
pub(super) const ITEM_SELECT: &str = "SELECT i.id, i.patient_id, i.medicine, i.form, i.strength, i.dosage, \
    i.quantity, i.unit, i.days_of_supply, i.issues_authorised, i.issues_issued, i.last_issued_on, i.review_on, \
    i.authorised_until, i.orderable_online, i.not_orderable_reason, i.hidden, i.hidden_reason, \
    (SELECT MAX(r.requested_at) FROM prescription_request_item ri \
       JOIN prescription_request r ON r.id = ri.request_id \
      WHERE ri.repeat_item_id = i.id AND ri.status IN ('requested', 'in_review', 'approved', 'changed')) AS requested_on \
    FROM repeat_item i";

/// A patient's ordering settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PatientPrescribing {
    pub ordering_allowed: bool,
    /// For staff only.
    pub ordering_off_reason: Option<String>,
    pub pharmacy: Option<String>,
}

/// Makes `pharmacy` the patient's nominated pharmacy (none: they collect
/// from the practice), keeping whether they may order online.
pub(super) async fn nominate_pharmacy(
    tx: &mut Tx,
    practice: PracticeId,
    patient: PatientId,
    pharmacy: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    query(
        "INSERT INTO patient_prescribing (patient_id, practice_id, ordering_allowed, pharmacy, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (patient_id) DO UPDATE SET pharmacy = excluded.pharmacy, \
         updated_at = excluded.updated_at",
    )
    .bind(patient.0)
    .bind(practice.0)
    .bind(true)
    .bind(pharmacy)
    .bind(Timestamp(now))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

impl Store {
    /// Adds a repeat item (from the clinical system, or the demo).
    pub async fn add_repeat_item(&self, new: &NewRepeatItem<'_>, audit: &NewAudit) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        let id: i64 = query_scalar(
            "INSERT INTO repeat_item (practice_id, patient_id, source_id, medicine, form, strength, dosage, \
             quantity, unit, days_of_supply, issues_authorised, issues_issued, last_issued_on, review_on, \
             authorised_until, orderable_online, not_orderable_reason, hidden, hidden_reason, hidden_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) \
             RETURNING id",
        )
        .bind(new.practice.0)
        .bind(new.patient.0)
        .bind(new.source_id)
        .bind(new.medicine)
        .bind(new.form)
        .bind(new.strength)
        .bind(new.dosage)
        .bind(new.quantity)
        .bind(new.unit)
        .bind(new.days_of_supply)
        .bind(new.issues_authorised)
        .bind(new.issues_issued)
        .bind(new.last_issued_on)
        .bind(new.review_on)
        .bind(new.authorised_until)
        .bind(new.orderable_online)
        .bind(new.not_orderable_reason)
        .bind(new.hidden_reason.is_some())
        .bind(new.hidden_reason)
        .bind(new.hidden_reason.map(|_| Timestamp(audit.at)))
        .fetch_one(&mut tx)
        .await?;
        append_audit(&mut tx, &audit.clone().on("repeat_item", id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A patient's current repeat items, hidden ones included (callers for
    /// patients filter them out through the rules), by name.
    pub async fn repeat_items(&self, practice: PracticeId, patient: PatientId) -> StoreResult<Vec<RepeatItemRow>> {
        query_as(format!(
            "{ITEM_SELECT} WHERE i.practice_id = $1 AND i.patient_id = $2 AND i.ended_at IS NULL \
             ORDER BY i.medicine, i.id"
        ))
        .bind(practice.0)
        .bind(patient.0)
        .fetch_all(&mut self.reader().await?)
        .await
    }

    /// A patient's ordering settings: allowed, with no pharmacy, until set.
    pub async fn patient_prescribing(
        &self,
        practice: PracticeId,
        patient: PatientId,
    ) -> StoreResult<PatientPrescribing> {
        let stored: Option<(bool, Option<String>, Option<String>)> = query_as(
            "SELECT ordering_allowed, ordering_off_reason, pharmacy FROM patient_prescribing \
             WHERE practice_id = $1 AND patient_id = $2",
        )
        .bind(practice.0)
        .bind(patient.0)
        .fetch_optional(&mut self.reader().await?)
        .await?;
        Ok(match stored {
            Some((ordering_allowed, ordering_off_reason, pharmacy)) => {
                PatientPrescribing { ordering_allowed, ordering_off_reason, pharmacy }
            }
            None => PatientPrescribing { ordering_allowed: true, ..Default::default() },
        })
    }

    /// Allows a patient to order online, or stops them with a reason for
    /// staff; their nominated pharmacy stays as it is.
    pub async fn set_online_ordering(
        &self,
        practice: PracticeId,
        patient: PatientId,
        allowed: bool,
        reason: Option<&str>,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query(
            "INSERT INTO patient_prescribing (patient_id, practice_id, ordering_allowed, ordering_off_reason, \
             updated_at) SELECT id, practice_id, $3, $4, $5 FROM patient WHERE id = $1 AND practice_id = $2 \
             ON CONFLICT (patient_id) DO UPDATE SET ordering_allowed = excluded.ordering_allowed, \
             ordering_off_reason = excluded.ordering_off_reason, updated_at = excluded.updated_at",
        )
        .bind(patient.0)
        .bind(practice.0)
        .bind(allowed)
        .bind(reason)
        .bind(Timestamp(audit.at))
        .execute(&mut tx)
        .await?
        .one()?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await
    }
}
