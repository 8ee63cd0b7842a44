use super::*;
use crate::time::to_london;
use chrono::{TimeZone, Utc};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const EVERYTHING: ProxyServices =
    ProxyServices { appointments: true, prescriptions: true, messages: true, record: RecordLevel::Full };

/// A parent's grant for a child, started long ago and used yesterday.
fn parents(today: NaiveDate) -> GrantFacts {
    GrantFacts {
        basis: LegalBasis::ParentalResponsibility,
        status: GrantStatus::Active,
        services: EVERYTHING,
        starts_on: day(2015, 1, 1),
        ends_on: None,
        last_used_on: Some(today - TimeDelta::days(1)),
        clinician: None,
        reviewed_on: None,
    }
}

fn open(standing: Standing) -> (ProxyServices, bool, bool) {
    match standing {
        Standing::Open { services, narrowed, review_due } => (services, narrowed, review_due),
        Standing::Closed(closed) => panic!("closed: {closed:?}"),
    }
}

#[test]
fn a_parents_access_narrows_on_the_day_the_child_turns_11_and_keeps_booking_and_repeats() {
    let born = day(2015, 6, 15);
    let before = day(2026, 6, 14);
    let (services, narrowed, _) = open(standing(&parents(before), born, before, AgeRules::DEFAULT));
    assert_eq!((services, narrowed), (EVERYTHING, false));
    let on = day(2026, 6, 15);
    let (services, narrowed, _) = open(standing(&parents(on), born, on, AgeRules::DEFAULT));
    assert!(narrowed);
    assert!(services.appointments && services.prescriptions);
    assert!(!services.messages && services.record == RecordLevel::None);
    assert_eq!(
        may_use(&parents(on), born, on, AgeRules::DEFAULT, ProxyService::Record),
        Err(ProxyRefusal::Narrowed(ProxyService::Record))
    );
    assert!(may_use(&parents(on), born, on, AgeRules::DEFAULT, ProxyService::Appointments).is_ok());
}

#[test]
fn a_child_born_on_29_february_reaches_each_age_on_1_march_in_a_common_year() {
    let born = day(2012, 2, 29);
    let eve = day(2023, 2, 28);
    assert!(!open(standing(&parents(eve), born, eve, AgeRules::DEFAULT)).1);
    let first = day(2023, 3, 1);
    assert!(open(standing(&parents(first), born, first, AgeRules::DEFAULT)).1, "11 on 1 March 2023");
    let review = day(2025, 3, 1);
    assert!(
        !open(standing(&parents(review - TimeDelta::days(1)), born, review - TimeDelta::days(1), AgeRules::DEFAULT)).2
    );
    assert!(open(standing(&parents(review), born, review, AgeRules::DEFAULT)).2, "13 on 1 March 2025");
    let sixteen = day(2028, 2, 29);
    assert_eq!(
        standing(&parents(sixteen), born, sixteen, AgeRules::DEFAULT),
        Standing::Closed(Closed::ChildTurned16),
        "2028 is a leap year: 16 on 29 February"
    );
}

#[test]
fn access_is_due_for_review_from_the_review_age_until_staff_review_it() {
    let born = day(2013, 6, 15);
    let on = day(2026, 6, 15);
    assert!(open(standing(&parents(on), born, on, AgeRules::DEFAULT)).2);
    let reviewed = GrantFacts { reviewed_on: Some(on), ..parents(on) };
    assert!(!open(standing(&reviewed, born, on, AgeRules::DEFAULT)).2, "reviewed on the birthday itself");
    let too_early = GrantFacts { reviewed_on: Some(on - TimeDelta::days(1)), ..parents(on) };
    assert!(open(standing(&too_early, born, on, AgeRules::DEFAULT)).2, "a review before the age does not count");
}

#[test]
fn a_parents_access_is_suspended_at_16_but_the_young_persons_own_grant_goes_on() {
    let born = day(2010, 6, 15);
    let eve = day(2026, 6, 14);
    assert!(matches!(standing(&parents(eve), born, eve, AgeRules::DEFAULT), Standing::Open { .. }));
    let on = day(2026, 6, 15);
    assert_eq!(standing(&parents(on), born, on, AgeRules::DEFAULT), Standing::Closed(Closed::ChildTurned16));
    let refused = may_use(&parents(on), born, on, AgeRules::DEFAULT, ProxyService::Appointments).unwrap_err();
    assert!(refused.message().contains("They are 16 now"), "{}", refused.message());
    let granted_by_them = GrantFacts { basis: LegalBasis::PatientConsent, ..parents(on) };
    assert_eq!(open(standing(&granted_by_them, born, on, AgeRules::DEFAULT)).0, EVERYTHING);
    let kept = GrantFacts { clinician: Some(ClinicianDecision::KeepServices), ..parents(on) };
    assert_eq!(standing(&kept, born, on, AgeRules::DEFAULT), Standing::Closed(Closed::ChildTurned16), "never past 16");
}

