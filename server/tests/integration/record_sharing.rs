//! Consent to share: staff record a patient's three answers on their page,
//! a bad answer changes nothing, and the patient reads them when the
//! practice allows it.

use crate::common;
use common::{demo_practice, patient_of, spawn_app, PATIENT, RECEPTIONIST};
use domain::services::Grants;
use storage::audit::NewAudit;

on_both_engines! {
    async fn staff_record_consent_to_share_and_the_patient_reads_it_when_allowed(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let amara = patient_of(&app, PATIENT.0).await;
        let id = amara.0.to_string();
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let (_, page) = app.get_as(&format!("/admin/patients/{id}"), Some(&staff)).await;
        assert!(page.contains("Consent to share") && page.contains("Not recorded"));

        let bad = app.post_form("/api/admin/patients/sharing/save", &[("patient_id", &id), ("scr_additional", "yes"), ("sharing_out", "perhaps")], Some(&staff)).await;
        assert_eq!(bad.status().as_u16(), 422);
        assert!(bad.text().await.unwrap().contains("Choose yes, no or not recorded"));
        assert_eq!(app.store.patient_sharing(practice, amara).await.unwrap(), storage::record::Sharing::default(), "nothing recorded");
        let unknown = app.post_form("/api/admin/patients/sharing/save", &[("patient_id", "999999"), ("scr_additional", "yes")], Some(&staff)).await;
        assert_eq!(unknown.status().as_u16(), 404);

        let saved = app.post_form("/api/admin/patients/sharing/save", &[("patient_id", &id), ("scr_additional", "yes"), ("sharing_out", "no"), ("sharing_in", "")], Some(&staff)).await;
        assert_eq!(saved.status().as_u16(), 200);
        let stored = app.store.patient_sharing(practice, amara).await.unwrap();
        assert_eq!((stored.scr_additional, stored.sharing_out, stored.sharing_in), (Some(true), Some(false), None));

        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let (status, mine) = app.get_as("/record/sharing", Some(&patient)).await;
        assert_eq!(status, 200);
        let answers: Vec<&str> = mine.split("nhsuk-summary-list__value").skip(1).map(|s| s.split('<').next().unwrap_or_default().trim_start_matches("\">")).collect();
        assert_eq!(answers, ["Yes", "No", "Not recorded"]);
        assert!(!mine.contains("Save consent to share"), "read-only for the patient");

        let grants = Grants { consent: false, record_from: domain::services::RecordFrom::FullHistory, ..Grants::DEFAULT_2023 };
        let by = domain::LoginId(app.store.login_by_email(RECEPTIONIST.0).await.unwrap().unwrap().id);
        let change = storage::services::GrantChange { practice, patient: amara, grants: &grants, reason: "test", by, now: common::start_instant() };
        app.store.set_patient_grants(&change, &NewAudit::by_the_system(practice, "patient_grants_changed", "test", common::start_instant())).await.unwrap();
        assert_eq!(app.get_as("/record/sharing", Some(&patient)).await.0, 403);
        let (_, record) = app.get_as("/record", Some(&patient)).await;
        assert!(!record.contains("/record/sharing"));
        app.stop().await;
    }
}
