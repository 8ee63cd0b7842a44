//! `server seed-demo`.

use crate::common;
use common::{spawn_app_with, start_instant, Options};
use domain::{Email, OdsCode, PracticeId, PracticeName};

on_both_engines! {
    async fn seeding_twice_creates_the_demo_practice_once_with_staff_of_each_role_and_50_patients(engine: Engine) {
        let app = spawn_app_with(engine, Options::empty()).await;
        let first = server::demo::seed(&app.store, &common::test_keys(), start_instant()).await.expect("first seed");
        assert!(first.practice_created);
        assert_eq!(first.patients_added, 50);
        let second = server::demo::seed(&app.store, &common::test_keys(), start_instant()).await.expect("second seed");
        assert!(!second.practice_created);
        assert_eq!(second.patients_added, 0);

        let practice = app.store.practice_by_ods(&OdsCode::parse("Y12345").unwrap()).await.unwrap().unwrap();
        let id = PracticeId(practice.id);
        // The fifty, and the demo parent's two children.
        assert_eq!(app.store.count_patients(id).await.unwrap(), 52);
        let mut roles: Vec<String> = app.store.staff_of_practice(id).await.unwrap().into_iter().map(|s| s.role).collect();
        roles.sort();
        assert_eq!(roles, ["clinician", "practice_admin", "receptionist"]);

        // Every registration status, and grants that differ from the defaults.
        let find = |name: &'static str| {
            let store = app.store.clone();
            async move {
                let search = storage::patients::PatientSearch::Name(name.into());
                store.search_patients(id, &search, 2).await.unwrap().remove(0)
            }
        };
        let mut statuses = std::collections::BTreeSet::new();
        for name in ["Amara Ahmed", "Hassan Jones", "Isla Jones"] {
            statuses.insert(find(name).await.registration_status);
        }
        assert_eq!(statuses.into_iter().collect::<Vec<_>>(), ["deceased", "left", "registered"]);
        let mut levels = std::collections::BTreeSet::new();
        for name in ["Dev Brown", "Ella Brown", "Finn Brown"] {
            let grants = app.store.patient_grants(id, domain::PatientId(find(name).await.id)).await.unwrap().expect(name);
            assert!(!grants.reason.is_empty());
            levels.insert(grants.grants.record.as_str());
        }
        assert_eq!(levels.len(), 3, "a spread of record levels");

        // The demo patients' prescription requests between them stand at every status a request comes to.
        let mut statuses = std::collections::BTreeSet::new();
        for email in [server::demo::DEMO_PATIENT_EMAIL, server::demo::SECOND_PATIENT_EMAIL] {
            let login = app.store.login_by_email(email).await.unwrap().unwrap();
            let patient = domain::PatientId(login.patient_id.unwrap());
            for request in app.store.requests_of_patient(id, patient).await.unwrap() {
                statuses.extend(request.items.iter().map(|(item, _)| item.status().as_str()));
            }
        }
        let every: std::collections::BTreeSet<&str> =
            ["requested", "in_review", "issued", "ready_to_collect", "sent_to_pharmacy", "dispensed", "rejected", "cancelled"].into();
        assert_eq!(statuses, every, "approved and changed are passed through on the way to issued");

        // The first demo patient's record holds every kind of entry, some hidden and a result not yet filed.
        let amara = app.store.login_by_email(server::demo::DEMO_PATIENT_EMAIL).await.unwrap().unwrap();
        let amara = domain::PatientId(amara.patient_id.unwrap());
        let entries = app.store.record_entries(id, amara).await.unwrap();
        let kinds: std::collections::BTreeSet<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds.len(), domain::record::EntryKind::ALL.len(), "{kinds:?}");
        assert!(entries.iter().filter(|e| e.hidden).count() >= 2);
        assert!(entries.iter().any(|e| !e.filed));
        let grants = app.store.patient_grants(id, amara).await.unwrap().expect("her own grants");
        assert_eq!(grants.grants.record_from, domain::services::RecordFrom::FullHistory);

        // Families: a parent of two (the elder turning 13 within 30 days), a son, a carer.
        let held = |email: &'static str| {
            let store = app.store.clone();
            async move {
                let login = store.login_by_email(email).await.unwrap().expect(email);
                store.proxy_grants_of_login(domain::LoginId(login.id)).await.unwrap()
            }
        };
        let children = held(server::demo::DEMO_PROXIES[0].0).await;
        assert_eq!(children.len(), 2);
        let today = domain::prescriptions::london_today(start_instant());
        let coming: Vec<_> = children
            .iter()
            .filter_map(|g| domain::proxy::notice_due(&g.facts(), g.subject_date_of_birth, today, domain::proxy::AgeRules::DEFAULT))
            .map(|(_, change)| change)
            .collect();
        assert_eq!(coming, [domain::proxy::Change::ReviewDue], "one child turns 13 within 30 days");
        assert!(held(server::demo::DEMO_PROXIES[1].0).await[0].prescriptions);
        let carer = &held(server::demo::DEMO_PROXIES[2].0).await[0];
        assert!(!carer.appointments && !carer.prescriptions && !carer.messages && carer.record_level != "none");
        app.stop().await;
    }
}

on_both_engines! {
    async fn the_demo_refuses_a_database_that_holds_a_real_practice(engine: Engine) {
        let app = spawn_app_with(engine, Options::empty()).await;
        server::commands::create_practice_in(
            &app.store, &app.base,
            OdsCode::parse("A81001").unwrap(), PracticeName::parse("Moor Lane Surgery").unwrap(),
            &Email::parse("manager@moorlane.example").unwrap(), "Morgan Manager", start_instant(),
        ).await.unwrap();
        let refused = server::demo::seed(&app.store, &common::test_keys(), start_instant()).await.unwrap_err();
        assert!(refused.to_string().contains("real practice"), "{refused}");
        assert_eq!(app.store.count_practices(true).await.unwrap(), 0, "no demo practice was added");
        app.stop().await;
    }
}