#[test]
fn a_clinicians_decision_keeps_a_parents_services_or_narrows_them_early() {
    let on = day(2026, 6, 15);
    let twelve = day(2014, 1, 1);
    let kept = GrantFacts { clinician: Some(ClinicianDecision::KeepServices), ..parents(on) };
    assert_eq!(open(standing(&kept, twelve, on, AgeRules::DEFAULT)), (EVERYTHING, false, false));
    let nine = day(2017, 1, 1);
    let early = GrantFacts { clinician: Some(ClinicianDecision::NarrowNow), ..parents(on) };
    assert!(open(standing(&early, nine, on, AgeRules::DEFAULT)).1);
}

#[test]
fn the_practice_sets_the_ages_from_1_to_15() {
    let rules = AgeRules::new(12, 12).unwrap();
    let born = day(2014, 6, 15);
    let on = day(2026, 6, 14);
    assert_eq!(open(standing(&parents(on), born, on, rules)), (EVERYTHING, false, false), "11 is not narrowed at 12");
    let on = day(2026, 6, 15);
    let (_, narrowed, review_due) = open(standing(&parents(on), born, on, rules));
    assert!(narrowed && review_due);
    assert!(AgeRules::new(0, 13).is_err());
    assert!(AgeRules::new(11, 16).is_err());
    assert!(AgeRules::new(15, 15).is_ok());
}

#[test]
fn a_grant_is_used_from_its_start_to_its_last_day_and_not_when_pending_suspended_or_ended() {
    let born = day(1950, 1, 1);
    let carer = GrantFacts {
        basis: LegalBasis::PatientConsent,
        starts_on: day(2026, 3, 1),
        ends_on: Some(day(2026, 8, 31)),
        last_used_on: None,
        ..parents(day(2026, 3, 1))
    };
    let rules = AgeRules::DEFAULT;
    assert_eq!(
        standing(&carer, born, day(2026, 2, 28), rules),
        Standing::Closed(Closed::NotYetStarted(day(2026, 3, 1)))
    );
    assert!(matches!(standing(&carer, born, day(2026, 3, 1), rules), Standing::Open { .. }));
    assert!(
        matches!(standing(&carer, born, day(2026, 8, 31), rules), Standing::Open { .. }),
        "the last day is included"
    );
    assert_eq!(standing(&carer, born, day(2026, 9, 1), rules), Standing::Closed(Closed::Expired(day(2026, 8, 31))));
    for (status, closed) in [
        (GrantStatus::Pending, Closed::Pending),
        (GrantStatus::Suspended, Closed::Suspended),
        (GrantStatus::Ended, Closed::Ended),
    ] {
        let grant = GrantFacts { status, ..carer };
        assert_eq!(standing(&grant, born, day(2026, 5, 1), rules), Standing::Closed(closed));
        assert!(!closed.message().is_empty());
    }
}

#[test]
fn a_grant_unused_for_5_years_ends() {
    let born = day(1950, 1, 1);
    let used = GrantFacts {
        basis: LegalBasis::PowerOfAttorney,
        starts_on: day(2018, 1, 1),
        last_used_on: Some(day(2020, 2, 29)),
        ..parents(day(2020, 2, 29))
    };
    let rules = AgeRules::DEFAULT;
    assert!(matches!(standing(&used, born, day(2025, 2, 28), rules), Standing::Open { .. }));
    assert_eq!(standing(&used, born, day(2025, 3, 1), rules), Standing::Closed(Closed::Unused));
    let never = GrantFacts { last_used_on: None, ..used };
    assert_eq!(standing(&never, born, day(2023, 1, 1), rules), Standing::Closed(Closed::Unused), "from its start");
}

