//! Clock times, the slots a session is cut into, and the strip of days a patient chooses from.

use crate::time::{from_london, to_london};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};

/// A time typed as `08:00`, `8:00`, `8.30` or `0830`.
pub fn parse_clock(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    let (hour, minute) = match text.split_once([':', '.']) {
        Some((h, m)) => (h, m),
        None if text.len() == 4 => text.split_at(2),
        None => return None,
    };
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    };
    if minute.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(number(hour)?, number(minute)?, 0)
}

/// The start and end of each slot of `minutes` from `start` to `end` on a
/// London day; a slot that would run past `end` is not made.
pub fn slot_times(
    day: NaiveDate,
    start: NaiveTime,
    end: NaiveTime,
    minutes: u32,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let step = TimeDelta::minutes(i64::from(minutes.max(1)));
    let (mut at, end) = (day.and_time(start), day.and_time(end));
    let mut times = Vec::new();
    while at + step <= end {
        let (starts, ends) = (from_london(at), from_london(at + step));
        // In the hour the clocks skip, a slot would last no time at all.
        if ends > starts {
            times.push((starts, ends));
        }
        at += step;
    }
    times
}

/// The strip of days a patient chooses from: every London day from `first`
/// to `last`, each with how many of the `starts` (slots they may book) fall
/// on it, so days with none can be shown as full.
pub fn day_strip(first: NaiveDate, last: NaiveDate, starts: &[DateTime<Utc>]) -> Vec<(NaiveDate, usize)> {
    let mut days: Vec<(NaiveDate, usize)> = first.iter_days().take_while(|day| *day <= last).map(|d| (d, 0)).collect();
    for start in starts {
        let day = to_london(*start).date();
        if let Some((_, count)) = days.iter_mut().find(|(d, _)| *d == day) {
            *count += 1;
        }
    }
    days
}
