//! The request context: who is asking, for whom, at which practice, and when.

use super::{cookie, secrets, AppState};
use crate::error::{AppError, AppResult};
use axum::extract::{ConnectInfo, FromRequestParts};
use chrono::{DateTime, Utc};
use domain::policy::{authorize, Action, Object, Refusal};
use domain::proxy::{ProxyRefusal, ProxyServices};
use domain::session::{liveness, Liveness, SessionKind};
use domain::{Actor, LoginId, OdsCode, PatientId, PracticeId, PracticeName, StaffRole};
use http::request::Parts;
use leptos::prelude::use_context;
use std::net::SocketAddr;
use storage::audit::NewAudit;
use storage::sessions::SessionRow;

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

/// The signed-in session behind a request.
#[derive(Debug, Clone)]
pub struct SessionRef {
    pub id: i64,
    pub token_hash: String,
    pub display_name: String,
    pub email: String,
}

/// Built once per request and read by every page, server function and
/// handler. Every storage call that touches practice data takes its practice
/// from here, and every decision takes its time from `now`.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The practice the request is about: the signed-in login's practice,
    /// otherwise the deployment's default practice (if it names one).
    pub practice: Option<PracticeRef>,
    pub actor: Actor,
    pub session: Option<SessionRef>,
    /// The instant the request started, from the injected clock.
    pub now: DateTime<Utc>,
    pub request_id: String,
    pub client_addr: Option<String>,
    /// The hash of the pending sign-in token the browser sent (a staff
    /// password waiting for its second step), if any.
    pub pending: Option<String>,
    /// Why a proxy's grant cannot be used now, when it cannot: the actor
    /// then has no services, and pages say this instead.
    pub proxy_refusal: Option<domain::proxy::ProxyRefusal>,
}

impl Ctx {
    pub async fn build(state: &AppState, parts: &Parts) -> AppResult<Self> {
        let now = state.clock.now();
        let (actor, session, proxy_refusal) = match cookie::session_token(parts) {
            Some(token) => resolve_session(state, &secrets::token_hash(&token), now).await?,
            None => (Actor::Anonymous, None, None),
        };
        let practice_row = match actor.practice() {
            Some(id) => state.store.practice(id).await?,
            None => match &state.config.default_practice {
                Some(ods) => state.store.practice_by_ods(ods).await?,
                None => None,
            },
        };
        let practice = practice_row.as_ref().map(PracticeRef::from_row).transpose()?;
        let request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let client_addr = client_addr(parts, state.config.behind_proxy);
        let pending = cookie::pending_token(parts).map(|token| secrets::token_hash(&token));
        Ok(Self { practice, actor, session, now, request_id, client_addr, pending, proxy_refusal })
    }

    /// The practice, or "not found" for requests that need one and have none.
    pub fn practice(&self) -> AppResult<&PracticeRef> {
        self.practice.as_ref().ok_or(AppError::NotFound)
    }

    /// Asks the policy whether this request's actor may do `action` to `object`.
    pub fn authorize(&self, action: Action, object: Object) -> AppResult<()> {
        authorize(&self.actor, action, object).map_err(|refusal| match refusal {
            Refusal::SignInRequired => AppError::SignInRequired,
            Refusal::Forbidden => AppError::Forbidden,
        })
    }

    /// The staff member's practice, once the policy allows `action` there.
    pub fn staff_practice(&self, action: Action) -> AppResult<PracticeId> {
        let practice = self.actor.practice().ok_or(AppError::SignInRequired)?;
        self.authorize(action, Object::Practice(practice))?;
        Ok(practice)
    }

    /// The signed-in login, once the policy allows it to use its own account.
    pub fn own_login(&self) -> AppResult<(LoginId, &SessionRef)> {
        self.authorize(Action::UseOwnAccount, Object::OwnLogin)?;
        match (self.actor.login(), &self.session) {
            (Some(login), Some(session)) => Ok((login, session)),
            _ => Err(AppError::SignInRequired),
        }
    }

    /// An audit event for this request, filled with who, for whom, when and
    /// from where.
    pub fn audit(&self, action: &'static str) -> NewAudit {
        NewAudit {
            practice: self.actor.practice().or(self.practice.as_ref().map(|p| p.id)),
            actor_login: self.actor.login(),
            acting_for: match self.actor {
                Actor::Proxy { acting_for, .. } => Some(acting_for),
                _ => None,
            },
            action,
            object_type: None,
            object_id: None,
            detail: None,
            at: self.now,
            client_addr: self.client_addr.clone(),
            request_id: Some(self.request_id.clone()).filter(|id| !id.is_empty()),
        }
    }
}

/// The client's address: the connection's, or behind a proxy the last entry
/// of `X-Forwarded-For` (earlier entries are whatever the client claimed).
/// Behind a proxy, a request without a readable header is counted under the
/// connection's address (the proxy's): every per-address limit still holds.
fn client_addr(parts: &Parts, behind_proxy: bool) -> Option<String> {
    let forwarded = || {
        let header = parts.headers.get_all("x-forwarded-for").iter().next_back()?.to_str().ok()?;
        let last = header.rsplit(',').next()?.trim();
        last.parse::<std::net::IpAddr>().ok().map(|ip| ip.to_string())
    };
    let peer = || parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip().to_string());
    if behind_proxy {
        return forwarded().or_else(peer);
    }
    peer()
}

