//! The patient register.

use crate::audit::append_audit;
use crate::db::{query, query_as, query_scalar, Tx};
use crate::events::append_event;
use crate::sessions::disable_login;
use crate::{Store, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, Utc};
use domain::{LoginId, PatientId, PatientIdentifier, PracticeId};

/// A patient to add to a practice's register.
#[derive(Debug, Clone)]
pub struct NewPatient {
    pub identifier: PatientIdentifier,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: &'static str,
    pub address: String,
    pub postcode: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub registered_on: Option<NaiveDate>,
}

/// A patient's name, date of birth, sex and address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demographics {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: &'static str,
    pub address: String,
    pub postcode: String,
}

/// A patient as staff see them, with their online account if they have one.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PatientRow {
    pub id: i64,
    pub practice_id: i64,
    pub identifier_kind: String,
    pub identifier: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: String,
    pub address: String,
    pub postcode: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub contact_by_email: bool,
    pub contact_by_sms: bool,
    pub registration_status: String,
    pub registered_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
    pub deceased_on: Option<NaiveDate>,
    pub login_id: Option<i64>,
    pub login_email: Option<String>,
    pub login_disabled: Option<bool>,
    pub login_created_at: Option<Timestamp>,
}

const PATIENT_COLUMNS: &str = "p.id, p.practice_id, p.identifier_kind, p.identifier, p.given_name, p.family_name, \
    p.date_of_birth, p.sex, p.address, p.postcode, p.email, p.mobile, p.contact_by_email, p.contact_by_sms, \
    p.registration_status, p.registered_on, p.left_on, p.deceased_on, \
    l.id AS login_id, l.email AS login_email, \
    CASE WHEN l.id IS NULL THEN NULL ELSE (l.disabled_at IS NOT NULL) END AS login_disabled, \
    l.created_at AS login_created_at \
    FROM patient p LEFT JOIN login l ON l.patient_id = p.id AND l.practice_id = p.practice_id";

const INSERT_PATIENT: &str = "INSERT INTO patient (practice_id, identifier_kind, identifier, given_name, \
    family_name, date_of_birth, sex, address, postcode, email, mobile, registered_on, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

/// Runs `sql` (an insert of one [`NewPatient`]) inside a transaction;
/// returns how many rows it added.
async fn insert_patient(
    tx: &mut Tx,
    sql: &str,
    practice: PracticeId,
    patient: &NewPatient,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let done = query(sql)
        .bind(practice.0)
        .bind(patient.identifier.kind().as_str())
        .bind(patient.identifier.as_str())
        .bind(&patient.given_name)
        .bind(&patient.family_name)
        .bind(patient.date_of_birth)
        .bind(patient.sex)
        .bind(&patient.address)
        .bind(&patient.postcode)
        .bind(&patient.email)
        .bind(&patient.mobile)
        .bind(patient.registered_on)
        .bind(Timestamp(now))
        .execute(tx)
        .await?;
    Ok(done.rows_affected())
}

/// How to reach a patient, as the practice records it.
#[derive(Debug, Clone, Copy)]
pub struct ContactDetails<'a> {
    pub email: Option<&'a str>,
    pub mobile: Option<&'a str>,
    pub by_email: bool,
    pub by_sms: bool,
}

/// What staff search the register by: a name (any part, any case), a date of
/// birth, or an identifier's digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatientSearch {
    Name(String),
    DateOfBirth(NaiveDate),
    Identifier(String),
}

/// A change to a patient's registration.
#[derive(Debug, Clone)]
pub struct StatusChange<'a> {
    pub practice: PracticeId,
    pub patient: PatientId,
    pub status: domain::services::RegistrationStatus,
    /// The day they left or died (or registered again).
    pub on: NaiveDate,
    pub audit: &'a crate::audit::NewAudit,
    pub now: DateTime<Utc>,
}

