//! Signing in and out.

use crate::error::AppError;
use leptos::prelude::*;

/// The one message for any wrong email or password: it never says which.
pub const WRONG_DETAILS: &str = "Enter a correct email address and password";

/// Said to a proxy's sign-in, right password and all, once every access it
/// held has ended.
pub const NOBODY_TO_ACT_FOR: &str =
    "You no longer have access to act for anyone. If you think this is wrong, contact the practice.";

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

/// Signs in with an email and password. Patients land on `/account`. Staff
/// go on to the second step (`/sign-in/two-factor`, or
/// `/sign-in/set-up-two-factor` the first time): until then they have no
/// session at all, only a pending sign-in that opens nothing else.
///
/// Five failures in 15 minutes lock the email for 15 minutes, right password
/// or not (`domain::throttle`).
#[server(endpoint = "auth/sign-in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    use crate::server::{cookie, secrets, throttle};
    use domain::session::SessionKind;
    use domain::{LoginId, PracticeId};

    check_sign_in(&email, &password)?;
    let (state, ctx) = crate::server::context().await?;
    let subject = secrets::sign_in_subject(&email);
    let attempt = throttle::begin_attempt(&state, &ctx, &subject).await?;
    let login = state.store.login_by_email(email.trim()).await?;
    let usable_hash = login.as_ref().filter(|l| !l.disabled).and_then(|l| l.password_hash.clone());
    let correct = secrets::verify_password_or_waste_time(password, usable_hash).await?;
    let kind = login.as_ref().map(|l| if l.staff_role.is_some() { SessionKind::Staff } else { SessionKind::Patient });
    let login = match login {
        Some(login) if correct => login,
        other => {
            let known = other.map(|l| (PracticeId(l.practice_id), LoginId(l.id)));
            let wrong = AppError::invalid("email", WRONG_DETAILS);
            return Err(throttle::sign_in_failed(&state, &ctx, &subject, known, "sign_in_failed", wrong).await);
        }
    };
    let practice = PracticeId(login.practice_id);
    let response = expect_response()?;
    if kind == Some(SessionKind::Staff) {
        // The password was right; the second step is counted on its own.
        state.store.forget_attempt(attempt).await?;
        let (token, token_hash) = secrets::new_token();
        let expires = ctx.now + chrono::TimeDelta::seconds(cookie::PENDING_SECONDS);
        state.store.start_pending_sign_in(practice, LoginId(login.id), &token_hash, expires, ctx.now).await?;
        response
            .append_header(http::header::SET_COOKIE, cookie::set_pending_cookie(&token, state.config.secure_cookies));
        leptos_axum::redirect(if login.two_factor { "/sign-in/two-factor" } else { "/sign-in/set-up-two-factor" });
        return Ok(());
    }
    // A sign-in made for a proxy has no patient of its own: it starts out
    // acting for the first person it may act for.
    let acting_for = match login.patient_id {
        Some(own) => domain::PatientId(own),
        None => match state.store.proxy_grants_of_login(LoginId(login.id)).await?.first() {
            Some(grant) => domain::PatientId(grant.subject_patient_id),
            None => {
                state.store.forget_attempt(attempt).await?;
                return Err(AppError::Refused(NOBODY_TO_ACT_FOR.into()));
            }
        },
    };
    let token = start_session(&state, &ctx, &login, acting_for, &subject).await?;
    response.append_header(http::header::SET_COOKIE, cookie::set_session_cookie(&token, state.config.secure_cookies));
    // Patients land on their home page: what is next, and each service.
    leptos_axum::redirect("/home");
    Ok(())
}

/// Starts a patient's session after a right password, forgetting their
/// failed attempts. Returns the cookie's token.
#[cfg(feature = "ssr")]
async fn start_session(
    state: &crate::server::AppState,
    ctx: &crate::server::Ctx,
    login: &storage::logins::LoginRow,
    acting_for: domain::PatientId,
    subject: &str,
) -> Result<String, AppError> {
    use domain::{LoginId, PracticeId};
    let (token, token_hash) = crate::server::secrets::new_token();
    let session = storage::sessions::NewSession {
        token_hash,
        practice: PracticeId(login.practice_id),
        login: LoginId(login.id),
        kind: domain::session::SessionKind::Patient.as_str(),
        acting_for: Some(acting_for),
        client_addr: ctx.client_addr.clone(),
    };
    let mut audit = ctx.audit("sign_in").on("login", login.id).detail("password");
    audit.practice = Some(PracticeId(login.practice_id));
    audit.actor_login = Some(LoginId(login.id));
    let replaced = ctx.session.as_ref().map(|s| s.token_hash.as_str());
    state.store.start_session(&session, replaced, Some(subject), &audit, ctx.now).await?;
    Ok(token)
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
    expect_response()?
        .append_header(http::header::SET_COOKIE, cookie::clear_session_cookie(state.config.secure_cookies));
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
    expect_response()?
        .append_header(http::header::SET_COOKIE, cookie::clear_session_cookie(state.config.secure_cookies));
    leptos_axum::redirect("/");
    Ok(())
}

#[cfg(feature = "ssr")]
pub(crate) fn expect_response() -> Result<leptos_axum::ResponseOptions, AppError> {
    use_context::<leptos_axum::ResponseOptions>().ok_or_else(|| {
        tracing::error!("no response options in the reactive context");
        AppError::Internal
    })
}
