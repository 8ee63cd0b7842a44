//! The route list and page rendering in one process.
//!
//! Listing Leptos routes sets a process-wide flag that holds back every
//! resource first polled while it is set (leptos issue #4773): a page whose
//! render starts in that window never finishes. The list is therefore built
//! once per process, before any server can render, and shared.

use crate::common;
use common::spawn_app;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_finish_rendering_while_the_route_list_is_asked_for_again_and_again() {
    let app = spawn_app(common::Engine::Sqlite).await;
    let asking = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let lister = {
        let asking = asking.clone();
        std::thread::spawn(move || {
            let mut times = 0;
            while asking.load(std::sync::atomic::Ordering::Relaxed) {
                assert!(server::http::page_routes().contains(&"/sign-in".to_owned()));
                times += 1;
            }
            times
        })
    };
    for _ in 0..30 {
        let page = tokio::time::timeout(Duration::from_secs(10), app.get("/")).await;
        let (status, body) = page.expect("the home page finished rendering within 10 seconds");
        assert_eq!(status, 200);
        assert!(body.contains("Online services at Riverside Medical Practice"));
    }
    asking.store(false, std::sync::atomic::Ordering::Relaxed);
    let times = lister.join().expect("the lister ran");
    assert!(times > 0, "the routes were listed during the renders");
    app.stop().await;
}
