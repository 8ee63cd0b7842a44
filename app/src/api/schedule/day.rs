//! A day of the book: its clinic sessions, for every member of staff.

#[cfg(feature = "ssr")]
use super::views;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub id: i64,
    pub clinician: String,
    pub session_type: String,
    pub day: String,
    /// "9:00am to 12:00pm"
    pub times: String,
    pub location: String,
    pub slots: i64,
    pub booked: i64,
    pub cancelled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleDay {
    pub day: String,
    pub day_label: String,
    pub previous_day: String,
    pub next_day: String,
    pub sessions: Vec<SessionSummary>,
    pub can_manage: bool,
}

/// Staff: the sessions of a day (today when none is given).
#[server(endpoint = "admin/schedule/day", input = GetUrl)]
pub async fn load_schedule(#[server(default)] day: String) -> Result<ScheduleDay, AppError> {
    use domain::policy::Action;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::BookForPatients)?;
    let day = if day.is_empty() {
        domain::time::to_london(ctx.now).date()
    } else {
        day.parse::<chrono::NaiveDate>().map_err(|_| AppError::invalid("day", "Enter a day like 2026-05-05"))?
    };
    let sessions = state.store.clinic_sessions_on(practice, day).await?;
    Ok(ScheduleDay {
        day: day.to_string(),
        day_label: crate::api::appointments::shared::day_label(day),
        previous_day: (day - chrono::TimeDelta::days(1)).to_string(),
        next_day: (day + chrono::TimeDelta::days(1)).to_string(),
        sessions: sessions.iter().map(views::session_summary).collect(),
        can_manage: ctx.staff_practice(Action::ManageSchedule).is_ok(),
    })
}
