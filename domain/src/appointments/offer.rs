//! How an appointment type is offered online: released when created or held back until
//! a time some days before, and perhaps limited per patient.

use crate::time::{from_london, to_london};
use chrono::{DateTime, NaiveTime, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// When a slot of a type becomes bookable online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Release {
    /// As soon as the slot exists.
    WhenCreated,
    /// Held back until a London time of day, a number of days before the
    /// slot's day: 08:00 on the day is `{ days: 0, at: 08:00 }`.
    DaysBefore { days: u16, at: NaiveTime },
}

impl Release {
    /// The instant a slot starting at `starts` is released.
    pub fn released_at(self, starts: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Release::WhenCreated => None,
            Release::DaysBefore { days, at } => {
                let day = to_london(starts).date() - TimeDelta::days(i64::from(days));
                Some(from_london(day.and_time(at)))
            }
        }
    }

    /// The last instant at or before `now` when slots of this kind were
    /// released: today's release time in London if it has passed, else
    /// yesterday's. `None` when slots are never held back.
    pub fn latest_release(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let Release::DaysBefore { at, .. } = self else { return None };
        let today = to_london(now).date();
        let released = from_london(today.and_time(at));
        Some(if released <= now { released } else { from_london((today - TimeDelta::days(1)).and_time(at)) })
    }

    /// "when created", "at 8:00am on the day", "at 6:00pm 7 days before".
    pub fn describe(self) -> String {
        match self {
            Release::WhenCreated => "when created".into(),
            Release::DaysBefore { days, at } => {
                let time = clock(at);
                match days {
                    0 => format!("at {time} on the day"),
                    1 => format!("at {time} the day before"),
                    n => format!("at {time} {n} days before"),
                }
            }
        }
    }
}

/// "8:00am", "6:30pm".
pub fn clock(at: NaiveTime) -> String {
    let (pm, hour) = at.hour12();
    format!("{hour}:{:02}{}", at.minute(), if pm { "pm" } else { "am" })
}

/// At most `count` appointments of one type within `days` days of each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cap {
    pub count: u32,
    pub days: u32,
}

/// How a slot type is offered online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnlineOffer {
    pub bookable: bool,
    pub release: Release,
    pub cap: Option<Cap>,
}

impl OnlineOffer {
    pub const NOT_ONLINE: OnlineOffer = OnlineOffer { bookable: false, release: Release::WhenCreated, cap: None };
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}
