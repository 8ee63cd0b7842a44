//! A proxy acting: a parent chooses their child and every page is the
//! child's, with the child's name on it; the record never shows what the
//! child could not see; each action records whom it was for; and the age
//! rules move with the clock.

use crate::common;
use crate::proxies::{add_child, form};
use common::{demo_practice, spawn_app, TestApp, PATIENT, RECEPTIONIST};
use domain::services::{Grants, RecordFrom};
use domain::PatientId;
use storage::audit::NewAudit;

const CHILDS_RECORD: &str = include_str!("../fixtures/fhir/amara-ahmed.json");

/// A child (ten today) with their whole record online, and the demo patient
/// as their parent with every service.
async fn family(app: &TestApp) -> (PatientId, String) {
    let practice = demo_practice(app).await;
    let child = add_child(app, chrono::NaiveDate::from_ymd_opt(2016, 3, 2).unwrap()).await;
    let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
    let id = child.0.to_string();
    let grant = form(&id, &[("proxy_email", PATIENT.0), ("proxy_name", "Amara Ahmed")]);
    assert_eq!(app.post_form("/api/admin/patients/proxies/add", &grant, Some(&staff)).await.status().as_u16(), 200);
    let by = domain::LoginId(app.store.login_by_email(RECEPTIONIST.0).await.unwrap().unwrap().id);
    let grants = Grants { record_from: RecordFrom::FullHistory, ..Grants::DEFAULT_2023 };
    let audit = |action| NewAudit::by_the_system(practice, action, "test", common::start_instant());
    let change = storage::services::GrantChange {
        practice,
        patient: child,
        grants: &grants,
        reason: "test",
        by,
        now: common::start_instant(),
    };
    app.store.set_patient_grants(&change, &audit("patient_grants_changed")).await.unwrap();
    let record = CHILDS_RECORD.replace("9990001006", "9997700007");
    fhir::import_file(&app.store, practice, &record, &audit("record_imported")).await.unwrap().unwrap();
    (child, id)
}

async fn choose(app: &TestApp, session: &str, patient_id: &str) -> u16 {
    app.post_form("/api/people/act-for", &[("patient_id", patient_id)], Some(session)).await.status().as_u16()
}

