//! The staff sign-in's second step: a code from an authenticator app (or a
//! recovery code), and enrolling an app the first time.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Who the pending sign-in is for, for the second-step pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingDetails {
    pub display_name: String,
    pub practice_name: String,
}

/// What the enrolment page shows: the QR code and the same secret as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub display_name: String,
    pub practice_name: String,
    /// An SVG drawing of the QR code, made on the server.
    pub qr_svg: String,
    /// The secret in groups of four, for typing instead of scanning.
    pub secret: String,
}

/// The recovery codes handed out once, at enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

pub const WRONG_CODE: &str = "The code is not right. Enter the 6-digit code your app shows now, or a recovery code";
#[cfg(feature = "ssr")]
const SIGN_IN_AGAIN: &str = "Your sign-in has timed out. Sign in again";

/// The check a typed code passes before anything is looked up.
pub fn check_code(code: &str) -> Result<(), AppError> {
    if code.trim().is_empty() {
        return Err(AppError::invalid("code", "Enter the 6-digit code from your authenticator app"));
    }
    Ok(())
}

#[cfg(feature = "ssr")]
async fn pending(
    state: &crate::server::AppState,
    ctx: &crate::server::Ctx,
) -> Result<Option<storage::two_factor::PendingSignInRow>, AppError> {
    let Some(hash) = &ctx.pending else {
        return Ok(None);
    };
    Ok(state.store.pending_sign_in(hash, ctx.now).await?.filter(|p| !p.disabled && p.staff_role.is_some()))
}

#[cfg(feature = "ssr")]
async fn practice_name(state: &crate::server::AppState, practice: i64) -> Result<String, AppError> {
    Ok(state.store.practice(domain::PracticeId(practice)).await?.ok_or(AppError::NotFound)?.name)
}

/// The pending sign-in behind this browser, if it has one that has not
/// timed out.
#[server(endpoint = "auth/pending")]
pub async fn pending_sign_in() -> Result<Option<PendingDetails>, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let Some(pending) = pending(&state, &ctx).await? else {
        return Ok(None);
    };
    let practice_name = practice_name(&state, pending.practice_id).await?;
    Ok(Some(PendingDetails { display_name: pending.display_name, practice_name }))
}

/// Second step: a code from the app (each works once) or an unused recovery
/// code. Failures count towards the same lock-out as wrong passwords.
#[server(endpoint = "auth/two-factor")]
pub async fn second_step(code: String) -> Result<(), AppError> {
    use domain::totp::{looks_like_code, verify, TotpSecret};
    use storage::two_factor::SecondStep;
    check_code(&code)?;
    let (state, ctx) = crate::server::context().await?;
    let pending = pending(&state, &ctx).await?.ok_or_else(|| AppError::Conflict(SIGN_IN_AGAIN.into()))?;
    let stored = pending.totp_secret.as_deref().ok_or(AppError::NotFound)?;
    let secret = TotpSecret::from_base32(&stored_secret(&state, stored)?).ok_or(AppError::Internal)?;
    let recovery_hashes = state.keys.recovery_code_hashes(&code);
    let step = if looks_like_code(&code) {
        verify(&secret, &code, ctx.now.timestamp(), pending.totp_last_step).map(|step| SecondStep::Code { step })
    } else {
        Some(SecondStep::RecoveryCode { code_hashes: &recovery_hashes })
    };
    let how = if matches!(step, Some(SecondStep::RecoveryCode { .. })) { "recovery code" } else { "authenticator app" };
    finish(&state, &ctx, &pending, step, "sign_in", how).await?;
    leptos_axum::redirect("/admin");
    Ok(())
}

/// The secret to enrol, shown as a QR code and as text. The same secret is
/// offered until a code from it is confirmed.
#[server(endpoint = "auth/two-factor-enrolment")]
pub async fn two_factor_enrolment() -> Result<Option<Enrolment>, AppError> {
    use domain::totp::TotpSecret;
    let (state, ctx) = crate::server::context().await?;
    let Some(pending) = pending(&state, &ctx).await? else {
        return Ok(None);
    };
    if pending.totp_secret.is_some() {
        return Err(AppError::Conflict(
            "You have set up an authenticator app already. Sign in with a code from it".into(),
        ));
    }
    // Kept (encrypted) with the pending sign-in: a reload offers the same one.
    let offered = state.keys.encrypt(&crate::server::secrets::new_totp_secret().to_base32());
    let kept = state.store.offer_totp_secret(pending.id, &offered).await?;
    let secret = TotpSecret::from_base32(&stored_secret(&state, &kept)?).ok_or(AppError::Internal)?;
    let practice_name = practice_name(&state, pending.practice_id).await?;
    let qr_svg = crate::server::qr::svg(&secret.otpauth_uri(&practice_name, &pending.email))?;
    Ok(Some(Enrolment { display_name: pending.display_name, practice_name, qr_svg, secret: secret.grouped() }))
}

