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
    async fn acting_for_someone_without_a_grant_is_not_found_and_the_age_rules_move_with_the_clock(engine: Engine) {
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
        app.stop().await;
    }
}
