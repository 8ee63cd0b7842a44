//! Messages between a patient and their practice: the rules, apart from
//! storage and pages.
//!
//! A conversation (a thread) is non-urgent by design. Before writing, the
//! patient is told what messages are not for; what they write is checked for
//! red-flag phrases, which flag the thread as urgent for staff and show the
//! urgent-help advice again, but never block it (a blocked patient writes again
//! without the symptoms). The practice decides when new conversations can be
//! started and how many a day; a reply to an open conversation always goes.

pub mod settings;

use crate::appointments::labelled_enum;
use crate::time::{display_london, from_london, to_london};
use crate::Invalid;
use chrono::{DateTime, Datelike, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// The longest message, in characters.
pub const MAX_BODY_CHARS: usize = 2_000;
/// The longest subject, in characters.
pub const MAX_SUBJECT_CHARS: usize = 100;
/// How long after it was closed a patient can reopen a conversation by replying.
pub const REOPEN_DAYS: i64 = 14;

labelled_enum!(
    /// Where a conversation stands.
    ThreadStatus {
        Open => "open", "Open";
        WaitingForPatient => "waiting_for_patient", "Waiting for the patient";
        Closed => "closed", "Closed";
    }
);

labelled_enum!(
    /// A pool of staff a conversation can be assigned to.
    Team {
        Reception => "reception", "Reception";
        Clinicians => "clinicians", "Clinicians";
        Prescriptions => "prescriptions", "Prescriptions";
    }
);

/// What the patient writes: trimmed, not empty, at most [`MAX_BODY_CHARS`].
/// Kept as typed; pages show it as text, never as markup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageBody(String);

impl MessageBody {
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Invalid::new("Enter your message"));
        }
        let length = text.chars().count();
        if length > MAX_BODY_CHARS {
            return Err(Invalid::new(format!(
                "Your message must be {MAX_BODY_CHARS} characters or fewer (it has {length})"
            )));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A conversation's subject: trimmed, on one line, not empty, at most
/// [`MAX_SUBJECT_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject(String);

impl Subject {
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return Err(Invalid::new("Enter a subject"));
        }
        if text.chars().count() > MAX_SUBJECT_CHARS {
            return Err(Invalid::new(format!("The subject must be {MAX_SUBJECT_CHARS} characters or fewer")));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The phrases a new practice starts with. Each practice edits its own list.
pub const DEFAULT_RED_FLAGS: &[&str] = &[
    "chest pain",
    "chest tightness",
    "can't breathe",
    "cannot breathe",
    "struggling to breathe",
    "short of breath",
    "choking",
    "suicidal",
    "suicide",
    "kill myself",
    "end my life",
    "self harm",
    "overdose",
    "severe bleeding",
    "bleeding heavily",
    "coughing up blood",
    "vomiting blood",
    "face drooping",
    "slurred speech",
    "stroke",
    "seizure",
    "fitting",
    "unconscious",
    "collapsed",
    "anaphylaxis",
    "throat swelling",
    "severe headache",
    "stiff neck",
    "rash that does not fade",
];

/// Text as red-flag matching sees it: lower case, apostrophes dropped
/// ("can't" is "cant"), every other run of non-letters and non-digits one
/// space, so a phrase matches whatever the punctuation and spacing.
fn words_of(text: &str) -> String {
    let mut words = String::with_capacity(text.len() + 2);
    words.push(' ');
    for c in text.chars().flat_map(char::to_lowercase) {
        if matches!(c, '\'' | '\u{2019}' | '\u{2018}') {
            continue;
        }
        if c.is_alphanumeric() {
            words.push(c);
        } else if !words.ends_with(' ') {
            words.push(' ');
        }
    }
    if !words.ends_with(' ') {
        words.push(' ');
    }
    words
}

/// The red-flag phrases found in `text`, whole words only ("stroke" is not
/// found in "heatstroke"; "chest pain" is found in "CHEST-PAIN!"), in the
/// order of `phrases`. A match flags; it never blocks.
pub fn red_flags_in<'a>(text: &str, phrases: &[&'a str]) -> Vec<&'a str> {
    let text = words_of(text);
    phrases
        .iter()
        .copied()
        .filter(|phrase| {
            let phrase = words_of(phrase);
            !phrase.trim().is_empty() && text.contains(&phrase)
        })
        .collect()
}

/// When a practice takes new conversations: a time span for each day of the
/// week (Monday first), London time; `None` for a day it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningHours {
    pub days: [Option<(NaiveTime, NaiveTime)>; 7],
}

impl OpeningHours {
    /// Monday to Friday, 08:00 to 18:30.
    pub fn weekdays() -> Self {
        let day = NaiveTime::from_hms_opt(8, 0, 0).zip(NaiveTime::from_hms_opt(18, 30, 0));
        Self { days: [day, day, day, day, day, None, None] }
    }

