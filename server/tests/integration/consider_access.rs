//! "Consider online access" through the real app: the patients staff should
//! ask about online services, "offered and declined" keeping a patient off the
//! list for 12 months, and the printable application form.

use crate::common;
use app::api::consider_access::PatientsToConsider;
use chrono::TimeDelta;
use common::demo_practice;
use common::{spawn_app, TestApp, CLINICIAN, PATIENT, RECEPTIONIST};
use domain::PatientId;
use storage::patients::{PatientRow, PatientSearch};

const DECLINED: &str = "/api/admin/consider-access/declined";

async fn everyone(app: &TestApp) -> Vec<PatientRow> {
    app.store.search_patients(demo_practice(app).await, &PatientSearch::Name(String::new()), 500).await.unwrap()
}

/// One page of the list, as the page's server function answers it.
async fn list_page(app: &TestApp, staff: &str, page: u32) -> PatientsToConsider {
    let response = app.post_form("/api/admin/consider-access", &[("page", &page.to_string())], Some(staff)).await;
    assert_eq!(response.status().as_u16(), 200);
    serde_json::from_str(&response.text().await.unwrap()).expect("the list as JSON")
}

/// Every patient on the list, page after page: their ids in order.
async fn listed(app: &TestApp, staff: &str) -> Vec<i64> {
    let first = list_page(app, staff, 1).await;
    let mut ids: Vec<i64> = first.patients.iter().map(|p| p.id).collect();
    for page in 2..=first.pages {
        ids.extend(list_page(app, staff, page).await.patients.iter().map(|p| p.id));
    }
    assert_eq!(ids.len() as i64, first.total, "the total counts every patient listed");
    ids
}

/// Posts "Offered and declined" as the page's form does without JavaScript.
async fn decline_without_javascript(app: &TestApp, staff: &str, patient: &str) -> reqwest::Response {
    app.client()
        .post(app.url("/admin/consider-access"))
        .header("origin", &app.base)
        .header("accept", "text/html,application/xhtml+xml")
        .header("cookie", staff)
        .form(&[("_action", DECLINED), ("patient_id", patient)])
        .send()
        .await
        .unwrap()
}

async fn declined_in_audit(app: &TestApp) -> usize {
    let filter =
        storage::audit::AuditFilter { action: Some("online_access_declined".into()), limit: 100, ..Default::default() };
    app.store.audit_events(demo_practice(app).await, &filter).await.unwrap().len()
}

fn first_to_consider(patients: &[PatientRow]) -> &PatientRow {
    patients.iter().find(|p| p.registration_status == "registered" && p.login_id.is_none()).expect("a patient")
}

on_both_engines! {
    async fn the_list_shows_registered_patients_with_no_account_and_not_those_with_a_login_an_account_or_who_left(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let patients = everyone(&app).await;
        // One more with an account issued but not yet activated: no login yet.
        let letter_for = first_to_consider(&patients).id;
        let issued = app
            .post_form(
                "/api/admin/patients/online-account/issue",
                &[("patient_id", &letter_for.to_string()), ("identity_check", "photo_id"), ("identity_note", "Passport"), ("discussed", "yes")],
                Some(&staff),
            )
            .await;
        assert_eq!(issued.status().as_u16(), 200);

        let ids = listed(&app, &staff).await;
        let expected: Vec<i64> = patients
            .iter()
            .filter(|p| p.registration_status == "registered" && p.login_id.is_none() && p.id != letter_for)
            .map(|p| p.id)
            .collect();
        assert_eq!(ids, expected, "registered patients with no login or account, by family then given name");
        let amara = patients.iter().find(|p| p.given_name == "Amara" && p.family_name == "Ahmed").unwrap();
        let hassan = patients.iter().find(|p| p.given_name == "Hassan" && p.family_name == "Jones").unwrap();
        let isla = patients.iter().find(|p| p.given_name == "Isla" && p.family_name == "Jones").unwrap();
        for (who, why) in [(amara.id, "has a login"), (hassan.id, "left"), (isla.id, "died"), (letter_for, "has an account")] {
            assert!(!ids.contains(&who), "a patient who {why} is not listed");
        }

        let (status, page) = app.get_as("/admin/consider-access", Some(&staff)).await;
        assert_eq!(status, 200);
        assert!(page.contains("<h1>Consider online access</h1>"));
        assert!(page.contains("Registered patients with no online account who have not been offered one in the last 12 months"));
        let first = list_page(&app, &staff, 1).await;
        assert_eq!(first.patients.len(), 25, "25 a page");
        for p in &first.patients {
            assert!(page.contains(&format!("href=\"/admin/patients/{}\"", p.id)), "{} links to their page", p.name);
            assert!(page.contains(&format!("href=\"/admin/patients/{}/application-form\"", p.id)));
            assert!(page.contains(&p.date_of_birth) && page.contains(&p.identifier));
        }
        assert!(page.contains("Last offered") && page.contains("Never"));
        assert!(page.contains("Offered and declined"));
        assert!(page.contains("href=\"/admin/consider-access?page=2\""), "a link to the next page");
        let (_, second) = app.get_as("/admin/consider-access?page=2", Some(&staff)).await;
        let last = list_page(&app, &staff, 2).await;
        assert!(second.contains(&format!("href=\"/admin/patients/{}\"", last.patients[0].id)));
        assert!(second.contains("href=\"/admin/consider-access\""), "a link back to the first page");
        assert!(!second.contains(&format!("href=\"/admin/patients/{}\"", first.patients[0].id)));

        let (_, home) = app.get_as("/admin", Some(&staff)).await;
        assert!(home.contains("href=\"/admin/consider-access\""), "the admin home links to the list");
        let clinician = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        let (_, home) = app.get_as("/admin", Some(&clinician)).await;
        assert!(!home.contains("href=\"/admin/consider-access\""), "not for those who cannot use it");
        app.stop().await;
    }
}

