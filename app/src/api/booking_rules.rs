//! What patients can book online, and the limits (practice admins).

use crate::api::schedule::{ClinicianView, SlotTypeView};
use crate::error::{AppError, Problems};
use domain::appointments::limits;
use domain::appointments::{BookingRules, Cap, OnlineOffer, Release};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRulesView {
    pub horizon_days: String,
    pub min_notice_hours: String,
    pub max_future: String,
    pub min_age: String,
    pub cancel_cutoff_hours: String,
    pub clinicians: Vec<ClinicianView>,
    pub slot_types: Vec<SlotTypeView>,
}

#[cfg(feature = "ssr")]
fn hours(minutes: u32) -> String {
    if minutes.is_multiple_of(60) {
        (minutes / 60).to_string()
    } else {
        format!("{:.2}", f64::from(minutes) / 60.0)
    }
}

/// Reads a number of hours (whole or with a fraction) as minutes.
fn read_hours(problems: &mut Problems, field: &str, text: &str, what: &str) -> u32 {
    match text.trim().parse::<f64>() {
        Ok(h) if limits::HOURS.contains(&h) => (h * 60.0).round() as u32,
        _ => {
            let (low, high) = limits::HOURS.into_inner();
            problems.add(field, format!("Enter {what} in hours, from {low} to {high}"));
            0
        }
    }
}

/// A number, or nothing for "no limit".
fn optional_number(
    problems: &mut Problems,
    field: &str,
    text: &str,
    message: impl Fn(u32, u32) -> String,
    range: std::ops::RangeInclusive<u32>,
) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse::<u32>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            problems.add(field, message(*range.start(), *range.end()));
            None
        }
    }
}

/// Reads the rules form; the same code runs in the browser and on the server.
pub fn read_rules(
    horizon_days: &str,
    min_notice_hours: &str,
    max_future: &str,
    min_age: &str,
    cancel_cutoff_hours: &str,
) -> Result<BookingRules, AppError> {
    let mut problems = Problems::new();
    let horizon = match horizon_days.trim().parse::<u32>() {
        Ok(n) if limits::HORIZON_DAYS.contains(&n) => n,
        _ => {
            let (low, high) = limits::HORIZON_DAYS.into_inner();
            problems.add("horizon_days", format!("Enter how many days ahead patients can book, from {low} to {high}"));
            28
        }
    };
    let notice = read_hours(&mut problems, "min_notice_hours", min_notice_hours, "the notice needed");
    let max_future = optional_number(
        &mut problems,
        "max_future",
        max_future,
        |low, high| {
            format!(
                "Enter the most appointments a patient can hold, from {low} to {high}, or leave it empty for no limit"
            )
        },
        limits::MAX_FUTURE,
    );
    let min_age = optional_number(
        &mut problems,
        "min_age",
        min_age,
        |low, high| format!("Enter a minimum age from {low} to {high}, or leave it empty for none"),
        limits::MIN_AGE,
    );
    let cutoff = read_hours(&mut problems, "cancel_cutoff_hours", cancel_cutoff_hours, "the cancellation cut-off");
    problems.finish()?;
    Ok(BookingRules {
        horizon_days: horizon,
        min_notice_minutes: notice,
        max_future,
        min_age,
        cancel_cutoff_minutes: cutoff,
    })
}

