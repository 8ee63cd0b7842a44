//! How a practice's online services are taken up and used, month by month:
//! the national Patient Online Management Information (POMI) fields and the
//! practice's own measures, counted from plain facts the store reads. Each
//! definition is written out in `docs/measures.md`.
//!
//! Enabled counts are taken on the month's last day (a snapshot, as POMI
//! does); uses are counted over the whole month, whoever has left since.

mod equity;
mod month;
mod targets;

pub use equity::{uptake_by_group, AgeBand, Uptake};
pub use month::Month;
pub use targets::{progress, Progress, Targets, Verdict};

use chrono::NaiveDate;

/// What a patient's account lets them use, as set now (the store keeps no
/// history of these switches, so past months see today's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Enabled {
    pub appointments: bool,
    pub prescriptions: bool,
    /// The record at "detailed coded" level or more (POMI's DetCodeRec).
    pub detailed_record: bool,
}

impl Enabled {
    pub fn any(self) -> bool {
        self.appointments || self.prescriptions || self.detailed_record
    }
}

/// A patient as the measures see them: no name, no number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientFacts {
    pub date_of_birth: NaiveDate,
    /// "female", "male", "other" or "unknown", as the register records it.
    pub sex: String,
    /// The day they joined the list; `None` when the register does not say.
    pub registered_on: Option<NaiveDate>,
    /// The day they left the list or died.
    pub left_on: Option<NaiveDate>,
    /// The day their online account was made, if it was.
    pub account_from: Option<NaiveDate>,
    /// The day their account was switched off, if it is.
    pub account_until: Option<NaiveDate>,
    pub enabled: Enabled,
    /// They asked to be contacted by neither email nor text message.
    pub paper_or_phone: bool,
}

impl PatientFacts {
    /// On the practice's list at the end of `day`.
    pub fn registered_on_day(&self, day: NaiveDate) -> bool {
        self.registered_on.is_none_or(|from| from <= day) && self.left_on.is_none_or(|left| left > day)
    }

    /// With an online account that works at the end of `day` (and still on the list).
    pub fn account_on_day(&self, day: NaiveDate) -> bool {
        self.registered_on_day(day)
            && self.account_from.is_some_and(|from| from <= day)
            && self.account_until.is_none_or(|until| until > day)
    }
}

/// How something was done: by the patient (or their proxy) online, or by
/// staff for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Online,
    Staff,
}

/// An appointment booked, and perhaps cancelled, each counted in the month it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booking {
    pub routine: bool,
    pub booked_on: NaiveDate,
    pub booked: Via,
    pub cancelled: Option<(NaiveDate, Via)>,
}

/// An appointment offered: a slot in a clinic session, not cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offered {
    pub day: NaiveDate,
    pub routine: bool,
    /// Patients could book it online.
    pub online: bool,
}

/// A repeat prescription order (every order is made online) and its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    pub on: NaiveDate,
    pub items: u32,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    Patient,
    Practice,
}

/// A proxy grant's days: from the start to the day it ended, if it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantSpan {
    pub from: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

/// What happened at the practice over the months asked about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activity {
    pub bookings: Vec<Booking>,
    pub offered: Vec<Offered>,
    pub orders: Vec<Order>,
    /// Each look at a record page or download, by the patient or a proxy.
    pub record_views: Vec<NaiveDate>,
    pub messages: Vec<(NaiveDate, Author)>,
    pub proxy_grants: Vec<GrantSpan>,
}

/// One month's measures for one practice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Measures {
    /// Patients on the list at the month's end.
    pub registered: u32,
    /// Of them, with a working online account.
    pub with_account: u32,
    /// POMI Pat_Appts_Enbld.
    pub appointments_enabled: u32,
    /// POMI Pat_Appts_Use: online bookings plus online cancellations.
    pub appointments_use: u32,
    /// POMI Pat_Presc_Enbld.
    pub prescriptions_enabled: u32,
    /// POMI Pat_Presc_Use: repeat prescription orders made online.
    pub prescriptions_use: u32,
    /// POMI Pat_DetCodeRec_Enbld.
    pub record_enabled: u32,
    /// POMI Pat_DetCodeRec_Use: record views.
    pub record_use: u32,
    /// POMI Total_Pat_Enbld: enabled for at least one of the three.
    pub total_enabled: u32,
    /// POMI New_Pat_Enbld: of those, whose account was made this month.
    pub new_enabled: u32,
    /// POMI Total_Use.
    pub total_use: u32,
    pub items_ordered: u32,
    pub messages_from_patients: u32,
    pub messages_from_practice: u32,
    /// Proxy grants in force at the month's end.
    pub proxy_grants_active: u32,
    /// Routine appointments offered in the month, and those bookable online.
    pub routine_offered: u32,
    pub routine_offered_online: u32,
    /// Bookings and cancellations of routine appointments, and those made online.
    pub routine_actions: u32,
    pub routine_actions_online: u32,
}

