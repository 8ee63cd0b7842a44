//! Asking for a password-reset link by email.

use crate::error::AppError;
use leptos::prelude::*;

/// How long a reset link works.
#[cfg(feature = "ssr")]
const RESET_LINK_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// The check the request form passes, in the browser and on the server.
pub fn check_reset_request(email: &str) -> Result<(), AppError> {
    let mut problems = crate::error::Problems::new();
    if email.trim().is_empty() {
        problems.add("email", "Enter your email address");
    } else {
        problems.check("email", domain::Email::parse(email));
    }
    problems.finish()
}

/// Sends a reset link when the email has an active login. The answer is the
/// same whether it has one or not: the browser always goes to
/// `/forgot-password/sent`.
#[server(endpoint = "account/forgot-password")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::server::{secrets, throttle};
    use domain::throttle::{PASSWORD_RESETS_PER_CLIENT, PASSWORD_RESETS_PER_EMAIL};
    use domain::{LoginId, PracticeId};
    use storage::throttle::AttemptKind;
    check_reset_request(&email)?;
    let (state, ctx) = crate::server::context().await?;
    let subject = secrets::sign_in_subject(&email);
    let allowed = throttle::count_request(
        &state,
        &ctx,
        AttemptKind::PasswordReset,
        &subject,
        PASSWORD_RESETS_PER_EMAIL,
        PASSWORD_RESETS_PER_CLIENT,
    )
    .await?;
    let login = state.store.login_by_email(email.trim()).await?.filter(|l| !l.disabled);
    if let (true, Some(login)) = (allowed, login) {
        let (token, token_hash) = secrets::new_token();
        let practice = state.store.practice(PracticeId(login.practice_id)).await?.ok_or(AppError::NotFound)?;
        let link = format!("{}/reset-password/{token}", state.config.public_url);
        let text =
            domain::mail::ResetLink { name: &login.display_name, practice: &practice.name, link: &link }.render();
        let mail = storage::outbox::NewMail::new(PracticeId(login.practice_id), &login.email, text);
        let new_token = storage::tokens::NewToken { token_hash, expires_at: ctx.now + RESET_LINK_LIFETIME };
        let mut audit = ctx.audit("password_reset_requested").on("login", login.id);
        audit.practice = Some(PracticeId(login.practice_id));
        state
            .store
            .create_reset_token(PracticeId(login.practice_id), LoginId(login.id), &new_token, &mail, &audit, ctx.now)
            .await?;
    }
    leptos_axum::redirect("/forgot-password/sent");
    Ok(())
}
