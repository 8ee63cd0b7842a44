//! The appointment book for staff: clinicians, session and slot types, weekly
//! rotas, sessions and slots.

use crate::api::appointments::{Choice, SlotChoice};
use crate::error::{AppError, Problems};
use domain::appointments::{parse_clock, Category, Channel, ClinicianRole};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub id: i64,
    pub clinician: String,
    pub session_type: String,
    pub day: String,
    /// "9:00am to 12:00pm"
    pub times: String,
    pub location: String,
    pub slots: i64,
    pub booked: i64,
    pub cancelled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleDay {
    pub day: String,
    pub day_label: String,
    pub previous_day: String,
    pub next_day: String,
    pub sessions: Vec<SessionSummary>,
    pub can_manage: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicianView {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub bookable_online: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotTypeView {
    pub id: i64,
    pub internal_name: String,
    pub patient_name: String,
    pub description: String,
    pub channel: String,
    pub channel_label: String,
    pub category: String,
    pub category_label: String,
    pub minutes: u32,
    /// "Not bookable online", "Bookable online when created; at most 2 within 28 days"
    pub online: String,
    /// A warning when patients would see a name that tells them nothing.
    pub warning: Option<String>,
    pub bookable_online: bool,
    pub held_back: bool,
    pub release_days: String,
    pub release_at: String,
    pub capped: bool,
    pub cap_count: String,
    pub cap_days: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleSetup {
    pub clinicians: Vec<ClinicianView>,
    pub session_types: Vec<Choice>,
    pub slot_types: Vec<SlotTypeView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotTypePage {
    pub slot_type: SlotTypeView,
    /// Practice admins set how it is offered online.
    pub can_set_online: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotaView {
    pub id: i64,
    pub weekday: String,
    pub times: String,
    pub clinician: String,
    pub session_type: String,
    pub slot_type: String,
    pub location: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rotas {
    pub rotas: Vec<RotaView>,
    pub clinicians: Vec<Choice>,
    pub session_types: Vec<Choice>,
    pub slot_types: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSlot {
    pub slot: SlotChoice,
    pub slot_type_id: i64,
    pub cancelled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub session: SessionSummary,
    pub slots: Vec<SessionSlot>,
    /// The practice's slot types, for changing a free slot's type.
    pub slot_types: Vec<Choice>,
}

pub const WEEKDAYS: [(&str, &str); 7] = [
    ("1", "Monday"),
    ("2", "Tuesday"),
    ("3", "Wednesday"),
    ("4", "Thursday"),
    ("5", "Friday"),
    ("6", "Saturday"),
    ("7", "Sunday"),
];

/// A slot type as typed on a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotTypeInput {
    pub internal_name: String,
    pub patient_name: String,
    pub description: String,
    pub channel: Channel,
    pub category: Category,
    pub minutes: u32,
}

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

/// Reads a slot type form; the same code runs in the browser and on the server.
pub fn read_slot_type(
    internal_name: &str,
    patient_name: &str,
    description: &str,
    channel: &str,
    category: &str,
    minutes: &str,
) -> Result<SlotTypeInput, AppError> {
    let mut problems = Problems::new();
    let internal_name = name_field(&mut problems, "internal_name", internal_name, "the name staff see", 60);
    let patient_name = name_field(&mut problems, "patient_name", patient_name, "the name patients see", 100);
    let description = description.trim().to_owned();
    if description.chars().count() > 300 {
        problems.add("description", "Description must be 300 characters or fewer");
    }
    let channel = Channel::parse(channel);
    if channel.is_none() {
        problems.add("channel", "Choose how the appointment happens");
    }
    let category = Category::parse(category);
    if category.is_none() {
        problems.add("category", "Choose routine or same day");
    }
    let minutes = whole_number(&mut problems, "minutes", minutes, "a length in minutes", 5..=240);
    problems.finish()?;
    Ok(SlotTypeInput {
        internal_name,
        patient_name,
        description,
        channel: channel.unwrap_or(Channel::InPerson),
        category: category.unwrap_or(Category::Routine),
        minutes,
    })
}

/// A session or rota's times and place, as typed.
pub fn read_times(
    start: &str,
    end: &str,
    location: &str,
) -> Result<(chrono::NaiveTime, chrono::NaiveTime, String), AppError> {
    let mut problems = Problems::new();
    let start = parse_clock(start);
    if start.is_none() {
        problems.add("start", "Enter a start time like 09:00");
    }
    let end = parse_clock(end);
    if end.is_none() {
        problems.add("end", "Enter an end time like 12:30");
    }
    if let (Some(start), Some(end)) = (start, end) {
        if end <= start {
            problems.add("end", "The end time must be after the start time");
        }
    }
    let location = name_field(&mut problems, "location", location, "where it happens", 100);
    problems.finish()?;
    Ok((start.unwrap_or_default(), end.unwrap_or_default(), location))
}

fn chosen(problems: &mut Problems, field: &str, value: &str, what: &str) -> i64 {
    value.parse::<i64>().unwrap_or_else(|_| {
        problems.add(field, format!("Choose {what}"));
        0
    })
}

/// Reads the choices of a rota or session form.
pub fn read_choices(clinician: &str, session_type: &str, slot_type: &str) -> Result<(i64, i64, i64), AppError> {
    let mut problems = Problems::new();
    let ids = (
        chosen(&mut problems, "clinician", clinician, "who the session is with"),
        chosen(&mut problems, "session_type", session_type, "a type of session"),
        chosen(&mut problems, "slot_type", slot_type, "a type of slot"),
    );
    problems.finish()?;
    Ok(ids)
}

pub fn check_clinician(name: &str, role: &str) -> Result<(), AppError> {
    let mut problems = Problems::new();
    name_field(&mut problems, "name", name, "the clinician's name", 100);
    if ClinicianRole::parse(role).is_none() {
        problems.add("role", "Choose the clinician's role");
    }
    problems.finish()
}

pub fn check_session_type(internal_name: &str, patient_name: &str) -> Result<(), AppError> {
    let mut problems = Problems::new();
    name_field(&mut problems, "session_internal_name", internal_name, "the name staff see", 60);
    name_field(&mut problems, "session_patient_name", patient_name, "the name patients see", 100);
    problems.finish()
}

pub fn check_new_session(
    clinician: &str,
    session_type: &str,
    slot_type: &str,
    day: &str,
    start: &str,
    end: &str,
    location: &str,
) -> Result<chrono::NaiveDate, AppError> {
    let choices = read_choices(clinician, session_type, slot_type).err();
    let times = read_times(start, end, location).err();
    let day = domain::time::parse_typed_date(day);
    let mut fields = Vec::new();
    for error in [choices, times].into_iter().flatten() {
        fields.extend(error.field_errors().iter().cloned());
    }
    if day.is_none() {
        fields.push(crate::error::FieldError { field: "day".into(), message: "Enter the day like 05/05/2026".into() });
    }
    if !fields.is_empty() {
        return Err(AppError::Invalid(fields));
    }
    Ok(day.unwrap_or_default())
}

pub fn check_generate(from: &str, weeks: &str) -> Result<(chrono::NaiveDate, u32), AppError> {
    let mut problems = Problems::new();
    let from = domain::time::parse_typed_date(from);
    if from.is_none() {
        problems.add("from", "Enter the first day like 04/05/2026");
    }
    let weeks = whole_number(&mut problems, "weeks", weeks, "a number of weeks", 1..=8);
    problems.finish()?;
    Ok((from.unwrap_or_default(), weeks))
}

#[cfg(feature = "ssr")]
mod views {
    use super::*;
    use domain::appointments::{generic_name_warning, Release};
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

/// Staff: the sessions of a day (today when none is given).
#[server(endpoint = "admin/schedule/day", input = GetUrl)]
pub async fn load_schedule(#[server(default)] day: String) -> Result<ScheduleDay, AppError> {
    use domain::policy::Action;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::BookForPatients)?;
    let day = if day.is_empty() {
        domain::time::to_london(ctx.now).date()
    } else {
        day.parse::<chrono::NaiveDate>().map_err(|_| AppError::invalid("day", "Enter a day like 2026-05-05"))?
    };
    let sessions = state.store.clinic_sessions_on(practice, day).await?;
    Ok(ScheduleDay {
        day: day.to_string(),
        day_label: crate::api::appointments::shared::day_label(day),
        previous_day: (day - chrono::TimeDelta::days(1)).to_string(),
        next_day: (day + chrono::TimeDelta::days(1)).to_string(),
        sessions: sessions.iter().map(views::session_summary).collect(),
        can_manage: ctx.staff_practice(Action::ManageSchedule).is_ok(),
    })
}

/// Staff who keep the book: clinicians, session types and slot types.
#[server(endpoint = "admin/schedule/setup")]
pub async fn load_schedule_setup() -> Result<ScheduleSetup, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let clinicians = state.store.clinicians(practice).await?;
    let session_types = state.store.session_types(practice).await?;
    let slot_types = state.store.slot_types(practice).await?;
    Ok(ScheduleSetup {
        clinicians: clinicians.into_iter().map(clinician_view).collect(),
        session_types: session_types
            .into_iter()
            .map(|t| (t.id.to_string(), format!("{} (patients see \"{}\")", t.internal_name, t.patient_name)))
            .collect(),
        slot_types: slot_types.iter().map(views::slot_type_view).collect(),
    })
}

#[cfg(feature = "ssr")]
pub(crate) fn clinician_view(row: storage::appointments::ClinicianRow) -> ClinicianView {
    ClinicianView {
        id: row.id,
        role: ClinicianRole::parse(&row.role).map(ClinicianRole::label).unwrap_or("Other").into(),
        name: row.name,
        bookable_online: row.bookable_online,
    }
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

#[server(endpoint = "admin/schedule/session-types/add")]
pub async fn add_session_type(
    #[server(default)] session_internal_name: String,
    #[server(default)] session_patient_name: String,
) -> Result<(), AppError> {
    check_session_type(&session_internal_name, &session_patient_name)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let audit = ctx.audit("session_type_added").detail(session_internal_name.trim().to_owned());
    state
        .store
        .add_session_type(practice, session_internal_name.trim(), session_patient_name.trim(), &audit)
        .await
        .map_err(|e| taken(e, "session_internal_name", "A session type with that name already exists"))?;
    leptos_axum::redirect("/admin/schedule/setup?saved=session-type");
    Ok(())
}

#[cfg(feature = "ssr")]
fn slot_type_values(input: SlotTypeInput) -> storage::appointments::SlotTypeValues {
    storage::appointments::SlotTypeValues {
        internal_name: input.internal_name,
        patient_name: input.patient_name,
        description: input.description,
        channel: input.channel,
        category: input.category,
        minutes: input.minutes,
    }
}

#[server(endpoint = "admin/schedule/slot-types/add")]
pub async fn add_slot_type(
    #[server(default)] internal_name: String,
    #[server(default)] patient_name: String,
    #[server(default)] description: String,
    #[server(default)] channel: String,
    #[server(default)] category: String,
    #[server(default)] minutes: String,
) -> Result<(), AppError> {
    let input = read_slot_type(&internal_name, &patient_name, &description, &channel, &category, &minutes)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let audit = ctx.audit("slot_type_added").detail(format!("{} / {}", input.internal_name, input.patient_name));
    let id = state
        .store
        .add_slot_type(practice, &slot_type_values(input), &audit)
        .await
        .map_err(|e| taken(e, "internal_name", "A slot type with that name already exists"))?;
    leptos_axum::redirect(&format!("/admin/schedule/slot-types/{}?saved=added", id.0));
    Ok(())
}

#[server(endpoint = "admin/schedule/slot-types/one")]
pub async fn load_slot_type(slot_type_id: i64) -> Result<SlotTypePage, AppError> {
    use domain::policy::Action;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::ManageSchedule)?;
    let types = state.store.slot_types(practice).await?;
    let row = types.iter().find(|t| t.id == slot_type_id).ok_or(AppError::NotFound)?;
    Ok(SlotTypePage {
        slot_type: views::slot_type_view(row),
        can_set_online: ctx.staff_practice(Action::ManageBookingRules).is_ok(),
    })
}

#[server(endpoint = "admin/schedule/slot-types/change")]
#[allow(clippy::too_many_arguments)]
pub async fn change_slot_type(
    slot_type_id: i64,
    #[server(default)] internal_name: String,
    #[server(default)] patient_name: String,
    #[server(default)] description: String,
    #[server(default)] channel: String,
    #[server(default)] category: String,
    #[server(default)] minutes: String,
) -> Result<(), AppError> {
    use domain::appointments::SlotTypeId;
    let input = read_slot_type(&internal_name, &patient_name, &description, &channel, &category, &minutes)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let audit = ctx
        .audit("slot_type_changed")
        .on("slot_type", slot_type_id)
        .detail(format!("{} / {}", input.internal_name, input.patient_name));
    state
        .store
        .change_slot_type(practice, SlotTypeId(slot_type_id), &slot_type_values(input), &audit)
        .await
        .map_err(|e| taken(e, "internal_name", "A slot type with that name already exists"))?;
    leptos_axum::redirect(&format!("/admin/schedule/slot-types/{slot_type_id}?saved=changed"));
    Ok(())
}

#[server(endpoint = "admin/schedule/rotas")]
pub async fn load_rotas() -> Result<Rotas, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let rows = state.store.rotas(practice).await?;
    let minute = |m: i32| {
        let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt((m.rem_euclid(1440) * 60) as u32, 0)
            .unwrap_or_default();
        domain::appointments::clock(time)
    };
    Ok(Rotas {
        rotas: rows
            .iter()
            .map(|r| RotaView {
                id: r.id,
                weekday: WEEKDAYS.get((r.weekday - 1).clamp(0, 6) as usize).map(|d| d.1).unwrap_or("").into(),
                times: format!("{} to {}", minute(r.start_minute), minute(r.end_minute)),
                clinician: r.clinician_name.clone(),
                session_type: r.session_type_name.clone(),
                slot_type: r.slot_type_name.clone(),
                location: r.location.clone(),
                active: r.active,
            })
            .collect(),
        clinicians: state.store.clinicians(practice).await?.into_iter().map(|c| (c.id.to_string(), c.name)).collect(),
        session_types: state
            .store
            .session_types(practice)
            .await?
            .into_iter()
            .map(|t| (t.id.to_string(), t.internal_name))
            .collect(),
        slot_types: state
            .store
            .slot_types(practice)
            .await?
            .into_iter()
            .map(|t| (t.id.to_string(), format!("{} ({} minutes)", t.internal_name, t.minutes)))
            .collect(),
    })
}

#[server(endpoint = "admin/schedule/rotas/add")]
#[allow(clippy::too_many_arguments)]
pub async fn add_rota(
    #[server(default)] clinician: String,
    #[server(default)] session_type: String,
    #[server(default)] slot_type: String,
    #[server(default)] weekday: String,
    #[server(default)] start: String,
    #[server(default)] end: String,
    #[server(default)] location: String,
) -> Result<(), AppError> {
    use domain::appointments::{ClinicianId, SessionTypeId, SlotTypeId};
    let (clinician, session_type, slot_type) = read_choices(&clinician, &session_type, &slot_type)?;
    let weekday = match weekday.parse::<u32>() {
        Ok(day) if (1..=7).contains(&day) => day,
        _ => return Err(AppError::invalid("weekday", "Choose a day of the week")),
    };
    let (start, end, location) = read_times(&start, &end, &location)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let rota = storage::appointments::NewRota {
        clinician: ClinicianId(clinician),
        session_type: SessionTypeId(session_type),
        slot_type: SlotTypeId(slot_type),
        weekday,
        start,
        end,
        location,
    };
    state.store.add_rota(practice, &rota, &ctx.audit("rota_added")).await?;
    leptos_axum::redirect("/admin/schedule/rotas?saved=added");
    Ok(())
}

/// Stops a weekly rota (sessions already in the book stay), or restarts it.
#[server(endpoint = "admin/schedule/rotas/active")]
pub async fn set_rota_active(rota_id: i64, #[server(default)] active: String) -> Result<(), AppError> {
    let active = match active.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::invalid("active", "Choose to stop or restart the rota")),
    };
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let audit = ctx.audit(if active { "rota_restarted" } else { "rota_stopped" }).on("rota", rota_id);
    state.store.set_rota_active(practice, domain::appointments::RotaId(rota_id), active, &audit).await?;
    leptos_axum::redirect("/admin/schedule/rotas?saved=rota");
    Ok(())
}

/// Makes the sessions of every active rota for some weeks.
#[server(endpoint = "admin/schedule/rotas/generate")]
pub async fn generate_sessions(
    #[server(default)] from: String,
    #[server(default)] weeks: String,
) -> Result<(), AppError> {
    let (from, weeks) = check_generate(&from, &weeks)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    refuse_past_day(&ctx, from, "from")?;
    let made = state.store.generate_sessions(practice, from, weeks * 7, &ctx.audit("sessions_generated")).await?;
    leptos_axum::redirect(&format!("/admin/schedule/rotas?made={made}"));
    Ok(())
}

#[server(endpoint = "admin/schedule/sessions/add")]
#[allow(clippy::too_many_arguments)]
pub async fn add_session(
    #[server(default)] clinician: String,
    #[server(default)] session_type: String,
    #[server(default)] slot_type: String,
    #[server(default)] day: String,
    #[server(default)] start: String,
    #[server(default)] end: String,
    #[server(default)] location: String,
) -> Result<(), AppError> {
    use domain::appointments::{ClinicianId, SessionTypeId, SlotTypeId};
    let day = check_new_session(&clinician, &session_type, &slot_type, &day, &start, &end, &location)?;
    let (clinician, session_type, slot_type) = read_choices(&clinician, &session_type, &slot_type)?;
    let (start, end, location) = read_times(&start, &end, &location)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    refuse_past_day(&ctx, day, "day")?;
    let session = storage::appointments::NewClinicSession {
        clinician: ClinicianId(clinician),
        session_type: SessionTypeId(session_type),
        slot_type: SlotTypeId(slot_type),
        day,
        start,
        end,
        location,
    };
    let id = state.store.add_session(practice, &session, &ctx.audit("clinic_session_added")).await?;
    leptos_axum::redirect(&format!("/admin/schedule/sessions/{}?saved=added", id.0));
    Ok(())
}

#[server(endpoint = "admin/schedule/sessions/one")]
pub async fn load_session(session_id: i64) -> Result<SessionDetail, AppError> {
    use domain::appointments::ClinicSessionId;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let session = state.store.clinic_session(practice, ClinicSessionId(session_id)).await?;
    let slots = state.store.slots_of_session(practice, ClinicSessionId(session_id)).await?;
    Ok(SessionDetail {
        session: views::session_summary(&session),
        slots: slots
            .iter()
            .map(|s| SessionSlot {
                slot: crate::api::appointments::shared::staff_choice(s),
                slot_type_id: s.slot_type_id,
                cancelled: s.cancelled,
            })
            .collect(),
        slot_types: state
            .store
            .slot_types(practice)
            .await?
            .into_iter()
            .map(|t| (t.id.to_string(), format!("{} ({})", t.internal_name, t.patient_name)))
            .collect(),
    })
}

#[server(endpoint = "admin/schedule/sessions/location")]
pub async fn change_session_location(session_id: i64, #[server(default)] location: String) -> Result<(), AppError> {
    use domain::appointments::ClinicSessionId;
    let mut problems = Problems::new();
    let location = name_field(&mut problems, "location", &location, "where it happens", 100);
    problems.finish()?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let audit =
        ctx.audit("clinic_session_changed").on("clinic_session", session_id).detail(format!("location {location}"));
    state.store.change_session_location(practice, ClinicSessionId(session_id), &location, &audit).await?;
    leptos_axum::redirect(&format!("/admin/schedule/sessions/{session_id}?saved=location"));
    Ok(())
}

/// Cancels a whole session; booked patients are emailed.
#[server(endpoint = "admin/schedule/sessions/cancel")]
pub async fn cancel_session(session_id: i64) -> Result<(), AppError> {
    use domain::appointments::ClinicSessionId;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let audit = ctx.audit("clinic_session_cancelled").on("clinic_session", session_id);
    let link = crate::api::appointments::shared::link(&state);
    state.store.cancel_session(practice, ClinicSessionId(session_id), ctx.actor.login(), &audit, &link, ctx.now).await?;
    leptos_axum::redirect(&format!("/admin/schedule/sessions/{session_id}?saved=cancelled"));
    Ok(())
}

/// Changes a free slot's type, such as a GP slot kept for a telephone call.
#[server(endpoint = "admin/schedule/slots/change")]
pub async fn change_slot(session_id: i64, slot_id: i64, #[server(default)] slot_type: String) -> Result<(), AppError> {
    use domain::appointments::{SlotId, SlotTypeId};
    let slot_type = slot_type.parse::<i64>().map_err(|_| AppError::invalid("slot_type", "Choose a type of slot"))?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let slot = state.store.slot(practice, SlotId(slot_id)).await?;
    if slot.session_id != session_id {
        return Err(AppError::NotFound);
    }
    let audit =
        ctx.audit("slot_changed").on("slot", slot_id).detail(format!("slot type {} -> {slot_type}", slot.slot_type_id));
    state.store.change_slot_kind(practice, SlotId(slot_id), SlotTypeId(slot_type), &audit).await?;
    leptos_axum::redirect(&format!("/admin/schedule/sessions/{session_id}?saved=changed"));
    Ok(())
}

/// Cancels one slot; a booked patient is emailed.
#[server(endpoint = "admin/schedule/slots/cancel")]
pub async fn cancel_slot(session_id: i64, slot_id: i64) -> Result<(), AppError> {
    use domain::appointments::SlotId;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageSchedule)?;
    let slot = state.store.slot(practice, SlotId(slot_id)).await?;
    if slot.session_id != session_id {
        return Err(AppError::NotFound);
    }
    let audit = ctx.audit("slot_cancelled").on("slot", slot_id);
    let link = crate::api::appointments::shared::link(&state);
    state.store.cancel_slot(practice, SlotId(slot_id), ctx.actor.login(), &audit, &link, ctx.now).await?;
    leptos_axum::redirect(&format!("/admin/schedule/sessions/{session_id}?saved=slot"));
    Ok(())
}
