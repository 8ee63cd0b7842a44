//! Appointment types (slot types): adding and changing them, with the names patients see.

use super::{name_field, whole_number};
#[cfg(feature = "ssr")]
use super::{taken, views};
use crate::error::{AppError, Problems};
use domain::appointments::limits;
use domain::appointments::{Category, Channel};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotTypeView {
    pub id: i64,
    pub internal_name: String,
    pub patient_name: String,
    pub description: String,
    pub channel: String,
    pub channel_label: String,
    pub category: String,
    pub category_label: String,
    pub minutes: u32,
    /// "Not bookable online", "Bookable online when created; at most 2 within 28 days"
    pub online: String,
    /// A warning when patients would see a name that tells them nothing.
    pub warning: Option<String>,
    pub bookable_online: bool,
    pub held_back: bool,
    pub release_days: String,
    pub release_at: String,
    pub capped: bool,
    pub cap_count: String,
    pub cap_days: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotTypePage {
    pub slot_type: SlotTypeView,
    /// Practice admins set how it is offered online.
    pub can_set_online: bool,
}

/// A slot type as typed on a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotTypeInput {
    pub internal_name: String,
    pub patient_name: String,
    pub description: String,
    pub channel: Channel,
    pub category: Category,
    pub minutes: u32,
}

/// Reads a slot type form; the same code runs in the browser and on the server.
/// An appointment type's form, as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SlotTypeForm {
    pub internal_name: String,
    pub patient_name: String,
    pub description: String,
    pub channel: String,
    pub category: String,
    pub minutes: String,
}

pub fn read_slot_type(form: &SlotTypeForm) -> Result<SlotTypeInput, AppError> {
    let SlotTypeForm { internal_name, patient_name, description, channel, category, minutes } = form;
    let mut problems = Problems::new();
    let internal_name = name_field(&mut problems, "internal_name", internal_name, "the name staff see", 60);
    let patient_name = name_field(&mut problems, "patient_name", patient_name, "the name patients see", 100);
    let description = description.trim().to_owned();
    if description.chars().count() > 300 {
        problems.add("description", "Description must be 300 characters or fewer");
    }
    let channel = Channel::parse(channel);
    if channel.is_none() {
        problems.add("channel", "Choose how the appointment happens");
    }
    let category = Category::parse(category);
    if category.is_none() {
        problems.add("category", "Choose routine or same day");
    }
    let minutes = whole_number(&mut problems, "minutes", minutes, "a length in minutes", limits::SLOT_MINUTES);
    problems.finish()?;
    Ok(SlotTypeInput {
        internal_name,
        patient_name,
        description,
        channel: channel.unwrap_or(Channel::InPerson),
        category: category.unwrap_or(Category::Routine),
        minutes,
    })
}

#[cfg(feature = "ssr")]
pub(super) fn slot_type_values(input: SlotTypeInput) -> storage::appointments::SlotTypeValues {
    storage::appointments::SlotTypeValues {
        internal_name: input.internal_name,
        patient_name: input.patient_name,
        description: input.description,
        channel: input.channel,
        category: input.category,
        minutes: input.minutes,
    }
}

#[server(endpoint = "admin/schedule/slot-types/add")]
pub async fn add_slot_type(#[server(flatten)] form: SlotTypeForm) -> Result<(), AppError> {
    let input = read_slot_type(&form)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let audit = ctx.audit("slot_type_added").detail(format!("{} / {}", input.internal_name, input.patient_name));
    let id = state
        .store
        .add_slot_type(practice, &slot_type_values(input), &audit)
        .await
        .map_err(|e| taken(e, "internal_name", "A slot type with that name already exists"))?;
    leptos_axum::redirect(&format!("/admin/schedule/slot-types/{}?saved=added", id.0));
    Ok(())
}

#[server(endpoint = "admin/schedule/slot-types/one")]
pub async fn load_slot_type(slot_type_id: i64) -> Result<SlotTypePage, AppError> {
    use domain::policy::Action;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::ManageSchedule)?;
    let types = state.store.slot_types(practice).await?;
    let row = types.iter().find(|t| t.id == slot_type_id).ok_or(AppError::NotFound)?;
    Ok(SlotTypePage {
        slot_type: views::slot_type_view(row),
        can_set_online: ctx.staff_practice(Action::ManageBookingRules).is_ok(),
    })
}

#[server(endpoint = "admin/schedule/slot-types/change")]
pub async fn change_slot_type(slot_type_id: i64, #[server(flatten)] form: SlotTypeForm) -> Result<(), AppError> {
    use domain::appointments::SlotTypeId;
    let input = read_slot_type(&form)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let audit = ctx
        .audit("slot_type_changed")
        .on("slot_type", slot_type_id)
        .detail(format!("{} / {}", input.internal_name, input.patient_name));
    state
        .store
        .change_slot_type(practice, SlotTypeId(slot_type_id), &slot_type_values(input), &audit)
        .await
        .map_err(|e| taken(e, "internal_name", "A slot type with that name already exists"))?;
    leptos_axum::redirect(&format!("/admin/schedule/slot-types/{slot_type_id}?saved=changed"));
    Ok(())
}