    /// Reads hours as stored: one `HH:MM-HH:MM` or nothing (closed) per day,
    /// Monday first, separated by commas.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let mut days = [None; 7];
        if parts.len() != 7 {
            return Err(Invalid::new("Give opening hours for each day of the week, Monday to Sunday"));
        }
        for (day, part) in days.iter_mut().zip(parts) {
            *day = Self::parse_day(part)?;
        }
        Ok(Self { days })
    }

    /// One day's hours: `HH:MM-HH:MM`, or nothing for closed.
    pub fn parse_day(text: &str) -> Result<Option<(NaiveTime, NaiveTime)>, Invalid> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let span = text.split_once('-').and_then(|(opens, closes)| {
            Some((crate::appointments::parse_clock(opens.trim())?, crate::appointments::parse_clock(closes.trim())?))
        });
        match span {
            Some((opens, closes)) if opens < closes => Ok(Some((opens, closes))),
            _ => Err(Invalid::new(format!("Enter hours like 08:00-18:30, or leave it empty for closed, not {text:?}"))),
        }
    }

    /// The hours as stored (see [`OpeningHours::parse`]).
    pub fn to_text(&self) -> String {
        self.days
            .iter()
            .map(|day| match day {
                Some((opens, closes)) => format!("{}-{}", opens.format("%H:%M"), closes.format("%H:%M")),
                None => String::new(),
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Whether new conversations can be started at `now`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        let local = to_london(now);
        match self.days[local.weekday().num_days_from_monday() as usize] {
            Some((opens, closes)) => local.time() >= opens && local.time() < closes,
            None => false,
        }
    }

    /// When new conversations can next be started, within a week of `now`;
    /// `None` when they never can.
    pub fn next_opening(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.is_open(now) {
            return Some(now);
        }
        let today = to_london(now).date();
        (0..=7).find_map(|ahead| {
            let day = today + TimeDelta::days(ahead);
            let (opens, _) = self.days[day.weekday().num_days_from_monday() as usize]?;
            let at = from_london(day.and_time(opens));
            (at > now).then_some(at)
        })
    }
}

/// How many new conversations a day the practice takes, in all and from one
/// patient (London days); `None` for no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyCaps {
    pub practice: Option<u32>,
    pub per_patient: Option<u32>,
}

/// Why a patient cannot start a new conversation now, said to them plainly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotNow {
    /// Messaging is off, for the practice or for this patient.
    Off,
    /// Outside the practice's hours; new conversations open again then.
    Closed { reopens: Option<DateTime<Utc>> },
    /// The practice has taken as many new conversations as it can today.
    PracticeFull,
    /// This patient has started as many as they can today.
    PatientFull { limit: u32 },
}

impl NotNow {
    pub fn message(&self) -> String {
        match self {
            NotNow::Off => "Your practice does not take messages online. Contact the practice by phone or at the \
                            surgery."
                .into(),
            NotNow::Closed { reopens: Some(at) } => {
                format!(
                    "The practice takes new messages during its opening hours. You can send one from {}.",
                    display_london(*at)
                )
            }
            NotNow::Closed { reopens: None } => "The practice is not taking new messages online.".into(),
            NotNow::PracticeFull => "The practice cannot take any more new messages today. Try again tomorrow, or \
                                     contact the practice by phone."
                .into(),
            NotNow::PatientFull { limit } => format!(
                "You have started {limit} new {} today, the most the practice takes from one person in a day. \
                 You can reply to a conversation you have already started, or try again tomorrow.",
                if *limit == 1 { "conversation" } else { "conversations" }
            ),
        }
    }
}

/// Whether a patient can start a new conversation at `now`, given how many
/// the practice and the patient have started today (London day).
pub fn check_new_thread(
    enabled: bool,
    hours: &OpeningHours,
    caps: DailyCaps,
    started_today: (u32, u32),
    now: DateTime<Utc>,
) -> Result<(), NotNow> {
    let (practice_today, patient_today) = started_today;
    if !enabled {
        return Err(NotNow::Off);
    }
    if !hours.is_open(now) {
        return Err(NotNow::Closed { reopens: hours.next_opening(now) });
    }
    if caps.practice.is_some_and(|cap| practice_today >= cap) {
        return Err(NotNow::PracticeFull);
    }
    if let Some(limit) = caps.per_patient.filter(|cap| patient_today >= *cap) {
        return Err(NotNow::PatientFull { limit });
    }
    Ok(())
}

