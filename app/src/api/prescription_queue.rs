//! Staff: the practice's prescription requests, oldest first, with the
//! flags the rules raised; one request to decide item by item (clinicians
//! and practice admins) and to record collection (any member of staff);
//! and the patients who seem to have stopped ordering.

use crate::api::appointments::Choice;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The reasons a clinician gives for not approving, as a form offers them.
pub const REJECT_REASONS: &[(&str, &str)] = &[
    ("review_needed", "A medication review is needed"),
    ("too_early", "Too early"),
    ("medication_changed", "Medication changed"),
    ("other", "Other (say why below)"),
];

/// A request in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueLine {
    pub id: i64,
    pub patient_name: String,
    pub requested: String,
    pub expected: String,
    /// The flags raised on its items, such as "Medication review due".
    pub flags: Vec<String>,
    pub has_note: bool,
}

/// A patient on repeats who has not ordered for longer than their supply and the margin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoppedLine {
    pub patient_id: i64,
    pub patient_name: String,
    pub medicine: String,
    pub ran_out: String,
}

/// The queue page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub requests: Vec<QueueLine>,
    pub stopped: Vec<StoppedLine>,
    pub margin_days: u32,
}

/// One item of a request as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffItemView {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub flags: Vec<String>,
    pub detail: Option<String>,
    /// Still waiting for a clinician.
    pub pending: bool,
    /// The collection steps it can take next: `(status, label)`.
    pub next_steps: Vec<Choice>,
}

/// A request as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRequestView {
    pub id: i64,
    pub version: i32,
    pub patient_id: i64,
    pub patient_name: String,
    pub identifier_label: String,
    pub identifier: String,
    pub date_of_birth: String,
    pub requested: String,
    pub note: Option<String>,
    pub pharmacy: Option<String>,
    pub items: Vec<StaffItemView>,
    /// The patient's current repeat list, hidden items included (marked).
    pub current_list: Vec<String>,
    pub can_decide: bool,
    /// The request's conversation with the patient, if anyone has written.
    pub thread: Option<i64>,
    pub messages: Vec<crate::api::messages::MessageView>,
}

#[cfg(feature = "ssr")]
fn flag_labels(flags: &str) -> Vec<String> {
    flags.split(',').filter_map(domain::prescriptions::Rule::parse).map(|rule| rule.label().to_owned()).collect()
}

#[cfg(feature = "ssr")]
fn staff(ctx: &crate::server::Ctx) -> Result<(domain::PracticeId, domain::LoginId), AppError> {
    let practice = ctx.staff_practice(domain::policy::Action::HandlePrescriptions)?;
    Ok((practice, ctx.actor.login().ok_or(AppError::SignInRequired)?))
}

/// Staff: requests waiting for a clinician, oldest first, and who has stopped ordering.
#[server(endpoint = "admin/prescriptions")]
pub async fn prescription_queue() -> Result<QueueView, AppError> {
    use domain::time::{display_date, display_london};
    let (state, ctx) = crate::server::context().await?;
    let (practice, _) = staff(&ctx)?;
    let settings = state.store.prescription_settings(practice).await?;
    let flagged = state.store.queue_flags(practice).await?;
    let mut requests = Vec::new();
    for queued in state.store.prescription_queue(practice).await? {
        let mut flags: Vec<String> =
            flagged.iter().filter(|(request, _)| *request == queued.id).flat_map(|(_, f)| flag_labels(f)).collect();
        flags.sort();
        flags.dedup();
        requests.push(QueueLine {
            id: queued.id,
            patient_name: queued.patient_name,
            requested: display_london(queued.requested_at.0),
            expected: display_date(queued.expected_on),
            flags,
            has_note: queued.note.is_some(),
        });
    }
    let today = domain::prescriptions::london_today(ctx.now);
    let mut stopped = Vec::new();
    for found in state.store.stopped_ordering(practice, settings.stopped_margin_days, today).await?.into_iter().take(50)
    {
        let patient = state.store.patient(practice, domain::PatientId(found.patient_id)).await?;
        stopped.push(StoppedLine {
            patient_id: found.patient_id,
            patient_name: patient.map(|p| format!("{} {}", p.given_name, p.family_name)).unwrap_or_default(),
            medicine: found.item.name(),
            ran_out: display_date(found.ran_out),
        });
    }
    Ok(QueueView { requests, stopped, margin_days: settings.stopped_margin_days })
}