impl Store {
    /// Records that a patient left, died or registered again. Leaving or dying
    /// disables their online account, ends its sessions and sign-ins in
    /// progress, and stops email still waiting to be sent to them, all in one
    /// transaction with the audit record. Their future appointments are
    /// cancelled, without an email.
    #[tracing::instrument(skip_all, fields(practice = change.practice.0, patient = change.patient.0))]
    pub async fn change_registration_status(&self, change: &StatusChange<'_>) -> StoreResult<()> {
        use domain::services::RegistrationStatus;
        let now = change.now;
        let mut tx = self.begin().await?;
        // After any booking for them in progress, so none lands after this.
        tx.lock(format!("bookings-of-patient-{}", change.patient.0)).await?;
        let (left_on, deceased_on) = match change.status {
            RegistrationStatus::Registered => (None, None),
            RegistrationStatus::Left => (Some(change.on), None),
            RegistrationStatus::Deceased => (None, Some(change.on)),
        };
        query(
            "UPDATE patient SET registration_status = $1, left_on = $2, deceased_on = $3, \
             registered_on = CASE WHEN $1 = 'registered' THEN $4 ELSE registered_on END \
             WHERE id = $5 AND practice_id = $6",
        )
        .bind(change.status.as_str())
        .bind(left_on)
        .bind(deceased_on)
        .bind(change.on)
        .bind(change.patient.0)
        .bind(change.practice.0)
        .execute(&mut tx)
        .await?
        .one()?;
        if change.status != RegistrationStatus::Registered {
            let login: Option<(i64, String)> =
                query_as("SELECT id, email FROM login WHERE patient_id = $1 AND practice_id = $2")
                    .bind(change.patient.0)
                    .bind(change.practice.0)
                    .fetch_optional(&mut tx)
                    .await?;
            if let Some((login, _)) = &login {
                disable_login(&mut tx, LoginId(*login), now).await?;
            }
            // The account closes too, with any letter not yet used: it
            // must not read "Active", nor be switched back on.
            query(
                "UPDATE online_account SET status = 'disabled', disabled_reason = $1, linkage_key = NULL, \
                 key_expires_at = NULL WHERE patient_id = $2 AND practice_id = $3 AND status <> 'disabled'",
            )
            .bind(domain::online_account::closed_reason(change.status))
            .bind(change.patient.0)
            .bind(change.practice.0)
            .execute(&mut tx)
            .await?;
            // Their future appointments go back into the pool.
            let freed = query(
                "UPDATE appointment SET status = 'cancelled', cancelled_at = $1, \
                 cancel_reason = 'The patient is no longer registered' \
                 WHERE patient_id = $2 AND practice_id = $3 AND status = 'booked' \
                 AND slot_id IN (SELECT id FROM slot WHERE starts_at > $1)",
            )
            .bind(Timestamp(now))
            .bind(change.patient.0)
            .bind(change.practice.0)
            .execute(&mut tx)
            .await?
            .rows_affected();
            if freed > 0 {
                append_event(&mut tx, change.practice, domain::live::SlotChange::Freed, None, now).await?;
            }
            // Sessions of anyone acting for them end too.
            query("DELETE FROM session WHERE acting_for_patient_id = $1")
                .bind(change.patient.0)
                .execute(&mut tx)
                .await?;
            // Only the login's address: it is theirs alone, unlike a
            // register email a family may share.
            if let Some((_, address)) = login {
                query(
                    "UPDATE outbox SET abandoned_at = $1, last_error = 'not sent: the patient is no longer registered' \
                     WHERE practice_id = $2 AND lower(to_address) = lower($3) AND sent_at IS NULL AND abandoned_at IS NULL",
                )
                .bind(Timestamp(now))
                .bind(change.practice.0)
                .bind(&address)
                .execute(&mut tx)
                .await?;
            }
        }
        append_audit(&mut tx, change.audit).await?;
        tx.commit().await?;
        self.ring_event_bell();
        Ok(())
    }

    /// Adds each patient not already registered at the practice (matched by
    /// identifier); returns how many were added.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn ensure_patients(
        &self,
        practice: PracticeId,
        patients: &[NewPatient],
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let ensure_sql = format!("{INSERT_PATIENT} ON CONFLICT (practice_id, identifier) DO NOTHING");
        let mut tx = self.begin().await?;
        let mut added = 0;
        for p in patients {
            added += insert_patient(&mut tx, &ensure_sql, practice, p, now).await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// The identifiers already on the practice's register.
    pub async fn registered_identifiers(&self, practice: PracticeId) -> StoreResult<std::collections::HashSet<String>> {
        let all: Vec<String> = query_scalar("SELECT identifier FROM patient WHERE practice_id = $1")
            .bind(practice.0)
            .fetch_all(&mut self.reader().await?)
            .await?;
        Ok(all.into_iter().collect())
    }

    /// Adds every patient of an import, or none: one transaction. A patient
    /// already registered refuses the whole import (a conflict on
    /// `patient.identifier`). Returns how many were added.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn import_patients(
        &self,
        practice: PracticeId,
        patients: &[NewPatient],
        audit: &crate::audit::NewAudit,
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        for p in patients {
            insert_patient(&mut tx, INSERT_PATIENT, practice, p, now).await?;
        }
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(patients.len() as u64)
    }

