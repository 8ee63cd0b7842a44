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
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use rand::RngCore;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// The app's routes, listed once per process. Listing them holds back every
/// Leptos resource first polled meanwhile, process-wide (leptos issue #4773):
/// a page rendering during a second listing would never finish. Built before
/// any server answers, and shared by every router, `server routes` and tests.
/// Files downloaded outside the pages and server functions (and in the
/// policy matrix like them): a patient's record as FHIR and a document of
/// it, and the practice dashboard's tables as CSV.
pub const DOWNLOAD_ROUTES: [&str; 3] = ["/record/download", "/record/documents/{entry}", "/admin/dashboard/{file}"];

pub fn route_list() -> &'static [AxumRouteListing] {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App))
}

/// The app's page routes, as the router lists them (`/practices/{ods}`…).
pub fn page_routes() -> Vec<String> {
    let mut routes: Vec<String> = route_list().iter().map(|route| route.path().to_owned()).collect();
    routes.sort();
    routes.dedup();
    routes
}

/// The staff stylesheet in the built site (`pkg/staff.<hash>.css`, made by
/// `scripts/build-staff-css.mjs`), as an address; none in a site built
/// without it.
pub fn staff_stylesheet(site_root: &str) -> Option<String> {
    let pkg = std::path::Path::new(site_root).join("pkg");
    let mut found: Vec<String> = std::fs::read_dir(pkg)
        .ok()?
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.starts_with("staff.") && name.ends_with(".css"))
        .collect();
    found.sort();
    found.pop().map(|name| format!("/pkg/{name}"))
}

/// What the HTTP stack needs beyond the app's state.
#[derive(Debug, Clone)]
pub struct HttpLimits {
    /// Longest a request may take to be answered (the first byte of its
    /// answer: live streams then run on).
    pub request_timeout: std::time::Duration,
}

pub fn router(
    state: AppState,
    hub: crate::live::Hub,
    leptos: LeptosOptions,
    immutable_build_files: bool,
    limits: HttpLimits,
) -> Router {
    let routes = route_list().to_vec();
    let site_origin: Arc<str> = origin_of(&state.config.public_url).unwrap_or_default().into();
    let router = Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/live/slots", get(crate::live::slot_stream).layer(Extension(hub.clone())))
        .route("/live/messages", get(crate::live::message_stream).layer(Extension(hub.clone())))
        .route("/live/prescriptions", get(crate::live::prescription_stream).layer(Extension(hub)))
        .route(DOWNLOAD_ROUTES[0], get(crate::downloads::record_bundle))
        .route(DOWNLOAD_ROUTES[1], get(crate::downloads::record_document))
        .route(DOWNLOAD_ROUTES[2], get(crate::dashboard_files::dashboard_file));
    let hsts = state.config.public_url.starts_with("https://");
    crate::forms::routes(router, &leptos)
        .leptos_routes_with_context(&leptos, routes, provide_request_nonce, {
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
                .fallback(
                    leptos_axum::file_and_error_handler_with_context(provide_request_nonce, shell)
                        .with_state(leptos.clone()),
                ),
        )
        .with_state(leptos.clone())
        .layer(middleware::from_fn_with_state(immutable_build_files, cache_control))
        // Inside compression: it reads the error body, which must not be compressed yet.
        .layer(middleware::from_fn(server_fn_error_status))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(attach_context))
        .layer(Extension(state))
        // Bodies are limited by path in `limit_body`; axum's own 2 MB default
        // for multipart forms would refuse a file the import accepts.
        .layer(axum::extract::DefaultBodyLimit::max(IMPORT_BODY_LIMIT))
        .layer(middleware::from_fn(limit_body))
        .layer(middleware::from_fn_with_state(site_origin, same_site_only))
        .layer(middleware::from_fn_with_state(limits.request_timeout, bound_request))
        .layer(middleware::from_fn_with_state(hsts, security_headers))
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

/// The script nonce of one response: the hydration script and Leptos' inline
/// scripts carry it, and the Content-Security-Policy allows only them.
#[derive(Debug, Clone)]
pub struct CspNonce(pub Arc<str>);

/// 128 random bits, base64url without padding.
fn new_nonce() -> Arc<str> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let bits = u128::from_be_bytes(bytes);
    (0..22).map(|i| ALPHABET[((bits >> (i * 6)) & 63) as usize] as char).collect::<String>().into()
}

