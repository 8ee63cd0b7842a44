//! Appointments: what a practice offers online, and whether a slot can be
//! booked or an appointment cancelled, by whom, and when.
//!
//! [`check_booking`] is the one rule. The server runs it inside the booking
//! transaction, and the patient's list of slots is filtered by it, so a slot a
//! patient is shown is a slot they may book.

use crate::actor::id_type;
use crate::time::{display_date, display_london, display_london_time, from_london, to_london};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

id_type!(
    /// Someone patients see: a GP, nurse, pharmacist…
    ClinicianId
);
id_type!(
    /// A kind of appointment, such as "Asthma review with the practice nurse".
    SlotTypeId
);
id_type!(
    /// A kind of session, such as "Morning surgery".
    SessionTypeId
);
id_type!(
    /// A block of one clinician's time on one day, made of slots.
    ClinicSessionId
);
id_type!(
    /// One bookable time in a session.
    SlotId
);
id_type!(
    /// A booking of a slot by or for a patient.
    AppointmentId
);
id_type!(
    /// A weekly pattern that generates sessions.
    RotaId
);

/// Declares a closed set of values with a stored name and a label for people.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $stored:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value stored in the database and sent by forms.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $stored),+ }
            }

            /// The name shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(value: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value)
            }
        }
    };
}

labelled_enum!(
    /// What a clinician does, as patients know it.
    ClinicianRole {
        Gp => "gp", "GP";
        Nurse => "nurse", "Practice nurse";
        Hca => "hca", "Healthcare assistant";
        Pharmacist => "pharmacist", "Pharmacist";
        Physiotherapist => "physiotherapist", "Physiotherapist";
        Other => "other", "Other";
    }
);

labelled_enum!(
    /// How the appointment happens.
    Channel {
        InPerson => "in_person", "In person";
        Telephone => "telephone", "Telephone call";
        Video => "video", "Video call";
    }
);

labelled_enum!(
    /// Routine appointments can be booked ahead; same-day ones are for today's needs.
    Category {
        Routine => "routine", "Routine";
        SameDay => "same_day", "Same day or urgent";
    }
);

labelled_enum!(
    /// Through which route a booking or cancellation was made.
    Route {
        Online => "online", "Online";
        Telephone => "telephone", "By telephone";
        InPerson => "in_person", "In person at the surgery";
    }
);

labelled_enum!(
    /// Part of the day, for patients filtering slots.
    TimeOfDay {
        Morning => "morning", "Morning (before 12pm)";
        Afternoon => "afternoon", "Afternoon (12pm to 5pm)";
        Evening => "evening", "Evening (after 5pm)";
    }
);

impl TimeOfDay {
    /// The part of the London day an instant falls in.
    pub fn of(at: DateTime<Utc>) -> Self {
        match to_london(at).hour() {
            0..=11 => Self::Morning,
            12..=16 => Self::Afternoon,
            _ => Self::Evening,
        }
    }
}

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

