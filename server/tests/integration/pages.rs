//! The app's pages, served by the real server on both engines.

use crate::common;
use common::{spawn_app, spawn_app_with, Options};

on_both_engines! {
    async fn the_home_page_is_server_rendered_with_the_nhs_header_and_the_practice_name(engine: Engine) {
        let app = spawn_app(engine).await;
        let (status, body) = app.get("/").await;
        assert_eq!(status, 200);
        assert!(body.contains("role=\"banner\""), "no header in {body}");
        assert!(body.contains("Riverside Medical Practice"));
        assert!(body.contains("href=\"/sign-in\""));
        assert!(body.contains("Register for online services"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn an_unknown_address_gets_the_friendly_not_found_page_with_status_404(engine: Engine) {
        let app = spawn_app(engine).await;
        let (status, body) = app.get("/no/such/page").await;
        assert_eq!(status, 404);
        assert!(body.contains("Page not found"));
        assert!(body.contains("role=\"banner\""), "the 404 page keeps the site's frame");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_practice_home_is_found_by_its_ods_code_in_any_case(engine: Engine) {
        let app = spawn_app_with(engine, Options { default_practice: None, ..Options::default() }).await;
        let (status, body) = app.get("/practices/y12345").await;
        assert_eq!(status, 200);
        assert!(body.contains("Online services at Riverside Medical Practice"));
        let (status, _) = app.get("/practices/Y99999").await;
        assert_eq!(status, 404);
        let (status, _) = app.get("/practices/not-a-code").await;
        assert_eq!(status, 404);
        app.stop().await;
    }
}

on_both_engines! {
    async fn without_a_default_practice_the_home_page_finds_practices_by_name_or_code(engine: Engine) {
        let app = spawn_app_with(engine, Options { default_practice: None, ..Options::default() }).await;
        let (status, body) = app.get("/").await;
        assert_eq!(status, 200);
        assert!(body.contains("Find your GP practice"));
        let (_, by_name) = app.get("/?q=riverside").await;
        assert!(by_name.contains("href=\"/practices/Y12345\""), "{by_name}");
        let (_, by_code) = app.get("/?q=y12345").await;
        assert!(by_code.contains("href=\"/practices/Y12345\""));
        // A LIKE wildcard typed by a person matches only itself.
        let (_, wildcard) = app.get("/?q=%25").await;
        assert!(wildcard.contains("No practices match your search"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn the_admin_area_asks_a_signed_out_visitor_to_sign_in(engine: Engine) {
        let app = spawn_app(engine).await;
        let (status, body) = app.get("/admin").await;
        assert_eq!(status, 401);
        assert!(body.contains("You need to sign in"));
        assert!(!body.contains("admin@riverside.example"), "no staff details leak");
        app.stop().await;
    }
}

on_both_engines! {
    async fn every_response_carries_a_request_id(engine: Engine) {
        let app = spawn_app(engine).await;
        let response = app.client().get(app.url("/health")).send().await.expect("GET");
        assert_eq!(response.status().as_u16(), 200);
        let id = response.headers().get("x-request-id").expect("request id").to_str().expect("ascii");
        assert_eq!(id.len(), 16);
        app.stop().await;
    }
}

on_both_engines! {
    async fn the_register_page_explains_how_to_register_at_the_surgery(engine: Engine) {
        let app = spawn_app(engine).await;
        let (status, body) = app.get("/register").await;
        assert_eq!(status, 200);
        assert!(body.contains("Register for online services") && body.contains("photo ID"));
        assert!(body.contains("01632 960 000"), "the practice's phone number");
        assert!(body.contains("proxy access"), "a family sharing an inbox is told about proxy access");
        app.stop().await;
    }
}

on_both_engines! {
    async fn admin_pages_carry_only_what_they_show_and_no_staff_emails(engine: Engine) {
        let app = spawn_app(engine).await;
        let reception = app.sign_in(common::RECEPTIONIST.0, common::RECEPTIONIST.1).await;
        for page in [
            "/admin/patients",
            "/admin/schedule",
            "/admin/consider-access",
            "/admin/access-requests",
        ] {
            let (status, body) = app.get_as(page, Some(&reception)).await;
            assert_eq!(status, 200, "{page}");
            for email in [common::CLINICIAN.0, common::PRACTICE_ADMIN.0, common::RECEPTIONIST.0] {
                assert!(!body.contains(email), "{page} carries {email}");
            }
        }
        let (_, home) = app.get_as("/admin", Some(&reception)).await;
        assert!(home.contains(common::CLINICIAN.0), "the admin home lists the staff, as it shows");
        app.stop().await;
    }
}

/// The nonce a Content-Security-Policy allows scripts with.
fn policy_nonce(policy: &str) -> String {
    policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce in the policy").to_owned()
}

on_both_engines! {
    async fn every_response_carries_security_headers_and_a_pages_scripts_carry_its_policys_nonce(engine: Engine) {
        let app = spawn_app(engine).await;
        let refused_form = app.post_form("/sign-in", &[("email", ""), ("password", "")], None).await;
        let mut responses = vec![("a form sent back", refused_form)];
        for path in ["/", "/sign-in", "/no/such/page", "/health"] {
            responses.push((path, app.client().get(app.url(path)).send().await.unwrap()));
        }
        for (what, response) in responses {
            let headers = response.headers().clone();
            let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
            let policy = header("content-security-policy");
            for part in ["default-src 'self'", "script-src 'self' 'nonce-", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"] {
                assert!(policy.contains(part), "{what}: {part} missing from {policy}");
            }
            assert!(!policy.contains("unsafe-inline"), "{what}: {policy}");
            assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
            assert_eq!(header("referrer-policy"), "same-origin", "{what}");
            assert_eq!(header("strict-transport-security"), "", "{what}: no HSTS over plain HTTP");
            let body = response.text().await.unwrap();
            if body.contains("<script") {
                let nonce = policy_nonce(&policy);
                let scripts = body.matches("<script").count();
                assert_eq!(body.matches(&format!("nonce=\"{nonce}\"")).count(), scripts, "{what}: every script carries the nonce");
            }
        }
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_site_served_over_https_tells_browsers_to_keep_to_https(engine: Engine) {
        let options = Options { public_url: Some("https://portal.riverside.example".into()), ..Options::default() };
        let app = spawn_app_with(engine, options).await;
        let response = app.client().get(app.url("/")).send().await.unwrap();
        let hsts = response.headers().get("strict-transport-security").expect("HSTS").to_str().unwrap().to_owned();
        assert!(hsts.starts_with("max-age=31536000"), "{hsts}");
        app.stop().await;
    }
}
