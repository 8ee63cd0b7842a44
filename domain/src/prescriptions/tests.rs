use super::*;
use chrono::TimeZone;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const EVERYONE: Orderer = Orderer { service: true, ordering_allowed: true };

/// 28 days' supply last issued on 1 June 2026, with issues left and no review due.
fn item() -> ItemFacts {
    ItemFacts {
        orderable_online: true,
        hidden: false,
        issues_authorised: Some(6),
        issues_issued: 2,
        last_issued: Some(day(2026, 6, 1)),
        days_of_supply: 28,
        review_date: Some(day(2026, 12, 1)),
        authorisation_end: Some(day(2027, 6, 1)),
        in_open_request: None,
    }
}

fn rules() -> OrderingRules {
    OrderingRules::default()
}

fn with(rule: Rule, handling: Handling) -> OrderingRules {
    let mut rules = rules();
    for (r, h) in rules.handling.iter_mut() {
        if *r == rule {
            *h = handling;
        }
    }
    rules
}

#[test]
fn an_item_within_its_window_can_be_ordered_with_no_flags() {
    assert_eq!(check_item(EVERYONE, &item(), &rules(), day(2026, 6, 22)), Verdict::Orderable { flags: vec![] });
}

#[test]
fn too_early_is_refused_with_the_first_day_it_can_be_ordered_and_that_day_is_allowed() {
    // Runs out on 29 June; 7 days before is 22 June.
    let refused = check_item(EVERYONE, &item(), &rules(), day(2026, 6, 21));
    let expected = Refused::Blocked { rule: Rule::TooEarly, from: Some(day(2026, 6, 22)) };
    assert_eq!(refused, Verdict::Refused(expected.clone()));
    assert_eq!(expected.from(), Some(day(2026, 6, 22)));
    assert!(expected.message().contains("You can order it from 22 June 2026"), "{}", expected.message());
    assert_eq!(check_item(EVERYONE, &item(), &rules(), day(2026, 6, 22)), Verdict::Orderable { flags: vec![] });
}

#[test]
fn the_practice_decides_how_many_days_before_running_out() {
    let rules = OrderingRules { days_before_run_out: 10, ..rules() };
    assert!(matches!(check_item(EVERYONE, &item(), &rules, day(2026, 6, 19)), Verdict::Orderable { .. }));
    assert!(matches!(check_item(EVERYONE, &item(), &rules, day(2026, 6, 18)), Verdict::Refused(_)));
}

#[test]
fn an_item_never_issued_is_never_too_early() {
    let never = ItemFacts { last_issued: None, ..item() };
    assert_eq!(check_item(EVERYONE, &never, &rules(), day(2026, 6, 2)), Verdict::Orderable { flags: vec![] });
}

#[test]
fn a_hidden_item_is_not_shown_whatever_else_holds() {
    let hidden = ItemFacts { hidden: true, orderable_online: false, ..item() };
    assert_eq!(check_item(EVERYONE, &hidden, &rules(), day(2026, 6, 22)), Verdict::Hidden);
    let no_service = Orderer { service: false, ordering_allowed: true };
    assert_eq!(check_item(no_service, &hidden, &rules(), day(2026, 6, 22)), Verdict::Hidden);
}

#[test]
fn without_the_service_nothing_can_be_ordered() {
    let no_service = Orderer { service: false, ordering_allowed: true };
    assert_eq!(check_item(no_service, &item(), &rules(), day(2026, 6, 22)), Verdict::Refused(Refused::NoService));
}

#[test]
fn an_item_in_an_open_request_cannot_be_ordered_again() {
    let requested = ItemFacts { in_open_request: Some(day(2026, 6, 20)), ..item() };
    let verdict = check_item(EVERYONE, &requested, &rules(), day(2026, 6, 22));
    assert_eq!(verdict, Verdict::Refused(Refused::AlreadyRequested { on: day(2026, 6, 20) }));
}