/// A patient-facing name that tells a patient nothing (seed 000: supplier
/// systems show patients "Session" and "Slot").
pub fn generic_name_warning(patient_name: &str) -> Option<String> {
    const GENERIC: [&str; 10] =
        ["slot", "session", "appointment", "appt", "booking", "routine", "clinic", "general", "gp", "book on the day"];
    let name = patient_name.trim().to_lowercase();
    let generic = name.len() < 6 || GENERIC.iter().any(|g| name == *g || name == format!("{g}s"));
    generic.then(|| {
        format!(
            "Patients will see \"{}\", which does not tell them what the appointment is for or who it is with. \
             Give it a plain name such as \"Asthma review with the practice nurse, 20 minutes\".",
            patient_name.trim()
        )
    })
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

/// A person's age in whole years on `day`.
pub fn age_on(date_of_birth: NaiveDate, day: NaiveDate) -> u32 {
    let mut age = day.year() - date_of_birth.year();
    if (day.month(), day.day()) < (date_of_birth.month(), date_of_birth.day()) {
        age -= 1;
    }
    age.max(0) as u32
}

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

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// What staff may set on the book and its rules. The forms check against
/// these and say them in their messages.
pub mod limits {
    use std::ops::RangeInclusive;

    /// The length of an appointment type's slots, in minutes.
    pub const SLOT_MINUTES: RangeInclusive<u32> = 5..=240;
    /// Weeks of sessions made from the rotas at a time.
    pub const ROTA_WEEKS: RangeInclusive<u32> = 1..=8;
    /// How many days ahead patients can book.
    pub const HORIZON_DAYS: RangeInclusive<u32> = 1..=365;
    /// The notice needed and the cancellation cut-off, in hours (two weeks at most).
    pub const HOURS: RangeInclusive<f64> = 0.0..=336.0;
    /// The most appointments one patient holds online.
    pub const MAX_FUTURE: RangeInclusive<u32> = 1..=50;
    /// The youngest age that books online.
    pub const MIN_AGE: RangeInclusive<u32> = 1..=25;
    /// How many days before its time a held-back slot is released.
    pub const RELEASE_DAYS: RangeInclusive<u32> = 0..=90;
    /// A limit on one type: how many appointments, within how many days.
    pub const CAP_COUNT: RangeInclusive<u32> = 1..=50;
    pub const CAP_DAYS: RangeInclusive<u32> = 1..=365;
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const ASTHMA: SlotTypeId = SlotTypeId(1);
    const GP: SlotTypeId = SlotTypeId(2);
    const EIGHT: Release = Release::DaysBefore { days: 0, at: NaiveTime::from_hms_opt(8, 0, 0).unwrap() };

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap()
    }

    fn now() -> DateTime<Utc> {
        // Monday 4 May 2026, 10:00 BST.
        utc(2026, 5, 4, 9, 0, 0)
    }

    fn adult() -> Booker {
        Booker::Patient { date_of_birth: NaiveDate::from_ymd_opt(1980, 5, 4).unwrap() }
    }

    fn open() -> OnlineOffer {
        OnlineOffer { bookable: true, release: Release::WhenCreated, cap: None }
    }

    fn slot(starts: DateTime<Utc>) -> SlotFacts {
        SlotFacts {
            slot_type: GP,
            type_name: "GP appointment, 10 minutes".into(),
            starts,
            offer: open(),
            clinician_bookable: true,
            cancelled: false,
            taken: false,
        }
    }

    fn rules() -> BookingRules {
        BookingRules { max_future: None, ..BookingRules::DEFAULT }
    }

    fn tomorrow() -> DateTime<Utc> {
        utc(2026, 5, 5, 9, 0, 0)
    }

    #[test]
    fn an_open_slot_tomorrow_can_be_booked_by_a_patient() {
        assert_eq!(check_booking(adult(), &slot(tomorrow()), &rules(), &[], now()), Ok(()));
    }

    #[test]
    fn cancelled_started_and_taken_slots_cannot_be_booked_by_anyone() {
        for booker in [adult(), Booker::Staff] {
            let cancelled = SlotFacts { cancelled: true, ..slot(tomorrow()) };
            assert_eq!(check_booking(booker, &cancelled, &rules(), &[], now()), Err(Unbookable::Cancelled));
            assert_eq!(check_booking(booker, &slot(now()), &rules(), &[], now()), Err(Unbookable::Started));
            let taken = SlotFacts { taken: true, ..slot(tomorrow()) };
            let refused = check_booking(booker, &taken, &rules(), &[], now()).unwrap_err();
            assert_eq!(refused.to_string(), "That appointment has just been taken.");
        }
    }

    #[test]
    fn slot_types_and_clinicians_not_offered_online_are_refused_to_patients_but_not_staff() {
        let hidden = SlotFacts { offer: OnlineOffer::NOT_ONLINE, ..slot(tomorrow()) };
        let away = SlotFacts { clinician_bookable: false, ..slot(tomorrow()) };
        for s in [hidden, away] {
            assert_eq!(check_booking(adult(), &s, &rules(), &[], now()), Err(Unbookable::NotOnline));
            assert_eq!(check_booking(Booker::Staff, &s, &rules(), &[], now()), Ok(()));
        }
    }

    #[test]
    fn the_horizon_counts_london_days_from_today() {
        let last_day = utc(2026, 6, 1, 22, 30, 0); // 23:30 BST on 1 June, 28 days on
        assert_eq!(check_booking(adult(), &slot(last_day), &rules(), &[], now()), Ok(()));
        let next_day = utc(2026, 6, 1, 23, 30, 0); // 00:30 BST on 2 June
        let refused = check_booking(adult(), &slot(next_day), &rules(), &[], now()).unwrap_err();
        assert_eq!(refused.to_string(), "Appointments can be booked online up to 28 days ahead.");
    }

    #[test]
    fn slots_inside_the_minimum_notice_are_refused_online() {
        let soon = now() + TimeDelta::minutes(119);
        let refused = check_booking(adult(), &slot(soon), &rules(), &[], now()).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Appointments must be booked online at least 2 hours before they start. Contact the practice for an appointment sooner."
        );
        assert_eq!(check_booking(adult(), &slot(now() + TimeDelta::minutes(120)), &rules(), &[], now()), Ok(()));
        assert_eq!(check_booking(Booker::Staff, &slot(soon), &rules(), &[], now()), Ok(()));
    }

    #[test]
    fn patients_under_the_minimum_age_are_refused_until_their_birthday() {
        let rules = BookingRules { min_age: Some(16), ..rules() };
        let fifteen = Booker::Patient { date_of_birth: NaiveDate::from_ymd_opt(2010, 5, 5).unwrap() };
        let refused = check_booking(fifteen, &slot(tomorrow()), &rules, &[], now()).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Patients under 16 cannot book appointments online. Contact the practice to book."
        );
        assert!(refused.is_limit());
        let sixteen_today = Booker::Patient { date_of_birth: NaiveDate::from_ymd_opt(2010, 5, 4).unwrap() };
        assert_eq!(check_booking(sixteen_today, &slot(tomorrow()), &rules, &[], now()), Ok(()));
    }

    #[test]
    fn a_slot_held_for_eight_oclock_release_is_refused_a_second_before_and_bookable_at_eight() {
        // 08:00 BST is 07:00 UTC.
        let starts = utc(2026, 5, 5, 10, 0, 0);
        let held_back = SlotFacts { offer: OnlineOffer { release: EIGHT, ..open() }, ..slot(starts) };
        let before = utc(2026, 5, 5, 6, 59, 59);
        let refused = check_booking(adult(), &held_back, &rules(), &[], before).unwrap_err();
        assert_eq!(refused, Unbookable::NotReleased { at: utc(2026, 5, 5, 7, 0, 0) });
        assert_eq!(refused.to_string(), "That appointment can be booked from Tuesday 5 May 2026, 8:00am.");
        assert_eq!(check_booking(adult(), &held_back, &rules(), &[], utc(2026, 5, 5, 7, 0, 0)), Ok(()));
    }

    #[test]
    fn release_at_eight_follows_london_time_on_both_clock_change_sundays() {
        // 29 March 2026: clocks go forward at 01:00 UTC, so 08:00 is 07:00 UTC.
        let spring = Release::released_at(EIGHT, utc(2026, 3, 29, 9, 0, 0)).unwrap();
        assert_eq!(spring, utc(2026, 3, 29, 7, 0, 0));
        // 25 October 2026: clocks go back at 01:00 UTC, so 08:00 is 08:00 UTC.
        let autumn = Release::released_at(EIGHT, utc(2026, 10, 25, 10, 0, 0)).unwrap();
        assert_eq!(autumn, utc(2026, 10, 25, 8, 0, 0));
        let held_back =
            SlotFacts { offer: OnlineOffer { release: EIGHT, ..open() }, ..slot(utc(2026, 10, 25, 10, 0, 0)) };
        let rules = BookingRules { min_notice_minutes: 0, ..rules() };
        assert!(check_booking(adult(), &held_back, &rules, &[], utc(2026, 10, 25, 7, 59, 59)).is_err());
        assert_eq!(check_booking(adult(), &held_back, &rules, &[], utc(2026, 10, 25, 8, 0, 0)), Ok(()));
    }

    #[test]
    fn the_latest_release_is_todays_once_its_time_has_passed_else_yesterdays() {
        let eight = Release::DaysBefore { days: 7, at: NaiveTime::from_hms_opt(8, 0, 0).unwrap() };
        let utc = |d: u32, h: u32, m: u32, s: u32| Utc.with_ymd_and_hms(2026, 5, d, h, m, s).unwrap();
        // 08:00 in London is 07:00 UTC in May.
        assert_eq!(eight.latest_release(utc(5, 7, 0, 0)), Some(utc(5, 7, 0, 0)));
        assert_eq!(eight.latest_release(utc(5, 6, 59, 59)), Some(utc(4, 7, 0, 0)));
        assert_eq!(eight.latest_release(utc(5, 23, 0, 0)), Some(utc(5, 7, 0, 0)));
        assert_eq!(Release::WhenCreated.latest_release(utc(5, 7, 0, 0)), None);
    }

    #[test]
    fn release_days_ahead_counts_london_days_back_from_the_slot() {
        let six_pm_a_week_before = Release::DaysBefore { days: 7, at: NaiveTime::from_hms_opt(18, 0, 0).unwrap() };
        // A slot at 00:30 BST on 12 May is on London's 12 May, not UTC's 11 May.
        let at = six_pm_a_week_before.released_at(utc(2026, 5, 11, 23, 30, 0)).unwrap();
        assert_eq!(at, utc(2026, 5, 5, 17, 0, 0));
        assert_eq!(six_pm_a_week_before.describe(), "at 6:00pm 7 days before");
        assert_eq!(EIGHT.describe(), "at 8:00am on the day");
    }

    #[test]
    fn the_total_cap_counts_future_appointments_only_and_names_the_earliest() {
        let rules = BookingRules { max_future: Some(2), ..rules() };
        let past = Held { slot_type: GP, starts: now() - TimeDelta::days(3) };
        let first = Held { slot_type: GP, starts: utc(2026, 5, 12, 9, 0, 0) };
        let second = Held { slot_type: ASTHMA, starts: utc(2026, 5, 20, 9, 0, 0) };
        assert_eq!(check_booking(adult(), &slot(tomorrow()), &rules, &[past, first], now()), Ok(()));
        let refused = check_booking(adult(), &slot(tomorrow()), &rules, &[past, second, first], now()).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "You already have 2 appointments booked, the most you can hold online. You can book another after your appointment on 12 May 2026, or cancel one."
        );
        assert!(refused.is_limit());
        assert_eq!(check_booking(Booker::Staff, &slot(tomorrow()), &rules, &[first, second], now()), Ok(()));
    }

    #[test]
    fn the_per_type_cap_counts_that_type_within_the_window_either_side() {
        let asthma = |starts| SlotFacts {
            slot_type: ASTHMA,
            type_name: "Asthma review".into(),
            offer: OnlineOffer { cap: Some(Cap { count: 2, days: 28 }), ..open() },
            ..slot(starts)
        };
        let a = Held { slot_type: ASTHMA, starts: utc(2026, 5, 6, 9, 0, 0) };
        let b = Held { slot_type: ASTHMA, starts: utc(2026, 5, 14, 9, 0, 0) };
        let other = Held { slot_type: GP, starts: utc(2026, 5, 7, 9, 0, 0) };
        assert_eq!(check_booking(adult(), &asthma(tomorrow()), &rules(), &[a, other], now()), Ok(()));
        let refused = check_booking(adult(), &asthma(tomorrow()), &rules(), &[a, b, other], now()).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "You already have 2 \"Asthma review\" appointments within 28 days of this one. You can book another from 3 June 2026."
        );
        // 28 days after the earlier one, the window no longer holds both.
        let further = BookingRules { horizon_days: 60, ..rules() };
        assert!(check_booking(adult(), &asthma(utc(2026, 6, 2, 9, 0, 0)), &further, &[a, b], now()).is_err());
        assert_eq!(check_booking(adult(), &asthma(utc(2026, 6, 3, 9, 0, 0)), &further, &[a, b], now()), Ok(()));
    }

    #[test]
    fn patients_may_cancel_until_the_cut_off_and_staff_until_the_start() {
        let rules = rules();
        let starts = now() + TimeDelta::minutes(59);
        let refused = check_cancellation(adult(), starts, false, &rules, now()).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Appointments can only be cancelled online up to 1 hour before they start. Call the practice to cancel."
        );
        assert_eq!(check_cancellation(adult(), now() + TimeDelta::minutes(60), false, &rules, now()), Ok(()));
        assert_eq!(check_cancellation(Booker::Staff, starts, false, &rules, now()), Ok(()));
        assert_eq!(check_cancellation(Booker::Staff, now(), false, &rules, now()), Err(NotCancellable::Started));
        assert_eq!(
            check_cancellation(Booker::Staff, starts, true, &rules, now()),
            Err(NotCancellable::AlreadyCancelled)
        );
    }

    #[test]
    fn generic_patient_facing_names_are_warned_about() {
        for name in ["Slot", "Session", " slots ", "GP", "Appointment", "Routine"] {
            assert!(generic_name_warning(name).is_some(), "{name}");
        }
        assert_eq!(generic_name_warning("Asthma review with the practice nurse, 20 minutes"), None);
        assert!(generic_name_warning("Slot").unwrap().contains("\"Slot\""));
    }

    #[test]
    fn durations_times_and_ages_read_plainly() {
        assert_eq!(duration(120), "2 hours");
        assert_eq!(duration(30), "30 minutes");
        assert_eq!(duration(1440), "1 day");
        assert_eq!(duration(90), "1 hour 30 minutes");
        assert_eq!(parse_clock("08:00"), NaiveTime::from_hms_opt(8, 0, 0));
        assert_eq!(parse_clock("8.30"), NaiveTime::from_hms_opt(8, 30, 0));
        assert_eq!(parse_clock("1830"), NaiveTime::from_hms_opt(18, 30, 0));
        for bad in ["25:00", "8", "8:7", "noon", ""] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
        let born = NaiveDate::from_ymd_opt(2008, 2, 29).unwrap();
        assert_eq!(age_on(born, NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()), 17);
        assert_eq!(age_on(born, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()), 18);
        assert_eq!(TimeOfDay::of(utc(2026, 5, 4, 11, 30, 0)), TimeOfDay::Afternoon, "12:30 BST");
        assert_eq!(TimeOfDay::of(utc(2026, 5, 4, 16, 0, 0)), TimeOfDay::Evening, "17:00 BST");
        assert_eq!(TimeOfDay::of(utc(2026, 1, 4, 11, 30, 0)), TimeOfDay::Morning, "11:30 GMT");
    }

    #[test]
    fn a_session_is_cut_into_whole_slots_in_london_time() {
        let day = NaiveDate::from_ymd_opt(2026, 5, 5).unwrap();
        let times = slot_times(day, parse_clock("09:00").unwrap(), parse_clock("10:05").unwrap(), 15);
        assert_eq!(times.len(), 4, "the last 5 minutes make no slot");
        assert_eq!(times[0], (utc(2026, 5, 5, 8, 0, 0), utc(2026, 5, 5, 8, 15, 0)));
        assert_eq!(times[3].1, utc(2026, 5, 5, 9, 0, 0));
        // 29 March 2026: 01:00 to 02:00 never happens in London.
        let spring = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let night = slot_times(spring, parse_clock("00:30").unwrap(), parse_clock("02:30").unwrap(), 30);
        assert_eq!(night.len(), 2, "00:30 and 02:00 BST; the skipped hour makes none");
        assert!(night.iter().all(|(s, e)| e > s));
    }

    /// A small deterministic generator, so the property test needs no extra crate.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, below: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % below
        }
    }

    #[test]
    fn whatever_order_slots_are_tried_in_no_window_ever_holds_more_than_the_caps_allow() {
        for seed in 0..200 {
            let mut random = Lcg(seed);
            let cap = Cap { count: 1 + random.next(3) as u32, days: 1 + random.next(30) as u32 };
            let rules = BookingRules {
                horizon_days: 90,
                min_notice_minutes: 0,
                max_future: Some(1 + random.next(6) as u32),
                ..rules()
            };
            let mut held: Vec<Held> = Vec::new();
            for _ in 0..60 {
                let slot_type = if random.next(2) == 0 { ASTHMA } else { GP };
                let starts = now() + TimeDelta::hours(1 + random.next(24 * 80) as i64);
                let offer = OnlineOffer { cap: (slot_type == ASTHMA).then_some(cap), ..open() };
                let candidate = SlotFacts { slot_type, offer, ..slot(starts) };
                if check_booking(adult(), &candidate, &rules, &held, now()).is_ok() {
                    held.push(Held { slot_type, starts });
                }
            }
            assert!(held.len() <= rules.max_future.unwrap() as usize, "seed {seed}: total cap");
            let asthma: Vec<DateTime<Utc>> = held.iter().filter(|h| h.slot_type == ASTHMA).map(|h| h.starts).collect();
            for from in &asthma {
                let window = TimeDelta::days(i64::from(cap.days));
                let inside = asthma.iter().filter(|t| **t >= *from && **t - *from < window).count();
                assert!(inside <= cap.count as usize, "seed {seed}: {inside} in {} days, cap {}", cap.days, cap.count);
            }
        }
    }

    #[test]
    fn stored_names_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(*c));
        }
        for r in ClinicianRole::ALL {
            assert_eq!(ClinicianRole::parse(r.as_str()), Some(*r));
        }
        assert_eq!(Route::parse("fax"), None);
    }

    #[test]
    fn the_day_strip_counts_each_london_day_and_shows_full_days_too() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 10, day).unwrap();
        // 23:30 UTC on 24 October is 00:30 BST on the 25th; the clocks go back that night.
        let starts = [
            utc(2026, 10, 24, 8, 0, 0),
            utc(2026, 10, 24, 23, 30, 0),
            utc(2026, 10, 25, 9, 0, 0),
            utc(2026, 11, 2, 9, 0, 0),
        ];
        assert_eq!(day_strip(d(24), d(27), &starts), vec![(d(24), 1), (d(25), 2), (d(26), 0), (d(27), 0)]);
        assert!(day_strip(d(27), d(24), &starts).is_empty());
    }
}
