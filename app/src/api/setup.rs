//! Choosing a password from a single-use link: a set-up link (new accounts,
//! invited staff) or a password-reset link (asked for by email).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the page a link opens shows about the link's owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupLinkDetails {
    pub display_name: String,
    pub practice_name: String,
}

#[cfg(feature = "ssr")]
const LINK_GONE: &str = "This link has expired or has already been used";

/// Checks a set-up link before showing its form.
#[server(endpoint = "account/setup-link")]
pub async fn setup_link(token: String) -> Result<SetupLinkDetails, AppError> {
    link_details(storage::tokens::TokenPurpose::Setup, &token).await
}

/// Checks a password-reset link before showing its form.
#[server(endpoint = "account/reset-link")]
pub async fn reset_link(token: String) -> Result<SetupLinkDetails, AppError> {
    link_details(storage::tokens::TokenPurpose::Reset, &token).await
}

#[cfg(feature = "ssr")]
async fn link_details(purpose: storage::tokens::TokenPurpose, token: &str) -> Result<SetupLinkDetails, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let hash = crate::server::secrets::token_hash(token);
    let row = state.store.login_token(purpose, &hash).await?;
    let row = row.filter(|r| r.usable_at(ctx.now)).ok_or_else(|| AppError::Conflict(LINK_GONE.into()))?;
    let practice = state.store.practice(domain::PracticeId(row.practice_id)).await?.ok_or(AppError::NotFound)?;
    Ok(SetupLinkDetails { display_name: row.display_name, practice_name: practice.name })
}

/// The checks a chosen password passes; the same code runs in the browser
/// and on the server.
pub fn check_chosen_password(password: &str, confirm: &str) -> Result<(), AppError> {
    let mut problems = crate::error::Problems::new();
    problems.check_new_password("password", password, confirm);
    problems.finish()
}

/// Sets the password and spends the set-up link. On success the browser goes
/// to `/setup-complete`.
#[server(endpoint = "account/setup")]
pub async fn complete_setup(token: String, password: String, confirm_password: String) -> Result<(), AppError> {
    spend_link(storage::tokens::TokenPurpose::Setup, token, password, confirm_password).await
}

/// Sets a new password from a reset link, which works once and for an hour.
/// Every session of the login ends, any lock-out of its email ends, and the
/// owner is told by email.
#[server(endpoint = "account/reset-password")]
pub async fn reset_password(token: String, password: String, confirm_password: String) -> Result<(), AppError> {
    spend_link(storage::tokens::TokenPurpose::Reset, token, password, confirm_password).await
}

#[cfg(feature = "ssr")]
async fn spend_link(
    purpose: storage::tokens::TokenPurpose,
    token: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use crate::server::secrets;
    use storage::tokens::{TokenPurpose, UseToken};
    check_chosen_password(&password, &confirm_password)?;
    secrets::refuse_common_password("password", &password)?;
    let (state, ctx) = crate::server::context().await?;
    let token_hash = secrets::token_hash(&token);
    let row = state.store.login_token(purpose, &token_hash).await?;
    let row = row.filter(|r| r.usable_at(ctx.now)).ok_or_else(|| AppError::Conflict(LINK_GONE.into()))?;
    let hash = secrets::hash_password(password).await?;
    let subject = secrets::sign_in_subject(&row.email);
    let action = if purpose == TokenPurpose::Reset { "password_reset" } else { "password_set" };
    let notice = (purpose == TokenPurpose::Reset).then(|| {
        let text = domain::mail::PasswordWasReset { name: &row.display_name }.render();
        storage::outbox::NewMail::new(domain::PracticeId(row.practice_id), &row.email, text)
    });
    let audit = ctx.audit(action);
    let spend = UseToken {
        purpose,
        token_hash: &token_hash,
        password_hash: &hash,
        subject: &subject,
        audit: &audit,
        mail: notice.as_ref(),
        now: ctx.now,
    };
    match state.store.use_login_token(&spend).await {
        Ok(_) => {
            leptos_axum::redirect("/setup-complete");
            Ok(())
        }
        Err(storage::StoreError::NotFound) => Err(AppError::Conflict(LINK_GONE.into())),
        Err(other) => Err(other.into()),
    }
}
