//! Requests for online services through the real app: a person asks on the
//! register page, staff handle the request in their queue, and the applicant
//! hears the same thing whatever the register says.

use crate::common;
use common::{demo_practice, location};
use common::{spawn_app, TestApp, PATIENT, PRACTICE_ADMIN, RECEPTIONIST};
use domain::PatientId;
use storage::access_requests::{AccessRequestRow, Queue};
use storage::patients::NewPatient;

/// The second demo patient's sign-in email.
const SECOND_PATIENT: &str = server::demo::SECOND_PATIENT_EMAIL;

/// A demo patient by their place in the demo register: 11 is Ben Brown (an
/// adult), 44 Ella Smith (11 when the tests run).
fn demo_patient(index: usize) -> NewPatient {
    server::demo::demo_patients().swap_remove(index)
}

async fn patient_id(app: &TestApp, patient: &NewPatient) -> i64 {
    let search = storage::patients::PatientSearch::Name(format!("{} {}", patient.given_name, patient.family_name));
    app.store.search_patients(demo_practice(app).await, &search, 2).await.unwrap()[0].id
}

/// The register page's form as a browser without JavaScript posts it.
async fn ask(app: &TestApp, patient: &NewPatient, family_name: &str, email: &str) -> reqwest::Response {
    let dob = domain::time::typed_date(patient.date_of_birth);
    let form = [
        ("given_name", patient.given_name.as_str()),
        ("family_name", family_name),
        ("date_of_birth", dob.as_str()),
        ("sex", patient.sex),
        ("postcode", "ab1 2cd"),
        ("identifier_kind", "nhs"),
        ("identifier", patient.identifier.as_str()),
        ("email", email),
        ("mobile", ""),
    ];
    app.post_form("/register", &form, None).await
}

/// The newest request for an email, as staff see it.
async fn request_for(app: &TestApp, email: &str) -> AccessRequestRow {
    let open = app.store.access_requests(demo_practice(app).await, Queue::Open).await.unwrap();
    open.into_iter().find(|r| r.email == email).expect("an open request for the email")
}

async fn mail_to(app: &TestApp, to: &str) -> Vec<storage::outbox::OutboxRow> {
    let mail = app.store.outbox_of_practice(demo_practice(app).await, 200).await.unwrap();
    mail.into_iter().filter(|m| m.to_address == to).collect()
}

/// A page with its per-response script nonce (the only part that differs
/// between any two answers) blanked out.
fn without_nonce(page: &str) -> String {
    let nonce = page.split("crossorigin=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a nonce");
    assert!(nonce.len() >= 16, "a real nonce: {nonce}");
    page.replace(nonce, "NONCE")
}

/// The approval form, filled in as staff would for an adult with no concerns.
fn approval(request: i64) -> Vec<(&'static str, String)> {
    vec![
        ("_action", "/api/admin/access-requests/approve".into()),
        ("request_id", request.to_string()),
        ("identity_check", "photo_id".into()),
        ("identity_note", "Passport".into()),
        ("discussion", "Talked through what they will see and keeping their password to themselves.".into()),
        ("coercion", "no".into()),
        ("capacity", "no".into()),
        ("appointments", "yes".into()),
        ("prescriptions", "yes".into()),
        ("messaging", "yes".into()),
        ("record", "full".into()),
        ("record_from", "account_creation".into()),
        ("record_audit", "yes".into()),
        ("consent", "yes".into()),
    ]
}

