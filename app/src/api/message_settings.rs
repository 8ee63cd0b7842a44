//! Practice admins: how the practice takes messages. On or off, the
//! categories patients choose from, the reply time promised, the hours new
//! conversations can be started, daily caps and the red-flag phrases.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The days of the week as the form names its hours fields, Monday first.
pub const DAYS: [(&str, &str); 7] = [
    ("monday", "Monday"),
    ("tuesday", "Tuesday"),
    ("wednesday", "Wednesday"),
    ("thursday", "Thursday"),
    ("friday", "Friday"),
    ("saturday", "Saturday"),
    ("sunday", "Sunday"),
];

/// The settings form, as posted and as shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MessagingForm {
    /// `yes` when ticked.
    pub enabled: Option<String>,
    pub reply_promise: String,
    pub monday: String,
    pub tuesday: String,
    pub wednesday: String,
    pub thursday: String,
    pub friday: String,
    pub saturday: String,
    pub sunday: String,
    pub practice_cap: String,
    pub patient_cap: String,
    /// One per line.
    pub categories: String,
    /// One per line.
    pub red_flags: String,
}

impl MessagingForm {
    /// The hours typed for each day, Monday first.
    pub fn hours(&self) -> [&str; 7] {
        [&self.monday, &self.tuesday, &self.wednesday, &self.thursday, &self.friday, &self.saturday, &self.sunday]
    }
}

#[cfg(feature = "ssr")]
fn read_form(form: &MessagingForm) -> Result<storage::messages::NewMessageSettings, AppError> {
    use domain::messages::settings::{parse_cap, parse_lines, parse_promise, MAX_CATEGORIES, MAX_RED_FLAGS};
    use domain::messages::{DailyCaps, OpeningHours};
    let mut problems = crate::error::Problems::new();
    let reply_promise = problems.check("reply_promise", parse_promise(&form.reply_promise));
    let mut days = [None; 7];
    for ((day, text), (field, _)) in days.iter_mut().zip(form.hours()).zip(DAYS) {
        *day = problems.check(field, OpeningHours::parse_day(text)).flatten();
    }
    let practice = problems.check("practice_cap", parse_cap(&form.practice_cap));
    let per_patient = problems.check("patient_cap", parse_cap(&form.patient_cap));
    let categories = problems.check("categories", parse_lines(&form.categories, "category", MAX_CATEGORIES));
    if categories.as_ref().is_some_and(Vec::is_empty) {
        problems.add("categories", "Enter at least one category, one per line");
    }
    let red_flags = problems.check("red_flags", parse_lines(&form.red_flags, "phrase", MAX_RED_FLAGS));
    problems.finish()?;
    Ok(storage::messages::NewMessageSettings {
        enabled: form.enabled.as_deref() == Some("yes"),
        reply_promise: reply_promise.unwrap_or_default(),
        opening_hours: OpeningHours { days },
        caps: DailyCaps { practice: practice.flatten(), per_patient: per_patient.flatten() },
        categories: categories.unwrap_or_default(),
        red_flags: red_flags.unwrap_or_default(),
    })
}

/// Practice admins: the messaging settings as stored, as the form shows them.
#[server(endpoint = "admin/settings/messages")]
pub async fn load_messaging_settings() -> Result<MessagingForm, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageMessaging)?;
    let settings = state.store.message_settings(practice, ctx.now).await?;
    let hours: Vec<String> = settings
        .opening_hours
        .days
        .iter()
        .map(|day| match day {
            Some((opens, closes)) => format!("{}-{}", opens.format("%H:%M"), closes.format("%H:%M")),
            None => String::new(),
        })
        .collect();
    let cap = |cap: Option<u32>| cap.map(|c| c.to_string()).unwrap_or_default();
    Ok(MessagingForm {
        enabled: settings.enabled.then(|| "yes".to_owned()),
        reply_promise: settings.reply_promise,
        monday: hours[0].clone(),
        tuesday: hours[1].clone(),
        wednesday: hours[2].clone(),
        thursday: hours[3].clone(),
        friday: hours[4].clone(),
        saturday: hours[5].clone(),
        sunday: hours[6].clone(),
        practice_cap: cap(settings.caps.practice),
        patient_cap: cap(settings.caps.per_patient),
        categories: settings.categories.into_iter().map(|c| c.name).collect::<Vec<_>>().join("\n"),
        red_flags: settings.red_flags.join("\n"),
    })
}

/// Practice admins: saves the messaging settings, all or nothing.
#[server(endpoint = "admin/settings/messages/save")]
pub async fn save_messaging_settings(#[server(flatten)] form: MessagingForm) -> Result<(), AppError> {
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageMessaging)?;
    let settings = read_form(&form)?;
    let audit = ctx.audit("message_settings_changed");
    state.store.save_message_settings(practice, &settings, &audit).await?;
    leptos_axum::redirect("/admin/settings/messages?saved=1");
    Ok(())
}
