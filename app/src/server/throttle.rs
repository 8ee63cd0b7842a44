//! The attempt limits of `domain::throttle`, applied to requests.

use super::{AppState, Ctx};
use crate::error::{AppError, AppResult};
use domain::throttle::{locked_message, slow_down_message, Limit};
use domain::{LoginId, PracticeId};
use storage::throttle::{AttemptKind, Counted, Gate, RequestLimits, SignInFailure};

/// Lets a sign-in step go ahead, counted in advance as a failure, or refuses
/// it while its email is locked or the client's address has failed across
/// too many emails. Checked before the password, so a locked email is refused
/// even with the right one. Returns the counted attempt.
pub async fn begin_attempt(state: &AppState, ctx: &Ctx, subject: &str) -> AppResult<i64> {
    match state.store.begin_sign_in_attempt(subject, ctx.client_addr.as_deref(), ctx.now).await? {
        Gate::Open { attempt } => Ok(attempt),
        Gate::Locked { until } => Err(AppError::TooManyRequests(locked_message(until))),
        Gate::SlowDown { until } => Err(AppError::TooManyRequests(slow_down_message(until))),
    }
}

/// Records a failed sign-in step (counted by [`begin_attempt`]) as `action`
/// in the audit trail.
/// Returns the error to show: `wrong`, or the lock-out message when this
/// failure locked the email.
pub async fn sign_in_failed(
    state: &AppState,
    ctx: &Ctx,
    subject: &str,
    login: Option<(PracticeId, LoginId)>,
    action: &'static str,
    wrong: AppError,
) -> AppError {
    let mut audit = ctx.audit(action);
    if let Some((practice, login)) = login {
        audit.practice = Some(practice);
        audit = audit.on("login", login);
    }
    let failure = SignInFailure { subject, login, client_addr: ctx.client_addr.as_deref(), now: ctx.now };
    match state.store.record_sign_in_failure(&failure, &audit).await {
        Ok(Some(until)) => AppError::TooManyRequests(locked_message(until)),
        Ok(None) => wrong,
        Err(error) => error.into(),
    }
}

/// Counts a request that is limited per subject and per client address
/// (password-reset and registration requests), counted and checked in one
/// write. Too many from one address is refused with a message; too many for
/// one subject is answered as usual but `Ok(false)` tells the caller to do
/// nothing, so the answer never says more.
pub async fn count_request(
    state: &AppState,
    ctx: &Ctx,
    kind: AttemptKind,
    subject: &str,
    per_subject: Limit,
    per_client: Limit,
) -> AppResult<bool> {
    let limits = RequestLimits { per_subject, per_client };
    match state.store.count_request(kind, subject, ctx.client_addr.as_deref(), limits, ctx.now).await? {
        Counted::ClientOverLimit { until } => Err(AppError::TooManyRequests(slow_down_message(until))),
        Counted::Counted { within_subject_limit } => Ok(within_subject_limit),
    }
}
