//! `server create-practice` and the set-up link it prints.

use crate::common;
use chrono::TimeDelta;
use common::{spawn_app_with, start_instant, Options};
use domain::{Email, OdsCode, PracticeName};
use server::commands::{create_practice_in, SETUP_LINK_VALID_FOR};

/// `server create-practice` for Moor Lane Surgery (A81001).
async fn create_moor_lane(app: &common::TestApp) -> Result<String, server::ServerError> {
    create_practice_in(
        &app.store,
        &app.base,
        OdsCode::parse("A81001").unwrap(),
        PracticeName::parse("Moor Lane Surgery").unwrap(),
        &Email::parse("manager@moorlane.example").unwrap(),
        "Morgan Manager",
        start_instant(),
    )
    .await
}

async fn new_practice_link(app: &common::TestApp) -> String {
    create_moor_lane(app).await.expect("practice created")
}

fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_owned()
}

async fn submit_password(app: &common::TestApp, token: &str, password: &str, confirm: &str) -> u16 {
    app.post_form(
        "/api/account/setup",
        &[("token", token), ("password", password), ("confirm_password", confirm)],
        None,
    )
    .await
    .status()
    .as_u16()
}

async fn admin_has_password(app: &common::TestApp) -> bool {
    let practice = app.store.practice_by_ods(&OdsCode::parse("A81001").unwrap()).await.unwrap().unwrap();
    let staff = app.store.staff_of_practice(domain::PracticeId(practice.id)).await.unwrap();
    assert_eq!(staff.len(), 1);
    assert_eq!(staff[0].role, "practice_admin");
    staff[0].has_password
}

on_both_engines! {
    async fn a_new_practice_admin_sets_a_password_once_through_the_link(engine: Engine) {
        let app = spawn_app_with(engine, Options::empty()).await;
        let link = new_practice_link(&app).await;
        assert!(link.starts_with(&format!("{}/setup/", app.base)));
        let token = token_of(&link);

        let (status, page) = app.get(&format!("/setup/{token}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Choose your password") && page.contains("Moor Lane Surgery"), "{page}");
        assert!(!admin_has_password(&app).await);

        let status = submit_password(&app, &token, "a long enough password", "a long enough password").await;
        assert!(status < 400, "set-up refused with {status}");
        assert!(admin_has_password(&app).await);

        let (_, again) = app.get(&format!("/setup/{token}")).await;
        assert!(again.contains("expired or has already been used"));
        let status = submit_password(&app, &token, "another long password", "another long password").await;
        assert_eq!(status, 409, "a used link must not set a password again");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_short_or_mismatched_password_is_refused_and_the_link_stays_usable(engine: Engine) {
        let app = spawn_app_with(engine, Options::empty()).await;
        let token = token_of(&new_practice_link(&app).await);
        assert_eq!(submit_password(&app, &token, "short", "short").await, 422);
        assert_eq!(submit_password(&app, &token, "a long enough password", "a different password").await, 422);
        assert!(!admin_has_password(&app).await);
        assert!(submit_password(&app, &token, "a long enough password", "a long enough password").await < 400);
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_set_up_link_stops_working_when_it_expires(engine: Engine) {
        let app = spawn_app_with(engine, Options::empty()).await;
        let token = token_of(&new_practice_link(&app).await);
        app.clock.advance(SETUP_LINK_VALID_FOR + TimeDelta::seconds(1));
        let (_, page) = app.get(&format!("/setup/{token}")).await;
        assert!(page.contains("expired or has already been used"));
        assert_eq!(submit_password(&app, &token, "a long enough password", "a long enough password").await, 409);
        assert!(!admin_has_password(&app).await);
        app.stop().await;
    }
}

on_both_engines! {
    async fn an_unknown_set_up_link_sets_nothing(engine: Engine) {
        let app = spawn_app_with(engine, Options::empty()).await;
        new_practice_link(&app).await;
        let forged = "0".repeat(64);
        assert_eq!(submit_password(&app, &forged, "a long enough password", "a long enough password").await, 409);
        assert!(!admin_has_password(&app).await);
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_second_practice_with_the_same_ods_code_or_admin_email_is_refused(engine: Engine) {
        let app = spawn_app_with(engine, Options::empty()).await;
        new_practice_link(&app).await;
        let same_code = create_practice_in(
            &app.store, &app.base,
            OdsCode::parse("A81001").unwrap(), PracticeName::parse("Other").unwrap(),
            &Email::parse("other@moorlane.example").unwrap(), "Other", start_instant(),
        ).await.unwrap_err();
        assert!(same_code.to_string().contains("exists already"), "{same_code}");
        let same_email = create_practice_in(
            &app.store, &app.base,
            OdsCode::parse("A81002").unwrap(), PracticeName::parse("Other").unwrap(),
            &Email::parse("MANAGER@moorlane.example").unwrap(), "Other", start_instant(),
        ).await.unwrap_err();
        assert!(same_email.to_string().contains("already has a login"), "{same_email}");
        assert_eq!(app.store.count_practices(false).await.unwrap(), 1, "nothing half-written");
        app.stop().await;
    }
}

on_both_engines! {
    async fn creating_a_real_practice_in_the_demo_database_is_refused_and_adds_nothing(engine: Engine) {
        let app = spawn_app_with(engine, Options::default()).await;
        let refused = create_moor_lane(&app).await.expect_err("refused");
        assert!(refused.to_string().contains("demo practice"), "{refused}");
        assert!(app.store.practice_by_ods(&OdsCode::parse("A81001").unwrap()).await.unwrap().is_none());
        assert!(app.store.login_by_email("manager@moorlane.example").await.unwrap().is_none());
        app.stop().await;
    }
}

on_both_engines! {
    async fn an_operator_invites_a_practice_admin_to_the_demo_practice_and_they_set_a_password_through_the_link(engine: Engine) {
        let app = spawn_app_with(engine, Options::default()).await;
        let email = Email::parse("new.manager@riverside.example").unwrap();
        let ods = OdsCode::parse("Y12345").unwrap();
        let role = domain::StaffRole::PracticeAdmin;
        let link = server::commands::invite_staff_in(&app.store, &app.base, &ods, &email, "Nora Manager", role).await.unwrap();
        let token = token_of(&link);
        let (status, page) = app.get(&format!("/setup/{token}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Riverside Medical Practice"));
        assert!(submit_password(&app, &token, "a long enough password", "a long enough password").await < 400);
        let again = server::commands::invite_staff_in(&app.store, &app.base, &ods, &email, "Nora Again", role).await;
        assert!(again.unwrap_err().to_string().contains("already has a login"));
        let elsewhere = OdsCode::parse("Y99999").unwrap();
        let other = Email::parse("someone@riverside.example").unwrap();
        let missing = server::commands::invite_staff_in(&app.store, &app.base, &elsewhere, &other, "Someone", role).await;
        assert!(missing.unwrap_err().to_string().contains("no practice Y99999"));
        app.stop().await;
    }
}
