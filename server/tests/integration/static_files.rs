//! Delivery: hashed build files cached for a year and served pre-compressed
//! by content negotiation; pages compressed on the fly and never stored.

use crate::common;
use common::{spawn_app_with, Options};

/// A compiled site with one hashed stylesheet and its brotli and gzip copies.
fn site() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let pkg = root.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("gp-online.abc123.css"), "body { color: black }").unwrap();
    std::fs::write(pkg.join("gp-online.abc123.css.br"), "brotli bytes").unwrap();
    std::fs::write(pkg.join("gp-online.abc123.css.gz"), "gzip bytes").unwrap();
    std::fs::create_dir_all(root.path().join("assets/images")).unwrap();
    std::fs::write(root.path().join("assets/images/favicon.svg"), "<svg/>").unwrap();
    root
}

async fn get(app: &common::TestApp, path: &str, accept_encoding: &str) -> reqwest::Response {
    // reqwest decodes nothing here (no compression features), so bytes are as sent.
    app.client().get(app.url(path)).header("accept-encoding", accept_encoding).send().await.unwrap()
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

on_both_engines! {
    async fn build_files_are_served_precompressed_as_the_browser_accepts_and_cached_for_a_year(engine: Engine) {
        let root = site();
        let app = spawn_app_with(engine, Options { site_root: Some(root.path().to_owned()), ..Options::default() }).await;
        let path = "/pkg/gp-online.abc123.css";

        let br = get(&app, path, "gzip, br").await;
        assert_eq!(br.status().as_u16(), 200);
        assert_eq!(header(&br, "content-encoding"), "br");
        assert_eq!(header(&br, "cache-control"), "public, max-age=31536000, immutable");
        assert!(header(&br, "vary").to_lowercase().contains("accept-encoding"));
        assert_eq!(br.text().await.unwrap(), "brotli bytes");

        let gzip = get(&app, path, "gzip").await;
        assert_eq!(header(&gzip, "content-encoding"), "gzip");
        assert_eq!(gzip.text().await.unwrap(), "gzip bytes");

        let plain = get(&app, path, "identity").await;
        assert_eq!(header(&plain, "content-encoding"), "");
        assert_eq!(plain.text().await.unwrap(), "body { color: black }");

        let image = get(&app, "/assets/images/favicon.svg", "identity").await;
        assert_eq!(header(&image, "cache-control"), "public, max-age=86400");

        let missing = get(&app, "/pkg/gp-online.nothere.js", "br").await;
        assert_eq!(missing.status().as_u16(), 404);
        assert!(!header(&missing, "cache-control").contains("immutable"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn pages_are_compressed_on_the_fly_and_never_stored(engine: Engine) {
        let root = site();
        let app = spawn_app_with(engine, Options { site_root: Some(root.path().to_owned()), ..Options::default() }).await;
        let page = get(&app, "/", "br").await;
        assert_eq!(page.status().as_u16(), 200);
        assert_eq!(header(&page, "content-encoding"), "br");
        assert_eq!(header(&page, "cache-control"), "no-store");
        let plain = get(&app, "/", "identity").await;
        assert_eq!(header(&plain, "content-encoding"), "");
        assert!(plain.text().await.unwrap().contains("Riverside Medical Practice"));
        app.stop().await;
    }
}
