//! Patients: their repeat medicines, ordering some (pick, add a note,
//! confirm the pharmacy, check, confirm), and every request with one
//! timeline per item. Hidden items never leave the server.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A repeat medicine as the patient sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatItemView {
    pub id: i64,
    /// "Amlodipine 5mg tablets"
    pub name: String,
    pub dosage: String,
    /// "28 tablets"
    pub quantity: String,
    pub can_order: bool,
    /// Why not, or what the practice will check, in plain words.
    pub message: Option<String>,
}

/// One step of an item's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub status: String,
    pub when: String,
}

/// One item of a request, with its timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestItemView {
    pub name: String,
    pub status: String,
    /// Why it was not approved, or its changed quantity.
    pub detail: Option<String>,
    pub timeline: Vec<StepView>,
}

/// A request as its patient sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: i64,
    pub requested: String,
    /// "Usually ready in 2 working days: by Tuesday 9 June 2026"
    pub expected: String,
    pub note: Option<String>,
    pub pharmacy: Option<String>,
    pub items: Vec<RequestItemView>,
    pub can_cancel: bool,
    /// The request's conversation with the practice, if anyone has written.
    pub thread: Option<i64>,
    pub messages: Vec<crate::api::messages::MessageView>,
}

/// The patient's repeat medicines and what ordering asks of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicineList {
    pub items: Vec<RepeatItemView>,
    /// "optional", "required" or "off".
    pub note: String,
    pub pharmacy: String,
    /// Such as "usually ready in 2 working days".
    pub promise: String,
    /// A fresh key for an order from this page: sent twice, it is one request.
    pub order_key: String,
}

/// An order checked but not placed: what check-your-answers shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDraft {
    pub items: Vec<(String, String)>,
    pub note: String,
    pub pharmacy: String,
    pub order_key: String,
    /// The patient asked to change it: show the order page again.
    pub editing: bool,
}

/// An order as its form posts it (`items[]` once for each medicine ticked).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderForm {
    pub items: Vec<String>,
    pub note: String,
    pub pharmacy: String,
    pub order_key: String,
}

#[cfg(feature = "ssr")]
mod shared {
    use super::*;
    use crate::error::{AppResult, Problems};
    use crate::server::{AppState, Ctx};
    use domain::prescriptions::{check_item, london_today, Orderer, Verdict};
    use domain::time::{display_date, display_london};
    use storage::prescriptions::{NoteMode, RepeatItemRow, RequestWithItems};

    /// The signed-in patient, once they may order repeat prescriptions.
    pub async fn patient_with_prescriptions(
        state: &AppState,
        ctx: &Ctx,
    ) -> AppResult<(domain::PracticeId, domain::PatientId, domain::LoginId)> {
        let (practice, patient, _, _) =
            crate::server::services::signed_in_patient(state, ctx, |available| available.prescriptions).await?;
        Ok((practice, patient, ctx.actor.login().ok_or(AppError::SignInRequired)?))
    }