/// Turns a presented session token into the actor it signs in, ending the
/// session when it has lapsed or its login is disabled.
async fn resolve_session(
    state: &AppState,
    token_hash: &str,
    now: DateTime<Utc>,
) -> AppResult<(Actor, Option<SessionRef>, Option<ProxyRefusal>)> {
    let Some((row, kind)) = live_session(state, token_hash, now, Activity::Request).await? else {
        return Ok((Actor::Anonymous, None, None));
    };
    let (actor, refusal) = match actor_of(&row, kind).ok_or(AppError::Internal)? {
        Actor::Proxy { login, acting_for, practice, .. } => {
            proxy_today(state, (login, practice, row.own_patient_id.map(PatientId)), acting_for, now).await?
        }
        other => (other, None),
    };
    let session =
        SessionRef { id: row.id, token_hash: token_hash.to_owned(), display_name: row.display_name, email: row.email };
    Ok((actor, Some(session), refusal))
}

/// Why a session is being looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// A request from the person: it counts as activity.
    Request,
    /// A check that an open live stream may go on: it does not.
    StreamCheck,
}

/// The session with this token hash while it lasts at `now`, noting a
/// request's activity (in memory, written in batches: see
/// [`super::activity`]); a session that has lapsed, or whose login is
/// disabled, is ended and gives `None`. Live streams ask again every few
/// seconds, without keeping the session alive.
pub async fn live_session(
    state: &AppState,
    token_hash: &str,
    now: DateTime<Utc>,
    activity: Activity,
) -> AppResult<Option<(SessionRow, SessionKind)>> {
    let Some(row) = state.store.session_by_token(token_hash).await? else {
        return Ok(None);
    };
    let kind = SessionKind::parse(&row.kind).ok_or(AppError::Internal)?;
    // This server's own note of the session's last use is newer than the
    // database's until the next batch is written.
    let last_seen = state.activity.last_seen(row.id).map_or(row.last_seen_at.0, |noted| noted.max(row.last_seen_at.0));
    let live = !row.login_disabled && liveness(kind, row.created_at.0, last_seen, now) == Liveness::Live;
    if !live {
        state.activity.forget(row.id);
        state.store.end_session(token_hash, None).await?;
        return Ok(None);
    }
    if activity == Activity::Request {
        state.activity.saw(row.id, now);
    }
    Ok(Some((row, kind)))
}

fn actor_of(row: &SessionRow, kind: SessionKind) -> Option<Actor> {
    let login = LoginId(row.login_id);
    let practice = PracticeId(row.practice_id);
    match kind {
        SessionKind::Staff => {
            let role = StaffRole::parse(row.staff_role.as_deref()?)?;
            Some(Actor::Staff { login, practice, role })
        }
        SessionKind::Patient => {
            let subject = PatientId(row.acting_for_patient_id.or(row.own_patient_id)?);
            if Some(subject.0) == row.own_patient_id {
                Some(Actor::Patient { login, patient: subject, practice })
            } else {
                // What the grant allows is worked out next (`proxy_today`).
                Some(Actor::Proxy { login, acting_for: subject, practice, services: ProxyServices::NONE })
            }
        }
    }
}

/// A proxy acting for `subject`: the grant they hold, worked out for today
/// from the subject's date of birth and their practice's ages. The actor is
/// at the subject's practice, with the services allowed today, or none and
/// the refusal. A day's first use is noted, for the 5-year rule. A grant
/// ended meanwhile leaves them acting for themself (the login's own
/// patient, at its own practice), told why.
async fn proxy_today(
    state: &AppState,
    (login, own_practice, own_patient): (LoginId, PracticeId, Option<PatientId>),
    subject: PatientId,
    now: DateTime<Utc>,
) -> AppResult<(Actor, Option<ProxyRefusal>)> {
    use domain::proxy::{Closed, Standing};
    let today = domain::time::to_london(now).date();
    let grant = state.store.open_proxy_grant(login, subject).await?;
    let Some(grant) = grant else {
        let actor = match own_patient {
            Some(patient) => Actor::Patient { login, patient, practice: own_practice },
            None => Actor::Proxy { login, acting_for: subject, practice: own_practice, services: ProxyServices::NONE },
        };
        return Ok((actor, Some(ProxyRefusal::Closed(Closed::Ended))));
    };
    let practice = PracticeId(grant.practice_id);
    let (services, refusal) = match super::proxy::Ages::default().standing(&state.store, &grant, today).await? {
        Standing::Open { services, .. } => {
            if grant.last_used_on.is_none_or(|used| used < today) {
                state.store.note_proxy_use(grant.id, today).await?;
            }
            (services, None)
        }
        Standing::Closed(closed) => (ProxyServices::NONE, Some(ProxyRefusal::Closed(closed))),
    };
    Ok((Actor::Proxy { login, acting_for: subject, practice, services }, refusal))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(forwarded: Option<&str>) -> Parts {
        let mut builder = http::Request::builder();
        if let Some(value) = forwarded {
            builder = builder.header("x-forwarded-for", value);
        }
        let (mut parts, _) = builder.body(()).unwrap().into_parts();
        parts.extensions.insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 4000))));
        parts
    }

    #[test]
    fn the_client_address_is_the_connections_unless_behind_a_proxy() {
        assert_eq!(client_addr(&parts(Some("203.0.113.9")), false).as_deref(), Some("10.0.0.1"));
        assert_eq!(client_addr(&parts(Some("1.2.3.4, 203.0.113.9")), true).as_deref(), Some("203.0.113.9"));
    }

    #[test]
    fn behind_a_proxy_a_missing_or_unreadable_forwarded_header_counts_under_the_connections_address() {
        assert_eq!(client_addr(&parts(Some("not an address")), true).as_deref(), Some("10.0.0.1"));
        assert_eq!(client_addr(&parts(Some("203.0.113.9, ")), true).as_deref(), Some("10.0.0.1"));
        assert_eq!(client_addr(&parts(None), true).as_deref(), Some("10.0.0.1"));
    }
}
