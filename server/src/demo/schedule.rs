//! The demo appointment book: five clinicians, appointment types with good
//! and poor patient-facing names, weekday rotas, four weeks of sessions from
//! today (topped up on every run), slots held back for release at 08:00, and
//! bookings for the demo patients and others.

use crate::ServerError;
use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use domain::appointments::{
    Booker, Cap, Category, Channel, ClinicianId, ClinicianRole, OnlineOffer, Release, Route, SessionTypeId, SlotId,
    SlotTypeId,
};
use domain::{LoginId, PatientId, PracticeId};
use storage::appointments::{NewBooking, NewRota, SlotTypeValues};
use storage::audit::NewAudit;
use storage::patients::PatientSearch;
use storage::Store;

const CLINICIANS: [(&str, ClinicianRole); 5] = [
    ("Dr Ada Okafor", ClinicianRole::Gp),
    ("Dr Tom Reid", ClinicianRole::Gp),
    ("Mary Evans", ClinicianRole::Nurse),
    ("Liam Cole", ClinicianRole::Hca),
    ("Priya Shah", ClinicianRole::Pharmacist),
];

const SESSION_TYPES: [(&str, &str); 3] = [("AM", "Morning surgery"), ("PM", "Afternoon surgery"), ("CLINIC", "Clinic")];

struct DemoType {
    internal: &'static str,
    patient: &'static str,
    description: &'static str,
    channel: Channel,
    category: Category,
    minutes: u32,
    offer: OnlineOffer,
}

fn at(hour: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default()
}

fn demo_types() -> [DemoType; 6] {
    let open = OnlineOffer { bookable: true, release: Release::WhenCreated, cap: None };
    [
        DemoType {
            internal: "GP10",
            patient: "GP appointment, 10 minutes",
            description: "For one new or ongoing problem.",
            channel: Channel::InPerson,
            category: Category::Routine,
            minutes: 10,
            offer: open,
        },
        DemoType {
            internal: "GPTEL",
            patient: "Telephone call with a GP, 10 minutes",
            description: "For a problem that needs a GP today. Released at 8am on the day.",
            channel: Channel::Telephone,
            category: Category::SameDay,
            minutes: 10,
            offer: OnlineOffer { release: Release::DaysBefore { days: 0, at: at(8) }, ..open },
        },
        DemoType {
            internal: "NURSE20",
            patient: "Asthma review with the practice nurse, 20 minutes",
            description: "Bring your inhalers.",
            channel: Channel::InPerson,
            category: Category::Routine,
            minutes: 20,
            offer: OnlineOffer { cap: Some(Cap { count: 1, days: 28 }), ..open },
        },
        DemoType {
            internal: "BLOODS",
            patient: "Blood test with the healthcare assistant, 10 minutes",
            description: "Only if a clinician asked you to have a blood test.",
            channel: Channel::InPerson,
            category: Category::Routine,
            minutes: 10,
            offer: OnlineOffer { release: Release::DaysBefore { days: 7, at: at(18) }, ..open },
        },
        DemoType {
            internal: "MEDREV",
            patient: "Medication review with the pharmacist, 20 minutes",
            description: "",
            channel: Channel::Telephone,
            category: Category::Routine,
            minutes: 20,
            offer: OnlineOffer::NOT_ONLINE,
        },
        // A poor name, as supplier systems show patients: the admin pages warn about it.
        DemoType {
            internal: "Slot",
            patient: "Slot",
            description: "",
            channel: Channel::InPerson,
            category: Category::SameDay,
            minutes: 15,
            offer: OnlineOffer::NOT_ONLINE,
        },
    ]
}

/// Weekday (1 = Monday), clinician, session type, slot type, start and end hour, room.
type DemoRota = (&'static [u32], usize, usize, usize, u32, u32, &'static str);
const ROTAS: [DemoRota; 7] = [
    (&[1, 2, 3, 4, 5], 0, 0, 0, 9, 12, "Room 1, Riverside Health Centre"),
    (&[1, 2, 3, 4, 5], 1, 1, 0, 14, 17, "Room 2, Riverside Health Centre"),
    (&[1, 3, 5], 1, 0, 1, 10, 12, "Room 2, Riverside Health Centre"),
    (&[2, 4], 2, 2, 2, 9, 12, "Nurse room, Riverside Health Centre"),
    (&[1, 3, 5], 3, 2, 3, 8, 10, "Treatment room, Riverside Health Centre"),
    (&[3], 4, 2, 4, 13, 15, "Pharmacy room, Riverside Health Centre"),
    (&[5], 0, 1, 5, 16, 17, "Room 1, Riverside Health Centre"),
];