#[test]
fn a_service_never_granted_is_refused_as_not_granted() {
    let on = day(2026, 6, 1);
    let record_only = GrantFacts {
        basis: LegalBasis::PatientConsent,
        services: ProxyServices { record: RecordLevel::Summary, ..ProxyServices::NONE },
        ..parents(on)
    };
    let born = day(1940, 1, 1);
    assert_eq!(
        may_use(&record_only, born, on, AgeRules::DEFAULT, ProxyService::Prescriptions),
        Err(ProxyRefusal::NotGranted(ProxyService::Prescriptions))
    );
    let services = may_use(&record_only, born, on, AgeRules::DEFAULT, ProxyService::Record).unwrap();
    assert_eq!(services.record_for(RecordLevel::Full), RecordLevel::Summary);
    assert_eq!(
        EVERYTHING.record_for(RecordLevel::DetailedCoded),
        RecordLevel::DetailedCoded,
        "never more than their own"
    );
    assert!(ProxyServices::NONE.check().is_err());
}

#[test]
fn notice_is_due_30_days_before_each_change_and_the_young_person_hears_of_turning_16() {
    let born = day(2010, 6, 15);
    let sixteen = day(2026, 6, 15);
    let grant = GrantFacts { reviewed_on: Some(day(2023, 6, 15)), ..parents(day(2026, 5, 15)) };
    assert_eq!(notice_due(&grant, born, day(2026, 5, 15), AgeRules::DEFAULT), None, "31 days before");
    let due = notice_due(&grant, born, day(2026, 5, 16), AgeRules::DEFAULT);
    assert_eq!(due, Some((sixteen, Change::Suspends)));
    assert!(Change::Suspends.tells_subject() && !Change::Narrows.tells_subject());

    let young = day(2015, 7, 1);
    let today = day(2026, 6, 1);
    assert_eq!(next_change(&parents(today), young, today, AgeRules::DEFAULT), Some((day(2026, 7, 1), Change::Narrows)));
    let ending = GrantFacts { ends_on: Some(day(2026, 6, 10)), ..parents(today) };
    assert_eq!(notice_due(&ending, young, today, AgeRules::DEFAULT), Some((day(2026, 6, 11), Change::Ends)));
}

#[test]
fn the_age_counts_from_the_london_date_across_the_clock_change() {
    // 23:30 UTC on 14 June is 00:30 on 15 June in London (BST): already 16.
    let born = day(2010, 6, 15);
    let now = Utc.with_ymd_and_hms(2026, 6, 14, 23, 30, 0).unwrap();
    let today = to_london(now).date();
    assert_eq!(standing(&parents(today), born, today, AgeRules::DEFAULT), Standing::Closed(Closed::ChildTurned16));
    // In winter (GMT) 23:30 UTC is still the same day in London.
    let born = day(2010, 12, 15);
    let now = Utc.with_ymd_and_hms(2026, 12, 14, 23, 30, 0).unwrap();
    let today = to_london(now).date();
    assert!(matches!(standing(&parents(today), born, today, AgeRules::DEFAULT), Standing::Open { .. }));
}

#[test]
fn a_grant_set_up_wrongly_names_each_problem_by_its_field() {
    let today = day(2026, 6, 1);
    let good = GrantRequest {
        relationship: Relationship::ParentOrGuardian,
        basis: LegalBasis::ParentalResponsibility,
        starts_on: today,
        ends_on: None,
        verified_how: "Birth certificate and passport seen at the desk",
        clinician_note: "",
    };
    assert!(grant_problems(&good, day(2015, 1, 1), today).is_empty());
    let fields = |request: &GrantRequest, born| -> Vec<&str> {
        grant_problems(request, born, today).into_iter().map(|(field, _)| field).collect()
    };
    assert_eq!(fields(&good, day(2010, 6, 1)), ["basis"], "16 today: not a parent's grant");
    assert_eq!(fields(&GrantRequest { relationship: Relationship::Carer, ..good }, day(2015, 1, 1)), ["basis"]);
    let best_interests = GrantRequest { relationship: Relationship::Carer, basis: LegalBasis::BestInterests, ..good };
    assert_eq!(fields(&best_interests, day(1940, 1, 1)), ["clinician_note"]);
    let noted =
        GrantRequest { clinician_note: "Lacks capacity for these decisions (assessed 1 May)", ..best_interests };
    assert!(fields(&noted, day(1940, 1, 1)).is_empty());
    let unverified = GrantRequest { verified_how: "  ", ends_on: Some(day(2026, 5, 31)), ..good };
    assert_eq!(fields(&unverified, day(2015, 1, 1)), ["verified_how", "ends_on"]);
}
