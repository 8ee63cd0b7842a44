//! Events: changes other screens must see, such as a slot being taken.
//!
//! An event row is written in the transaction of the change, so a screen
//! never hears of a change that did not commit. After a commit the store
//! rings a bell that this process's hub listens to; on PostgreSQL the same
//! transaction also notifies channel `gp_online_events`, which wakes the hubs
//! of every other server on the database.

use crate::db::{query, query_as, query_scalar, Tx};
use crate::{Store, StoreResult, Timestamp};
use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use domain::appointments::Release;
use domain::live::{MessageEvent, RequestEvent, SlotChange, SlotEvent};
use domain::PracticeId;
use std::time::Duration;
use tokio::sync::watch;

/// The PostgreSQL channel every server's hub listens on.
pub const CHANNEL: &str = "gp_online_events";

/// A release time older than this when first seen is not announced: nobody
/// was watching then.
const RELEASE_LOOKBACK: TimeDelta = TimeDelta::minutes(2);

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub practice_id: i64,
    pub change: String,
    pub slot_id: Option<i64>,
    /// For a change to a conversation: which one, and whose it is.
    pub thread_id: Option<i64>,
    pub patient_id: Option<i64>,
    /// For a change to a prescription request: which one (its patient as above).
    pub request_id: Option<i64>,
}

impl EventRow {
    /// The event as live streams send it; `None` for a change this version
    /// does not know.
    pub fn event(&self) -> Option<SlotEvent> {
        Some(SlotEvent { id: self.id, change: SlotChange::parse(&self.change)?, slot: self.slot_id })
    }

    /// The change to a conversation, with whose conversation it is; `None`
    /// for any other event.
    pub fn message_event(&self) -> Option<(MessageEvent, i64)> {
        if self.change != MESSAGE {
            return None;
        }
        Some((MessageEvent { id: self.id, thread: self.thread_id? }, self.patient_id?))
    }

    /// The change to a prescription request, with whose request it is;
    /// `None` for any other event.
    pub fn request_event(&self) -> Option<(RequestEvent, i64)> {
        if self.change != PRESCRIPTION {
            return None;
        }
        Some((RequestEvent { id: self.id, request: self.request_id? }, self.patient_id?))
    }
}

/// Records a change inside the transaction that makes it.
pub(crate) async fn append_event(
    tx: &mut Tx,
    practice: PracticeId,
    change: SlotChange,
    slot: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    query("INSERT INTO event (practice_id, change, slot_id, at) VALUES ($1, $2, $3, $4)")
        .bind(practice.0)
        .bind(change.as_str())
        .bind(slot)
        .bind(Timestamp(now))
        .execute(tx)
        .await?;
    tx.notify_events().await
}

/// The stored name of a change to a conversation.
const MESSAGE: &str = "message";