/// Staff: one request of the practice, with the patient's current list.
#[server(endpoint = "admin/prescriptions/one")]
pub async fn staff_request(request_id: i64) -> Result<StaffRequestView, AppError> {
    use domain::prescriptions::{ItemStatus, RejectReason};
    use domain::time::{display_date, display_london};
    let (state, ctx) = crate::server::context().await?;
    let (practice, me) = staff(&ctx)?;
    let queued = state.store.prescription_request(practice, request_id).await?;
    let practice_name = ctx.practice()?.name.to_string();
    let messages = match queued.thread_id {
        Some(thread) => state.store.messages_of_thread(practice, thread).await?,
        None => Vec::new(),
    };
    let patient =
        state.store.patient(practice, domain::PatientId(queued.patient_id)).await?.ok_or(AppError::NotFound)?;
    let (identifier_label, identifier) =
        crate::api::patients::shown_identifier(&patient.identifier_kind, &patient.identifier);
    let items = state.store.request_items(practice, request_id).await?;
    let current = state.store.repeat_items(practice, domain::PatientId(queued.patient_id)).await?;
    let steps = [ItemStatus::ReadyToCollect, ItemStatus::SentToPharmacy, ItemStatus::Dispensed];
    Ok(StaffRequestView {
        id: queued.id,
        version: queued.version,
        patient_id: queued.patient_id,
        patient_name: format!("{} {}", patient.given_name, patient.family_name),
        identifier_label,
        identifier,
        date_of_birth: display_date(patient.date_of_birth),
        requested: display_london(queued.requested_at.0),
        note: queued.note.clone(),
        pharmacy: queued.pharmacy.clone(),
        items: items
            .iter()
            .map(|item| {
                let status = item.status();
                StaffItemView {
                    id: item.id,
                    name: item.name(),
                    status: status.label().to_owned(),
                    flags: flag_labels(&item.flags),
                    detail: match status {
                        ItemStatus::Rejected => Some(format!(
                            "{}{}",
                            item.reject_reason.as_deref().and_then(RejectReason::parse).map_or("", RejectReason::label),
                            item.reject_text.as_deref().map(|t| format!(": {t}")).unwrap_or_default()
                        )),
                        _ => item.quantity.map(|q| format!("Quantity changed to {q}")),
                    },
                    pending: matches!(status, ItemStatus::Requested | ItemStatus::InReview),
                    next_steps: steps
                        .iter()
                        .filter(|next| status.can_become(**next))
                        .map(|next| (next.as_str().to_owned(), next.label().to_owned()))
                        .collect(),
                }
            })
            .collect(),
        current_list: current
            .iter()
            .map(|item| {
                let hidden = if item.hidden { " (hidden from online view)" } else { "" };
                format!("{}: {}{hidden}", item.name(), item.dosage)
            })
            .collect(),
        can_decide: ctx
            .authorize(domain::policy::Action::DecidePrescriptions, domain::policy::Object::Practice(practice))
            .is_ok(),
        thread: queued.thread_id,
        messages: messages.iter().map(|m| crate::api::messages::message_view(m, me, &practice_name)).collect(),
    })
}

