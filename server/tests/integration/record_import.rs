//! Importing the patient's record from FHIR bundles: every entry once, again
//! as an update, restricted resources hidden, and a bad bundle, an unknown
//! patient or another patient's resources writing nothing.

use crate::common;
use common::{demo_practice, patient_of, spawn_app, TestApp, PATIENT};
use fhir::import_file;
use storage::audit::NewAudit;

const GOOD: &str = include_str!("../fixtures/fhir/amara-ahmed.json");
const BAD: &str = include_str!("../fixtures/fhir/bad.json");
const SECOND_PATIENT: &str = "second.patient@riverside.example";

fn audit(practice: domain::PracticeId) -> NewAudit {
    NewAudit::by_the_system(practice, "record_imported", "test", common::start_instant())
}

async fn entries_of(app: &TestApp, email: &str) -> Vec<storage::record::EntryRow> {
    app.store.record_entries(demo_practice(app).await, patient_of(app, email).await).await.unwrap()
}

on_both_engines! {
    async fn a_bundle_imports_each_entry_once_and_importing_it_again_updates_them(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let before = entries_of(&app, PATIENT.0).await.len();
        let first = import_file(&app.store, practice, GOOD, &audit(practice)).await.unwrap().unwrap();
        assert_eq!(first.patient, patient_of(&app, PATIENT.0).await);
        assert_eq!((first.imported.added, first.imported.updated), (11, 0));
        let changed = GOOD.replace("Home readings agree with clinic readings.", "Readings now lower.");
        let again = import_file(&app.store, practice, &changed, &audit(practice)).await.unwrap().unwrap();
        assert_eq!((again.imported.added, again.imported.updated), (0, 11));
        let entries = entries_of(&app, PATIENT.0).await;
        assert_eq!(entries.len(), before + 11, "no entry twice");
        let problem = entries.iter().find(|e| e.source_id == "Condition/hypertension").unwrap();
        assert_eq!(problem.free_text.as_deref(), Some("Readings now lower."));
        let restricted = entries.iter().find(|e| e.source_id == "Condition/restricted-problem").unwrap();
        assert!(restricted.hidden);
        assert_eq!(restricted.hidden_reason.as_deref(), Some(storage::record::RESTRICTED_REASON));
        let unfiled = entries.iter().find(|e| e.source_id == "Observation/unfiled-potassium").unwrap();
        assert!(!unfiled.filed);
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_bad_bundle_an_unknown_patient_or_another_patients_resources_import_nothing(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let before = entries_of(&app, PATIENT.0).await.len();
        let problems = import_file(&app.store, practice, BAD, &audit(practice)).await.unwrap().unwrap_err();
        assert_eq!(problems.len(), 4, "{problems:?}");
        // A valid NHS number that is not a registered patient of this practice.
        let unknown = GOOD.replace("9990001006", "9999999999");
        let problems = import_file(&app.store, practice, &unknown, &audit(practice)).await.unwrap().unwrap_err();
        assert_eq!(problems[0].to_string(), "Patient identifier: no registered patient of this practice has NHS number 9999999999");
        assert_eq!(entries_of(&app, PATIENT.0).await.len(), before, "nothing written");

        // The same resources, sent again as another patient's record.
        import_file(&app.store, practice, GOOD, &audit(practice)).await.unwrap().unwrap();
        let second = app.store.patient(practice, patient_of(&app, SECOND_PATIENT).await).await.unwrap().unwrap();
        let theirs_before = entries_of(&app, SECOND_PATIENT).await.len();
        let mixed_up = GOOD.replace("9990001006", &second.identifier);
        let problems = import_file(&app.store, practice, &mixed_up, &audit(practice)).await.unwrap().unwrap_err();
        assert!(problems[0].message.contains("imported before for another patient"), "{problems:?}");
        assert_eq!(entries_of(&app, SECOND_PATIENT).await.len(), theirs_before, "nothing written");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_clinicians_hiding_and_filing_here_outlast_importing_again_and_a_restriction_cannot_be_lifted_here(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        import_file(&app.store, practice, GOOD, &audit(practice)).await.unwrap().unwrap();
        let gp = domain::LoginId(app.store.login_by_email(common::CLINICIAN.0).await.unwrap().unwrap().id);
        let id_of = |entries: &[storage::record::EntryRow], source: &str| entries.iter().find(|e| e.source_id == source).unwrap().id;
        let entries = entries_of(&app, PATIENT.0).await;
        let (problem, restricted, unfiled) = (
            id_of(&entries, "Condition/fracture"),
            id_of(&entries, "Condition/restricted-problem"),
            id_of(&entries, "Observation/unfiled-potassium"),
        );
        let decided = |action| NewAudit::by_the_system(practice, action, "test", common::start_instant());
        app.store.set_entry_hidden(practice, problem, Some("Mentions a family member"), gp, &decided("record_entry_hidden")).await.unwrap();
        let refused = app.store.set_entry_hidden(practice, restricted, None, gp, &decided("record_entry_shown")).await;
        assert!(matches!(refused, Err(storage::StoreError::Rule(_))), "{refused:?}");
        app.store.file_result(practice, unfiled, (gp, "Dr Cara Clinician"), &decided("record_result_filed")).await.unwrap();
        let again = app.store.file_result(practice, unfiled, (gp, "Dr Cara Clinician"), &decided("record_result_filed")).await;
        assert!(matches!(again, Err(storage::StoreError::NotFound)), "filed once");

        import_file(&app.store, practice, GOOD, &audit(practice)).await.unwrap().unwrap();
        let entries = entries_of(&app, PATIENT.0).await;
        let row = |id: i64| entries.iter().find(|e| e.id == id).unwrap();
        assert!(row(problem).hidden && row(problem).hidden_reason.as_deref() == Some("Mentions a family member"));
        assert!(row(restricted).hidden);
        assert!(row(unfiled).filed, "still filed though the export still says preliminary");
        // Another practice's entry is not found.
        let elsewhere = app.another_practice().await;
        let theirs = app.store.set_entry_hidden(elsewhere, problem, None, gp, &decided("record_entry_shown")).await;
        assert!(matches!(theirs, Err(storage::StoreError::NotFound)));
        app.stop().await;
    }
}

async fn upload(app: &TestApp, session: &str, bundle: &str) -> (u16, String) {
    let file = reqwest::multipart::Part::text(bundle.to_owned()).file_name("record.json").mime_str("application/json");
    let form =
        reqwest::multipart::Form::new().text("_action", "/api/admin/record/import").part("bundle", file.unwrap());
    let response = app
        .client()
        .post(app.url("/admin/record/import"))
        .header("origin", &app.base)
        .header("cookie", session)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

on_both_engines! {
    async fn a_practice_admin_uploads_a_bundle_and_sees_what_it_did_and_a_bad_one_lists_its_problems(engine: Engine) {
        let app = spawn_app(engine).await;
        let admin = app.sign_in(common::PRACTICE_ADMIN.0, common::PRACTICE_ADMIN.1).await;
        let before = entries_of(&app, PATIENT.0).await.len();

        let (status, page) = upload(&app, &admin, BAD).await;
        assert_eq!(status, 200);
        assert!(page.contains("Nothing was imported"), "{page}");
        assert!(page.contains("Condition/no-code code"), "each problem names its resource and path: {page}");
        let (status, page) = upload(&app, &admin, "").await;
        assert_eq!(status, 422, "no file: the form again, with the error");
        assert!(page.contains("Choose a FHIR bundle file"), "{page}");
        assert_eq!(entries_of(&app, PATIENT.0).await.len(), before, "nothing written");

        let (status, page) = upload(&app, &admin, GOOD).await;
        assert_eq!(status, 200);
        assert!(page.contains("Amara Ahmed&#x27;s record imported: 11 added, 0 updated.") || page.contains("Amara Ahmed's record imported: 11 added, 0 updated."), "{page}");
        assert_eq!(entries_of(&app, PATIENT.0).await.len(), before + 11);
        let (_, page) = upload(&app, &admin, GOOD).await;
        assert!(page.contains("0 added, 11 updated"), "importing again updates: {page}");
        assert!(page.contains("Recent imports") && page.contains(">Amara Ahmed</a>"), "each import names its patient: {page}");

        // A receptionist may not import records.
        let desk = app.sign_in(common::RECEPTIONIST.0, common::RECEPTIONIST.1).await;
        let (status, _) = upload(&app, &desk, GOOD).await;
        assert_eq!(status, 403);
        app.stop().await;
    }
}
