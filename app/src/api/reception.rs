//! Reception books and cancels for a patient, by telephone or at the desk,
//! into the same pool of slots patients book online.

use crate::api::appointments::{AppointmentView, SlotChoice};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// The routes reception books and cancels through.
pub const ROUTES: [(&str, &str); 2] = [("telephone", "By telephone"), ("in_person", "In person at the surgery")];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientAppointmentList {
    pub patient_id: i64,
    pub patient_name: String,
    pub upcoming: Vec<AppointmentView>,
    pub past: Vec<AppointmentView>,
}

/// The free slots of one day, for booking a patient in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceptionDay {
    pub patient_id: i64,
    pub patient_name: String,
    /// `2026-05-05` and "Tuesday 5 May 2026".
    pub day: String,
    pub day_label: String,
    pub previous_day: String,
    pub next_day: String,
    pub slots: Vec<SlotChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceptionSlot {
    pub patient_id: i64,
    pub patient_name: String,
    pub slot: SlotChoice,
}

/// The patient, once the staff member may book for them and they may have
/// appointments (registered here).
#[cfg(feature = "ssr")]
async fn bookable_patient(
    state: &crate::server::AppState,
    ctx: &crate::server::Ctx,
    patient_id: i64,
) -> Result<(domain::PracticeId, domain::PatientId, String), AppError> {
    use domain::policy::{Action, Object};
    use domain::PatientId;
    let practice = ctx.staff_practice(Action::BookForPatients)?;
    let patient = PatientId(patient_id);
    ctx.authorize(Action::BookForPatients, Object::Patient { patient, practice })?;
    let (row, available) = crate::server::services::services_for(state, ctx, practice, patient).await?;
    let name = format!("{} {}", row.given_name, row.family_name);
    if !available.appointments {
        return Err(AppError::Conflict(format!("{name} is no longer registered here, so cannot be booked in.")));
    }
    Ok((practice, patient, name))
}

/// Reads a route chosen on a form; the same code runs in the browser and on the server.
pub fn read_route(route: &str) -> Result<domain::appointments::Route, AppError> {
    use domain::appointments::Route;
    match Route::parse(route) {
        Some(route) if route != Route::Online => Ok(route),
        _ => Err(AppError::invalid("route", "Choose how the patient asked: by telephone or in person")),
    }
}

/// Staff: a patient's appointments.
#[server(endpoint = "admin/appointments/of-patient")]
pub async fn patient_appointments(patient_id: i64) -> Result<PatientAppointmentList, AppError> {
    use crate::api::appointments::shared;
    use domain::appointments::Booker;
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, patient_name) = bookable_patient(&state, &ctx, patient_id).await?;
    let (upcoming, past) = shared::appointments_of(&state, &ctx, practice, patient, Booker::Staff).await?;
    Ok(PatientAppointmentList { patient_id, patient_name, upcoming, past })
}

/// Staff: every free slot of a day (today when none is given), whether
/// bookable online or not.
#[server(endpoint = "admin/appointments/free", input = GetUrl)]
pub async fn reception_slots(patient_id: i64, #[server(default)] day: String) -> Result<ReceptionDay, AppError> {
    use crate::api::appointments::shared;
    use domain::time::{from_london, to_london};
    let (state, ctx) = crate::server::context().await?;
    let today = to_london(ctx.now).date();
    let day = if day.is_empty() {
        today
    } else {
        day.parse::<chrono::NaiveDate>().map_err(|_| AppError::invalid("day", "Enter a day like 2026-05-05"))?
    };
    let (practice, _, patient_name) = bookable_patient(&state, &ctx, patient_id).await?;
    let start = from_london(day.and_time(chrono::NaiveTime::MIN)).max(ctx.now);
    let end = from_london((day + chrono::TimeDelta::days(1)).and_time(chrono::NaiveTime::MIN));
    let slots = state.store.slots_between(practice, start, end).await?;
    Ok(ReceptionDay {
        patient_id,
        patient_name,
        day: day.to_string(),
        day_label: shared::day_label(day),
        previous_day: (day - chrono::TimeDelta::days(1)).to_string(),
        next_day: (day + chrono::TimeDelta::days(1)).to_string(),
        slots: slots.iter().filter(|s| s.appointment_id.is_none()).map(shared::staff_choice).collect(),
    })
}

