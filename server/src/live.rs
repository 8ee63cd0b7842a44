//! Live updates: a hub that reads new events from the database and fans them
//! out to the server-sent-event streams of screens showing slots.
//!
//! The hub wakes when this process commits an event, when PostgreSQL notifies
//! that another server did, and every few seconds regardless. A stream sends
//! its practice's events only, resumes after `Last-Event-ID` when a browser
//! reconnects, and ends when the server starts shutting down (an open stream
//! would otherwise hold graceful shutdown until its deadline).

use app::error::AppError;
use app::server::{live_session, Activity, AppState, Ctx};
use axum::extract::Extension;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use domain::live::{Listener, MessageEvent, RequestEvent, SlotEvent};
use domain::policy::{Action, Object};
use futures::Stream;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};
use storage::events::EventRow;
use storage::Store;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

/// How often the hub looks even without a wake-up.
const LOOK_EVERY: Duration = Duration::from_secs(3);
/// How long an id skipped on PostgreSQL is awaited: a transaction that took
/// its id before another committed may still commit after it.
const LATE_COMMIT: Duration = Duration::from_secs(10);
/// Events read at a time.
const BATCH: i64 = 500;
/// Events a slow stream may fall behind before it is told to reload.
const BACKLOG: usize = 1024;
/// How often an open stream checks that its session still stands (signed
/// out, lapsed, or disabled ends the stream).
const SESSION_CHECK: Duration = Duration::from_secs(2);
/// Streams one session may hold open at once: a few tabs, not a flood.
pub const STREAMS_PER_SESSION: usize = 4;

/// Hands out subscriptions to the events every stream hears.
#[derive(Clone)]
pub struct Hub {
    sender: broadcast::Sender<Arc<EventRow>>,
    state: AppState,
    stopping: watch::Receiver<bool>,
    /// Open streams per session id.
    open: Arc<std::sync::Mutex<HashMap<i64, usize>>>,
}

impl Hub {
    /// Starts the hub's reader; it stops when `stopping` turns true.
    pub fn start(state: AppState, stopping: watch::Receiver<bool>) -> (Hub, JoinHandle<()>) {
        let (sender, _) = broadcast::channel(BACKLOG);
        let store = state.store.clone();
        let hub = Hub { sender: sender.clone(), state, stopping: stopping.clone(), open: Default::default() };
        (hub, tokio::spawn(read_events(store, sender, stopping)))
    }

    /// Counts a stream for a session, or refuses it when the session holds
    /// as many as it may.
    fn open_stream(&self, session: i64) -> Option<OpenStream> {
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = open.entry(session).or_insert(0);
        if *count >= STREAMS_PER_SESSION {
            return None;
        }
        *count += 1;
        Some(OpenStream { session, open: self.open.clone() })
    }
}

/// One counted stream; uncounted when the stream ends.
struct OpenStream {
    session: i64,
    open: Arc<std::sync::Mutex<HashMap<i64, usize>>>,
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&self.session) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.session);
            }
        }
    }
}

/// Follows the event table, sending each committed event once.
async fn read_events(store: Store, sender: broadcast::Sender<Arc<EventRow>>, mut stopping: watch::Receiver<bool>) {
    let mut wakeups = loop {
        match store.event_wakeups().await {
            Ok(wakeups) => break wakeups,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for events yet; retrying");
                if crate::jobs::stopping_after(&mut stopping, Duration::from_secs(2)).await {
                    return;
                }
            }
        }
    };
    let mut cursor = Cursor::new(store.last_event_id().await.unwrap_or(0));
    loop {
        match store.events_after(cursor.floor(), BATCH).await {
            Ok(rows) => {
                let full = rows.len() as i64 == BATCH;
                for row in cursor.take_new(rows, Instant::now()) {
                    // No stream listening is fine.
                    let _ = sender.send(Arc::new(row));
                }
                if full {
                    continue;
                }
            }
            Err(error) => tracing::warn!(%error, "could not read new events"),
        }
        tokio::select! {
            _ = wakeups.wait(LOOK_EVERY) => {}
            _ = stopping.wait_for(|stop| *stop) => return,
        }
    }
}

/// Which events have been sent. Ids are handed out before commit, so on
/// PostgreSQL a lower id can commit after a higher one: ids skipped over are
/// looked for again for a while, and nothing is sent twice.
struct Cursor {
    highest: i64,
    /// Skipped ids, with when they were first missed.
    awaited: BTreeMap<i64, Instant>,
    /// Ids sent that are above the lowest awaited id.
    sent: BTreeSet<i64>,
}

impl Cursor {
    fn new(highest: i64) -> Self {
        Self { highest, awaited: BTreeMap::new(), sent: BTreeSet::new() }
    }

