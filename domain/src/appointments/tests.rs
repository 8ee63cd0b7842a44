//! The appointment rules' unit tests.

use super::*;
use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};

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
    assert_eq!(refused.to_string(), "Patients under 16 cannot book appointments online. Contact the practice to book.");
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
    let held_back = SlotFacts { offer: OnlineOffer { release: EIGHT, ..open() }, ..slot(utc(2026, 10, 25, 10, 0, 0)) };
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
    assert_eq!(check_cancellation(Booker::Staff, starts, true, &rules, now()), Err(NotCancellable::AlreadyCancelled));
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
