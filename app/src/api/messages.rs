//! Patients: their conversations with the practice. Starting one is three
//! steps (what messages are for, writing it, checking it); a red-flag phrase
//! shows the urgent-help advice again and asks the patient to confirm, and
//! marks the conversation urgent for staff, but never stops it.

use crate::api::appointments::Choice;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A conversation in the patient's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadSummary {
    pub id: i64,
    pub subject: String,
    pub category: String,
    /// "Waiting for the practice", "The practice has replied", "Closed"
    pub status: String,
    /// When its newest message was sent.
    pub last_message: String,
    pub unread: bool,
}

/// One message, as either side reads it. `body` is shown as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: i64,
    /// "You", or the writer's name and where they work.
    pub author: String,
    pub from_practice: bool,
    pub sent: String,
    pub body: String,
}

/// A conversation as its patient sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadView {
    pub id: i64,
    pub subject: String,
    pub category: String,
    pub status: String,
    pub messages: Vec<MessageView>,
    /// Whether they can reply now, or why not.
    pub can_reply: Result<(), String>,
    /// Said above the reply box of a closed conversation they can reopen.
    pub reopens: bool,
}

/// What the first step shows: the practice's promise, and whether a new
/// conversation can be started now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMessageStart {
    pub practice_name: String,
    pub practice_phone: String,
    /// Such as "within 2 working days".
    pub reply_promise: String,
    /// Why not now, said plainly; `None` when they can.
    pub not_now: Option<String>,
    pub categories: Vec<Choice>,
}

/// A message checked but not sent: what check-your-answers shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub category_id: String,
    pub category: String,
    pub subject: String,
    pub body: String,
    /// Red-flag phrases found: the urgent-help advice is shown again.
    pub red_flags: Vec<String>,
    /// The patient asked to change it: show the question page again.
    pub editing: bool,
}

/// A new message as its form posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MessageForm {
    pub category: String,
    pub subject: String,
    pub body: String,
}

/// What a patient is told when their message mentions a red-flag phrase and
/// they have not confirmed it is not an emergency.
pub fn confirm_message(red_flags: &[String]) -> String {
    format!(
        "Your message mentions {}. If you need help now, call 999 or NHS 111. Otherwise, confirm that your \
         message is not about an emergency",
        red_flags.join(", ")
    )
}

#[cfg(feature = "ssr")]
pub(crate) use shared::message_view;

#[cfg(feature = "ssr")]
mod shared {
    use super::*;
    use crate::error::{AppResult, Problems};
    use crate::server::{AppState, Ctx};
    use domain::messages::{MessageBody, Subject, ThreadStatus};
    use domain::time::display_london;
    use storage::messages::{MessageRow, MessageSettings, ThreadRow};

    /// The signed-in patient, once they may message the practice.
    pub async fn patient_with_messaging(
        state: &AppState,
        ctx: &Ctx,
    ) -> AppResult<(domain::PracticeId, domain::PatientId, domain::LoginId)> {
        let (practice, patient, _, _) =
            crate::server::services::signed_in_patient(state, ctx, |available| available.messaging).await?;
        let login = ctx.actor.login().ok_or(AppError::SignInRequired)?;
        Ok((practice, patient, login))
    }

    /// A new message's fields, read: the category (one of the practice's),
    /// the subject and the body.
    pub fn read_message(
        form: &MessageForm,
        settings: &MessageSettings,
    ) -> AppResult<(storage::messages::CategoryRow, Subject, MessageBody)> {
        let mut problems = Problems::new();
        let category = form
            .category
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|id| settings.categories.iter().find(|c| c.id == id).cloned());
        if category.is_none() {
            problems.add("category", "Choose what your message is about");
        }
        let subject = problems.check("subject", Subject::parse(&form.subject));
        let body = problems.check("body", MessageBody::parse(&form.body));
        problems.finish()?;
        match (category, subject, body) {
            (Some(category), Some(subject), Some(body)) => Ok((category, subject, body)),
            _ => Err(AppError::Internal),
        }
    }

    pub fn red_flags(settings: &MessageSettings, subject: &Subject, body: &MessageBody) -> Vec<String> {
        let text = format!("{} {}", subject.as_str(), body.as_str());
        domain::messages::red_flags_in(&text, &settings.red_flag_phrases()).into_iter().map(str::to_owned).collect()
    }

    /// How a status reads to the patient.
    pub fn patient_status(status: ThreadStatus) -> &'static str {
        match status {
            ThreadStatus::Open => "Waiting for the practice",
            ThreadStatus::WaitingForPatient => "The practice has replied",
            ThreadStatus::Closed => "Closed",
        }
    }

    pub fn summary(row: &ThreadRow) -> ThreadSummary {
        ThreadSummary {
            id: row.id,
            subject: row.subject.clone(),
            category: row.category.clone(),
            status: patient_status(row.status()).into(),
            last_message: display_london(row.last_message_at.0),
            unread: row.unread,
        }
    }

    /// A message as read by `reader`: their own are "You".
    pub(crate) fn message_view(row: &MessageRow, reader: domain::LoginId, practice_name: &str) -> MessageView {
        let from_practice = row.author_role == "staff";
        let author = if row.author_login_id == reader.0 {
            "You".to_owned()
        } else if from_practice {
            format!("{}, {practice_name}", row.author_name)
        } else {
            row.author_name.clone()
        };
        MessageView { id: row.id, author, from_practice, sent: display_london(row.sent_at.0), body: row.body.clone() }
    }
}

/// Patients: their conversations, newest first, with unread marks.
#[server(endpoint = "messages/mine")]
pub async fn my_threads() -> Result<Vec<ThreadSummary>, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, login) = shared::patient_with_messaging(&state, &ctx).await?;
    let rows = state.store.threads_of_patient(practice, patient, login).await?;
    Ok(rows.iter().map(shared::summary).collect())
}