    /// Read events with ids above this.
    fn floor(&self) -> i64 {
        self.awaited.keys().next().map_or(self.highest, |lowest| lowest - 1)
    }

    /// The rows not sent before, in id order; notes ids skipped over.
    fn take_new(&mut self, rows: Vec<EventRow>, now: Instant) -> Vec<EventRow> {
        let mut fresh = Vec::new();
        for row in rows {
            if self.sent.contains(&row.id) || (row.id <= self.highest && !self.awaited.contains_key(&row.id)) {
                continue;
            }
            self.awaited.remove(&row.id);
            if row.id > self.highest {
                // A long run of missing ids is a rolled-back bulk write, not late commits.
                if row.id - self.highest <= 64 {
                    for skipped in self.highest + 1..row.id {
                        self.awaited.insert(skipped, now);
                    }
                }
                self.highest = row.id;
            }
            self.sent.insert(row.id);
            fresh.push(row);
        }
        self.awaited.retain(|_, missed| now.duration_since(*missed) < LATE_COMMIT);
        let floor = self.floor();
        self.sent.retain(|id| *id > floor);
        fresh
    }
}

/// `GET /live/slots`: the signed-in person's practice's slot changes, as
/// server-sent events (`id:` the event id, `data:` a [`SlotEvent`]). An event
/// named `reload` means changes were missed: fetch the list again.
pub async fn slot_stream(
    Extension(hub): Extension<Hub>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let practice = ctx.actor.practice().ok_or(AppError::SignInRequired)?;
    ctx.authorize(Action::WatchSlots, Object::Practice(practice))?;
    open_stream(hub, ctx, headers, practice, Audience::Slots).await
}

/// `GET /live/messages`: changes to conversations (`data:` a
/// [`MessageEvent`]: which conversation, never its text): a patient hears of
/// their own, the practice's staff of all the practice's. `reload` as above.
pub async fn message_stream(
    Extension(hub): Extension<Hub>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let (practice, listener) = listener(&hub, &ctx, Action::HandleMessages).await?;
    open_stream(hub, ctx, headers, practice, Audience::Messages(listener)).await
}

/// `GET /live/prescriptions`: changes to prescription requests (`data:` a
/// [`RequestEvent`]: which request, never a medicine): a patient hears of
/// their own, the practice's staff of all the practice's. `reload` as above.
pub async fn prescription_stream(
    Extension(hub): Extension<Hub>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let (practice, listener) = listener(&hub, &ctx, Action::HandlePrescriptions).await?;
    open_stream(hub, ctx, headers, practice, Audience::Prescriptions(listener)).await
}

/// Who is listening: a patient to their own, a proxy to the person they act
/// for (when they may use the service for them today, as every page asks),
/// staff (allowed `staff_action`) to the whole practice's.
async fn listener(hub: &Hub, ctx: &Ctx, staff_action: Action) -> Result<(domain::PracticeId, Listener), AppError> {
    let listener = match ctx.actor {
        domain::Actor::Anonymous => return Err(AppError::SignInRequired),
        domain::Actor::Patient { patient, .. } => Listener::Patient(patient.0),
        domain::Actor::Proxy { .. } => {
            let uses = |available: &domain::services::Available| match staff_action {
                Action::HandleMessages => available.messaging,
                Action::HandlePrescriptions => available.prescriptions,
                _ => false,
            };
            let (_, subject, ..) = app::server::services::signed_in_patient(&hub.state, ctx, uses).await?;
            Listener::Patient(subject.0)
        }
        _ => {
            ctx.staff_practice(staff_action)?;
            Listener::Staff
        }
    };
    Ok((ctx.actor.practice().ok_or(AppError::SignInRequired)?, listener))
}

/// Which events a stream sends, and how.
#[derive(Debug, Clone, Copy)]
enum Audience {
    Slots,
    Messages(Listener),
    Prescriptions(Listener),
}

impl Audience {
    /// The event to send for a row, if this stream sends it.
    fn event_of(self, row: &EventRow) -> Option<Event> {
        match self {
            Audience::Slots => {
                let event: SlotEvent = row.event()?;
                Event::default().id(event.id.to_string()).json_data(&event).ok()
            }
            Audience::Messages(listener) => {
                let (event, patient): (MessageEvent, i64) = row.message_event()?;
                if !listener.hears(patient) {
                    return None;
                }
                Event::default().id(event.id.to_string()).json_data(&event).ok()
            }
            Audience::Prescriptions(listener) => {
                let (event, patient): (RequestEvent, i64) = row.request_event()?;
                if !listener.hears(patient) {
                    return None;
                }
                Event::default().id(event.id.to_string()).json_data(&event).ok()
            }
        }
    }
}

