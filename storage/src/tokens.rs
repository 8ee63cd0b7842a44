//! Single-use links that let a person set their password.

use crate::{read, write, Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::{LoginId, PracticeId};

/// A set-up link as stored, joined with whom it is for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SetupTokenRow {
    pub practice_id: i64,
    pub login_id: i64,
    pub email: String,
    pub display_name: String,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

impl SetupTokenRow {
    /// A link works once, and only before it expires.
    pub fn usable_at(&self, now: DateTime<Utc>) -> bool {
        self.used_at.is_none() && now < self.expires_at.0
    }
}

impl Store {
    pub async fn setup_token(&self, token_hash: &str) -> StoreResult<Option<SetupTokenRow>> {
        read!(self, |c| Ok(sqlx::query_as(
            "SELECT t.practice_id, t.login_id, l.email, l.display_name, t.expires_at, t.used_at \
             FROM login_token t JOIN login l ON l.id = t.login_id AND l.practice_id = t.practice_id \
             WHERE t.token_hash = $1 AND t.purpose = 'setup'"
        )
        .bind(token_hash)
        .fetch_optional(&mut *c)
        .await?))
    }

    /// Spends a set-up link and sets the password it was for, in one
    /// transaction. The link is claimed by a conditional update, so of two
    /// people racing with one link exactly one succeeds; the other, and anyone
    /// with a used or expired link, gets [`StoreError::NotFound`].
    pub async fn use_setup_token(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<(PracticeId, LoginId)> {
        let (practice_id, login_id): (i64, i64) = write!(self, |c| {
            let claimed: Option<(i64, i64)> = sqlx::query_as(
                "UPDATE login_token SET used_at = $1 \
                 WHERE token_hash = $2 AND purpose = 'setup' AND used_at IS NULL AND expires_at > $1 \
                 RETURNING practice_id, login_id",
            )
            .bind(Timestamp(now))
            .bind(token_hash)
            .fetch_optional(&mut *c)
            .await?;
            let (practice_id, login_id) = claimed.ok_or(StoreError::NotFound)?;
            sqlx::query("UPDATE login SET password_hash = $1 WHERE id = $2 AND practice_id = $3")
                .bind(password_hash)
                .bind(login_id)
                .bind(practice_id)
                .execute(&mut *c)
                .await?;
            Ok((practice_id, login_id))
        })?;
        Ok((PracticeId(practice_id), LoginId(login_id)))
    }
}
