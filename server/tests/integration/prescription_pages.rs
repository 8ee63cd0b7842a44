//! Repeat prescriptions over HTTP, as patients and staff use them: hidden
//! items absent from every patient answer, bad orders refused with nothing
//! written, an order sent twice kept once, and a clinician's decision seen
//! on the patient's timeline.

use crate::common;
use common::{demo_practice, patient_of, spawn_app, TestApp, CLINICIAN, PATIENT, RECEPTIONIST};

const PATIENT_B: (&str, &str) = ("second.patient@riverside.example", "demo-patient-2");

/// The demo patient's item ids by medicine.
async fn item(app: &TestApp, medicine: &str) -> String {
    let practice = demo_practice(app).await;
    let items = app.store.repeat_items(practice, patient_of(app, PATIENT.0).await).await.unwrap();
    items.iter().find(|i| i.medicine.starts_with(medicine)).expect(medicine).id.to_string()
}

async fn request_count(app: &TestApp, email: &str) -> usize {
    app.store.requests_of_patient(demo_practice(app).await, patient_of(app, email).await).await.unwrap().len()
}

const KEY: &str = "a-fresh-order-key-from-the-page-0001";

on_both_engines! {
    async fn a_hidden_medicine_is_in_no_answer_a_patient_gets(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        for page in ["/home", "/prescriptions", "/prescriptions/order", "/prescriptions/requests"] {
            let (status, html) = app.get_as(page, Some(&patient)).await;
            assert_eq!(status, 200, "{page}");
            assert!(!html.contains("Sertraline"), "{page} shows a hidden medicine");
        }
        for (function, shown) in [("/api/prescriptions/mine", "Amlodipine"), ("/api/prescriptions/requests", "Metformin")] {
            let answer = app.post_form(function, &[], Some(&patient)).await.text().await.unwrap();
            assert!(!answer.contains("Sertraline") && answer.contains(shown), "{function}: {answer}");
        }
        // Staff see it, marked.
        let staff = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        let request = app.store.requests_of_patient(demo_practice(&app).await, patient_of(&app, PATIENT.0).await).await.unwrap()[0].request.id;
        let (_, page) = app.get_as(&format!("/admin/prescriptions/{request}"), Some(&staff)).await;
        assert!(page.contains("Sertraline 50mg tablets: One tablet each morning (hidden from online view)"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn bad_orders_are_refused_with_a_clear_message_and_nothing_is_written(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let due = item(&app, "Amlodipine").await;
        let hidden = item(&app, "Sertraline").await;
        let early = item(&app, "Atorvastatin").await;
        let other = app.sign_in(PATIENT_B.0, PATIENT_B.1).await;
        let long_note = "x".repeat(501);
        let before = request_count(&app, PATIENT.0).await;
        let theirs_before = request_count(&app, PATIENT_B.0).await;
        let cases: [(&[(&str, &str)], &str); 6] = [
            (&[("order_key", KEY)], "Choose at least one medicine"),
            (&[("order_key", KEY), ("items[]", &hidden)], "not on your list"),
            (&[("order_key", KEY), ("items[]", "999999")], "not on your list"),
            (&[("order_key", KEY), ("items[]", &due), ("note", &long_note)], "500 characters or fewer"),
            (&[("order_key", KEY), ("items[]", &early)], "You can order it from"),
            (&[("order_key", "short"), ("items[]", &due)], "This order form has expired"),
        ];
        for (fields, expected) in cases {
            let response = app.post_form("/api/prescriptions/order", fields, Some(&patient)).await;
            assert_eq!(response.status().as_u16(), 422, "{expected}");
            assert!(response.text().await.unwrap().contains(expected), "{expected}");
        }
        // Patient A's item, ordered by patient B.
        let theirs = app.post_form("/api/prescriptions/order", &[("order_key", KEY), ("items[]", &due)], Some(&other)).await;
        assert_eq!(theirs.status().as_u16(), 422);
        assert_eq!(request_count(&app, PATIENT.0).await, before, "nothing written");
        assert_eq!(request_count(&app, PATIENT_B.0).await, theirs_before, "nothing written");

        // The same order sent twice (a double tap) is one request.
        for _ in 0..2 {
            let placed = app.post_form("/api/prescriptions/order", &[("order_key", KEY), ("items[]", &due), ("note", "Thanks")], Some(&patient)).await;
            assert_eq!(placed.status().as_u16(), 200);
        }
        assert_eq!(request_count(&app, PATIENT.0).await, before + 1);
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_clinicians_decisions_reach_the_patients_timeline_and_a_second_clinician_is_told_who_decided(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let due = item(&app, "Amlodipine").await;
        let flagged = item(&app, "Levetiracetam").await;
        let placed = app
            .post_form("/api/prescriptions/order", &[("order_key", KEY), ("items[]", &due), ("items[]", &flagged), ("note", "Running low")], Some(&patient))
            .await;
        assert_eq!(placed.status().as_u16(), 200);
        let request = app.store.requests_of_patient(practice, patient_of(&app, PATIENT.0).await).await.unwrap()[0].request.id.to_string();
        let items = app.store.request_items(practice, request.parse().unwrap()).await.unwrap();
        let (first, second) = (items[0].id.to_string(), items[1].id.to_string());

        let reception = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let (_, queue) = app.get_as("/admin/prescriptions", Some(&reception)).await;
        assert!(queue.contains("Medication review due"), "the flag shows in the queue");
        let refused = app.post_form("/api/admin/prescriptions/decide", &[("request_id", &request), ("version", "0"), ("decision", "approve_all")], Some(&reception)).await;
        assert_eq!(refused.status().as_u16(), 403, "reception does not decide");

        let gp = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        let no_reason = app.post_form("/api/admin/prescriptions/decide", &[("request_id", &request), ("version", "0"), ("decision", "reject"), ("item_id", &second)], Some(&gp)).await;
        assert_eq!(no_reason.status().as_u16(), 422);
        let approved = app.post_form("/api/admin/prescriptions/decide", &[("request_id", &request), ("version", "0"), ("decision", "approve"), ("item_id", &first)], Some(&gp)).await;
        assert_eq!(approved.status().as_u16(), 200);
        let stale = app.post_form("/api/admin/prescriptions/decide", &[("request_id", &request), ("version", "0"), ("decision", "approve"), ("item_id", &second)], Some(&gp)).await;
        assert_eq!(stale.status().as_u16(), 409);
        assert!(stale.text().await.unwrap().contains("Dr Cara Clinician decided on this request"));
        let rejected = app
            .post_form(
                "/api/admin/prescriptions/decide",
                &[("request_id", &request), ("version", "1"), ("decision", "reject"), ("item_id", &second), ("reason", "review_needed"), ("text", "Please book a review with Dr Clinician this week")],
                Some(&gp),
            )
            .await;
        assert_eq!(rejected.status().as_u16(), 200);
        let ready = app.post_form("/api/admin/prescriptions/step", &[("request_id", &request), ("item_id", &first), ("status", "ready_to_collect")], Some(&reception)).await;
        assert_eq!(ready.status().as_u16(), 200);

        let (_, timeline) = app.get_as("/prescriptions/requests", Some(&patient)).await;
        for expected in ["Ready to collect", "Not approved", "Please book a review with Dr Clinician this week", "Prescription issued"] {
            assert!(timeline.contains(expected), "{expected}");
        }
        let cancel = app.post_form("/api/prescriptions/cancel", &[("request_id", &request)], Some(&patient)).await;
        assert_eq!(cancel.status().as_u16(), 409, "decided: too late to cancel");
        app.stop().await;
    }
}