/// Staff: one slot to book a patient into.
#[server(endpoint = "admin/appointments/slot")]
pub async fn load_reception_slot(patient_id: i64, slot_id: i64) -> Result<ReceptionSlot, AppError> {
    use crate::api::appointments::shared;
    use domain::appointments::{check_booking, Booker, SlotId};
    let (state, ctx) = crate::server::context().await?;
    let (practice, _, patient_name) = bookable_patient(&state, &ctx, patient_id).await?;
    let slot = state.store.slot(practice, SlotId(slot_id)).await?;
    let rules = state.store.booking_rules(practice).await?;
    check_booking(Booker::Staff, &slot.facts(), &rules, &[], ctx.now)
        .map_err(|why| AppError::Conflict(why.to_string()))?;
    Ok(ReceptionSlot { patient_id, patient_name, slot: shared::staff_choice(&slot) })
}

/// Staff: books a slot for a patient, recording how they asked.
#[server(endpoint = "admin/appointments/book")]
pub async fn book_for_patient(patient_id: i64, slot_id: i64, #[server(default)] route: String) -> Result<(), AppError> {
    use crate::api::appointments::{refusal_with_alternatives, shared};
    use domain::appointments::{Booker, SlotId};
    use storage::appointments::NewBooking;
    let route = read_route(&route)?;
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, _) = bookable_patient(&state, &ctx, patient_id).await?;
    let audit = storage::audit::NewAudit {
        acting_for: Some(patient),
        ..ctx.audit("appointment_booked").detail(format!("slot {slot_id}; route {}", route.as_str()))
    };
    let link = shared::link(&state);
    let booking = NewBooking {
        practice,
        patient,
        slot: SlotId(slot_id),
        booker: Booker::Staff,
        route,
        by: ctx.actor.login(),
        audit: &audit,
        link: &link,
        notify: true,
        now: ctx.now,
    };
    match state.store.book(&booking).await? {
        Ok(id) => {
            leptos_axum::redirect(&format!("/admin/patients/{patient_id}/appointments?booked={}", id.0));
            Ok(())
        }
        Err(why) => Err(refusal_with_alternatives(&state, &ctx, practice, slot_id, why, Booker::Staff, &[]).await),
    }
}

/// Staff: cancels a patient's appointment, recording how they asked.
#[server(endpoint = "admin/appointments/cancel")]
pub async fn cancel_for_patient(
    patient_id: i64,
    appointment_id: i64,
    #[server(default)] route: String,
) -> Result<(), AppError> {
    use crate::api::appointments::shared;
    use domain::appointments::{AppointmentId, Booker};
    use storage::appointments::Cancellation;
    let route = read_route(&route)?;
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, _) = bookable_patient(&state, &ctx, patient_id).await?;
    let audit = storage::audit::NewAudit {
        acting_for: Some(patient),
        ..ctx.audit("appointment_cancelled").detail(format!("route {}", route.as_str()))
    };
    let link = shared::link(&state);
    let cancellation = Cancellation {
        practice,
        appointment: AppointmentId(appointment_id),
        patient: Some(patient),
        booker: Booker::Staff,
        route,
        by: ctx.actor.login(),
        reason: "Cancelled by the practice at the patient's request",
        audit: &audit,
        link: &link,
        now: ctx.now,
    };
    match state.store.cancel_appointment(&cancellation).await? {
        Ok(_) => {
            leptos_axum::redirect(&format!("/admin/patients/{patient_id}/appointments?cancelled=1"));
            Ok(())
        }
        Err(why) => Err(AppError::Conflict(why.to_string())),
    }
}
