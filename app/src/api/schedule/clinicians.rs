//! Adding a clinician.

use super::name_field;
#[cfg(feature = "ssr")]
use super::taken;
use crate::error::{AppError, Problems};
use domain::appointments::ClinicianRole;
use leptos::prelude::*;

pub fn check_clinician(name: &str, role: &str) -> Result<(), AppError> {
    let mut problems = Problems::new();
    name_field(&mut problems, "name", name, "the clinician's name", 100);
    if ClinicianRole::parse(role).is_none() {
        problems.add("role", "Choose the clinician's role");
    }
    problems.finish()
}

#[server(endpoint = "admin/schedule/clinicians/add")]
pub async fn add_clinician(#[server(default)] name: String, #[server(default)] role: String) -> Result<(), AppError> {
    check_clinician(&name, &role)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let role = ClinicianRole::parse(&role).ok_or(AppError::Internal)?;
    let audit = ctx.audit("clinician_added").detail(format!("{} ({})", name.trim(), role.as_str()));
    state
        .store
        .add_clinician(practice, name.trim(), role, &audit)
        .await
        .map_err(|e| taken(e, "name", "A clinician with that name is already in the list"))?;
    leptos_axum::redirect("/admin/schedule/setup?saved=clinician");
    Ok(())
}
