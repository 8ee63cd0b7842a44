//! The request context: who is asking, for which practice, and when.

use super::AppState;
use crate::error::{AppError, AppResult};
use axum::extract::FromRequestParts;
use chrono::{DateTime, Utc};
use domain::{Actor, OdsCode, PracticeId, PracticeName};
use http::request::Parts;
use leptos::prelude::use_context;

/// A practice as the rest of a request refers to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeRef {
    pub id: PracticeId,
    pub ods_code: OdsCode,
    pub name: PracticeName,
}

impl PracticeRef {
    pub fn from_row(row: &storage::practices::PracticeRow) -> AppResult<Self> {
        Ok(Self {
            id: PracticeId(row.id),
            ods_code: OdsCode::parse(&row.ods_code).map_err(|_| AppError::Internal)?,
            name: PracticeName::parse(&row.name).map_err(|_| AppError::Internal)?,
        })
    }
}

/// Built once per request by the server's middleware and read by every page,
/// server function and handler. Every storage call that touches practice data
/// takes its practice from here.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The practice the request is about: the login's practice once signed in,
    /// otherwise the deployment's default practice (if it names one).
    pub practice: Option<PracticeRef>,
    pub actor: Actor,
    /// The instant the request started, from the injected clock.
    pub now: DateTime<Utc>,
    pub request_id: String,
}

impl Ctx {
    pub async fn build(state: &AppState, parts: &Parts) -> AppResult<Self> {
        let practice = match &state.config.default_practice {
            Some(ods) => match state.store.practice_by_ods(ods).await? {
                Some(row) => Some(PracticeRef::from_row(&row)?),
                None => None,
            },
            None => None,
        };
        let request_id = parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        Ok(Self { practice, actor: Actor::Anonymous, now: state.clock.now(), request_id })
    }

    /// The practice, or "not found" for requests that need one and have none.
    pub fn practice(&self) -> AppResult<&PracticeRef> {
        self.practice.as_ref().ok_or(AppError::NotFound)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(ctx) = parts.extensions.get::<Ctx>() {
            return Ok(ctx.clone());
        }
        let state = parts.extensions.get::<AppState>().cloned().ok_or_else(|| {
            tracing::error!("AppState missing from request extensions");
            AppError::Internal
        })?;
        let ctx = Ctx::build(&state, parts).await?;
        parts.extensions.insert(ctx.clone());
        Ok(ctx)
    }
}

/// The state and context of the request being served, for server functions
/// and pages rendering on the server.
pub async fn context() -> AppResult<(AppState, Ctx)> {
    let mut parts = use_context::<Parts>().ok_or_else(|| {
        tracing::error!("no request in the reactive context");
        AppError::Internal
    })?;
    let ctx = Ctx::from_request_parts(&mut parts, &()).await?;
    let state = parts.extensions.get::<AppState>().cloned().ok_or(AppError::Internal)?;
    Ok((state, ctx))
}