on_both_engines! {
    async fn a_parent_acts_for_their_child_on_every_page_and_never_sees_what_the_child_could_not(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let (child, id) = family(&app).await;
        let parent = app.sign_in(PATIENT.0, PATIENT.1).await;
        let (_, people) = app.get_as("/people", Some(&parent)).await;
        assert!(people.contains("You (") && people.contains("Maisie Parent"), "{people}");

        assert_eq!(choose(&app, &parent, &id).await, 200);
        for page in ["/home", "/appointments", "/prescriptions", "/messages", "/record"] {
            let (status, html) = app.get_as(page, Some(&parent)).await;
            assert_eq!(status, 200, "{page}");
            assert!(html.contains("Acting for <strong>Maisie Parent</strong>"), "{page} names the child: {html}");
        }
        // Live lists hear of the child's changes, as the child's own would.
        for stream in ["/live/messages", "/live/prescriptions"] {
            let live = app.client().get(app.url(stream)).header("cookie", &parent).send().await.unwrap();
            assert_eq!(live.status().as_u16(), 200, "{stream}");
        }
        let (_, record) = app.get_as("/record", Some(&parent)).await;
        assert!(record.contains("High blood pressure"), "the child's record: {record}");
        for marker in ["RESTRICTED-MARKER-1", "UNFILED-MARKER-2", "DRAFT-MARKER-3"] {
            assert!(!record.contains(marker), "{marker} never shown to a proxy");
        }
        let download = app.client().get(app.url("/record/download")).header("cookie", &parent).send().await.unwrap();
        let bundle = download.text().await.unwrap();
        assert!(bundle.contains("9997700007") && !bundle.contains("RESTRICTED-MARKER-1"));
        let views = app.store.audit_events(practice, &storage::audit::AuditFilter { action: Some("record_viewed".into()), limit: 5, ..Default::default() }).await.unwrap();
        assert_eq!(views[0].acting_for_patient_id, Some(child.0), "recorded as for the child");

        // Back to herself: her own pages, no banner.
        assert_eq!(choose(&app, &parent, "0").await, 200);
        let (_, home) = app.get_as("/home", Some(&parent)).await;
        assert!(!home.contains("Acting for"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn acting_for_someone_without_a_grant_is_not_found_the_age_rules_move_with_the_clock_and_each_refusal_is_audited(engine: Engine) {
        let app = spawn_app(engine).await;
        let (_, id) = family(&app).await;
        let stranger = common::patient_of(&app, "second.patient@riverside.example").await.0.to_string();
        let parent = app.sign_in(PATIENT.0, PATIENT.1).await;
        assert_eq!(choose(&app, &parent, &stranger).await, 404);
        let (_, home) = app.get_as("/home", Some(&parent)).await;
        assert!(!home.contains("Acting for"), "still herself");
        assert_eq!(choose(&app, &parent, &id).await, 200);

        // Eleven: booking stays, the record goes, with a plain reason.
        app.clock.advance(chrono::TimeDelta::days(366));
        let parent = app.sign_in(PATIENT.0, PATIENT.1).await;
        assert_eq!(choose(&app, &parent, &id).await, 200);
        assert_eq!(app.get_as("/appointments", Some(&parent)).await.0, 200);
        let (status, record) = app.get_as("/record", Some(&parent)).await;
        assert_eq!(status, 403);
        let live = app.client().get(app.url("/live/messages")).header("cookie", &parent).send().await.unwrap();
        assert_eq!(live.status().as_u16(), 403, "no messages for a parent at 11");
        assert!(record.contains("You cannot use this service for this person"), "{record}");

        // Used at 13, then her 16th birthday: nothing, and why.
        app.clock.advance(chrono::TimeDelta::days(366 * 2));
        let parent = app.sign_in(PATIENT.0, PATIENT.1).await;
        assert_eq!(choose(&app, &parent, &id).await, 200);
        assert_eq!(app.get_as("/appointments", Some(&parent)).await.0, 200);
        let sixteen = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2032, 3, 2, 9, 30, 0).unwrap();
        app.clock.set(sixteen);
        let parent = app.sign_in(PATIENT.0, PATIENT.1).await;
        assert_eq!(choose(&app, &parent, &id).await, 200);
        let (status, home) = app.get_as("/appointments", Some(&parent)).await;
        assert_eq!(status, 403);
        assert!(home.contains("They are 16 now"), "{home}");

        // Each refusal is in the audit trail: who asked, for whom and why.
        let practice = demo_practice(&app).await;
        let filter = storage::audit::AuditFilter { action: Some("proxy_refused".into()), limit: 50, ..Default::default() };
        let refused = app.store.audit_events(practice, &filter).await.unwrap();
        assert!(refused.iter().all(|event| event.actor_email.as_deref() == Some(PATIENT.0)));
        let for_whom = |detail: &str| -> Vec<Option<i64>> {
            let matching = refused.iter().filter(|event| event.detail.as_deref().is_some_and(|d| d.contains(detail)));
            matching.map(|event| event.acting_for_patient_id).collect()
        };
        let stranger_asked = refused.iter().find(|event| event.object_id.as_deref() == Some(stranger.as_str()));
        assert_eq!(stranger_asked.and_then(|event| event.detail.as_deref()), Some("No access to act for them"));
        let child = Some(id.parse::<i64>().unwrap());
        let not_granted = for_whom("You cannot use this service");
        assert!(not_granted.len() >= 2 && not_granted.iter().all(|whom| *whom == child), "record and messages at 11: {refused:?}");
        let at_16 = for_whom("They are 16 now");
        assert!(!at_16.is_empty() && at_16.iter().all(|whom| *whom == child), "{refused:?}");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_patient_sees_what_their_proxy_did_and_either_side_can_stop_the_access_but_nobody_else(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let second = ("second.patient@riverside.example", "demo-patient-2");
        let subject = common::patient_of(&app, second.0).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let id = subject.0.to_string();
        let grant = carer_for(&app, &staff, subject).await;

        // Amara books for Chloe.
        let proxy = app.sign_in(PATIENT.0, PATIENT.1).await;
        assert_eq!(choose(&app, &proxy, &id).await, 200);
        let now = common::start_instant();
        let slots = app.store.slots_between(practice, now + chrono::TimeDelta::days(1), now + chrono::TimeDelta::days(20)).await.unwrap();
        let free = slots.iter().find(|s| s.appointment_id.is_none() && s.type_internal_name == "GP10" && s.clinician_bookable).unwrap();
        let booked = app.post_form("/api/appointments/book", &[("slot_id", &free.slot_id.to_string())], Some(&proxy)).await;
        assert_eq!(booked.status().as_u16(), 200);
        // Whom else Chloe trusts is not Amara's to see.
        let (_, theirs) = app.get_as("/people", Some(&proxy)).await;
        assert!(!theirs.contains("People who can act for you"), "{theirs}");

        let chloe = app.sign_in(second.0, second.1).await;
        let (_, people) = app.get_as("/people", Some(&chloe)).await;
        assert!(people.contains("People who can act for you") && people.contains("Amara Ahmed (carer)"), "{people}");
        assert!(people.contains("Booked an appointment"), "{people}");

        // Somebody else cannot end it: not found, nothing changed.
        let stranger = app.sign_in("parent@riverside.example", "demo-parent-1").await;
        let refused = app.post_form("/api/people/end", &[("grant_id", &grant)], Some(&stranger)).await;
        assert_eq!(refused.status().as_u16(), 404);
        assert_eq!(status_of(&app, &grant).await, "active");

        // Amara stops acting for Chloe: her pages are her own again.
        let ended = app.post_form("/api/people/end", &[("grant_id", &grant)], Some(&proxy)).await;
        assert_eq!(ended.status().as_u16(), 200, "{}", ended.text().await.unwrap());
        assert_eq!(status_of(&app, &grant).await, "ended");
        let (_, home) = app.get_as("/home", Some(&proxy)).await;
        assert!(!home.contains("Acting for"), "{home}");

        // Set up again, and Chloe stops it herself.
        let grant = carer_for(&app, &staff, subject).await;
        assert_eq!(app.post_form("/api/people/end", &[("grant_id", &grant)], Some(&chloe)).await.status().as_u16(), 200);
        assert_eq!(status_of(&app, &grant).await, "ended");
        let filter = storage::audit::AuditFilter { action: Some("proxy_access_ended".into()), limit: 5, ..Default::default() };
        let ended = app.store.audit_events(practice, &filter).await.unwrap();
        let details: Vec<_> = ended.iter().filter_map(|e| e.detail.as_deref()).collect();
        assert_eq!(details, ["Ended by the patient", "Ended by the person who acted"]);
        app.stop().await;
    }
}

/// Staff make the demo patient (Amara Ahmed) a carer for `subject`; the grant's id.
async fn carer_for(app: &TestApp, staff: &str, subject: PatientId) -> String {
    let id = subject.0.to_string();
    let extra = [
        ("proxy_email", PATIENT.0),
        ("proxy_name", "Amara Ahmed"),
        ("relationship", "carer"),
        ("basis", "patient_consent"),
    ];
    let status =
        app.post_form("/api/admin/patients/proxies/add", &form(&id, &extra), Some(staff)).await.status().as_u16();
    assert_eq!(status, 200);
    let grants = app.store.proxy_grants_for_subject(demo_practice(app).await, subject).await.unwrap();
    grants.iter().find(|g| g.proxy_email == PATIENT.0 && g.status == "active").unwrap().id.to_string()
}

async fn status_of(app: &TestApp, grant: &str) -> String {
    let row = app.store.proxy_grant(demo_practice(app).await, grant.parse().unwrap()).await.unwrap();
    row.unwrap().status
}
