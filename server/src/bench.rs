//! The rush benchmark's server side (`make bench-rush`, run by
//! `scripts/bench-rush.mjs`): a practice of many patients with logins, a day
//! of slots all released at one instant, the integrity check after the rush,
//! and the engine's raw insert rate to compare the booking rate with.
//!
//! Each command prints one JSON line for the script to read.

use crate::config::Config;
use crate::ServerError;
use app::server::secrets::hash_password;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeDelta, Timelike, Utc};
use domain::appointments::{
    BookingRules, Category, Channel, ClinicianRole, OnlineOffer, Release, SessionTypeId, SlotTypeId,
};
use domain::time::to_london;
use domain::{NhsNumber, OdsCode, PatientIdentifier, PracticeId, PracticeName};
use serde_json::json;
use std::time::Duration;
use storage::appointments::{NewClinicSession, SlotTypeValues};
use storage::audit::NewAudit;
use storage::patients::NewPatient;
use storage::practices::NewPractice;
use storage::Store;

/// The benchmark's practice; its database holds nothing else.
pub const BENCH_ODS_CODE: &str = "B00001";
/// Every benchmark patient's password: hashed once and shared, since hashing
/// 2,000 passwords with the production Argon2 cost would take minutes.
pub const BENCH_PASSWORD: &str = "rush-hour-bench-1";
/// At most one future appointment per patient, so a patient booking twice at
/// once tests the limit under contention.
pub const BENCH_MAX_FUTURE: u32 = 1;
/// Slots per clinician: 50 ten-minute slots from 09:00 fill one working day.
const SLOTS_PER_CLINICIAN: usize = 50;
const SLOT_MINUTES: u32 = 10;

fn refused(what: impl std::fmt::Display) -> ServerError {
    ServerError::Refused(what.to_string())
}

fn audit(practice: PracticeId, action: &'static str, now: DateTime<Utc>) -> NewAudit {
    NewAudit::by_the_system(practice, action, "rush benchmark", now)
}

async fn bench_practice(store: &Store) -> Result<PracticeId, ServerError> {
    let ods = OdsCode::parse(BENCH_ODS_CODE).map_err(refused)?;
    match store.practice_by_ods(&ods).await? {
        Some(row) => Ok(PracticeId(row.id)),
        None => Err(refused(format!("no benchmark practice {BENCH_ODS_CODE} here: run `server bench-seed` first"))),
    }
}

/// `patients` patients with NHS numbers from the never-issued 999 range and
/// emails `patient0001@bench.example` onwards.
fn bench_patients(patients: usize) -> Vec<NewPatient> {
    let first_birthday = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or_default();
    (0u32..)
        .filter_map(|n| NhsNumber::from_first_nine(&format!("999{:06}", 200_000 + n)))
        .take(patients)
        .enumerate()
        .map(|(i, nhs_number)| NewPatient {
            identifier: PatientIdentifier::Nhs(nhs_number),
            given_name: format!("Patient{:04}", i + 1),
            family_name: "Bench".into(),
            date_of_birth: first_birthday + Days::new(i as u64 * 11),
            sex: if i % 2 == 0 { "female" } else { "male" },
            address: format!("{} Rush Lane, Benchtown", i + 1),
            postcode: "AB1 2CD".into(),
            email: Some(format!("patient{:04}@bench.example", i + 1)),
            mobile: None,
            registered_on: Some(first_birthday),
        })
        .collect()
}

/// `server bench-seed`: on a fresh database, the benchmark practice (online
/// services on, at most one future appointment per patient) and `patients`
/// registered patients, each with a login sharing one password.
pub async fn seed(config: &Config, patients: usize) -> Result<(), ServerError> {
    let store = Store::open(&config.database_url).await?;
    let result = seed_in(&store, patients, Utc::now()).await;
    store.close().await;
    println!("{}", result?);
    Ok(())
}

