//! The booking rule and the cancelling rule: whether a slot can be booked, or an appointment
//! cancelled, by whom and when, and exactly why not.

use super::{OnlineOffer, SlotTypeId};
use crate::time::{display_date, display_london, display_london_time, to_london};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// The practice's rules for booking online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRules {
    /// How far ahead patients may book, in days from today.
    pub horizon_days: u32,
    /// How soon before it starts a slot can still be booked online.
    pub min_notice_minutes: u32,
    /// At most this many future appointments held at once (any type).
    pub max_future: Option<u32>,
    /// Patients younger than this cannot book online.
    pub min_age: Option<u32>,
    /// How soon before it starts an appointment can still be cancelled online.
    pub cancel_cutoff_minutes: u32,
}

impl BookingRules {
    /// What a practice gets until it chooses: four weeks ahead, two hours'
    /// notice, two appointments held at once (seed 001: "many practices
    /// limit the number to two or three"), cancel up to an hour before.
    pub const DEFAULT: BookingRules = BookingRules {
        horizon_days: 28,
        min_notice_minutes: 120,
        max_future: Some(2),
        min_age: None,
        cancel_cutoff_minutes: 60,
    };
}

/// What the rule needs to know about a slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotFacts {
    pub slot_type: SlotTypeId,
    /// The type's patient-facing name, for messages.
    pub type_name: String,
    pub starts: DateTime<Utc>,
    pub offer: OnlineOffer,
    pub clinician_bookable: bool,
    pub cancelled: bool,
    pub taken: bool,
}

/// An appointment the patient holds (booked, not cancelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    pub slot_type: SlotTypeId,
    pub starts: DateTime<Utc>,
}

/// Who is booking or cancelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Booker {
    /// The patient, online: every online rule applies.
    Patient { date_of_birth: NaiveDate },
    /// Practice staff for a patient: any open slot, whatever the online rules.
    Staff,
}

/// Why a slot cannot be booked, worded for the person booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Unbookable {
    #[error("That appointment has been cancelled by the practice.")]
    Cancelled,
    #[error("The patient is no longer registered at the practice, so cannot be booked in.")]
    NotRegistered,
    #[error("That appointment time has passed.")]
    Started,
    #[error("That appointment has just been taken.")]
    Taken,
    #[error("That appointment cannot be booked online. Contact the practice to book it.")]
    NotOnline,
    #[error("Patients under {min_age} cannot book appointments online. Contact the practice to book.")]
    TooYoung { min_age: u32 },
    #[error("Appointments can be booked online up to {days} days ahead.")]
    BeyondHorizon { days: u32 },
    #[error("Appointments must be booked online at least {} before they start. Contact the practice for an appointment sooner.", duration(*minutes))]
    TooSoon { minutes: u32 },
    #[error("That appointment can be booked from {}.", display_london(*at))]
    NotReleased { at: DateTime<Utc> },
    #[error(
        "You already have {max} appointments booked, the most you can hold online. You can book another after your appointment on {}, or cancel one.",
        display_date(to_london(*earliest).date())
    )]
    TooMany { max: u32, earliest: DateTime<Utc> },
    #[error(
        "You already have {count} \"{type_name}\" appointments within {days} days of this one. You can book another from {}.",
        display_date(*from)
    )]
    TooManyOfType { count: u32, days: u32, type_name: String, from: NaiveDate },
}

impl Unbookable {
    /// True for the per-patient limits, which the list of slots explains
    /// rather than silently hiding.
    pub fn is_limit(&self) -> bool {
        matches!(self, Unbookable::TooMany { .. } | Unbookable::TooManyOfType { .. } | Unbookable::TooYoung { .. })
    }
}

/// "2 hours", "30 minutes", "1 day", "1 hour 30 minutes".
pub fn duration(minutes: u32) -> String {
    let plural = |n: u32, unit: &str| if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") };
    match (minutes / 60, minutes % 60) {
        (0, m) => plural(m, "minute"),
        (h, 0) if h % 24 == 0 => plural(h / 24, "day"),
        (h, 0) => plural(h, "hour"),
        (h, m) => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
    }
}