/// Confirms enrolment with a first code from the app, signs in, and hands
/// out ten recovery codes, shown this once.
#[server(endpoint = "auth/enrol-two-factor")]
pub async fn enrol_two_factor(code: String) -> Result<RecoveryCodes, AppError> {
    use crate::server::secrets::new_recovery_codes;
    use domain::totp::{verify, TotpSecret};
    use storage::two_factor::SecondStep;
    check_code(&code)?;
    let (state, ctx) = crate::server::context().await?;
    let pending = pending(&state, &ctx).await?.ok_or_else(|| AppError::Conflict(SIGN_IN_AGAIN.into()))?;
    let offered = pending.new_totp_secret.clone().filter(|_| pending.totp_secret.is_none());
    let sealed = offered.ok_or_else(|| AppError::Conflict(SIGN_IN_AGAIN.into()))?;
    let secret = TotpSecret::from_base32(&stored_secret(&state, &sealed)?).ok_or(AppError::Internal)?;
    let codes = new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| state.keys.recovery_code_hash(c)).collect();
    let step = verify(&secret, &code, ctx.now.timestamp(), None).map(|step| SecondStep::Enrolment {
        secret: &sealed,
        step,
        recovery_code_hashes: &hashes,
    });
    finish(&state, &ctx, &pending, step, "two_factor_enrolled", "authenticator app set up").await?;
    Ok(RecoveryCodes { codes })
}

/// An authenticator secret as stored (encrypted), read with the data keys.
#[cfg(feature = "ssr")]
fn stored_secret(state: &crate::server::AppState, stored: &str) -> Result<String, AppError> {
    state.keys.decrypt(stored).map_err(|error| {
        tracing::error!(%error, "an authenticator secret could not be read");
        AppError::Internal
    })
}

/// Spends the pending sign-in and the step, starts the staff session and
/// swaps the cookies; or counts the failure.
#[cfg(feature = "ssr")]
async fn finish(
    state: &crate::server::AppState,
    ctx: &crate::server::Ctx,
    pending: &storage::two_factor::PendingSignInRow,
    step: Option<storage::two_factor::SecondStep<'_>>,
    action: &'static str,
    how: &str,
) -> Result<(), AppError> {
    use crate::server::{cookie, secrets, throttle};
    use domain::{LoginId, PracticeId};
    let subject = secrets::sign_in_subject(&pending.email);
    throttle::begin_attempt(state, ctx, &subject).await?;
    let login = LoginId(pending.login_id);
    let practice = PracticeId(pending.practice_id);
    let failed = || {
        throttle::sign_in_failed(
            state,
            ctx,
            &subject,
            Some((practice, login)),
            "second_step_failed",
            AppError::invalid("code", WRONG_CODE),
        )
    };
    let Some(step) = step else {
        return Err(failed().await);
    };
    let (token, token_hash) = secrets::new_token();
    let session = storage::sessions::NewSession {
        token_hash,
        practice,
        login,
        kind: domain::session::SessionKind::Staff.as_str(),
        acting_for: None,
        client_addr: ctx.client_addr.clone(),
    };
    let mut audit = ctx.audit(action).on("login", login).detail(how);
    audit.practice = Some(practice);
    audit.actor_login = Some(login);
    let finish = storage::two_factor::FinishSignIn {
        pending_id: pending.id,
        login,
        practice,
        step,
        subject: &subject,
        session: &session,
        audit: &audit,
        now: ctx.now,
    };
    match state.store.finish_sign_in(&finish).await {
        Ok(()) => {}
        // A code or recovery code already spent, or a pending sign-in another tab finished.
        Err(storage::StoreError::NotFound) => return Err(failed().await),
        Err(other) => return Err(other.into()),
    }
    let response = crate::api::auth::expect_response()?;
    response.append_header(http::header::SET_COOKIE, cookie::set_session_cookie(&token, state.config.secure_cookies));
    response.append_header(http::header::SET_COOKIE, cookie::clear_pending_cookie(state.config.secure_cookies));
    Ok(())
}