on_both_engines! {
    async fn offered_and_declined_takes_a_patient_off_the_list_for_12_months_and_they_come_back_after(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let before = listed(&app, &staff).await;
        let patient = before[0];
        let recorded = decline_without_javascript(&app, &staff, &patient.to_string()).await;
        assert_eq!(recorded.status().as_u16(), 303);
        assert_eq!(recorded.headers().get("location").unwrap(), "/admin/consider-access?declined=1");
        let (status, page) = app.get_as("/admin/consider-access?declined=1", Some(&staff)).await;
        assert_eq!(status, 200);
        assert!(page.contains("role=\"status\"") && page.contains("offered online access and declined"));
        assert!(!page.contains(&format!("href=\"/admin/patients/{patient}\"")), "they left the list");
        let after = listed(&app, &staff).await;
        assert_eq!(after.len(), before.len() - 1);
        assert!(!after.contains(&patient));
        assert_eq!(declined_in_audit(&app).await, 1, "audited");

        // With JavaScript the same server function answers in place.
        let second = before[1];
        let answer = app.post_form(DECLINED, &[("patient_id", &second.to_string())], Some(&staff)).await;
        assert_eq!(answer.status().as_u16(), 200);
        assert!(!listed(&app, &staff).await.contains(&second));

        // A day short of 12 months: still off the list.
        app.clock.advance(TimeDelta::days(364));
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let ids = listed(&app, &staff).await;
        assert!(!ids.contains(&patient) && !ids.contains(&second));

        // Past 12 months: back, with the day they were last asked.
        app.clock.advance(TimeDelta::days(2));
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let ids = listed(&app, &staff).await;
        assert!(ids.contains(&patient) && ids.contains(&second));
        let first = list_page(&app, &staff, 1).await;
        let back = first.patients.iter().find(|p| p.id == patient).expect("on the first page again");
        assert_eq!(back.last_offered, "2 March 2026");
        let (_, page) = app.get_as("/admin/consider-access", Some(&staff)).await;
        assert!(page.contains("2 March 2026"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_patient_of_another_practice_gets_not_found_and_nothing_is_recorded(engine: Engine) {
        let app = spawn_app(engine).await;
        let now = common::start_instant();
        let other = app.another_practice().await;
        let theirs = server::demo::demo_patients().into_iter().take(1).collect::<Vec<_>>();
        app.store.ensure_patients(other, &theirs, now).await.unwrap();
        let their_patient = app.store.patients_to_consider(other, now, 10, 0).await.unwrap().patients[0].id;

        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let answer = app.post_form(DECLINED, &[("patient_id", &their_patient.to_string())], Some(&staff)).await;
        assert_eq!(answer.status().as_u16(), 404);
        let (status, form) = app.get_as(&format!("/admin/patients/{their_patient}/application-form"), Some(&staff)).await;
        assert_eq!(status, 404);
        assert!(!form.contains("Elsewhere Surgery"));
        let (status, _) = app.get_as("/admin/patients/999999/application-form", Some(&staff)).await;
        assert_eq!(status, 404, "nor a patient who does not exist");

        let still = app.store.patients_to_consider(other, now, 10, 0).await.unwrap();
        assert_eq!(still.total, 1);
        assert!(still.patients[0].last_offered_at.is_none(), "no offer recorded");
        assert_eq!(declined_in_audit(&app).await, 0);
        app.stop().await;
    }
}

on_both_engines! {
    async fn patients_clinicians_and_people_signed_out_are_refused_and_nothing_is_recorded(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let before = listed(&app, &staff).await;
        let target = before[0].to_string();
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let clinician = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        for (who, session, refused) in [("a patient", Some(&patient), 403), ("a clinician", Some(&clinician), 403), ("someone signed out", None, 401)] {
            let session = session.map(String::as_str);
            let answer = app.post_form(DECLINED, &[("patient_id", &target)], session).await;
            assert_eq!(answer.status().as_u16(), refused, "{who} cannot record an offer");
            let (status, _) = app.get_as("/admin/consider-access", session).await;
            assert_eq!(status, refused, "{who} cannot see the list");
            let (status, _) = app.get_as(&format!("/admin/patients/{target}/application-form"), session).await;
            assert_eq!(status, refused, "{who} cannot print the form");
            let answer = app.post_form("/api/admin/consider-access", &[], session).await;
            assert_eq!(answer.status().as_u16(), refused);
        }
        assert_eq!(listed(&app, &staff).await, before, "nothing recorded");
        assert_eq!(declined_in_audit(&app).await, 0);
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_missing_or_zero_patient_is_a_clear_error_and_nothing_is_recorded(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let before = listed(&app, &staff).await;
        for form in [vec![("patient_id", "0")], vec![], vec![("patient_id", "-4")]] {
            let answer = app.post_form(DECLINED, &form, Some(&staff)).await;
            assert_eq!(answer.status().as_u16(), 422, "{form:?}");
            assert!(answer.text().await.unwrap().contains("Choose a patient from the list"));
        }
        let answer = app.post_form(DECLINED, &[("patient_id", "not a number")], Some(&staff)).await;
        assert_eq!(answer.status().as_u16(), 422);
        // Without JavaScript: the list again, with the error summary.
        let page = decline_without_javascript(&app, &staff, "0").await;
        assert_eq!(page.status().as_u16(), 422);
        let page = page.text().await.unwrap();
        assert!(page.contains("nhsuk-error-summary") && page.contains("Choose a patient from the list"));
        assert!(page.contains("<h1>Consider online access</h1>"));
        assert_eq!(listed(&app, &staff).await, before, "nothing recorded");
        assert_eq!(declined_in_audit(&app).await, 0);
        app.stop().await;
    }
}

on_both_engines! {
    async fn the_application_form_shows_the_patient_and_the_practice_with_blanks_to_fill_in(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let patients = everyone(&app).await;
        let patient = first_to_consider(&patients);
        let (status, form) = app.get_as(&format!("/admin/patients/{}/application-form", patient.id), Some(&staff)).await;
        assert_eq!(status, 200);
        let digits = &patient.identifier;
        let nhs_number = format!("{} {} {}", &digits[..3], &digits[3..6], &digits[6..]);
        for shown in [
            "Application for online services",
            "Riverside Medical Practice",
            "1 River Lane, Anytown, AB1 2CD",
            &format!("{} {}", patient.given_name, patient.family_name),
            &domain::time::display_date(patient.date_of_birth),
            "NHS number",
            &nhs_number,
            "Email address",
            "Mobile number",
            "Booking and cancelling appointments",
            "Ordering repeat prescriptions",
            "Messaging the practice",
            "Seeing my health record",
            "I will keep my login details safe",
            "I understand the risks",
            "Signature",
            "For the practice",
            "Identity checked by",
            "class=\"gp-letter gp-application\"",
            "class=\"gp-no-print\"",
        ] {
            assert!(form.contains(shown), "the form shows {shown}");
        }
        assert!(!form.contains(patient.email.as_deref().unwrap_or("@")), "the patient writes their own email");
        // Its patient is looked up by id only: the form changes nothing.
        let account = app.store.online_account(demo_practice(&app).await, PatientId(patient.id)).await.unwrap();
        assert!(account.is_none());
        app.stop().await;
    }
}
