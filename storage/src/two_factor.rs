//! The staff sign-in's second step: pending sign-ins, TOTP secrets and
//! recovery codes.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar};
use crate::sessions::{insert_session, NewSession};
use crate::throttle::clear_sign_in_failures;
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::{LoginId, PracticeId};

/// A sign-in whose password was right, waiting for its second step, joined
/// with its login. Holds secrets: stays on the server.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingSignInRow {
    pub id: i64,
    pub practice_id: i64,
    pub login_id: i64,
    pub email: String,
    pub display_name: String,
    pub staff_role: Option<String>,
    pub disabled: bool,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub new_totp_secret: Option<String>,
}

/// How the second step was passed.
#[derive(Debug, Clone)]
pub enum SecondStep<'a> {
    /// A code from the authenticator app, for this time step.
    Code { step: i64 },
    /// One of the recovery codes, by the hashes it may be stored as (one per
    /// key in use).
    RecoveryCode { code_hashes: &'a [String] },
    /// A first code from a newly enrolled app, with the secret it proves
    /// (encrypted) and the hashes of the recovery codes handed out with it.
    Enrolment { secret: &'a str, step: i64, recovery_code_hashes: &'a [String] },
}

/// Everything that finishing a second step writes.
#[derive(Debug, Clone)]
pub struct FinishSignIn<'a> {
    pub pending_id: i64,
    pub login: LoginId,
    pub practice: PracticeId,
    pub step: SecondStep<'a>,
    /// The sign-in subject whose failed attempts are forgotten.
    pub subject: &'a str,
    pub session: &'a NewSession,
    pub audit: &'a NewAudit,
    pub now: DateTime<Utc>,
}

