//! A signed-in person's own account.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the account page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetails {
    pub name: String,
    pub email: String,
    pub practice_name: String,
    pub is_staff: bool,
    /// For a patient: the services their pages link to.
    pub appointments: bool,
    pub prescriptions: bool,
    pub messaging: bool,
    pub record: bool,
    /// The person acted for through proxy access, named on every page.
    pub acting_for: Option<String>,
    /// Whether they act for anyone (so pages offer "switch person").
    pub acts_for_others: bool,
}

#[server(endpoint = "account/details")]
pub async fn load_account() -> Result<AccountDetails, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (_, session) = ctx.own_login()?;
    let (available, acting_for) = match ctx.actor {
        domain::Actor::Patient { practice, patient, .. } => {
            (crate::server::services::services_for(&state, &ctx, practice, patient).await?.1, None)
        }
        domain::Actor::Proxy { practice, acting_for, .. } => {
            let (row, available) = crate::server::services::services_for(&state, &ctx, practice, acting_for).await?;
            (available, Some(format!("{} {}", row.given_name, row.family_name)))
        }
        _ => (domain::services::Available::NOTHING, None),
    };
    let acts_for_others = match ctx.actor {
        domain::Actor::Patient { login, .. } => state.store.holds_proxy_grants(login).await?,
        domain::Actor::Proxy { .. } => true,
        _ => false,
    };
    Ok(AccountDetails {
        acting_for,
        acts_for_others,
        appointments: available.appointments,
        prescriptions: available.prescriptions,
        messaging: available.messaging,
        record: available.record.is_some(),
        name: session.display_name.clone(),
        email: session.email.clone(),
        practice_name: ctx.practice()?.name.to_string(),
        is_staff: matches!(ctx.actor, domain::Actor::Staff { .. }),
    })
}

/// The checks a password change passes before the current password is
/// tried; the same code runs in the browser and on the server.
pub fn check_password_change(current: &str, new: &str, confirm: &str) -> Result<(), AppError> {
    let mut problems = crate::error::Problems::new();
    if current.is_empty() {
        problems.add("current_password", "Enter your current password");
    }
    problems.check_new_password("new_password", new, confirm);
    problems.finish()
}

/// Changes the signed-in login's password. Every other session of the login
/// ends, and the owner is told by email.
#[server(endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use crate::server::{secrets, throttle};
    let (state, ctx) = crate::server::context().await?;
    let (login, session) = ctx.own_login()?;
    check_password_change(&current_password, &new_password, &confirm_password)?;
    secrets::refuse_common_password("new_password", &new_password)?;
    let row = state.store.login(login).await?.ok_or(AppError::SignInRequired)?;
    // The current password is a guess like any sign-in: counted and locked alike.
    let subject = secrets::sign_in_subject(&row.email);
    let attempt = throttle::begin_attempt(&state, &ctx, &subject).await?;
    if !secrets::verify_password_or_waste_time(current_password, row.password_hash.clone()).await? {
        let wrong = AppError::invalid("current_password", "Your current password is not right");
        let login = Some((domain::PracticeId(row.practice_id), login));
        return Err(throttle::sign_in_failed(&state, &ctx, &subject, login, "password_change_failed", wrong).await);
    }
    state.store.forget_attempt(attempt).await?;
    let hash = secrets::hash_password(new_password).await?;
    let practice = ctx.practice()?;
    let text = domain::mail::PasswordChanged { name: &row.display_name, practice: practice.name.as_str() }.render();
    let mail = storage::outbox::NewMail::new(practice.id, &row.email, text);
    let audit = ctx.audit("password_changed").on("login", login);
    state.store.change_password(login, &hash, Some(&session.token_hash), &audit, &mail, ctx.now).await?;
    leptos_axum::redirect("/account?changed=password");
    Ok(())
}
