//! Practice-local time. Every practice is in the UK, whose clocks follow
//! Europe/London: GMT in winter, BST (UTC+1) from 01:00 UTC on the last Sunday
//! of March to 01:00 UTC on the last Sunday of October. Written out here, so
//! the rule is the same in the browser and on the server without shipping a
//! time-zone database.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Timelike, Utc, Weekday};

/// The last Sunday of `month` in `year`.
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) }
            .unwrap_or(NaiveDate::MIN);
    let last = first_of_next.pred_opt().unwrap_or(NaiveDate::MIN);
    let back = last.weekday().num_days_from_sunday();
    last - TimeDelta::days(i64::from(back))
}

/// The instants (UTC) when British Summer Time starts and ends in `year`.
fn summer_time(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let at_one = |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(1, 0, 0).unwrap_or_default());
    (at_one(last_sunday(year, 3)), at_one(last_sunday(year, 10)))
}

/// The offset from UTC in London at an instant.
pub fn london_offset(at: DateTime<Utc>) -> TimeDelta {
    let (starts, ends) = summer_time(at.year());
    if at >= starts && at < ends {
        TimeDelta::hours(1)
    } else {
        TimeDelta::zero()
    }
}

/// The wall-clock time in London at an instant.
pub fn to_london(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc() + london_offset(at)
}

/// The instant a London wall-clock time names. In the hour the clocks skip
/// (01:00–02:00 on the last Sunday of March) it names no instant: the first
/// instant after the gap is returned. In the hour that happens twice (01:00–02:00
/// on the last Sunday of October) the earlier one is returned.
pub fn from_london(local: NaiveDateTime) -> DateTime<Utc> {
    let as_bst = Utc.from_utc_datetime(&(local - TimeDelta::hours(1)));
    if london_offset(as_bst) == TimeDelta::hours(1) {
        return as_bst;
    }
    let as_gmt = Utc.from_utc_datetime(&local);
    if london_offset(as_gmt).is_zero() {
        return as_gmt;
    }
    // Inside the spring gap: clocks went from 01:00 GMT straight to 02:00 BST.
    summer_time(local.year()).0
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How people read an instant: "Monday 2 March 2026, 9:30am", London time.
pub fn display_london(at: DateTime<Utc>) -> String {
    let local = to_london(at);
    let weekday = match local.weekday() {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    };
    let month = MONTHS[local.month0() as usize];
    let (pm, hour) = local.hour12();
    format!(
        "{weekday} {} {month} {}, {hour}:{:02}{}",
        local.day(),
        local.year(),
        local.minute(),
        if pm { "pm" } else { "am" }
    )
}

/// The time of day of an instant, London time: "9:45am".
pub fn display_london_time(at: DateTime<Utc>) -> String {
    let local = to_london(at);
    let (pm, hour) = local.hour12();
    format!("{hour}:{:02}{}", local.minute(), if pm { "pm" } else { "am" })
}

/// A date as a form shows it: `15/01/1940`.
pub fn typed_date(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
}

/// A date as people read it: "15 January 1940".
pub fn display_date(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), MONTHS[date.month0() as usize], date.year())
}

/// The day an instant falls on in London, as people read it.
pub fn display_london_date(at: DateTime<Utc>) -> String {
    display_date(to_london(at).date())
}

