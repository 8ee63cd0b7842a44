//! Online accounts issued by the practice: registration letters, and the
//! patient's activation with the letter's details.
//!
//! Issuing a letter for a patient who already has a login is a reset: the
//! login is disabled and its sessions end until the patient activates the new
//! letter. Activation spends the key with a guarded update, so of two
//! activations at once exactly one succeeds.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar, Tx};
use crate::logins::{insert_login, login_with_email, NewLogin};
use crate::outbox::{enqueue_mail, NewMail};
use crate::sessions::disable_login;
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, Utc};
use domain::online_account::{AccountRef, AccountStatus, IdentityRecord, LinkageKey};
use domain::{Email, LoginId, OdsCode, PatientId, PracticeId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OnlineAccountRow {
    pub id: i64,
    pub patient_id: i64,
    pub account_ref: String,
    pub status: String,
    pub login_id: Option<i64>,
    pub linkage_key: Option<String>,
    pub key_expires_at: Option<Timestamp>,
    pub identity_check: String,
    pub identity_note: String,
    pub checked_by_name: Option<String>,
    pub checked_at: Timestamp,
    pub activated_at: Option<Timestamp>,
    pub disabled_reason: Option<String>,
}

impl OnlineAccountRow {
    pub fn status(&self) -> AccountStatus {
        AccountStatus::parse(&self.status).unwrap_or(AccountStatus::Disabled)
    }

    /// The letter's key, while it can still be used.
    pub fn usable_key(&self, now: DateTime<Utc>) -> Option<(&str, DateTime<Utc>)> {
        match (&self.linkage_key, self.key_expires_at) {
            (Some(key), Some(expires)) if expires.0 > now => Some((key.as_str(), expires.0)),
            _ => None,
        }
    }
}

const ACCOUNT_SELECT: &str = "SELECT oa.id, oa.patient_id, oa.account_ref, oa.status, oa.login_id, oa.linkage_key, \
    oa.key_expires_at, oa.identity_check, oa.identity_note, l.display_name AS checked_by_name, oa.checked_at, \
    oa.activated_at, oa.disabled_reason FROM online_account oa LEFT JOIN login l ON l.id = oa.checked_by";

/// Issues a registration letter inside a transaction: a new online account,
/// or a new linkage key for the patient's account. Returns the account's id.
pub(crate) async fn issue_letter(tx: &mut Tx, letter: &NewLetter<'_>) -> StoreResult<i64> {
    let patient: Option<(String, Option<i64>)> = query_as(
        "SELECT p.registration_status, lg.id FROM patient p LEFT JOIN login lg ON lg.patient_id = p.id \
         WHERE p.id = $1 AND p.practice_id = $2",
    )
    .bind(letter.patient.0)
    .bind(letter.practice.0)
    .fetch_optional(&mut *tx)
    .await?;
    let (status, login) = patient.ok_or(crate::StoreError::NotFound)?;
    if status != "registered" {
        return Err(crate::StoreError::Rule("Only patients registered at the practice can have an online account."));
    }
    let existing: Option<(i64,)> = query_as("SELECT id FROM online_account WHERE patient_id = $1 AND practice_id = $2")
        .bind(letter.patient.0)
        .bind(letter.practice.0)
        .fetch_optional(&mut *tx)
        .await?;
    let id = match existing {
        Some((id,)) => {
            query(
                "UPDATE online_account SET status = 'pending', linkage_key = $1, key_expires_at = $2, \
                 identity_check = $3, identity_note = $4, checked_by = $5, checked_at = $6, login_id = $7 \
                 WHERE id = $8",
            )
            .bind(letter.key.as_str())
            .bind(crate::Timestamp(letter.expires_at))
            .bind(letter.identity.check.as_str())
            .bind(&letter.identity.note)
            .bind(letter.by.0)
            .bind(crate::Timestamp(letter.now))
            .bind(login)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            id
        }
        None => {
            query_scalar(
                "INSERT INTO online_account (practice_id, patient_id, account_ref, status, login_id, \
                 linkage_key, key_expires_at, identity_check, identity_note, checked_by, checked_at, created_at) \
                 VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
            )
            .bind(letter.practice.0)
            .bind(letter.patient.0)
            .bind(letter.account_ref.as_str())
            .bind(login)
            .bind(letter.key.as_str())
            .bind(crate::Timestamp(letter.expires_at))
            .bind(letter.identity.check.as_str())
            .bind(&letter.identity.note)
            .bind(letter.by.0)
            .bind(crate::Timestamp(letter.now))
            .fetch_one(&mut *tx)
            .await?
        }
    };
    // A reset: the old sign-in stops working until the new letter is used.
    if let Some(login) = login {
        disable_login(tx, LoginId(login), letter.now).await?;
    }
    Ok(id)
}

/// A registration letter to issue (or issue again).
pub struct NewLetter<'a> {
    pub practice: PracticeId,
    pub patient: PatientId,
    /// Used when the patient has no account yet; a reset keeps the old ID.
    pub account_ref: &'a AccountRef,
    pub key: &'a LinkageKey,
    pub expires_at: DateTime<Utc>,
    pub identity: &'a IdentityRecord,
    pub by: LoginId,
    pub audit: &'a NewAudit,
    pub now: DateTime<Utc>,
}

