//! Appointments through the real app: patients find, book and cancel without
//! JavaScript; reception books by phone; the practice keeps the book.

use crate::common;
use common::{demo_practice, location, patient_of};
use common::{spawn_app, TestApp, PATIENT, PRACTICE_ADMIN, RECEPTIONIST};
use storage::audit::AuditFilter;

const PATIENT_B: (&str, &str) = ("second.patient@riverside.example", "demo-patient-2");

/// A free slot of the type (internal name) at least a day ahead.
pub async fn free_slot(app: &TestApp, internal: &str) -> storage::appointments::SlotRow {
    let now = common::start_instant();
    let slots = app
        .store
        .slots_between(demo_practice(app).await, now + chrono::TimeDelta::days(1), now + chrono::TimeDelta::days(20))
        .await
        .unwrap();
    slots.into_iter().find(|s| s.appointment_id.is_none() && s.type_internal_name == internal).expect("a free slot")
}

on_both_engines! {
    async fn a_patient_finds_checks_books_sees_and_cancels_an_appointment_without_javascript(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let (status, list) = app.get_as("/appointments", Some(&patient)).await;
        assert_eq!(status, 200);
        assert!(list.contains("GP appointment, 10 minutes"), "the demo booking is listed");

        // First what it is for, by the plain names.
        let (status, find) = app.get_as("/appointments/book", Some(&patient)).await;
        assert_eq!(status, 200);
        assert!(find.contains("What is the appointment for?"));
        assert!(find.contains("GP appointment, 10 minutes"), "plain names");
        assert!(!find.contains("Medication review"), "types not offered online are not shown");
        assert!(!find.contains("GP10"), "internal names are never shown to patients");
        assert!(!find.contains("gp-time"), "no times before a type is chosen");

        // Then a day from the strip, and a time: the first day with free times is shown.
        let slot = free_slot(&app, "GP10").await;
        let step = format!("/appointments/book?slot_type={}", slot.slot_type_id);
        let (status, times) = app.get_as(&step, Some(&patient)).await;
        assert_eq!(status, 200);
        assert!(times.contains("Choose a day") && times.contains("aria-current=\"date\""), "a strip of days, one chosen");
        assert!(times.contains("None free"), "days without free times show as full");
        assert!(times.contains("Morning (before 12pm)"), "times grouped by part of the day");
        let day = domain::time::to_london(slot.starts_at.0).date();
        let (_, that_day) = app.get_as(&format!("{step}&day={day}"), Some(&patient)).await;
        assert!(that_day.contains(&format!("/appointments/book/{}\"", slot.slot_id)), "the free time is a link");
        let (status, bad) = app.get_as(&format!("{step}&day=tomorrow"), Some(&patient)).await;
        assert_eq!(status, 200);
        assert!(bad.contains("Choose a day from the list"), "a bad day is named");

        let page = format!("/appointments/book/{}", slot.slot_id);
        let (status, check) = app.get_as(&page, Some(&patient)).await;
        assert_eq!(status, 200);
        assert!(check.contains("Check your appointment") && check.contains("Dr "));

        let booked = app
            .post_form(&page, &[("_action", "/api/appointments/book"), ("slot_id", &slot.slot_id.to_string())], Some(&patient))
            .await;
        assert_eq!(booked.status().as_u16(), 303);
        let confirmation = location(&booked);
        assert!(confirmation.starts_with("/appointments/") && confirmation.ends_with("?booked=1"), "{confirmation}");
        let (_, shown) = app.get_as(&confirmation, Some(&patient)).await;
        assert!(shown.contains("Appointment booked"));

        let mail = app.store.outbox_of_practice(practice, 20).await.unwrap();
        let confirm = mail.iter().find(|m| m.subject.ends_with("is booked")).expect("a confirmation email");
        assert_eq!(confirm.to_address, PATIENT.0);
        assert!(confirm.body.contains("When: ") && confirm.body.contains("Where: "), "{}", confirm.body);
        assert!(!confirm.body.contains("GP appointment") && !confirm.body.contains("Dr "), "nothing about what it is for");
        let events = app.store.audit_events(practice, &AuditFilter { action: Some("appointment_booked".into()), limit: 5, ..Default::default() }).await.unwrap();
        assert_eq!(events[0].acting_for_patient_id, Some(patient_of(&app, PATIENT.0).await.0));
        assert!(events[0].detail.as_deref().unwrap_or_default().contains("route online"));

        // Two held is the practice's limit: the list says so before anything is chosen.
        let (_, full) = app.get_as("/appointments/book", Some(&patient)).await;
        assert!(full.contains("You already have 2 appointments booked"), "the cap is explained");
        assert!(!full.contains(&format!("/appointments/book/{}\"", free_slot(&app, "GP10").await.slot_id)));

        let id = confirmation.trim_start_matches("/appointments/").trim_end_matches("?booked=1").to_owned();
        let cancelled = app
            .post_form(&format!("/appointments/{id}"), &[("_action", "/api/appointments/cancel"), ("appointment_id", &id)], Some(&patient))
            .await;
        assert_eq!(cancelled.status().as_u16(), 303);
        assert_eq!(location(&cancelled), "/appointments?cancelled=1");
        let row = app.store.slot(practice, domain::appointments::SlotId(slot.slot_id)).await.unwrap();
        assert!(row.appointment_id.is_none(), "the slot is free again");
        let mail = app.store.outbox_of_practice(practice, 20).await.unwrap();
        assert!(mail.iter().any(|m| m.subject.ends_with("is cancelled")));
        app.stop().await;
    }
}

