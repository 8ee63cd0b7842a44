//! Forms posted without JavaScript.
//!
//! Every form posts to its own page (`app::components::form::FORMS`). Here a
//! post to the page runs the form's server function exactly as a browser with
//! JavaScript would call it, then answers like a classic web form: a redirect
//! when it worked, or the same page rendered again, with the error summary and
//! the values typed, when it was refused. A server function that answers
//! without redirecting (such as one that hands out recovery codes) has its
//! answer rendered in the page instead. Nothing typed goes into a URL.

use app::components::form::{SubmittedForm, ACTION_FIELD, FORMS};
use app::error::AppError;
use app::shell;
use axum::body::Body;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use http::header::{ACCEPT, CONTENT_TYPE, LOCATION, SET_COOKIE};
use http::{HeaderValue, Method, Request, StatusCode, Uri};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;

/// The HTTP stack has already refused anything larger (`http::limit_body`).
const MAX_FORM_BYTES: usize = crate::http::IMPORT_BODY_LIMIT;

/// Adds a POST route for every form page.
pub fn routes(router: Router<LeptosOptions>, leptos: &LeptosOptions) -> Router<LeptosOptions> {
    let mut pages: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for &(page, server_fn) in FORMS {
        match pages.iter_mut().find(|(p, _)| *p == page) {
            Some((_, server_fns)) => server_fns.push(server_fn),
            None => pages.push((page, vec![server_fn])),
        }
    }
    pages.into_iter().fold(router, |router, (page, server_fns)| {
        let leptos = leptos.clone();
        router.route(page, post(move |request: Request<Body>| answer_form(server_fns.clone(), leptos.clone(), request)))
    })
}

async fn answer_form(server_fns: Vec<&'static str>, leptos: LeptosOptions, request: Request<Body>) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "The form was too large to send.").into_response();
    };
    let multipart = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    // A form with a file arrives as multipart; its fields (the file's text
    // included) go on to the server function like any other form's.
    let (values, bytes): (Vec<(String, String)>, axum::body::Bytes) = if multipart {
        match read_multipart(Request::from_parts(parts.clone(), Body::from(bytes))).await {
            Ok(values) => {
                let body = serde_urlencoded::to_string(&values).unwrap_or_default();
                (values, body.into())
            }
            Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
        }
    } else {
        (serde_urlencoded::from_bytes(&bytes).unwrap_or_default(), bytes)
    };
    // The form says which of the page's server functions it runs; only those are allowed.
    let posted = values.iter().find(|(name, _)| name == ACTION_FIELD).map(|(_, value)| value.as_str());
    let server_fn = server_fns.iter().copied().find(|f| Some(*f) == posted).unwrap_or(server_fns[0]);

    // Run the server function as the browser would with JavaScript.
    let mut call = Request::from_parts(parts.clone(), Body::from(bytes));
    *call.uri_mut() = Uri::from_static(server_fn);
    call.headers_mut().insert(ACCEPT, HeaderValue::from_static("application/json"));
    call.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
    // The body was read within its limit on the way in; written again as a
    // URL-encoded form (a file's commas and line ends take three bytes each)
    // it may be longer, and must not be refused for that.
    axum::extract::DefaultBodyLimit::disable().apply(&mut call);
    let answer = leptos_axum::handle_server_fns_with_context(|| {}, call).await.into_response();

    let answered_in_place = answer.status().is_success() && !answer.headers().contains_key(LOCATION);
    if answer.status().is_redirection() || (answer.status().is_success() && !answered_in_place) {
        return see_other(&answer, parts.uri.path());
    }
    let cookies: Vec<HeaderValue> = answer.headers().get_all(SET_COOKIE).iter().cloned().collect();
    let success = answer.status().is_success();
    let body = axum::body::to_bytes(answer.into_body(), MAX_FORM_BYTES).await.ok();
    let (error, output) = match (success, body) {
        (true, Some(body)) => (None, Some(String::from_utf8_lossy(&body).into_owned())),
        (false, Some(body)) => (Some(serde_json::from_slice::<AppError>(&body).unwrap_or(AppError::Internal)), None),
        (_, None) => (Some(AppError::Internal), None),
    };
    let status = match &error {
        Some(error) => StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        None => StatusCode::OK,
    };
    // Passwords, codes and uploaded files are never sent back to the page.
    let values =
        values.into_iter().filter(|(name, _)| !name.contains("password") && name != "code" && name != "csv").collect();
    let submitted = SubmittedForm { values, error, output };
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(submitted.clone());
            crate::http::provide_request_nonce();
        },
        move || shell(leptos.clone()),
    );
    let mut page = Request::from_parts(parts, Body::empty());
    *page.method_mut() = Method::GET;
    let mut response = render(page).await;
    *response.status_mut() = status;
    for cookie in cookies {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

/// The fields of a multipart form; a file field's value is the file's text.
async fn read_multipart(request: Request<Body>) -> Result<Vec<(String, String)>, &'static str> {
    use axum::extract::{FromRequest, Multipart};
    let mut form = Multipart::from_request(request, &()).await.map_err(|_| "The form could not be read.")?;
    let mut values = Vec::new();
    while let Some(field) =
        form.next_field().await.map_err(|_| "The form could not be read, or the file is over 2 MB.")?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let text = field.text().await.map_err(|_| "The file must be text (a CSV file saved as UTF-8), up to 2 MB.")?;
        values.push((name, text));
    }
    Ok(values)
}

/// `303 See Other` to where the server function sent the person (or back to
/// the page), keeping the cookies it set.
fn see_other(answer: &Response, page: &str) -> Response {
    let location = answer
        .headers()
        .get(LOCATION)
        .cloned()
        .or_else(|| HeaderValue::from_str(page).ok())
        .unwrap_or_else(|| HeaderValue::from_static("/"));
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(LOCATION, location);
    for cookie in answer.headers().get_all(SET_COOKIE) {
        response.headers_mut().append(SET_COOKIE, cookie.clone());
    }
    response
}
