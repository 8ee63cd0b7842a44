//! Signing in and out, and how long a session lasts.

use crate::common;
use chrono::TimeDelta;
use common::{session_cookie, spawn_app, CLINICIAN, PATIENT, PRACTICE_ADMIN, RECEPTIONIST};

on_both_engines! {
    async fn the_demo_patient_signs_in_reaches_their_account_and_signs_out(engine: Engine) {
        let app = spawn_app(engine).await;
        let response = app.post_form("/api/auth/sign-in", &[("email", PATIENT.0), ("password", PATIENT.1)], None).await;
        assert_eq!(response.headers().get("location").unwrap(), "/home");
        let session = session_cookie(&response).expect("cookie");

        let (status, page) = app.get_as("/account", Some(&session)).await;
        assert_eq!(status, 200);
        assert!(page.contains("Amara Ahmed") && page.contains(PATIENT.0));

        let out = app.post_form("/api/auth/sign-out", &[], Some(&session)).await;
        assert!(out.status().as_u16() < 400);
        let cleared = out.headers().get("set-cookie").unwrap().to_str().unwrap();
        assert!(cleared.starts_with("gp_session=;") && cleared.contains("Max-Age=0"));

        let (status, _) = app.get_as("/account", Some(&session)).await;
        assert_eq!(status, 401, "a signed-out session's old cookie is refused");
        app.stop().await;
    }
}

