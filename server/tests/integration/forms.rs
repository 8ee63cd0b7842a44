//! The form pattern without JavaScript: a post to the page itself is answered
//! with a redirect, or with the page again showing the errors and the values
//! typed, never with input in a URL.

use crate::common;
use common::{session_cookie, spawn_app, PATIENT};
use std::collections::BTreeSet;

async fn post_page(
    app: &common::TestApp,
    path: &str,
    form: &[(&str, &str)],
    session: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .client()
        .post(app.url(path))
        .header("origin", &app.base)
        .header("accept", "text/html,application/xhtml+xml")
        .form(form);
    if let Some(session) = session {
        request = request.header("cookie", session);
    }
    request.send().await.unwrap()
}

on_both_engines! {
    async fn a_refused_form_comes_back_with_the_error_summary_and_the_values_typed(engine: Engine) {
        let app = spawn_app(engine).await;
        let response = post_page(&app, "/sign-in", &[("email", PATIENT.0), ("password", "the wrong password")], None).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(response.headers().get("location").is_none(), "no redirect: nothing typed goes into a URL");
        assert!(session_cookie(&response).is_none());
        let page = response.text().await.unwrap();
        assert!(page.contains("nhsuk-error-summary") && page.contains("There is a problem"));
        assert!(page.contains("href=\"#email\""), "the summary links to the field");
        assert!(page.contains("nhsuk-form-group--error"));
        assert!(page.contains(&format!("value=\"{}\"", PATIENT.0)), "the email typed is kept");
        assert!(!page.contains("the wrong password"), "a password is never sent back");
        app.stop().await;
    }
}

on_both_engines! {
    async fn every_missing_field_is_named_in_the_summary(engine: Engine) {
        let app = spawn_app(engine).await;
        let response = post_page(&app, "/sign-in", &[("email", ""), ("password", "")], None).await;
        assert_eq!(response.status().as_u16(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("Enter your email address") && page.contains("Enter your password"));
        assert!(page.contains("href=\"#email\"") && page.contains("href=\"#password\""));
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_form_that_works_redirects_with_see_other_and_keeps_its_cookie(engine: Engine) {
        let app = spawn_app(engine).await;
        let response = post_page(&app, "/sign-in", &[("email", PATIENT.0), ("password", PATIENT.1)], None).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(response.headers().get("location").unwrap(), "/home");
        let session = session_cookie(&response).expect("signed in");
        assert_eq!(app.get_as("/account", Some(&session)).await.0, 200);

        let refused = post_page(&app, "/account/password", &[("current_password", PATIENT.1), ("new_password", "short"), ("confirm_password", "short")], Some(&session)).await;
        assert_eq!(refused.status().as_u16(), 422);
        assert!(refused.text().await.unwrap().contains("Password must be 10 characters or more"));
        let changed = post_page(
            &app,
            "/account/password",
            &[("current_password", PATIENT.1), ("new_password", "a brand new password"), ("confirm_password", "a brand new password")],
            Some(&session),
        )
        .await;
        assert_eq!(changed.status().as_u16(), 303);
        assert_eq!(changed.headers().get("location").unwrap(), "/account?changed=password");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_form_posted_from_another_site_is_refused(engine: Engine) {
        let app = spawn_app(engine).await;
        let response = app
            .client()
            .post(app.url("/sign-in"))
            .header("origin", "https://evil.example")
            .form(&[("email", PATIENT.0), ("password", PATIENT.1)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 403);
        assert!(session_cookie(&response).is_none());
        app.stop().await;
    }
}

#[test]
fn every_form_page_names_a_server_function_that_exists() {
    let server_fns: BTreeSet<&str> = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path).collect();
    let pages: BTreeSet<String> = server::http::page_routes().into_iter().collect();
    for (page, server_fn) in app::components::form::FORMS {
        assert!(server_fns.contains(server_fn), "{page} posts to {server_fn}, which does not exist");
        assert!(pages.contains(*page), "{page} is not a page");
    }
}
