//! The practice's log of problems with its online services: patients and
//! staff report what went wrong, where and when; staff look into each and
//! say what became of it. It is not a way to ask for medical help, and the
//! form says so.

use crate::appointments::labelled_enum;
use crate::time::parse_typed_date;
use crate::Invalid;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest description or note, in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// How far back a problem may be dated.
pub const OLDEST_DAYS: i64 = 366;

labelled_enum!(
    /// Where the problem was.
    Place {
        SigningIn => "signing_in", "Signing in or registering";
        Appointments => "appointments", "Appointments";
        Prescriptions => "prescriptions", "Repeat prescriptions";
        Messages => "messages", "Messages";
        Record => "record", "The record";
        ActingForSomeone => "acting_for_someone", "Acting for someone else";
        StaffArea => "staff_area", "The staff area";
        Elsewhere => "elsewhere", "Somewhere else";
    }
);

labelled_enum!(
    /// What became of a problem.
    ProblemStatus {
        New => "new", "New";
        Investigating => "investigating", "Investigating";
        Fixed => "fixed", "Fixed";
        WontFix => "wont_fix", "Won't fix";
    }
);

impl ProblemStatus {
    /// Still to be dealt with: new, or being looked into.
    pub fn is_open(self) -> bool {
        matches!(self, Self::New | Self::Investigating)
    }
}

/// A description or note: trimmed, at most [`MAX_TEXT_CHARS`].
fn text(value: &str, empty: &str) -> Result<String, Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Invalid::new(empty));
    }
    let length = value.chars().count();
    if length > MAX_TEXT_CHARS {
        return Err(Invalid::new(format!("Write {MAX_TEXT_CHARS} characters or fewer (this has {length})")));
    }
    Ok(value.to_owned())
}

/// A problem as reported, each part checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub what: String,
    pub place: Place,
    pub happened_on: NaiveDate,
}

/// The report's form as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportFields<'a> {
    pub what: &'a str,
    pub place: &'a str,
    /// "15/03/2026"; blank: today.
    pub happened_on: &'a str,
}

/// Reads a report on `today` (London), or names every problem by its field.
pub fn check_report(fields: ReportFields<'_>, today: NaiveDate) -> Result<Report, Vec<(&'static str, Invalid)>> {
    let mut problems = Vec::new();
    let what = text(fields.what, "Say what went wrong").map_err(|e| problems.push(("what", e))).ok();
    let place = Place::parse(fields.place);
    if place.is_none() {
        problems.push(("place", Invalid::new("Choose where it happened")));
    }
    let happened_on = if fields.happened_on.trim().is_empty() {
        Some(today)
    } else {
        match parse_typed_date(fields.happened_on) {
            None => {
                problems.push(("happened_on", Invalid::new("Enter the date like 15/03/2026")));
                None
            }
            Some(day) if day > today => {
                problems.push(("happened_on", Invalid::new("The date must be today or earlier")));
                None
            }
            Some(day) if (today - day).num_days() > OLDEST_DAYS => {
                problems.push(("happened_on", Invalid::new("The date must be within the last year")));
                None
            }
            day => day,
        }
    };
    match (what, place, happened_on) {
        (Some(what), Some(place), Some(happened_on)) if problems.is_empty() => Ok(Report { what, place, happened_on }),
        _ => Err(problems),
    }
}

/// A note staff add when they look into a problem: optional, at most [`MAX_TEXT_CHARS`].
pub fn check_note(note: &str) -> Result<Option<String>, Invalid> {
    if note.trim().is_empty() {
        return Ok(None);
    }
    text(note, "").map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        day(2026, 3, 2)
    }

    #[test]
    fn a_report_is_what_where_and_when_with_today_when_no_date_is_given() {
        let fields = ReportFields { what: "  The book button did nothing ", place: "appointments", happened_on: "" };
        let report = check_report(fields, today()).unwrap();
        assert_eq!(
            report,
            Report { what: "The book button did nothing".into(), place: Place::Appointments, happened_on: today() }
        );
        let dated = ReportFields { happened_on: "28/02/2026", ..fields };
        assert_eq!(check_report(dated, today()).unwrap().happened_on, day(2026, 2, 28));
    }

    #[test]
    fn every_problem_with_a_report_is_named_by_its_field() {
        let empty = check_report(ReportFields { what: " ", place: "the moon", happened_on: "yesterday" }, today());
        let fields: Vec<&str> = empty.unwrap_err().iter().map(|(field, _)| *field).collect();
        assert_eq!(fields, ["what", "place", "happened_on"]);
        for (date, says) in [("03/03/2026", "today or earlier"), ("01/02/2025", "within the last year")] {
            let fields = ReportFields { what: "x", place: "messages", happened_on: date };
            let problems = check_report(fields, today()).unwrap_err();
            assert!(problems[0].1.message.contains(says), "{date}: {problems:?}");
        }
        let long = "a".repeat(MAX_TEXT_CHARS + 1);
        let too_long = check_report(ReportFields { what: &long, place: "messages", happened_on: "" }, today());
        assert!(too_long.unwrap_err()[0].1.message.contains("2000 characters or fewer (this has 2001)"));
    }

    #[test]
    fn a_problem_is_open_until_it_is_fixed_or_set_aside() {
        let open: Vec<bool> = ProblemStatus::ALL.iter().map(|status| status.is_open()).collect();
        assert_eq!(open, [true, true, false, false]);
    }

    #[test]
    fn a_note_is_optional_but_never_too_long() {
        assert_eq!(check_note("  "), Ok(None));
        assert_eq!(check_note(" Fixed in the 2.3 release "), Ok(Some("Fixed in the 2.3 release".into())));
        assert!(check_note(&"n".repeat(MAX_TEXT_CHARS + 1)).is_err());
    }
}
