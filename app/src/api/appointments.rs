//! Patients find, book and cancel their own appointments.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A slot as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotChoice {
    pub id: i64,
    /// "Tuesday 5 May 2026"
    pub day: String,
    /// "9:00am"
    pub time: String,
    /// "Tuesday 5 May 2026, 9:00am to 9:10am"
    pub when: String,
    /// The patient-facing name of the slot type.
    pub name: String,
    pub description: String,
    pub channel: String,
    /// "Dr Ada Okafor (GP)"
    pub clinician: String,
    pub location: String,
    /// For staff only: the internal name, and who holds the slot.
    pub internal_name: Option<String>,
    pub booked_by: Option<String>,
}

/// One choice in a filter: a value and what people read.
pub type Choice = (String, String);

/// An appointment as its patient, or staff, see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentView {
    pub id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    pub when: String,
    pub name: String,
    /// For staff only.
    pub internal_name: Option<String>,
    pub channel: String,
    pub clinician: String,
    pub location: String,
    pub booked: bool,
    pub upcoming: bool,
    /// "Booked online", "Cancelled: The practice cancelled the session"
    pub status: String,
    /// Whether the viewer may cancel it now, or why not.
    pub cancellable: Result<(), String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentList {
    pub upcoming: Vec<AppointmentView>,
    pub past: Vec<AppointmentView>,
    pub can_book: bool,
}

#[cfg(feature = "ssr")]
pub(crate) mod shared {
    //! What the patient's and the reception's pages share.
    use super::*;
    use crate::error::AppResult;
    use crate::server::{AppState, Ctx};
    use domain::appointments::{check_cancellation, Booker, BookingRules, Channel, ClinicianRole, Route};
    use domain::time::{display_date, display_london_time, to_london};
    use storage::appointments::{AppointmentRow, SlotRow};

    pub fn clinician_label(name: &str, role: &str) -> String {
        format!("{name} ({})", ClinicianRole::parse(role).map(ClinicianRole::label).unwrap_or("Clinician"))
    }

    /// A slot as a patient sees it: plain names only.
    pub fn choice(slot: &SlotRow) -> SlotChoice {
        let starts = slot.starts_at.0;
        SlotChoice {
            id: slot.slot_id,
            day: day_label(to_london(starts).date()),
            time: display_london_time(starts),
            when: domain::appointments::describe_times(starts, slot.ends_at.0),
            name: slot.type_patient_name.clone(),
            description: slot.type_description.clone(),
            channel: slot.channel().label().into(),
            clinician: clinician_label(&slot.clinician_name, &slot.clinician_role),
            location: where_it_is(slot.channel(), &slot.location),
            internal_name: None,
            booked_by: None,
        }
    }

    /// A slot as staff see it: with its internal name and who holds it.
    pub fn staff_choice(slot: &SlotRow) -> SlotChoice {
        SlotChoice {
            internal_name: Some(slot.type_internal_name.clone()),
            booked_by: slot.patient_name.clone(),
            ..choice(slot)
        }
    }

    /// "Tuesday 5 May 2026"
    pub fn day_label(day: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
        format!("{} {}", DAYS[day.weekday().num_days_from_monday() as usize], display_date(day))
    }

    pub fn where_it_is(channel: Channel, location: &str) -> String {
        match channel {
            Channel::InPerson => location.to_owned(),
            Channel::Telephone => "The practice will phone you".into(),
            Channel::Video => "Video call: the practice will send you the link".into(),
        }
    }

    pub fn view_of(
        row: &AppointmentRow,
        booker: Booker,
        rules: &BookingRules,
        now: chrono::DateTime<chrono::Utc>,
    ) -> AppointmentView {
        let via = Route::parse(&row.booked_via).map(Route::label).unwrap_or("Online").to_lowercase();
        let status = if row.is_booked() {
            format!("Booked {via}")
        } else {
            format!("Cancelled{}", row.cancel_reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default())
        };
        AppointmentView {
            id: row.id,
            patient_id: row.patient_id,
            patient_name: row.patient_name.clone(),
            when: domain::appointments::describe_times(row.starts_at.0, row.ends_at.0),
            name: row.type_patient_name.clone(),
            internal_name: (booker == Booker::Staff).then(|| row.type_internal_name.clone()),
            channel: row.channel().label().into(),
            clinician: clinician_label(&row.clinician_name, &row.clinician_role),
            location: where_it_is(row.channel(), &row.location),
            booked: row.is_booked(),
            upcoming: row.starts_at.0 > now,
            status,
            cancellable: check_cancellation(booker, row.starts_at.0, !row.is_booked(), rules, now)
                .map_err(|why| why.to_string()),
        }
    }