/// A practice's stream for one audience, counted against the session,
/// resuming after `Last-Event-ID`.
async fn open_stream(
    hub: Hub,
    ctx: Ctx,
    headers: HeaderMap,
    practice: domain::PracticeId,
    audience: Audience,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let session = ctx.session.clone().ok_or(AppError::SignInRequired)?;
    let counted = hub.open_stream(session.id).ok_or_else(|| {
        AppError::TooManyRequests(
            "Too many pages with live lists are open. Close some, then reload this page.".to_owned(),
        )
    })?;
    let resume_after = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
    // Subscribe before reading what was missed, so nothing falls in between.
    let live = hub.sender.subscribe();
    let (missed, replay_complete) = match resume_after {
        Some(after) => {
            let rows = hub.state.store.practice_events_after(practice, after, BATCH).await?;
            let complete = (rows.len() as i64) < BATCH;
            (rows, complete)
        }
        None => (Vec::new(), true),
    };
    let replayed: HashSet<i64> = missed.iter().map(|row| row.id).collect();
    let mut first: Vec<Event> = missed.iter().filter_map(|row| audience.event_of(row)).collect();
    if !replay_complete {
        first.push(reload());
    }
    let mut check = tokio::time::interval_at(tokio::time::Instant::now() + SESSION_CHECK, SESSION_CHECK);
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let state = StreamState {
        first: first.into_iter(),
        live,
        replayed,
        practice: practice.0,
        audience,
        stopping: hub.stopping,
        app: hub.state,
        token_hash: session.token_hash,
        check,
        _counted: counted,
    };
    let stream = futures::stream::unfold(state, |mut state| async move {
        let event = state.next().await?;
        Some((Ok(event), state))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))))
}

struct StreamState {
    first: std::vec::IntoIter<Event>,
    live: broadcast::Receiver<Arc<EventRow>>,
    replayed: HashSet<i64>,
    practice: i64,
    audience: Audience,
    stopping: watch::Receiver<bool>,
    app: AppState,
    /// The session the stream was opened with, checked every few seconds.
    token_hash: String,
    check: tokio::time::Interval,
    _counted: OpenStream,
}

impl StreamState {
    /// The next event to send; `None` ends the stream.
    async fn next(&mut self) -> Option<Event> {
        if let Some(event) = self.first.next() {
            return Some(event);
        }
        loop {
            let received = tokio::select! {
                received = self.live.recv() => Some(received),
                _ = self.stopping.wait_for(|stop| *stop) => return None,
                _ = self.check.tick() => None,
            };
            let Some(received) = received else {
                if self.session_ended().await {
                    return None;
                }
                continue;
            };
            match received {
                Ok(row) if row.practice_id == self.practice && !self.replayed.contains(&row.id) => {
                    if let Some(event) = self.audience.event_of(&row) {
                        return Some(event);
                    }
                }
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(_)) => return Some(reload()),
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

impl StreamState {
    /// Whether the stream's session has ended (signed out, lapsed, its login
    /// disabled). Looking does not count as activity; a database that cannot
    /// be asked leaves the stream open until the next look.
    async fn session_ended(&self) -> bool {
        let now = self.app.clock.now();
        match live_session(&self.app, &self.token_hash, now, Activity::StreamCheck).await {
            Ok(found) => found.is_none(),
            Err(_) => false,
        }
    }
}

fn reload() -> Event {
    Event::default().event("reload").data("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(ids: &[i64]) -> Vec<EventRow> {
        ids.iter()
            .map(|&id| EventRow {
                id,
                practice_id: 1,
                change: "taken".into(),
                slot_id: Some(id),
                thread_id: None,
                patient_id: None,
                request_id: None,
            })
            .collect()
    }

    fn ids(rows: Vec<EventRow>) -> Vec<i64> {
        rows.into_iter().map(|row| row.id).collect()
    }

    #[test]
    fn an_id_that_commits_after_a_higher_one_is_still_sent_once() {
        let start = Instant::now();
        let mut cursor = Cursor::new(10);
        // 12 committed first; 11 was taken earlier but commits later.
        assert_eq!(ids(cursor.take_new(rows(&[12]), start)), vec![12]);
        assert_eq!(cursor.floor(), 10, "11 is still awaited");
        assert_eq!(ids(cursor.take_new(rows(&[11, 12, 13]), start)), vec![11, 13]);
        assert_eq!(cursor.floor(), 13);
        assert_eq!(ids(cursor.take_new(rows(&[11, 12, 13]), start)), Vec::<i64>::new());
    }

    #[test]
    fn a_skipped_id_is_given_up_after_a_while() {
        let start = Instant::now();
        let mut cursor = Cursor::new(0);
        cursor.take_new(rows(&[2]), start);
        assert_eq!(cursor.floor(), 0);
        cursor.take_new(Vec::new(), start + LATE_COMMIT);
        assert_eq!(cursor.floor(), 2, "1 rolled back: stop looking for it");
    }
}