#[test]
fn a_review_date_passed_flags_by_default_and_blocks_when_the_practice_says() {
    let overdue = ItemFacts { review_date: Some(day(2026, 6, 21)), ..item() };
    assert_eq!(
        check_item(EVERYONE, &overdue, &rules(), day(2026, 6, 22)),
        Verdict::Orderable { flags: vec![Rule::ReviewDue] }
    );
    // On the review date itself it has not passed.
    let due_today = ItemFacts { review_date: Some(day(2026, 6, 22)), ..item() };
    assert_eq!(check_item(EVERYONE, &due_today, &rules(), day(2026, 6, 22)), Verdict::Orderable { flags: vec![] });
    let blocking = with(Rule::ReviewDue, Handling::Block);
    let refused = check_item(EVERYONE, &overdue, &blocking, day(2026, 6, 22));
    assert_eq!(refused, Verdict::Refused(Refused::Blocked { rule: Rule::ReviewDue, from: None }));
}

#[test]
fn no_issues_left_and_an_ended_authorisation_flag_by_default() {
    let used_up = ItemFacts { issues_authorised: Some(2), issues_issued: 2, ..item() };
    assert_eq!(
        check_item(EVERYONE, &used_up, &rules(), day(2026, 6, 22)),
        Verdict::Orderable { flags: vec![Rule::NoIssuesLeft] }
    );
    let unlimited = ItemFacts { issues_authorised: None, issues_issued: 40, ..item() };
    assert_eq!(check_item(EVERYONE, &unlimited, &rules(), day(2026, 6, 22)), Verdict::Orderable { flags: vec![] });
    let ended = ItemFacts { authorisation_end: Some(day(2026, 6, 21)), ..item() };
    assert_eq!(
        check_item(EVERYONE, &ended, &rules(), day(2026, 6, 22)),
        Verdict::Orderable { flags: vec![Rule::AuthorisationEnded] }
    );
    let last_day = ItemFacts { authorisation_end: Some(day(2026, 6, 22)), ..item() };
    assert_eq!(check_item(EVERYONE, &last_day, &rules(), day(2026, 6, 22)), Verdict::Orderable { flags: vec![] });
    let blocking = with(Rule::NoIssuesLeft, Handling::Block);
    assert!(matches!(check_item(EVERYONE, &used_up, &blocking, day(2026, 6, 22)), Verdict::Refused(_)));
}

#[test]
fn not_orderable_online_and_ordering_off_block_by_default_and_can_flag_instead() {
    let not_online = ItemFacts { orderable_online: false, ..item() };
    let refused = check_item(EVERYONE, &not_online, &rules(), day(2026, 6, 22));
    assert_eq!(refused, Verdict::Refused(Refused::Blocked { rule: Rule::NotOrderableOnline, from: None }));
    let flagging = with(Rule::NotOrderableOnline, Handling::Flag);
    assert_eq!(
        check_item(EVERYONE, &not_online, &flagging, day(2026, 6, 22)),
        Verdict::Orderable { flags: vec![Rule::NotOrderableOnline] }
    );
    let off = Orderer { service: true, ordering_allowed: false };
    let refused = check_item(off, &item(), &rules(), day(2026, 6, 22));
    assert_eq!(refused, Verdict::Refused(Refused::Blocked { rule: Rule::OrderingOff, from: None }));
    let message = Refused::Blocked { rule: Rule::NotOrderableOnline, from: None }.message();
    assert!(message.contains("cannot be ordered online"), "{message}");
}

#[test]
fn every_flag_that_applies_is_kept_and_the_first_block_is_the_reason() {
    let everything = ItemFacts { issues_issued: 6, review_date: Some(day(2026, 6, 1)), ..item() };
    let flags = check_item(EVERYONE, &everything, &rules(), day(2026, 6, 22));
    assert_eq!(flags, Verdict::Orderable { flags: vec![Rule::NoIssuesLeft, Rule::ReviewDue] });
    let early_too = check_item(EVERYONE, &everything, &rules(), day(2026, 6, 10));
    assert_eq!(early_too, Verdict::Refused(Refused::Blocked { rule: Rule::TooEarly, from: Some(day(2026, 6, 22)) }));
}

