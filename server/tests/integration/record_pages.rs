//! The patient's record over HTTP: hidden and unfiled entries in no answer
//! a patient gets (pages, server functions, downloads), what each level
//! shows, bad filters refused, documents only to their patient, and every
//! view audited.

use crate::common;
use common::{demo_practice, patient_of, spawn_app, TestApp, CLINICIAN, PATIENT};
use domain::services::{Grants, RecordFrom, RecordLevel};
use fhir::import_file;
use storage::audit::NewAudit;

const GOOD: &str = include_str!("../fixtures/fhir/amara-ahmed.json");
const MARKERS: [&str; 3] = ["RESTRICTED-MARKER-1", "UNFILED-MARKER-2", "DRAFT-MARKER-3"];
const PATIENT_B: (&str, &str) = ("second.patient@riverside.example", "demo-patient-2");

/// Imports the fixture (with its markers) into the first demo patient's record.
async fn import_markers(app: &TestApp) {
    let practice = demo_practice(app).await;
    let audit = NewAudit::by_the_system(practice, "record_imported", "test", common::start_instant());
    import_file(&app.store, practice, GOOD, &audit).await.unwrap().unwrap();
}

/// Gives the first demo patient this access to her record.
async fn set_access(app: &TestApp, record: RecordLevel, record_from: RecordFrom) {
    let practice = demo_practice(app).await;
    let patient = patient_of(app, PATIENT.0).await;
    let grants = Grants { record, record_from, ..Grants::DEFAULT_2023 };
    let by = domain::LoginId(app.store.login_by_email(CLINICIAN.0).await.unwrap().unwrap().id);
    let change = storage::services::GrantChange {
        practice,
        patient,
        grants: &grants,
        reason: "test",
        by,
        now: common::start_instant(),
    };
    let audit = NewAudit::by_the_system(practice, "patient_grants_changed", "test", common::start_instant());
    app.store.set_patient_grants(&change, &audit).await.unwrap();
}

async fn document_id(app: &TestApp) -> i64 {
    let entries = app.store.record_entries(demo_practice(app).await, patient_of(app, PATIENT.0).await).await.unwrap();
    entries.iter().find(|e| e.source_id == "DocumentReference/clinic-letter").unwrap().id
}

