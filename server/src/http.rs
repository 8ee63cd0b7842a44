//! The HTTP stack around the app: request ids, request logs, the app's routes
//! and server functions, static files and the not-found page.

use app::server::AppState;
use app::{shell, App};
use app::error::AppError;
use axum::body::Body;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use http::{Request, StatusCode};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use rand::RngCore;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub fn router(state: AppState, leptos: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .leptos_routes(&leptos, routes, {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(leptos)
        .layer(middleware::from_fn(server_fn_error_status))
        .layer(Extension(state))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", id, method = %request.method(), path = %loggable_path(request.uri().path()))
        }))
        .layer(SetRequestIdLayer::x_request_id(RandomRequestId))
}

/// Server functions answer every error with 500. This gives each error the
/// status its [`AppError`] maps to (422 for a refused form, 409 for a clash…),
/// so browsers, clients and logs see what happened.
async fn server_fn_error_status(request: Request<Body>, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Request ids: 64 random bits, hex.
#[derive(Clone, Copy)]
struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let id = format!("{:016x}", rand::rng().next_u64());
        http::HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

/// The path as it may be logged: single-use tokens in links are replaced.
fn loggable_path(path: &str) -> String {
    match path.strip_prefix("/setup/") {
        Some(_) => "/setup/{token}".to_owned(),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn set_up_tokens_never_reach_the_logs() {
        assert_eq!(loggable_path("/setup/abcdef0123"), "/setup/{token}");
        assert_eq!(loggable_path("/admin"), "/admin");
    }
}
