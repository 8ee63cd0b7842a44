//! The staff area's overview.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A member of staff as the admin area lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffListing {
    pub name: String,
    pub email: String,
    pub role: String,
    pub has_password: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminSummary {
    pub practice_name: String,
    pub staff: Vec<StaffListing>,
    pub patients: i64,
}

/// Staff only: who works at the practice and how many patients it has.
#[server(endpoint = "admin/overview")]
pub async fn admin_overview() -> Result<AdminSummary, AppError> {
    use domain::{Actor, StaffRole};
    let (state, ctx) = crate::server::context().await?;
    let practice = match &ctx.actor {
        Actor::Staff { practice, .. } => *practice,
        Actor::Anonymous => return Err(AppError::SignInRequired),
        _ => return Err(AppError::Forbidden),
    };
    let row = state.store.practice(practice).await?.ok_or(AppError::NotFound)?;
    let staff = state
        .store
        .staff_of_practice(practice)
        .await?
        .into_iter()
        .map(|s| StaffListing {
            role: StaffRole::parse(&s.role).map(StaffRole::label).unwrap_or("Unknown").to_owned(),
            name: s.display_name,
            email: s.email,
            has_password: s.has_password,
        })
        .collect();
    let patients = state.store.count_patients(practice).await?;
    Ok(AdminSummary { practice_name: row.name, staff, patients })
}
