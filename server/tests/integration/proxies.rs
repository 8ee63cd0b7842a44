//! Proxy access for staff: setting it up after checking the proxy (every
//! problem named, nothing saved), what it allows today as the child grows,
//! and suspending, resuming and ending it, each audited.

use crate::common;
use common::{demo_practice, spawn_app, TestApp, RECEPTIONIST};
use domain::PatientId;
use storage::audit::NewAudit;

/// A child registered at the demo practice, born on `born`.
pub async fn add_child(app: &TestApp, born: chrono::NaiveDate) -> PatientId {
    let practice = demo_practice(app).await;
    let child = storage::patients::NewPatient {
        identifier: domain::PatientIdentifier::Nhs(domain::NhsNumber::parse("9997700007").unwrap()),
        given_name: "Maisie".into(),
        family_name: "Parent".into(),
        date_of_birth: born,
        sex: "female",
        address: "1 River Road".into(),
        postcode: "AB1 2CD".into(),
        email: None,
        mobile: None,
        registered_on: Some(born),
    };
    let audit = NewAudit::by_the_system(practice, "patients_imported", "test", common::start_instant());
    app.store.import_patients(practice, &[child], &audit, common::start_instant()).await.unwrap();
    let search = storage::patients::PatientSearch::Identifier("9997700007".into());
    PatientId(app.store.search_patients(practice, &search, 1).await.unwrap()[0].id)
}

/// Posts a change to a grant from a patient's page; the status answered.
async fn change(app: &TestApp, staff: &str, (patient, grant): (&str, &str), change: &str, reason: &str) -> u16 {
    let fields = [("patient_id", patient), ("grant_id", grant), ("change", change), ("reason", reason)];
    app.post_form("/api/admin/patients/proxies/change", &fields, Some(staff)).await.status().as_u16()
}

pub fn form<'a>(id: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("patient_id", id),
        ("proxy_name", "Priya Parent"),
        ("proxy_email", "priya.parent@example.com"),
        ("relationship", "parent_or_guardian"),
        ("basis", "parental_responsibility"),
        ("appointments", "yes"),
        ("prescriptions", "yes"),
        ("messages", "yes"),
        ("record", "full"),
        ("verified_how", "Birth certificate and passport seen at the desk"),
    ];
    for (name, value) in extra {
        form.retain(|(n, _)| n != name);
        form.push((name, value));
    }
    form
}

on_both_engines! {
    async fn staff_set_up_a_parents_access_after_checking_and_every_problem_is_named_with_nothing_saved(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        // Ten on the day the test runs (2 March 2026): 11 on 2 March 2027.
        let child = add_child(&app, chrono::NaiveDate::from_ymd_opt(2016, 3, 2).unwrap()).await;
        let id = child.0.to_string();
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;

        let bad = form(&id, &[("proxy_email", "not-an-email"), ("verified_how", " "), ("appointments", ""), ("prescriptions", ""), ("messages", ""), ("record", "none"), ("ends_on", "01/01/2020")]);
        let refused = app.post_form("/api/admin/patients/proxies/add", &bad, Some(&staff)).await;
        assert_eq!(refused.status().as_u16(), 422);
        let text = refused.text().await.unwrap();
        for field in ["proxy_email", "appointments", "verified_how", "ends_on"] {
            assert!(text.contains(&format!("\"{field}\"")), "{field} named: {text}");
        }
        let adult = app.post_form("/api/admin/patients/proxies/add", &form(&common::patient_of(&app, common::PATIENT.0).await.0.to_string(), &[]), Some(&staff)).await;
        assert_eq!(adult.status().as_u16(), 422, "a parent's grant is for a child under 16");
        assert!(app.store.proxy_grants_for_subject(practice, child).await.unwrap().is_empty(), "nothing saved");

        let saved = app.post_form("/api/admin/patients/proxies/add", &form(&id, &[]), Some(&staff)).await;
        assert_eq!(saved.status().as_u16(), 200);
        let twice = app.post_form("/api/admin/patients/proxies/add", &form(&id, &[]), Some(&staff)).await;
        assert_eq!(twice.status().as_u16(), 422, "one open grant per person");
        assert!(twice.text().await.unwrap().contains("already have proxy access"));
        let grants = app.store.proxy_grants_for_subject(practice, child).await.unwrap();
        assert_eq!(grants.len(), 1);
        let grant = &grants[0];
        assert_eq!((grant.status.as_str(), grant.granted_by.as_str()), ("active", "staff"));
        assert!(grant.verified_at.is_some() && grant.reviewed_on.is_some(), "checked and reviewed by staff");

        let (status, page) = app.get_as(&format!("/admin/patients/{id}"), Some(&staff)).await;
        assert_eq!(status, 200);
        assert!(page.contains("Priya Parent (priya.parent@example.com)"), "{page}");
        assert!(page.contains(">Active<"), "all services at 10: {page}");
        // A year on she is 11: booking and repeats only.
        app.clock.advance(chrono::TimeDelta::days(366));
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let (_, page) = app.get_as(&format!("/admin/patients/{id}"), Some(&staff)).await;
        assert!(page.contains("narrowed because of their age to: appointments, repeat prescriptions"), "{page}");
        let events = app.store.audit_events(practice, &storage::audit::AuditFilter { action: Some("proxy_access_granted".into()), limit: 50, ..Default::default() }).await.unwrap();
        let this_one = events.iter().filter(|e| e.object_id.as_deref() == Some(grant.id.to_string().as_str())).count();
        assert_eq!(this_one, 1, "audited once");
        app.stop().await;
    }
}

