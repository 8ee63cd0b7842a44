//! The HTTP stack around the app: request ids, request logs, the app's routes
//! and server functions, static files and the not-found page.

use app::error::AppError;
use app::server::{AppState, Ctx};
use app::{shell, App};
use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::extract::State;
use axum::handler::Handler;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use http::header::CACHE_CONTROL;
use http::header::{HOST, ORIGIN, REFERER};
use http::HeaderValue;
use http::{Method, Request, StatusCode};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use rand::RngCore;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// The app's page routes, as the router lists them (`/practices/{ods}`…).
pub fn page_routes() -> Vec<String> {
    let mut routes: Vec<String> = generate_route_list(App).into_iter().map(|route| route.path().to_owned()).collect();
    routes.sort();
    routes.dedup();
    routes
}

pub fn router(state: AppState, hub: crate::live::Hub, leptos: LeptosOptions, immutable_build_files: bool) -> Router {
    let routes = generate_route_list(App);
    let site_origin: Arc<str> = origin_of(&state.config.public_url).unwrap_or_default().into();
    let router = Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/live/slots", get(crate::live::slot_stream).layer(Extension(hub)));
    crate::forms::routes(router, &leptos)
        .leptos_routes(&leptos, routes, {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        })
        // The compiled site (stylesheet, JavaScript, WebAssembly, images),
        // pre-compressed (brotli or gzip, as the browser accepts) when the
        // release build made those files; anything else gets the not-found page.
        .fallback_service(
            ServeDir::new(leptos.site_root.as_ref())
                .precompressed_br()
                .precompressed_gzip()
                .append_index_html_on_directories(false)
                .fallback(leptos_axum::file_and_error_handler(shell).with_state(leptos.clone())),
        )
        .with_state(leptos.clone())
        .layer(middleware::from_fn_with_state(immutable_build_files, cache_control))
        // Inside compression: it reads the error body, which must not be compressed yet.
        .layer(middleware::from_fn(server_fn_error_status))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(attach_context))
        .layer(Extension(state))
        .layer(middleware::from_fn_with_state(site_origin, same_site_only))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", id, method = %request.method(), path = %loggable_path(request.uri().path()))
        }))
        .layer(SetRequestIdLayer::x_request_id(RandomRequestId))
}

/// Hashed build files never change under their name: a year, immutable.
/// Images: a day. Pages: never stored, as they may hold personal details.
async fn cache_control(State(hashed): State<bool>, request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if response.headers().contains_key(CACHE_CONTROL) {
        return response;
    }
    let policy = if path.starts_with("/pkg/") && hashed && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else if (path.starts_with("/pkg/") || path.starts_with("/assets/")) && response.status().is_success() {
        "public, max-age=86400"
    } else {
        "no-store"
    };
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    if policy.starts_with("public") {
        // The same address answers brotli, gzip or plain: caches must keep them apart.
        response.headers_mut().insert(http::header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// Builds the request context (session, actor, practice, time) once, before
/// the app sees the request: a page calls several server functions while it
/// renders, and each would otherwise look the session up again. Build files
/// and the health check need no context.
async fn attach_context(request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with("/pkg/") || path.starts_with("/assets/") || path == "/health" {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    if let Err(error) = Ctx::from_request_parts(&mut parts, &()).await {
        return error.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Refuses a state-changing request (anything but GET, HEAD and OPTIONS)
/// unless its Origin, or failing that its Referer, is this site. A request
/// with neither, or with `Origin: null`, is refused: a page on another site
/// cannot make a signed-in browser change anything here.
async fn same_site_only(State(site_origin): State<Arc<str>>, request: Request<Body>, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let claimed = match headers.get(ORIGIN) {
        Some(origin) => origin.to_str().ok().map(str::to_owned),
        None => headers.get(REFERER).and_then(|v| v.to_str().ok()).and_then(origin_of),
    };
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    if claimed.as_deref().is_some_and(|origin| is_this_site(origin, &site_origin, host)) {
        return next.run(request).await;
    }
    tracing::warn!(origin = ?claimed, "cross-site or unlabelled request refused");
    (StatusCode::FORBIDDEN, "This request was refused because it did not come from this site.").into_response()
}

/// The site is its public address, or the address the browser asked for
/// (the Host header), which a page on another site cannot choose.
fn is_this_site(origin: &str, site_origin: &str, host: Option<&str>) -> bool {
    origin != "null"
        && (origin == site_origin
            || host.is_some_and(|host| origin == format!("http://{host}") || origin == format!("https://{host}")))
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().filter(|a| !a.is_empty())?;
    Some(format!("{scheme}://{authority}"))
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
    use super::{is_this_site, loggable_path, origin_of};

    #[test]
    fn an_origin_is_the_scheme_and_authority_of_a_url() {
        assert_eq!(origin_of("https://gp.example:8443/admin?x=1").as_deref(), Some("https://gp.example:8443"));
        assert_eq!(origin_of("http://127.0.0.1:3000").as_deref(), Some("http://127.0.0.1:3000"));
        assert_eq!(origin_of("not a url"), None);
        assert_eq!(origin_of("http://"), None);
    }

    #[test]
    fn only_this_sites_origin_counts_as_this_site() {
        let site = "https://gp.example";
        assert!(is_this_site("https://gp.example", site, None));
        assert!(is_this_site("http://localhost:3000", site, Some("localhost:3000")));
        assert!(!is_this_site("https://evil.example", site, Some("gp.example")));
        assert!(!is_this_site("null", site, Some("gp.example")));
        assert!(!is_this_site("https://gp.example.evil.example", site, Some("gp.example")));
    }

    #[test]
    fn set_up_tokens_never_reach_the_logs() {
        assert_eq!(loggable_path("/setup/abcdef0123"), "/setup/{token}");
        assert_eq!(loggable_path("/admin"), "/admin");
    }
}