on_both_engines! {
    async fn another_patient_can_neither_see_nor_cancel_the_appointment(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let held = app.store.held_appointments(practice, patient_of(&app, PATIENT.0).await).await.unwrap();
        let mine = app.store.patient_appointments(practice, patient_of(&app, PATIENT.0).await).await.unwrap();
        let id = mine[0].id.to_string();
        let other = app.sign_in(PATIENT_B.0, PATIENT_B.1).await;
        assert_eq!(app.get_as(&format!("/appointments/{id}"), Some(&other)).await.0, 404);
        let refused = app.post_form("/api/appointments/cancel", &[("appointment_id", &id)], Some(&other)).await;
        assert_eq!(refused.status().as_u16(), 404);
        let after = app.store.held_appointments(practice, patient_of(&app, PATIENT.0).await).await.unwrap();
        assert_eq!(after, held, "nothing changed");
        app.stop().await;
    }
}

on_both_engines! {
    async fn the_second_to_book_a_slot_is_told_it_was_taken_and_offered_the_nearest_alternatives(engine: Engine) {
        let app = spawn_app(engine).await;
        let slot = free_slot(&app, "GP10").await.slot_id.to_string();
        let first = app.sign_in(PATIENT_B.0, PATIENT_B.1).await;
        assert_eq!(app.post_form("/api/appointments/book", &[("slot_id", &slot)], Some(&first)).await.status().as_u16(), 200);
        let second = app.sign_in(PATIENT.0, PATIENT.1).await;
        let lost = app.post_form("/api/appointments/book", &[("slot_id", &slot)], Some(&second)).await;
        assert_eq!(lost.status().as_u16(), 409);
        let body = lost.text().await.unwrap();
        assert!(body.contains("That appointment has just been taken. The nearest free ones like it are:"), "{body}");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_receptionist_books_by_phone_into_a_slot_patients_cannot_book_online_and_it_leaves_every_list(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let patient = patient_of(&app, PATIENT.0).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let review = free_slot(&app, "MEDREV").await;
        let day = domain::time::to_london(review.starts_at.0).date();
        let (status, free) = app.get_as(&format!("/admin/patients/{}/book?day={day}", patient.0), Some(&staff)).await;
        assert_eq!(status, 200);
        assert!(free.contains("MEDREV"), "reception sees slots not offered online");

        let page = format!("/admin/patients/{}/book/{}", patient.0, review.slot_id);
        let fields = |route: &'static str| {
            vec![
                ("_action", "/api/admin/appointments/book".to_owned()),
                ("patient_id", patient.0.to_string()),
                ("slot_id", review.slot_id.to_string()),
                ("route", route.to_owned()),
            ]
        };
        let as_refs = |f: &Vec<(&'static str, String)>| f.iter().map(|(n, v)| (*n, v.clone())).collect::<Vec<_>>();
        let bad = as_refs(&fields("carrier pigeon"));
        let bad: Vec<(&str, &str)> = bad.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let refused = app.post_form(&page, &bad, Some(&staff)).await;
        assert_eq!(refused.status().as_u16(), 422);
        assert!(refused.text().await.unwrap().contains("Choose how the patient asked"));
        assert!(app.store.slot(practice, domain::appointments::SlotId(review.slot_id)).await.unwrap().appointment_id.is_none());

        let good = as_refs(&fields("telephone"));
        let good: Vec<(&str, &str)> = good.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let booked = app.post_form(&page, &good, Some(&staff)).await;
        assert_eq!(booked.status().as_u16(), 303);
        assert!(location(&booked).starts_with(&format!("/admin/patients/{}/appointments?booked=", patient.0)));
        let events = app.store.audit_events(practice, &AuditFilter { action: Some("appointment_booked".into()), limit: 5, ..Default::default() }).await.unwrap();
        assert!(events[0].detail.as_deref().unwrap_or_default().contains("route telephone"));
        assert_eq!(events[0].acting_for_patient_id, Some(patient.0));

        // A GP slot booked by phone is gone from a patient's list at once.
        let gp = free_slot(&app, "GP10").await;
        let other = app.sign_in(PATIENT_B.0, PATIENT_B.1).await;
        let link = format!("/appointments/book/{}\"", gp.slot_id);
        let that_day = domain::time::to_london(gp.starts_at.0).date();
        let times = format!("/appointments/book?slot_type={}&day={that_day}", gp.slot_type_id);
        assert!(app.get_as(&times, Some(&other)).await.1.contains(&link));
        let by_phone = app
            .post_form("/api/admin/appointments/book", &[("patient_id", &patient.0.to_string()), ("slot_id", &gp.slot_id.to_string()), ("route", "in_person")], Some(&staff))
            .await;
        assert_eq!(by_phone.status().as_u16(), 200);
        assert!(!app.get_as(&times, Some(&other)).await.1.contains(&link));
        app.stop().await;
    }
}

on_both_engines! {
    async fn cancelling_a_session_cancels_its_bookings_and_emails_each_patient(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let patient = patient_of(&app, PATIENT.0).await;
        let mine = app.store.patient_appointments(practice, patient).await.unwrap();
        let booked = mine.iter().find(|a| a.is_booked()).expect("the demo booking").clone();
        let slot = app.store.slot(practice, domain::appointments::SlotId(booked.slot_id)).await.unwrap();
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let page = format!("/admin/schedule/sessions/{}", slot.session_id);
        let (status, before) = app.get_as(&page, Some(&admin)).await;
        assert_eq!(status, 200);
        assert!(before.contains("Booked: Amara Ahmed"));
        let cancelled = app
            .post_form(&page, &[("_action", "/api/admin/schedule/sessions/cancel"), ("session_id", &slot.session_id.to_string())], Some(&admin))
            .await;
        assert_eq!(cancelled.status().as_u16(), 303);
        let after = app.store.appointment(practice, domain::appointments::AppointmentId(booked.id)).await.unwrap();
        assert_eq!(after.status, "cancelled");
        let mail = app.store.outbox_of_practice(practice, 50).await.unwrap();
        let notice = mail.iter().find(|m| m.to_address == PATIENT.0 && m.subject.ends_with("is cancelled")).expect("the patient is told");
        assert!(notice.body.contains("The practice has cancelled your appointment"));
        let again = app.post_form("/api/admin/schedule/sessions/cancel", &[("session_id", &slot.session_id.to_string())], Some(&admin)).await;
        assert_eq!(again.status().as_u16(), 409, "a cancelled session cannot be cancelled twice");
        app.stop().await;
    }
}

on_both_engines! {
    async fn schedule_forms_refuse_bad_input_with_a_message_and_change_nothing(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let types_before = app.store.slot_types(practice).await.unwrap().len();
        let bad_type = app
            .post_form("/api/admin/schedule/slot-types/add", &[("internal_name", ""), ("patient_name", ""), ("channel", "fax"), ("category", "routine"), ("minutes", "500")], Some(&admin))
            .await;
        assert_eq!(bad_type.status().as_u16(), 422);
        let body = bad_type.text().await.unwrap();
        for message in ["Enter the name staff see", "Enter the name patients see", "Choose how the appointment happens", "Enter a length in minutes from 5 to 240"] {
            assert!(body.contains(message), "{message} in {body}");
        }
        assert_eq!(app.store.slot_types(practice).await.unwrap().len(), types_before);

        let day = domain::time::to_london(common::start_instant()).date() + chrono::TimeDelta::days(3);
        let sessions_before = app.store.clinic_sessions_on(practice, day).await.unwrap().len();
        let clinician = app.store.clinicians(practice).await.unwrap()[0].id.to_string();
        let session_type = app.store.session_types(practice).await.unwrap()[0].id.to_string();
        let slot_type = app.store.slot_types(practice).await.unwrap()[0].id.to_string();
        let typed_day = domain::time::typed_date(day);
        let backwards = app
            .post_form(
                "/api/admin/schedule/sessions/add",
                &[("clinician", &clinician), ("session_type", &session_type), ("slot_type", &slot_type), ("day", &typed_day), ("start", "12:00"), ("end", "09:00"), ("location", "Room 1")],
                Some(&admin),
            )
            .await;
        assert_eq!(backwards.status().as_u16(), 422);
        assert!(backwards.text().await.unwrap().contains("The end time must be after the start time"));
        assert_eq!(app.store.clinic_sessions_on(practice, day).await.unwrap().len(), sessions_before);

        let rules_before = app.store.booking_rules(practice).await.unwrap();
        let bad_rules = app
            .post_form("/api/admin/booking-rules/save", &[("horizon_days", "0"), ("min_notice_hours", "two"), ("max_future", "0"), ("cancel_cutoff_hours", "1")], Some(&admin))
            .await;
        assert_eq!(bad_rules.status().as_u16(), 422);
        assert_eq!(app.store.booking_rules(practice).await.unwrap(), rules_before);

        let gp10 = app.store.slot_types(practice).await.unwrap().into_iter().find(|t| t.internal_name == "GP10").unwrap();
        let half_release = app
            .post_form("/api/admin/booking-rules/offer", &[("slot_type_id", &gp10.id.to_string()), ("bookable", "yes"), ("release", "held"), ("release_days", "0"), ("release_at", "eight")], Some(&admin))
            .await;
        assert_eq!(half_release.status().as_u16(), 422);
        assert!(half_release.text().await.unwrap().contains("Enter the release time like 08:00"));
        let unchanged = app.store.slot_types(practice).await.unwrap().into_iter().find(|t| t.internal_name == "GP10").unwrap();
        assert_eq!(unchanged.offer(), gp10.offer());
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_slot_type_patients_would_see_as_slot_is_flagged_for_the_practice(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let (_, setup) = app.get_as("/admin/schedule/setup", Some(&admin)).await;
        assert!(setup.contains("Unclear name"));
        let poor = app.store.slot_types(practice).await.unwrap().into_iter().find(|t| t.patient_name == "Slot").unwrap();
        let (_, page) = app.get_as(&format!("/admin/schedule/slot-types/{}", poor.id), Some(&admin)).await;
        assert!(page.contains("Patients will see \"Slot\", which does not tell them what the appointment is for"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_stopped_rota_adds_no_sessions_and_the_rules_choose_which_clinicians_patients_can_book(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        // The demo book runs four weeks ahead; the fifth week is empty until a keeper adds it.
        let fifth = domain::time::to_london(common::start_instant()).date() + chrono::TimeDelta::days(35);
        let monday = fifth - chrono::TimeDelta::days(i64::from(chrono::Datelike::weekday(&fifth).num_days_from_monday()));
        assert!(app.store.clinic_sessions_on(practice, monday).await.unwrap().is_empty());
        let rotas = app.store.rotas(practice).await.unwrap();
        let stopped = rotas.iter().find(|r| r.weekday == 1).unwrap();
        let stop = app.post_form("/admin/schedule/rotas", &[("_action", "/api/admin/schedule/rotas/active"), ("rota_id", &stopped.id.to_string()), ("active", "no")], Some(&admin)).await;
        assert_eq!(stop.status().as_u16(), 303);
        let typed = domain::time::typed_date(monday);
        let made = app.post_form("/admin/schedule/rotas", &[("_action", "/api/admin/schedule/rotas/generate"), ("from", &typed), ("weeks", "1")], Some(&admin)).await;
        assert_eq!(made.status().as_u16(), 303);
        let monday_rotas = rotas.iter().filter(|r| r.weekday == 1).count();
        let sessions = app.store.clinic_sessions_on(practice, monday).await.unwrap();
        assert_eq!(sessions.len(), monday_rotas - 1, "every Monday rota but the stopped one");
        let again = app.post_form("/api/admin/schedule/rotas/generate", &[("from", &typed), ("weeks", "1")], Some(&admin)).await;
        assert_eq!(again.status().as_u16(), 200);
        assert_eq!(app.store.clinic_sessions_on(practice, monday).await.unwrap().len(), sessions.len(), "a rota makes a day's session once");

        let clinicians = app.store.clinicians(practice).await.unwrap();
        let only = clinicians[1].id.to_string();
        let saved = app
            .post_form("/admin/booking-rules", &[("_action", "/api/admin/booking-rules/save"), ("horizon_days", "14"), ("min_notice_hours", "1"), ("max_future", "3"), ("min_age", "16"), ("cancel_cutoff_hours", "2"), ("clinicians[]", &only)], Some(&admin))
            .await;
        assert_eq!(saved.status().as_u16(), 303);
        let after = app.store.clinicians(practice).await.unwrap();
        assert_eq!(after.iter().filter(|c| c.bookable_online).map(|c| c.id).collect::<Vec<_>>(), vec![clinicians[1].id]);
        let rules = app.store.booking_rules(practice).await.unwrap();
        assert_eq!((rules.horizon_days, rules.min_notice_minutes, rules.max_future, rules.min_age, rules.cancel_cutoff_minutes), (14, 60, Some(3), Some(16), 120));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_free_slot_changes_type_and_a_booked_one_keeps_what_the_patient_booked(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let phone = app.store.slot_types(practice).await.unwrap().into_iter().find(|t| t.internal_name == "GPTEL").unwrap();
        let free = free_slot(&app, "GP10").await;
        let page = format!("/admin/schedule/sessions/{}", free.session_id);
        let change = |slot: i64| {
            vec![
                ("_action", "/api/admin/schedule/slots/change".to_owned()),
                ("session_id", free.session_id.to_string()),
                ("slot_id", slot.to_string()),
                ("slot_type", phone.id.to_string()),
            ]
        };
        let fields = change(free.slot_id);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
        assert_eq!(app.post_form(&page, &fields, Some(&staff)).await.status().as_u16(), 303);
        let changed = app.store.slot(practice, domain::appointments::SlotId(free.slot_id)).await.unwrap();
        assert_eq!(changed.type_internal_name, "GPTEL");

        let slots = app.store.slots_of_session(practice, domain::appointments::ClinicSessionId(free.session_id)).await.unwrap();
        let booked = slots.iter().find(|s| s.appointment_id.is_some()).expect("the demo books a quarter of the slots");
        let fields = change(booked.slot_id);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let refused = app.post_form(&page, &fields, Some(&staff)).await;
        assert_eq!(refused.status().as_u16(), 409);
        assert!(refused.text().await.unwrap().contains("That slot is booked: cancel the appointment first."));
        let kept = app.store.slot(practice, domain::appointments::SlotId(booked.slot_id)).await.unwrap();
        assert_eq!(kept.type_internal_name, booked.type_internal_name);
        app.stop().await;
    }
}