/// Patients: the first step of a new message: the practice's promise, the
/// categories, and whether they can start one now.
#[server(endpoint = "messages/start")]
pub async fn message_start() -> Result<NewMessageStart, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, _) = shared::patient_with_messaging(&state, &ctx).await?;
    let settings = state.store.message_settings(practice, ctx.now).await?;
    let counts = state.store.threads_started_today(practice, patient, ctx.now).await?;
    let not_now =
        domain::messages::check_new_thread(settings.enabled, &settings.opening_hours, settings.caps, counts, ctx.now)
            .err()
            .map(|why| why.message());
    let details = state.store.practice(practice).await?.ok_or(AppError::NotFound)?;
    Ok(NewMessageStart {
        practice_name: details.name,
        practice_phone: details.phone,
        reply_promise: settings.reply_promise,
        not_now,
        categories: settings.categories.into_iter().map(|c| (c.id.to_string(), c.name)).collect(),
    })
}

/// Patients: checks a new message before it is sent; answers with what
/// check-your-answers shows. With `change`, hands it back to be edited.
#[server(endpoint = "messages/check")]
pub async fn check_message(#[server(flatten)] form: MessageForm, change: Option<String>) -> Result<Draft, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, _, _) = shared::patient_with_messaging(&state, &ctx).await?;
    let settings = state.store.message_settings(practice, ctx.now).await?;
    if change.is_some() {
        return Ok(Draft {
            category_id: form.category,
            category: String::new(),
            subject: form.subject,
            body: form.body,
            red_flags: Vec::new(),
            editing: true,
        });
    }
    let (category, subject, body) = shared::read_message(&form, &settings)?;
    let red_flags = shared::red_flags(&settings, &subject, &body);
    Ok(Draft {
        category_id: category.id.to_string(),
        category: category.name,
        subject: subject.as_str().to_owned(),
        body: body.as_str().to_owned(),
        red_flags,
        editing: false,
    })
}

/// Patients: sends a new message. One with a red-flag phrase needs
/// `not_an_emergency` ticked; it goes to the practice marked urgent.
#[server(endpoint = "messages/send")]
pub async fn send_message(
    #[server(flatten)] form: MessageForm,
    not_an_emergency: Option<String>,
) -> Result<(), AppError> {
    use storage::messages::NewThread;
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, login) = shared::patient_with_messaging(&state, &ctx).await?;
    let settings = state.store.message_settings(practice, ctx.now).await?;
    let (category, subject, body) = shared::read_message(&form, &settings)?;
    let red_flags = shared::red_flags(&settings, &subject, &body);
    if !red_flags.is_empty() && not_an_emergency.as_deref() != Some("yes") {
        return Err(AppError::invalid("not_an_emergency", confirm_message(&red_flags)));
    }
    let audit = storage::audit::NewAudit { acting_for: Some(patient), ..ctx.audit("message_thread_started") };
    let new =
        NewThread { practice, patient, by: login, category: category.id, subject: &subject, body: &body, now: ctx.now };
    match state.store.start_thread(&new, &audit).await? {
        Ok(started) => {
            leptos_axum::redirect(&format!("/messages/{}?sent=1", started.thread));
            Ok(())
        }
        Err(why) => Err(AppError::Conflict(why.message())),
    }
}

/// Patients: one of their own conversations, marked read as they open it.
#[server(endpoint = "messages/one")]
pub async fn my_thread(thread_id: i64) -> Result<ThreadView, AppError> {
    use domain::messages::{check_patient_reply, ThreadStatus};
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, login) = shared::patient_with_messaging(&state, &ctx).await?;
    let thread = state.store.thread(practice, thread_id, login).await?;
    if thread.patient_id != patient.0 {
        return Err(AppError::NotFound);
    }
    let practice_name = ctx.practice()?.name.to_string();
    let messages = state.store.messages_of_thread(practice, thread_id).await?;
    state.store.mark_thread_read(practice, thread_id, login, ctx.now, None).await?;
    let status = thread.status();
    let can_reply = check_patient_reply(status, thread.closed_at.map(|t| t.0), ctx.now).map_err(|why| why.message());
    Ok(ThreadView {
        id: thread.id,
        subject: thread.subject.clone(),
        category: thread.category.clone(),
        status: shared::patient_status(status).into(),
        messages: messages.iter().map(|m| shared::message_view(m, login, &practice_name)).collect(),
        reopens: status == ThreadStatus::Closed && can_reply.is_ok(),
        can_reply,
    })
}

/// Patients: replies to one of their own conversations (reopening one
/// closed within 14 days).
#[server(endpoint = "messages/reply")]
pub async fn reply_to_thread(thread_id: i64, body: String) -> Result<(), AppError> {
    use domain::messages::MessageBody;
    use storage::messages::{Author, NewReply};
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, login) = shared::patient_with_messaging(&state, &ctx).await?;
    let body = MessageBody::parse(&body).map_err(|e| AppError::invalid("body", e.message))?;
    let audit = storage::audit::NewAudit { acting_for: Some(patient), ..ctx.audit("message_sent") };
    let reply = NewReply {
        practice,
        thread: thread_id,
        by: login,
        author: Author::Patient(patient),
        body: &body,
        notice: None,
        now: ctx.now,
    };
    match state.store.reply(&reply, &audit).await? {
        Ok(_) => {
            leptos_axum::redirect(&format!("/messages/{thread_id}?replied=1"));
            Ok(())
        }
        Err(why) => Err(AppError::Conflict(why.message())),
    }
}
