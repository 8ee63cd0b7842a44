//! When each session was last seen, noted in memory on every request and
//! written to the database in one batch every few seconds
//! ([`ACTIVITY_BATCH`]). A page view is then no database write: in an 08:00
//! rush thousands of sessions last seen minutes ago would otherwise each
//! queue a write ahead of the bookings.
//!
//! Idle expiry stays exact to within one batch: this server reads its own
//! notes before the database's, and other servers see the notes once the
//! batch is written.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

/// How often the notes are written to the database.
pub const ACTIVITY_BATCH: std::time::Duration = std::time::Duration::from_secs(5);

/// Sessions seen since the last batch was written, with when.
#[derive(Debug, Default)]
pub struct SessionActivity {
    seen: Mutex<HashMap<i64, DateTime<Utc>>>,
}

impl SessionActivity {
    fn seen(&self) -> std::sync::MutexGuard<'_, HashMap<i64, DateTime<Utc>>> {
        // The map holds plain values: one left by a panicking thread is still whole.
        self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Notes that the session was used at `at`.
    pub fn saw(&self, session: i64, at: DateTime<Utc>) {
        let mut seen = self.seen();
        let last = seen.entry(session).or_insert(at);
        *last = (*last).max(at);
    }

    /// When this server last saw the session, if since the last batch.
    pub fn last_seen(&self, session: i64) -> Option<DateTime<Utc>> {
        self.seen().get(&session).copied()
    }

    /// The notes to write. They stay until [`SessionActivity::written`]:
    /// a request arriving while the batch is being written still finds
    /// them, not the database's older time.
    pub fn batch(&self) -> Vec<(i64, DateTime<Utc>)> {
        self.seen().iter().map(|(session, at)| (*session, *at)).collect()
    }

    /// Forgets the notes a batch wrote, unless the session was seen again
    /// meanwhile (that later note goes in the next batch). After a failed
    /// write nothing is forgotten, and the next batch tries again.
    pub fn written(&self, batch: &[(i64, DateTime<Utc>)]) {
        let mut seen = self.seen();
        for (session, at) in batch {
            if seen.get(session).is_some_and(|last| last <= at) {
                seen.remove(session);
            }
        }
    }

    /// Forgets a session that has ended.
    pub fn forget(&self, session: i64) {
        self.seen().remove(&session);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, minute, 0).unwrap()
    }

    #[test]
    fn the_latest_sighting_of_each_session_is_kept_until_its_batch_is_written() {
        let activity = SessionActivity::default();
        activity.saw(1, at(5));
        activity.saw(1, at(3));
        activity.saw(2, at(4));
        assert_eq!(activity.last_seen(1), Some(at(5)), "a late-arriving older request does not move it back");
        let mut batch = activity.batch();
        batch.sort();
        assert_eq!(batch, vec![(1, at(5)), (2, at(4))]);
        assert_eq!(activity.last_seen(1), Some(at(5)), "still known while the batch is written");
        activity.written(&batch);
        assert_eq!(activity.last_seen(1), None, "written");
        assert!(activity.batch().is_empty());
    }

    #[test]
    fn a_session_seen_while_its_batch_was_written_keeps_the_later_note() {
        let activity = SessionActivity::default();
        activity.saw(1, at(5));
        let batch = activity.batch();
        activity.saw(1, at(7));
        activity.written(&batch);
        assert_eq!(activity.batch(), vec![(1, at(7))]);
        activity.saw(3, at(1));
        activity.forget(3);
        assert_eq!(activity.batch(), vec![(1, at(7))]);
    }
}
