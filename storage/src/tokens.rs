//! Single-use links that let a person set their password: set-up links for
//! new accounts and password-reset links.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, Tx};
use crate::outbox::{enqueue_mail, NewMail};
use crate::sessions::end_sign_ins;
use crate::throttle::clear_sign_in_failures;
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::{LoginId, PracticeId};

/// A single-use link to set a password, as handed to the person it is for.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// SHA-256 of the token, hex: the token itself is never stored.
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
}

/// Inserts a single-use link inside a transaction.
pub(crate) async fn insert_token(
    tx: &mut Tx,
    practice: PracticeId,
    login: LoginId,
    purpose: TokenPurpose,
    token: &NewToken,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    query(
        "INSERT INTO login_token (practice_id, login_id, purpose, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(practice.0)
    .bind(login.0)
    .bind(purpose.as_str())
    .bind(&token.token_hash)
    .bind(Timestamp(now))
    .bind(Timestamp(token.expires_at))
    .execute(tx)
    .await?;
    Ok(())
}

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Choose a first password (a new practice's admin, invited staff).
    Setup,
    /// Choose a new password after asking by email.
    Reset,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Setup => "setup",
            Self::Reset => "reset",
        }
    }
}

/// A link as stored, joined with whom it is for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginTokenRow {
    pub practice_id: i64,
    pub login_id: i64,
    pub email: String,
    pub display_name: String,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
    pub disabled: bool,
}

impl LoginTokenRow {
    /// A link works once, only before it expires, and never for a disabled login.
    pub fn usable_at(&self, now: DateTime<Utc>) -> bool {
        self.used_at.is_none() && now < self.expires_at.0 && !self.disabled
    }
}

/// Spending a link: the password it sets and what is recorded.
#[derive(Debug, Clone)]
pub struct UseToken<'a> {
    pub purpose: TokenPurpose,
    pub token_hash: &'a str,
    pub password_hash: &'a str,
    /// The sign-in subject whose failed attempts and lock-out end (a reset
    /// proves the person holds the email).
    pub subject: &'a str,
    pub audit: &'a NewAudit,
    /// A notice to the owner, sent with the change.
    pub mail: Option<&'a NewMail>,
    pub now: DateTime<Utc>,
}

impl Store {
    pub async fn login_token(&self, purpose: TokenPurpose, token_hash: &str) -> StoreResult<Option<LoginTokenRow>> {
        let mut db = self.reader().await?;
        query_as(
            "SELECT t.practice_id, t.login_id, l.email, l.display_name, t.expires_at, t.used_at, \
                (l.disabled_at IS NOT NULL) AS disabled \
         FROM login_token t JOIN login l ON l.id = t.login_id AND l.practice_id = t.practice_id \
         WHERE t.token_hash = $1 AND t.purpose = $2",
        )
        .bind(token_hash)
        .bind(purpose.as_str())
        .fetch_optional(&mut db)
        .await
    }

    /// Spends a link and sets the password it was for; ends every session and
    /// pending sign-in of the login and any lock-out of its email, in one
    /// transaction. The link is claimed by a conditional update, so of two
    /// people racing with one link exactly one succeeds; the other, and anyone
    /// with a used or expired link, gets [`StoreError::NotFound`].
    #[tracing::instrument(skip_all)]
    pub async fn use_login_token(&self, spend: &UseToken<'_>) -> StoreResult<(PracticeId, LoginId)> {
        let now = spend.now;
        let mut tx = self.begin().await?;
        let claimed: Option<(i64, i64)> = query_as(
            "UPDATE login_token SET used_at = $1 \
             WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
               AND login_id IN (SELECT id FROM login WHERE disabled_at IS NULL) \
             RETURNING practice_id, login_id",
        )
        .bind(Timestamp(now))
        .bind(spend.token_hash)
        .bind(spend.purpose.as_str())
        .fetch_optional(&mut tx)
        .await?;
        let (practice, login) = claimed.map(|(p, l)| (PracticeId(p), LoginId(l))).ok_or(StoreError::NotFound)?;
        query("UPDATE login SET password_hash = $1 WHERE id = $2 AND practice_id = $3")
            .bind(spend.password_hash)
            .bind(login.0)
            .bind(practice.0)
            .execute(&mut tx)
            .await?;
        end_sign_ins(&mut tx, login).await?;
        clear_sign_in_failures(&mut tx, spend.subject).await?;
        query("UPDATE lockout SET locked_until = $2 WHERE subject = $1 AND locked_until > $2")
            .bind(spend.subject)
            .bind(Timestamp(now))
            .execute(&mut tx)
            .await?;
        let audit = spend.audit.clone().on("login", login.0);
        append_audit(&mut tx, &NewAudit { practice: Some(practice), ..audit }).await?;
        if let Some(mail) = spend.mail {
            enqueue_mail(&mut tx, mail, now).await?;
        }
        tx.commit().await?;
        Ok((practice, login))
    }

    /// Issues a password-reset link and queues the email that carries it;
    /// earlier unused reset links of the login stop working.
    #[tracing::instrument(skip_all, fields(practice = practice.0, login = login.0))]
    pub async fn create_reset_token(
        &self,
        practice: PracticeId,
        login: LoginId,
        token: &NewToken,
        mail: &NewMail,
        audit: &NewAudit,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query("UPDATE login_token SET used_at = $1 WHERE login_id = $2 AND purpose = 'reset' AND used_at IS NULL")
            .bind(Timestamp(now))
            .bind(login.0)
            .execute(&mut tx)
            .await?;
        insert_token(&mut tx, practice, login, TokenPurpose::Reset, token, now).await?;
        enqueue_mail(&mut tx, mail, now).await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }
}
