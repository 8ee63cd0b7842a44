//! Setting a password from a single-use set-up link.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the set-up page shows about the link's owner.
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
    let (state, ctx) = crate::server::context().await?;
    let hash = crate::server::secrets::token_hash(&token);
    let row = state.store.setup_token(&hash).await?;
    let row = row.filter(|r| r.usable_at(ctx.now)).ok_or_else(|| AppError::Conflict(LINK_GONE.into()))?;
    let practice = state
        .store
        .practice(domain::PracticeId(row.practice_id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(SetupLinkDetails { display_name: row.display_name, practice_name: practice.name })
}

/// The checks a chosen password passes; the same code runs in the browser
/// and on the server.
pub fn check_chosen_password(password: &str, confirm: &str) -> Result<(), AppError> {
    let mut problems = crate::error::Problems::new();
    problems.check_new_password("password", password, confirm);
    problems.finish()
}

/// Sets the password and spends the link. On success the browser goes to
/// `/setup-complete`.
#[server(endpoint = "account/setup")]
pub async fn complete_setup(token: String, password: String, confirm_password: String) -> Result<(), AppError> {
    check_chosen_password(&password, &confirm_password)?;
    let (state, ctx) = crate::server::context().await?;
    let hash = crate::server::secrets::hash_password(password).await?;
    let token_hash = crate::server::secrets::token_hash(&token);
    match state.store.use_setup_token(&token_hash, &hash, ctx.now).await {
        Ok(_) => {
            leptos_axum::redirect("/setup-complete");
            Ok(())
        }
        Err(storage::StoreError::NotFound) => Err(AppError::Conflict(LINK_GONE.into())),
        Err(other) => Err(other.into()),
    }
}
