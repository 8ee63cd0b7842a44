//! Messages over HTTP, as patients and staff use them: sending with a red
//! flag, bad input refused with nothing sent, markup shown as text, other
//! patients' conversations out of reach, the staff inbox, assignment and
//! closing, the practice's settings, live replies and the patient's home.

use crate::common;
use crate::live_updates::read_until;
use common::{demo_practice, patient_of, spawn_app, TestApp, CLINICIAN, PATIENT, PRACTICE_ADMIN, RECEPTIONIST};
use std::time::Duration;

const PATIENT_B: (&str, &str) = ("second.patient@riverside.example", "demo-patient-2");

/// The patient's conversations' ids, newest first.
async fn threads_of(app: &TestApp, email: &str) -> Vec<i64> {
    let practice = demo_practice(app).await;
    let patient = patient_of(app, email).await;
    let rows = app.store.threads_of_patient(practice, patient, domain::LoginId(0)).await.unwrap();
    rows.iter().map(|t| t.id).collect()
}

/// How many messages a conversation holds.
async fn message_count(app: &TestApp, thread: i64) -> usize {
    app.store.messages_of_thread(demo_practice(app).await, thread).await.unwrap().len()
}

/// The first category's id, as the form posts it.
async fn a_category(app: &TestApp) -> String {
    let settings = app.store.message_settings(demo_practice(app).await, common::start_instant()).await.unwrap();
    settings.categories[0].id.to_string()
}

/// Sends a new message as `session`; the response.
async fn send(app: &TestApp, session: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form("/api/messages/send", fields, Some(session)).await
}

/// Opens `/live/messages` as `session`, resuming after `last_event_id` if given.
async fn open_message_stream(app: &TestApp, session: &str, last_event_id: Option<i64>) -> reqwest::Response {
    let mut request = app.client().get(app.url("/live/messages")).header("cookie", session);
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id.to_string());
    }
    request.send().await.expect("GET /live/messages")
}

on_both_engines! {
    async fn a_red_flag_message_asks_the_patient_to_confirm_then_reaches_staff_first_as_urgent(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let category = a_category(&app).await;
        let before = threads_of(&app, PATIENT.0).await;
        let message = [("category", category.as_str()), ("subject", "Since this morning"), ("body", "I have had chest pain since I woke up")];

        let checked = app.post_form("/api/messages/check", &message, Some(&patient)).await;
        assert_eq!(checked.status().as_u16(), 200);
        let draft: serde_json::Value = serde_json::from_str(&checked.text().await.unwrap()).unwrap();
        assert_eq!(draft["red_flags"], serde_json::json!(["chest pain"]), "checking names the phrase found");

        let unconfirmed = send(&app, &patient, &message).await;
        assert_eq!(unconfirmed.status().as_u16(), 422);
        assert!(unconfirmed.text().await.unwrap().contains("not about an emergency"));
        assert_eq!(threads_of(&app, PATIENT.0).await, before, "nothing sent before confirming");

        let mut confirmed = message.to_vec();
        confirmed.push(("not_an_emergency", "yes"));
        assert_eq!(send(&app, &patient, &confirmed).await.status().as_u16(), 200);
        let thread = threads_of(&app, PATIENT.0).await[0];
        assert!(!before.contains(&thread));

        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let (status, inbox) = app.get_as("/admin/messages", Some(&staff)).await;
        assert_eq!(status, 200);
        let body = inbox.split("<tbody").nth(1).unwrap_or_default();
        let rows: Vec<&str> = body.split("</tr>").collect();
        let at = rows.iter().position(|row| row.contains(&format!("/admin/messages/{thread}\""))).expect("in the inbox");
        assert!(rows[..=at].iter().all(|row| row.contains("Urgent")), "only urgent ones before it: {body}");
        assert!(rows[at + 1..].iter().all(|row| !row.contains("Urgent")), "urgent ones first: {body}");
        app.stop().await;
    }
}