fn count<T>(items: &[T], keep: impl Fn(&T) -> bool) -> u32 {
    items.iter().filter(|item| keep(item)).count() as u32
}

/// The month's measures from the practice's patients and activity.
pub fn measure(month: Month, patients: &[PatientFacts], activity: &Activity) -> Measures {
    let end = month.last_day();
    let on_list: Vec<&PatientFacts> = patients.iter().filter(|p| p.registered_on_day(end)).collect();
    let live: Vec<&PatientFacts> = on_list.iter().copied().filter(|p| p.account_on_day(end)).collect();
    let enabled = |pick: fn(Enabled) -> bool| count(&live, |p| pick(p.enabled));
    let new_this_month = |p: &&PatientFacts| p.account_from.is_some_and(|from| month.contains(from));

    let mut m = Measures { registered: on_list.len() as u32, with_account: live.len() as u32, ..Measures::default() };
    m.appointments_enabled = enabled(|e| e.appointments);
    m.prescriptions_enabled = enabled(|e| e.prescriptions);
    m.record_enabled = enabled(|e| e.detailed_record);
    m.total_enabled = enabled(Enabled::any);
    m.new_enabled = count(&live, |p| p.enabled.any() && new_this_month(p));

    for booking in &activity.bookings {
        let booked = month.contains(booking.booked_on);
        let cancelled = booking.cancelled.filter(|(on, _)| month.contains(*on));
        let online = u32::from(booked && booking.booked == Via::Online)
            + u32::from(cancelled.is_some_and(|(_, via)| via == Via::Online));
        m.appointments_use += online;
        if booking.routine {
            m.routine_actions += u32::from(booked) + u32::from(cancelled.is_some());
            m.routine_actions_online += online;
        }
    }
    let in_month = |day: &NaiveDate| month.contains(*day);
    for order in activity.orders.iter().filter(|order| month.contains(order.on)) {
        m.prescriptions_use += 1;
        m.items_ordered += order.items;
    }
    m.record_use = count(&activity.record_views, in_month);
    m.total_use = m.appointments_use + m.prescriptions_use + m.record_use;
    m.messages_from_patients = count(&activity.messages, |(on, by)| in_month(on) && *by == Author::Patient);
    m.messages_from_practice = count(&activity.messages, |(on, by)| in_month(on) && *by == Author::Practice);
    m.proxy_grants_active =
        count(&activity.proxy_grants, |g| g.from <= end && g.ended_on.is_none_or(|ended| ended > end));
    let routine = activity.offered.iter().filter(|slot| slot.routine && month.contains(slot.day));
    for slot in routine {
        m.routine_offered += 1;
        m.routine_offered_online += u32::from(slot.online);
    }
    m
}

/// The POMI fields of a month's measures, named as NHS England publishes
/// them, in their order.
pub fn pomi_fields(m: &Measures) -> [(&'static str, u32); 9] {
    [
        ("Pat_Appts_Enbld", m.appointments_enabled),
        ("Pat_Appts_Use", m.appointments_use),
        ("Pat_Presc_Enbld", m.prescriptions_enabled),
        ("Pat_Presc_Use", m.prescriptions_use),
        ("Pat_DetCodeRec_Enbld", m.record_enabled),
        ("Pat_DetCodeRec_Use", m.record_use),
        ("Total_Pat_Enbld", m.total_enabled),
        ("New_Pat_Enbld", m.new_enabled),
        ("Total_Use", m.total_use),
    ]
}

#[cfg(test)]
mod tests;