on_both_engines! {
    async fn staff_suspend_with_a_reason_resume_and_end_a_grant_and_another_patients_grant_is_not_found(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let child = add_child(&app, chrono::NaiveDate::from_ymd_opt(2016, 3, 2).unwrap()).await;
        let id = child.0.to_string();
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        app.post_form("/api/admin/patients/proxies/add", &form(&id, &[]), Some(&staff)).await;
        let grant = app.store.proxy_grants_for_subject(practice, child).await.unwrap()[0].id.to_string();
        let status_now = || async { app.store.proxy_grants_for_subject(practice, child).await.unwrap()[0].status.clone() };
        assert_eq!(change(&app, &staff, (&id, &grant), "suspend", "  ").await, 422, "a reason is needed");
        assert_eq!(status_now().await, "active");
        assert_eq!(change(&app, &staff, (&id, &grant), "suspend", "The child told the nurse she does not want this").await, 200);
        assert_eq!(status_now().await, "suspended");
        let (_, page) = app.get_as(&format!("/admin/patients/{id}"), Some(&staff)).await;
        assert!(page.contains("The child told the nurse she does not want this"));
        assert_eq!(change(&app, &staff, (&id, &grant), "suspend", "again").await, 409, "already suspended");
        assert_eq!(change(&app, &staff, (&id, &grant), "resume", "").await, 200);
        assert_eq!(status_now().await, "active");
        assert_eq!(change(&app, &staff, (&id, &grant), "end", "").await, 200);
        assert_eq!(status_now().await, "ended");

        // The grant through another patient's page: not found.
        let other = common::patient_of(&app, common::PATIENT.0).await.0.to_string();
        assert_eq!(change(&app, &staff, (&other, &grant), "resume", "").await, 404);
        let actions = ["proxy_access_suspended", "proxy_access_resumed", "proxy_access_ended"];
        for action in actions {
            let filter = storage::audit::AuditFilter { action: Some(action.into()), limit: 5, ..Default::default() };
            assert_eq!(app.store.audit_events(practice, &filter).await.unwrap().len(), 1, "{action}");
        }
        app.stop().await;
    }
}

