//! Weekly rotas, and making their sessions for some weeks.

#[cfg(feature = "ssr")]
use super::clinic_sessions::{read_choices, read_times};
#[cfg(feature = "ssr")]
use super::refuse_past_day;
use super::whole_number;
use crate::api::appointments::Choice;
use crate::error::{AppError, Problems};
use domain::appointments::limits;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotaView {
    pub id: i64,
    pub weekday: String,
    pub times: String,
    pub clinician: String,
    pub session_type: String,
    pub slot_type: String,
    pub location: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rotas {
    pub rotas: Vec<RotaView>,
    pub clinicians: Vec<Choice>,
    pub session_types: Vec<Choice>,
    pub slot_types: Vec<Choice>,
}

pub const WEEKDAYS: [(&str, &str); 7] = [
    ("1", "Monday"),
    ("2", "Tuesday"),
    ("3", "Wednesday"),
    ("4", "Thursday"),
    ("5", "Friday"),
    ("6", "Saturday"),
    ("7", "Sunday"),
];

pub fn check_generate(from: &str, weeks: &str) -> Result<(chrono::NaiveDate, u32), AppError> {
    let mut problems = Problems::new();
    let from = domain::time::parse_typed_date(from);
    if from.is_none() {
        problems.add("from", "Enter the first day like 04/05/2026");
    }
    let weeks = whole_number(&mut problems, "weeks", weeks, "a number of weeks", limits::ROTA_WEEKS);
    problems.finish()?;
    Ok((from.unwrap_or_default(), weeks))
}

#[server(endpoint = "admin/schedule/rotas")]
pub async fn load_rotas() -> Result<Rotas, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let rows = state.store.rotas(practice).await?;
    let minute = |m: i32| {
        let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt((m.rem_euclid(1440) * 60) as u32, 0)
            .unwrap_or_default();
        domain::appointments::clock(time)
    };
    Ok(Rotas {
        rotas: rows
            .iter()
            .map(|r| RotaView {
                id: r.id,
                weekday: WEEKDAYS.get((r.weekday - 1).clamp(0, 6) as usize).map(|d| d.1).unwrap_or("").into(),
                times: format!("{} to {}", minute(r.start_minute), minute(r.end_minute)),
                clinician: r.clinician_name.clone(),
                session_type: r.session_type_name.clone(),
                slot_type: r.slot_type_name.clone(),
                location: r.location.clone(),
                active: r.active,
            })
            .collect(),
        clinicians: state.store.clinicians(practice).await?.into_iter().map(|c| (c.id.to_string(), c.name)).collect(),
        session_types: state
            .store
            .session_types(practice)
            .await?
            .into_iter()
            .map(|t| (t.id.to_string(), t.internal_name))
            .collect(),
        slot_types: state
            .store
            .slot_types(practice)
            .await?
            .into_iter()
            .map(|t| (t.id.to_string(), format!("{} ({} minutes)", t.internal_name, t.minutes)))
            .collect(),
    })
}

/// A weekly rota's form, as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RotaForm {
    pub clinician: String,
    pub session_type: String,
    pub slot_type: String,
    pub weekday: String,
    pub start: String,
    pub end: String,
    pub location: String,
}

#[server(endpoint = "admin/schedule/rotas/add")]
pub async fn add_rota(#[server(flatten)] form: RotaForm) -> Result<(), AppError> {
    use domain::appointments::{ClinicianId, SessionTypeId, SlotTypeId};
    let (clinician, session_type, slot_type) = read_choices(&form.clinician, &form.session_type, &form.slot_type)?;
    let weekday = match form.weekday.parse::<u32>() {
        Ok(day) if (1..=7).contains(&day) => day,
        _ => return Err(AppError::invalid("weekday", "Choose a day of the week")),
    };
    let (start, end, location) = read_times(&form.start, &form.end, &form.location)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let rota = storage::appointments::NewRota {
        clinician: ClinicianId(clinician),
        session_type: SessionTypeId(session_type),
        slot_type: SlotTypeId(slot_type),
        weekday,
        start,
        end,
        location,
    };
    state.store.add_rota(practice, &rota, &ctx.audit("rota_added")).await?;
    leptos_axum::redirect("/admin/schedule/rotas?saved=added");
    Ok(())
}

/// Stops a weekly rota (sessions already in the book stay), or restarts it.
#[server(endpoint = "admin/schedule/rotas/active")]
pub async fn set_rota_active(rota_id: i64, #[server(default)] active: String) -> Result<(), AppError> {
    let active = match active.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::invalid("active", "Choose to stop or restart the rota")),
    };
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let audit = ctx.audit(if active { "rota_restarted" } else { "rota_stopped" }).on("rota", rota_id);
    state.store.set_rota_active(practice, domain::appointments::RotaId(rota_id), active, &audit).await?;
    leptos_axum::redirect("/admin/schedule/rotas?saved=rota");
    Ok(())
}

/// Makes the sessions of every active rota for some weeks.
#[server(endpoint = "admin/schedule/rotas/generate")]
pub async fn generate_sessions(
    #[server(default)] from: String,
    #[server(default)] weeks: String,
) -> Result<(), AppError> {
    let (from, weeks) = check_generate(&from, &weeks)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    refuse_past_day(&ctx, from, "from")?;
    let made = state.store.generate_sessions(practice, from, weeks * 7, &ctx.audit("sessions_generated")).await?;
    leptos_axum::redirect(&format!("/admin/schedule/rotas?made={made}"));
    Ok(())
}
