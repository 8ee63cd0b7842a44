//! Each measure on small hand-made data, counts that can be checked by hand.

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn march() -> Month {
    Month::parse("2026-03").unwrap()
}

const ALL: Enabled = Enabled { appointments: true, prescriptions: true, detailed_record: true };

/// On the list since 2020, born in 1980, no account.
fn patient() -> PatientFacts {
    PatientFacts {
        date_of_birth: day(1980, 6, 1),
        sex: "female".into(),
        registered_on: Some(day(2020, 1, 1)),
        left_on: None,
        account_from: None,
        account_until: None,
        enabled: Enabled::default(),
        paper_or_phone: false,
    }
}

fn with_account(from: NaiveDate, enabled: Enabled) -> PatientFacts {
    PatientFacts { account_from: Some(from), enabled, ..patient() }
}

#[test]
fn enabled_patients_are_counted_on_the_months_last_day_and_new_ones_by_when_their_account_was_made() {
    let patients = [
        with_account(day(2026, 2, 3), ALL),
        with_account(day(2026, 3, 10), Enabled { appointments: true, ..Enabled::default() }),
        patient(),
        // Made on the last day: counts, and is new.
        with_account(day(2026, 3, 31), Enabled { prescriptions: true, ..Enabled::default() }),
        // Made in April: not yet.
        with_account(day(2026, 4, 1), ALL),
        // Switched off on 20 March.
        PatientFacts { account_until: Some(day(2026, 3, 20)), ..with_account(day(2025, 1, 1), ALL) },
        // An account with nothing enabled.
        with_account(day(2026, 3, 2), Enabled::default()),
    ];
    let m = measure(march(), &patients, &Activity::default());
    assert_eq!((m.registered, m.with_account), (7, 4));
    assert_eq!((m.appointments_enabled, m.prescriptions_enabled, m.record_enabled), (2, 2, 1));
    assert_eq!(m.total_enabled, 3);
    assert_eq!(m.new_enabled, 2, "the 10th and the 31st; not the account with nothing enabled");
}

#[test]
fn a_patient_who_left_mid_month_is_off_the_list_at_its_end_but_what_was_done_before_still_counts() {
    let left = PatientFacts { left_on: Some(day(2026, 3, 15)), ..with_account(day(2025, 5, 1), ALL) };
    let joined = PatientFacts { registered_on: Some(day(2026, 3, 20)), ..patient() };
    let joins_later = PatientFacts { registered_on: Some(day(2026, 4, 2)), ..patient() };
    let activity = Activity { record_views: vec![day(2026, 3, 10), day(2026, 3, 11)], ..Activity::default() };
    let m = measure(march(), &[left.clone(), joined, joins_later], &activity);
    assert_eq!((m.registered, m.with_account, m.total_enabled), (1, 0, 0));
    assert_eq!(m.record_use, 2, "views before they left");
    let february = measure(march().previous(), &[left], &Activity::default());
    assert_eq!((february.registered, february.record_enabled), (1, 1));
}

#[test]
fn a_cancelled_then_rebooked_appointment_counts_each_online_booking_and_cancellation_in_its_own_month() {
    let online = |booked_on, cancelled: Option<(NaiveDate, Via)>| Booking {
        routine: true,
        booked_on,
        booked: Via::Online,
        cancelled,
    };
    let bookings = vec![
        // Booked on the 3rd, cancelled on the 5th and booked again the same day.
        online(day(2026, 3, 3), Some((day(2026, 3, 5), Via::Online))),
        online(day(2026, 3, 5), None),
        // Booked by reception, cancelled online.
        Booking { booked: Via::Staff, ..online(day(2026, 3, 6), Some((day(2026, 3, 7), Via::Online))) },
        // Booked in February, cancelled by phone in March.
        online(day(2026, 2, 27), Some((day(2026, 3, 2), Via::Staff))),
        // Not routine: counts for POMI, not for the routine target.
        Booking { routine: false, ..online(day(2026, 3, 9), None) },
    ];
    let activity = Activity { bookings, ..Activity::default() };
    let m = measure(march(), &[], &activity);
    assert_eq!(m.appointments_use, 5, "3rd, 5th (cancel), 5th (book), 7th, 9th");
    assert_eq!((m.routine_actions_online, m.routine_actions), (4, 6));
    let february = measure(march().previous(), &[], &activity);
    assert_eq!((february.appointments_use, february.routine_actions), (1, 1));
}

#[test]
fn orders_views_and_messages_are_counted_in_their_month_and_total_use_adds_the_three_services() {
    let activity = Activity {
        orders: vec![
            Order { on: day(2026, 3, 1), items: 2 },
            Order { on: day(2026, 3, 31), items: 1 },
            Order { on: day(2026, 4, 1), items: 5 },
        ],
        record_views: vec![day(2026, 3, 4), day(2026, 2, 28)],
        messages: vec![
            (day(2026, 3, 2), Author::Patient),
            (day(2026, 3, 2), Author::Practice),
            (day(2026, 3, 3), Author::Practice),
        ],
        bookings: vec![Booking { routine: true, booked_on: day(2026, 3, 8), booked: Via::Online, cancelled: None }],
        ..Activity::default()
    };
    let m = measure(march(), &[], &activity);
    assert_eq!((m.prescriptions_use, m.items_ordered), (2, 3));
    assert_eq!(m.record_use, 1);
    assert_eq!(m.total_use, 1 + 2 + 1);
    assert_eq!((m.messages_from_patients, m.messages_from_practice), (1, 2));
}