#[test]
fn today_is_the_london_date_across_the_clock_changes() {
    // 23:30 UTC on Saturday 27 March 2027 is 23:30 in London (GMT)...
    assert_eq!(london_today(Utc.with_ymd_and_hms(2027, 3, 27, 23, 30, 0).unwrap()), day(2027, 3, 27));
    // ...and 23:30 UTC on Sunday 28 March, after the clocks go forward, is 00:30 on the 29th.
    assert_eq!(london_today(Utc.with_ymd_and_hms(2027, 3, 28, 23, 30, 0).unwrap()), day(2027, 3, 29));
    // 23:30 UTC on Saturday 30 October 2027 is 00:30 BST on the 31st.
    assert_eq!(london_today(Utc.with_ymd_and_hms(2027, 10, 30, 23, 30, 0).unwrap()), day(2027, 10, 31));
    // So an item that can be ordered from 29 March can be ordered at 23:30 UTC on the 28th.
    let from_29th = ItemFacts { last_issued: Some(day(2027, 3, 8)), ..item() };
    let late_on_28th = london_today(Utc.with_ymd_and_hms(2027, 3, 28, 23, 30, 0).unwrap());
    let rules = OrderingRules { handling: rules().handling, days_before_run_out: 7 };
    let open = ItemFacts { review_date: None, authorisation_end: None, ..from_29th };
    assert_eq!(open.orderable_from(7), Some(day(2027, 3, 29)));
    assert_eq!(check_item(EVERYONE, &open, &rules, late_on_28th), Verdict::Orderable { flags: vec![] });
}

#[test]
fn a_note_is_optional_and_at_most_500_characters() {
    assert_eq!(parse_note("  "), Ok(None));
    assert_eq!(parse_note(" Can I have the 28-day pack? "), Ok(Some("Can I have the 28-day pack?".to_owned())));
    assert!(parse_note(&"x".repeat(MAX_NOTE_CHARS)).is_ok());
    assert!(parse_note(&"x".repeat(MAX_NOTE_CHARS + 1)).unwrap_err().message.contains("500 characters or fewer"));
}

#[test]
fn an_item_moves_forward_only_along_its_timeline() {
    use ItemStatus::*;
    assert!(Requested.can_become(Approved) && Requested.can_become(Cancelled) && InReview.can_become(Rejected));
    assert!(Approved.can_become(Issued) && Issued.can_become(ReadyToCollect) && ReadyToCollect.can_become(Dispensed));
    for (from, to) in
        [(Approved, Requested), (Rejected, Approved), (Issued, Cancelled), (InReview, Cancelled), (Dispensed, Issued)]
    {
        assert!(!from.can_become(to), "{from:?} -> {to:?}");
    }
    assert!(Requested.is_open() && Approved.is_open() && !Issued.is_open() && !Rejected.is_open());
}

#[test]
fn a_request_can_be_cancelled_until_a_clinician_starts_on_it() {
    use ItemStatus::*;
    assert!(can_cancel(&[Requested, Requested]));
    assert!(!can_cancel(&[Requested, InReview]));
    assert!(!can_cancel(&[Approved]));
    assert!(!can_cancel(&[]));
}

#[test]
fn the_expected_day_counts_working_days_only() {
    // Thursday 4 June 2026 + 2 working days = Monday 8 June.
    assert_eq!(add_working_days(day(2026, 6, 4), 2), day(2026, 6, 8));
    // Saturday + 2 = Tuesday (Monday is the first).
    assert_eq!(add_working_days(day(2026, 6, 6), 2), day(2026, 6, 9));
    // Zero days at a weekend is the Monday.
    assert_eq!(add_working_days(day(2026, 6, 7), 0), day(2026, 6, 8));
    let friday_evening = Utc.with_ymd_and_hms(2026, 6, 5, 20, 0, 0).unwrap();
    assert_eq!(expected_ready(friday_evening, 2), day(2026, 6, 9));
    assert_eq!(promise_text(2), "usually ready in 2 working days");
}

#[test]
fn an_order_key_is_what_the_order_page_makes_and_nothing_else() {
    assert!(OrderKey::parse("3f2b9c1e-77aa-4c0e-9d1b-2a4e5f6a7b8c").is_ok());
    for bad in ["", "short", "has spaces in it here!", &"x".repeat(65)] {
        assert!(OrderKey::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn a_patient_has_stopped_ordering_once_the_supply_ran_out_more_than_the_margin_ago() {
    // Issued 1 June, 28 days: runs out on 29 June; with a 14-day margin, stopped after 13 July.
    assert_eq!(stopped_ordering(&item(), 14, day(2026, 7, 13)), None);
    assert_eq!(stopped_ordering(&item(), 14, day(2026, 7, 14)), Some(day(2026, 6, 29)));
    assert_eq!(stopped_ordering(&ItemFacts { last_issued: None, ..item() }, 14, day(2027, 1, 1)), None);
}
