use super::*;
use crate::services::RecordLevel;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The first day shown: from account creation, from a fixed date, or the full history (`None`).
fn access(level: RecordLevel, from: Option<&str>) -> RecordAccess {
    RecordAccess::new((level, from.map(day)))
}

fn entry(kind: EntryKind, date: &str) -> EntryFacts {
    EntryFacts { kind, date: day(date), hidden: false, filed: true, coded: true, current: true }
}

const EVERY_LEVEL: [RecordLevel; 4] =
    [RecordLevel::None, RecordLevel::Summary, RecordLevel::DetailedCoded, RecordLevel::Full];

const EVERY_FROM: [Option<&str>; 2] = [Some("2020-01-01"), None];

#[test]
fn a_hidden_entry_of_any_kind_is_never_shown_whatever_the_access() {
    for kind in EntryKind::ALL {
        for level in EVERY_LEVEL {
            for from in EVERY_FROM {
                let hidden = EntryFacts { hidden: true, ..entry(*kind, "2025-01-01") };
                assert_eq!(visible(&access(level, from), &hidden), None, "{kind:?} {level:?} {from:?}");
            }
        }
    }
}

#[test]
fn an_unfiled_result_is_never_shown_and_a_filed_one_is() {
    let full = access(RecordLevel::Full, None);
    let unfiled = EntryFacts { filed: false, ..entry(EntryKind::TestResult, "2025-01-01") };
    for level in EVERY_LEVEL {
        assert_eq!(visible(&access(level, None), &unfiled), None, "{level:?}");
    }
    assert_eq!(visible(&full, &entry(EntryKind::TestResult, "2025-01-01")), Some(Shown::Full));
}

#[test]
fn no_access_shows_nothing() {
    for kind in EntryKind::ALL {
        assert_eq!(visible(&access(RecordLevel::None, None), &entry(*kind, "2025-01-01")), None);
    }
}

#[test]
fn the_summary_is_allergies_and_current_medicines_only_whatever_the_date_option() {
    for from in EVERY_FROM {
        let summary = access(RecordLevel::Summary, from);
        // Long before any cut-off: the summary does not depend on dates.
        assert_eq!(visible(&summary, &entry(EntryKind::Allergy, "2001-03-04")), Some(Shown::Coded), "{from:?}");
        assert_eq!(visible(&summary, &entry(EntryKind::Medication, "2001-03-04")), Some(Shown::Coded));
        let past = EntryFacts { current: false, ..entry(EntryKind::Medication, "2025-01-01") };
        assert_eq!(visible(&summary, &past), None, "a past medicine is not in the summary");
        for kind in [
            EntryKind::Problem,
            EntryKind::Immunisation,
            EntryKind::TestResult,
            EntryKind::Consultation,
            EntryKind::Document,
        ] {
            assert_eq!(visible(&summary, &entry(kind, "2025-01-01")), None, "{kind:?}");
        }
    }
}

#[test]
fn the_detailed_coded_record_is_every_coded_entry_without_free_text_and_no_documents() {
    let detailed = access(RecordLevel::DetailedCoded, None);
    for kind in [
        EntryKind::Problem,
        EntryKind::Immunisation,
        EntryKind::TestResult,
        EntryKind::Consultation,
        EntryKind::Allergy,
    ] {
        assert_eq!(visible(&detailed, &entry(kind, "2010-01-01")), Some(Shown::Coded), "{kind:?}");
        let uncoded = EntryFacts { coded: false, ..entry(kind, "2010-01-01") };
        let expected = if kind == EntryKind::Allergy { Some(Shown::Coded) } else { None };
        assert_eq!(visible(&detailed, &uncoded), expected, "uncoded {kind:?}");
    }
    assert_eq!(visible(&detailed, &entry(EntryKind::Document, "2025-01-01")), None);
}

#[test]
fn the_full_record_is_everything_with_free_text_and_documents() {
    let full = access(RecordLevel::Full, None);
    for kind in EntryKind::ALL {
        let uncoded = EntryFacts { coded: false, current: false, ..entry(*kind, "1999-12-31") };
        assert_eq!(visible(&full, &uncoded), Some(Shown::Full), "{kind:?}");
    }
}

#[test]
fn the_date_option_includes_an_entry_dated_on_the_first_day_and_not_the_day_before() {
    for (from, first, before) in
        [(Some("2024-05-10"), "2024-05-10", "2024-05-09"), (Some("2021-04-01"), "2021-04-01", "2021-03-31")]
    {
        for level in [RecordLevel::DetailedCoded, RecordLevel::Full] {
            let access = access(level, from);
            for kind in [EntryKind::Problem, EntryKind::TestResult, EntryKind::Consultation, EntryKind::Immunisation] {
                assert!(
                    visible(&access, &entry(kind, first)).is_some(),
                    "{level:?} {from:?} {kind:?} on the first day"
                );
                assert_eq!(visible(&access, &entry(kind, before)), None, "{level:?} {from:?} {kind:?} the day before");
            }
        }
    }
    let history = access(RecordLevel::Full, None);
    assert!(visible(&history, &entry(EntryKind::Consultation, "1970-01-01")).is_some());
}

#[test]
fn the_filter_keeps_the_order_and_drops_what_is_not_visible() {
    let entries = [
        ("allergy", entry(EntryKind::Allergy, "2010-01-01")),
        ("hidden", EntryFacts { hidden: true, ..entry(EntryKind::Problem, "2025-01-01") }),
        ("problem", entry(EntryKind::Problem, "2025-01-01")),
        ("old", entry(EntryKind::Problem, "2020-01-01")),
    ];
    let shown = filter(&access(RecordLevel::Full, Some("2024-05-10")), entries.iter(), |(_, facts)| *facts);
    let names: Vec<&str> = shown.iter().map(|((name, _), _)| *name).collect();
    assert_eq!(names, ["allergy", "problem"]);
}

#[test]
fn the_practice_says_in_one_sentence_what_it_shows() {
    let full = access(RecordLevel::Full, Some("2021-04-01"));
    assert_eq!(full.describe(), "Your practice shows your full record from 1 April 2021.");
    let history = access(RecordLevel::Full, None);
    assert_eq!(history.describe(), "Your practice shows your full record.");
    let summary = access(RecordLevel::Summary, Some("2024-05-10"));
    assert_eq!(summary.describe(), "Your practice shows a summary of your record (allergies and current medicines).");
    assert_eq!(access(RecordLevel::None, None).describe(), "Your practice does not show your record online.");
}