    /// Changes a patient's email, mobile and contact preferences, recorded in
    /// the same transaction.
    #[tracing::instrument(skip_all, fields(practice = practice.0, patient = patient.0))]
    pub async fn change_contact_details(
        &self,
        practice: PracticeId,
        patient: PatientId,
        contact: &ContactDetails<'_>,
        audit: &crate::audit::NewAudit,
    ) -> StoreResult<()> {
        let ContactDetails { email, mobile, by_email, by_sms } = *contact;
        let mut tx = self.begin().await?;
        query(
            "UPDATE patient SET email = $1, mobile = $2, contact_by_email = $3, contact_by_sms = $4 \
             WHERE id = $5 AND practice_id = $6",
        )
        .bind(email)
        .bind(mobile)
        .bind(by_email)
        .bind(by_sms)
        .bind(patient.0)
        .bind(practice.0)
        .execute(&mut tx)
        .await?
        .one()?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes a patient's name, date of birth, sex and address, recorded in
    /// the same transaction.
    #[tracing::instrument(skip_all, fields(practice = practice.0, patient = patient.0))]
    pub async fn change_demographics(
        &self,
        practice: PracticeId,
        patient: PatientId,
        details: &Demographics,
        audit: &crate::audit::NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query(
            "UPDATE patient SET given_name = $1, family_name = $2, date_of_birth = $3, sex = $4, address = $5, \
             postcode = $6 WHERE id = $7 AND practice_id = $8",
        )
        .bind(&details.given_name)
        .bind(&details.family_name)
        .bind(details.date_of_birth)
        .bind(details.sex)
        .bind(&details.address)
        .bind(&details.postcode)
        .bind(patient.0)
        .bind(practice.0)
        .execute(&mut tx)
        .await?
        .one()?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn count_patients(&self, practice: PracticeId) -> StoreResult<i64> {
        query_scalar("SELECT COUNT(*) FROM patient WHERE practice_id = $1")
            .bind(practice.0)
            .fetch_one(&mut self.reader().await?)
            .await
    }

    /// Patients of the practice matching the search, by family then given name.
    pub async fn search_patients(
        &self,
        practice: PracticeId,
        search: &PatientSearch,
        limit: i64,
    ) -> StoreResult<Vec<PatientRow>> {
        let order = "ORDER BY p.family_name, p.given_name, p.id LIMIT $3";
        match search {
            PatientSearch::Name(text) => {
                let sql = format!(
                    "SELECT {PATIENT_COLUMNS} WHERE p.practice_id = $1 \
                     AND lower(p.given_name || ' ' || p.family_name) LIKE $2 ESCAPE '\\' {order}"
                );
                let pattern = format!("%{}%", crate::practices::escape_like(&text.to_lowercase()));
                query_as(&sql).bind(practice.0).bind(&pattern).bind(limit).fetch_all(&mut self.reader().await?).await
            }
            PatientSearch::DateOfBirth(date) => {
                let sql = format!("SELECT {PATIENT_COLUMNS} WHERE p.practice_id = $1 AND p.date_of_birth = $2 {order}");
                query_as(&sql).bind(practice.0).bind(date).bind(limit).fetch_all(&mut self.reader().await?).await
            }
            PatientSearch::Identifier(digits) => {
                let sql = format!("SELECT {PATIENT_COLUMNS} WHERE p.practice_id = $1 AND p.identifier = $2 {order}");
                query_as(&sql).bind(practice.0).bind(digits).bind(limit).fetch_all(&mut self.reader().await?).await
            }
        }
    }

    /// One patient of the practice.
    pub async fn patient(&self, practice: PracticeId, patient: PatientId) -> StoreResult<Option<PatientRow>> {
        let sql = format!("SELECT {PATIENT_COLUMNS} WHERE p.practice_id = $1 AND p.id = $2");
        query_as(&sql).bind(practice.0).bind(patient.0).fetch_optional(&mut self.reader().await?).await
    }
}
