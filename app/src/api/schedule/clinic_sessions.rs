//! Single clinic sessions: adding one, seeing its slots, moving and cancelling it.

use super::day::SessionSummary;
use super::{chosen, name_field};
#[cfg(feature = "ssr")]
use super::{refuse_past_day, views};
use crate::api::appointments::{Choice, SlotChoice};
use crate::error::{AppError, Problems};
use domain::appointments::parse_clock;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSlot {
    pub slot: SlotChoice,
    pub slot_type_id: i64,
    pub cancelled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub session: SessionSummary,
    pub slots: Vec<SessionSlot>,
    /// The practice's slot types, for changing a free slot's type.
    pub slot_types: Vec<Choice>,
}

/// A session or rota's times and place, as typed.
pub fn read_times(
    start: &str,
    end: &str,
    location: &str,
) -> Result<(chrono::NaiveTime, chrono::NaiveTime, String), AppError> {
    let mut problems = Problems::new();
    let start = parse_clock(start);
    if start.is_none() {
        problems.add("start", "Enter a start time like 09:00");
    }
    let end = parse_clock(end);
    if end.is_none() {
        problems.add("end", "Enter an end time like 12:30");
    }
    if let (Some(start), Some(end)) = (start, end) {
        if end <= start {
            problems.add("end", "The end time must be after the start time");
        }
    }
    let location = name_field(&mut problems, "location", location, "where it happens", 100);
    problems.finish()?;
    Ok((start.unwrap_or_default(), end.unwrap_or_default(), location))
}

/// Reads the choices of a rota or session form.
pub fn read_choices(clinician: &str, session_type: &str, slot_type: &str) -> Result<(i64, i64, i64), AppError> {
    let mut problems = Problems::new();
    let ids = (
        chosen(&mut problems, "clinician", clinician, "who the session is with"),
        chosen(&mut problems, "session_type", session_type, "a type of session"),
        chosen(&mut problems, "slot_type", slot_type, "a type of slot"),
    );
    problems.finish()?;
    Ok(ids)
}

/// A single session's form, as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionForm {
    pub clinician: String,
    pub session_type: String,
    pub slot_type: String,
    pub day: String,
    pub start: String,
    pub end: String,
    pub location: String,
}

pub fn check_new_session(form: &SessionForm) -> Result<chrono::NaiveDate, AppError> {
    let choices = read_choices(&form.clinician, &form.session_type, &form.slot_type).err();
    let times = read_times(&form.start, &form.end, &form.location).err();
    let day = domain::time::parse_typed_date(&form.day);
    let mut fields = Vec::new();
    for error in [choices, times].into_iter().flatten() {
        fields.extend(error.field_errors().iter().cloned());
    }
    if day.is_none() {
        fields.push(crate::error::FieldError { field: "day".into(), message: "Enter the day like 05/05/2026".into() });
    }
    if !fields.is_empty() {
        return Err(AppError::Invalid(fields));
    }
    Ok(day.unwrap_or_default())
}

#[server(endpoint = "admin/schedule/sessions/add")]
pub async fn add_session(#[server(flatten)] form: SessionForm) -> Result<(), AppError> {
    use domain::appointments::{ClinicianId, SessionTypeId, SlotTypeId};
    let day = check_new_session(&form)?;
    let (clinician, session_type, slot_type) = read_choices(&form.clinician, &form.session_type, &form.slot_type)?;
    let (start, end, location) = read_times(&form.start, &form.end, &form.location)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    refuse_past_day(&ctx, day, "day")?;
    let session = storage::appointments::NewClinicSession {
        clinician: ClinicianId(clinician),
        session_type: SessionTypeId(session_type),
        slot_type: SlotTypeId(slot_type),
        day,
        start,
        end,
        location,
    };
    let id = state.store.add_session(practice, &session, &ctx.audit("clinic_session_added")).await?;
    leptos_axum::redirect(&format!("/admin/schedule/sessions/{}?saved=added", id.0));
    Ok(())
}

#[server(endpoint = "admin/schedule/sessions/one")]
pub async fn load_session(session_id: i64) -> Result<SessionDetail, AppError> {
    use domain::appointments::ClinicSessionId;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let session = state.store.clinic_session(practice, ClinicSessionId(session_id)).await?;
    let slots = state.store.slots_of_session(practice, ClinicSessionId(session_id)).await?;
    Ok(SessionDetail {
        session: views::session_summary(&session),
        slots: slots
            .iter()
            .map(|s| SessionSlot {
                slot: crate::api::appointments::shared::staff_choice(s),
                slot_type_id: s.slot_type_id,
                cancelled: s.cancelled,
            })
            .collect(),
        slot_types: state
            .store
            .slot_types(practice)
            .await?
            .into_iter()
            .map(|t| (t.id.to_string(), format!("{} ({})", t.internal_name, t.patient_name)))
            .collect(),
    })
}

#[server(endpoint = "admin/schedule/sessions/location")]
pub async fn change_session_location(session_id: i64, #[server(default)] location: String) -> Result<(), AppError> {
    use domain::appointments::ClinicSessionId;
    let mut problems = Problems::new();
    let location = name_field(&mut problems, "location", &location, "where it happens", 100);
    problems.finish()?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let audit =
        ctx.audit("clinic_session_changed").on("clinic_session", session_id).detail(format!("location {location}"));
    state.store.change_session_location(practice, ClinicSessionId(session_id), &location, &audit).await?;
    leptos_axum::redirect(&format!("/admin/schedule/sessions/{session_id}?saved=location"));
    Ok(())
}

/// Cancels a whole session; booked patients are emailed.
#[server(endpoint = "admin/schedule/sessions/cancel")]
pub async fn cancel_session(session_id: i64) -> Result<(), AppError> {
    use domain::appointments::ClinicSessionId;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let audit = ctx.audit("clinic_session_cancelled").on("clinic_session", session_id);
    let link = crate::api::appointments::shared::link(&state);
    state
        .store
        .cancel_session(practice, ClinicSessionId(session_id), ctx.actor.login(), &audit, &link, ctx.now)
        .await?;
    leptos_axum::redirect(&format!("/admin/schedule/sessions/{session_id}?saved=cancelled"));
    Ok(())
}
