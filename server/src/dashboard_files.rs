//! The practice dashboard's tables as CSV files, for the same people as the
//! page (practice admins and clinicians): `months.csv`, `pomi.csv`,
//! `targets.csv` and `uptake.csv`, each for `?month=2026-03` (blank: this
//! month). A file not among them is not found.

use crate::downloads::attachment;
use app::error::AppError;
use app::server::dashboard::{chosen_month, figures, table, to_csv, DashboardFile};
use app::server::{AppState, Ctx};
use axum::extract::{Extension, Path, Query};
use axum::response::Response;
use std::collections::HashMap;

/// `GET /admin/dashboard/{file}`.
pub async fn dashboard_file(
    Extension(state): Extension<AppState>,
    ctx: Ctx,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let practice = ctx.staff_practice(domain::policy::Action::ViewDashboard)?;
    let file = DashboardFile::parse(&file).ok_or(AppError::NotFound)?;
    let month = chosen_month(query.get("month").map_or("", String::as_str), ctx.now)?;
    let (figures, uptake) = figures(&state, practice, month).await?;
    let rows = table(file, &figures, &uptake, ctx.practice()?);
    let name = format!("{}-{month}.csv", file.name());
    Ok(attachment("text/csv; charset=utf-8", &name, to_csv(&rows).into_bytes()))
}
