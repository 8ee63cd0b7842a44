//! What reaches the logs: never a secret from a link.

use crate::common;
use common::{spawn_app, Engine};
use std::sync::{Arc, Mutex};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::Layer;

/// Where the test's logs go: one buffer shared by both formats.
#[derive(Clone)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One runtime thread, so the server's tasks log through this test's own
/// subscriber: every level, as text and as JSON, into one buffer.
#[tokio::test(flavor = "current_thread")]
async fn single_use_tokens_in_links_never_reach_the_logs_at_any_level_or_format() {
    let logs = Arc::new(Mutex::new(Vec::<u8>::new()));
    let sink = Sink(logs.clone());
    let text_sink = sink.clone();
    let subscriber = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(move || text_sink.clone()).with_filter(LevelFilter::TRACE))
        .with(
            tracing_subscriber::fmt::layer().json().with_writer(move || sink.clone()).with_filter(LevelFilter::TRACE),
        );
    let _scoped = tracing::subscriber::set_default(subscriber);
    common::within_time_limit(async {
        let app = spawn_app(Engine::Sqlite).await;
        let secret = format!("{:032x}", rand::random::<u128>());
        for path in [format!("/reset-password/{secret}"), format!("/setup/{secret}")] {
            let (status, _) = app.get(&path).await;
            assert!(status < 500, "{path}: {status}");
            let form = [("new_password", "a long new password"), ("confirm_password", "a long new password")];
            let posted = app.post_form(&path, &form, None).await.status().as_u16();
            assert!(posted < 500, "{path}: {posted}");
        }
        app.stop().await;
        let logs = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
        assert!(logs.contains("/reset-password/{token}"), "the requests were logged");
        assert!(!logs.contains(&secret), "a token reached the logs");
    })
    .await;
}
