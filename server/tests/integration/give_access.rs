//! A patient gives someone access themself: every problem named with
//! nothing saved; where the practice reviews such grants it waits for staff,
//! who approve it and the person is told; otherwise it starts at once.

use crate::common;
use common::{demo_practice, spawn_app, TestApp, PATIENT, RECEPTIONIST};
use storage::proxies::ProxySettings;

const CHLOE: (&str, &str) = ("second.patient@riverside.example", "demo-patient-2");

fn give<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("proxy_name", "Amara Ahmed"),
        ("proxy_email", PATIENT.0),
        ("relationship", "other"),
        ("appointments", "yes"),
        ("record", "none"),
    ];
    for (name, value) in extra {
        form.retain(|(n, _)| n != name);
        form.push((name, value));
    }
    form
}

/// Chloe's grants to Amara, as stored.
async fn given(app: &TestApp) -> Vec<storage::proxies::GrantRow> {
    let chloe = common::patient_of(app, CHLOE.0).await;
    let grants = app.store.proxy_grants_for_subject(demo_practice(app).await, chloe).await.unwrap();
    grants.into_iter().filter(|g| g.proxy_email == PATIENT.0).collect()
}

async fn mail_to_amara(app: &TestApp) -> Vec<storage::outbox::OutboxRow> {
    let all = app.store.outbox_of_practice(demo_practice(app).await, 500).await.unwrap();
    all.into_iter().filter(|mail| mail.to_address == PATIENT.0).collect()
}

on_both_engines! {
    async fn a_patient_gives_access_the_practice_approves_it_and_only_then_the_person_is_told_and_can_act(engine: Engine) {
        let app = spawn_app(engine).await;
        let chloe = app.sign_in(CHLOE.0, CHLOE.1).await;
        let (status, page) = app.get_as("/people/give-access", Some(&chloe)).await;
        assert_eq!(status, 200);
        assert!(page.contains("Give someone access"));

        let empty = app.post_form("/api/people/give-access", &[], Some(&chloe)).await;
        assert_eq!(empty.status().as_u16(), 422);
        let body = empty.text().await.unwrap();
        for field in ["proxy_name", "proxy_email", "relationship", "appointments"] {
            assert!(body.contains(field), "{field} named: {body}");
        }
        for bad in [
            give(&[("proxy_email", CHLOE.0)]),
            give(&[("ends_on", "01/01/2026")]),
            give(&[("relationship", "power_of_attorney")]),
            give(&[("record", "everything")]),
        ] {
            let refused = app.post_form("/api/people/give-access", &bad, Some(&chloe)).await;
            assert_eq!(refused.status().as_u16(), 422, "{bad:?}");
        }
        assert!(given(&app).await.is_empty(), "nothing saved");

        assert_eq!(app.post_form("/api/people/give-access", &give(&[]), Some(&chloe)).await.status().as_u16(), 200);
        let grant = given(&app).await.remove(0);
        assert_eq!((grant.status.as_str(), grant.granted_by.as_str()), ("pending", "patient"));
        assert!(mail_to_amara(&app).await.is_empty(), "not told before the practice approves");
        let (_, people) = app.get_as("/people", Some(&chloe)).await;
        assert!(people.contains("Amara Ahmed") && people.contains("waiting for the practice"), "{people}");

        // Amara sees it waiting, and cannot use it yet.
        let amara = app.sign_in(PATIENT.0, PATIENT.1).await;
        let id = common::patient_of(&app, CHLOE.0).await.0.to_string();
        assert_eq!(app.post_form("/api/people/act-for", &[("patient_id", &id)], Some(&amara)).await.status().as_u16(), 200);
        let (status, waiting) = app.get_as("/appointments", Some(&amara)).await;
        assert_eq!(status, 403);
        assert!(waiting.contains("waiting for the practice to approve it"), "{waiting}");
        // Acting for Chloe, Amara cannot give anyone access to Chloe's services.
        let as_proxy = app.post_form("/api/people/give-access", &give(&[("proxy_email", "x@example.com")]), Some(&amara)).await;
        assert_eq!(as_proxy.status().as_u16(), 403);

        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let (_, list) = app.get_as("/admin/proxies", Some(&staff)).await;
        assert!(list.contains("Waiting for the practice to approve it"), "{list}");
        let (_, patient_page) = app.get_as(&format!("/admin/patients/{id}"), Some(&staff)).await;
        assert!(patient_page.contains("Approve: the patient gave this access"), "{patient_page}");
        let approve = [("patient_id", id.as_str()), ("grant_id", &grant.id.to_string()), ("change", "approve"), ("reason", "")];
        assert_eq!(app.post_form("/api/admin/patients/proxies/change", &approve, Some(&staff)).await.status().as_u16(), 200);
        let told = mail_to_amara(&app).await;
        assert_eq!(told.len(), 1);
        assert_eq!(told[0].subject, "You can now act for Chloe Ahmed online");
        assert!(told[0].body.contains("/sign-in"), "Amara has a sign-in already: {}", told[0].body);
        assert_eq!(app.get_as("/appointments", Some(&amara)).await.0, 200, "acting for Chloe now");
        app.stop().await;
    }
}