on_both_engines! {
    async fn staff_land_in_the_admin_area_and_patients_are_kept_out_of_it(engine: Engine) {
        let app = spawn_app(engine).await;
        for staff in [RECEPTIONIST, CLINICIAN, PRACTICE_ADMIN] {
            let response = app.post_form("/api/auth/sign-in", &[("email", staff.0), ("password", staff.1)], None).await;
            assert_eq!(response.headers().get("location").unwrap(), "/sign-in/two-factor");
            let session = app.sign_in(staff.0, staff.1).await;
            let (status, page) = app.get_as("/admin", Some(&session)).await;
            assert_eq!(status, 200, "{} reaches /admin", staff.0);
            assert!(page.contains("Practice admin"));
        }
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let (status, page) = app.get_as("/admin", Some(&patient)).await;
        assert_eq!(status, 403);
        assert!(!page.contains(RECEPTIONIST.0), "no staff details leak to a patient");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_wrong_password_and_an_unknown_email_get_the_same_answer(engine: Engine) {
        let app = spawn_app(engine).await;
        let wrong = app.post_form("/api/auth/sign-in", &[("email", PATIENT.0), ("password", "not the password")], None).await;
        let unknown = app.post_form("/api/auth/sign-in", &[("email", "nobody@nowhere.example"), ("password", "not the password")], None).await;
        assert_eq!(wrong.status().as_u16(), 422);
        assert_eq!(unknown.status().as_u16(), 422);
        assert!(session_cookie(&wrong).is_none() && session_cookie(&unknown).is_none());
        assert_eq!(wrong.text().await.unwrap(), unknown.text().await.unwrap());
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_sign_in_with_missing_details_names_each_missing_field(engine: Engine) {
        let app = spawn_app(engine).await;
        let response = app.post_form("/api/auth/sign-in", &[("email", " "), ("password", "")], None).await;
        assert_eq!(response.status().as_u16(), 422);
        let body = response.text().await.unwrap();
        assert!(body.contains("Enter your email address") && body.contains("Enter your password"), "{body}");
        app.stop().await;
    }
}

on_both_engines! {
    async fn an_idle_patient_session_lapses_after_30_minutes_and_a_staff_one_after_15(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        app.clock.advance(TimeDelta::minutes(14));
        assert_eq!(app.get_as("/account", Some(&patient)).await.0, 200);
        assert_eq!(app.get_as("/admin", Some(&staff)).await.0, 200);
        app.clock.advance(TimeDelta::minutes(15));
        assert_eq!(app.get_as("/admin", Some(&staff)).await.0, 401, "15 idle minutes end a staff session");
        assert_eq!(app.get_as("/account", Some(&patient)).await.0, 200, "29 minutes after the patient's last request");
        app.clock.advance(TimeDelta::minutes(30));
        assert_eq!(app.get_as("/account", Some(&patient)).await.0, 401, "30 idle minutes end a patient session");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_session_ends_twelve_hours_after_sign_in_however_busy(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        for _ in 0..71 {
            app.clock.advance(TimeDelta::minutes(10));
            assert_eq!(app.get_as("/account", Some(&patient)).await.0, 200);
        }
        app.clock.advance(TimeDelta::minutes(10));
        assert_eq!(app.get_as("/account", Some(&patient)).await.0, 401);
        app.stop().await;
    }
}

on_both_engines! {
    async fn signing_in_again_replaces_the_session_the_browser_had(engine: Engine) {
        let app = spawn_app(engine).await;
        let first = app.sign_in(PATIENT.0, PATIENT.1).await;
        let response = app.post_form("/api/auth/sign-in", &[("email", PATIENT.0), ("password", PATIENT.1)], Some(&first)).await;
        let second = session_cookie(&response).unwrap();
        assert_ne!(first, second);
        assert_eq!(app.get_as("/account", Some(&first)).await.0, 401);
        assert_eq!(app.get_as("/account", Some(&second)).await.0, 200);
        app.stop().await;
    }
}

on_both_engines! {
    async fn the_session_cookie_is_http_only_and_same_site_lax(engine: Engine) {
        let app = spawn_app(engine).await;
        let response = app.post_form("/api/auth/sign-in", &[("email", PATIENT.0), ("password", PATIENT.1)], None).await;
        let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
        let token = cookie.split(';').next().unwrap().trim_start_matches("gp_session=");
        assert_eq!(token.len(), 64, "256 random bits");
        assert!(!cookie.contains("Secure"), "plain http on localhost");
        app.stop().await;
    }
}

on_both_engines! {
    async fn signing_out_everywhere_ends_every_session_of_the_login(engine: Engine) {
        let app = spawn_app(engine).await;
        let phone = app.sign_in(PATIENT.0, PATIENT.1).await;
        let laptop = app.sign_in(PATIENT.0, PATIENT.1).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        assert!(app.post_form("/api/auth/sign-out-everywhere", &[], Some(&phone)).await.status().as_u16() < 400);
        assert_eq!(app.get_as("/account", Some(&phone)).await.0, 401);
        assert_eq!(app.get_as("/account", Some(&laptop)).await.0, 401);
        assert_eq!(app.get_as("/admin", Some(&staff)).await.0, 200, "other people's sessions stay");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_practice_admin_ends_a_patients_session_and_a_receptionist_cannot(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let receptionist = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let practice = app.store.practice_by_ods(&domain::OdsCode::parse("Y12345").unwrap()).await.unwrap().unwrap();
        let sessions = app.store.sessions_of_practice(domain::PracticeId(practice.id)).await.unwrap();
        let target = sessions.iter().find(|s| s.email == PATIENT.0).unwrap().id.to_string();

        let refused = app.post_form("/api/admin/sessions/end", &[("session_id", &target)], Some(&receptionist)).await;
        assert_eq!(refused.status().as_u16(), 403);
        assert_eq!(app.get_as("/account", Some(&patient)).await.0, 200);

        let (status, page) = app.get_as("/admin/sessions", Some(&admin)).await;
        assert_eq!(status, 200);
        assert!(page.contains(PATIENT.0));
        let ended = app.post_form("/api/admin/sessions/end", &[("session_id", &target)], Some(&admin)).await;
        assert!(ended.status().as_u16() < 400);
        assert_eq!(app.get_as("/account", Some(&patient)).await.0, 401);
        app.stop().await;
    }
}

on_both_engines! {
    async fn changing_the_password_ends_other_sessions_and_emails_the_owner(engine: Engine) {
        let app = spawn_app(engine).await;
        let here = app.sign_in(PATIENT.0, PATIENT.1).await;
        let elsewhere = app.sign_in(PATIENT.0, PATIENT.1).await;
        let wrong = app
            .post_form("/api/account/password", &[("current_password", "wrong one!"), ("new_password", "a brand new password"), ("confirm_password", "a brand new password")], Some(&here))
            .await;
        assert_eq!(wrong.status().as_u16(), 422);
        let changed = app
            .post_form("/api/account/password", &[("current_password", PATIENT.1), ("new_password", "a brand new password"), ("confirm_password", "a brand new password")], Some(&here))
            .await;
        assert!(changed.status().as_u16() < 400, "{}", changed.status());
        assert_eq!(app.get_as("/account", Some(&here)).await.0, 200);
        assert_eq!(app.get_as("/account", Some(&elsewhere)).await.0, 401);
        app.sign_in(PATIENT.0, "a brand new password").await;

        let practice = app.store.practice_by_ods(&domain::OdsCode::parse("Y12345").unwrap()).await.unwrap().unwrap();
        let mail = app.store.outbox_of_practice(domain::PracticeId(practice.id), 10).await.unwrap();
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].to_address, PATIENT.0);
        assert!(mail[0].subject.contains("password was changed"));
        assert!(!mail[0].body.contains("a brand new password"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_refused_server_function_keeps_its_status_when_the_browser_accepts_compression(engine: Engine) {
        let app = spawn_app(engine).await;
        let long_wrong_password = "not the password ".repeat(8);
        let response = app
            .client()
            .post(app.url("/api/auth/sign-in"))
            .header("origin", &app.base)
            .header("accept-encoding", "br, gzip")
            .form(&[("email", PATIENT.0), ("password", long_wrong_password.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 422, "not a 500 because the error body was compressed");
        app.stop().await;
    }
}
