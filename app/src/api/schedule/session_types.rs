//! Adding a session type.

use super::name_field;
#[cfg(feature = "ssr")]
use super::taken;
use crate::error::{AppError, Problems};
use leptos::prelude::*;

pub fn check_session_type(internal_name: &str, patient_name: &str) -> Result<(), AppError> {
    let mut problems = Problems::new();
    name_field(&mut problems, "session_internal_name", internal_name, "the name staff see", 60);
    name_field(&mut problems, "session_patient_name", patient_name, "the name patients see", 100);
    problems.finish()
}

#[server(endpoint = "admin/schedule/session-types/add")]
pub async fn add_session_type(
    #[server(default)] session_internal_name: String,
    #[server(default)] session_patient_name: String,
) -> Result<(), AppError> {
    check_session_type(&session_internal_name, &session_patient_name)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let audit = ctx.audit("session_type_added").detail(session_internal_name.trim().to_owned());
    state
        .store
        .add_session_type(practice, session_internal_name.trim(), session_patient_name.trim(), &audit)
        .await
        .map_err(|e| taken(e, "session_internal_name", "A session type with that name already exists"))?;
    leptos_axum::redirect("/admin/schedule/setup?saved=session-type");
    Ok(())
}
