//! Staff: the practice's inbox of patients' conversations, and one
//! conversation with the patient's details, to reply, assign and close.
//! Every conversation a member of staff opens is audited.

use crate::api::appointments::Choice;
use crate::api::messages::MessageView;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// The inbox's lists, as links: `(key, label)`. A team's key is `team-{team}`.
pub const VIEWS: &[(&str, &str)] = &[
    ("unassigned", "Not assigned"),
    ("mine", "Assigned to me"),
    ("team-reception", "Reception"),
    ("team-clinicians", "Clinicians"),
    ("team-prescriptions", "Prescriptions"),
    ("waiting", "Waiting for the patient"),
    ("closed", "Closed"),
];

/// A conversation in an inbox list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxLine {
    pub id: i64,
    pub patient_name: String,
    pub subject: String,
    pub category: String,
    pub urgent: bool,
    /// The red-flag phrases found, such as "chest pain".
    pub red_flags: String,
    /// Who has it: a name, a team, or "Nobody yet".
    pub assigned: String,
    /// When its newest message came: how long it has waited.
    pub last_message: String,
    pub unread: bool,
}

/// One inbox list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxList {
    /// The list shown (a key of [`VIEWS`]).
    pub view: String,
    pub threads: Vec<InboxLine>,
}

/// A conversation as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffThreadView {
    pub id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    /// "NHS number" (or the identifier's kind), and the number as people read it.
    pub identifier_label: String,
    pub identifier: String,
    pub date_of_birth: String,
    pub subject: String,
    pub category: String,
    pub status: String,
    pub closed: bool,
    pub outcome: Option<String>,
    pub urgent: bool,
    pub red_flags: String,
    pub assigned: String,
    /// The assignment's version as seen: assigning from a stale view is refused.
    pub version: i32,
    pub messages: Vec<MessageView>,
    /// Whom it can be assigned to: `me`, `login-{id}`, `team-{team}`.
    pub assign_to: Vec<Choice>,
}

/// The counts the admin home shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageCounts {
    pub unassigned: i64,
    pub mine: i64,
    pub urgent: i64,
}

#[cfg(feature = "ssr")]
mod shared {
    use super::*;
    use domain::messages::Team;
    use storage::messages::{Assignee, InboxView, ThreadRow};

    /// Who a conversation is with, as a list says it.
    pub fn assigned(row: &ThreadRow) -> String {
        match (&row.assigned_name, row.assigned_team.as_deref().and_then(Team::parse)) {
            (Some(name), _) => name.clone(),
            (None, Some(team)) => team.label().to_owned(),
            (None, None) => "Nobody yet".to_owned(),
        }
    }

    /// Reads a list's key.
    pub fn view_of(key: &str, me: domain::LoginId) -> Option<InboxView> {
        Some(match key {
            "" | "unassigned" => InboxView::Unassigned,
            "mine" => InboxView::Mine(me),
            "waiting" => InboxView::WaitingForPatient,
            "closed" => InboxView::Closed,
            other => InboxView::Team(Team::parse(other.strip_prefix("team-")?)?),
        })
    }

    /// Reads whom to assign to.
    pub fn assignee_of(key: &str, me: domain::LoginId) -> Option<Assignee> {
        if key == "me" {
            return Some(Assignee::Person(me));
        }
        if let Some(login) = key.strip_prefix("login-") {
            return login.parse().ok().map(|id| Assignee::Person(domain::LoginId(id)));
        }
        Some(Assignee::Team(Team::parse(key.strip_prefix("team-")?)?))
    }

    /// The member of staff asking, at their practice.
    pub fn staff(ctx: &crate::server::Ctx) -> Result<(domain::PracticeId, domain::LoginId), AppError> {
        let practice = ctx.staff_practice(domain::policy::Action::HandleMessages)?;
        Ok((practice, ctx.actor.login().ok_or(AppError::SignInRequired)?))
    }
}

/// Staff: one list of the inbox, urgent first, then the longest waiting.
#[server(endpoint = "admin/messages", input = GetUrl)]
pub async fn inbox(view: String) -> Result<InboxList, AppError> {
    use domain::time::display_london;
    let (state, ctx) = crate::server::context().await?;
    let (practice, me) = shared::staff(&ctx)?;
    let chosen = shared::view_of(view.trim(), me).ok_or_else(|| AppError::invalid("view", "Choose a list"))?;
    let rows = state.store.inbox(practice, chosen, me, 200).await?;
    let threads = rows
        .iter()
        .map(|row| InboxLine {
            id: row.id,
            patient_name: row.patient_name.clone(),
            subject: row.subject.clone(),
            category: row.category.clone(),
            urgent: row.urgent,
            red_flags: row.red_flags.clone(),
            assigned: shared::assigned(row),
            last_message: display_london(row.last_message_at.0),
            unread: row.unread,
        })
        .collect();
    let view = if view.trim().is_empty() { "unassigned".to_owned() } else { view.trim().to_owned() };
    Ok(InboxList { view, threads })
}

/// Staff: how many conversations wait for the practice.
#[server(endpoint = "admin/messages/counts")]
pub async fn inbox_counts() -> Result<MessageCounts, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, me) = shared::staff(&ctx)?;
    let counts = state.store.inbox_counts(practice, me).await?;
    Ok(MessageCounts { unassigned: counts.unassigned, mine: counts.mine, urgent: counts.urgent })
}