on_both_engines! {
    async fn where_the_practice_does_not_review_them_a_patients_grant_starts_at_once_and_the_person_is_told(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let settings = ProxySettings { patient_grants_reviewed: false, ..ProxySettings::DEFAULT };
        let audit = storage::audit::NewAudit::by_the_system(practice, "proxy_settings_changed", "test", common::start_instant());
        app.store.set_proxy_settings(practice, &settings, &audit).await.unwrap();
        let chloe = app.sign_in(CHLOE.0, CHLOE.1).await;
        assert_eq!(app.post_form("/api/people/give-access", &give(&[]), Some(&chloe)).await.status().as_u16(), 200);
        assert_eq!(given(&app).await[0].status, "active");
        assert_eq!(mail_to_amara(&app).await.len(), 1);
        // A second grant to the same person is refused while the first stands.
        let again = app.post_form("/api/people/give-access", &give(&[]), Some(&chloe)).await;
        assert_eq!(again.status().as_u16(), 422);
        assert_eq!(given(&app).await.len(), 1);
        app.stop().await;
    }
}

on_both_engines! {
    async fn at_16_a_young_person_lets_a_parent_go_on_helping_and_the_parents_closed_grant_gives_way(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        // 16 on 22 March 2026; Amara has a parent's access until then.
        let child = crate::proxies::add_child(&app, chrono::NaiveDate::from_ymd_opt(2010, 3, 22).unwrap()).await;
        let id = child.0.to_string();
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let parents = crate::proxies::form(&id, &[("proxy_email", PATIENT.0), ("proxy_name", "Amara Ahmed")]);
        assert_eq!(app.post_form("/api/admin/patients/proxies/add", &parents, Some(&staff)).await.status().as_u16(), 200);
        let hash = app::server::secrets::hash_password("young person password".into()).await.unwrap();
        let email = domain::Email::parse("maisie@example.com").unwrap();
        app.store.ensure_patient_login(practice, "9997700007", &email, &hash, common::start_instant()).await.unwrap();

        app.clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 23, 9, 0, 0).unwrap());
        let maisie = app.sign_in("maisie@example.com", "young person password").await;
        let (_, people) = app.get_as("/people", Some(&maisie)).await;
        assert!(people.contains("They are 16 now"), "her parent's access, stopped: {people}");
        assert_eq!(app.post_form("/api/people/give-access", &give(&[]), Some(&maisie)).await.status().as_u16(), 200);

        let grants = app.store.proxy_grants_for_subject(practice, child).await.unwrap();
        let statuses: Vec<_> = grants.iter().map(|g| (g.status.as_str(), g.legal_basis.as_str())).collect();
        assert_eq!(statuses, [("pending", "patient_consent"), ("ended", "parental_responsibility")]);
        let approve = [("patient_id", id.as_str()), ("grant_id", &grants[0].id.to_string()), ("change", "approve"), ("reason", "")];
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        assert_eq!(app.post_form("/api/admin/patients/proxies/change", &approve, Some(&staff)).await.status().as_u16(), 200);
        let amara = app.sign_in(PATIENT.0, PATIENT.1).await;
        assert_eq!(app.post_form("/api/people/act-for", &[("patient_id", &id)], Some(&amara)).await.status().as_u16(), 200);
        assert_eq!(app.get_as("/appointments", Some(&amara)).await.0, 200, "helping again, with her consent");
        app.stop().await;
    }
}
