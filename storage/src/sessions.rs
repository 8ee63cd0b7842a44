//! Sign-in sessions. The cookie holds a random id; only its hash is stored.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar, Tx};
use crate::throttle::clear_sign_in_failures;
use crate::{Store, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::{LoginId, PatientId, PracticeId};

/// A session to start at sign-in.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub practice: PracticeId,
    pub login: LoginId,
    /// `patient` or `staff`.
    pub kind: &'static str,
    pub acting_for: Option<PatientId>,
    pub client_addr: Option<String>,
}

/// A live session with what the request context needs about its login.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub practice_id: i64,
    pub login_id: i64,
    pub kind: String,
    pub acting_for_patient_id: Option<i64>,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub email: String,
    pub display_name: String,
    pub login_disabled: bool,
    pub own_patient_id: Option<i64>,
    pub staff_role: Option<String>,
}

/// A session as listed for practice admins (never its token).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionListRow {
    pub id: i64,
    pub login_id: i64,
    pub email: String,
    pub display_name: String,
    pub kind: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
}

/// Inserts a session inside a transaction.
pub(crate) async fn insert_session(tx: &mut Tx, new: &NewSession, now: DateTime<Utc>) -> StoreResult<()> {
    query(
        "INSERT INTO session (practice_id, login_id, token_hash, kind, acting_for_patient_id, \
         created_at, last_seen_at, client_addr) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
    )
    .bind(new.practice.0)
    .bind(new.login.0)
    .bind(&new.token_hash)
    .bind(new.kind)
    .bind(new.acting_for.map(|p| p.0))
    .bind(Timestamp(now))
    .bind(&new.client_addr)
    .execute(tx)
    .await?;
    Ok(())
}

/// Ends every session and sign-in in progress of a login, inside a transaction.
pub(crate) async fn end_sign_ins(tx: &mut Tx, login: LoginId) -> StoreResult<()> {
    for table in ["session", "pending_sign_in"] {
        query(format!("DELETE FROM {table} WHERE login_id = $1")).bind(login.0).execute(tx).await?;
    }
    Ok(())
}

/// Disables a login inside a transaction and ends its sessions and sign-ins
/// in progress: it stops working at once.
pub(crate) async fn disable_login(tx: &mut Tx, login: LoginId, now: DateTime<Utc>) -> StoreResult<()> {
    query("UPDATE login SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL")
        .bind(Timestamp(now))
        .bind(login.0)
        .execute(tx)
        .await?;
    end_sign_ins(tx, login).await
}