on_both_engines! {
    async fn bad_messages_are_refused_with_a_clear_message_and_nothing_is_sent(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let category = a_category(&app).await;
        let before = threads_of(&app, PATIENT.0).await;
        let too_long = "x".repeat(2_001);
        let cases: [(&[(&str, &str)], &str); 5] = [
            (&[("category", &category), ("subject", "Hello"), ("body", "   ")], "Enter your message"),
            (&[("category", &category), ("subject", "Hello"), ("body", &too_long)], "2000 characters or fewer"),
            (&[("category", &category), ("subject", ""), ("body", "A question")], "Enter a subject"),
            (&[("category", "999999"), ("subject", "Hello"), ("body", "A question")], "Choose what your message is about"),
            (&[("category", "medication"), ("subject", "Hello"), ("body", "A question")], "Choose what your message is about"),
        ];
        for (fields, expected) in cases {
            let response = send(&app, &patient, fields).await;
            assert_eq!(response.status().as_u16(), 422, "{expected}");
            assert!(response.text().await.unwrap().contains(expected), "{expected}");
        }
        assert_eq!(threads_of(&app, PATIENT.0).await, before, "nothing sent");

        // A reply that is empty, or to a conversation closed too long ago, changes nothing either.
        let thread = before[0];
        let count = message_count(&app, thread).await;
        let empty = app.post_form("/api/messages/reply", &[("thread_id", &thread.to_string()), ("body", "")], Some(&patient)).await;
        assert_eq!(empty.status().as_u16(), 422);
        let staff = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        let closed = app.post_form("/api/admin/messages/close", &[("thread_id", &thread.to_string()), ("outcome", "Answered")], Some(&staff)).await;
        assert_eq!(closed.status().as_u16(), 200);
        app.clock.advance(chrono::TimeDelta::days(15));
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let late = app.post_form("/api/messages/reply", &[("thread_id", &thread.to_string()), ("body", "One more thing")], Some(&patient)).await;
        assert_eq!(late.status().as_u16(), 409);
        assert!(late.text().await.unwrap().contains("start a new message"));
        assert_eq!(message_count(&app, thread).await, count, "nothing added");
        app.stop().await;
    }
}