/// The London day `now` falls in, as the instants it starts and ends: what
/// "today" means for the daily caps, 23 or 25 hours long on clock-change days.
pub fn london_day(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let day = to_london(now).date();
    let start = from_london(day.and_time(NaiveTime::MIN));
    let end = from_london((day + TimeDelta::days(1)).and_time(NaiveTime::MIN));
    (start, end)
}

/// Why a patient's reply cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplyRefused {
    /// Closed more than [`REOPEN_DAYS`] ago: start a new conversation.
    ClosedTooLongAgo { closed: DateTime<Utc> },
}

impl ReplyRefused {
    pub fn message(&self) -> String {
        match self {
            ReplyRefused::ClosedTooLongAgo { closed } => format!(
                "This conversation was closed on {}. To ask something else, start a new message.",
                crate::time::display_london_date(*closed)
            ),
        }
    }
}

/// Whether the patient can reply to a conversation: always while it is
/// open or waiting for them; once closed, for [`REOPEN_DAYS`] (their reply
/// reopens it).
pub fn check_patient_reply(
    status: ThreadStatus,
    closed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), ReplyRefused> {
    match (status, closed_at) {
        (ThreadStatus::Closed, Some(closed)) if now - closed > TimeDelta::days(REOPEN_DAYS) => {
            Err(ReplyRefused::ClosedTooLongAgo { closed })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn red_flags_match_whatever_the_case_punctuation_and_spacing() {
        let found = |text| red_flags_in(text, DEFAULT_RED_FLAGS);
        assert_eq!(found("I have CHEST-PAIN since this morning!!"), ["chest pain"]);
        assert_eq!(found("i cant breathe properly"), ["can't breathe"]);
        assert_eq!(found("I can\u{2019}t   breathe"), ["can't breathe"]);
        assert_eq!(found("Feeling suicidal. Also chest pain."), ["chest pain", "suicidal"]);
        assert!(found("Chest pain").len() == 1, "at the very start and end");
    }

    #[test]
    fn red_flags_match_whole_words_only() {
        let found = |text| red_flags_in(text, DEFAULT_RED_FLAGS);
        assert!(found("I had heatstroke last summer").is_empty(), "stroke inside a word");
        assert!(found("The chest painting is lovely").is_empty(), "pain inside painting");
        assert!(found("Could I have a fit note please").is_empty());
        assert!(found("Repeat prescription for my inhaler, thank you").is_empty());
    }

    #[test]
    fn a_practice_list_with_an_empty_phrase_matches_nothing_for_it() {
        assert!(red_flags_in("anything at all", &["", "  ", "!!"]).is_empty());
        assert_eq!(red_flags_in("my wrist hurts", &["wrist"]), ["wrist"]);
    }

    #[test]
    fn a_message_body_is_trimmed_and_held_to_two_thousand_characters() {
        assert_eq!(MessageBody::parse("  Hello  ").unwrap().as_str(), "Hello");
        assert_eq!(MessageBody::parse(" \n ").unwrap_err().message, "Enter your message");
        assert!(MessageBody::parse(&"é".repeat(2_000)).is_ok(), "characters, not bytes");
        let long = MessageBody::parse(&"a".repeat(2_001)).unwrap_err();
        assert!(long.message.contains("2000 characters or fewer") && long.message.contains("2001"), "{}", long.message);
        // Markup is kept as the patient typed it; pages show it as text.
        assert_eq!(MessageBody::parse("<script>x</script>").unwrap().as_str(), "<script>x</script>");
    }

    #[test]
    fn a_subject_is_one_line_and_not_empty() {
        assert_eq!(Subject::parse(" Fit\nnote  please ").unwrap().as_str(), "Fit note please");
        assert!(Subject::parse("   ").is_err());
        assert!(Subject::parse(&"a".repeat(101)).is_err());
    }

    #[test]
    fn opening_hours_are_london_hours_on_either_side_of_the_clock_changes() {
        let hours = OpeningHours::weekdays();
        // Friday 27 March 2026, GMT: 08:00 London is 08:00 UTC.
        assert!(!hours.is_open(utc(2026, 3, 27, 7, 59)));
        assert!(hours.is_open(utc(2026, 3, 27, 8, 0)));
        // Monday 30 March 2026, BST since Sunday: 08:00 London is 07:00 UTC.
        assert!(hours.is_open(utc(2026, 3, 30, 7, 0)));
        assert!(!hours.is_open(utc(2026, 3, 30, 17, 30)), "18:30 BST");
        // Monday 26 October 2026, GMT again: 08:00 London is 08:00 UTC.
        assert!(!hours.is_open(utc(2026, 10, 26, 7, 30)));
        assert!(hours.is_open(utc(2026, 10, 26, 8, 0)));
    }

    #[test]
    fn opening_hours_read_back_as_they_were_stored() {
        let hours = OpeningHours::weekdays();
        assert_eq!(hours.to_text(), "08:00-18:30,08:00-18:30,08:00-18:30,08:00-18:30,08:00-18:30,,");
        assert_eq!(OpeningHours::parse(&hours.to_text()), Ok(hours));
        assert!(OpeningHours::parse("08:00-18:30").is_err(), "one day is not a week");
        assert!(OpeningHours::parse("18:30-08:00,,,,,,").is_err(), "closing before opening");
        assert!(OpeningHours::parse("8am-6pm,,,,,,").is_err());
    }

    #[test]
    fn when_closed_the_next_opening_is_said_in_london_time() {
        let hours = OpeningHours::weekdays();
        // Saturday 28 March 2026 at noon: next is Monday 30 March, 08:00 BST.
        assert_eq!(hours.next_opening(utc(2026, 3, 28, 12, 0)), Some(utc(2026, 3, 30, 7, 0)));
        // Friday 23 October 2026 after closing: next is Monday 26 October, 08:00 GMT.
        assert_eq!(hours.next_opening(utc(2026, 10, 23, 18, 0)), Some(utc(2026, 10, 26, 8, 0)));
        // Early on a weekday: later the same day.
        assert_eq!(hours.next_opening(utc(2026, 10, 27, 6, 0)), Some(utc(2026, 10, 27, 8, 0)));
        assert_eq!(OpeningHours { days: [None; 7] }.next_opening(utc(2026, 10, 27, 6, 0)), None);
    }

    #[test]
    fn the_daily_caps_count_the_practice_and_the_patient_apart() {
        let all_day = Some((NaiveTime::MIN, NaiveTime::from_hms_opt(23, 59, 59).unwrap()));
        let hours = OpeningHours { days: [all_day; 7] };
        let now = utc(2026, 6, 2, 10, 0);
        let caps = DailyCaps { practice: Some(100), per_patient: Some(2) };
        assert_eq!(check_new_thread(true, &hours, caps, (99, 1), now), Ok(()));
        assert_eq!(check_new_thread(true, &hours, caps, (100, 0), now), Err(NotNow::PracticeFull));
        assert_eq!(check_new_thread(true, &hours, caps, (5, 2), now), Err(NotNow::PatientFull { limit: 2 }));
        let open = DailyCaps { practice: None, per_patient: None };
        assert_eq!(check_new_thread(true, &hours, open, (10_000, 500), now), Ok(()));
        assert_eq!(check_new_thread(false, &hours, open, (0, 0), now), Err(NotNow::Off));
    }

    #[test]
    fn outside_hours_the_patient_is_told_when_to_come_back() {
        let saturday = utc(2026, 3, 28, 12, 0);
        let caps = DailyCaps { practice: None, per_patient: None };
        let refused = check_new_thread(true, &OpeningHours::weekdays(), caps, (0, 0), saturday).unwrap_err();
        assert_eq!(refused, NotNow::Closed { reopens: Some(utc(2026, 3, 30, 7, 0)) });
        assert!(refused.message().contains("Monday 30 March 2026, 8:00am"), "{}", refused.message());
    }

    #[test]
    fn a_london_day_is_23_or_25_hours_on_clock_change_days() {
        let (start, end) = london_day(utc(2026, 3, 29, 12, 0));
        assert_eq!((start, end - start), (utc(2026, 3, 29, 0, 0), TimeDelta::hours(23)));
        let (start, end) = london_day(utc(2026, 10, 25, 12, 0));
        assert_eq!((start, end - start), (utc(2026, 10, 24, 23, 0), TimeDelta::hours(25)));
        // 00:30 BST on 2 June is still 1 June in UTC: it counts for 2 June.
        assert_eq!(london_day(utc(2026, 6, 1, 23, 30)).0, utc(2026, 6, 1, 23, 0));
    }

    #[test]
    fn a_closed_conversation_reopens_with_a_reply_for_fourteen_days() {
        let closed = utc(2026, 6, 1, 9, 0);
        let reply = |now| check_patient_reply(ThreadStatus::Closed, Some(closed), now);
        assert_eq!(reply(closed + TimeDelta::days(14)), Ok(()));
        let late = reply(closed + TimeDelta::days(14) + TimeDelta::seconds(1)).unwrap_err();
        assert_eq!(late, ReplyRefused::ClosedTooLongAgo { closed });
        assert!(late.message().contains("1 June 2026") && late.message().contains("start a new message"));
        assert_eq!(check_patient_reply(ThreadStatus::WaitingForPatient, None, closed), Ok(()));
        assert_eq!(check_patient_reply(ThreadStatus::Open, None, closed + TimeDelta::days(400)), Ok(()));
    }
}
