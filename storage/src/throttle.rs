//! Attempts counted in time windows, and lock-outs after failed sign-ins.
//!
//! The rules (how many, how long) are in `domain::throttle`; here they are
//! counted, in the database, so they hold across restarts and servers.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar, Tx};
use crate::{Store, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::throttle::{Recent, CLIENT_SIGN_IN_FAILURES, LOCKOUT, SIGN_IN_FAILURES};
use domain::{LoginId, PracticeId};

/// What a throttled request was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptKind {
    /// A failed sign-in (a wrong password or a wrong second-step code).
    SignIn,
    PasswordReset,
    Registration,
    Activation,
}

impl AttemptKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::PasswordReset => "password_reset",
            Self::Registration => "registration",
            Self::Activation => "activation",
        }
    }
}

/// A failed sign-in, about to be counted.
#[derive(Debug, Clone)]
pub struct SignInFailure<'a> {
    /// A hash of the email typed, so emails without a login lock alike and the
    /// answer never tells whether an email has a login.
    pub subject: &'a str,
    /// The login with that email, when there is one.
    pub login: Option<(PracticeId, LoginId)>,
    pub client_addr: Option<&'a str>,
    pub now: DateTime<Utc>,
}

/// Whether a sign-in step may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Go ahead: the attempt is counted already (as `attempt`), so requests
    /// racing each other cannot all slip under the limit.
    Open { attempt: i64 },
    /// The email is locked until then.
    Locked { until: DateTime<Utc> },
    /// The client's address has failed too often across emails; until then.
    SlowDown { until: DateTime<Utc> },
}

/// The two limits on one kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLimits {
    pub per_subject: domain::throttle::Limit,
    pub per_client: domain::throttle::Limit,
}

/// How a limited request was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Too many from the client's address: not counted, refused until then.
    ClientOverLimit { until: DateTime<Utc> },
    /// Counted. Over the subject's limit, the request is answered as usual
    /// and nothing is done, so the answer never tells.
    Counted { within_subject_limit: bool },
}

/// A lock-out as listed for a practice admin.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LockoutRow {
    pub id: i64,
    pub login_id: Option<i64>,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub locked_at: Timestamp,
    pub locked_until: Timestamp,
    pub client_addr: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RecentRow {
    count: i64,
    oldest: Option<Timestamp>,
}

impl From<RecentRow> for Recent {
    fn from(row: RecentRow) -> Self {
        Recent { count: row.count.try_into().unwrap_or(u32::MAX), oldest: row.oldest.map(|t| t.0) }
    }
}

async fn count_since(
    tx: &mut Tx,
    column: &'static str,
    kind: AttemptKind,
    key: &str,
    since: DateTime<Utc>,
) -> StoreResult<RecentRow> {
    query_as(format!(
        "SELECT COUNT(*) AS count, MIN(at) AS oldest FROM attempt WHERE kind = $1 AND {column} = $2 AND at >= $3"
    ))
    .bind(kind.as_str())
    .bind(key)
    .bind(Timestamp(since))
    .fetch_one(tx)
    .await
}

async fn insert_attempt(
    tx: &mut Tx,
    kind: AttemptKind,
    subject: &str,
    client: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    query("INSERT INTO attempt (kind, subject, client_addr, at) VALUES ($1, $2, $3, $4)")
        .bind(kind.as_str())
        .bind(subject)
        .bind(client)
        .bind(Timestamp(now))
        .execute(tx)
        .await?;
    Ok(())
}

impl Store {
    /// Counts a request limited per subject and per client address (a
    /// password-reset or registration request), in one serialized write: of
    /// many sent at once, no more than the limits allow are let through.
    /// A client over its limit is not counted and is refused until the time
    /// given; a subject over its limit is counted, and the caller answers as
    /// usual but does nothing.
    #[tracing::instrument(skip_all)]
    pub async fn count_request(
        &self,
        kind: AttemptKind,
        subject: &str,
        client_addr: Option<&str>,
        limits: RequestLimits,
        now: DateTime<Utc>,
    ) -> StoreResult<Counted> {
        let mut tx = self.begin().await?;
        // Client before subject, always: two requests never wait on each other in a circle.
        if let Some(addr) = client_addr {
            tx.lock(format!("{}-client-{addr}", kind.as_str())).await?;
            let limit = limits.per_client;
            let recent: Recent = count_since(&mut tx, "client_addr", kind, addr, limit.since(now)).await?.into();
            if let Err(until) = limit.check(recent, now) {
                return Ok(Counted::ClientOverLimit { until }); // Not counted: nothing written.
            }
        }
        tx.lock(format!("{}-subject-{subject}", kind.as_str())).await?;
        let limit = limits.per_subject;
        let recent: Recent = count_since(&mut tx, "subject", kind, subject, limit.since(now)).await?.into();
        insert_attempt(&mut tx, kind, subject, client_addr, now).await?;
        tx.commit().await?;
        Ok(Counted::Counted { within_subject_limit: limit.check(recent, now).is_ok() })
    }