on_both_engines! {
    async fn the_review_list_shows_a_parents_access_before_and_at_13_until_staff_mark_it_reviewed(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        // The demo's Noah Jones turns 13 in 20 days.
        let (status, list) = app.get_as("/admin/proxies", Some(&staff)).await;
        assert_eq!(status, 200);
        assert!(list.contains("Noah Jones") && list.contains("Due for review on 22 March 2026"), "{list}");
        assert!(!list.contains("Maisie Jones"), "nothing coming for an eight-year-old: {list}");

        app.clock.advance(chrono::TimeDelta::days(21));
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let (_, list) = app.get_as("/admin/proxies", Some(&staff)).await;
        assert!(list.contains("Due for review now"), "{list}");
        let search = storage::patients::PatientSearch::Name("Noah Jones".into());
        let noah = app.store.search_patients(practice, &search, 1).await.unwrap()[0].id.to_string();
        let grant = app.store.proxy_grants_for_subject(practice, PatientId(noah.parse().unwrap())).await.unwrap();
        let grant = grant[0].id.to_string();
        let (_, page) = app.get_as(&format!("/admin/patients/{noah}"), Some(&staff)).await;
        assert!(page.contains("Reviewed: keep this access"), "{page}");

        assert_eq!(change(&app, &staff, (&noah, &grant), "review", "").await, 200);
        let (_, list) = app.get_as("/admin/proxies", Some(&staff)).await;
        assert!(!list.contains("Noah Jones"), "reviewed: off the list: {list}");
        let (_, page) = app.get_as(&format!("/admin/patients/{noah}"), Some(&staff)).await;
        assert!(!page.contains("Reviewed: keep this access") && !page.contains("Due for review"));
        let filter = storage::audit::AuditFilter { action: Some("proxy_access_reviewed".into()), limit: 5, ..Default::default() };
        assert_eq!(app.store.audit_events(practice, &filter).await.unwrap().len(), 1);
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_practice_admin_sets_the_ages_and_the_next_request_follows_them_and_bad_ages_change_nothing(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let admin = app.sign_in(common::PRACTICE_ADMIN.0, common::PRACTICE_ADMIN.1).await;
        let (status, page) = app.get_as("/admin/settings/proxies", Some(&admin)).await;
        assert_eq!(status, 200);
        assert!(page.contains("It narrows from this age"), "{page}");
        let save = |narrow: &'static str, review: &'static str| {
            [("narrow_from", narrow), ("review_at", review), ("patient_grants_reviewed", "yes")]
        };
        for bad in [save("0", "13"), save("11", "16"), save("eleven", "13")] {
            let refused = app.post_form("/api/admin/settings/proxies/save", &bad, Some(&admin)).await;
            assert_eq!(refused.status().as_u16(), 422, "{bad:?}");
        }
        assert_eq!(app.store.proxy_settings(practice).await.unwrap(), storage::proxies::ProxySettings::DEFAULT);

        // The demo's Dev Jones messages for Maisie, who is 8, until the practice says 8.
        let parent = app.sign_in("parent@riverside.example", "demo-parent-1").await;
        let search = storage::patients::PatientSearch::Name("Maisie Jones".into());
        let maisie = app.store.search_patients(practice, &search, 1).await.unwrap()[0].id.to_string();
        let chosen = app.post_form("/api/people/act-for", &[("patient_id", &maisie)], Some(&parent)).await;
        assert_eq!(chosen.status().as_u16(), 200);
        assert_eq!(app.get_as("/messages", Some(&parent)).await.0, 200);
        let saved = app.post_form("/api/admin/settings/proxies/save", &save("8", "8"), Some(&admin)).await;
        assert_eq!(saved.status().as_u16(), 200);
        let (status, refused) = app.get_as("/messages", Some(&parent)).await;
        assert_eq!(status, 403);
        assert!(refused.contains("You cannot use this service for this person"), "{refused}");
        assert_eq!(app.get_as("/appointments", Some(&parent)).await.0, 200, "booking stays");
        let audit = storage::audit::AuditFilter { action: Some("proxy_settings_changed".into()), limit: 5, ..Default::default() };
        assert_eq!(app.store.audit_events(practice, &audit).await.unwrap().len(), 1, "the one change, audited");
        app.stop().await;
    }
}
