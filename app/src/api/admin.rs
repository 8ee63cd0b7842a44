//! The staff area: overview, audit trail, outbox and sessions.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use domain::time::display_london;

/// A member of staff as the admin area lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffListing {
    pub name: String,
    pub email: String,
    pub role: String,
}

/// What the frame of every admin page shows, and nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminSummary {
    pub practice_name: String,
    pub signed_in_as: String,
    pub is_practice_admin: bool,
    /// Whether they may issue online accounts (receptionists and practice admins).
    pub can_issue_online_accounts: bool,
    /// Requests for online services waiting for staff (for those who handle them).
    pub open_access_requests: i64,
    /// Whether they may see the practice dashboard (clinicians and practice admins).
    pub can_view_dashboard: bool,
}

/// The admin home: the frame, the staff and how many patients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeOverview {
    pub frame: AdminSummary,
    pub staff: Vec<StaffListing>,
    pub patients: i64,
    /// Conversations waiting for the practice.
    pub messages: crate::api::inbox::MessageCounts,
}

/// Staff only: the admin frame's few facts. Every admin page loads this, so
/// it carries nothing a page does not show (no staff list, no emails).
#[server(endpoint = "admin/frame")]
pub async fn admin_frame() -> Result<AdminSummary, AppError> {
    use domain::policy::Action;
    use domain::StaffRole;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::UseStaffArea)?;
    let row = state.store.practice(practice).await?.ok_or(AppError::NotFound)?;
    let can_issue_online_accounts =
        ctx.authorize(Action::IssueOnlineAccounts, domain::policy::Object::Practice(practice)).is_ok();
    let open_access_requests =
        if can_issue_online_accounts { state.store.open_access_requests(practice).await? } else { 0 };
    Ok(AdminSummary {
        practice_name: row.name,
        signed_in_as: ctx.session.as_ref().map(|s| s.display_name.clone()).unwrap_or_default(),
        is_practice_admin: matches!(ctx.actor, domain::Actor::Staff { role: StaffRole::PracticeAdmin, .. }),
        can_issue_online_accounts,
        open_access_requests,
        can_view_dashboard: ctx.authorize(Action::ViewDashboard, domain::policy::Object::Practice(practice)).is_ok(),
    })
}

/// Staff only: the admin home, with who works at the practice and how many
/// patients it has.
#[server(endpoint = "admin/overview")]
pub async fn admin_overview() -> Result<PracticeOverview, AppError> {
    use domain::policy::Action;
    use domain::StaffRole;
    let frame = admin_frame().await?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::UseStaffArea)?;
    let staff = state
        .store
        .staff_of_practice(practice)
        .await?
        .into_iter()
        .map(|s| StaffListing {
            role: StaffRole::parse(&s.role).map(StaffRole::label).unwrap_or("Unknown").to_owned(),
            name: s.display_name,
            email: s.email,
        })
        .collect();
    let patients = state.store.count_patients(practice).await?;
    let messages = crate::api::inbox::inbox_counts().await?;
    Ok(PracticeOverview { frame, staff, patients, messages })
}

/// One line of the audit trail, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: String,
    pub action: String,
    pub actor: String,
    pub object: String,
    pub detail: String,
    pub client_addr: String,
    pub request_id: String,
}

/// Practice admins: the audit trail, newest first, filtered by action, by
/// who acted (email) and by day (`from` and `to` as YYYY-MM-DD, inclusive).
#[server(endpoint = "admin/audit", input = GetUrl)]
pub async fn audit_trail(action: String, actor: String, from: String, to: String) -> Result<Vec<AuditLine>, AppError> {
    use chrono::{NaiveDate, TimeDelta};
    use domain::policy::Action;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::ViewAuditTrail)?;
    use domain::time::from_london;
    // Days are London days: from midnight to midnight, practice time.
    let day = |field: &str, value: &str| -> Result<Option<NaiveDate>, AppError> {
        if value.trim().is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::invalid(field, "Enter a date like 2026-03-02"))
    };
    let filter = storage::audit::AuditFilter {
        action: Some(action.trim().to_owned()).filter(|a| !a.is_empty()),
        actor_email: Some(actor.trim().to_owned()).filter(|a| !a.is_empty()),
        from: day("from", &from)?.map(|d| from_london(d.and_time(chrono::NaiveTime::MIN))),
        until: day("to", &to)?.map(|d| from_london((d + TimeDelta::days(1)).and_time(chrono::NaiveTime::MIN))),
        limit: 200,
    };
    let rows = state.store.audit_events(practice, &filter).await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditLine {
            at: display_london(r.at.0),
            action: r.action,
            actor: r.actor_email.unwrap_or_else(|| "(nobody signed in)".into()),
            object: match (r.object_type, r.object_id) {
                (Some(kind), Some(id)) => format!("{kind} {id}"),
                _ => String::new(),
            },
            detail: r.detail.unwrap_or_default(),
            client_addr: r.client_addr.unwrap_or_default(),
            request_id: r.request_id.unwrap_or_default(),
        })
        .collect())
}