async fn post(app: &TestApp, page: &str, form: &[(&'static str, String)], session: &str) -> reqwest::Response {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(page, &form, Some(session)).await
}

on_both_engines! {
    async fn the_applicant_sees_the_same_page_and_gets_the_same_email_whether_matched_unmatched_or_their_email_is_in_use(engine: Engine) {
        let app = spawn_app(engine).await;
        let (ben, chloe, dev) = (demo_patient(11), demo_patient(12), demo_patient(13));
        let mut answers = Vec::new();
        // On the register; not on it (another surname); and an email that is another patient's sign-in.
        for (patient, surname, email) in
            [(&ben, ben.family_name.as_str(), "ben@mail.example"), (&chloe, "Somebody", "not.here@mail.example"), (&dev, dev.family_name.as_str(), SECOND_PATIENT)]
        {
            let asked = ask(&app, patient, surname, email).await;
            assert_eq!(asked.status().as_u16(), 303, "{}", asked.text().await.unwrap());
            let to = location(&asked);
            let (status, page) = app.get(&to).await;
            assert_eq!(status, 200);
            let page = without_nonce(&page);
            let mail = mail_to(&app, email).await;
            assert_eq!(mail.len(), 1, "one email to {email}");
            answers.push((to, page, mail[0].subject.clone(), mail[0].body.clone()));
        }
        assert_eq!(answers[0].0, "/register/sent");
        assert!(answers[0].1.contains("Request sent"));
        for answer in &answers[1..] {
            let first_difference = answer.1.bytes().zip(answers[0].1.bytes()).position(|(a, b)| a != b);
            let around = first_difference.map(|at| &answer.1[at.saturating_sub(80)..(at + 80).min(answer.1.len())]);
            assert!(answer.1 == answers[0].1, "a byte-identical page; it differs at {around:?}");
            assert!(answer == &answers[0], "the same email");
        }
        // Staff see what the applicant was not told.
        let matched = request_for(&app, "ben@mail.example").await;
        assert_eq!(matched.patient_id, Some(patient_id(&app, &ben).await));
        assert!(!matched.email_in_use);
        assert_eq!(request_for(&app, "not.here@mail.example").await.patient_id, None);
        let shared = request_for(&app, SECOND_PATIENT).await;
        assert!(shared.email_in_use, "the email already signs someone else in");
        assert_eq!(shared.patient_id, Some(patient_id(&app, &dev).await));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_second_request_from_the_same_person_merges_into_the_open_one(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient = demo_patient(11);
        let before = app.store.open_access_requests(demo_practice(&app).await).await.unwrap();
        assert_eq!(ask(&app, &patient, &patient.family_name, "ben@mail.example").await.status().as_u16(), 303);
        app.clock.advance(chrono::TimeDelta::days(2));
        assert_eq!(ask(&app, &patient, &patient.family_name, "ben.brown@mail.example").await.status().as_u16(), 303);
        assert_eq!(app.store.open_access_requests(demo_practice(&app).await).await.unwrap(), before + 1, "one request, not two");
        let merged = request_for(&app, "ben.brown@mail.example").await;
        assert_eq!(merged.times_requested, 2);
        assert!(merged.last_requested_at.0 > merged.first_requested_at.0);
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let (status, queue) = app.get_as("/admin/access-requests", Some(&staff)).await;
        assert_eq!(status, 200);
        assert!(queue.contains("Ben Brown") && queue.contains("(2 times)"), "the queue says it was asked twice");
        app.stop().await;
    }
}

on_both_engines! {
    async fn bad_input_gets_every_problem_at_once_and_stores_and_sends_nothing(engine: Engine) {
        let app = spawn_app(engine).await;
        let before = app.store.open_access_requests(demo_practice(&app).await).await.unwrap();
        let form = [("given_name", ""), ("date_of_birth", "31/02/1990"), ("postcode", "nowhere"), ("identifier_kind", "nhs"),
            ("identifier", "123"), ("email", "not-an-email"), ("mobile", "0113 496 0000")];
        let refused = app.post_form("/register", &form, None).await;
        assert_eq!(refused.status().as_u16(), 422);
        let page = refused.text().await.unwrap();
        for message in ["Enter your first name", "Enter your last name", "Enter your date of birth", "Select your sex",
            "UK postcode", "NHS number", "email address", "UK mobile number"] {
            assert!(page.contains(message), "the page says {message}");
        }
        assert!(page.contains("not-an-email"), "what was typed is kept");
        assert_eq!(app.store.open_access_requests(demo_practice(&app).await).await.unwrap(), before);
        assert!(mail_to(&app, "not-an-email").await.is_empty());
        app.stop().await;
    }
}

on_both_engines! {
    async fn with_self_registration_switched_off_the_page_explains_and_requests_are_refused(engine: Engine) {
        let app = spawn_app(engine).await;
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let (_, register) = app.get("/register").await;
        assert!(register.contains("Send request"), "on by default");
        let settings = [("online_services", "yes"), ("request_expiry_days", "90"), ("appointments", "yes"), ("prescriptions", "yes"),
            ("messaging", "yes"), ("record", "full"), ("record_from", "account_creation"), ("record_audit", "yes"), ("consent", "yes")];
        let saved = app.post_form("/admin/settings/online-services", &settings, Some(&admin)).await;
        assert_eq!(saved.status().as_u16(), 303, "{}", saved.text().await.unwrap());
        let (status, register) = app.get("/register").await;
        assert_eq!(status, 200);
        assert!(!register.contains("Send request"), "no form");
        assert!(register.contains("ask at the surgery") && register.contains("Go to the surgery with photo ID"));
        let before = app.store.open_access_requests(demo_practice(&app).await).await.unwrap();
        let patient = demo_patient(11);
        let refused = ask(&app, &patient, &patient.family_name, "ben@mail.example").await;
        assert_eq!(refused.status().as_u16(), 409);
        assert_eq!(app.store.open_access_requests(demo_practice(&app).await).await.unwrap(), before);
        assert!(mail_to(&app, "ben@mail.example").await.is_empty());
        app.stop().await;
    }
}

on_both_engines! {
    async fn staff_approve_a_matched_request_and_the_patient_activates_the_letter(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient = demo_patient(11);
        assert_eq!(ask(&app, &patient, &patient.family_name, "ben@mail.example").await.status().as_u16(), 303);
        let request = request_for(&app, "ben@mail.example").await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let page = format!("/admin/access-requests/{}", request.id);
        let (status, shown) = app.get_as(&page, Some(&staff)).await;
        assert_eq!(status, 200);
        assert!(shown.contains("Matches Ben Brown") && shown.contains("Approve and issue letter"));

        let taken = post(&app, &page, &[("_action", "/api/admin/access-requests/take".into()), ("request_id", request.id.to_string())], &staff).await;
        assert_eq!(taken.status().as_u16(), 303);
        let taken = request_for(&app, "ben@mail.example").await;
        assert_eq!((taken.status.as_str(), taken.handler_name.as_deref()), ("in_progress", Some("Rita Reception")));

        // Fewer services than the defaults, with the reason.
        let mut form = approval(request.id);
        form.retain(|(k, _)| *k != "messaging");
        form.push(("reason", "Prefers to telephone".into()));
        let approved = post(&app, &page, &form, &staff).await;
        assert_eq!(approved.status().as_u16(), 303, "{}", approved.text().await.unwrap());
        let id = patient_id(&app, &patient).await;
        assert_eq!(location(&approved), format!("/admin/patients/{id}/online-account/letter"));
        let row = app.store.access_request(demo_practice(&app).await, request.id).await.unwrap().unwrap();
        assert_eq!(row.status, "approved");
        assert_eq!(row.coercion_concern, Some(false));
        let grants = app.store.patient_grants(demo_practice(&app).await, PatientId(id)).await.unwrap().expect("chosen grants");
        assert!(!grants.grants.messaging && grants.grants.appointments);
        assert_eq!(grants.reason, "Prefers to telephone");

        let account = app.store.online_account(demo_practice(&app).await, PatientId(id)).await.unwrap().expect("an account");
        assert_eq!(account.status, "pending");
        let key = account.linkage_key.clone().expect("a key");
        let mail = mail_to(&app, "ben@mail.example").await;
        assert_eq!(mail.len(), 2, "received, then approved");
        assert!(mail[0].body.contains("approved") && !mail[0].body.contains(&key) && !mail[0].body.contains(&account.account_ref));

        let dob = domain::time::typed_date(patient.date_of_birth);
        let form = [("ods_code", "Y12345"), ("account_id", account.account_ref.as_str()), ("linkage_key", key.as_str()),
            ("date_of_birth", dob.as_str()), ("email", "ben@mail.example"), ("password", "a letter-sized password"),
            ("confirm_password", "a letter-sized password")];
        let activated = app.post_form("/activate", &form, None).await;
        assert_eq!(activated.status().as_u16(), 303, "{}", activated.text().await.unwrap());
        let session = app.sign_in("ben@mail.example", "a letter-sized password").await;
        assert_eq!(app.get_as("/account", Some(&session)).await.0, 200);

        // Decided once: a second decision is refused.
        let again = post(&app, &page, &approval(request.id), &staff).await;
        assert_eq!(again.status().as_u16(), 409);
        app.stop().await;
    }
}

on_both_engines! {
    async fn approval_needs_the_checks_and_a_gillick_judgement_for_a_child_and_a_concern_stops_it(engine: Engine) {
        let app = spawn_app(engine).await;
        let child = demo_patient(44);
        assert_eq!(ask(&app, &child, &child.family_name, "ella@mail.example").await.status().as_u16(), 303);
        let request = request_for(&app, "ella@mail.example").await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let page = format!("/admin/access-requests/{}", request.id);
        let (_, shown) = app.get_as(&page, Some(&staff)).await;
        assert!(shown.contains("Gillick"), "the form asks about competence for a child");

        let empty = post(&app, &page, &[("_action", "/api/admin/access-requests/approve".into()), ("request_id", request.id.to_string())], &staff).await;
        assert_eq!(empty.status().as_u16(), 422);
        let text = empty.text().await.unwrap();
        assert!(text.contains("Select how you checked who the patient is") && text.contains("Say what you discussed"));
        let without_gillick = post(&app, &page, &approval(request.id), &staff).await;
        assert_eq!(without_gillick.status().as_u16(), 422);
        assert!(without_gillick.text().await.unwrap().contains("Gillick"));
        let mut not_competent = approval(request.id);
        not_competent.push(("gillick", "no".into()));
        assert_eq!(post(&app, &page, &not_competent, &staff).await.status().as_u16(), 422);
        let mut coerced = approval(request.id);
        coerced.retain(|(k, _)| *k != "coercion");
        coerced.extend([("coercion", "yes".into()), ("gillick", "yes".into())]);
        let refused = post(&app, &page, &coerced, &staff).await;
        assert_eq!(refused.status().as_u16(), 422);
        assert!(refused.text().await.unwrap().contains("concern about coercion"));

        let row = app.store.access_request(demo_practice(&app).await, request.id).await.unwrap().unwrap();
        assert_eq!(row.status, "new", "nothing changed");
        let id = patient_id(&app, &child).await;
        assert!(app.store.online_account(demo_practice(&app).await, PatientId(id)).await.unwrap().is_none());

        let mut competent = approval(request.id);
        competent.push(("gillick", "yes".into()));
        assert_eq!(post(&app, &page, &competent, &staff).await.status().as_u16(), 303);
        let row = app.store.access_request(demo_practice(&app).await, request.id).await.unwrap().unwrap();
        assert_eq!((row.status.as_str(), row.gillick_competent), ("approved", Some(true)));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_declined_applicant_is_emailed_without_the_reason_and_an_unmatched_request_cannot_be_approved(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient = demo_patient(11);
        assert_eq!(ask(&app, &patient, "Somebody", "not.here@mail.example").await.status().as_u16(), 303);
        let request = request_for(&app, "not.here@mail.example").await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let page = format!("/admin/access-requests/{}", request.id);
        let approve = post(&app, &page, &approval(request.id), &staff).await;
        assert_eq!(approve.status().as_u16(), 409);
        assert!(approve.text().await.unwrap().contains("does not match a patient on the register"));

        let no_reason = post(&app, &page, &[("_action", "/api/admin/access-requests/decline".into()), ("request_id", request.id.to_string())], &staff).await;
        assert_eq!(no_reason.status().as_u16(), 422);
        let declined = post(&app, &page, &[("_action", "/api/admin/access-requests/decline".into()), ("request_id", request.id.to_string()),
            ("decline_reason", "Not registered at this practice".into())], &staff).await;
        assert_eq!(declined.status().as_u16(), 303);
        assert_eq!(location(&declined), "/admin/access-requests?decided=declined");
        let row = app.store.access_request(demo_practice(&app).await, request.id).await.unwrap().unwrap();
        assert_eq!((row.status.as_str(), row.decline_reason.as_deref()), ("declined", Some("Not registered at this practice")));
        let mail = mail_to(&app, "not.here@mail.example").await;
        assert_eq!(mail.len(), 2);
        assert!(mail[0].body.contains("not able to set up online services"));
        assert!(!mail[0].body.contains("Not registered at this practice"), "the reason stays with the practice");
        app.stop().await;
    }
}

on_both_engines! {
    async fn requests_nobody_handles_expire_after_the_practice_period_and_it_is_recorded(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient = demo_patient(11);
        assert_eq!(ask(&app, &patient, &patient.family_name, "ben@mail.example").await.status().as_u16(), 303);
        let request = request_for(&app, "ben@mail.example").await;
        assert_eq!(request.expires_at.0 - request.first_requested_at.0, chrono::TimeDelta::days(90));
        app.clock.advance(chrono::TimeDelta::days(90) - chrono::TimeDelta::seconds(1));
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let (_, queue) = app.get_as("/admin/access-requests", Some(&staff)).await;
        assert!(queue.contains("Ben Brown"), "still open a second before");
        app.clock.advance(chrono::TimeDelta::seconds(1));
        let (_, queue) = app.get_as("/admin/access-requests", Some(&staff)).await;
        assert!(!queue.contains("Ben Brown"));
        let (_, expired) = app.get_as("/admin/access-requests?tab=expired", Some(&staff)).await;
        assert!(expired.contains("Ben Brown"));
        let row = app.store.access_request(demo_practice(&app).await, request.id).await.unwrap().unwrap();
        assert_eq!(row.status, "expired");
        let filter = storage::audit::AuditFilter { action: Some("access_request_expired".into()), limit: 50, ..Default::default() };
        let audit = app.store.audit_events(demo_practice(&app).await, &filter).await.unwrap();
        assert!(audit.iter().any(|a| a.object_id.as_deref() == Some(request.id.to_string().as_str())));
        let (status, _) = app.get_as("/admin/access-requests?tab=nonsense", Some(&staff)).await;
        assert_eq!(status, 422);
        app.stop().await;
    }
}

on_both_engines! {
    async fn the_admin_home_shows_how_many_requests_wait_and_the_demo_queue_has_each_kind(engine: Engine) {
        let app = spawn_app(engine).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let open = app.store.access_requests(demo_practice(&app).await, Queue::Open).await.unwrap();
        assert_eq!(open.len(), 6);
        assert!(open.iter().any(|r| r.patient_id.is_none()), "one not on the register");
        assert!(open.iter().any(|r| r.email_in_use), "one whose email has an account");
        assert!(open.iter().any(|r| r.times_requested == 2), "one asked twice");
        assert!(open.iter().any(|r| r.status == "in_progress"), "one taken on");
        let expired = app.store.access_requests(demo_practice(&app).await, Queue::Closed(domain::access_request::RequestStatus::Expired)).await.unwrap();
        assert_eq!(expired.len(), 1);
        let (_, home) = app.get_as("/admin", Some(&staff)).await;
        assert!(home.contains("Online access requests") && home.contains("6 waiting"), "a badge with the count");
        app.stop().await;
    }
}

on_both_engines! {
    async fn disabling_an_account_ends_its_sessions_and_emails_the_patient_and_re_enabling_restores_it(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient_session = app.sign_in(PATIENT.0, PATIENT.1).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let amara = app.store.login_by_email(PATIENT.0).await.unwrap().unwrap().patient_id.unwrap();
        let page = format!("/admin/patients/{amara}/online-account");
        let disable = |reason: &'static str| vec![("_action", "/api/admin/patients/online-account/disable".to_owned()),
            ("patient_id", amara.to_string()), ("reason", reason.to_owned())];
        let no_reason = post(&app, &page, &disable(""), &staff).await;
        assert_eq!(no_reason.status().as_u16(), 422);
        assert_eq!(app.get_as("/account", Some(&patient_session)).await.0, 200, "nothing changed");

        let disabled = post(&app, &page, &disable("Asked us to switch it off while abroad"), &staff).await;
        assert_eq!(disabled.status().as_u16(), 303, "{}", disabled.text().await.unwrap());
        assert_ne!(app.get_as("/account", Some(&patient_session)).await.0, 200, "signed out");
        let refused = app.post_form("/api/auth/sign-in", &[("email", PATIENT.0), ("password", PATIENT.1)], None).await;
        assert!(common::session_cookie(&refused).is_none(), "cannot sign in");
        let mail = mail_to(&app, PATIENT.0).await;
        assert!(mail[0].body.contains("switched off your online services account") && mail[0].body.contains("contact the practice"));
        assert!(!mail[0].body.contains("abroad"), "the reason stays with the practice");

        let enable = [("_action", "/api/admin/patients/online-account/enable".to_owned()), ("patient_id", amara.to_string())];
        assert_eq!(post(&app, &page, &enable, &staff).await.status().as_u16(), 303);
        let session = app.sign_in(PATIENT.0, PATIENT.1).await;
        assert_eq!(app.get_as("/account", Some(&session)).await.0, 200);
        // Switching on what is on is refused.
        assert_eq!(post(&app, &page, &enable, &staff).await.status().as_u16(), 409);
        app.stop().await;
    }
}

on_both_engines! {
    async fn too_many_requests_for_one_email_are_answered_alike_and_ignored(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient = demo_patient(11);
        for _ in 0..5 {
            let asked = ask(&app, &patient, &patient.family_name, "ben@mail.example").await;
            assert_eq!(location(&asked), "/register/sent");
        }
        assert_eq!(mail_to(&app, "ben@mail.example").await.len(), 3, "three an hour");
        assert_eq!(request_for(&app, "ben@mail.example").await.times_requested, 3);
        app.stop().await;
    }
}

on_both_engines! {
    async fn fifty_requests_at_once_from_one_address_make_at_most_ten(engine: Engine) {
        let app = spawn_app(engine).await;
        let before = app.store.access_requests(demo_practice(&app).await, Queue::Open).await.unwrap().len();
        let people = server::demo::demo_patients();
        let emails: Vec<String> = (0..50).map(|n| format!("person{n}@mail.example")).collect();
        let asks = people.iter().zip(&emails).map(|(person, email)| ask(&app, person, &person.family_name, email));
        let answers: Vec<u16> = futures::future::join_all(asks).await.iter().map(|r| r.status().as_u16()).collect();
        assert!(answers.iter().all(|s| *s < 400 || *s == 429), "{answers:?}");
        assert!(answers.contains(&429), "the address was told to slow down");
        let after = app.store.access_requests(demo_practice(&app).await, Queue::Open).await.unwrap().len();
        assert!((1..=10).contains(&(after - before)), "{} requests made", after - before);
        app.stop().await;
    }
}