/// A date as typed: `15/01/1940`, `15-1-1940`, `15 1 1940` (day first, as
/// in the UK) or `1940-01-15`. `None` for anything else or a date that does
/// not exist.
pub fn parse_typed_date(text: &str) -> Option<NaiveDate> {
    // Read by hand rather than with chrono's format strings, whose machinery
    // would add to the browser's WebAssembly.
    let parts: Vec<&str> = text.trim().split(['/', '-', ' ', '.']).filter(|p| !p.is_empty()).collect();
    let number = |part: &str| part.chars().all(|c| c.is_ascii_digit()).then(|| part.parse::<u32>().ok()).flatten();
    let (year, month, day) = match parts.as_slice() {
        [year, month, day] if year.len() == 4 && text.contains('-') => (year, month, day),
        [day, month, year] if year.len() == 4 => (year, month, day),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(number(year)? as i32, number(month)?, number(day)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_dates_are_read_day_first_or_iso_and_impossible_ones_refused() {
        let date = NaiveDate::from_ymd_opt(1940, 1, 15).unwrap();
        for typed in ["15/01/1940", "15-1-1940", "15 1 1940", "1940-01-15", " 15.01.1940 "] {
            assert_eq!(parse_typed_date(typed), Some(date), "{typed}");
        }
        for typed in ["31/02/2020", "15/01/40", "Amara", ""] {
            assert_eq!(parse_typed_date(typed), None, "{typed}");
        }
        assert_eq!(display_date(date), "15 January 1940");
        assert_eq!(typed_date(date), "15/01/1940");
        assert_eq!(parse_typed_date(&typed_date(date)), Some(date));
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn summer_time_runs_from_the_last_sunday_of_march_to_the_last_sunday_of_october() {
        assert_eq!(last_sunday(2026, 3), NaiveDate::from_ymd_opt(2026, 3, 29).unwrap());
        assert_eq!(last_sunday(2026, 10), NaiveDate::from_ymd_opt(2026, 10, 25).unwrap());
        assert_eq!(last_sunday(2027, 3), NaiveDate::from_ymd_opt(2027, 3, 28).unwrap());
        assert_eq!(london_offset(utc(2026, 3, 29, 0, 59)), TimeDelta::zero());
        assert_eq!(london_offset(utc(2026, 3, 29, 1, 0)), TimeDelta::hours(1));
        assert_eq!(london_offset(utc(2026, 10, 25, 0, 59)), TimeDelta::hours(1));
        assert_eq!(london_offset(utc(2026, 10, 25, 1, 0)), TimeDelta::zero());
        assert_eq!(london_offset(utc(2026, 12, 31, 23, 0)), TimeDelta::zero());
    }

    #[test]
    fn eight_in_the_morning_is_eight_utc_in_winter_and_seven_utc_in_summer() {
        assert_eq!(from_london(local(2026, 1, 5, 8, 0)), utc(2026, 1, 5, 8, 0));
        assert_eq!(from_london(local(2026, 6, 1, 8, 0)), utc(2026, 6, 1, 7, 0));
        // On both clock-change Sundays, 08:00 is well clear of the changed hour.
        assert_eq!(from_london(local(2026, 3, 29, 8, 0)), utc(2026, 3, 29, 7, 0));
        assert_eq!(from_london(local(2026, 10, 25, 8, 0)), utc(2026, 10, 25, 8, 0));
    }

    #[test]
    fn the_skipped_and_repeated_hours_resolve_to_one_instant() {
        assert_eq!(from_london(local(2026, 3, 29, 1, 30)), utc(2026, 3, 29, 1, 0), "the gap");
        assert_eq!(from_london(local(2026, 10, 25, 1, 30)), utc(2026, 10, 25, 0, 30), "the earlier of two");
    }

    #[test]
    fn local_and_utc_round_trip_outside_the_changed_hours() {
        let mut at = utc(2026, 1, 1, 0, 0);
        let repeated_hour = utc(2026, 10, 25, 0, 0)..utc(2026, 10, 25, 2, 0);
        while at < utc(2027, 1, 1, 0, 0) {
            if !repeated_hour.contains(&at) {
                assert_eq!(from_london(to_london(at)), at, "{at}");
            }
            at += TimeDelta::minutes(97);
        }
    }

    #[test]
    fn instants_read_as_london_time_in_words() {
        assert_eq!(display_london(utc(2026, 3, 2, 9, 30)), "Monday 2 March 2026, 9:30am");
        assert_eq!(display_london(utc(2026, 6, 1, 12, 5)), "Monday 1 June 2026, 1:05pm");
        assert_eq!(display_london(utc(2026, 11, 21, 0, 0)), "Saturday 21 November 2026, 12:00am");
    }
}