/// Reads a slot type's online offer form.
pub fn read_offer(
    bookable: &Option<String>,
    release: &str,
    release_days: &str,
    release_at: &str,
    cap_count: &str,
    cap_days: &str,
) -> Result<OnlineOffer, AppError> {
    let mut problems = Problems::new();
    let release = match release {
        "when_created" => Release::WhenCreated,
        "held" => {
            let days = optional_number(
                &mut problems,
                "release_days",
                release_days,
                |low, high| format!("Enter the days before, from {low} to {high}"),
                limits::RELEASE_DAYS,
            );
            let at = domain::appointments::parse_clock(release_at);
            if release_days.trim().is_empty() {
                problems.add(
                    "release_days",
                    "Enter how many days before the appointment it is released (0 for the same day)",
                );
            }
            if at.is_none() {
                problems.add("release_at", "Enter the release time like 08:00");
            }
            Release::DaysBefore { days: days.unwrap_or(0) as u16, at: at.unwrap_or_default() }
        }
        _ => {
            problems.add("release", "Choose when slots are released");
            Release::WhenCreated
        }
    };
    let count = optional_number(
        &mut problems,
        "cap_count",
        cap_count,
        |low, high| format!("Enter a number of appointments from {low} to {high}"),
        limits::CAP_COUNT,
    );
    let days = optional_number(
        &mut problems,
        "cap_days",
        cap_days,
        |low, high| format!("Enter a number of days from {low} to {high}"),
        limits::CAP_DAYS,
    );
    let cap = match (count, days) {
        (Some(count), Some(days)) => Some(Cap { count, days }),
        (None, None) => None,
        (Some(_), None) => {
            problems.add("cap_days", "Enter the number of days the limit covers");
            None
        }
        (None, Some(_)) => {
            problems.add("cap_count", "Enter how many appointments of this type a patient may hold");
            None
        }
    };
    problems.finish()?;
    Ok(OnlineOffer { bookable: bookable.as_deref() == Some("yes"), release, cap })
}

#[server(endpoint = "admin/booking-rules")]
pub async fn load_booking_rules() -> Result<BookingRulesView, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageBookingRules)?;
    let rules = state.store.booking_rules(practice).await?;
    let clinicians = state.store.clinicians(practice).await?;
    let slot_types = state.store.slot_types(practice).await?;
    Ok(BookingRulesView {
        horizon_days: rules.horizon_days.to_string(),
        min_notice_hours: hours(rules.min_notice_minutes),
        max_future: rules.max_future.map(|m| m.to_string()).unwrap_or_default(),
        min_age: rules.min_age.map(|m| m.to_string()).unwrap_or_default(),
        cancel_cutoff_hours: hours(rules.cancel_cutoff_minutes),
        clinicians: clinicians.into_iter().map(crate::api::schedule::clinician_view).collect(),
        slot_types: slot_types.iter().map(crate::api::schedule::slot_type_view).collect(),
    })
}

#[server(endpoint = "admin/booking-rules/save")]
pub async fn save_booking_rules(
    #[server(default)] horizon_days: String,
    #[server(default)] min_notice_hours: String,
    #[server(default)] max_future: String,
    #[server(default)] min_age: String,
    #[server(default)] cancel_cutoff_hours: String,
    #[server(default)] clinicians: Vec<String>,
) -> Result<(), AppError> {
    use domain::appointments::ClinicianId;
    let rules = read_rules(&horizon_days, &min_notice_hours, &max_future, &min_age, &cancel_cutoff_hours)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageBookingRules)?;
    let bookable = clinicians
        .iter()
        .map(|c| c.parse().map(ClinicianId))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| AppError::invalid("clinicians", "Choose clinicians from the list"))?;
    let before = state.store.booking_rules(practice).await?;
    let audit = ctx
        .audit("booking_rules_changed")
        .detail(format!("before: {before:?}; after: {rules:?}; online clinicians {bookable:?}"));
    state.store.save_booking_rules(practice, &rules, &bookable, &audit, ctx.now).await?;
    leptos_axum::redirect("/admin/booking-rules?saved=1");
    Ok(())
}

#[server(endpoint = "admin/booking-rules/offer")]
pub async fn save_online_offer(
    slot_type_id: i64,
    bookable: Option<String>,
    #[server(default)] release: String,
    #[server(default)] release_days: String,
    #[server(default)] release_at: String,
    #[server(default)] cap_count: String,
    #[server(default)] cap_days: String,
) -> Result<(), AppError> {
    use domain::appointments::SlotTypeId;
    let offer = read_offer(&bookable, &release, &release_days, &release_at, &cap_count, &cap_days)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageBookingRules)?;
    let audit = ctx.audit("online_offer_changed").on("slot_type", slot_type_id).detail(format!("{offer:?}"));
    state.store.set_online_offer(practice, SlotTypeId(slot_type_id), offer, &audit).await?;
    leptos_axum::redirect(&format!("/admin/schedule/slot-types/{slot_type_id}?saved=online"));
    Ok(())
}