/// Records, inside the transaction that makes it, that a conversation of
/// `patient` changed: screens showing it fetch it again.
pub(crate) async fn append_message_event(
    tx: &mut Tx,
    practice: PracticeId,
    thread: i64,
    patient: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    query("INSERT INTO event (practice_id, change, thread_id, patient_id, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(practice.0)
        .bind(MESSAGE)
        .bind(thread)
        .bind(patient)
        .bind(Timestamp(now))
        .execute(&mut *tx)
        .await?;
    tx.notify_events().await
}

/// The stored name of a change to a prescription request.
const PRESCRIPTION: &str = "prescription";

/// Records, inside the transaction that makes it, that a prescription
/// request of `patient` changed: screens showing it fetch it again.
pub(crate) async fn append_prescription_event(
    tx: &mut Tx,
    practice: PracticeId,
    request: i64,
    patient: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    query("INSERT INTO event (practice_id, change, request_id, patient_id, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(practice.0)
        .bind(PRESCRIPTION)
        .bind(request)
        .bind(patient)
        .bind(Timestamp(now))
        .execute(&mut *tx)
        .await?;
    tx.notify_events().await
}

/// What a hub waits on: this process's bell, and on PostgreSQL the
/// notifications of every server.
pub struct EventWakeups {
    bell: watch::Receiver<u64>,
    listener: Option<sqlx::postgres::PgListener>,
}

impl EventWakeups {
    /// Returns when new events may have committed, or after `at_most`: a
    /// notification can be lost when a connection drops, so callers look
    /// now and then anyway.
    pub async fn wait(&mut self, at_most: Duration) {
        let listened = async {
            match &mut self.listener {
                Some(listener) => {
                    if let Err(error) = listener.recv().await {
                        // It reconnects on the next call; don't spin meanwhile.
                        tracing::warn!(%error, "event notifications interrupted; reconnecting");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = self.bell.changed() => {}
            _ = listened => {}
            _ = tokio::time::sleep(at_most) => {}
        }
    }
}

impl Store {
    /// Tells this process's hub that events committed.
    pub(crate) fn ring_event_bell(&self) {
        self.event_bell().send_modify(|rung| *rung = rung.wrapping_add(1));
    }

    pub async fn event_wakeups(&self) -> StoreResult<EventWakeups> {
        let listener = match self.engine() {
            crate::engine::Engine::Postgres(pool) => {
                let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
                listener.listen(CHANNEL).await?;
                Some(listener)
            }
            crate::engine::Engine::Sqlite(_) => None,
        };
        Ok(EventWakeups { bell: self.event_bell().subscribe(), listener })
    }

    /// The newest event's id, 0 when there is none.
    pub async fn last_event_id(&self) -> StoreResult<i64> {
        let mut db = self.reader().await?;
        let (id,): (Option<i64>,) = query_as("SELECT MAX(id) FROM event").fetch_one(&mut db).await?;
        Ok(id.unwrap_or(0))
    }

    /// Events of every practice with an id above `after`, oldest first.
    pub async fn events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<EventRow>> {
        let mut db = self.reader().await?;
        query_as("SELECT id, practice_id, change, slot_id, thread_id, patient_id, request_id FROM event WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&mut db)
            .await
    }

    /// One practice's events with an id above `after`, oldest first.
    pub async fn practice_events_after(
        &self,
        practice: PracticeId,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<EventRow>> {
        let mut db = self.reader().await?;
        query_as(
            "SELECT id, practice_id, change, slot_id, thread_id, patient_id, request_id FROM event WHERE practice_id = $1 \
             AND id > $2 \
             ORDER BY id LIMIT $3",
        )
        .bind(practice.0)
        .bind(after)
        .bind(limit)
        .fetch_all(&mut db)
        .await
    }

    /// Deletes events older than `before`; returns how many.
    #[tracing::instrument(skip_all)]
    pub async fn prune_events(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        let value =
            query("DELETE FROM event WHERE at < $1").bind(Timestamp(before)).execute(&mut tx).await?.rows_affected();
        tx.commit().await?;
        Ok(value)
    }

    /// Writes one slot type's `released` event unless another server has;
    /// returns whether this one did.
    async fn announce_release(
        &self,
        slot_type: i64,
        practice: PracticeId,
        released: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        // Servers announcing at once take turns; the later one finds it done.
        tx.lock(format!("release-of-type-{slot_type}")).await?;
        let done: Option<i64> =
            query_scalar("SELECT id FROM event WHERE change = 'released' AND slot_type_id = $1 AND at >= $2")
                .bind(slot_type)
                .bind(Timestamp(released))
                .fetch_optional(&mut tx)
                .await?;
        if done.is_some() {
            return Ok(false); // Nothing written: the transaction rolls back.
        }
        query("INSERT INTO event (practice_id, change, slot_type_id, at) VALUES ($1, 'released', $2, $3)")
            .bind(practice.0)
            .bind(slot_type)
            .bind(Timestamp(released))
            .execute(&mut tx)
            .await?;
        tx.notify_events().await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Writes a `released` event for each slot type whose release time has
    /// passed since it was last announced, once however many servers ask.
    /// Returns how many were announced.
    #[tracing::instrument(skip_all)]
    pub async fn announce_releases(&self, now: DateTime<Utc>) -> StoreResult<usize> {
        let rows: Vec<(i64, i64, i32, i32, Option<Timestamp>)> = query_as(
            "SELECT t.id, t.practice_id, t.release_days, t.release_at_minute, \
             (SELECT MAX(e.at) FROM event e WHERE e.change = 'released' AND e.slot_type_id = t.id) \
             FROM slot_type t WHERE t.release_at_minute IS NOT NULL AND t.release_days IS NOT NULL",
        )
        .fetch_all(&mut self.reader().await?)
        .await?;
        let due = rows.into_iter().filter_map(|(id, practice, days, minute, announced)| {
            let at = NaiveTime::from_num_seconds_from_midnight_opt(minute as u32 * 60, 0)?;
            let released = Release::DaysBefore { days: days as u16, at }.latest_release(now)?;
            let fresh = match announced {
                Some(announced) => announced.0 < released,
                None => now - released <= RELEASE_LOOKBACK,
            };
            fresh.then_some((id, PracticeId(practice), released))
        });
        let mut announced = 0;
        for (slot_type, practice, released) in due {
            if self.announce_release(slot_type, practice, released).await? {
                announced += 1;
            }
        }
        if announced > 0 {
            self.ring_event_bell();
        }
        Ok(announced)
    }
}