/// A message in the outbox, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxLine {
    pub created: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub status: String,
}

/// Practice admins: mail waiting to be sent, and sent.
#[server(endpoint = "admin/outbox")]
pub async fn outbox() -> Result<Vec<OutboxLine>, AppError> {
    use domain::policy::Action;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::ViewOutbox)?;
    let rows = state.store.outbox_of_practice(practice, 200).await?;
    Ok(rows
        .into_iter()
        .map(|r| OutboxLine {
            created: display_london(r.created_at.0),
            to: r.to_address,
            subject: r.subject,
            body: hide_links(&r.body),
            status: match (r.sent_at, r.abandoned_at) {
                (Some(sent), _) => format!("Sent {}", display_london(sent.0)),
                (None, Some(_)) => {
                    format!("Not sent after {} attempts: {}", r.attempts, r.last_error.unwrap_or_default())
                }
                (None, None) if r.attempts > 0 => {
                    format!("Waiting (attempt {} failed: {})", r.attempts, r.last_error.unwrap_or_default())
                }
                (None, None) => "Waiting".into(),
            },
        })
        .collect())
}

/// A signed-in session, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionLine {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub kind: String,
    pub started: String,
    pub last_seen: String,
    pub is_yours: bool,
}

/// Practice admins: everyone signed in at the practice.
#[server(endpoint = "admin/sessions")]
pub async fn sessions() -> Result<Vec<SessionLine>, AppError> {
    use domain::policy::Action;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::ViewSessions)?;
    let own = ctx.session.as_ref().map(|s| s.id);
    let rows = state.store.sessions_of_practice(practice).await?;
    Ok(rows
        .into_iter()
        .map(|r| SessionLine {
            id: r.id,
            name: r.display_name,
            email: r.email,
            kind: if r.kind == "staff" { "Staff".into() } else { "Patient".into() },
            started: display_london(r.created_at.0),
            last_seen: display_london(r.last_seen_at.0),
            is_yours: Some(r.id) == own,
        })
        .collect())
}

/// Practice admins: ends someone's session at the practice.
#[server(endpoint = "admin/sessions/end")]
pub async fn end_session(session_id: i64) -> Result<(), AppError> {
    use domain::policy::{Action, Object};
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::ViewSessions)?;
    let login = state.store.session_login_in_practice(practice, session_id).await?.ok_or(AppError::NotFound)?;
    ctx.authorize(Action::EndSession, Object::Login { login, practice })?;
    let audit = ctx.audit("session_ended_by_admin").on("session", session_id).detail(format!("login {login}"));
    state.store.end_session_in_practice(practice, session_id, &audit).await?;
    leptos_axum::redirect(&format!("/admin/sessions?ended={session_id}"));
    Ok(())
}

/// A lock-out, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockoutLine {
    pub name: String,
    pub email: String,
    pub locked_at: String,
    pub locked_until: String,
    pub still_locked: bool,
    pub client_addr: String,
}

/// Practice admins: logins of the practice locked after failed sign-ins,
/// latest first.
#[server(endpoint = "admin/lockouts")]
pub async fn lockouts() -> Result<Vec<LockoutLine>, AppError> {
    use domain::policy::Action;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::ViewLockouts)?;
    let rows = state.store.lockouts_of_practice(practice, 200).await?;
    Ok(rows
        .into_iter()
        .map(|r| LockoutLine {
            name: r.display_name.unwrap_or_default(),
            email: r.email.unwrap_or_default(),
            locked_at: display_london(r.locked_at.0),
            locked_until: display_london(r.locked_until.0),
            still_locked: r.locked_until.0 > ctx.now,
            client_addr: r.client_addr.unwrap_or_default(),
        })
        .collect())
}

/// Single-use links in an email (set-up and password-reset) are secrets for
/// the person it was sent to: the outbox shows where they point, not the token.
#[cfg(feature = "ssr")]
fn hide_links(body: &str) -> String {
    body.split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            match ["/setup/", "/reset-password/"].iter().find_map(|path| trimmed.find(path).map(|at| at + path.len())) {
                Some(end) if end < trimmed.len() => {
                    format!("{}(link hidden){}", &trimmed[..end], &word[trimmed.len()..])
                }
                _ => word.to_owned(),
            }
        })
        .collect()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn single_use_links_are_hidden_in_the_outbox() {
        let body = "Open this link:\n\nhttp://x.example/reset-password/abc123\n\nThanks";
        let shown = super::hide_links(body);
        assert!(!shown.contains("abc123"));
        assert!(shown.contains("http://x.example/reset-password/(link hidden)\n\nThanks"));
        assert_eq!(super::hide_links("No links here."), "No links here.");
    }
}
