//! The appointment book for staff: clinicians, session and slot types, weekly
//! rotas, sessions and slots.

mod appointment_types;
mod clinic_sessions;
mod clinicians;
mod day;
mod rotas;
mod session_types;
mod setup;
mod slots;

pub use appointment_types::*;
pub use clinic_sessions::*;
pub use clinicians::*;
pub use day::*;
pub use rotas::*;
pub use session_types::*;
pub use setup::*;
pub use slots::*;

#[cfg(feature = "ssr")]
use crate::error::AppError;
use crate::error::Problems;

fn name_field(problems: &mut Problems, field: &str, value: &str, what: &str, max: usize) -> String {
    let value = value.trim();
    if value.is_empty() {
        problems.add(field, format!("Enter {what}"));
    } else if value.chars().count() > max {
        problems.add(field, format!("{} must be {max} characters or fewer", capitalise(what)));
    }
    value.to_owned()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn whole_number(
    problems: &mut Problems,
    field: &str,
    value: &str,
    what: &str,
    range: std::ops::RangeInclusive<u32>,
) -> u32 {
    match value.trim().parse::<u32>() {
        Ok(n) if range.contains(&n) => n,
        _ => {
            problems.add(field, format!("Enter {what} from {} to {}", range.start(), range.end()));
            *range.start()
        }
    }
}

fn chosen(problems: &mut Problems, field: &str, value: &str, what: &str) -> i64 {
    value.parse::<i64>().unwrap_or_else(|_| {
        problems.add(field, format!("Choose {what}"));
        0
    })
}

#[cfg(feature = "ssr")]
mod views {
    use super::{SessionSummary, SlotTypeView};
    use domain::appointments::{generic_name_warning, Release};
    use domain::appointments::{Category, Channel};
    use storage::appointments::{ClinicSessionRow, SlotTypeRow};

    pub fn slot_type_view(row: &SlotTypeRow) -> SlotTypeView {
        let offer = row.offer();
        let channel = Channel::parse(&row.channel).unwrap_or(Channel::InPerson);
        let category = Category::parse(&row.category).unwrap_or(Category::Routine);
        let online = if offer.bookable {
            let mut text = format!("Bookable online {}", offer.release.describe());
            if let Some(cap) = offer.cap {
                text.push_str(&format!("; at most {} within {} days", cap.count, cap.days));
            }
            text
        } else {
            "Not bookable online".to_owned()
        };
        let (held_back, release_days, release_at) = match offer.release {
            Release::WhenCreated => (false, String::new(), String::new()),
            Release::DaysBefore { days, at } => (true, days.to_string(), at.format("%H:%M").to_string()),
        };
        SlotTypeView {
            id: row.id,
            internal_name: row.internal_name.clone(),
            patient_name: row.patient_name.clone(),
            description: row.description.clone(),
            channel: channel.as_str().into(),
            channel_label: channel.label().into(),
            category: category.as_str().into(),
            category_label: category.label().into(),
            minutes: row.minutes as u32,
            online,
            warning: generic_name_warning(&row.patient_name),
            bookable_online: offer.bookable,
            held_back,
            release_days,
            release_at,
            capped: offer.cap.is_some(),
            cap_count: offer.cap.map(|c| c.count.to_string()).unwrap_or_default(),
            cap_days: offer.cap.map(|c| c.days.to_string()).unwrap_or_default(),
        }
    }

    pub fn session_summary(row: &ClinicSessionRow) -> SessionSummary {
        SessionSummary {
            id: row.id,
            clinician: row.clinician_name.clone(),
            session_type: row.session_type_name.clone(),
            day: crate::api::appointments::shared::day_label(row.day),
            times: format!(
                "{} to {}",
                domain::time::display_london_time(row.starts_at.0),
                domain::time::display_london_time(row.ends_at.0)
            ),
            location: row.location.clone(),
            slots: row.slots,
            booked: row.booked,
            cancelled: row.cancelled,
        }
    }
}

#[cfg(feature = "ssr")]
pub(crate) use views::slot_type_view;

/// The book is for days to come: a day before today (London) is refused.
#[cfg(feature = "ssr")]
fn refuse_past_day(ctx: &crate::server::Ctx, day: chrono::NaiveDate, field: &str) -> Result<(), AppError> {
    if day < domain::time::to_london(ctx.now).date() {
        return Err(AppError::invalid(field, "Enter today or a day after today"));
    }
    Ok(())
}

/// A name already in use at the practice, said plainly.
#[cfg(feature = "ssr")]
fn taken(error: storage::StoreError, field: &str, message: &str) -> AppError {
    if matches!(error, storage::StoreError::Conflict { .. }) {
        AppError::invalid(field, message)
    } else {
        error.into()
    }
}
