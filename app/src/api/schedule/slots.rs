//! One slot of a session: changing its type, or cancelling it.

use crate::error::AppError;
use leptos::prelude::*;

/// Changes a free slot's type, such as a GP slot kept for a telephone call.
#[server(endpoint = "admin/schedule/slots/change")]
pub async fn change_slot(session_id: i64, slot_id: i64, #[server(default)] slot_type: String) -> Result<(), AppError> {
    use domain::appointments::{SlotId, SlotTypeId};
    let slot_type = slot_type.parse::<i64>().map_err(|_| AppError::invalid("slot_type", "Choose a type of slot"))?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let slot = state.store.slot(practice, SlotId(slot_id)).await?;
    if slot.session_id != session_id {
        return Err(AppError::NotFound);
    }
    let audit =
        ctx.audit("slot_changed").on("slot", slot_id).detail(format!("slot type {} -> {slot_type}", slot.slot_type_id));
    state.store.change_slot_kind(practice, SlotId(slot_id), SlotTypeId(slot_type), &audit).await?;
    leptos_axum::redirect(&format!("/admin/schedule/sessions/{session_id}?saved=changed"));
    Ok(())
}

/// Cancels one slot; a booked patient is emailed.
#[server(endpoint = "admin/schedule/slots/cancel")]
pub async fn cancel_slot(session_id: i64, slot_id: i64) -> Result<(), AppError> {
    use domain::appointments::SlotId;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let slot = state.store.slot(practice, SlotId(slot_id)).await?;
    if slot.session_id != session_id {
        return Err(AppError::NotFound);
    }
    let audit = ctx.audit("slot_cancelled").on("slot", slot_id);
    let link = crate::api::appointments::shared::link(&state);
    state.store.cancel_slot(practice, SlotId(slot_id), ctx.actor.login(), &audit, &link, ctx.now).await?;
    leptos_axum::redirect(&format!("/admin/schedule/sessions/{session_id}?saved=slot"));
    Ok(())
}