impl Store {
    /// Records a right password waiting for its second step.
    #[tracing::instrument(skip_all, fields(practice = practice.0, login = login.0))]
    pub async fn start_pending_sign_in(
        &self,
        practice: PracticeId,
        login: LoginId,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query("DELETE FROM pending_sign_in WHERE login_id = $1 AND expires_at <= $2")
            .bind(login.0)
            .bind(Timestamp(now))
            .execute(&mut tx)
            .await?;
        query(
            "INSERT INTO pending_sign_in (practice_id, login_id, token_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(practice.0)
        .bind(login.0)
        .bind(token_hash)
        .bind(Timestamp(now))
        .bind(Timestamp(expires_at))
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The pending sign-in with this token, unless it has expired.
    pub async fn pending_sign_in(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<PendingSignInRow>> {
        let mut db = self.reader().await?;
        query_as(
            "SELECT p.id, p.practice_id, p.login_id, l.email, l.display_name, m.role AS staff_role, \
                (l.disabled_at IS NOT NULL) AS disabled, l.totp_secret, l.totp_last_step, p.new_totp_secret \
         FROM pending_sign_in p \
         JOIN login l ON l.id = p.login_id AND l.practice_id = p.practice_id \
         LEFT JOIN staff_member m ON m.login_id = l.id AND m.practice_id = l.practice_id \
         WHERE p.token_hash = $1 AND p.expires_at > $2",
        )
        .bind(token_hash)
        .bind(Timestamp(now))
        .fetch_optional(&mut db)
        .await
    }

    /// Keeps the secret offered for enrolment with the pending sign-in, so the
    /// page shows the same one until its first code is confirmed. Returns the
    /// secret kept: an earlier one wins.
    #[tracing::instrument(skip_all, fields(pending_id))]
    pub async fn offer_totp_secret(&self, pending_id: i64, secret: &str) -> StoreResult<String> {
        let mut tx = self.begin().await?;
        query("UPDATE pending_sign_in SET new_totp_secret = $1 WHERE id = $2 AND new_totp_secret IS NULL")
            .bind(secret)
            .bind(pending_id)
            .execute(&mut tx)
            .await?;
        let value = query_scalar::<Option<String>>("SELECT new_totp_secret FROM pending_sign_in WHERE id = $1")
            .bind(pending_id)
            .fetch_optional(&mut tx)
            .await?
            .flatten()
            .ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(value)
    }

    /// Finishes a sign-in: spends the pending sign-in and the code (a time
    /// step is accepted only once, a recovery code only once), forgets the
    /// failed attempts and starts the session, all or nothing. A pending
    /// sign-in or code already spent (two tabs racing) gives
    /// [`StoreError::NotFound`].
    #[tracing::instrument(skip_all)]
    pub async fn finish_sign_in(&self, finish: &FinishSignIn<'_>) -> StoreResult<()> {
        let now = finish.now;
        let mut tx = self.begin().await?;
        query("DELETE FROM pending_sign_in WHERE id = $1 AND login_id = $2 AND expires_at > $3")
            .bind(finish.pending_id)
            .bind(finish.login.0)
            .bind(Timestamp(now))
            .execute(&mut tx)
            .await?
            .one()?;
        let accepted = match &finish.step {
            SecondStep::Code { step } => query(
                "UPDATE login SET totp_last_step = $1 \
                 WHERE id = $2 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $1)",
            )
            .bind(step)
            .bind(finish.login.0)
            .execute(&mut tx)
            .await?
            .rows_affected(),
            SecondStep::RecoveryCode { code_hashes } => {
                let mut used = 0;
                // The code's stored form under each key in use, until one matches.
                for code_hash in code_hashes.iter() {
                    used = query(
                        "UPDATE recovery_code SET used_at = $1 \
                         WHERE login_id = $2 AND code_hash = $3 AND used_at IS NULL",
                    )
                    .bind(Timestamp(now))
                    .bind(finish.login.0)
                    .bind(code_hash)
                    .execute(&mut tx)
                    .await?
                    .rows_affected();
                    if used > 0 {
                        break;
                    }
                }
                used
            }
            SecondStep::Enrolment { secret, step, recovery_code_hashes } => {
                let enrolled = query(
                    "UPDATE login SET totp_secret = $1, totp_last_step = $2 WHERE id = $3 AND totp_secret IS NULL",
                )
                .bind(secret)
                .bind(step)
                .bind(finish.login.0)
                .execute(&mut tx)
                .await?
                .rows_affected();
                query("DELETE FROM recovery_code WHERE login_id = $1").bind(finish.login.0).execute(&mut tx).await?;
                for hash in recovery_code_hashes.iter() {
                    query("INSERT INTO recovery_code (practice_id, login_id, code_hash) VALUES ($1, $2, $3)")
                        .bind(finish.practice.0)
                        .bind(finish.login.0)
                        .bind(hash)
                        .execute(&mut tx)
                        .await?;
                }
                enrolled
            }
        };
        if accepted != 1 {
            return Err(StoreError::NotFound);
        }
        clear_sign_in_failures(&mut tx, finish.subject).await?;
        insert_session(&mut tx, finish.session, now).await?;
        append_audit(&mut tx, finish.audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many unused recovery codes a login has left.
    pub async fn recovery_codes_left(&self, login: LoginId) -> StoreResult<i64> {
        query_scalar("SELECT COUNT(*) FROM recovery_code WHERE login_id = $1 AND used_at IS NULL")
            .bind(login.0)
            .fetch_one(&mut self.reader().await?)
            .await
    }

    /// Gives a login without one a known TOTP secret (already encrypted).
    /// For the demo staff only.
    #[tracing::instrument(skip_all, fields(login = login.0))]
    pub async fn set_totp_secret(&self, login: LoginId, secret: &str) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query("UPDATE login SET totp_secret = $1 WHERE id = $2 AND totp_secret IS NULL")
            .bind(secret)
            .bind(login.0)
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Where an authenticator secret is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretPlace {
    /// An enrolled login's secret.
    Login(i64),
    /// A secret offered during enrolment, not yet confirmed.
    Offered(i64),
}

impl Store {
    /// Every stored authenticator secret, enrolled or offered, for re-keying.
    pub async fn stored_totp_secrets(&self) -> StoreResult<Vec<(SecretPlace, String)>> {
        let mut db = self.reader().await?;
        let enrolled: Vec<(i64, String)> =
            query_as("SELECT id, totp_secret FROM login WHERE totp_secret IS NOT NULL").fetch_all(&mut db).await?;
        let offered: Vec<(i64, String)> =
            query_as("SELECT id, new_totp_secret FROM pending_sign_in WHERE new_totp_secret IS NOT NULL")
                .fetch_all(&mut db)
                .await?;
        Ok(enrolled
            .into_iter()
            .map(|(id, s)| (SecretPlace::Login(id), s))
            .chain(offered.into_iter().map(|(id, s)| (SecretPlace::Offered(id), s)))
            .collect())
    }

    /// Replaces stored secrets with the same secrets written again (under a
    /// new key), each only if it is still what was read. Returns how many.
    #[tracing::instrument(skip_all)]
    pub async fn replace_totp_secrets(&self, replacements: &[(SecretPlace, String, String)]) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        let mut replaced = 0;
        for (place, was, now) in replacements {
            let (sql, id) = match place {
                SecretPlace::Login(id) => ("UPDATE login SET totp_secret = $1 WHERE id = $2 AND totp_secret = $3", id),
                SecretPlace::Offered(id) => {
                    ("UPDATE pending_sign_in SET new_totp_secret = $1 WHERE id = $2 AND new_totp_secret = $3", id)
                }
            };
            replaced += query(sql).bind(now).bind(id).bind(was).execute(&mut tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(replaced)
    }

    /// The stored recovery code hashes still unused, for reporting which key
    /// they were made with.
    pub async fn unused_recovery_code_hashes(&self) -> StoreResult<Vec<String>> {
        query_scalar("SELECT code_hash FROM recovery_code WHERE used_at IS NULL")
            .fetch_all(&mut self.reader().await?)
            .await
    }
}