    /// Splits a patient's appointments into upcoming (soonest first) and past.
    pub async fn appointments_of(
        state: &AppState,
        ctx: &Ctx,
        practice: domain::PracticeId,
        patient: domain::PatientId,
        booker: Booker,
    ) -> AppResult<(Vec<AppointmentView>, Vec<AppointmentView>)> {
        let rules = state.store.booking_rules(practice).await?;
        let rows = state.store.patient_appointments(practice, patient).await?;
        let (mut upcoming, past): (Vec<_>, Vec<_>) =
            rows.iter().map(|row| view_of(row, booker, &rules, ctx.now)).partition(|a| a.upcoming && a.booked);
        upcoming.reverse();
        Ok((upcoming, past))
    }

    /// The link in appointment emails.
    pub fn link(state: &AppState) -> String {
        format!("{}/appointments", state.config.public_url)
    }
}

/// The signed-in patient, once they may use online appointments.
#[cfg(feature = "ssr")]
pub(crate) async fn patient_with_appointments(
    state: &crate::server::AppState,
    ctx: &crate::server::Ctx,
) -> Result<(domain::PracticeId, domain::PatientId, storage::patients::PatientRow), AppError> {
    let (practice, patient, row, _) =
        crate::server::services::signed_in_patient(state, ctx, |available| available.appointments).await?;
    Ok((practice, patient, row))
}

/// Patients: one slot they may book, to check before confirming. A slot
/// they may not book answers with the reason.
#[server(endpoint = "appointments/slot")]
pub async fn load_slot(slot_id: i64) -> Result<SlotChoice, AppError> {
    use domain::appointments::{check_booking, Booker, SlotId};
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, row) = patient_with_appointments(&state, &ctx).await?;
    let slot = state.store.slot(practice, SlotId(slot_id)).await?;
    // A slot the patient could never book online is not theirs to see,
    // whether it is free or not.
    let facts = slot.facts();
    if !facts.offer.bookable || !facts.clinician_bookable {
        return Err(AppError::NotFound);
    }
    let rules = state.store.booking_rules(practice).await?;
    let held = state.store.held_appointments(practice, patient).await?;
    match check_booking(Booker::Patient { date_of_birth: row.date_of_birth }, &facts, &rules, &held, ctx.now) {
        Ok(()) => Ok(shared::choice(&slot)),
        Err(why) => Err(AppError::Conflict(why.to_string())),
    }
}

/// What a losing booking is told: why, and the nearest slots of the same
/// type the patient may still book.
#[cfg(feature = "ssr")]
pub(crate) async fn refusal_with_alternatives(
    state: &crate::server::AppState,
    ctx: &crate::server::Ctx,
    practice: domain::PracticeId,
    slot_id: i64,
    why: domain::appointments::Unbookable,
    booker: domain::appointments::Booker,
    held: &[domain::appointments::Held],
) -> AppError {
    use domain::appointments::{check_booking, SlotId, Unbookable};
    if why != Unbookable::Taken {
        return AppError::Conflict(why.to_string());
    }
    let Ok(slot) = state.store.slot(practice, SlotId(slot_id)).await else {
        return AppError::Conflict(why.to_string());
    };
    let Ok(rules) = state.store.booking_rules(practice).await else {
        return AppError::Conflict(why.to_string());
    };
    // A few free ones either side, read in two small queries: at a release
    // every loser of the rush asks at once.
    let nearby = state
        .store
        .free_slots_near(practice, domain::appointments::SlotTypeId(slot.slot_type_id), slot.starts_at.0, ctx.now, 12)
        .await
        .unwrap_or_default();
    let mut near: Vec<_> = nearby
        .iter()
        .filter(|s| s.slot_id != slot.slot_id)
        .filter(|s| check_booking(booker, &s.facts(), &rules, held, ctx.now).is_ok())
        .collect();
    near.sort_by_key(|s| (s.starts_at.0 - slot.starts_at.0).abs());
    let times: Vec<String> = near.iter().take(3).map(|s| domain::time::display_london(s.starts_at.0)).collect();
    if times.is_empty() {
        AppError::Conflict("That appointment has just been taken. There are no others like it free nearby.".into())
    } else {
        AppError::Conflict(format!(
            "That appointment has just been taken. The nearest free ones like it are: {}.",
            times.join("; ")
        ))
    }
}

