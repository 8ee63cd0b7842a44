//! The patient's record online: which entries a patient may see, and how
//! much of each, decided in one pure function ([`visible`]) that every page,
//! server function and download goes through.
//!
//! The record itself lives in the practice's clinical system and arrives as
//! FHIR; here an entry is reduced to the facts the rules need. What a patient
//! sees is set by the practice and per patient (`services::Grants`): a level
//! (summary, detailed coded, full) and a date option (from a fixed date, from
//! the day their account was created, or the full history).
//!
//! Two things are never shown, whatever the level: an entry hidden from
//! online view (harmful or third-party information, or restricted in the
//! clinical system), and a test result no clinician has filed yet.

use crate::appointments::labelled_enum;
use crate::services::RecordLevel;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod sharing;
#[cfg(test)]
mod tests;

labelled_enum!(
    /// What an entry is, and the section it is shown in.
    EntryKind {
        Allergy => "allergy", "Allergies and adverse reactions";
        Medication => "medication", "Medicines";
        Problem => "problem", "Problems";
        Immunisation => "immunisation", "Immunisations";
        TestResult => "test_result", "Test results";
        Consultation => "consultation", "Consultations";
        Document => "document", "Documents";
    }
);

/// What the rules need to know of one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryFacts {
    pub kind: EntryKind,
    /// The day it was recorded (or, for a result, issued), London date.
    pub date: NaiveDate,
    /// Hidden from online view by a clinician or the clinical system.
    pub hidden: bool,
    /// For a test result: a clinician has filed it. Other kinds: true.
    pub filed: bool,
    /// It carries a clinical code (SNOMED CT).
    pub coded: bool,
    /// For a medicine: still being taken (current, not past).
    pub current: bool,
}

/// How much of a visible entry is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shown {
    /// Its code, name, values and dates: no free text.
    Coded,
    /// Everything, free text (and a document's file) included.
    Full,
}

/// What a patient's access allows: the level, and the first day whose
/// entries are shown (`None`: the full history), as
/// `services::Available::record` works them out from their grants and the
/// day their account was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordAccess {
    pub level: RecordLevel,
    pub first_day: Option<NaiveDate>,
}

impl RecordAccess {
    pub fn new((level, first_day): (RecordLevel, Option<NaiveDate>)) -> Self {
        Self { level, first_day }
    }

    /// One sentence saying what the practice shows, such as "Your practice
    /// shows your full record from 1 April 2021."
    pub fn describe(&self) -> String {
        let what = match self.level {
            RecordLevel::None => return "Your practice does not show your record online.".to_owned(),
            RecordLevel::Summary => "a summary of your record (allergies and current medicines)",
            RecordLevel::DetailedCoded => "your detailed coded record (without notes typed by staff or documents)",
            RecordLevel::Full => "your full record",
        };
        match (self.level, self.first_day) {
            // The summary is shown whatever the date option (see `visible`).
            (RecordLevel::Summary, _) | (_, None) => format!("Your practice shows {what}."),
            (_, Some(day)) => format!("Your practice shows {what} from {}.", crate::time::display_date(day)),
        }
    }
}

/// Whether a summary entry: allergies and adverse reactions, and the
/// medicines being taken now.
fn in_summary(entry: &EntryFacts) -> bool {
    match entry.kind {
        EntryKind::Allergy => true,
        EntryKind::Medication => entry.current,
        _ => false,
    }
}

/// Whether, and how much of, an entry a patient with `access` may see.
///
/// - Hidden entries and unfiled results: never.
/// - Summary: allergies and adverse reactions, and current medicines.
/// - Detailed coded: every coded entry, without free text; no documents.
/// - Full: everything, free text and documents included.
/// - The date option applies to each entry's date, an entry dated on the
///   first day included; except the summary, which is shown whatever the
///   date option, since patients have had their allergies and medicines
///   online since 2015 and hiding them now would take away what they had.
pub fn visible(access: &RecordAccess, entry: &EntryFacts) -> Option<Shown> {
    if entry.hidden || (entry.kind == EntryKind::TestResult && !entry.filed) {
        return None;
    }
    let within_dates = access.first_day.is_none_or(|first| entry.date >= first);
    match access.level {
        RecordLevel::None => None,
        RecordLevel::Summary => in_summary(entry).then_some(Shown::Coded),
        RecordLevel::DetailedCoded => {
            let coded = entry.coded && entry.kind != EntryKind::Document;
            (in_summary(entry) || (coded && within_dates)).then_some(Shown::Coded)
        }
        RecordLevel::Full => {
            if in_summary(entry) || within_dates {
                Some(Shown::Full)
            } else {
                None
            }
        }
    }
}

/// The entries a patient may see, with how much of each, in the order given.
pub fn filter<'a, T>(
    access: &RecordAccess,
    entries: impl IntoIterator<Item = &'a T>,
    facts: impl Fn(&T) -> EntryFacts,
) -> Vec<(&'a T, Shown)>
where
    T: 'a,
{
    entries.into_iter().filter_map(|entry| visible(access, &facts(entry)).map(|shown| (entry, shown))).collect()
}