/// Staff: one conversation of the practice, with the patient's details.
/// Opening it marks it read for them and is audited.
#[server(endpoint = "admin/messages/one")]
pub async fn staff_thread(thread_id: i64) -> Result<StaffThreadView, AppError> {
    use domain::messages::{Team, ThreadStatus};
    use domain::time::display_date;
    let (state, ctx) = crate::server::context().await?;
    let (practice, me) = shared::staff(&ctx)?;
    let thread = state.store.thread(practice, thread_id, me).await?;
    let patient =
        state.store.patient(practice, domain::PatientId(thread.patient_id)).await?.ok_or(AppError::NotFound)?;
    let messages = state.store.messages_of_thread(practice, thread_id).await?;
    let (identifier_label, identifier) =
        crate::api::patients::shown_identifier(&patient.identifier_kind, &patient.identifier);
    let audit = storage::audit::NewAudit {
        acting_for: Some(domain::PatientId(thread.patient_id)),
        ..ctx.audit("message_thread_read")
    };
    state.store.mark_thread_read(practice, thread_id, me, ctx.now, Some(&audit)).await?;
    let practice_name = ctx.practice()?.name.to_string();
    let mut assign_to: Vec<Choice> = vec![("me".into(), "Me".into())];
    assign_to
        .extend(Team::ALL.iter().map(|team| (format!("team-{}", team.as_str()), format!("Team: {}", team.label()))));
    for member in state.store.staff_of_practice(practice).await? {
        if !member.disabled && member.login_id != me.0 {
            assign_to.push((format!("login-{}", member.login_id), member.display_name));
        }
    }
    let messages = messages.iter().map(|m| crate::api::messages::message_view(m, me, &practice_name)).collect();
    Ok(StaffThreadView {
        id: thread.id,
        patient_id: thread.patient_id,
        patient_name: thread.patient_name.clone(),
        identifier_label,
        identifier,
        date_of_birth: display_date(patient.date_of_birth),
        subject: thread.subject.clone(),
        category: thread.category.clone(),
        status: thread.status().label().to_owned(),
        closed: thread.status() == ThreadStatus::Closed,
        outcome: thread.outcome.clone(),
        urgent: thread.urgent,
        red_flags: thread.red_flags.clone(),
        assigned: shared::assigned(&thread),
        version: thread.version,
        messages,
        assign_to,
    })
}

/// Staff: replies to a conversation; the patient is emailed a notice with
/// no text of the message.
#[server(endpoint = "admin/messages/reply")]
pub async fn staff_reply(thread_id: i64, body: String) -> Result<(), AppError> {
    use domain::messages::MessageBody;
    use storage::messages::{Author, NewReply};
    let (state, ctx) = crate::server::context().await?;
    let (practice, me) = shared::staff(&ctx)?;
    let body = MessageBody::parse(&body).map_err(|e| AppError::invalid("body", e.message))?;
    let practice_name = ctx.practice()?.name.to_string();
    let link = format!("{}/messages/{thread_id}", state.config.public_url);
    let notice = domain::mail::NewMessageNotice { practice: &practice_name, link: &link }.render();
    let reply = NewReply {
        practice,
        thread: thread_id,
        by: me,
        author: Author::Staff,
        body: &body,
        notice: Some(&notice),
        now: ctx.now,
    };
    match state.store.reply(&reply, &ctx.audit("message_sent")).await? {
        Ok(_) => {
            leptos_axum::redirect(&format!("/admin/messages/{thread_id}?replied=1"));
            Ok(())
        }
        Err(why) => Err(AppError::Conflict(why.message())),
    }
}

/// Staff: assigns a conversation to themselves, a colleague or a team,
/// unless someone changed its assignment since `version`; then they are
/// told who has it.
#[server(endpoint = "admin/messages/assign")]
pub async fn assign_conversation(thread_id: i64, version: i32, to: String) -> Result<(), AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, me) = shared::staff(&ctx)?;
    let assignee =
        shared::assignee_of(to.trim(), me).ok_or_else(|| AppError::invalid("to", "Choose who should have it"))?;
    let audit = ctx.audit("message_thread_assigned").detail(to.trim().to_owned());
    match state.store.assign_thread(practice, thread_id, assignee, version, &audit).await? {
        Ok(()) => {
            leptos_axum::redirect(&format!("/admin/messages/{thread_id}?assigned=1"));
            Ok(())
        }
        Err(meanwhile) => Err(AppError::Conflict(match meanwhile.now_with {
            Some(who) => format!("Someone assigned this conversation while you were looking: it is now with {who}."),
            None => {
                "Someone changed who has this conversation while you were looking: it is now with nobody.".to_owned()
            }
        })),
    }
}

/// The longest outcome recorded when closing a conversation.
pub const MAX_OUTCOME_CHARS: usize = 200;

/// Staff: closes a conversation with its outcome.
#[server(endpoint = "admin/messages/close")]
pub async fn close_conversation(thread_id: i64, outcome: String) -> Result<(), AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, me) = shared::staff(&ctx)?;
    let outcome = outcome.split_whitespace().collect::<Vec<_>>().join(" ");
    if outcome.is_empty() {
        return Err(AppError::invalid("outcome", "Enter the outcome, such as Answered or Appointment booked"));
    }
    if outcome.chars().count() > MAX_OUTCOME_CHARS {
        return Err(AppError::invalid(
            "outcome",
            format!("The outcome must be {MAX_OUTCOME_CHARS} characters or fewer"),
        ));
    }
    if state.store.thread(practice, thread_id, me).await?.status() == domain::messages::ThreadStatus::Closed {
        return Err(AppError::Conflict("This conversation is already closed.".to_owned()));
    }
    let audit = ctx.audit("message_thread_closed").detail(outcome.clone());
    state.store.close_thread(practice, thread_id, me, &outcome, &audit).await?;
    leptos_axum::redirect(&format!("/admin/messages/{thread_id}?closed=1"));
    Ok(())
}
