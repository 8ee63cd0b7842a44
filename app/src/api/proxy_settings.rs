//! Practice admins: the ages for parents' access to a child's services (it
//! narrows from one, is reviewed at another; it stops at 16 whatever is
//! set) and whether grants patients give wait for the practice's review.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The form, as posted and as shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProxySettingsForm {
    pub narrow_from: String,
    pub review_at: String,
    /// `yes` or `no`.
    pub patient_grants_reviewed: String,
}

/// An age from 1 to 15, or its problem under `field`.
#[cfg(feature = "ssr")]
fn age(problems: &mut crate::error::Problems, field: &str, text: &str) -> Option<u32> {
    match text.trim().parse::<u32>() {
        Ok(age) if (1..domain::proxy::SUSPEND_AT).contains(&age) => Some(age),
        _ => {
            problems.add(field, "Enter an age from 1 to 15: at 16 a parent's access stops whatever is set");
            None
        }
    }
}

/// Practice admins: the settings as stored.
#[server(endpoint = "admin/settings/proxies")]
pub async fn load_proxy_settings() -> Result<ProxySettingsForm, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageProxySettings)?;
    let settings = state.store.proxy_settings(practice).await?;
    Ok(ProxySettingsForm {
        narrow_from: settings.ages.narrow_from.to_string(),
        review_at: settings.ages.review_at.to_string(),
        patient_grants_reviewed: if settings.patient_grants_reviewed { "yes" } else { "no" }.to_owned(),
    })
}

/// Practice admins: saves the settings, all or nothing. Every request works
/// the ages out again, so they apply from the next page anyone opens.
#[server(endpoint = "admin/settings/proxies/save")]
pub async fn save_proxy_settings(#[server(flatten)] form: ProxySettingsForm) -> Result<(), AppError> {
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageProxySettings)?;
    let mut problems = crate::error::Problems::new();
    let narrow_from = age(&mut problems, "narrow_from", &form.narrow_from);
    let review_at = age(&mut problems, "review_at", &form.review_at);
    let reviewed = match form.patient_grants_reviewed.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            problems.add("patient_grants_reviewed", "Choose whether the practice reviews the access patients give");
            None
        }
    };
    problems.finish()?;
    let (Some(narrow_from), Some(review_at), Some(reviewed)) = (narrow_from, review_at, reviewed) else {
        return Err(AppError::invalid("narrow_from", "Check the form"));
    };
    let ages = domain::proxy::AgeRules::new(narrow_from, review_at)
        .map_err(|e| AppError::invalid("narrow_from", e.to_string()))?;
    let settings = storage::proxies::ProxySettings { ages, patient_grants_reviewed: reviewed };
    let detail = format!("narrows from {narrow_from}, reviewed at {review_at}, patient grants reviewed: {reviewed}");
    let audit = ctx.audit("proxy_settings_changed").detail(detail);
    state.store.set_proxy_settings(practice, &settings, &audit).await?;
    leptos_axum::redirect("/admin/settings/proxies?saved=1");
    Ok(())
}