async fn seed_in(store: &Store, patients: usize, now: DateTime<Utc>) -> Result<serde_json::Value, ServerError> {
    if store.count_practices(false).await? + store.count_practices(true).await? > 0 {
        return Err(refused("the benchmark needs a fresh database, and this one holds a practice"));
    }
    let practice = NewPractice {
        ods_code: OdsCode::parse(BENCH_ODS_CODE).map_err(refused)?,
        name: PracticeName::parse("Rush Benchmark Practice").map_err(refused)?,
        address: "1 Rush Lane, Benchtown, AB1 2CD".into(),
        phone: "01632 960 001".into(),
        website: None,
        online_services_enabled: true,
        // Made-up patients, like the demo's.
        is_demo: true,
    };
    let practice = store.insert_practice(&practice, now).await?;
    let register = bench_patients(patients);
    if register.len() != patients {
        return Err(refused(format!("only {} NHS numbers available for {patients} patients", register.len())));
    }
    store.ensure_patients(practice, &register, now).await?;
    let hash = hash_password(BENCH_PASSWORD.to_owned()).await.map_err(refused)?;
    let logins: Vec<(String, String)> =
        register.iter().map(|p| (p.identifier.as_str().to_owned(), p.email.clone().unwrap_or_default())).collect();
    let made = store.bench_add_patient_logins(practice, &logins, &hash, now).await?;
    let rules = BookingRules { max_future: Some(BENCH_MAX_FUTURE), ..BookingRules::DEFAULT };
    store.save_booking_rules(practice, &rules, &[], &audit(practice, "booking_rules_saved", now), now).await?;
    Ok(json!({
        "ods_code": BENCH_ODS_CODE,
        "patients": register.len(),
        "logins": made,
        "password": BENCH_PASSWORD,
        "max_future": BENCH_MAX_FUTURE,
        "emails": logins.iter().map(|(_, email)| email).collect::<Vec<_>>(),
    }))
}

/// `server bench-release`: the appointment book for the rush. Picks the
/// release instant R, the first whole minute at least `lead_seconds` from
/// now, and makes `slots` ten-minute GP slots for the next day, of a type
/// offered online from R (R's London time, one day before): none of them can
/// be booked online before R, all of them from R.
pub async fn release(config: &Config, slots: usize, lead_seconds: u32) -> Result<(), ServerError> {
    let store = Store::open(&config.database_url).await?;
    let result = release_in(&store, slots, lead_seconds, Utc::now()).await;
    store.close().await;
    println!("{}", result?);
    Ok(())
}

/// The first whole minute at least `lead` after `now`.
fn next_whole_minute(now: DateTime<Utc>, lead: TimeDelta) -> DateTime<Utc> {
    let earliest = now + lead;
    let floor = earliest.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(earliest);
    if floor == earliest {
        floor
    } else {
        floor + TimeDelta::minutes(1)
    }
}

async fn release_in(
    store: &Store,
    slots: usize,
    lead_seconds: u32,
    now: DateTime<Utc>,
) -> Result<serde_json::Value, ServerError> {
    if slots == 0 {
        return Err(refused("--slots must be at least 1"));
    }
    let practice = bench_practice(store).await?;
    if !store.clinicians(practice).await?.is_empty() {
        return Err(refused("the benchmark's slots are made already: start again from a fresh database"));
    }
    let release_at = next_whole_minute(now, TimeDelta::seconds(i64::from(lead_seconds)));
    let local = to_london(release_at);
    let day = local.date() + Days::new(1);
    let a = |action| audit(practice, action, now);
    let session_type: SessionTypeId =
        store.add_session_type(practice, "AM", "Morning surgery", &a("session_type_added")).await?;
    let values = SlotTypeValues {
        internal_name: "GP10".into(),
        patient_name: "GP appointment, 10 minutes".into(),
        description: "Released online at one time, the day before.".into(),
        channel: Channel::InPerson,
        category: Category::Routine,
        minutes: SLOT_MINUTES,
    };
    let slot_type: SlotTypeId = store.add_slot_type(practice, &values, &a("slot_type_added")).await?;
    let offer = OnlineOffer { bookable: true, release: Release::DaysBefore { days: 1, at: local.time() }, cap: None };
    store.set_online_offer(practice, slot_type, offer, &a("online_offer_changed")).await?;
    let start = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default();
    let mut left = slots;
    let mut clinician_number = 0;
    while left > 0 {
        clinician_number += 1;
        let here = left.min(SLOTS_PER_CLINICIAN);
        left -= here;
        let name = format!("Dr Bench {clinician_number}");
        let clinician = store.add_clinician(practice, &name, ClinicianRole::Gp, &a("clinician_added")).await?;
        let session = NewClinicSession {
            clinician,
            session_type,
            slot_type,
            day,
            start,
            end: start + TimeDelta::minutes(i64::from(SLOT_MINUTES) * here as i64),
            location: format!("Room {clinician_number}, Benchtown Health Centre"),
        };
        store.add_session(practice, &session, &a("session_added")).await?;
    }
    let made = store.slots_between(practice, now, now + TimeDelta::days(3)).await?;
    if made.len() != slots {
        return Err(refused(format!("made {} slots, not {slots}", made.len())));
    }
    // The rule itself says when each slot is released: check it is R for all.
    if let Some(slot) = made.iter().find(|s| offer.release.released_at(s.starts_at.0) != Some(release_at)) {
        return Err(refused(format!("slot {} would not be released at {release_at}", slot.slot_id)));
    }
    Ok(json!({
        "release_at": release_at.to_rfc3339(),
        "release_at_ms": release_at.timestamp_millis(),
        "release_rule": offer.release.describe(),
        "slot_ids": made.iter().map(|s| s.slot_id).collect::<Vec<_>>(),
    }))
}