fn audit(practice: PracticeId, action: &'static str, now: DateTime<Utc>) -> NewAudit {
    NewAudit::by_the_system(practice, action, "demo data", now)
}

pub async fn ensure(store: &Store, practice: PracticeId, now: DateTime<Utc>) -> Result<(), ServerError> {
    if store.clinicians(practice).await?.is_empty() {
        create_book(store, practice, now).await?;
    }
    // Four weeks ahead from today, whenever the seed runs.
    let today = domain::time::to_london(now).date();
    store.generate_sessions(practice, today, 28, &audit(practice, "sessions_generated", now)).await?;
    book_demo_patients(store, practice, now).await
}

async fn create_book(store: &Store, practice: PracticeId, now: DateTime<Utc>) -> Result<(), ServerError> {
    let a = |action| audit(practice, action, now);
    let mut clinicians: Vec<ClinicianId> = Vec::new();
    for (name, role) in CLINICIANS {
        clinicians.push(store.add_clinician(practice, name, role, &a("clinician_added")).await?);
    }
    let mut session_types: Vec<SessionTypeId> = Vec::new();
    for (internal, patient) in SESSION_TYPES {
        session_types.push(store.add_session_type(practice, internal, patient, &a("session_type_added")).await?);
    }
    let mut slot_types: Vec<SlotTypeId> = Vec::new();
    for t in demo_types() {
        let values = SlotTypeValues {
            internal_name: t.internal.into(),
            patient_name: t.patient.into(),
            description: t.description.into(),
            channel: t.channel,
            category: t.category,
            minutes: t.minutes,
        };
        let id = store.add_slot_type(practice, &values, &a("slot_type_added")).await?;
        store.set_online_offer(practice, id, t.offer, &a("online_offer_changed")).await?;
        slot_types.push(id);
    }
    for (days, clinician, session_type, slot_type, start, end, room) in ROTAS {
        for weekday in days {
            let rota = NewRota {
                clinician: clinicians[clinician],
                session_type: session_types[session_type],
                slot_type: slot_types[slot_type],
                weekday: *weekday,
                start: at(start),
                end: at(end),
                location: room.into(),
            };
            store.add_rota(practice, &rota, &a("rota_added")).await?;
        }
    }
    Ok(())
}

/// The demo patient gets a GP appointment a few days ahead;
/// the second demo patient a nurse appointment; others fill about a quarter
/// of the next fortnight's slots. Only on the first run: a practice whose
/// demo patient has appointments keeps them as they are.
async fn book_demo_patients(store: &Store, practice: PracticeId, now: DateTime<Utc>) -> Result<(), ServerError> {
    let people = store.search_patients(practice, &PatientSearch::Name("a".into()), 200).await?;
    let login_of = |email: &str| {
        let email = email.to_owned();
        async move { store.login_by_email(&email).await.map(|l| l.and_then(|l| l.patient_id)) }
    };
    let Some(amara) = login_of(super::DEMO_PATIENT_EMAIL).await? else { return Ok(()) };
    if !store.patient_appointments(practice, PatientId(amara)).await?.is_empty() {
        return Ok(());
    }
    let second = login_of(super::SECOND_PATIENT_EMAIL).await?;
    let slots = store.slots_between(practice, now + TimeDelta::hours(3), now + TimeDelta::days(14)).await?;
    let book = |patient: i64, slot: i64, route: Route| {
        let audit = audit(practice, "appointment_booked", now);
        async move {
            let booking = NewBooking {
                practice,
                patient: PatientId(patient),
                slot: SlotId(slot),
                booker: Booker::Staff,
                route,
                by: None::<LoginId>,
                audit: &audit,
                link: "",
                notify: false,
                now,
            };
            store.book(&booking).await.map(|_| ())
        }
    };
    let first_of = |internal: &str, after_days: i64| {
        slots
            .iter()
            .find(|s| s.type_internal_name == internal && s.starts_at.0 > now + TimeDelta::days(after_days))
            .map(|s| s.slot_id)
    };
    if let Some(slot) = first_of("GP10", 3) {
        book(amara, slot, Route::Online).await?;
    }
    if let (Some(second), Some(slot)) = (second, first_of("NURSE20", 2)) {
        book(second, slot, Route::Telephone).await?;
    }
    let others: Vec<i64> = people
        .iter()
        .filter(|p| p.registration_status == "registered" && Some(p.id) != second && p.id != amara)
        .map(|p| p.id)
        .collect();
    for (n, slot) in slots.iter().filter(|s| s.appointment_id.is_none()).step_by(4).enumerate() {
        if let Some(patient) = others.get(n % others.len().max(1)) {
            book(*patient, slot.slot_id, if n % 3 == 0 { Route::InPerson } else { Route::Telephone }).await?;
        }
    }
    Ok(())
}
