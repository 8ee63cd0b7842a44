//! The email outbox. Mail is written in the transaction of the change that
//! caused it, so a change never happens without its mail, nor mail without
//! its change. Workers claim due rows with a lease: a worker that dies
//! mid-send leaves its rows to be claimed again when the lease runs out.

use crate::db::{query, query_as, query_scalar, Db, Tx};
use crate::{Store, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::PracticeId;

/// A message to send. No clinical details: "sign in to read it".
#[derive(Debug, Clone)]
pub struct NewMail {
    pub practice: PracticeId,
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl NewMail {
    /// An email of the domain's (`domain::mail`), from the practice to `to`.
    pub fn new(practice: PracticeId, to: &str, text: domain::mail::Mail) -> Self {
        Self { practice, to: to.to_owned(), subject: text.subject, body: text.body }
    }
}

/// Queues a message inside the transaction of the change that caused it.
pub(crate) async fn enqueue_mail(tx: &mut Tx, mail: &NewMail, now: DateTime<Utc>) -> StoreResult<()> {
    query(
        "INSERT INTO outbox (practice_id, to_address, subject, body, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(mail.practice.0)
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(Timestamp(now))
    .execute(tx)
    .await?;
    Ok(())
}

/// Queues `notice` to a patient's own sign-in, if they have one that is not
/// disabled; a patient without one is not emailed.
pub(crate) async fn email_patient(
    tx: &mut Tx,
    practice: PracticeId,
    patient: i64,
    notice: &domain::mail::Mail,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let to: Option<String> =
        query_scalar("SELECT email FROM login WHERE patient_id = $1 AND practice_id = $2 AND disabled_at IS NULL")
            .bind(patient)
            .bind(practice.0)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(to) = to {
        enqueue_mail(tx, &NewMail::new(practice, &to, notice.clone()), now).await?;
    }
    Ok(())
}

/// A message a worker has claimed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedMail {
    pub id: i64,
    pub practice_id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
}

/// A message as practice admins see it in the outbox.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub created_at: Timestamp,
    pub attempts: i32,
    pub sent_at: Option<Timestamp>,
    pub abandoned_at: Option<Timestamp>,
    pub last_error: Option<String>,
}

impl Store {
    /// Queues a message on its own.
    #[tracing::instrument(skip_all, fields(practice = mail.practice.0))]
    pub async fn enqueue_mail(&self, mail: &NewMail, now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        enqueue_mail(&mut tx, mail, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Claims up to `limit` due messages for `owner` until `lease_until`.
    #[tracing::instrument(skip_all)]
    pub async fn claim_mail(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<ClaimedMail>> {
        let mut tx = self.begin().await?;
        let sql = format!(
            "UPDATE outbox SET lease_owner = $1, lease_until = $2 \
             WHERE id IN (SELECT id FROM outbox \
                          WHERE sent_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= $3 \
                            AND (lease_until IS NULL OR lease_until < $3) \
                          ORDER BY id LIMIT $4 {}) \
             RETURNING id, practice_id, to_address, subject, body, attempts",
            tx.skip_locked()
        );
        let value = query_as(&sql)
            .bind(owner)
            .bind(Timestamp(lease_until))
            .bind(Timestamp(now))
            .bind(limit)
            .fetch_all(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(value)
    }

    /// Extends this worker's claim on one message just before sending it, so a
    /// claim always outlasts the send in hand however long the batch takes.
    /// False when the claim was lost (another worker took the message over):
    /// then it must not be sent.
    #[tracing::instrument(skip_all, fields(id))]
    pub async fn renew_mail_lease(&self, id: i64, owner: &str, lease_until: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let value = query("UPDATE outbox SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND sent_at IS NULL")
            .bind(Timestamp(lease_until))
            .bind(id)
            .bind(owner)
            .execute(&mut tx)
            .await?
            .rows_affected()
            == 1;
        tx.commit().await?;
        Ok(value)
    }

    /// Removes messages sent before `before`: the outbox keeps a while of
    /// history for practice admins, not every email ever sent. Mail not sent
    /// (waiting, or given up) stays.
    #[tracing::instrument(skip_all)]
    pub async fn prune_sent_mail(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        let value = query("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1")
            .bind(Timestamp(before))
            .execute(&mut tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(value)
    }

    /// Marks a claimed message sent. False when the lease was lost (another
    /// worker may have sent it).
    #[tracing::instrument(skip_all, fields(id))]
    pub async fn mail_sent(&self, id: i64, owner: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let value = query(
            "UPDATE outbox SET sent_at = $1, lease_owner = NULL, lease_until = NULL, attempts = attempts + 1 \
         WHERE id = $2 AND lease_owner = $3 AND sent_at IS NULL",
        )
        .bind(Timestamp(now))
        .bind(id)
        .bind(owner)
        .execute(&mut tx)
        .await?
        .rows_affected()
            == 1;
        tx.commit().await?;
        Ok(value)
    }

    /// Records a failed attempt: try again at `retry_at`, or give up when
    /// `retry_at` is `None`.
    #[tracing::instrument(skip_all, fields(id))]
    pub async fn mail_failed(
        &self,
        id: i64,
        owner: &str,
        error: &str,
        now: DateTime<Utc>,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $1, lease_owner = NULL, lease_until = NULL, \
             next_attempt_at = COALESCE($2, next_attempt_at), abandoned_at = CASE WHEN $2 IS NULL THEN $3 ELSE NULL END \
             WHERE id = $4 AND lease_owner = $5",
        )
        .bind(error)
        .bind(retry_at.map(Timestamp))
        .bind(Timestamp(now))
        .bind(id)
        .bind(owner)
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A practice's outbox, newest first.
    pub async fn outbox_of_practice(&self, practice: PracticeId, limit: i64) -> StoreResult<Vec<OutboxRow>> {
        let mut db = self.reader().await?;
        query_as(
            "SELECT id, to_address, subject, body, created_at, attempts, sent_at, abandoned_at, last_error \
         FROM outbox WHERE practice_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(practice.0)
        .bind(limit)
        .fetch_all(&mut db)
        .await
    }
}
