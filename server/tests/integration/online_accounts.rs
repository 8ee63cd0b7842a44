//! Online accounts through the real app: staff check who a patient is and
//! issue a registration letter; the patient activates it once, and signs in.

use crate::common;
use common::demo_practice;
use common::{session_cookie, spawn_app, TestApp, PATIENT, RECEPTIONIST};
use domain::online_account::{AccountRef, LinkageKey};
use domain::PatientId;
use storage::patients::PatientSearch;

const PASSWORD: &str = "a letter-sized password";

/// A registered patient of the demo practice with no online account yet.
async fn patient_without_account(app: &TestApp) -> storage::patients::PatientRow {
    let everyone =
        app.store.search_patients(demo_practice(app).await, &PatientSearch::Name(String::new()), 200).await.unwrap();
    everyone
        .into_iter()
        .find(|p| p.registration_status == "registered" && p.login_id.is_none())
        .expect("a patient with no account")
}

async fn issue(app: &TestApp, staff: &str, patient: i64) -> reqwest::Response {
    let form = [
        ("patient_id", patient.to_string()),
        ("identity_check", "photo_id".into()),
        ("identity_note", "Passport".into()),
        ("discussed", "yes".into()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form("/api/admin/patients/online-account/issue", &form, Some(staff)).await
}

/// The letter's account ID and key, as stored.
async fn letter_of(app: &TestApp, patient: i64) -> (String, String) {
    let account =
        app.store.online_account(demo_practice(app).await, PatientId(patient)).await.unwrap().expect("an account");
    (account.account_ref, account.linkage_key.expect("a usable key"))
}

async fn activate(app: &TestApp, account: &str, key: &str, date_of_birth: &str, email: &str) -> reqwest::Response {
    let form = [
        ("ods_code", "Y12345"),
        ("account_id", account),
        ("linkage_key", key),
        ("date_of_birth", date_of_birth),
        ("email", email),
        ("password", PASSWORD),
        ("confirm_password", PASSWORD),
    ];
    app.post_form("/api/account/activate", &form, None).await
}

fn typed(date: chrono::NaiveDate) -> String {
    domain::time::typed_date(date)
}

on_both_engines! {
    async fn staff_issue_a_letter_and_the_patient_activates_it_and_signs_in(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let patient = patient_without_account(&app).await;
        let issued = issue(&app, &staff, patient.id).await;
        assert_eq!(issued.status().as_u16(), 200, "{}", issued.text().await.unwrap());

        let (account, key) = letter_of(&app, patient.id).await;
        let (status, letter) = app.get_as(&format!("/admin/patients/{}/online-account/letter", patient.id), Some(&staff)).await;
        assert_eq!(status, 200);
        let key = LinkageKey::parse(&key).unwrap();
        for shown in ["Y12345", &AccountRef::parse(&account).unwrap().grouped(), &key.grouped(), "/activate", &patient.family_name] {
            assert!(letter.contains(shown), "the letter shows {shown}");
        }
        let mail = app.store.outbox_of_practice(demo_practice(&app).await, 50).await.unwrap();
        assert!(mail.iter().all(|m| !m.body.contains(key.as_str()) && !m.body.contains(&key.grouped())), "linkage keys are never emailed");

        // Typed loosely: lower case, spaces instead of hyphens.
        let loose = key.grouped().to_lowercase().replace('-', " ");
        let activated = activate(&app, &account, &loose, &typed(patient.date_of_birth), "new.patient@example.org").await;
        assert_eq!(activated.status().as_u16(), 200, "{}", activated.text().await.unwrap());
        let row = app.store.online_account(demo_practice(&app).await, PatientId(patient.id)).await.unwrap().unwrap();
        assert_eq!(row.status, "active");
        assert!(row.linkage_key.is_none(), "a used key is forgotten");
        let session = app.sign_in("new.patient@example.org", PASSWORD).await;
        let (status, account_page) = app.get_as("/account", Some(&session)).await;
        assert_eq!(status, 200);
        assert!(account_page.contains(&patient.given_name));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_key_works_once_even_when_two_activations_race(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let patient = patient_without_account(&app).await;
        assert_eq!(issue(&app, &staff, patient.id).await.status().as_u16(), 200);
        let (account, key) = letter_of(&app, patient.id).await;
        let dob = typed(patient.date_of_birth);
        let (first, second) = tokio::join!(
            activate(&app, &account, &key, &dob, "first.device@example.org"),
            activate(&app, &account, &key, &dob, "second.device@example.org"),
        );
        let mut statuses = [first.status().as_u16(), second.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 422], "exactly one activation wins");
        let first_works = app.post_form("/api/auth/sign-in", &[("email", "first.device@example.org"), ("password", PASSWORD)], None).await;
        let second_works = app.post_form("/api/auth/sign-in", &[("email", "second.device@example.org"), ("password", PASSWORD)], None).await;
        assert!(session_cookie(&first_works).is_some() != session_cookie(&second_works).is_some(), "one login, not two");
        // And once used, it is spent.
        let again = activate(&app, &account, &key, &dob, "third.try@example.org").await;
        assert_eq!(again.status().as_u16(), 422);
        app.stop().await;
    }
}

on_both_engines! {
    async fn every_wrong_detail_and_an_expired_key_get_the_same_answer_and_change_nothing(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let patient = patient_without_account(&app).await;
        assert_eq!(issue(&app, &staff, patient.id).await.status().as_u16(), 200);
        let (account, key) = letter_of(&app, patient.id).await;
        let dob = typed(patient.date_of_birth);
        let other_key = LinkageKey::from_random([9; 10]);
        let wrong_dob = typed(patient.date_of_birth - chrono::TimeDelta::days(1));
        let other_account = if account.starts_with('9') { "1000000000" } else { "9999999999" };
        let mut answers = Vec::new();
        for (account, key, dob) in [
            (account.as_str(), other_key.as_str(), dob.as_str()),
            (account.as_str(), key.as_str(), wrong_dob.as_str()),
            (other_account, key.as_str(), dob.as_str()),
        ] {
            let answer = activate(&app, account, key, dob, "someone@example.org").await;
            assert_eq!(answer.status().as_u16(), 422);
            answers.push(answer.text().await.unwrap());
        }
        assert!(answers.iter().all(|a| a == &answers[0]), "one answer for every wrong detail: {answers:?}");
        assert!(answers[0].contains("do not match a registration letter"));
        let row = app.store.online_account(demo_practice(&app).await, PatientId(patient.id)).await.unwrap().unwrap();
        assert_eq!(row.status, "pending", "nothing changed");

        // Twenty-eight days later the right details no longer work either.
        app.clock.advance(domain::online_account::key_lifetime());
        let late = activate(&app, &account, &key, &dob, "someone@example.org").await;
        assert_eq!(late.status().as_u16(), 422);
        assert_eq!(late.text().await.unwrap(), answers[0]);
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_reset_stops_the_old_key_and_the_old_sign_in_until_the_new_letter_is_used(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let demo_patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let login = app.store.login_by_email(PATIENT.0).await.unwrap().unwrap();
        let patient = login.patient_id.unwrap();
        let row = app.store.patient(demo_practice(&app).await, PatientId(patient)).await.unwrap().unwrap();
        let dob = typed(row.date_of_birth);

        assert_eq!(issue(&app, &staff, patient).await.status().as_u16(), 200);
        let (status, _) = app.get_as("/account", Some(&demo_patient)).await;
        assert_ne!(status, 200, "the old session ended");
        let refused = app.post_form("/api/auth/sign-in", &[("email", PATIENT.0), ("password", PATIENT.1)], None).await;
        assert!(session_cookie(&refused).is_none(), "the old password no longer signs in");
        let (account, first_key) = letter_of(&app, patient).await;

        // A second letter: the first key stops working.
        assert_eq!(issue(&app, &staff, patient).await.status().as_u16(), 200);
        let (same_account, second_key) = letter_of(&app, patient).await;
        assert_eq!(same_account, account, "a reset keeps the account ID");
        assert_ne!(second_key, first_key);
        assert_eq!(activate(&app, &account, &first_key, &dob, PATIENT.0).await.status().as_u16(), 422);
        assert_eq!(activate(&app, &account, &second_key, &dob, PATIENT.0).await.status().as_u16(), 200);
        app.sign_in(PATIENT.0, PASSWORD).await;
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_letter_needs_the_identity_check_recorded_and_nothing_is_issued_without_it(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let patient = patient_without_account(&app).await;
        let refused = app
            .post_form("/api/admin/patients/online-account/issue", &[("patient_id", &patient.id.to_string()), ("identity_check", "vouched")], Some(&staff))
            .await;
        assert_eq!(refused.status().as_u16(), 422);
        let body = refused.text().await.unwrap();
        assert!(body.contains("Say which clinician vouched for them") && body.contains("Confirm you have talked to the patient"), "{body}");
        assert!(app.store.online_account(demo_practice(&app).await, PatientId(patient.id)).await.unwrap().is_none());
        let (status, _) = app.get_as(&format!("/admin/patients/{}/online-account/letter", patient.id), Some(&staff)).await;
        assert_eq!(status, 409, "no letter to print");
        app.stop().await;
    }
}

on_both_engines! {
    async fn five_wrong_tries_lock_the_account_id_for_a_while_even_for_the_right_details(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let patient = patient_without_account(&app).await;
        assert_eq!(issue(&app, &staff, patient.id).await.status().as_u16(), 200);
        let (account, key) = letter_of(&app, patient.id).await;
        let wrong_dob = typed(patient.date_of_birth - chrono::TimeDelta::days(1));
        for _ in 0..4 {
            assert_eq!(activate(&app, &account, &key, &wrong_dob, "guess@example.org").await.status().as_u16(), 422);
        }
        let fifth = activate(&app, &account, &key, &wrong_dob, "guess@example.org").await;
        assert_eq!(fifth.status().as_u16(), 429, "the fifth failure locks");
        let locked = activate(&app, &account, &key, &typed(patient.date_of_birth), "guess@example.org").await;
        assert_eq!(locked.status().as_u16(), 429, "locked even with the right details");
        app.clock.advance(domain::throttle::LOCKOUT);
        let later = activate(&app, &account, &key, &typed(patient.date_of_birth), "owner@example.org").await;
        assert_eq!(later.status().as_u16(), 200);
        app.stop().await;
    }
}

on_both_engines! {
    async fn the_account_of_a_patient_who_died_or_left_reads_closed_and_cannot_be_switched_back_on(engine: Engine) {
        let app = spawn_app(engine).await;
        let admin = app.sign_in(common::PRACTICE_ADMIN.0, common::PRACTICE_ADMIN.1).await;
        for (email, status) in [(PATIENT.0, "deceased"), (server::demo::SECOND_PATIENT_EMAIL, "left")] {
            let patient = app.store.login_by_email(email).await.unwrap().unwrap().patient_id.unwrap().to_string();
            let (_, before) = app.get_as(&format!("/admin/patients/{patient}/online-account"), Some(&admin)).await;
            assert!(before.contains("Active"), "{email}'s account is active at first");
            let fields = [("_action", "/api/admin/patients/registration"), ("patient_id", patient.as_str()), ("status", status), ("on", "01/03/2026")];
            let marked = app.post_form(&format!("/admin/patients/{patient}"), &fields, Some(&admin)).await;
            assert_eq!(marked.status().as_u16(), 303, "{status} recorded");

            let (_, page) = app.get_as(&format!("/admin/patients/{patient}/online-account"), Some(&admin)).await;
            assert!(!page.contains("Active since") && page.contains("Closed"), "{email}: the account reads closed");
            assert!(!page.contains("Switch back on"), "{email}: no button to switch it back on");
            let enable = app.post_form("/api/admin/patients/online-account/enable", &[("patient_id", patient.as_str())], Some(&admin)).await;
            assert_eq!(enable.status().as_u16(), 409, "{email}: switching back on is refused");
            let row = app.store.patient(demo_practice(&app).await, PatientId(patient.parse().unwrap())).await.unwrap().unwrap();
            assert_eq!(row.login_disabled, Some(true), "{email}: still disabled");
        }
        app.stop().await;
    }
}