on_both_engines! {
    async fn hidden_and_unfiled_entries_are_in_no_answer_a_patient_gets(engine: Engine) {
        let app = spawn_app(engine).await;
        import_markers(&app).await;
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let mut answers = Vec::new();
        let mut pages: Vec<String> = server::http::page_routes().into_iter().filter(|p| !p.contains('{') && !p.starts_with("/admin")).collect();
        pages.extend(domain::record::EntryKind::ALL.iter().map(|k| format!("/record?section={}", k.as_str())));
        pages.push("/record/download".into());
        pages.push(format!("/record/documents/{}", document_id(&app).await));
        for page in &pages {
            let (status, body) = app.get_as(page, Some(&patient)).await;
            assert!(status < 500, "{page}: {status}");
            answers.push((page.clone(), body));
        }
        for function in ["/api/record/mine", "/api/home", "/api/account/details", "/api/prescriptions/mine"] {
            let body = app.post_form(function, &[], Some(&patient)).await.text().await.unwrap();
            answers.push((function.to_owned(), body));
        }
        for (from, body) in &answers {
            for marker in MARKERS {
                assert!(!body.contains(marker), "{from} carries {marker}");
            }
        }
        // The visible entries are there, so the search above looked at a record.
        let (_, record) = app.get_as("/record", Some(&patient)).await;
        for shown in ["High blood pressure", "Penicillin", "HbA1c level", "Letter from the eye clinic", "Continue amlodipine &amp; review"] {
            assert!(record.contains(shown), "{shown}");
        }
        let download = answers.iter().find(|(from, _)| from == "/record/download").unwrap();
        assert!(download.1.contains("High blood pressure") && download.1.contains("9990001006"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn each_level_shows_what_it_allows_and_the_date_option_applies(engine: Engine) {
        let app = spawn_app(engine).await;
        import_markers(&app).await;
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;

        set_access(&app, RecordLevel::DetailedCoded, RecordFrom::FullHistory).await;
        let (_, page) = app.get_as("/record", Some(&patient)).await;
        assert!(page.contains("High blood pressure") && page.contains("Fracture of wrist"), "coded entries");
        assert!(!page.contains("Home readings agree"), "no free text");
        assert!(!page.contains("Letter from the eye clinic"), "no documents");
        assert!(page.contains("Your practice shows your detailed coded record"));

        set_access(&app, RecordLevel::Summary, RecordFrom::FullHistory).await;
        let (_, page) = app.get_as("/record", Some(&patient)).await;
        assert!(page.contains("Penicillin") && page.contains("Amlodipine 5mg tablets"), "allergies and current medicines");
        assert!(!page.contains("High blood pressure") && !page.contains("HbA1c level") && !page.contains("Clarithromycin"));

        set_access(&app, RecordLevel::Full, RecordFrom::Date(chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap())).await;
        let (_, page) = app.get_as("/record", Some(&patient)).await;
        assert!(page.contains("Your practice shows your full record from 1 October 2025."));
        assert!(page.contains("Influenza vaccine") && page.contains("HbA1c level"), "from 1 October 2025");
        assert!(!page.contains("Fracture of wrist") && !page.contains("Blood pressure review"), "before it");
        assert!(page.contains("Penicillin"), "the summary whatever the date");

        set_access(&app, RecordLevel::None, RecordFrom::FullHistory).await;
        let (status, _) = app.get_as("/record", Some(&patient)).await;
        assert_eq!(status, 403);
        app.stop().await;
    }
}

on_both_engines! {
    async fn bad_filters_are_refused_views_are_audited_and_documents_go_only_to_their_patient(engine: Engine) {
        let app = spawn_app(engine).await;
        import_markers(&app).await;
        let practice = demo_practice(&app).await;
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        for (fields, expected) in [([("section", "secrets"), ("from", "")], "Choose a section"), ([("section", ""), ("from", "31/02/2024")], "Enter a date")] {
            let refused = app.post_form("/api/record/mine", &fields, Some(&patient)).await;
            assert_eq!(refused.status().as_u16(), 422, "{expected}");
            assert!(refused.text().await.unwrap().contains(expected));
        }
        let (status, page) = app.get_as("/record?section=test_result&from=1/1/2025", Some(&patient)).await;
        assert_eq!(status, 200);
        assert!(page.contains("HbA1c level") && !page.contains("High blood pressure"));
        let viewed = storage::audit::AuditFilter { action: Some("record_viewed".into()), limit: 10, ..Default::default() };
        let events = app.store.audit_events(practice, &viewed).await.unwrap();
        assert!(events.iter().any(|e| e.detail.as_deref() == Some("Test results")), "{events:?}");

        let document = document_id(&app).await;
        let mine = app.client().get(app.url(&format!("/record/documents/{document}"))).header("cookie", &patient).send().await.unwrap();
        assert_eq!(mine.status().as_u16(), 200);
        assert!(mine.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
        assert_eq!(mine.text().await.unwrap(), "Eyes healthy. No change of glasses needed.");
        let other = app.sign_in(PATIENT_B.0, PATIENT_B.1).await;
        let (status, _) = app.get_as(&format!("/record/documents/{document}"), Some(&other)).await;
        assert_eq!(status, 404, "another patient's document");
        let staff = app.sign_in(CLINICIAN.0, common::CLINICIAN.1).await;
        let (status, _) = app.get_as(&format!("/record/documents/{document}"), Some(&staff)).await;
        assert_eq!(status, 403);
        set_access(&app, RecordLevel::DetailedCoded, RecordFrom::FullHistory).await;
        let (status, _) = app.get_as(&format!("/record/documents/{document}"), Some(&patient)).await;
        assert_eq!(status, 404, "documents are the full record's");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_clinician_hides_shows_and_files_entries_and_previews_exactly_what_the_patient_sees(engine: Engine) {
        let app = spawn_app(engine).await;
        import_markers(&app).await;
        let practice = demo_practice(&app).await;
        let amara = patient_of(&app, PATIENT.0).await;
        let entries = app.store.record_entries(practice, amara).await.unwrap();
        let id_of = |source: &str| entries.iter().find(|e| e.source_id == source).unwrap().id.to_string();
        let (result, unfiled, restricted) = (id_of("Observation/hba1c-2025"), id_of("Observation/unfiled-potassium"), id_of("Condition/restricted-problem"));
        let page = format!("/admin/patients/{}/record", amara.0);
        let id = amara.0.to_string();

        let reception = app.sign_in(common::RECEPTIONIST.0, common::RECEPTIONIST.1).await;
        assert_eq!(app.get_as(&page, Some(&reception)).await.0, 403, "the record is for clinicians");
        let refused = app.post_form("/api/admin/patients/record/hide", &[("patient_id", &id), ("entry_id", &result), ("hide", "yes"), ("reason", "x")], Some(&reception)).await;
        assert_eq!(refused.status().as_u16(), 403);

        let gp = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        let (status, whole) = app.get_as(&page, Some(&gp)).await;
        assert_eq!(status, 200);
        assert!(whole.contains("RESTRICTED-MARKER-1") && whole.contains("Hidden from the patient"));
        assert!(whole.contains("UNFILED-MARKER-2") && whole.contains("Not filed"));
        let (_, preview) = app.get_as(&format!("{page}?preview=1"), Some(&gp)).await;
        assert!(preview.contains("This is exactly what the patient sees") && preview.contains("HbA1c level"));
        assert!(MARKERS.iter().all(|m| !preview.contains(m)), "the preview is the patient's view");

        let hide = |fields: Vec<(&'static str, String)>| {
            let (app, gp) = (&app, &gp);
            async move {
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.post_form("/api/admin/patients/record/hide", &fields, Some(gp)).await
            }
        };
        let base = |entry: &String| vec![("patient_id", id.clone()), ("entry_id", entry.clone())];
        let no_reason = hide([base(&result), vec![("hide", "yes".into())]].concat()).await;
        assert_eq!(no_reason.status().as_u16(), 422);
        assert!(no_reason.text().await.unwrap().contains("Say why"));
        let elsewhere = hide(vec![("patient_id", patient_of(&app, PATIENT_B.0).await.0.to_string()), ("entry_id", result.clone()), ("hide", "yes".into()), ("reason", "x".into())]).await;
        assert_eq!(elsewhere.status().as_u16(), 404, "another patient's entry");
        let lifted = hide([base(&restricted), vec![("hide", "no".into())]].concat()).await;
        assert_eq!(lifted.status().as_u16(), 409);
        assert!(lifted.text().await.unwrap().contains("restricted in the clinical system"), "a restriction is lifted there");
        let hidden = hide([base(&result), vec![("hide", "yes".into()), ("reason", "To discuss with her first".into())]].concat()).await;
        assert_eq!(hidden.status().as_u16(), 200);

        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let (_, record) = app.get_as("/record", Some(&patient)).await;
        assert!(!record.contains("HbA1c level") && !record.contains("To discuss with her first"), "hidden at once");
        let filed = app.post_form("/api/admin/patients/record/file", &[("patient_id", &id), ("entry_id", &unfiled)], Some(&gp)).await;
        assert_eq!(filed.status().as_u16(), 200);
        let twice = app.post_form("/api/admin/patients/record/file", &[("patient_id", &id), ("entry_id", &unfiled)], Some(&gp)).await;
        assert_eq!(twice.status().as_u16(), 409);
        let shown = hide([base(&result), vec![("hide", "no".into())]].concat()).await;
        assert_eq!(shown.status().as_u16(), 200);
        let (_, record) = app.get_as("/record", Some(&patient)).await;
        assert!(record.contains("HbA1c level") && record.contains("UNFILED-MARKER-2 Serum potassium"), "shown again, and filed");

        let hides = storage::audit::AuditFilter { action: Some("record_entry_hidden".into()), limit: 5, ..Default::default() };
        let events = app.store.audit_events(practice, &hides).await.unwrap();
        assert_eq!(events.first().and_then(|e| e.object_id.clone()), Some(result.clone()));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_patient_sees_who_has_looked_at_their_record_when_the_practice_lets_them(engine: Engine) {
        let app = spawn_app(engine).await;
        let amara = patient_of(&app, PATIENT.0).await;
        let gp = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        assert_eq!(app.get_as(&format!("/admin/patients/{}/record", amara.0), Some(&gp)).await.0, 200);
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        assert_eq!(app.get_as("/record?section=test_result", Some(&patient)).await.0, 200);
        let (status, page) = app.get_as("/record/who-looked", Some(&patient)).await;
        assert_eq!(status, 200);
        let rows: Vec<&str> = page.split("<tr").skip(2).collect();
        assert!(rows[0].contains("You") && rows[0].contains("Test results"), "newest first: {}", rows[0]);
        assert!(rows[1].contains("Dr Cara Clinician, Clinician, Riverside Medical Practice") && rows[1].contains("The whole record"));
        let (_, record) = app.get_as("/record", Some(&patient)).await;
        assert!(record.contains("/record/who-looked"));

        let mut grants = Grants { record_from: RecordFrom::FullHistory, ..Grants::DEFAULT_2023 };
        grants.record_audit = false;
        let practice = demo_practice(&app).await;
        let by = domain::LoginId(app.store.login_by_email(CLINICIAN.0).await.unwrap().unwrap().id);
        let change = storage::services::GrantChange { practice, patient: amara, grants: &grants, reason: "test", by, now: common::start_instant() };
        app.store.set_patient_grants(&change, &NewAudit::by_the_system(practice, "patient_grants_changed", "test", common::start_instant())).await.unwrap();
        assert_eq!(app.get_as("/record/who-looked", Some(&patient)).await.0, 403);
        let (_, record) = app.get_as("/record", Some(&patient)).await;
        assert!(!record.contains("/record/who-looked"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn without_javascript_a_hide_without_a_reason_comes_back_with_its_form_and_the_reason_asked_for(engine: Engine) {
        let app = spawn_app(engine).await;
        let amara = patient_of(&app, PATIENT.0).await;
        let entries = app.store.record_entries(demo_practice(&app).await, amara).await.unwrap();
        let entry = entries.iter().find(|e| !e.hidden).unwrap().id.to_string();
        let gp = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        let page = format!("/admin/patients/{}/record?hide={entry}", amara.0);
        let (_, before) = app.get_as(&page, Some(&gp)).await;
        assert_eq!(before.matches("Why hide it from the patient").count(), 1, "one form, for the entry chosen");
        let fields = [("_action", "/api/admin/patients/record/hide"), ("patient_id", &amara.0.to_string()), ("entry_id", &entry), ("hide", "yes"), ("reason", " ")];
        let refused = app.post_form(&page, &fields, Some(&gp)).await;
        assert_eq!(refused.status().as_u16(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("Say why it is hidden from the patient") && html.contains("Why hide it from the patient"));
        assert!(!app.store.record_entries(demo_practice(&app).await, amara).await.unwrap().iter().any(|e| e.id.to_string() == entry && e.hidden));
        app.stop().await;
    }
}