    /// Lets a sign-in step (a password, or a second-step code) go ahead, or
    /// not. The step is counted as a failed attempt before it is checked, in
    /// the same serialized transaction that looks at the count, so at most the
    /// limit's number of guesses are ever in flight for one email. A step that
    /// works then forgets it ([`Store::forget_attempt`] or a finished sign-in).
    #[tracing::instrument(skip_all)]
    pub async fn begin_sign_in_attempt(
        &self,
        subject: &str,
        client_addr: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<Gate> {
        let mut tx = self.begin().await?;
        tx.lock(subject).await?;
        let last_lock: Option<Timestamp> = query_scalar("SELECT MAX(locked_until) FROM lockout WHERE subject = $1")
            .bind(subject)
            .fetch_one(&mut tx)
            .await?;
        if let Some(until) = last_lock.filter(|t| t.0 > now) {
            return Ok(Gate::Locked { until: until.0 }); // Nothing written.
        }
        if let Some(addr) = client_addr {
            let limit = CLIENT_SIGN_IN_FAILURES;
            let recent: Recent =
                count_since(&mut tx, "client_addr", AttemptKind::SignIn, addr, limit.since(now)).await?.into();
            if let Err(until) = limit.check(recent, now) {
                return Ok(Gate::SlowDown { until }); // Nothing written.
            }
        }
        // Failures before the end of an earlier lock-out have been paid for.
        let since = last_lock.map_or(SIGN_IN_FAILURES.since(now), |t| t.0.max(SIGN_IN_FAILURES.since(now)));
        let recent: Recent = count_since(&mut tx, "subject", AttemptKind::SignIn, subject, since).await?.into();
        if let Err(until) = SIGN_IN_FAILURES.check(recent, now) {
            // As many guesses as the limit allows are being checked right now.
            return Ok(Gate::Locked { until }); // Nothing written.
        }
        let attempt: i64 = query_scalar(
            "INSERT INTO attempt (kind, subject, client_addr, at) VALUES ('sign_in', $1, $2, $3) RETURNING id",
        )
        .bind(subject)
        .bind(client_addr)
        .bind(Timestamp(now))
        .fetch_one(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(Gate::Open { attempt })
    }

    /// Forgets one counted attempt: a password that was right, before its
    /// second step.
    #[tracing::instrument(skip_all, fields(attempt))]
    pub async fn forget_attempt(&self, attempt: i64) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query("DELETE FROM attempt WHERE id = $1").bind(attempt).execute(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a failed sign-in step (already counted by
    /// [`Store::begin_sign_in_attempt`]) in the audit trail; when the count
    /// has reached the limit, locks the subject and records that too. Returns
    /// the end of the lock-out it started, if any.
    #[tracing::instrument(skip_all)]
    pub async fn record_sign_in_failure(
        &self,
        failure: &SignInFailure<'_>,
        audit: &NewAudit,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        let now = failure.now;
        let mut tx = self.begin().await?;
        tx.lock(failure.subject).await?;
        append_audit(&mut tx, audit).await?;
        // Failures before the end of an earlier lock-out have been paid for.
        let last_lock: Option<Timestamp> = query_scalar("SELECT MAX(locked_until) FROM lockout WHERE subject = $1")
            .bind(failure.subject)
            .fetch_one(&mut tx)
            .await?;
        let since = last_lock.map_or(SIGN_IN_FAILURES.since(now), |t| t.0.max(SIGN_IN_FAILURES.since(now)));
        let recent: Recent = count_since(&mut tx, "subject", AttemptKind::SignIn, failure.subject, since).await?.into();
        let locked_now = last_lock.is_some_and(|t| t.0 > now);
        if !SIGN_IN_FAILURES.reached(recent) || locked_now {
            tx.commit().await?; // The audit record stays.
            return Ok(None);
        }
        let until = now + LOCKOUT;
        query(
            "INSERT INTO lockout (subject, practice_id, login_id, locked_at, locked_until, client_addr) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(failure.subject)
        .bind(failure.login.map(|(p, _)| p.0))
        .bind(failure.login.map(|(_, l)| l.0))
        .bind(Timestamp(now))
        .bind(Timestamp(until))
        .bind(failure.client_addr)
        .execute(&mut tx)
        .await?;
        let locked = NewAudit { action: "sign_in_locked", ..audit.clone() }.detail(format!(
            "{} failed sign-ins; locked until {}",
            recent.count,
            until.to_rfc3339()
        ));
        append_audit(&mut tx, &locked).await?;
        tx.commit().await?;
        Ok(Some(until))
    }

    /// The lock-outs of a practice's logins, latest first.
    pub async fn lockouts_of_practice(&self, practice: PracticeId, limit: i64) -> StoreResult<Vec<LockoutRow>> {
        let mut db = self.reader().await?;
        query_as(
            "SELECT k.id, k.login_id, l.email, l.display_name, k.locked_at, k.locked_until, k.client_addr \
         FROM lockout k LEFT JOIN login l ON l.id = k.login_id AND l.practice_id = k.practice_id \
         WHERE k.practice_id = $1 ORDER BY k.locked_at DESC, k.id DESC LIMIT $2",
        )
        .bind(practice.0)
        .bind(limit)
        .fetch_all(&mut db)
        .await
    }

    /// Forgets attempts older than `before` and pending sign-ins that have
    /// expired; lock-outs stay for the admins' list.
    #[tracing::instrument(skip_all)]
    pub async fn prune_sign_in_leftovers(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        let attempts = query("DELETE FROM attempt WHERE at < $1").bind(Timestamp(before)).execute(&mut tx).await?;
        let pending =
            query("DELETE FROM pending_sign_in WHERE expires_at <= $1").bind(Timestamp(now)).execute(&mut tx).await?;
        tx.commit().await?;
        Ok(attempts.rows_affected() + pending.rows_affected())
    }
}

/// Forgets a subject's failed sign-ins, inside a transaction: after a full
/// sign-in, or a password reset by email (which also ends any lock-out, in
/// `Store::use_login_token`).
pub(crate) async fn clear_sign_in_failures(tx: &mut Tx, subject: &str) -> StoreResult<()> {
    query("DELETE FROM attempt WHERE kind = 'sign_in' AND subject = $1").bind(subject).execute(tx).await?;
    Ok(())
}