    /// The patient's visible items with whether each can be ordered today.
    pub async fn visible_items(
        state: &AppState,
        ctx: &Ctx,
        practice: domain::PracticeId,
        patient: domain::PatientId,
    ) -> AppResult<Vec<(RepeatItemRow, Verdict)>> {
        let settings = state.store.prescription_settings(practice).await?;
        let prescribing = state.store.patient_prescribing(practice, patient).await?;
        let orderer = Orderer { service: true, ordering_allowed: prescribing.ordering_allowed };
        let today = london_today(ctx.now);
        let rows = state.store.repeat_items(practice, patient).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let verdict = check_item(orderer, &row.facts(), &settings.rules, today);
                (row, verdict)
            })
            .filter(|(_, verdict)| *verdict != Verdict::Hidden)
            .collect())
    }

    pub fn item_view(row: &RepeatItemRow, verdict: &Verdict) -> RepeatItemView {
        let (can_order, message) = match verdict {
            Verdict::Orderable { flags } if flags.is_empty() => (true, None),
            Verdict::Orderable { .. } => (
                true,
                Some(
                    "The practice will check this one before it is issued: you may be asked to book a review."
                        .to_owned(),
                ),
            ),
            Verdict::Refused(refused) => (false, Some(refused.message())),
            Verdict::Hidden => (false, None),
        };
        RepeatItemView {
            id: row.id,
            name: row.name(),
            dosage: row.dosage.clone(),
            quantity: format!("{} {}{}", row.quantity, row.unit, if row.quantity == 1 { "" } else { "s" }),
            can_order,
            message,
        }
    }

    /// Reads an order form: the items (ids), the note as the practice wants
    /// it, the pharmacy.
    pub fn read_order(form: &OrderForm, note_mode: NoteMode) -> AppResult<(Vec<i64>, Option<String>, Option<String>)> {
        let mut problems = Problems::new();
        let items: Vec<i64> = form.items.iter().filter_map(|id| id.trim().parse().ok()).collect();
        if items.is_empty() || items.len() != form.items.len() {
            problems.add("items", "Choose at least one medicine to order");
        }
        let note = match (note_mode, domain::prescriptions::parse_note(&form.note)) {
            (NoteMode::Off, _) => None,
            (_, Err(invalid)) => {
                problems.add("note", invalid.message);
                None
            }
            (NoteMode::Required, Ok(None)) => {
                problems.add("note", "Add a note for the practice");
                None
            }
            (_, Ok(note)) => note,
        };
        let pharmacy = form.pharmacy.split_whitespace().collect::<Vec<_>>().join(" ");
        if pharmacy.chars().count() > 200 {
            problems.add("pharmacy", "The pharmacy must be 200 characters or fewer");
        }
        problems.finish()?;
        Ok((items, note, Some(pharmacy).filter(|p| !p.is_empty())))
    }

    pub fn request_view(found: &RequestWithItems, promise_days: u32) -> RequestView {
        use domain::prescriptions::{can_cancel, ItemStatus, RejectReason};
        let statuses: Vec<ItemStatus> = found.items.iter().map(|(item, _)| item.status()).collect();
        let promise = domain::prescriptions::promise_text(promise_days);
        RequestView {
            id: found.request.id,
            requested: display_london(found.request.requested_at.0),
            expected: format!(
                "{}{}: by {}",
                promise[..1].to_uppercase(),
                &promise[1..],
                display_date(found.request.expected_on)
            ),
            note: found.request.note.clone(),
            pharmacy: found.request.pharmacy.clone(),
            can_cancel: can_cancel(&statuses),
            thread: found.request.thread_id,
            messages: Vec::new(),
            items: found
                .items
                .iter()
                .map(|(item, steps)| {
                    let detail = match item.status() {
                        ItemStatus::Rejected => {
                            Some(item.reject_text.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| {
                                item.reject_reason
                                    .as_deref()
                                    .and_then(RejectReason::parse)
                                    .map_or("", RejectReason::label)
                                    .to_owned()
                            }))
                        }
                        _ => item.quantity.map(|q| format!("Quantity changed to {q}")),
                    };
                    RequestItemView {
                        name: item.name(),
                        status: item.status().label().to_owned(),
                        detail,
                        timeline: steps
                            .iter()
                            .map(|s| StepView {
                                status: ItemStatus::parse(&s.status).map_or("", ItemStatus::label).to_owned(),
                                when: display_london(s.at.0),
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}

/// Patients: their repeat medicines, what each can be ordered as today, and
/// a fresh order key.
#[server(endpoint = "prescriptions/mine")]
pub async fn my_medicines() -> Result<MedicineList, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, _) = shared::patient_with_prescriptions(&state, &ctx).await?;
    let items = shared::visible_items(&state, &ctx, practice, patient).await?;
    let settings = state.store.prescription_settings(practice).await?;
    let prescribing = state.store.patient_prescribing(practice, patient).await?;
    Ok(MedicineList {
        items: items.iter().map(|(row, verdict)| shared::item_view(row, verdict)).collect(),
        note: settings.note.as_str().to_owned(),
        pharmacy: prescribing.pharmacy.unwrap_or_default(),
        promise: domain::prescriptions::promise_text(settings.ready_in_working_days),
        order_key: crate::server::secrets::new_token().0,
    })
}

/// Patients: checks an order before it is placed; answers with what
/// check-your-answers shows. With `change`, hands it back to be edited.
#[server(endpoint = "prescriptions/check")]
pub async fn check_order(
    #[server(default)] items: Vec<String>,
    #[server(default)] note: String,
    #[server(default)] pharmacy: String,
    #[server(default)] order_key: String,
    change: Option<String>,
) -> Result<OrderDraft, AppError> {
    let form = OrderForm { items, note, pharmacy, order_key };
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, _) = shared::patient_with_prescriptions(&state, &ctx).await?;
    let items = shared::visible_items(&state, &ctx, practice, patient).await?;
    let chosen = |ids: &[i64]| {
        items.iter().filter(|(row, _)| ids.contains(&row.id)).map(|(row, _)| (row.id.to_string(), row.name())).collect()
    };
    if change.is_some() {
        let ids: Vec<i64> = form.items.iter().filter_map(|id| id.parse().ok()).collect();
        return Ok(OrderDraft {
            items: chosen(&ids),
            note: form.note,
            pharmacy: form.pharmacy,
            order_key: form.order_key,
            editing: true,
        });
    }
    let settings = state.store.prescription_settings(practice).await?;
    let (ids, note, pharmacy) = shared::read_order(&form, settings.note)?;
    let draft_items: Vec<(String, String)> = chosen(&ids);
    if draft_items.len() != ids.len() {
        return Err(AppError::invalid("items", "Choose medicines from your list"));
    }
    for (row, verdict) in items.iter().filter(|(row, _)| ids.contains(&row.id)) {
        if let domain::prescriptions::Verdict::Refused(refused) = verdict {
            return Err(AppError::invalid("items", format!("{}: {}", row.name(), refused.message())));
        }
    }
    Ok(OrderDraft {
        items: draft_items,
        note: note.unwrap_or_default(),
        pharmacy: pharmacy.unwrap_or_default(),
        order_key: form.order_key,
        editing: false,
    })
}

/// Patients: places an order. The rules are checked again as it is
/// written; the same order sent twice is one request.
#[server(endpoint = "prescriptions/order")]
pub async fn place_order(
    #[server(default)] items: Vec<String>,
    #[server(default)] note: String,
    #[server(default)] pharmacy: String,
    #[server(default)] order_key: String,
) -> Result<(), AppError> {
    let form = OrderForm { items, note, pharmacy, order_key };
    use domain::prescriptions::OrderKey;
    use storage::prescriptions::NewOrder;
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, login) = shared::patient_with_prescriptions(&state, &ctx).await?;
    let settings = state.store.prescription_settings(practice).await?;
    let key = OrderKey::parse(&form.order_key).map_err(|e| AppError::invalid("items", e.message))?;
    let (items, note, pharmacy) = shared::read_order(&form, settings.note)?;
    let audit = storage::audit::NewAudit { acting_for: Some(patient), ..ctx.audit("prescription_requested") };
    let order = NewOrder {
        practice,
        patient,
        by: login,
        key: &key,
        items: &items,
        note: note.as_deref(),
        pharmacy: pharmacy.as_deref(),
        service: true,
        now: ctx.now,
    };
    match state.store.place_order(&order, &audit).await? {
        Ok(placed) => {
            leptos_axum::redirect(&format!("/prescriptions/requests?ordered={}", placed.request()));
            Ok(())
        }
        Err(why) => Err(AppError::invalid("items", why.message())),
    }
}

/// Patients: every request of theirs, newest first, one timeline per item.
#[server(endpoint = "prescriptions/requests")]
pub async fn my_requests() -> Result<Vec<RequestView>, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, login) = shared::patient_with_prescriptions(&state, &ctx).await?;
    let settings = state.store.prescription_settings(practice).await?;
    let found = state.store.requests_of_patient(practice, patient).await?;
    let practice_name = ctx.practice()?.name.to_string();
    let mut views = Vec::new();
    for request in &found {
        let mut view = shared::request_view(request, settings.ready_in_working_days);
        if let Some(thread) = view.thread {
            view.messages = state
                .store
                .messages_of_thread(practice, thread)
                .await?
                .iter()
                .map(|m| crate::api::messages::message_view(m, login, &practice_name))
                .collect();
        }
        views.push(view);
    }
    Ok(views)
}

/// Patients: cancels one of their own requests, until a clinician starts on it.
#[server(endpoint = "prescriptions/cancel")]
pub async fn cancel_request(request_id: i64) -> Result<(), AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, login) = shared::patient_with_prescriptions(&state, &ctx).await?;
    let audit = storage::audit::NewAudit { acting_for: Some(patient), ..ctx.audit("prescription_request_cancelled") };
    if state.store.cancel_request(practice, patient, request_id, login, &audit).await? {
        leptos_axum::redirect("/prescriptions/requests?cancelled=1");
        Ok(())
    } else {
        Err(AppError::Conflict(
            "The practice has started on this request, so it cannot be cancelled now. Contact the practice.".into(),
        ))
    }
}
