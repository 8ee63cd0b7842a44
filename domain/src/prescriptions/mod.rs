//! Repeat prescriptions: which repeat medicines a patient can order online
//! today, and why not, apart from storage and pages.
//!
//! Each rule a practice can relax is, by its setting, **block** (the patient
//! is told why and, where there is one, the date from which they can order)
//! or **flag** (the order goes, and the clinician sees the flag). Refusing an
//! antiepileptic because its review date has passed stops someone's supply, so
//! the rules about reviews and authorisations flag by default. Hidden items
//! are never shown at all; an item already in an open request cannot be
//! ordered twice.

mod requests;
mod settings;
#[cfg(test)]
mod tests;

pub use requests::*;
pub use settings::*;

use crate::appointments::labelled_enum;
use crate::time::{display_date, to_london};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// How many days before a supply runs out a new practice lets patients order.
pub const DEFAULT_DAYS_BEFORE_RUN_OUT: u32 = 7;
/// The longest note a patient can add to an order.
pub const MAX_NOTE_CHARS: usize = 500;

labelled_enum!(
    /// A rule a practice decides to block on or to flag for the clinician.
    Rule {
        NotOrderableOnline => "not_orderable_online", "Not orderable online";
        OrderingOff => "ordering_off", "Online ordering off for this patient";
        NoIssuesLeft => "no_issues_left", "No authorised issues left";
        AuthorisationEnded => "authorisation_ended", "Authorisation ended";
        ReviewDue => "review_due", "Medication review due";
        TooEarly => "too_early", "Ordered early";
    }
);

labelled_enum!(
    /// What a rule does when it applies.
    Handling {
        Block => "block", "Block: the patient cannot order it online";
        Flag => "flag", "Flag: the order goes, marked for the clinician";
    }
);

/// A practice's ordering rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderingRules {
    /// How each rule is handled, in [`Rule::ALL`] order.
    pub handling: Vec<(Rule, Handling)>,
    /// How many days before the supply runs out an item can be ordered.
    pub days_before_run_out: u32,
}

impl Default for OrderingRules {
    fn default() -> Self {
        let handling = Rule::ALL
            .iter()
            .map(|rule| {
                let handling = match rule {
                    // Supply must not stop silently: the clinician decides.
                    Rule::NoIssuesLeft | Rule::AuthorisationEnded | Rule::ReviewDue => Handling::Flag,
                    Rule::NotOrderableOnline | Rule::OrderingOff | Rule::TooEarly => Handling::Block,
                };
                (*rule, handling)
            })
            .collect();
        Self { handling, days_before_run_out: DEFAULT_DAYS_BEFORE_RUN_OUT }
    }
}

impl OrderingRules {
    pub fn handling_of(&self, rule: Rule) -> Handling {
        self.handling.iter().find(|(r, _)| *r == rule).map_or(Handling::Block, |(_, h)| *h)
    }
}

/// What is known about the patient when they order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Orderer {
    /// The prescriptions service is theirs (the practice and their grants).
    pub service: bool,
    /// The practice allows this patient to order online (seed 001 §3.4).
    pub ordering_allowed: bool,
}

/// What is known about one repeat item when it is ordered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    pub orderable_online: bool,
    pub hidden: bool,
    /// `None`: no limit on the number of issues.
    pub issues_authorised: Option<u32>,
    pub issues_issued: u32,
    pub last_issued: Option<NaiveDate>,
    pub days_of_supply: u32,
    pub review_date: Option<NaiveDate>,
    /// The last day the authorisation covers.
    pub authorisation_end: Option<NaiveDate>,
    /// The day of the open request it is already in, if any.
    pub in_open_request: Option<NaiveDate>,
}

impl ItemFacts {
    /// The first day it can be ordered for its supply: `days_before` days
    /// before the last issue runs out.
    pub fn orderable_from(&self, days_before: u32) -> Option<NaiveDate> {
        let last = self.last_issued?;
        Some(last + TimeDelta::days(i64::from(self.days_of_supply)) - TimeDelta::days(i64::from(days_before)))
    }
}

/// Why an item cannot be ordered online now, said to the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refused {
    /// The prescriptions service is not theirs.
    NoService,
    /// Already in a request still being dealt with.
    AlreadyRequested { on: NaiveDate },
    /// A rule the practice blocks on.
    Blocked { rule: Rule, from: Option<NaiveDate> },
}

