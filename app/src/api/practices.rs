//! Finding a practice and showing its home page.

use crate::error::AppError;
use domain::practice::PracticeSummary;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The deployment's default practice, if it names one.
#[server(endpoint = "practices/home")]
pub async fn home_practice() -> Result<Option<PracticeSummary>, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let Some(practice) = ctx.practice else {
        return Ok(None);
    };
    let row = state.store.practice(practice.id).await?.ok_or(AppError::NotFound)?;
    Ok(Some(ssr::summary(&row)?))
}

/// One practice by its ODS code.
#[server(endpoint = "practices/by-ods", input = GetUrl)]
pub async fn practice_by_ods(ods_code: String) -> Result<PracticeSummary, AppError> {
    let code = domain::OdsCode::parse(&ods_code).map_err(|_| AppError::NotFound)?;
    let (state, _ctx) = crate::server::context().await?;
    let row = state.store.practice_by_ods(&code).await?.ok_or(AppError::NotFound)?;
    ssr::summary(&row)
}

/// Practices whose name contains the text, or whose ODS code it is.
#[server(endpoint = "practices/search", input = GetUrl)]
pub async fn search_practices(text: String) -> Result<Vec<PracticeSummary>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid("q", "Enter the name or ODS code of your GP practice"));
    }
    if text.chars().count() > 100 {
        return Err(AppError::invalid("q", "Search text must be 100 characters or fewer"));
    }
    let (state, _ctx) = crate::server::context().await?;
    let rows = state.store.search_practices(text, 20).await?;
    rows.iter().map(ssr::summary).collect()
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::{AppError, AppResult};
    use domain::practice::PracticeSummary;
    use domain::{OdsCode, PracticeName};
    use storage::practices::PracticeRow;

    pub fn summary(row: &PracticeRow) -> AppResult<PracticeSummary> {
        Ok(PracticeSummary {
            ods_code: OdsCode::parse(&row.ods_code).map_err(|_| AppError::Internal)?,
            name: PracticeName::parse(&row.name).map_err(|_| AppError::Internal)?,
            address: row.address.clone(),
            phone: row.phone.clone(),
            website: row.website.clone(),
            online_services_enabled: row.online_services_enabled,
        })
    }
}