/// The details a patient types from their letter, and what they choose.
pub struct Activation<'a> {
    pub ods_code: &'a OdsCode,
    pub account_ref: &'a AccountRef,
    pub key: &'a LinkageKey,
    pub date_of_birth: NaiveDate,
    pub email: &'a Email,
    pub password_hash: &'a str,
    pub audit: &'a NewAudit,
    pub now: DateTime<Utc>,
}

/// Why an activation did not happen. `NoMatch` covers every wrong detail
/// alike, so the answer never tells which one was wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivationRefused {
    NoMatch,
    EmailInUse,
}

/// Compares in time that does not depend on where the first difference is.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

impl Store {
    /// The patient's online account, if the practice has issued one.
    pub async fn online_account(
        &self,
        practice: PracticeId,
        patient: PatientId,
    ) -> StoreResult<Option<OnlineAccountRow>> {
        let mut db = self.reader().await?;
        query_as(format!("{ACCOUNT_SELECT} WHERE oa.practice_id = $1 AND oa.patient_id = $2"))
            .bind(practice.0)
            .bind(patient.0)
            .fetch_optional(&mut db)
            .await
    }

    /// Issues a registration letter: a new account waiting for activation, or
    /// for a patient who has one, a reset (new key; their login is disabled and
    /// signed out everywhere until they activate the new letter). Only
    /// registered patients get one. Refuses an account ID already used at the
    /// practice with a conflict on `online_account_ref_key` (pick another).
    #[tracing::instrument(skip_all, fields(practice = letter.practice.0, patient = letter.patient.0))]
    pub async fn issue_letter(&self, letter: &NewLetter<'_>) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        let id = issue_letter(&mut tx, letter).await?;
        append_audit(&mut tx, &letter.audit.clone().on("online_account", id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Activates an account from its letter's details: the key is spent, and
    /// the patient's login is created (or, after a reset, given the new email
    /// and password and enabled). Any wrong, expired or spent detail answers
    /// `NoMatch`, and nothing changes.
    #[tracing::instrument(skip_all)]
    pub async fn activate_account(
        &self,
        activation: &Activation<'_>,
    ) -> StoreResult<Result<(PracticeId, LoginId), ActivationRefused>> {
        match self.activate(activation).await {
            // Someone took the email between the check and the write.
            Err(e) if e.is_conflict_on("login", "email") => Ok(Err(ActivationRefused::EmailInUse)),
            other => other,
        }
    }

    /// Activation's transaction. A refusal changes nothing: nothing is
    /// written before the last check.
    async fn activate(&self, a: &Activation<'_>) -> StoreResult<Result<(PracticeId, LoginId), ActivationRefused>> {
        let mut tx = self.begin().await?;
        type Found = (i64, i64, i64, Option<i64>, Option<String>, Option<Timestamp>, String, NaiveDate, String, String);
        let found: Option<Found> = query_as(
            "SELECT oa.id, oa.practice_id, oa.patient_id, oa.login_id, oa.linkage_key, oa.key_expires_at, oa.status, \
             p.date_of_birth, p.registration_status, p.given_name || ' ' || p.family_name \
             FROM online_account oa JOIN practice pr ON pr.id = oa.practice_id JOIN patient p ON p.id = oa.patient_id \
             WHERE pr.ods_code = $1 AND oa.account_ref = $2",
        )
        .bind(a.ods_code.as_str())
        .bind(a.account_ref.as_str())
        .fetch_optional(&mut tx)
        .await?;
        let Some((id, practice, patient, login, key, expires, status, dob, registration, name)) = found else {
            return Ok(Err(ActivationRefused::NoMatch));
        };
        let matches = key.as_deref().is_some_and(|key| same_secret(key, a.key.as_str()))
            & expires.is_some_and(|e| e.0 > a.now)
            & (status == "pending")
            & (dob == a.date_of_birth)
            & (registration == "registered");
        if !matches {
            return Ok(Err(ActivationRefused::NoMatch));
        }
        let taken = login_with_email(&mut tx, a.email.as_str()).await?;
        if taken.is_some_and(|other| Some(other.0) != login) {
            return Ok(Err(ActivationRefused::EmailInUse));
        }
        // Spend the key. A second activation racing this one finds it gone.
        let spent = query(
            "UPDATE online_account SET linkage_key = NULL, key_expires_at = NULL, status = 'active', activated_at = $1 \
             WHERE id = $2 AND status = 'pending' AND linkage_key = $3",
        )
        .bind(Timestamp(a.now))
        .bind(id)
        .bind(a.key.as_str())
        .execute(&mut tx)
        .await?
        .rows_affected();
        if spent != 1 {
            return Ok(Err(ActivationRefused::NoMatch));
        }
        let login = match login {
            Some(login) => {
                query(
                    "UPDATE login SET email = $1, password_hash = $2, disabled_at = NULL, display_name = $3 WHERE id = $4",
                )
                .bind(a.email.as_str())
                .bind(a.password_hash)
                .bind(&name)
                .bind(login)
                .execute(&mut tx)
                .await?;
                login
            }
            None => {
                let new = NewLogin {
                    practice: PracticeId(practice),
                    email: a.email.as_str(),
                    password_hash: Some(a.password_hash),
                    display_name: &name,
                    patient: Some(patient),
                    now: a.now,
                };
                insert_login(&mut tx, &new).await?.0
            }
        };
        query("UPDATE online_account SET login_id = $1 WHERE id = $2").bind(login).bind(id).execute(&mut tx).await?;
        let audit = NewAudit {
            practice: Some(PracticeId(practice)),
            actor_login: Some(LoginId(login)),
            acting_for: Some(PatientId(patient)),
            ..a.audit.clone()
        };
        append_audit(&mut tx, &audit.on("online_account", id)).await?;
        tx.commit().await?;
        Ok(Ok((PracticeId(practice), LoginId(login))))
    }

    /// Switches a patient's online access off: their login is disabled and
    /// signed out everywhere, an unused letter stops working, and the patient
    /// is emailed (by `mail`, given their address) how to get help. The
    /// reason stays with the practice.
    #[tracing::instrument(skip_all, fields(practice = practice.0, patient = patient.0))]
    pub async fn disable_account(
        &self,
        practice: PracticeId,
        patient: PatientId,
        reason: &str,
        mail: &(dyn Fn(&str) -> NewMail + Send + Sync),
        audit: &NewAudit,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let login: Option<(i64, String)> = query_as(
            "SELECT l.id, l.email FROM login l JOIN patient p ON p.id = l.patient_id \
             WHERE p.id = $1 AND p.practice_id = $2 AND l.disabled_at IS NULL",
        )
        .bind(patient.0)
        .bind(practice.0)
        .fetch_optional(&mut tx)
        .await?;
        let account = query(
            "UPDATE online_account SET status = 'disabled', disabled_reason = $1, linkage_key = NULL, \
             key_expires_at = NULL WHERE patient_id = $2 AND practice_id = $3 AND status IN ('pending', 'active')",
        )
        .bind(reason)
        .bind(patient.0)
        .bind(practice.0)
        .execute(&mut tx)
        .await?
        .rows_affected();
        if login.is_none() && account == 0 {
            return Err(StoreError::Rule("This patient has no online account to disable."));
        }
        if let Some((login, email)) = login {
            disable_login(&mut tx, LoginId(login), now).await?;
            enqueue_mail(&mut tx, &mail(&email), now).await?;
        }
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Switches a disabled account back on: the same login, email and
    /// password as before. An account whose new letter waits to be used
    /// comes back on only through that letter.
    #[tracing::instrument(skip_all, fields(practice = practice.0, patient = patient.0))]
    pub async fn enable_account(&self, practice: PracticeId, patient: PatientId, audit: &NewAudit) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let registration: Option<String> =
            query_scalar("SELECT registration_status FROM patient WHERE id = $1 AND practice_id = $2")
                .bind(patient.0)
                .bind(practice.0)
                .fetch_optional(&mut tx)
                .await?;
        let registration = registration
            .as_deref()
            .and_then(domain::services::RegistrationStatus::parse)
            .ok_or(StoreError::NotFound)?;
        domain::online_account::may_switch_on(registration).map_err(StoreError::Rule)?;
        let login: Option<i64> = query_scalar(
            "SELECT l.id FROM login l JOIN patient p ON p.id = l.patient_id \
             WHERE p.id = $1 AND p.practice_id = $2 AND l.disabled_at IS NOT NULL",
        )
        .bind(patient.0)
        .bind(practice.0)
        .fetch_optional(&mut tx)
        .await?;
        let status: Option<String> =
            query_scalar("SELECT status FROM online_account WHERE patient_id = $1 AND practice_id = $2")
                .bind(patient.0)
                .bind(practice.0)
                .fetch_optional(&mut tx)
                .await?;
        if status.as_deref() == Some("pending") {
            return Err(StoreError::Rule(
                "A new registration letter is waiting to be used: the account comes back on when the patient uses it.",
            ));
        }
        let Some(login) = login else {
            return Err(StoreError::Rule(
                "There is no disabled account to switch back on. To give the patient access, issue a registration letter.",
            ));
        };
        query("UPDATE login SET disabled_at = NULL WHERE id = $1").bind(login).execute(&mut tx).await?;
        query(
            "UPDATE online_account SET status = 'active', disabled_reason = NULL \
             WHERE patient_id = $1 AND practice_id = $2 AND status = 'disabled'",
        )
        .bind(patient.0)
        .bind(practice.0)
        .execute(&mut tx)
        .await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::same_secret;

    #[test]
    fn secrets_match_only_when_every_byte_does() {
        assert!(same_secret("ABCD", "ABCD"));
        assert!(!same_secret("ABCD", "ABCE"));
        assert!(!same_secret("ABCD", "ABC"));
    }
}
