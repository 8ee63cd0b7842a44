//! Limits on repeated attempts: how many failed sign-ins lock a login, how
//! many requests one address or email may make, and what people are told.
//!
//! Storage counts the attempts (in the database, so limits hold across
//! restarts and servers); these rules decide.

use crate::time::display_london_time;
use chrono::{DateTime, TimeDelta, Utc};

/// At most `max` attempts within any `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: TimeDelta,
}

/// Failed sign-ins with one email before it is locked.
pub const SIGN_IN_FAILURES: Limit = Limit { max: 5, window: TimeDelta::minutes(15) };
/// How long a lock-out lasts.
pub const LOCKOUT: TimeDelta = TimeDelta::minutes(15);
/// Failed sign-ins from one client address, across any emails, before that
/// address must wait: someone trying many accounts.
pub const CLIENT_SIGN_IN_FAILURES: Limit = Limit { max: 30, window: TimeDelta::minutes(15) };
/// Password-reset requests for one email, and from one address.
pub const PASSWORD_RESETS_PER_EMAIL: Limit = Limit { max: 3, window: TimeDelta::hours(1) };
pub const PASSWORD_RESETS_PER_CLIENT: Limit = Limit { max: 10, window: TimeDelta::hours(1) };
/// Registration requests for one email address: more are answered as usual
/// and ignored.
pub const REGISTRATIONS_PER_EMAIL: Limit = Limit { max: 3, window: TimeDelta::hours(1) };
/// Registration requests from one address.
pub const REGISTRATIONS_PER_CLIENT: Limit = Limit { max: 10, window: TimeDelta::hours(1) };

/// Recent attempts as storage counts them: how many fell inside the window,
/// and when the oldest of those was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recent {
    pub count: u32,
    pub oldest: Option<DateTime<Utc>>,
}

impl Limit {
    /// The start of the window that ends now.
    pub fn since(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.window
    }

    /// Whether one more attempt is allowed; if not, when it will be (when
    /// the oldest counted attempt leaves the window).
    pub fn check(&self, recent: Recent, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        if recent.count < self.max {
            return Ok(());
        }
        Err(recent.oldest.map_or(now + self.window, |oldest| oldest + self.window).max(now))
    }

    /// Whether the attempt just counted (included in `recent`) reached the
    /// limit, so the next one must be refused.
    pub fn reached(&self, recent: Recent) -> bool {
        recent.count >= self.max
    }
}

/// What a person is told when their email is locked.
pub fn locked_message(until: DateTime<Utc>) -> String {
    format!(
        "You have entered the wrong details {} times, so signing in with this email address is locked for {} minutes. \
         Try again after {} (UK time), or reset your password.",
        SIGN_IN_FAILURES.max,
        LOCKOUT.num_minutes(),
        display_london_time(until)
    )
}

/// What a person is told when their address has made too many requests.
pub fn slow_down_message(until: DateTime<Utc>) -> String {
    format!(
        "There have been too many attempts from your network. Try again after {} (UK time).",
        display_london_time(until)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 12, h, m, 0).unwrap()
    }

    #[test]
    fn attempts_under_the_limit_pass() {
        assert_eq!(SIGN_IN_FAILURES.check(Recent { count: 4, oldest: Some(at(9, 0)) }, at(9, 5)), Ok(()));
    }

    #[test]
    fn at_the_limit_the_next_attempt_waits_until_the_oldest_leaves_the_window() {
        let recent = Recent { count: 3, oldest: Some(at(9, 10)) };
        assert_eq!(PASSWORD_RESETS_PER_EMAIL.check(recent, at(9, 40)), Err(at(10, 10)));
        assert!(PASSWORD_RESETS_PER_EMAIL.reached(recent));
        assert!(!SIGN_IN_FAILURES.reached(Recent { count: 4, oldest: None }));
        assert!(SIGN_IN_FAILURES.reached(Recent { count: 5, oldest: None }));
    }

    #[test]
    fn the_lock_message_says_why_and_when_in_uk_time() {
        // 12 January: GMT, so UK time is UTC.
        let message = locked_message(at(9, 45));
        assert!(
            message.contains("5 times") && message.contains("15 minutes") && message.contains("9:45am"),
            "{message}"
        );
        // 1 July: BST, an hour ahead.
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 8, 45, 0).unwrap();
        assert!(locked_message(summer).contains("9:45am"));
    }
}
