//! The app's pages, served by the real server on both engines.

use crate::common;
use common::{spawn_app, spawn_app_with, Options};

on_both_engines! {
    async fn the_home_page_is_server_rendered_with_the_nhs_header_and_the_practice_name(engine: Engine) {
        let app = spawn_app(engine).await;
        let (status, body) = app.get("/").await;
        assert_eq!(status, 200);
        assert!(body.contains("class=\"nhsuk-header\""), "no NHS header in {body}");
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
        assert!(body.contains("nhsuk-header"), "the 404 page keeps the site's frame");
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