impl Refused {
    /// The plain reason, with the date from which it can be ordered where there is one.
    pub fn message(&self) -> String {
        match self {
            Refused::NoService => "Ordering repeat prescriptions online is not switched on for you. Contact the \
                                   practice to order."
                .into(),
            Refused::AlreadyRequested { on } => {
                format!("You ordered this on {}. The practice is dealing with that request.", display_date(*on))
            }
            Refused::Blocked { rule, from } => match (rule, from) {
                (Rule::TooEarly, Some(from)) => format!(
                    "It is too early to order this: you should still have some left. You can order it from {}.",
                    display_date(*from)
                ),
                (Rule::ReviewDue, _) => "Your medication review is due. Contact the practice to book it; they will \
                                          make sure you do not run out."
                    .into(),
                (Rule::NoIssuesLeft | Rule::AuthorisationEnded, _) => "This medicine needs to be authorised again \
                     by a clinician. Contact the practice so you do not run out."
                    .into(),
                (Rule::OrderingOff, _) => "The practice has asked you to order your medicines by phone or at the \
                                            surgery, not online."
                    .into(),
                _ => "This medicine cannot be ordered online. Contact the practice to order it.".into(),
            },
        }
    }

    /// The date from which it can be ordered, when the wait is the only reason.
    pub fn from(&self) -> Option<NaiveDate> {
        match self {
            Refused::Blocked { from, .. } => *from,
            _ => None,
        }
    }
}

/// Whether, and how, an item can be ordered online today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Hidden from online view: not shown to the patient at all.
    Hidden,
    Refused(Refused),
    /// It can be ordered; these rules apply and are flagged for the clinician.
    Orderable {
        flags: Vec<Rule>,
    },
}

/// The rules that apply to an item today, in [`Rule::ALL`] order, with the
/// date a waiting rule lifts.
fn rules_applying(
    orderer: Orderer,
    item: &ItemFacts,
    rules: &OrderingRules,
    today: NaiveDate,
) -> Vec<(Rule, Option<NaiveDate>)> {
    let mut applying = Vec::new();
    if !item.orderable_online {
        applying.push((Rule::NotOrderableOnline, None));
    }
    if !orderer.ordering_allowed {
        applying.push((Rule::OrderingOff, None));
    }
    if item.issues_authorised.is_some_and(|authorised| item.issues_issued >= authorised) {
        applying.push((Rule::NoIssuesLeft, None));
    }
    if item.authorisation_end.is_some_and(|end| today > end) {
        applying.push((Rule::AuthorisationEnded, None));
    }
    if item.review_date.is_some_and(|review| today > review) {
        applying.push((Rule::ReviewDue, None));
    }
    if let Some(from) = item.orderable_from(rules.days_before_run_out).filter(|from| today < *from) {
        applying.push((Rule::TooEarly, Some(from)));
    }
    applying
}

/// Whether the patient can order this item online `today` (a London date),
/// and why not: the first rule the practice blocks on is the reason given.
pub fn check_item(orderer: Orderer, item: &ItemFacts, rules: &OrderingRules, today: NaiveDate) -> Verdict {
    if item.hidden {
        return Verdict::Hidden;
    }
    if !orderer.service {
        return Verdict::Refused(Refused::NoService);
    }
    if let Some(on) = item.in_open_request {
        return Verdict::Refused(Refused::AlreadyRequested { on });
    }
    let applying = rules_applying(orderer, item, rules, today);
    if let Some((rule, from)) = applying.iter().find(|(rule, _)| rules.handling_of(*rule) == Handling::Block) {
        return Verdict::Refused(Refused::Blocked { rule: *rule, from: *from });
    }
    Verdict::Orderable { flags: applying.into_iter().map(|(rule, _)| rule).collect() }
}

/// Whether a patient seems to have stopped ordering an item: its last
/// supply ran out more than `margin_days` ago. Answers the day it ran out.
/// An item never issued has no supply to run out.
pub fn stopped_ordering(item: &ItemFacts, margin_days: u32, today: NaiveDate) -> Option<NaiveDate> {
    let ran_out = item.last_issued? + TimeDelta::days(i64::from(item.days_of_supply));
    (today > ran_out + TimeDelta::days(i64::from(margin_days))).then_some(ran_out)
}

/// The London date of `now`: what "today" is for these rules.
pub fn london_today(now: DateTime<Utc>) -> NaiveDate {
    to_london(now).date()
}

/// A patient's note to the practice with an order: trimmed, at most
/// [`MAX_NOTE_CHARS`]; empty is no note.
pub fn parse_note(text: &str) -> Result<Option<String>, crate::Invalid> {
    let text = text.trim();
    let length = text.chars().count();
    if length > MAX_NOTE_CHARS {
        return Err(crate::Invalid::new(format!(
            "Your note must be {MAX_NOTE_CHARS} characters or fewer (it has {length})"
        )));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}