pub use crate::age::age_on;

/// Whether `booker` may book `slot` now, given the appointments the patient
/// already holds. Staff may book any open slot; a patient online meets every
/// rule the practice set, checked in the order a patient would want to hear
/// them.
pub fn check_booking(
    booker: Booker,
    slot: &SlotFacts,
    rules: &BookingRules,
    held: &[Held],
    now: DateTime<Utc>,
) -> Result<(), Unbookable> {
    if slot.cancelled {
        return Err(Unbookable::Cancelled);
    }
    if slot.starts <= now {
        return Err(Unbookable::Started);
    }
    if slot.taken {
        return Err(Unbookable::Taken);
    }
    let Booker::Patient { date_of_birth } = booker else {
        return Ok(());
    };
    if !slot.offer.bookable || !slot.clinician_bookable {
        return Err(Unbookable::NotOnline);
    }
    let today = to_london(now).date();
    if let Some(min_age) = rules.min_age {
        if age_on(date_of_birth, today) < min_age {
            return Err(Unbookable::TooYoung { min_age });
        }
    }
    if to_london(slot.starts).date() > today + TimeDelta::days(i64::from(rules.horizon_days)) {
        return Err(Unbookable::BeyondHorizon { days: rules.horizon_days });
    }
    if slot.starts < now + TimeDelta::minutes(i64::from(rules.min_notice_minutes)) {
        return Err(Unbookable::TooSoon { minutes: rules.min_notice_minutes });
    }
    if let Some(at) = slot.offer.release.released_at(slot.starts) {
        if now < at {
            return Err(Unbookable::NotReleased { at });
        }
    }
    let future: Vec<&Held> = held.iter().filter(|h| h.starts > now).collect();
    if let Some(max) = rules.max_future {
        if future.len() >= max as usize {
            let earliest = future.iter().map(|h| h.starts).min().unwrap_or(slot.starts);
            return Err(Unbookable::TooMany { max, earliest });
        }
    }
    if let Some(cap) = slot.offer.cap {
        let window = TimeDelta::days(i64::from(cap.days));
        let mut near: Vec<DateTime<Utc>> = held
            .iter()
            .filter(|h| h.slot_type == slot.slot_type && (h.starts - slot.starts).abs() < window)
            .map(|h| h.starts)
            .collect();
        if near.len() >= cap.count as usize {
            // Later slots become bookable once fewer than `count` of these
            // are within the window: a window after the count-th latest one.
            near.sort();
            let clear_of = near[near.len() - cap.count as usize];
            return Err(Unbookable::TooManyOfType {
                count: near.len() as u32,
                days: cap.days,
                type_name: slot.type_name.clone(),
                from: to_london(clear_of + window).date(),
            });
        }
    }
    Ok(())
}

/// Why an appointment cannot be cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum NotCancellable {
    #[error("That appointment has already been cancelled.")]
    AlreadyCancelled,
    #[error("That appointment time has passed.")]
    Started,
    #[error("Appointments can only be cancelled online up to {} before they start. Call the practice to cancel.", duration(*minutes))]
    TooLate { minutes: u32 },
}

/// Whether `booker` may cancel an appointment starting at `starts`: staff
/// until it starts, a patient online until the practice's cut-off.
pub fn check_cancellation(
    booker: Booker,
    starts: DateTime<Utc>,
    cancelled: bool,
    rules: &BookingRules,
    now: DateTime<Utc>,
) -> Result<(), NotCancellable> {
    if cancelled {
        return Err(NotCancellable::AlreadyCancelled);
    }
    if starts <= now {
        return Err(NotCancellable::Started);
    }
    if matches!(booker, Booker::Patient { .. })
        && starts < now + TimeDelta::minutes(i64::from(rules.cancel_cutoff_minutes))
    {
        return Err(NotCancellable::TooLate { minutes: rules.cancel_cutoff_minutes });
    }
    Ok(())
}

/// "Monday 2 March 2026, 9:30am to 9:50am".
pub fn describe_times(starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    format!("{} to {}", display_london(starts), display_london_time(ends))
}
