//! What the book is made of: clinicians, session types and appointment types, on one page.

use super::appointment_types::SlotTypeView;
#[cfg(feature = "ssr")]
use super::views;
use crate::api::appointments::Choice;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use domain::appointments::ClinicianRole;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicianView {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub bookable_online: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleSetup {
    pub clinicians: Vec<ClinicianView>,
    pub session_types: Vec<Choice>,
    pub slot_types: Vec<SlotTypeView>,
}

/// Staff who keep the book: clinicians, session types and slot types.
#[server(endpoint = "admin/schedule/setup")]
pub async fn load_schedule_setup() -> Result<ScheduleSetup, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let clinicians = state.store.clinicians(practice).await?;
    let session_types = state.store.session_types(practice).await?;
    let slot_types = state.store.slot_types(practice).await?;
    Ok(ScheduleSetup {
        clinicians: clinicians.into_iter().map(clinician_view).collect(),
        session_types: session_types
            .into_iter()
            .map(|t| (t.id.to_string(), format!("{} (patients see \"{}\")", t.internal_name, t.patient_name)))
            .collect(),
        slot_types: slot_types.iter().map(views::slot_type_view).collect(),
    })
}

#[cfg(feature = "ssr")]
pub(crate) fn clinician_view(row: storage::appointments::ClinicianRow) -> ClinicianView {
    ClinicianView {
        id: row.id,
        role: ClinicianRole::parse(&row.role).map(ClinicianRole::label).unwrap_or("Other").into(),
        name: row.name,
        bookable_online: row.bookable_online,
    }
}