#[test]
fn proxy_grants_are_counted_when_in_force_on_the_months_last_day() {
    let span = |from, ended_on| GrantSpan { from, ended_on };
    let activity = Activity {
        proxy_grants: vec![
            span(day(2025, 1, 1), None),
            span(day(2026, 3, 31), None),
            span(day(2026, 1, 1), Some(day(2026, 3, 31))),
            span(day(2026, 1, 1), Some(day(2026, 4, 1))),
            span(day(2026, 4, 1), None),
        ],
        ..Activity::default()
    };
    assert_eq!(measure(march(), &[], &activity).proxy_grants_active, 3);
}

#[test]
fn each_target_gives_a_plain_verdict_and_an_empty_month_says_there_is_nothing_to_measure() {
    let offered = |online| Offered { day: day(2026, 3, 10), routine: true, online };
    let mut slots: Vec<Offered> = (0..8).map(|_| offered(true)).chain((0..2).map(|_| offered(false))).collect();
    slots.push(Offered { routine: false, ..offered(false) });
    let patients = [with_account(day(2026, 1, 1), ALL), patient(), patient(), patient(), patient(), patient()];
    let m = measure(march(), &patients, &Activity { offered: slots, ..Activity::default() });
    let [offered, accounts, used] = progress(&m, Targets::DEFAULT);
    assert_eq!((offered.count, offered.out_of, offered.verdict), (8, 10, Verdict::Met), "exactly 80%");
    assert_eq!(offered.percent().as_deref(), Some("80.0%"));
    assert_eq!((accounts.count, accounts.out_of, accounts.verdict), (1, 6, Verdict::NotMet), "16.7% of 20%");
    assert_eq!(used.verdict, Verdict::NoData);
    assert_eq!(used.percent(), None);
    let lower = Targets { with_account: 15, ..Targets::DEFAULT };
    assert_eq!(progress(&m, lower)[1].verdict, Verdict::Met);
}

#[test]
fn a_target_is_a_whole_percentage_from_1_to_100() {
    assert_eq!(Targets::parse_percent(" 35% "), Ok(35));
    for bad in ["0", "101", "12.5", "", "half"] {
        assert!(Targets::parse_percent(bad).is_err(), "{bad}");
    }
}

#[test]
fn uptake_is_shown_by_age_on_the_months_last_day_by_sex_and_for_paper_or_phone_contact() {
    let patients = [
        // Turns 16 on 31 March: in 16 to 24.
        PatientFacts { date_of_birth: day(2010, 3, 31), ..with_account(day(2026, 1, 1), ALL) },
        PatientFacts { date_of_birth: day(2010, 4, 1), ..patient() },
        PatientFacts { sex: "male".into(), paper_or_phone: true, ..patient() },
        PatientFacts { sex: "".into(), date_of_birth: day(1940, 1, 1), ..with_account(day(2025, 1, 1), ALL) },
        PatientFacts { left_on: Some(day(2026, 3, 1)), ..with_account(day(2025, 1, 1), ALL) },
    ];
    let groups = uptake_by_group(march(), &patients);
    let find = |group: &str| groups.iter().find(|g| g.group == group).unwrap();
    assert_eq!((find("Under 16").registered, find("Under 16").with_account), (1, 0));
    assert_eq!((find("16 to 24").registered, find("16 to 24").with_account), (1, 1));
    assert_eq!((find("75 and over").with_account, find("45 to 64").registered, find("25 to 44").registered), (1, 1, 0));
    assert_eq!((find("Female").registered, find("Male").registered, find("Not known").registered), (2, 1, 1));
    let paper = find("Asked for paper or phone");
    assert_eq!((paper.registered, paper.with_account, paper.percent()), (1, 0, "0.0%".to_owned()));
    assert_eq!(find("Email or text message").percent(), "66.7%");
    assert_eq!(find("Other").percent(), "–");
    let total: u32 = groups.iter().filter(|g| g.by == "Age").map(|g| g.registered).sum();
    assert_eq!(total, 4, "the patient who left is in no group");
}

#[test]
fn a_month_reads_as_year_and_month_and_knows_its_days() {
    let february = Month::parse("2028-02").unwrap();
    assert_eq!(february.last_day(), day(2028, 2, 29));
    assert_eq!((february.to_string(), february.label()), ("2028-02".to_owned(), "February 2028".to_owned()));
    assert!(february.contains(day(2028, 2, 29)) && !february.contains(day(2028, 3, 1)));
    let year = Month::parse("2026-01").unwrap().ending_here(3);
    assert_eq!(year.iter().map(|m| m.to_string()).collect::<Vec<_>>(), ["2025-11", "2025-12", "2026-01"]);
    for bad in ["2026-13", "2026", "March", "1999-01", "2026-00", ""] {
        assert!(Month::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_pomi_fields_are_named_as_published_each_with_its_own_measure() {
    let m = Measures {
        appointments_enabled: 1,
        appointments_use: 2,
        prescriptions_enabled: 3,
        prescriptions_use: 4,
        record_enabled: 5,
        record_use: 6,
        total_enabled: 7,
        new_enabled: 8,
        total_use: 9,
        ..Measures::default()
    };
    let names: Vec<&str> = pomi_fields(&m).iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "Pat_Appts_Enbld",
            "Pat_Appts_Use",
            "Pat_Presc_Enbld",
            "Pat_Presc_Use",
            "Pat_DetCodeRec_Enbld",
            "Pat_DetCodeRec_Use",
            "Total_Pat_Enbld",
            "New_Pat_Enbld",
            "Total_Use"
        ]
    );
    let values: Vec<u32> = pomi_fields(&m).iter().map(|(_, value)| *value).collect();
    assert_eq!(values, (1..=9).collect::<Vec<_>>());
}
