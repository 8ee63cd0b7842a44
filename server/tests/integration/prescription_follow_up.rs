//! What happens around a prescription request after it is ordered: staff
//! writing to the patient in the request's conversation, the patient hearing
//! of changes live, the practice's settings, a patient's online ordering
//! stopped by a clinician, and the pharmacy confirmed with an order becoming
//! the nominated one.

use crate::common;
use crate::live_updates::read_until;
use common::{demo_practice, patient_of, spawn_app, TestApp, CLINICIAN, PATIENT, PRACTICE_ADMIN, RECEPTIONIST};
use domain::prescriptions::ItemStatus;
use std::time::Duration;

const PATIENT_B: (&str, &str) = ("second.patient@riverside.example", "demo-patient-2");

/// The demo patient's request still waiting for a clinician.
async fn waiting_request(app: &TestApp) -> i64 {
    let practice = demo_practice(app).await;
    let requests = app.store.requests_of_patient(practice, patient_of(app, PATIENT.0).await).await.unwrap();
    let waiting = requests.iter().find(|r| r.items.iter().all(|(item, _)| item.status() == ItemStatus::Requested));
    waiting.expect("the demo patient has a request waiting").request.id
}

/// Opens `/live/prescriptions` as `session`.
async fn open_request_stream(app: &TestApp, session: &str) -> reqwest::Response {
    let request = app.client().get(app.url("/live/prescriptions")).header("cookie", session);
    request.send().await.expect("GET /live/prescriptions")
}

