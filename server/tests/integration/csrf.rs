//! State changes are refused unless they come from this site.

use crate::common;
use common::{spawn_app, PATIENT};

async fn sign_out_with(app: &common::TestApp, session: &str, headers: &[(&str, &str)]) -> u16 {
    let mut request = app.client().post(app.url("/api/auth/sign-out")).header("cookie", session);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap().status().as_u16()
}

on_both_engines! {
    async fn a_post_from_another_site_is_refused_and_changes_nothing(engine: Engine) {
        let app = spawn_app(engine).await;
        let session = app.sign_in(PATIENT.0, PATIENT.1).await;
        assert_eq!(sign_out_with(&app, &session, &[("origin", "https://evil.example")]).await, 403);
        assert_eq!(sign_out_with(&app, &session, &[("referer", "https://evil.example/page")]).await, 403);
        assert_eq!(app.get_as("/account", Some(&session)).await.0, 200, "still signed in");
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_post_with_no_origin_or_referer_or_a_null_origin_is_refused(engine: Engine) {
        let app = spawn_app(engine).await;
        let session = app.sign_in(PATIENT.0, PATIENT.1).await;
        assert_eq!(sign_out_with(&app, &session, &[]).await, 403);
        assert_eq!(sign_out_with(&app, &session, &[("origin", "null")]).await, 403);
        assert_eq!(app.get_as("/account", Some(&session)).await.0, 200);
        app.stop().await;
    }
}

on_both_engines! {
    async fn the_same_post_from_this_site_is_processed(engine: Engine) {
        let app = spawn_app(engine).await;
        let by_origin = app.sign_in(PATIENT.0, PATIENT.1).await;
        assert!(sign_out_with(&app, &by_origin, &[("origin", &app.base)]).await < 400);
        assert_eq!(app.get_as("/account", Some(&by_origin)).await.0, 401);
        let by_referer = app.sign_in(PATIENT.0, PATIENT.1).await;
        let referer = format!("{}/account", app.base);
        assert!(sign_out_with(&app, &by_referer, &[("referer", &referer)]).await < 400);
        assert_eq!(app.get_as("/account", Some(&by_referer)).await.0, 401);
        app.stop().await;
    }
}
