//! Lock-out after failed sign-ins, password reset by email, and the staff
//! sign-in's second step.

use crate::common;
use chrono::TimeDelta;
use common::{cookie, demo_practice, session_cookie, spawn_app, Options, PATIENT, PRACTICE_ADMIN, RECEPTIONIST};

async fn try_sign_in(app: &common::TestApp, email: &str, password: &str) -> (u16, String) {
    let response = app.post_form("/api/auth/sign-in", &[("email", email), ("password", password)], None).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// The link in the newest email to `to` that contains `path`.
async fn link_in_mail(app: &common::TestApp, to: &str, path: &str) -> String {
    let mail = app.store.outbox_of_practice(demo_practice(app).await, 50).await.unwrap();
    let body =
        mail.into_iter().find(|m| m.to_address == to && m.body.contains(path)).expect("an email with the link").body;
    let start = body.find(path).unwrap();
    body[start..].split_whitespace().next().unwrap().to_owned()
}

on_both_engines! {
    async fn the_sixth_attempt_is_refused_even_with_the_right_password_across_a_restart_until_the_lock_ends(engine: Engine) {
        let app = spawn_app(engine).await;
        for attempt in 1..=4 {
            let (status, body) = try_sign_in(&app, PATIENT.0, "not the password").await;
            assert_eq!(status, 422, "attempt {attempt} is just wrong");
            assert!(body.contains("Enter a correct email address and password"));
        }
        let (status, body) = try_sign_in(&app, PATIENT.0, "not the password").await;
        assert_eq!(status, 429, "the fifth failure locks");
        assert!(body.contains("locked for 15 minutes") && body.contains("Try again after 9:"), "{body}");

        let (status, body) = try_sign_in(&app, PATIENT.0, PATIENT.1).await;
        assert_eq!(status, 429, "the right password is refused while locked");
        assert!(body.contains("locked"));

        let app = app.restart(Options::default()).await;
        let (status, _) = try_sign_in(&app, PATIENT.0, PATIENT.1).await;
        assert_eq!(status, 429, "the lock-out is in the database, not in the process");

        app.clock.advance(TimeDelta::minutes(15));
        let (status, _) = try_sign_in(&app, PATIENT.0, PATIENT.1).await;
        assert!(status < 400, "the lock has ended: {status}");

        let practice = demo_practice(&app).await;
        let lockouts = app.store.lockouts_of_practice(practice, 10).await.unwrap();
        assert_eq!(lockouts.len(), 1);
        assert_eq!(lockouts[0].email.as_deref(), Some(PATIENT.0));
        let events = app.store.audit_events(practice, &storage::audit::AuditFilter { action: Some("sign_in_locked".into()), limit: 10, ..Default::default() }).await.unwrap();
        assert_eq!(events.len(), 1, "the lock-out is audited");
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let (status, page) = app.get_as("/admin/lockouts", Some(&admin)).await;
        assert_eq!(status, 200);
        assert!(page.contains(PATIENT.0), "practice admins see the lock-out");
        app.stop().await;
    }
}

on_both_engines! {
    async fn an_email_without_a_login_locks_alike_so_the_answer_reveals_nothing(engine: Engine) {
        let app = spawn_app(engine).await;
        let mut answers = Vec::new();
        for email in [PATIENT.0, "nobody@nowhere.example"] {
            for _ in 0..4 {
                try_sign_in(&app, email, "not the password").await;
            }
            answers.push(try_sign_in(&app, email, "not the password").await);
        }
        assert_eq!(answers[0].0, 429);
        assert_eq!(answers[0], answers[1]);
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_reset_link_works_once_ends_every_session_and_not_after_an_hour(engine: Engine) {
        let app = spawn_app(engine).await;
        let old_session = app.sign_in(PATIENT.0, PATIENT.1).await;

        let asked = app.post_form("/api/account/forgot-password", &[("email", PATIENT.0)], None).await;
        assert_eq!(asked.headers().get("location").unwrap(), "/forgot-password/sent");
        let link = link_in_mail(&app, PATIENT.0, "/reset-password/").await;
        let token = link.rsplit('/').next().unwrap().to_owned();
        let path = format!("/reset-password/{token}");
        let (status, page) = app.get(&path).await;
        assert_eq!(status, 200);
        assert!(page.contains("Choose a new password"));

        // A common password is refused, and changes nothing.
        let common = app.post_form(&path, &[("token", &token), ("password", "password1234"), ("confirm_password", "password1234")], None).await;
        assert_eq!(common.status().as_u16(), 422);
        assert!(common.text().await.unwrap().contains("most commonly used"));

        let new_password = "a brand new passphrase";
        let reset = app.post_form(&path, &[("token", &token), ("password", new_password), ("confirm_password", new_password)], None).await;
        assert_eq!(reset.status().as_u16(), 303);
        assert_eq!(reset.headers().get("location").unwrap(), "/setup-complete");
        let (status, _) = app.get_as("/account", Some(&old_session)).await;
        assert_eq!(status, 401, "the reset ended the sessions signed in before it");
        app.sign_in(PATIENT.0, new_password).await;

        let again = app.post_form(&path, &[("token", &token), ("password", "another long phrase"), ("confirm_password", "another long phrase")], None).await;
        assert_eq!(again.status().as_u16(), 409, "the link works once");
        let (status, _) = try_sign_in(&app, PATIENT.0, "another long phrase").await;
        assert_eq!(status, 422);

        app.clock.advance(TimeDelta::minutes(10));
        app.post_form("/api/account/forgot-password", &[("email", PATIENT.0)], None).await;
        let late = link_in_mail(&app, PATIENT.0, "/reset-password/").await;
        let late_token = late.rsplit('/').next().unwrap().to_owned();
        assert_ne!(late_token, token);
        app.clock.advance(TimeDelta::minutes(61));
        let late_path = format!("/reset-password/{late_token}");
        let (status, page) = app.get(&late_path).await;
        assert_eq!(status, 409);
        assert!(page.contains("expired or has already been used"));
        let expired = app.post_form(&late_path, &[("token", &late_token), ("password", "too late a phrase"), ("confirm_password", "too late a phrase")], None).await;
        assert_eq!(expired.status().as_u16(), 409, "not after an hour");
        app.stop().await;
    }
}

on_both_engines! {
    async fn asking_for_a_reset_answers_alike_whether_or_not_the_email_has_a_login(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let before = app.store.outbox_of_practice(practice, 100).await.unwrap().len();
        let known = app.post_form("/forgot-password", &[("email", PATIENT.0)], None).await;
        let unknown = app.post_form("/forgot-password", &[("email", "nobody@nowhere.example")], None).await;
        assert_eq!(known.status(), unknown.status());
        assert_eq!(known.headers().get("location"), unknown.headers().get("location"));
        assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
        let after = app.store.outbox_of_practice(practice, 100).await.unwrap().len();
        assert_eq!(after, before + 1, "only the email with a login gets a link");

        // A fourth request within the hour sends nothing more, and says nothing different.
        for _ in 0..3 {
            let again = app.post_form("/forgot-password", &[("email", PATIENT.0)], None).await;
            assert_eq!(again.headers().get("location").unwrap(), "/forgot-password/sent");
        }
        assert_eq!(app.store.outbox_of_practice(practice, 100).await.unwrap().len(), before + 3);
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_staff_sign_in_without_the_second_step_reaches_nothing_in_admin(engine: Engine) {
        let app = spawn_app(engine).await;
        let pending = app.sign_in_password_only(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        for path in ["/admin", "/admin/audit", "/admin/staff", "/account"] {
            let (status, page) = app.get_as(path, Some(&pending)).await;
            assert_eq!(status, 401, "{path} with only a password");
            assert!(!page.contains(RECEPTIONIST.0));
        }
        let call = app.post_form("/api/admin/overview", &[], Some(&pending)).await;
        assert_eq!(call.status().as_u16(), 401);

        let wrong = app.post_form("/api/auth/two-factor", &[("code", "000000")], Some(&pending)).await;
        assert_eq!(wrong.status().as_u16(), 422);
        assert!(session_cookie(&wrong).is_none());

        let code = app.fresh_totp_code(PRACTICE_ADMIN.0);
        let right = app.post_form("/api/auth/two-factor", &[("code", &code)], Some(&pending)).await;
        assert_eq!(right.headers().get("location").unwrap(), "/admin");
        let session = session_cookie(&right).expect("a session after the second step");
        let (status, _) = app.get_as("/admin", Some(&session)).await;
        assert_eq!(status, 200);

        // The same code does not work twice, nor the pending sign-in.
        let pending = app.sign_in_password_only(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let replay = app.post_form("/api/auth/two-factor", &[("code", &code)], Some(&pending)).await;
        assert_eq!(replay.status().as_u16(), 422, "a code works once");
        app.stop().await;
    }
}

on_both_engines! {
    async fn wrong_second_step_codes_lock_the_login_like_wrong_passwords(engine: Engine) {
        let app = spawn_app(engine).await;
        let pending = app.sign_in_password_only(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let mut last = 0;
        for _ in 0..5 {
            last = app.post_form("/api/auth/two-factor", &[("code", "not-a-code")], Some(&pending)).await.status().as_u16();
        }
        assert_eq!(last, 429);
        let code = app.fresh_totp_code(RECEPTIONIST.0);
        let locked = app.post_form("/api/auth/two-factor", &[("code", &code)], Some(&pending)).await;
        assert_eq!(locked.status().as_u16(), 429, "the right code is refused while locked");
        app.stop().await;
    }
}

on_both_engines! {
    async fn an_invited_member_of_staff_sets_a_password_enrols_an_app_and_uses_a_recovery_code_once(engine: Engine) {
        let app = spawn_app(engine).await;
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let email = "new.nurse@riverside.example";
        let invited = app.post_form("/admin/staff/invite", &[("name", "Nina Nurse"), ("email", email), ("role", "clinician")], Some(&admin)).await;
        assert_eq!(invited.status().as_u16(), 303);
        let member_page = invited.headers().get("location").unwrap().to_str().unwrap().to_owned();
        assert!(member_page.starts_with("/admin/staff/"));

        let again = app.post_form("/admin/staff/invite", &[("name", "Nina Again"), ("email", email), ("role", "clinician")], Some(&admin)).await;
        assert_eq!(again.status().as_u16(), 422);
        assert!(again.text().await.unwrap().contains("already has an account"));

        let link = link_in_mail(&app, email, "/setup/").await;
        let token = link.rsplit('/').next().unwrap().to_owned();
        let password = "nurses need long passwords";
        let set = app.post_form(&format!("/setup/{token}"), &[("token", &token), ("password", password), ("confirm_password", password)], None).await;
        assert_eq!(set.status().as_u16(), 303);

        let first = app.post_form("/api/auth/sign-in", &[("email", email), ("password", password)], None).await;
        assert_eq!(first.headers().get("location").unwrap(), "/sign-in/set-up-two-factor");
        let pending = cookie(&first, "gp_pending").unwrap();
        let (status, page) = app.get_as("/sign-in/set-up-two-factor", Some(&pending)).await;
        assert_eq!(status, 200);
        assert!(page.contains("<svg"), "the QR code is drawn in the page");
        let secret_text = page.split("class=\"gp-secret\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
        let secret = domain::totp::TotpSecret::from_base32(&secret_text).expect("the key shown is the secret");
        let (_, again_page) = app.get_as("/sign-in/set-up-two-factor", Some(&pending)).await;
        assert!(again_page.contains(&secret_text), "the same secret until it is confirmed");
        let plain = secret_text.replace(' ', "");
        let stored = app.store.stored_totp_secrets().await.unwrap();
        assert!(stored.iter().all(|(_, s)| s.starts_with("enc1:") && !s.contains(&plain)), "offered secrets are kept encrypted");

        let step = domain::totp::step_of(app::server::Clock::now(&*app.clock).timestamp());
        let enrolled = app.post_form("/sign-in/set-up-two-factor", &[("code", &secret.code_at_step(step))], Some(&pending)).await;
        assert_eq!(enrolled.status().as_u16(), 200, "the page answers in place with the recovery codes");
        let session = session_cookie(&enrolled).expect("signed in after enrolling");
        let page = enrolled.text().await.unwrap();
        assert!(page.contains("Save your recovery codes"));
        let codes: Vec<String> = page.split("<li><code>").skip(1).map(|s| s.split('<').next().unwrap().to_owned()).collect();
        assert_eq!(codes.len(), 10);
        let (status, _) = app.get_as("/admin", Some(&session)).await;
        assert_eq!(status, 200);
        let hashes = app.store.unused_recovery_code_hashes().await.unwrap();
        assert_eq!(hashes.len(), 10);
        let unkeyed = app::server::secrets::token_hash(&format!("recovery:{}", codes[0].replace('-', "")));
        assert!(hashes.iter().all(|h| h.starts_with("hmac1:") && *h != unkeyed), "recovery codes are keyed hashes");

        // A recovery code signs in once.
        for (expected, what) in [(303, "first use"), (422, "second use")] {
            let pending = app.sign_in_password_only(email, password).await;
            let used = app.post_form("/sign-in/two-factor", &[("code", &codes[3].to_uppercase())], Some(&pending)).await;
            assert_eq!(used.status().as_u16(), expected, "{what}");
        }
        app.stop().await;
    }
}

on_both_engines! {
    async fn admins_change_role_disable_enable_and_reset_two_factor_all_audited(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let reception_session = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let reception = app.store.login_by_email(RECEPTIONIST.0).await.unwrap().unwrap().id.to_string();
        let page = format!("/admin/staff/{reception}");
        let change = |change: &'static str, role: &'static str| {
            let fields = [("login_id", reception.clone()), ("change", change.to_owned()), ("role", role.to_owned())];
            let (app, admin, page) = (&app, admin.clone(), page.clone());
            async move {
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.post_form(&page, &fields, Some(&admin)).await.status().as_u16()
            }
        };

        assert_eq!(change("role", "clinician").await, 303);
        assert_eq!(app.store.staff_member(practice, domain::LoginId(reception.parse().unwrap())).await.unwrap().unwrap().role, "clinician");
        assert_eq!(change("disable", "").await, 303);
        let (status, _) = app.get_as("/admin", Some(&reception_session)).await;
        assert_eq!(status, 401, "disabling ends their sessions");
        let (status, _) = try_sign_in(&app, RECEPTIONIST.0, RECEPTIONIST.1).await;
        assert_eq!(status, 422, "a disabled login cannot sign in");
        assert_eq!(change("enable", "").await, 303);
        assert_eq!(change("reset_two_factor", "").await, 303);
        let again = app.post_form("/api/auth/sign-in", &[("email", RECEPTIONIST.0), ("password", RECEPTIONIST.1)], None).await;
        assert_eq!(again.headers().get("location").unwrap(), "/sign-in/set-up-two-factor", "they enrol again");

        let events = app.store.audit_events(practice, &storage::audit::AuditFilter { limit: 100, ..Default::default() }).await.unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        for action in ["staff_role_changed", "staff_disabled", "staff_enabled", "staff_two_factor_reset"] {
            assert!(actions.contains(&action), "{action} is audited");
        }
        let role_change = events.iter().find(|e| e.action == "staff_role_changed").unwrap();
        assert_eq!(role_change.detail.as_deref(), Some("role receptionist -> clinician"));

        // Nobody changes their own account here, and the practice keeps an admin.
        let own = app.store.login_by_email(PRACTICE_ADMIN.0).await.unwrap().unwrap().id.to_string();
        let self_change = app.post_form(&format!("/admin/staff/{own}"), &[("login_id", own.as_str()), ("change", "disable")], Some(&admin)).await;
        assert_eq!(self_change.status().as_u16(), 409);
        app.stop().await;
    }
}

on_both_engines! {
    async fn many_guesses_at_once_get_no_more_than_five_checked(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let mut guesses = Vec::new();
        for n in 0..12 {
            let (client, url, origin) = (app.client(), app.url("/api/auth/sign-in"), app.base.clone());
            guesses.push(tokio::spawn(async move {
                let password = format!("guess number {n}");
                let form = [("email", PATIENT.0), ("password", password.as_str())];
                client.post(url).header("origin", origin).form(&form).send().await.unwrap().status().as_u16()
            }));
        }
        let mut statuses = Vec::new();
        for guess in guesses {
            statuses.push(guess.await.unwrap());
        }
        assert!(statuses.iter().all(|s| *s == 422 || *s == 429), "{statuses:?}");
        assert!(statuses.iter().filter(|s| **s == 429).count() >= 7, "at most five are checked: {statuses:?}");
        let checked = app.store.audit_events(practice, &storage::audit::AuditFilter {
            action: Some("sign_in_failed".into()), limit: 100, ..Default::default()
        }).await.unwrap();
        assert!(checked.len() <= 5, "{} passwords were checked", checked.len());
        let (status, _) = try_sign_in(&app, PATIENT.0, PATIENT.1).await;
        assert_eq!(status, 429, "and the email is locked");
        app.stop().await;
    }
}

on_both_engines! {
    async fn fifty_reset_requests_at_once_for_one_email_send_at_most_three_emails(engine: Engine) {
        let app = spawn_app(engine).await;
        let asks = (0..50).map(|_| app.post_form("/api/account/forgot-password", &[("email", PATIENT.0)], None));
        let answers: Vec<u16> = futures::future::join_all(asks).await.iter().map(|r| r.status().as_u16()).collect();
        assert!(answers.iter().all(|s| *s < 400 || *s == 429), "{answers:?}");
        let mail = app.store.outbox_of_practice(demo_practice(&app).await, 200).await.unwrap();
        let resets = mail.iter().filter(|m| m.to_address == PATIENT.0 && m.body.contains("/reset-password/")).count();
        assert!((1..=3).contains(&resets), "{resets} reset emails");
        app.stop().await;
    }
}

/// Asks to change the password, giving `current` as the current one.
async fn change_password(app: &common::TestApp, session: &str, current: &str) -> u16 {
    let form = [
        ("current_password", current),
        ("new_password", "a brand new password"),
        ("confirm_password", "a brand new password"),
    ];
    app.post_form("/api/account/password", &form, Some(session)).await.status().as_u16()
}

on_both_engines! {
    async fn guessing_the_current_password_when_changing_it_locks_like_signing_in(engine: Engine) {
        let app = spawn_app(engine).await;
        let session = app.sign_in(PATIENT.0, PATIENT.1).await;
        for guess in 1..=4 {
            assert_eq!(change_password(&app, &session, "not the password").await, 422, "guess {guess} is just wrong");
        }
        assert_eq!(change_password(&app, &session, "not the password").await, 429, "the fifth wrong guess locks");
        assert_eq!(change_password(&app, &session, PATIENT.1).await, 429, "the right password is refused while locked");
        let (status, _) = try_sign_in(&app, PATIENT.0, PATIENT.1).await;
        assert_eq!(status, 429, "signing in with the email is locked too");
        let login = app.store.login_by_email(PATIENT.0).await.unwrap().unwrap();
        let still = app::server::secrets::verify_password(PATIENT.1.into(), login.password_hash.unwrap()).await.unwrap();
        assert!(still, "the password did not change");
        app.stop().await;
    }
}

on_both_engines! {
    async fn an_authenticator_secret_kept_in_plain_text_is_encrypted_at_the_next_start_and_still_works(engine: Engine) {
        use storage::two_factor::SecretPlace;
        let app = spawn_app(engine).await;
        let stored = app.store.stored_totp_secrets().await.unwrap();
        assert!(!stored.is_empty());
        assert!(
            stored.iter().all(|(_, s)| s.starts_with("enc1:") && !s.contains(server::demo::DEMO_TOTP_SECRET)),
            "the demo staff's secret is encrypted at rest"
        );
        let login = app.store.login_by_email(RECEPTIONIST.0).await.unwrap().unwrap().id;
        let (_, sealed) = stored.iter().find(|(place, _)| *place == SecretPlace::Login(login)).unwrap().clone();
        let plain = (SecretPlace::Login(login), sealed, server::demo::DEMO_TOTP_SECRET.to_owned());
        assert_eq!(app.store.replace_totp_secrets(&[plain]).await.unwrap(), 1, "as an earlier version stored it");

        let app = app.restart(Options::default()).await;
        let again = app.store.stored_totp_secrets().await.unwrap();
        let (_, now) = again.iter().find(|(place, _)| *place == SecretPlace::Login(login)).unwrap();
        assert!(now.starts_with("enc1:"), "encrypted at start-up: {now}");
        app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        app.stop().await;
    }
}