on_both_engines! {
    async fn a_message_about_a_request_reaches_the_patient_live_starts_its_conversation_and_ends_cancelling(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let request = waiting_request(&app).await;
        let id = request.to_string();
        let anonymous = app.client().get(app.url("/live/prescriptions")).send().await.unwrap();
        assert_eq!(anonymous.status().as_u16(), 401, "signed out, no stream");
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let mut live = open_request_stream(&app, &patient).await;
        assert_eq!(live.status().as_u16(), 200);
        let other = app.sign_in(PATIENT_B.0, PATIENT_B.1).await;
        let mut theirs = open_request_stream(&app, &other).await;

        let gp = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        for (body, expected) in [("", "Enter your message"), (&*"x".repeat(2001), "2000 characters or fewer")] {
            let refused = app.post_form("/api/admin/prescriptions/message", &[("request_id", &id), ("body", body)], Some(&gp)).await;
            assert_eq!(refused.status().as_u16(), 422, "{expected}");
            assert!(refused.text().await.unwrap().contains(expected), "{expected}");
        }
        let unknown = app.post_form("/api/admin/prescriptions/message", &[("request_id", "999999"), ("body", "Hello")], Some(&gp)).await;
        assert_eq!(unknown.status().as_u16(), 404);
        let by_patient = app.post_form("/api/admin/prescriptions/message", &[("request_id", &id), ("body", "Hello")], Some(&patient)).await;
        assert_eq!(by_patient.status().as_u16(), 403);
        assert_eq!(app.store.prescription_request(practice, request).await.unwrap().thread_id, None, "nothing written");

        let text = "Are you still taking it twice a day?";
        let sent = app.post_form("/api/admin/prescriptions/message", &[("request_id", &id), ("body", text)], Some(&gp)).await;
        assert_eq!(sent.status().as_u16(), 200);
        read_until(&mut live, &format!(r#""request":{request}"#), Duration::from_secs(5)).await;

        let thread = app.store.prescription_request(practice, request).await.unwrap().thread_id.expect("a conversation");
        let (_, page) = app.get_as("/prescriptions/requests", Some(&patient)).await;
        assert!(page.contains(text) && page.contains(&format!("/messages/{thread}")), "the message and a way to reply");
        assert!(page.contains("In review") && !page.contains("Cancel this request"), "a clinician has started on it");
        let cancel = app.post_form("/api/prescriptions/cancel", &[("request_id", &id)], Some(&patient)).await;
        assert_eq!(cancel.status().as_u16(), 409);

        // The patient answers in the conversation; the clinician sees it on the request.
        let answer = app.post_form("/api/messages/reply", &[("thread_id", &thread.to_string()), ("body", "Yes, morning and night")], Some(&patient)).await;
        assert_eq!(answer.status().as_u16(), 200);
        let (_, staff_page) = app.get_as(&format!("/admin/prescriptions/{request}"), Some(&gp)).await;
        assert!(staff_page.contains(text) && staff_page.contains("Yes, morning and night"));
        // A second message carries on the same conversation.
        let again = app.post_form("/api/admin/prescriptions/message", &[("request_id", &id), ("body", "Thank you")], Some(&gp)).await;
        assert_eq!(again.status().as_u16(), 200);
        assert_eq!(app.store.prescription_request(practice, request).await.unwrap().thread_id, Some(thread));
        assert_eq!(app.store.messages_of_thread(practice, thread).await.unwrap().len(), 3);

        let mail = app.store.outbox_of_practice(practice, 10).await.unwrap();
        let notice = mail.iter().find(|m| m.to_address == PATIENT.0).expect("a notice to the patient");
        assert!(!notice.body.contains("twice a day"), "no text of the message: {}", notice.body);
        // The other patient heard nothing of it: their stream carries only keep-alives.
        let heard = tokio::time::timeout(Duration::from_millis(300), theirs.chunk()).await;
        assert!(!matches!(heard, Ok(Ok(Some(ref bytes))) if String::from_utf8_lossy(bytes).contains("request")), "{heard:?}");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_practice_admin_sets_the_prescription_rules_and_bad_settings_change_nothing(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let before = app.store.prescription_settings(practice).await.unwrap();
        let good = [
            ("not_orderable_online", "block"),
            ("ordering_off", "block"),
            ("no_issues_left", "flag"),
            ("authorisation_ended", "flag"),
            ("review_due", "flag"),
            ("too_early", "flag"),
            ("days_before_run_out", "10"),
            ("note", "required"),
            ("ready_in_working_days", "3"),
            ("stopped_margin_days", "21"),
        ];
        let with = |field: &str, value: &'static str| {
            good.iter().map(|&(f, v)| if f == field { (f, value) } else { (f, v) }).collect::<Vec<_>>()
        };
        let gp = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        let forbidden = app.post_form("/api/admin/settings/prescriptions/save", &good, Some(&gp)).await;
        assert_eq!(forbidden.status().as_u16(), 403);

        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        for (field, value, expected) in [
            ("review_due", "maybe", "Choose block or flag"),
            ("days_before_run_out", "29", "from 0 to 28"),
            ("ready_in_working_days", "0", "from 1 to 10"),
            ("stopped_margin_days", "lots", "from 0 to 365"),
            ("note", "sometimes", "Choose whether patients add a note"),
        ] {
            let refused = app.post_form("/api/admin/settings/prescriptions/save", &with(field, value), Some(&admin)).await;
            assert_eq!(refused.status().as_u16(), 422, "{field}");
            assert!(refused.text().await.unwrap().contains(expected), "{field}: {expected}");
        }
        assert_eq!(app.store.prescription_settings(practice).await.unwrap(), before, "nothing saved");

        let saved = app.post_form("/api/admin/settings/prescriptions/save", &good, Some(&admin)).await;
        assert_eq!(saved.status().as_u16(), 200);
        let (_, page) = app.get_as("/admin/settings/prescriptions", Some(&admin)).await;
        assert!(page.contains(r#"value="10""#) && page.contains(r#"value="21""#), "the page shows what was saved");

        // Too early now flags instead of blocking, and a note is required.
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let items = app.store.repeat_items(practice, patient_of(&app, PATIENT.0).await).await.unwrap();
        let early = items.iter().find(|i| i.medicine.starts_with("Atorvastatin")).unwrap().id.to_string();
        let key = "a-fresh-order-key-from-the-page-0002";
        let no_note = app.post_form("/api/prescriptions/order", &[("order_key", key), ("items[]", &early)], Some(&patient)).await;
        assert_eq!(no_note.status().as_u16(), 422);
        assert!(no_note.text().await.unwrap().contains("note"));
        let ordered = app.post_form("/api/prescriptions/order", &[("order_key", key), ("items[]", &early), ("note", "Going away")], Some(&patient)).await;
        assert_eq!(ordered.status().as_u16(), 200);
        let (_, queue) = app.get_as("/admin/prescriptions", Some(&admin)).await;
        assert!(queue.contains("Ordered early"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_clinician_stops_a_patients_online_ordering_with_a_reason_the_patient_never_sees(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let patient_id = patient_of(&app, PATIENT.0).await;
        let id = patient_id.0.to_string();
        let reason = "Overdose risk: weekly collection at the desk";

        let reception = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let (status, page) = app.get_as(&format!("/admin/patients/{id}"), Some(&reception)).await;
        assert_eq!(status, 200);
        assert!(page.contains("Repeat prescriptions") && page.contains("Allowed") && !page.contains("Allow or stop"));
        let forbidden = app.post_form("/api/admin/patients/prescribing/ordering", &[("patient_id", &id), ("allowed", "no"), ("reason", reason)], Some(&reception)).await;
        assert_eq!(forbidden.status().as_u16(), 403);

        let gp = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        let long = "x".repeat(201);
        for (fields, expected) in [
            (vec![("patient_id", id.as_str()), ("allowed", "no")], "Say why"),
            (vec![("patient_id", id.as_str()), ("allowed", "perhaps")], "Choose whether"),
            (vec![("patient_id", id.as_str()), ("allowed", "no"), ("reason", long.as_str())], "200 characters or fewer"),
        ] {
            let refused = app.post_form("/api/admin/patients/prescribing/ordering", &fields, Some(&gp)).await;
            assert_eq!(refused.status().as_u16(), 422, "{expected}");
            assert!(refused.text().await.unwrap().contains(expected), "{expected}");
        }
        assert!(app.store.patient_prescribing(practice, patient_id).await.unwrap().ordering_allowed, "nothing written");
        let elsewhere = app.post_form("/api/admin/patients/prescribing/ordering", &[("patient_id", "999999"), ("allowed", "no"), ("reason", reason)], Some(&gp)).await;
        assert_eq!(elsewhere.status().as_u16(), 404);

        let stopped = app.post_form("/api/admin/patients/prescribing/ordering", &[("patient_id", &id), ("allowed", "no"), ("reason", reason)], Some(&gp)).await;
        assert_eq!(stopped.status().as_u16(), 200);
        let (_, page) = app.get_as(&format!("/admin/patients/{id}"), Some(&gp)).await;
        assert!(page.contains(reason));

        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        for page in ["/prescriptions", "/prescriptions/order"] {
            let (_, html) = app.get_as(page, Some(&patient)).await;
            assert!(!html.contains("Overdose"), "{page} shows the staff-only reason");
        }
        let (_, list) = app.get_as("/prescriptions", Some(&patient)).await;
        assert!(list.contains("order your medicines by phone or at the surgery"), "the patient is told what to do");
        let answer = app.post_form("/api/prescriptions/mine", &[], Some(&patient)).await.text().await.unwrap();
        assert!(!answer.contains("Overdose"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn the_pharmacy_confirmed_with_an_order_becomes_the_nominated_one(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let patient_id = patient_of(&app, PATIENT.0).await;
        let before = app.store.patient_prescribing(practice, patient_id).await.unwrap().pharmacy;
        let pharmacy = "Canal Street Pharmacy, Riverside";
        assert_ne!(before.as_deref(), Some(pharmacy));
        let items = app.store.repeat_items(practice, patient_id).await.unwrap();
        let due = items.iter().find(|i| i.medicine.starts_with("Amlodipine")).unwrap().id.to_string();
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let key = "a-fresh-order-key-from-the-page-0003";
        let ordered = app.post_form("/api/prescriptions/order", &[("order_key", key), ("items[]", &due), ("pharmacy", pharmacy)], Some(&patient)).await;
        assert_eq!(ordered.status().as_u16(), 200);
        assert_eq!(app.store.patient_prescribing(practice, patient_id).await.unwrap().pharmacy.as_deref(), Some(pharmacy));
        let (_, form) = app.get_as("/prescriptions/order", Some(&patient)).await;
        assert!(form.contains(pharmacy), "the next order starts from it");
        let gp = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        let (_, page) = app.get_as(&format!("/admin/patients/{}", patient_id.0), Some(&gp)).await;
        assert!(page.contains(pharmacy), "staff see the nominated pharmacy");
        app.stop().await;
    }
}