on_both_engines! {
    async fn markup_in_a_message_is_shown_as_text_to_the_patient_and_to_staff(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let category = a_category(&app).await;
        let body = "<script>alert('x')</script> and <img src=x onerror=alert(1)>";
        let sent = send(&app, &patient, &[("category", &category), ("subject", "<b>Bold</b> subject"), ("body", body)]).await;
        assert_eq!(sent.status().as_u16(), 200);
        let thread = threads_of(&app, PATIENT.0).await[0];
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        for (page, session) in [(format!("/messages/{thread}"), &patient), (format!("/admin/messages/{thread}"), &staff), ("/admin/messages".to_owned(), &staff)] {
            let (status, html) = app.get_as(&page, Some(session)).await;
            assert_eq!(status, 200, "{page}");
            assert!(!html.contains("<script>alert") && !html.contains("<img src=x") && !html.contains("<b>Bold"), "{page} shows markup as markup");
            assert!(html.contains("&lt;b&gt;Bold&lt;/b&gt; subject"), "{page} shows the subject as text");
        }
        let (_, own) = app.get_as(&format!("/messages/{thread}"), Some(&patient)).await;
        assert!(own.contains("&lt;script&gt;alert(") && own.contains("&lt;img src=x onerror=alert(1)&gt;"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_patient_cannot_read_or_reply_to_another_patients_conversation(engine: Engine) {
        let app = spawn_app(engine).await;
        let thread = threads_of(&app, PATIENT.0).await[0];
        let count = message_count(&app, thread).await;
        let other = app.sign_in(PATIENT_B.0, PATIENT_B.1).await;
        let (status, page) = app.get_as(&format!("/messages/{thread}"), Some(&other)).await;
        assert_eq!(status, 404);
        assert!(!page.contains("amlodipine"), "nothing of it is shown");
        let read = app.post_form("/api/messages/one", &[("thread_id", &thread.to_string())], Some(&other)).await;
        assert_eq!(read.status().as_u16(), 404);
        let reply = app.post_form("/api/messages/reply", &[("thread_id", &thread.to_string()), ("body", "Not mine")], Some(&other)).await;
        assert_eq!(reply.status().as_u16(), 404);
        assert_eq!(message_count(&app, thread).await, count, "nothing added");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_staff_reply_reaches_the_patient_live_and_by_an_email_without_its_text(engine: Engine) {
        let app = spawn_app(engine).await;
        let thread = threads_of(&app, PATIENT.0).await[0];
        let other_thread = threads_of(&app, PATIENT_B.0).await[0];
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let other = app.sign_in(PATIENT_B.0, PATIENT_B.1).await;
        let before = app.store.last_event_id().await.unwrap();
        let mut mine = open_message_stream(&app, &patient, None).await;
        assert_eq!(mine.status().as_u16(), 200);

        let staff = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        let text = "Your blood test is normal; no need to do anything";
        let replied = app.post_form("/api/admin/messages/reply", &[("thread_id", &thread.to_string()), ("body", text)], Some(&staff)).await;
        assert_eq!(replied.status().as_u16(), 200);
        read_until(&mut mine, &format!(r#""thread":{thread}"#), Duration::from_secs(5)).await;

        // The other patient hears of their own conversation only.
        let own = app.post_form("/api/messages/reply", &[("thread_id", &other_thread.to_string()), ("body", "Thanks")], Some(&other)).await;
        assert_eq!(own.status().as_u16(), 200);
        let mut theirs = open_message_stream(&app, &other, Some(before)).await;
        let seen = read_until(&mut theirs, &format!(r#""thread":{other_thread}"#), Duration::from_secs(5)).await;
        assert!(!seen.contains(&format!(r#""thread":{thread}"#)), "another patient's conversation: {seen}");

        let (_, page) = app.get_as(&format!("/messages/{thread}"), Some(&patient)).await;
        assert!(page.contains(text) && page.contains("Dr Cara Clinician, Riverside Medical Practice"));
        let mail = app.store.outbox_of_practice(demo_practice(&app).await, 10).await.unwrap();
        let notice = mail.iter().find(|m| m.to_address == PATIENT.0).expect("a notice to the patient");
        assert_eq!(notice.subject, "You have a new message from Riverside Medical Practice");
        assert!(!notice.body.contains("blood test"), "no text of the message: {}", notice.body);
        app.stop().await;
    }
}

on_both_engines! {
    async fn staff_assign_within_the_practice_close_with_an_outcome_and_their_reading_is_audited(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let thread = threads_of(&app, PATIENT_B.0).await[0].to_string();
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let (status, page) = app.get_as(&format!("/admin/messages/{thread}"), Some(&staff)).await;
        assert_eq!(status, 200);
        assert!(page.contains("Urgent") && page.contains("chest tightness"));
        let read = storage::audit::AuditFilter { action: Some("message_thread_read".into()), actor_email: Some(RECEPTIONIST.0.into()), from: None, until: None, limit: 5 };
        let audited = app.store.audit_events(practice, &read).await.unwrap();
        assert_eq!(audited.first().and_then(|a| a.object_id.clone()), Some(thread.clone()));

        let patient_login = app.store.login_by_email(PATIENT.0).await.unwrap().unwrap().id;
        for (to, status, expected) in [
            ("nobody", 422, "Choose who should have it"),
            (&format!("login-{patient_login}") as &str, 409, "Choose someone who works at the practice"),
        ] {
            let refused = app.post_form("/api/admin/messages/assign", &[("thread_id", &thread), ("version", "0"), ("to", to)], Some(&staff)).await;
            assert_eq!(refused.status().as_u16(), status, "{to}");
            assert!(refused.text().await.unwrap().contains(expected), "{to}");
        }
        let row = app.store.thread(practice, thread.parse().unwrap(), domain::LoginId(0)).await.unwrap();
        assert_eq!((row.assigned_login_id, row.assigned_team.clone(), row.version), (None, None, 0), "nothing changed");

        let assigned = app.post_form("/api/admin/messages/assign", &[("thread_id", &thread), ("version", "0"), ("to", "team-clinicians")], Some(&staff)).await;
        assert_eq!(assigned.status().as_u16(), 200);
        let stale = app.post_form("/api/admin/messages/assign", &[("thread_id", &thread), ("version", "0"), ("to", "me")], Some(&staff)).await;
        assert_eq!(stale.status().as_u16(), 409);
        assert!(stale.text().await.unwrap().contains("it is now with Clinicians"));

        let no_outcome = app.post_form("/api/admin/messages/close", &[("thread_id", &thread), ("outcome", " ")], Some(&staff)).await;
        assert_eq!(no_outcome.status().as_u16(), 422);
        let closed = app.post_form("/api/admin/messages/close", &[("thread_id", &thread), ("outcome", "Booked an appointment today")], Some(&staff)).await;
        assert_eq!(closed.status().as_u16(), 200);
        let again = app.post_form("/api/admin/messages/close", &[("thread_id", &thread), ("outcome", "Answered")], Some(&staff)).await;
        assert_eq!(again.status().as_u16(), 409);
        let row = app.store.thread(practice, thread.parse().unwrap(), domain::LoginId(0)).await.unwrap();
        assert_eq!(row.outcome.as_deref(), Some("Booked an appointment today"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_practice_admin_changes_how_messages_work_and_bad_settings_change_nothing(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let before = app.store.message_settings(practice, common::start_instant()).await.unwrap();
        let mut form = vec![
            ("reply_promise", "within 3 working days"),
            ("monday", "08:00-12:00"),
            ("tuesday", "8am till late"),
            ("practice_cap", "0"),
            ("patient_cap", "2"),
            ("categories", "\n\n"),
            ("red_flags", "chest pain"),
        ];
        let refused = app.post_form("/api/admin/settings/messages/save", &form, Some(&admin)).await;
        assert_eq!(refused.status().as_u16(), 422);
        let problems = refused.text().await.unwrap();
        for field in ["tuesday", "practice_cap", "categories"] {
            assert!(problems.contains(&format!("\"{field}\"")), "{field}: {problems}");
        }
        assert_eq!(app.store.message_settings(practice, common::start_instant()).await.unwrap(), before, "nothing changed");

        form[2] = ("tuesday", "");
        form[3] = ("practice_cap", "");
        form[5] = ("categories", "Test results\nRepeat prescriptions question");
        let saved = app.post_form("/api/admin/settings/messages/save", &form, Some(&admin)).await;
        assert_eq!(saved.status().as_u16(), 200, "{}", saved.text().await.unwrap());
        let after = app.store.message_settings(practice, common::start_instant()).await.unwrap();
        assert!(!after.enabled, "unticked: off");
        let names: Vec<&str> = after.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Test results", "Repeat prescriptions question"]);
        assert_eq!(after.caps, domain::messages::DailyCaps { practice: None, per_patient: Some(2) });

        // Switched off, a patient is told so and cannot start one; their conversations stay readable.
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let (_, page) = app.get_as("/messages/new", Some(&patient)).await;
        assert!(page.contains("does not take messages online"), "{page}");
        let category = after.categories[0].id.to_string();
        let sent = send(&app, &patient, &[("category", &category), ("subject", "Hi"), ("body", "A question")]).await;
        assert_eq!(sent.status().as_u16(), 409);
        assert_eq!(app.get_as("/messages", Some(&patient)).await.0, 200);
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_patient_lands_on_a_home_page_with_their_next_appointment_and_new_replies(engine: Engine) {
        let app = spawn_app(engine).await;
        let response = app.post_form("/sign-in", &[("email", PATIENT.0), ("password", PATIENT.1)], None).await;
        assert_eq!(common::location(&response), "/home");
        let patient = common::session_cookie(&response).expect("signed in");
        let (status, home) = app.get_as("/home", Some(&patient)).await;
        assert_eq!(status, 200);
        assert!(home.contains("Your next appointment: GP appointment"), "{home}");
        assert!(home.contains("1 conversation has a new reply."), "{home}");

        // Reading it clears the mark; without messaging the card and the link go.
        let thread = threads_of(&app, PATIENT.0).await[0];
        app.get_as(&format!("/messages/{thread}"), Some(&patient)).await;
        assert!(app.get_as("/home", Some(&patient)).await.1.contains("No new replies."));
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let id = patient_of(&app, PATIENT.0).await.0.to_string();
        let grants = [
            ("patient_id", id.as_str()),
            ("appointments", "yes"),
            ("prescriptions", "yes"),
            ("record", "full"),
            ("record_from", "account_creation"),
            ("record_audit", "yes"),
            ("consent", "yes"),
            ("reason", "Prefers to phone the practice"),
        ];
        let changed = app.post_form("/api/admin/patients/grants", &grants, Some(&staff)).await;
        assert_eq!(changed.status().as_u16(), 200, "{}", changed.text().await.unwrap());
        let (_, home) = app.get_as("/home", Some(&patient)).await;
        assert!(!home.contains("href=\"/messages\""), "no way into messages");
        assert_eq!(app.get_as("/messages", Some(&patient)).await.0, 403);
        app.stop().await;
    }
}
