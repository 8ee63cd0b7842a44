//! The problem log: a patient reports a problem from any page's footer (the
//! form says it is not for medical help), every problem with a report is
//! named and nothing saved; staff see it, say what became of it with a
//! note, and see it on the dashboard; another practice's problem is not found.

use crate::common;
use common::{demo_practice, spawn_app, PATIENT, PRACTICE_ADMIN, RECEPTIONIST};

const FILTER_LIMIT: i64 = 10;

on_both_engines! {
    async fn a_patient_reports_a_problem_and_staff_look_into_it_with_a_note(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let amara = app.sign_in(PATIENT.0, PATIENT.1).await;
        let (_, home) = app.get_as("/home", Some(&amara)).await;
        assert!(home.contains("href=\"/report-a-problem\""), "the footer links to the form");
        let (status, form) = app.get_as("/report-a-problem", Some(&amara)).await;
        assert_eq!(status, 200);
        assert!(form.contains("This is not for medical help") && form.contains("call 111"), "{form}");
        assert!(!form.contains("The staff area"), "patients are not offered the staff area");

        let empty = app.post_form("/api/problems/report", &[("what", " "), ("happened_on", "31/12/2027")], Some(&amara)).await;
        assert_eq!(empty.status().as_u16(), 422);
        let said = empty.text().await.unwrap();
        for field in ["what", "place", "happened_on"] {
            assert!(said.contains(field), "{field} named: {said}");
        }
        assert!(app.store.problems_of_practice(practice).await.unwrap().is_empty(), "nothing saved");

        let report = [("what", "The Book button did nothing on my phone"), ("place", "appointments"), ("happened_on", "01/03/2026")];
        assert_eq!(app.post_form("/api/problems/report", &report, Some(&amara)).await.status().as_u16(), 200);
        let id = app.store.problems_of_practice(practice).await.unwrap()[0].id.to_string();

        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let (_, log) = app.get_as("/admin/problems", Some(&staff)).await;
        assert!(log.contains("The Book button did nothing on my phone") && log.contains("Patient: Amara Ahmed"), "{log}");
        assert!(log.contains("Appointments on 1 March 2026"), "{log}");
        let bad = [("problem_id", id.as_str()), ("status", "solved"), ("note", "")];
        assert_eq!(app.post_form("/api/admin/problems/triage", &bad, Some(&staff)).await.status().as_u16(), 422);
        let looked = [("problem_id", id.as_str()), ("status", "investigating"), ("note", "Asked the supplier about old phones")];
        assert_eq!(app.post_form("/api/admin/problems/triage", &looked, Some(&staff)).await.status().as_u16(), 200);
        let (_, log) = app.get_as("/admin/problems", Some(&staff)).await;
        assert!(log.contains("Investigating. Asked the supplier about old phones"), "{log}");

        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let (_, dashboard) = app.get_as("/admin/dashboard", Some(&admin)).await;
        assert!(dashboard.contains("1 problem with the online services is open."), "{dashboard}");
        assert!(dashboard.contains("Appointments, 1 March 2026 (Investigating): The Book button did nothing"), "{dashboard}");

        let fixed = [("problem_id", id.as_str()), ("status", "fixed"), ("note", "")];
        assert_eq!(app.post_form("/api/admin/problems/triage", &fixed, Some(&staff)).await.status().as_u16(), 200);
        let (_, dashboard) = app.get_as("/admin/dashboard", Some(&admin)).await;
        assert!(dashboard.contains("No problems with the online services are open."), "{dashboard}");
        for action in ["problem_reported", "problem_triaged"] {
            let filter = storage::audit::AuditFilter { action: Some(action.into()), limit: FILTER_LIMIT, ..Default::default() };
            assert!(!app.store.audit_events(practice, &filter).await.unwrap().is_empty(), "{action} audited");
        }
        app.stop().await;
    }
}

on_both_engines! {
    async fn staff_cannot_touch_another_practices_problem_and_their_own_reports_are_marked_as_staff(engine: Engine) {
        let app = spawn_app(engine).await;
        let elsewhere = app.another_practice().await;
        let by = domain::LoginId(app.store.login_by_email(RECEPTIONIST.0).await.unwrap().unwrap().id);
        let report = domain::problems::Report {
            what: "Their problem".into(),
            place: domain::problems::Place::Messages,
            happened_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        };
        let audit = storage::audit::NewAudit::by_the_system(elsewhere, "problem_reported", "test", common::start_instant());
        let theirs = app.store.report_problem((elsewhere, by, storage::problems::Reporter::Staff), &report, &audit).await.unwrap();

        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let triage = [("problem_id", theirs.to_string()), ("status", "fixed".to_owned()), ("note", String::new())];
        let triage: Vec<(&str, &str)> = triage.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(app.post_form("/api/admin/problems/triage", &triage, Some(&staff)).await.status().as_u16(), 404);
        assert_eq!(app.store.problem_status(elsewhere, theirs).await.unwrap().as_deref(), Some("new"), "unchanged");
        let (_, log) = app.get_as("/admin/problems", Some(&staff)).await;
        assert!(!log.contains("Their problem"));

        let own = [("what", "The slot list froze"), ("place", "staff_area"), ("happened_on", "")];
        assert_eq!(app.post_form("/api/problems/report", &own, Some(&staff)).await.status().as_u16(), 200);
        let (_, log) = app.get_as("/admin/problems", Some(&staff)).await;
        assert!(log.contains("The staff area on 2 March 2026") && log.contains("Staff: "), "today, and marked as staff: {log}");
        app.stop().await;
    }
}
