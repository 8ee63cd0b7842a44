//! The practice's online services settings (practice admins).

use crate::error::AppError;
use domain::services::Grants;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub online_services: bool,
    pub website: String,
    pub self_registration: bool,
    pub request_expiry_days: i32,
    pub defaults: Grants,
}

/// Practice admins: the settings as they stand.
#[server(endpoint = "admin/settings/online-services")]
pub async fn load_settings() -> Result<SettingsView, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageOnlineServices)?;
    let settings = state.store.online_services_settings(practice).await?;
    Ok(SettingsView {
        online_services: settings.online_services,
        website: settings.website.unwrap_or_default(),
        self_registration: settings.self_registration,
        request_expiry_days: settings.request_expiry_days,
        defaults: settings.defaults,
    })
}

/// The website and expiry checks, in the browser and on the server.
pub fn check_settings(website: &str, request_expiry_days: &str) -> Result<i32, AppError> {
    check_website(website)?;
    let (low, high) = domain::access_request::EXPIRY_DAYS_RANGE;
    match request_expiry_days.trim().parse::<i64>() {
        Ok(days) if (low..=high).contains(&days) => Ok(days as i32),
        _ => Err(AppError::invalid(
            "request_expiry_days",
            format!("Enter the number of days, from {low} to {high}, after which unhandled requests expire"),
        )),
    }
}

fn check_website(website: &str) -> Result<(), AppError> {
    let website = website.trim();
    if !(website.is_empty() || website.starts_with("https://") || website.starts_with("http://")) {
        return Err(AppError::invalid("website", "Enter the website address starting with https://"));
    }
    if website.len() > 300 {
        return Err(AppError::invalid("website", "Website address must be 300 characters or fewer"));
    }
    Ok(())
}

/// Practice admins: saves the settings; the change is audited with before and after.
#[server(endpoint = "admin/settings/online-services/save")]
pub async fn save_settings(
    online_services: Option<String>,
    #[server(default)] website: String,
    self_registration: Option<String>,
    #[server(default)] request_expiry_days: String,
    #[server(flatten)] defaults: crate::api::patients::GrantsForm,
) -> Result<(), AppError> {
    use storage::services::OnlineServicesSettings;
    let defaults = crate::api::patients::read_grants(&defaults)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageOnlineServices)?;
    let request_expiry_days = check_settings(&website, &request_expiry_days)?;
    let before = state.store.online_services_settings(practice).await?;
    let yes = |field: &Option<String>| field.as_deref() == Some("yes");
    let after = OnlineServicesSettings {
        online_services: yes(&online_services),
        website: Some(website.trim().to_owned()).filter(|w| !w.is_empty()),
        self_registration: yes(&self_registration),
        request_expiry_days,
        defaults,
    };
    let describe = |s: &OnlineServicesSettings| {
        format!(
            "online services={}, self-registration={}, requests expire after {} days, website={}, defaults: {}",
            s.online_services,
            s.self_registration,
            s.request_expiry_days,
            s.website.as_deref().unwrap_or("none"),
            s.defaults.describe()
        )
    };
    let audit = ctx.audit("online_services_settings_changed").detail(format!(
        "before: {}; after: {}",
        describe(&before),
        describe(&after)
    ));
    state.store.save_online_services_settings(practice, &after, &audit, ctx.now).await?;
    leptos_axum::redirect("/admin/settings/online-services?saved=1");
    Ok(())
}