impl Store {
    /// Starts a session, ending the one the browser presented (if any) so a
    /// session id is never reused across sign-ins, forgets the failed sign-ins
    /// of `subject`, and records the sign-in.
    #[tracing::instrument(skip_all, fields(practice = new.practice.0, login = new.login.0))]
    pub async fn start_session(
        &self,
        new: &NewSession,
        replaces: Option<&str>,
        subject: Option<&str>,
        audit: &NewAudit,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        if let Some(subject) = subject {
            clear_sign_in_failures(&mut tx, subject).await?;
        }
        if let Some(old) = replaces {
            query("DELETE FROM session WHERE token_hash = $1").bind(old).execute(&mut tx).await?;
        }
        insert_session(&mut tx, new, now).await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Chooses whom a patient's session acts for: another patient through a
    /// proxy grant (checked by the caller), or themself (`None`).
    pub async fn set_session_acting_for(
        &self,
        token_hash: &str,
        subject: Option<PatientId>,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query("UPDATE session SET acting_for_patient_id = $2 WHERE token_hash = $1 AND kind = 'patient'")
            .bind(token_hash)
            .bind(subject.map(|s| s.0))
            .execute(&mut tx)
            .await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn session_by_token(&self, token_hash: &str) -> StoreResult<Option<SessionRow>> {
        let mut db = self.reader().await?;
        query_as(
            "SELECT s.id, s.practice_id, s.login_id, s.kind, s.acting_for_patient_id, s.created_at, \
                s.last_seen_at, l.email, l.display_name, (l.disabled_at IS NOT NULL) AS login_disabled, \
                l.patient_id AS own_patient_id, m.role AS staff_role \
         FROM session s \
         JOIN login l ON l.id = s.login_id \
         LEFT JOIN staff_member m ON m.login_id = s.login_id AND m.practice_id = s.practice_id \
         WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut db)
        .await
    }

    /// Records when each session was last seen, a batch in one transaction
    /// (one commit for every session seen in the last few seconds). A time
    /// never moves a session's back. Sessions ended meanwhile are skipped.
    #[tracing::instrument(skip_all)]
    pub async fn record_session_activity(&self, seen: &[(i64, DateTime<Utc>)]) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        let mut recorded = 0;
        for (id, at) in seen {
            recorded += query("UPDATE session SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $1")
                .bind(Timestamp(*at))
                .bind(*id)
                .execute(&mut tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        Ok(recorded)
    }

    /// Ends one session by its token hash; records why when `audit` is given.
    /// Returns whether a session was ended.
    #[tracing::instrument(skip_all)]
    pub async fn end_session(&self, token_hash: &str, audit: Option<&NewAudit>) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let ended =
            query("DELETE FROM session WHERE token_hash = $1").bind(token_hash).execute(&mut tx).await?.rows_affected();
        if let Some(audit) = audit.filter(|_| ended > 0) {
            append_audit(&mut tx, audit).await?;
        }
        tx.commit().await?;
        Ok(ended > 0)
    }

    /// Ends every session of a login ("sign out everywhere"), in one statement.
    #[tracing::instrument(skip_all, fields(login = login.0))]
    pub async fn end_sessions_of_login(&self, login: LoginId, audit: &NewAudit) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        let ended =
            query("DELETE FROM session WHERE login_id = $1").bind(login.0).execute(&mut tx).await?.rows_affected();
        query("DELETE FROM pending_sign_in WHERE login_id = $1").bind(login.0).execute(&mut tx).await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// The login a session of this practice belongs to, for checking before
    /// an admin ends it.
    pub async fn session_login_in_practice(
        &self,
        practice: PracticeId,
        session_id: i64,
    ) -> StoreResult<Option<LoginId>> {
        let login: Option<i64> = query_scalar("SELECT login_id FROM session WHERE id = $1 AND practice_id = $2")
            .bind(session_id)
            .bind(practice.0)
            .fetch_optional(&mut self.reader().await?)
            .await?;
        Ok(login.map(LoginId))
    }

    /// Ends a session of the practice by its id (a practice admin's action).
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn end_session_in_practice(
        &self,
        practice: PracticeId,
        session_id: i64,
        audit: &NewAudit,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let ended = query("DELETE FROM session WHERE id = $1 AND practice_id = $2")
            .bind(session_id)
            .bind(practice.0)
            .execute(&mut tx)
            .await?
            .rows_affected();
        if ended > 0 {
            append_audit(&mut tx, audit).await?;
        }
        tx.commit().await?;
        Ok(ended > 0)
    }

    /// The practice's sessions, most recently active first.
    pub async fn sessions_of_practice(&self, practice: PracticeId) -> StoreResult<Vec<SessionListRow>> {
        let mut db = self.reader().await?;
        query_as(
            "SELECT s.id, s.login_id, l.email, l.display_name, s.kind, s.created_at, s.last_seen_at \
         FROM session s JOIN login l ON l.id = s.login_id \
         WHERE s.practice_id = $1 ORDER BY s.last_seen_at DESC",
        )
        .bind(practice.0)
        .fetch_all(&mut db)
        .await
    }

    /// Removes sessions idle since `idle_before` or started before `started_before`.
    #[tracing::instrument(skip_all)]
    pub async fn delete_stale_sessions(
        &self,
        idle_before: DateTime<Utc>,
        started_before: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        let value = query("DELETE FROM session WHERE last_seen_at < $1 OR created_at < $2")
            .bind(Timestamp(idle_before))
            .bind(Timestamp(started_before))
            .execute(&mut tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(value)
    }
}