/// Clinicians and practice admins: approve (all pending items, or one at a
/// changed quantity) or reject one with a reason, from the view at
/// `version`; a clinician who was beaten to it is told who decided.
#[server(endpoint = "admin/prescriptions/decide")]
pub async fn decide_prescription(
    request_id: i64,
    version: i32,
    decision: String,
    #[server(default)] item_id: i64,
    #[server(default)] quantity: String,
    #[server(default)] reason: String,
    #[server(default)] text: String,
) -> Result<(), AppError> {
    use domain::prescriptions::RejectReason;
    use storage::prescriptions::{Decision, ItemDecision, NotDecided};
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::DecidePrescriptions)?;
    let by = ctx.actor.login().ok_or(AppError::SignInRequired)?;
    let items = state.store.request_items(practice, request_id).await?;
    if items.is_empty() {
        return Err(AppError::NotFound);
    }
    let pending: Vec<i64> = items
        .iter()
        .filter(|i| {
            matches!(
                i.status(),
                domain::prescriptions::ItemStatus::Requested | domain::prescriptions::ItemStatus::InReview
            )
        })
        .map(|i| i.id)
        .collect();
    let text = Some(text.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty());
    let decisions: Vec<(i64, ItemDecision)> = match decision.as_str() {
        "approve_all" => pending.iter().map(|id| (*id, ItemDecision::Approve { quantity: None })).collect(),
        "approve" => {
            let quantity = match quantity.trim() {
                "" => None,
                q => match q.parse::<i32>() {
                    Ok(q) if (1..=10_000).contains(&q) => Some(q),
                    _ => {
                        return Err(AppError::invalid(
                            "quantity",
                            "Enter the quantity as a whole number, or leave it empty",
                        ))
                    }
                },
            };
            vec![(item_id, ItemDecision::Approve { quantity })]
        }
        "reject" => {
            let reason = RejectReason::parse(reason.trim())
                .ok_or_else(|| AppError::invalid("reason", "Choose why it is not approved"))?;
            if reason == RejectReason::Other && text.is_none() {
                return Err(AppError::invalid("text", "Say why it is not approved"));
            }
            if text.as_ref().is_some_and(|t| t.chars().count() > 500) {
                return Err(AppError::invalid("text", "The reason must be 500 characters or fewer"));
            }
            vec![(item_id, ItemDecision::Reject { reason, text })]
        }
        _ => return Err(AppError::invalid("decision", "Choose approve or reject")),
    };
    if decisions.is_empty() || decisions.iter().any(|(id, _)| !pending.contains(id)) {
        return Err(AppError::Conflict("That item has already been decided.".into()));
    }
    let practice_name = ctx.practice()?.name.to_string();
    let link = format!("{}/prescriptions/requests", state.config.public_url);
    let notice = domain::mail::PrescriptionUpdate { practice: &practice_name, link: &link }.render();
    let decision = Decision {
        practice,
        request: request_id,
        by,
        seen_version: version,
        items: &decisions,
        notice: Some(&notice),
        now: ctx.now,
    };
    let audit = ctx.audit("prescription_decided").detail(
        decisions
            .iter()
            .map(|(id, d)| {
                format!("item {id}: {}", if matches!(d, ItemDecision::Reject { .. }) { "rejected" } else { "approved" })
            })
            .collect::<Vec<_>>()
            .join("; "),
    );
    match state.store.decide_request(&decision, &audit).await? {
        Ok(()) => {
            leptos_axum::redirect(&format!("/admin/prescriptions/{request_id}?decided=1"));
            Ok(())
        }
        Err(NotDecided::Meanwhile { by }) => Err(AppError::Conflict(format!(
            "{} decided on this request while you were looking. Here it is as it stands now.",
            by.unwrap_or_else(|| "Someone else".to_owned())
        ))),
        Err(NotDecided::NotDecidable) => Err(AppError::Conflict("That item has already been decided.".into())),
    }
}

/// Staff: writes to the patient about their request, in the request's
/// conversation (started by the first message). Items not yet looked at move
/// to "in review": the patient can no longer cancel. The patient is emailed
/// that the request changed, with no text of the message.
#[server(endpoint = "admin/prescriptions/message")]
pub async fn message_about_request(request_id: i64, #[server(default)] body: String) -> Result<(), AppError> {
    use storage::prescriptions::RequestMessage;
    let (state, ctx) = crate::server::context().await?;
    let (practice, by) = staff(&ctx)?;
    state.store.prescription_request(practice, request_id).await?;
    let body = domain::messages::MessageBody::parse(&body).map_err(|e| AppError::invalid("body", e.message))?;
    let practice_name = ctx.practice()?.name.to_string();
    let link = format!("{}/prescriptions/requests", state.config.public_url);
    let notice = domain::mail::PrescriptionUpdate { practice: &practice_name, link: &link }.render();
    let message =
        RequestMessage { practice, request: request_id, by, body: &body, notice: Some(&notice), now: ctx.now };
    state.store.message_about_request(&message, &ctx.audit("prescription_question")).await?;
    leptos_axum::redirect(&format!("/admin/prescriptions/{request_id}?messaged=1"));
    Ok(())
}

/// Staff: records that an issued item is ready to collect, sent to the
/// pharmacy, or dispensed.
#[server(endpoint = "admin/prescriptions/step")]
pub async fn record_step(request_id: i64, item_id: i64, status: String) -> Result<(), AppError> {
    use domain::prescriptions::ItemStatus;
    let (state, ctx) = crate::server::context().await?;
    let (practice, by) = staff(&ctx)?;
    let next = ItemStatus::parse(status.trim()).ok_or_else(|| AppError::invalid("status", "Choose what happened"))?;
    if !state.store.request_items(practice, request_id).await?.iter().any(|i| i.id == item_id) {
        return Err(AppError::NotFound);
    }
    let practice_name = ctx.practice()?.name.to_string();
    let link = format!("{}/prescriptions/requests", state.config.public_url);
    let notice = domain::mail::PrescriptionUpdate { practice: &practice_name, link: &link }.render();
    let audit = ctx.audit("prescription_item_step");
    if state.store.record_item_step(practice, item_id, next, (by, Some(&notice)), &audit).await? {
        leptos_axum::redirect(&format!("/admin/prescriptions/{request_id}?recorded=1"));
        Ok(())
    } else {
        Err(AppError::Conflict("That is not the next step for this item.".into()))
    }
}
