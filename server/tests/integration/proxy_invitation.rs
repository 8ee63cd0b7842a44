//! Someone with no account is given access: a sign-in is made for them with
//! no patient of its own, the email carries a link to choose its password,
//! and signing in they act for the person at once. Once every access has
//! ended, the sign-in opens nothing and says why.

use crate::common;
use crate::proxies::{add_child, form};
use common::{demo_practice, spawn_app, TestApp, RECEPTIONIST};

const SAM: &str = "sam.taylor@example.com";

/// The emails to Sam.
async fn mail_to_sam(app: &TestApp) -> Vec<storage::outbox::OutboxRow> {
    let all = app.store.outbox_of_practice(demo_practice(app).await, 500).await.unwrap();
    all.into_iter().filter(|mail| mail.to_address == SAM).collect()
}

async fn sign_in_status(app: &TestApp, password: &str) -> (u16, String) {
    let response = app.post_form("/api/auth/sign-in", &[("email", SAM), ("password", password)], None).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

/// A child under 11, and the receptionist setting up Sam's access to them
/// (Sam has no account): the child's id and the receptionist's session.
async fn sam_given_access(app: &TestApp) -> (String, String) {
    let child = add_child(app, chrono::NaiveDate::from_ymd_opt(2020, 5, 1).unwrap()).await;
    let id = child.0.to_string();
    let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
    let grant = form(&id, &[("proxy_email", SAM), ("proxy_name", "Sam Taylor")]);
    assert_eq!(app.post_form("/api/admin/patients/proxies/add", &grant, Some(&staff)).await.status().as_u16(), 200);
    (id, staff)
}

on_both_engines! {
    async fn someone_with_no_account_chooses_a_password_from_the_invitation_and_acts_for_the_child_at_once(engine: Engine) {
        let app = spawn_app(engine).await;
        let (id, staff) = sam_given_access(&app).await;

        let login = app.store.login_by_email(SAM).await.unwrap().expect("a sign-in made for Sam");
        assert_eq!((login.patient_id, login.staff_role.as_deref(), login.password_hash.is_some()), (None, None, false));
        let told = mail_to_sam(&app).await;
        assert_eq!(told.len(), 1);
        assert_eq!(told[0].subject, "You can now act for Maisie Parent online");
        let link = told[0].body.split_whitespace().find(|word| word.contains("/setup/")).expect("a set-up link");
        let token = link.rsplit('/').next().unwrap();
        let (_, page) = app.get_as(&format!("/admin/patients/{id}"), Some(&staff)).await;
        assert!(page.contains("They have not set up their sign-in yet"), "{page}");
        assert_eq!(sign_in_status(&app, "a password never chosen").await.0, 422, "no password yet");

        let fields = [("token", token), ("password", "sam's long password"), ("confirm_password", "sam's long password")];
        assert!(app.post_form("/api/account/setup", &fields, None).await.status().as_u16() < 400);
        let sam = app.sign_in(SAM, "sam's long password").await;
        let (status, home) = app.get_as("/home", Some(&sam)).await;
        assert_eq!(status, 200);
        assert!(home.contains("Acting for <strong>Maisie Parent</strong>"), "{home}");
        assert_eq!(app.get_as("/appointments", Some(&sam)).await.0, 200);
        let (_, people) = app.get_as("/people", Some(&sam)).await;
        assert!(people.contains("Maisie Parent") && !people.contains("You ("), "no self to switch to: {people}");
        let to_self = app.post_form("/api/people/act-for", &[("patient_id", "0")], Some(&sam)).await;
        assert_eq!(to_self.status().as_u16(), 404);
        let (_, page) = app.get_as(&format!("/admin/patients/{id}"), Some(&staff)).await;
        assert!(!page.contains("They have not set up their sign-in yet"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn once_every_access_has_ended_a_proxys_own_sign_in_opens_nothing_and_says_why(engine: Engine) {
        let app = spawn_app(engine).await;
        let (id, staff) = sam_given_access(&app).await;
        let login = domain::LoginId(app.store.login_by_email(SAM).await.unwrap().unwrap().id);
        let hash = app::server::secrets::hash_password("sam's long password".into()).await.unwrap();
        let audit = storage::audit::NewAudit::by_the_system(demo_practice(&app).await, "password_set", "test", common::start_instant());
        let mail = storage::outbox::NewMail::new(demo_practice(&app).await, SAM, domain::mail::Mail { subject: "test".into(), body: "test".into() });
        app.store.change_password(login, &hash, None, &audit, &mail, common::start_instant()).await.unwrap();
        let sam = app.sign_in(SAM, "sam's long password").await;

        let grant_id = app.store.proxy_grants_of_login(login).await.unwrap()[0].id.to_string();
        let end = [("patient_id", id.as_str()), ("grant_id", grant_id.as_str()), ("change", "end"), ("reason", "")];
        assert_eq!(app.post_form("/api/admin/patients/proxies/change", &end, Some(&staff)).await.status().as_u16(), 200);
        let (status, page) = app.get_as("/appointments", Some(&sam)).await;
        assert_eq!(status, 403, "the session open when it ended: {page}");
        let (status, body) = sign_in_status(&app, "sam's long password").await;
        assert_eq!(status, 403);
        assert!(body.contains("You no longer have access to act for anyone"), "{body}");
        assert_eq!(sign_in_status(&app, "a wrong password").await.0, 422, "a wrong password is still only wrong");
        app.stop().await;
    }
}
