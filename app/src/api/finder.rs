//! Finding an appointment, one thing at a time: what it is for (the plain
//! type names), then a day (a strip of dates showing which have free times),
//! then a time, in the morning, afternoon or evening. Who it is with and how
//! it happens are filters.

use crate::api::appointments::{Choice, SlotChoice};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A type of appointment as the first step lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeChoice {
    pub id: i64,
    /// The plain name patients see.
    pub name: String,
    pub description: String,
    /// "In person", "Telephone"… (each it happens by).
    pub channels: String,
    /// "Monday 30 November 2026": the first day with a free time.
    pub first_free: String,
}

/// One day of the strip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayChoice {
    /// `2026-11-30`
    pub value: String,
    /// "Mon"
    pub weekday: String,
    /// "30 Nov"
    pub date: String,
    /// "Monday 30 November 2026"
    pub label: String,
    /// Free times the patient may book.
    pub free: usize,
}

/// The times of one part of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartOfDay {
    /// "Morning (before 12pm)"
    pub label: String,
    pub slots: Vec<SlotChoice>,
}

/// The type chosen, with its filters, its days and the chosen day's times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChosenType {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub clinicians: Vec<Choice>,
    pub channels: Vec<Choice>,
    /// The filters as chosen (empty: anyone, any way).
    pub clinician: String,
    pub channel: String,
    pub days: Vec<DayChoice>,
    /// The day shown: the one chosen, or the first with a free time.
    pub day: Option<DayChoice>,
    pub parts: Vec<PartOfDay>,
}

/// What the find pages show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentFinder {
    /// Why some appointments are not offered: caps and age, worded for the patient.
    pub limits: Vec<String>,
    /// How far ahead the patient may book.
    pub horizon_days: u32,
    pub types: Vec<TypeChoice>,
    pub chosen: Option<ChosenType>,
}

/// The find pages' choices, read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FinderQuery {
    pub slot_type: Option<i64>,
    pub clinician: Option<i64>,
    pub channel: Option<domain::appointments::Channel>,
    pub day: Option<chrono::NaiveDate>,
}

/// Reads the find pages' choices from their address, naming each one that
/// is not one of the choices offered.
pub fn read_finder(slot_type: &str, clinician: &str, channel: &str, day: &str) -> Result<FinderQuery, AppError> {
    let mut problems = crate::error::Problems::new();
    let mut number = |field: &str, text: &str, message: &str| match text {
        "" => None,
        text => text.parse::<i64>().map_err(|_| problems.add(field, message)).ok(),
    };
    let slot_type = number("slot_type", slot_type, "Choose a type of appointment from the list");
    let clinician = number("clinician", clinician, "Choose who the appointment is with from the list");
    let channel = match channel {
        "" => None,
        text => {
            let parsed = domain::appointments::Channel::parse(text);
            if parsed.is_none() {
                problems.add("channel", "Choose how the appointment happens from the list");
            }
            parsed
        }
    };
    let day = match day {
        "" => None,
        text => {
            let parsed = text.parse::<chrono::NaiveDate>().ok();
            if parsed.is_none() {
                problems.add("day", "Choose a day from the list");
            }
            parsed
        }
    };
    problems.finish()?;
    Ok(FinderQuery { slot_type, clinician, channel, day })
}

/// Patients: the types they may book online; with a type chosen, its days
/// and the chosen day's times, filtered by who with and how.
#[server(endpoint = "appointments/find", input = GetUrl)]
pub async fn find_appointment(
    #[server(default)] slot_type: String,
    #[server(default)] clinician: String,
    #[server(default)] channel: String,
    #[server(default)] day: String,
) -> Result<AppointmentFinder, AppError> {
    use domain::appointments::{check_booking, Booker};
    use domain::time::{from_london, to_london};
    let query = read_finder(&slot_type, &clinician, &channel, &day)?;
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, row) = crate::api::appointments::patient_with_appointments(&state, &ctx).await?;
    let rules = state.store.booking_rules(practice).await?;
    let held = state.store.held_appointments(practice, patient).await?;
    let today = to_london(ctx.now).date();
    let last = today + chrono::TimeDelta::days(i64::from(rules.horizon_days));
    let until = from_london((last + chrono::TimeDelta::days(1)).and_time(chrono::NaiveTime::MIN));
    let all = state.store.slots_between(practice, ctx.now, until).await?;
    let booker = Booker::Patient { date_of_birth: row.date_of_birth };
    let mut limits: Vec<String> = Vec::new();
    let mut bookable = Vec::new();
    for slot in &all {
        match check_booking(booker, &slot.facts(), &rules, &held, ctx.now) {
            Ok(()) => bookable.push(slot),
            Err(why) if why.is_limit() => {
                let message = why.to_string();
                if !limits.contains(&message) {
                    limits.push(message);
                }
            }
            Err(_) => {}
        }
    }
    let types = types_offered(&bookable);
    let chosen = match query.slot_type {
        None => None,
        Some(id) => {
            let Some(offered) = types.iter().find(|t| t.id == id) else {
                return Err(AppError::invalid(
                    "slot_type",
                    "This type of appointment cannot be booked online now. Choose another",
                ));
            };
            let of_type: Vec<_> = bookable.iter().copied().filter(|s| s.slot_type_id == id).collect();
            Some(chosen_type(offered, &of_type, query, today, last))
        }
    };
    Ok(AppointmentFinder { limits, horizon_days: rules.horizon_days, types, chosen })
}