/// Gives the page being rendered this request's nonce (instead of one Leptos
/// would make up), so the scripts it writes match the policy sent with it.
pub fn provide_request_nonce() {
    let nonce = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(nonce)) = nonce {
        leptos::prelude::provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}

/// The policy for a page whose scripts carry `nonce`: only this site's own
/// scripts, styles, WebAssembly, images and event stream; no framing.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Security headers on every response, and this request's script nonce in
/// its extensions for the page to use. HSTS only when the site is served
/// over HTTPS.
async fn security_headers(State(hsts): State<bool>, mut request: Request<Body>, next: Next) -> Response {
    let nonce = new_nonce();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        headers.insert(http::header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(http::header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(http::header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(http::header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if hsts {
        headers.insert(http::header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}

/// Answers 503 when a request has not been answered within `limit`, naming
/// its request id, and logs which route it was, so no request waits forever
/// in silence. Only the wait for the answer's start is bounded: a live stream
/// that has started runs on.
async fn bound_request(State(limit): State<std::time::Duration>, request: Request<Body>, next: Next) -> Response {
    let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let route = match request.extensions().get::<axum::extract::MatchedPath>() {
        Some(matched) => matched.as_str().to_owned(),
        None => loggable_path(request.uri().path()),
    };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::error!(%route, ?limit, "request not answered in time; answered 503");
            let message =
                format!("Sorry, the service took too long to answer. Try again in a moment.\n\nRequest id: {id}\n");
            (StatusCode::SERVICE_UNAVAILABLE, message).into_response()
        }
    }
}

/// Ordinary forms and server function calls: small.
pub const FORM_BODY_LIMIT: usize = 64 * 1024;
/// The register and record imports take a file of up to 2 MB, plus the form around it.
pub const IMPORT_BODY_LIMIT: usize = 2 * 1024 * 1024 + FORM_BODY_LIMIT;
/// The paths that take a file.
const IMPORT_PATHS: [&str; 4] =
    ["/admin/patients/import", "/api/admin/patients/import", "/admin/record/import", "/api/admin/record/import"];

/// Reads a request's body up to its path's limit before anything else sees
/// it; a larger body is answered 413 with a plain message and goes no further.
async fn limit_body(request: Request<Body>, next: Next) -> Response {
    let limit = if IMPORT_PATHS.contains(&request.uri().path()) { IMPORT_BODY_LIMIT } else { FORM_BODY_LIMIT };
    let too_large = || {
        let message = if limit == FORM_BODY_LIMIT {
            "This form is too large to send: a form can hold up to 64 KB.".to_owned()
        } else {
            "This file is too large to send: the file can be up to 2 MB.".to_owned()
        };
        (StatusCode::PAYLOAD_TOO_LARGE, message).into_response()
    };
    let declared = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) && declared.is_none() {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    if declared.is_some_and(|length| length > limit) {
        discard(body).await;
        return too_large();
    }
    let mut stream = body.into_data_stream();
    let mut read = Vec::new();
    while let Some(chunk) = futures::StreamExt::next(&mut stream).await {
        let Ok(chunk) = chunk else {
            return (StatusCode::BAD_REQUEST, "The request could not be read.").into_response();
        };
        if read.len() + chunk.len() > limit {
            discard(Body::from_stream(stream)).await;
            return too_large();
        }
        read.extend_from_slice(&chunk);
    }
    next.run(Request::from_parts(parts, Body::from(read))).await
}

/// Reads and drops what is left of a refused body (up to 16 MB), so the
/// browser, still sending, gets the answer rather than a broken connection.
async fn discard(body: Body) {
    let mut stream = body.into_data_stream();
    let mut dropped = 0usize;
    while let Some(Ok(chunk)) = futures::StreamExt::next(&mut stream).await {
        dropped += chunk.len();
        if dropped > 16 * 1024 * 1024 {
            break;
        }
    }
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

/// Pages whose address ends in a single-use secret (set-up and password
/// reset links): the secret is a key to someone's account.
const SECRET_PATHS: [&str; 2] = ["/setup/", "/reset-password/"];

/// The path as it may be logged: single-use tokens in links are replaced.
pub fn loggable_path(path: &str) -> String {
    match SECRET_PATHS.iter().find(|prefix| path.starts_with(**prefix)) {
        Some(prefix) => format!("{prefix}{{token}}"),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[tokio::test]
    async fn a_request_not_answered_in_time_gets_503_with_its_request_id() {
        use tower::ServiceExt;
        let app = Router::new()
            .route("/stuck", get(std::future::pending::<&'static str>))
            .route("/quick", get(|| async { "done" }))
            .layer(middleware::from_fn_with_state(std::time::Duration::from_millis(100), bound_request));
        let ask =
            |path: &str| Request::get(path).header("x-request-id", "0123456789abcdef").body(Body::empty()).unwrap();
        let stuck = app.clone().oneshot(ask("/stuck")).await.unwrap();
        assert_eq!(stuck.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body = axum::body::to_bytes(stuck.into_body(), 4096).await.unwrap();
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains("took too long") && body.contains("0123456789abcdef"), "{body}");
        let quick = app.oneshot(ask("/quick")).await.unwrap();
        assert_eq!(quick.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn a_body_over_its_limit_gets_413_with_a_plain_message_and_goes_no_further() {
        use tower::ServiceExt;
        let reached = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = reached.clone();
        let app = Router::new()
            .route(
                "/{*path}",
                axum::routing::post(move || {
                    counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    async { "read" }
                }),
            )
            .layer(middleware::from_fn(limit_body));
        let post = |path: &str, body: Vec<u8>, declared: bool| {
            let mut request = Request::post(path);
            if declared {
                request = request.header(http::header::CONTENT_LENGTH, body.len());
            }
            request.body(Body::from(body)).unwrap()
        };
        for declared in [true, false] {
            let too_big =
                app.clone().oneshot(post("/sign-in", vec![b'a'; FORM_BODY_LIMIT + 1], declared)).await.unwrap();
            assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
            let body = axum::body::to_bytes(too_big.into_body(), 4096).await.unwrap();
            assert!(String::from_utf8_lossy(&body).contains("64 KB"));
        }
        assert_eq!(reached.load(std::sync::atomic::Ordering::SeqCst), 0, "nothing reached the handler");
        let form = app.clone().oneshot(post("/sign-in", vec![b'a'; FORM_BODY_LIMIT], true)).await.unwrap();
        assert_eq!(form.status(), StatusCode::OK);
        let file = app.clone().oneshot(post("/admin/patients/import", vec![b'a'; 1_900_000], true)).await.unwrap();
        assert_eq!(file.status(), StatusCode::OK, "a 1.9 MB file goes through");
        let big = app.oneshot(post("/admin/patients/import", vec![b'a'; IMPORT_BODY_LIMIT + 1], true)).await.unwrap();
        assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(reached.load(std::sync::atomic::Ordering::SeqCst), 2);
    }

    #[test]
    fn set_up_and_reset_tokens_are_replaced_in_logged_paths() {
        assert_eq!(loggable_path("/setup/abcdef0123"), "/setup/{token}");
        assert_eq!(loggable_path("/reset-password/abcdef0123"), "/reset-password/{token}");
        assert_eq!(loggable_path("/reset-password/abc/def"), "/reset-password/{token}");
        assert_eq!(loggable_path("/admin"), "/admin");
    }
}