/// Patients: books a slot for themselves, and shows the confirmation.
#[server(endpoint = "appointments/book")]
pub async fn book_appointment(slot_id: i64) -> Result<(), AppError> {
    use domain::appointments::{Booker, Route, SlotId};
    use storage::appointments::NewBooking;
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, row) = patient_with_appointments(&state, &ctx).await?;
    let audit = storage::audit::NewAudit {
        acting_for: Some(patient),
        ..ctx.audit("appointment_booked").detail(format!("slot {slot_id}; route online"))
    };
    let link = shared::link(&state);
    let booker = Booker::Patient { date_of_birth: row.date_of_birth };
    let booking = NewBooking {
        practice,
        patient,
        slot: SlotId(slot_id),
        booker,
        route: Route::Online,
        by: ctx.actor.login(),
        audit: &audit,
        link: &link,
        notify: true,
        now: ctx.now,
    };
    match state.store.book(&booking).await? {
        Ok(id) => {
            leptos_axum::redirect(&format!("/appointments/{}?booked=1", id.0));
            Ok(())
        }
        Err(why) => {
            let held = state.store.held_appointments(practice, patient).await?;
            Err(refusal_with_alternatives(&state, &ctx, practice, slot_id, why, booker, &held).await)
        }
    }
}

/// Patients: their appointments, upcoming and past.
#[server(endpoint = "appointments/mine")]
pub async fn my_appointments() -> Result<AppointmentList, AppError> {
    use domain::appointments::Booker;
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, row) = patient_with_appointments(&state, &ctx).await?;
    let booker = Booker::Patient { date_of_birth: row.date_of_birth };
    let (upcoming, past) = shared::appointments_of(&state, &ctx, practice, patient, booker).await?;
    Ok(AppointmentList { upcoming, past, can_book: true })
}

/// Patients: one of their own appointments.
#[server(endpoint = "appointments/one")]
pub async fn load_appointment(appointment_id: i64) -> Result<AppointmentView, AppError> {
    use domain::appointments::{AppointmentId, Booker};
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, row) = patient_with_appointments(&state, &ctx).await?;
    let appointment = state.store.appointment(practice, AppointmentId(appointment_id)).await?;
    if appointment.patient_id != patient.0 {
        return Err(AppError::NotFound);
    }
    let rules = state.store.booking_rules(practice).await?;
    Ok(shared::view_of(&appointment, Booker::Patient { date_of_birth: row.date_of_birth }, &rules, ctx.now))
}

/// Patients: cancels one of their own appointments, until the practice's cut-off.
#[server(endpoint = "appointments/cancel")]
pub async fn cancel_appointment(appointment_id: i64) -> Result<(), AppError> {
    use domain::appointments::{AppointmentId, Booker, Route};
    use storage::appointments::Cancellation;
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, row) = patient_with_appointments(&state, &ctx).await?;
    let audit = storage::audit::NewAudit {
        acting_for: Some(patient),
        ..ctx.audit("appointment_cancelled").detail("route online")
    };
    let link = shared::link(&state);
    let cancellation = Cancellation {
        practice,
        appointment: AppointmentId(appointment_id),
        patient: Some(patient),
        booker: Booker::Patient { date_of_birth: row.date_of_birth },
        route: Route::Online,
        by: ctx.actor.login(),
        reason: "Cancelled by the patient",
        audit: &audit,
        link: &link,
        now: ctx.now,
    };
    match state.store.cancel_appointment(&cancellation).await? {
        Ok(_) => {
            leptos_axum::redirect("/appointments?cancelled=1");
            Ok(())
        }
        Err(why) => Err(AppError::Conflict(why.to_string())),
    }
}