/// Each type with a free time, by name, with its first free day.
#[cfg(feature = "ssr")]
fn types_offered(bookable: &[&storage::appointments::SlotRow]) -> Vec<TypeChoice> {
    use crate::api::appointments::shared;
    let mut types: Vec<TypeChoice> = Vec::new();
    for slot in bookable {
        let channel = slot.channel().label();
        match types.iter_mut().find(|t| t.id == slot.slot_type_id) {
            Some(known) => {
                if !known.channels.contains(channel) {
                    known.channels = format!("{}, {}", known.channels, channel.to_lowercase());
                }
            }
            None => types.push(TypeChoice {
                id: slot.slot_type_id,
                name: slot.type_patient_name.clone(),
                description: slot.type_description.clone(),
                channels: channel.to_owned(),
                first_free: shared::day_label(domain::time::to_london(slot.starts_at.0).date()),
            }),
        }
    }
    types.sort_by(|a, b| a.name.cmp(&b.name));
    types
}

/// The chosen type's filters, its strip of days, and the shown day's times.
#[cfg(feature = "ssr")]
fn chosen_type(
    offered: &TypeChoice,
    of_type: &[&storage::appointments::SlotRow],
    query: FinderQuery,
    today: chrono::NaiveDate,
    last: chrono::NaiveDate,
) -> ChosenType {
    use crate::api::appointments::shared;
    use chrono::Datelike;
    use domain::appointments::TimeOfDay;
    use domain::time::to_london;
    // The filters offer what this type has, before filtering.
    let mut clinicians: Vec<Choice> = Vec::new();
    let mut channels: Vec<Choice> = Vec::new();
    for slot in of_type {
        let c = (slot.clinician_id.to_string(), shared::clinician_label(&slot.clinician_name, &slot.clinician_role));
        if !clinicians.contains(&c) {
            clinicians.push(c);
        }
        let h = (slot.channel().as_str().to_owned(), slot.channel().label().to_owned());
        if !channels.contains(&h) {
            channels.push(h);
        }
    }
    clinicians.sort_by(|a, b| a.1.cmp(&b.1));
    let matching: Vec<_> = of_type
        .iter()
        .copied()
        .filter(|s| query.clinician.is_none_or(|c| s.clinician_id == c))
        .filter(|s| query.channel.is_none_or(|h| s.channel() == h))
        .collect();
    let starts: Vec<_> = matching.iter().map(|s| s.starts_at.0).collect();
    const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let days: Vec<DayChoice> = domain::appointments::day_strip(today, last, &starts)
        .into_iter()
        .map(|(day, free)| DayChoice {
            value: day.to_string(),
            weekday: WEEKDAYS[day.weekday().num_days_from_monday() as usize].to_owned(),
            date: format!("{} {}", day.day(), MONTHS[day.month0() as usize]),
            label: shared::day_label(day),
            free,
        })
        .collect();
    let shown = match query.day {
        Some(day) => days.iter().find(|d| d.value == day.to_string()).cloned(),
        None => days.iter().find(|d| d.free > 0).cloned(),
    };
    let parts = match &shown {
        None => Vec::new(),
        Some(day) => TimeOfDay::ALL
            .iter()
            .map(|part| PartOfDay {
                label: part.label().to_owned(),
                slots: matching
                    .iter()
                    .filter(|s| to_london(s.starts_at.0).date().to_string() == day.value)
                    .filter(|s| TimeOfDay::of(s.starts_at.0) == *part)
                    .map(|s| shared::choice(s))
                    .collect(),
            })
            .filter(|part| !part.slots.is_empty())
            .collect(),
    };
    ChosenType {
        id: offered.id,
        name: offered.name.clone(),
        description: offered.description.clone(),
        clinicians,
        channels,
        clinician: query.clinician.map(|c| c.to_string()).unwrap_or_default(),
        channel: query.channel.map(|h| h.as_str().to_owned()).unwrap_or_default(),
        days,
        day: shown,
        parts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_find_pages_choices_are_read_or_each_bad_one_is_named() {
        let read = read_finder("12", "", "telephone", "2026-11-30").unwrap();
        assert_eq!(read.slot_type, Some(12));
        assert_eq!(read.channel, Some(domain::appointments::Channel::Telephone));
        assert_eq!(read_finder("", "", "", "").unwrap(), FinderQuery::default());
        let refused = read_finder("x", "y", "by pigeon", "30/11/2026").unwrap_err();
        let fields: Vec<&str> = refused.field_errors().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["slot_type", "clinician", "channel", "day"]);
    }
}
