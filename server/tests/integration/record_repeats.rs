//! Repeat medicines arriving with the record: an active repeat in the
//! clinical system is on the patient's repeat list to order, kept in step by
//! importing again (never twice, issues never going back), hidden when
//! restricted there, and gone when it is stopped there.

use crate::common;
use common::{demo_practice, patient_of, spawn_app, TestApp};
use fhir::import_file;
use storage::audit::NewAudit;
use storage::prescriptions::RepeatItemRow;

const GOOD: &str = include_str!("../fixtures/fhir/amara-ahmed.json");
const SECOND_PATIENT: (&str, &str) = ("second.patient@riverside.example", "demo-patient-2");

/// The fixture as the second demo patient's record, changed by `edit`.
async fn import_as_second(app: &TestApp, edit: impl Fn(String) -> String) {
    let practice = demo_practice(app).await;
    let patient = patient_of(app, SECOND_PATIENT.0).await;
    let identifier = app.store.patient(practice, patient).await.unwrap().unwrap().identifier;
    let bundle = edit(GOOD.replace("9990001006", &identifier));
    let audit = NewAudit::by_the_system(practice, "record_imported", "test", common::start_instant());
    import_file(&app.store, practice, &bundle, &audit).await.unwrap().unwrap();
}

async fn amlodipine(app: &TestApp) -> Vec<RepeatItemRow> {
    let practice = demo_practice(app).await;
    let items = app.store.repeat_items(practice, patient_of(app, SECOND_PATIENT.0).await).await.unwrap();
    items.into_iter().filter(|item| item.medicine.starts_with("Amlodipine")).collect()
}

on_both_engines! {
    async fn an_active_repeat_in_the_record_is_on_the_patients_repeat_list_once_and_in_step_with_the_clinical_system(engine: Engine) {
        let app = spawn_app(engine).await;
        assert!(amlodipine(&app).await.is_empty());
        import_as_second(&app, |bundle| bundle).await;
        let items = amlodipine(&app).await;
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert_eq!(item.name(), "Amlodipine 5mg tablets");
        assert_eq!((item.quantity, item.unit.as_str(), item.days_of_supply), (28, "tablet", 28));
        assert_eq!((item.issues_authorised, item.issues_issued), (Some(6), 2));
        assert_eq!(item.authorised_until.map(|d| d.to_string()).as_deref(), Some("2026-09-01"));
        assert!(item.orderable_online && !item.hidden);
        let patient = app.sign_in(SECOND_PATIENT.0, SECOND_PATIENT.1).await;
        let (status, page) = app.get_as("/prescriptions", Some(&patient)).await;
        assert_eq!(status, 200);
        assert!(page.contains("Amlodipine 5mg tablets"), "the patient can order it: {page}");

        // Again with a new dosage and an older count of issues: the same item.
        import_as_second(&app, |bundle| {
            bundle
                .replace("One tablet each morning", "Two tablets each morning")
                .replace(r#""valueUnsignedInt": 2"#, r#""valueUnsignedInt": 1"#)
        })
        .await;
        let items = amlodipine(&app).await;
        assert_eq!(items.len(), 1, "never twice");
        assert_eq!(items[0].id, item.id);
        assert_eq!(items[0].dosage, "Two tablets each morning");
        assert_eq!(items[0].issues_issued, 2, "issues issued never go back");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_repeat_restricted_in_the_clinical_system_is_hidden_and_one_stopped_there_leaves_the_list(engine: Engine) {
        let app = spawn_app(engine).await;
        let restrict = |bundle: String| {
            bundle.replace(
                r#""id": "amlodipine","#,
                r#""id": "amlodipine", "meta": { "security": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R" }] },"#,
            )
        };
        import_as_second(&app, restrict).await;
        let items = amlodipine(&app).await;
        assert!(items[0].hidden, "restricted: hidden");
        assert_eq!(items[0].hidden_reason.as_deref(), Some(storage::record::RESTRICTED_REASON));
        let patient = app.sign_in(SECOND_PATIENT.0, SECOND_PATIENT.1).await;
        let (_, page) = app.get_as("/prescriptions", Some(&patient)).await;
        assert!(!page.contains("Amlodipine"), "never shown to the patient");

        import_as_second(&app, |bundle| bundle).await;
        assert!(!amlodipine(&app).await[0].hidden, "the restriction lifted there is lifted here");
        import_as_second(&app, |bundle| bundle.replace(r#""status": "active",
        "intent": "order""#, r#""status": "stopped",
        "intent": "order""#))
        .await;
        assert!(amlodipine(&app).await.is_empty(), "stopped: off the list");
        let (_, page) = app.get_as("/prescriptions", Some(&patient)).await;
        assert!(!page.contains("Amlodipine"));
        app.stop().await;
    }
}