/// `server bench-age-sessions`: every benchmark session signed in and last
/// seen `minutes` earlier, as a real rush's patients opened the booking page
/// minutes before the release.
pub async fn age_sessions(config: &Config, minutes: u32) -> Result<(), ServerError> {
    let store = Store::open(&config.database_url).await?;
    let result = async {
        let practice = bench_practice(&store).await?;
        let aged = store.bench_age_sessions(practice, TimeDelta::minutes(i64::from(minutes))).await?;
        Ok::<_, ServerError>(json!({ "sessions": aged, "minutes": minutes }))
    }
    .await;
    store.close().await;
    println!("{}", result?);
    Ok(())
}

/// `server bench-check`: what the database holds after the rush.
pub async fn check(config: &Config) -> Result<(), ServerError> {
    let store = Store::open(&config.database_url).await?;
    let result = async {
        let practice = bench_practice(&store).await?;
        let cap = store.booking_rules(practice).await?.max_future.unwrap_or(u32::MAX);
        let found = store.bench_booking_integrity(practice, cap).await?;
        Ok::<_, ServerError>(json!({
            "booked": found.booked,
            "double_booked_slots": found.double_booked_slots,
            "cap": cap,
            "cap_overruns": found.cap_overruns,
        }))
    }
    .await;
    store.close().await;
    println!("{}", result?);
    Ok(())
}

/// `server bench-raw-inserts`: the engine's rate of committed single-row
/// insert transactions, through the same store and settings as the app.
pub async fn raw_inserts(config: &Config, seconds: u32, concurrency: usize) -> Result<(), ServerError> {
    let store = Store::open(&config.database_url).await?;
    let result = store.bench_raw_inserts(Duration::from_secs(u64::from(seconds.max(1))), concurrency).await;
    let engine = store.kind();
    store.close().await;
    let run = result?;
    println!(
        "{}",
        json!({
            "engine": format!("{engine:?}").to_lowercase(),
            "concurrency": concurrency,
            "inserts": run.inserts,
            "seconds": run.elapsed.as_secs_f64(),
            "per_second": run.per_second(),
        })
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_release_is_the_first_whole_minute_after_the_lead() {
        let at = |h, m, s| Utc.with_ymd_and_hms(2026, 3, 2, h, m, s).unwrap();
        assert_eq!(next_whole_minute(at(7, 59, 30), TimeDelta::seconds(20)), at(8, 0, 0));
        assert_eq!(next_whole_minute(at(7, 59, 41), TimeDelta::seconds(20)), at(8, 1, 0));
        assert_eq!(next_whole_minute(at(7, 59, 40), TimeDelta::seconds(20)), at(8, 0, 0));
    }

    #[test]
    fn benchmark_patients_have_distinct_valid_numbers_and_emails() {
        let patients = bench_patients(2000);
        assert_eq!(patients.len(), 2000);
        let mut numbers: Vec<&str> = patients.iter().map(|p| p.identifier.as_str()).collect();
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), 2000);
        assert_eq!(patients[0].email.as_deref(), Some("patient0001@bench.example"));
        assert_eq!(patients[1999].email.as_deref(), Some("patient2000@bench.example"));
    }
}
