//! The session cookie, and the short-lived cookie that carries a staff
//! sign-in between its password and its second step.

use http::header::{HeaderValue, COOKIE};
use http::request::Parts;

pub const SESSION_COOKIE: &str = "gp_session";
pub const PENDING_COOKIE: &str = "gp_pending";
/// How long a right password waits for its second step.
pub const PENDING_SECONDS: i64 = 600;

/// The session token the browser sent, if any.
pub fn session_token(parts: &Parts) -> Option<String> {
    cookie_value(parts, SESSION_COOKIE)
}

/// The pending sign-in token the browser sent, if any.
pub fn pending_token(parts: &Parts) -> Option<String> {
    cookie_value(parts, PENDING_COOKIE)
}

fn cookie_value(parts: &Parts, cookie: &str) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == cookie)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty() && value.len() <= 128)
}

/// `HttpOnly` keeps scripts from reading it, `SameSite=Lax` keeps other sites'
/// forms from sending it, and `Secure` keeps it off plain HTTP (outside local
/// development). No `Max-Age`: the server decides when it expires.
pub fn set_session_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}"))
        .unwrap_or_else(|_| HeaderValue::from_static("gp_session=; Path=/; Max-Age=0"))
}

/// Like the session cookie, but it lapses by itself after ten minutes.
pub fn set_pending_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{PENDING_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={PENDING_SECONDS}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("gp_pending=; Path=/; Max-Age=0"))
}

pub fn clear_pending_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{PENDING_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"))
        .unwrap_or_else(|_| HeaderValue::from_static("gp_pending=; Path=/; Max-Age=0"))
}

pub fn clear_session_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"))
        .unwrap_or_else(|_| HeaderValue::from_static("gp_session=; Path=/; Max-Age=0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts_with_cookie(cookie: &str) -> Parts {
        let (parts, _) = http::Request::builder().header(COOKIE, cookie).body(()).unwrap().into_parts();
        parts
    }

    #[test]
    fn the_session_token_is_found_among_other_cookies() {
        assert_eq!(session_token(&parts_with_cookie("a=1; gp_session=abc; b=2")).as_deref(), Some("abc"));
        assert_eq!(session_token(&parts_with_cookie("a=1")), None);
        assert_eq!(session_token(&parts_with_cookie("gp_session=")), None);
    }

    #[test]
    fn the_cookie_is_http_only_same_site_lax_and_secure_when_asked() {
        let cookie = set_session_cookie("abc", true);
        let text = cookie.to_str().unwrap();
        assert!(text.contains("HttpOnly") && text.contains("SameSite=Lax") && text.ends_with("; Secure"));
        assert!(!set_session_cookie("abc", false).to_str().unwrap().contains("Secure"));
    }
}
