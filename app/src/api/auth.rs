//! Signing in and out.

use crate::error::AppError;
use leptos::prelude::*;

/// The one message for any wrong email or password: it never says which.
pub const WRONG_DETAILS: &str = "Enter a correct email address and password";

/// The checks a sign-in form passes before anything is looked up; the same
/// code runs in the browser and on the server.
pub fn check_sign_in(email: &str, password: &str) -> Result<(), AppError> {
    let mut problems = crate::error::Problems::new();
    if email.trim().is_empty() {
        problems.add("email", "Enter your email address");
    } else {
        problems.check("email", domain::Email::parse(email));
    }
    if password.is_empty() {
        problems.add("password", "Enter your password");
    }
    problems.finish()
}

/// Signs in with an email and password. Staff land on `/admin`, patients on
/// `/account`.
#[server(endpoint = "auth/sign-in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    use crate::server::{cookie, secrets};
    use domain::session::SessionKind;
    use domain::{LoginId, PatientId, PracticeId};
    use storage::sessions::NewSession;

    check_sign_in(&email, &password)?;
    let (state, ctx) = crate::server::context().await?;
    let login = state.store.login_by_email(email.trim()).await?;
    let usable_hash = login.as_ref().filter(|l| !l.disabled).and_then(|l| l.password_hash.clone());
    let correct = secrets::verify_password_or_waste_time(password, usable_hash).await?;
    let login = match login {
        Some(login) if correct => login,
        other => {
            let mut audit = ctx.audit("sign_in_failed");
            if let Some(login) = &other {
                audit.practice = Some(PracticeId(login.practice_id));
                audit = audit.on("login", login.id);
            }
            state.store.append_audit(&audit).await?;
            return Err(AppError::invalid("email", WRONG_DETAILS));
        }
    };
    let kind = if login.staff_role.is_some() { SessionKind::Staff } else { SessionKind::Patient };
    if kind == SessionKind::Patient && login.patient_id.is_none() {
        return Err(AppError::invalid("email", WRONG_DETAILS));
    }
    let (token, token_hash) = secrets::new_token();
    let session = NewSession {
        token_hash,
        practice: PracticeId(login.practice_id),
        login: LoginId(login.id),
        kind: kind.as_str(),
        acting_for: login.patient_id.map(PatientId),
        client_addr: ctx.client_addr.clone(),
    };
    let mut audit = ctx.audit("sign_in").on("login", login.id);
    audit.practice = Some(PracticeId(login.practice_id));
    audit.actor_login = Some(LoginId(login.id));
    let replaced = ctx.session.as_ref().map(|s| s.token_hash.as_str());
    state.store.start_session(&session, replaced, &audit, ctx.now).await?;
    let response = expect_response()?;
    response.append_header(http::header::SET_COOKIE, cookie::set_session_cookie(&token, state.config.secure_cookies));
    leptos_axum::redirect(if kind == SessionKind::Staff { "/admin" } else { "/account" });
    Ok(())
}

/// Ends this session.
#[server(endpoint = "auth/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::cookie;
    let (state, ctx) = crate::server::context().await?;
    if let Some(session) = &ctx.session {
        let audit = ctx.audit("sign_out").on("session", session.id);
        state.store.end_session(&session.token_hash, Some(&audit)).await?;
    }
    expect_response()?.append_header(http::header::SET_COOKIE, cookie::clear_session_cookie(state.config.secure_cookies));
    leptos_axum::redirect("/");
    Ok(())
}

/// Ends every session of the signed-in login, on every device.
#[server(endpoint = "auth/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::server::cookie;
    let (state, ctx) = crate::server::context().await?;
    let (login, _) = ctx.own_login()?;
    let audit = ctx.audit("sign_out_everywhere").on("login", login);
    state.store.end_sessions_of_login(login, &audit).await?;
    expect_response()?.append_header(http::header::SET_COOKIE, cookie::clear_session_cookie(state.config.secure_cookies));
    leptos_axum::redirect("/");
    Ok(())
}

#[cfg(feature = "ssr")]
fn expect_response() -> Result<leptos_axum::ResponseOptions, AppError> {
    use_context::<leptos_axum::ResponseOptions>().ok_or_else(|| {
        tracing::error!("no response options in the reactive context");
        AppError::Internal
    })
}
