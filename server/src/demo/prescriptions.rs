//! Demo repeat medicines: the demo patient has an item in each state a
//! patient can meet (can order; too early, with the date; review due;
//! authorised issues used up; not orderable online; hidden). Only on the
//! first run.

use crate::ServerError;
use chrono::{DateTime, TimeDelta, Utc};
use domain::prescriptions::london_today;
use domain::{PatientId, PracticeId};
use storage::audit::NewAudit;
use storage::prescriptions::NewRepeatItem;
use storage::Store;

pub async fn ensure(store: &Store, practice: PracticeId, now: DateTime<Utc>) -> Result<(), ServerError> {
    let Some(amara) = store.login_by_email(super::DEMO_PATIENT_EMAIL).await? else { return Ok(()) };
    let Some(patient) = amara.patient_id.map(PatientId) else { return Ok(()) };
    if !store.repeat_items(practice, patient).await?.is_empty() {
        return Ok(());
    }
    let today = london_today(now);
    let days = |n: i64| Some(today + TimeDelta::days(n));
    let item = |medicine, strength, form, dosage, issued: i64| NewRepeatItem {
        practice,
        patient,
        source_id: None,
        medicine,
        form,
        strength,
        dosage,
        quantity: 28,
        unit: "tablet",
        days_of_supply: 28,
        issues_authorised: Some(6),
        issues_issued: 2,
        last_issued_on: days(-issued),
        review_on: days(120),
        authorised_until: days(180),
        orderable_online: true,
        not_orderable_reason: None,
        hidden_reason: None,
    };
    let items = [
        // Runs out in 3 days: can be ordered.
        item("Amlodipine", "5mg", "tablets", "One tablet each morning", 25),
        // Issued 5 days ago: too early, with the date it can be.
        item("Atorvastatin", "20mg", "tablets", "One tablet at night", 5),
        // The review date has passed: flagged for the clinician.
        NewRepeatItem {
            review_on: days(-10),
            ..item("Levetiracetam", "500mg", "tablets", "One tablet twice a day", 24)
        },
        // Every authorised issue used: flagged for the clinician.
        NewRepeatItem { issues_issued: 6, ..item("Ramipril", "5mg", "capsules", "One capsule each morning", 26) },
        // Not orderable online, with a reason for staff only.
        NewRepeatItem {
            orderable_online: false,
            not_orderable_reason: Some("Using it more often than expected: the GP wants to talk first"),
            quantity: 1,
            unit: "inhaler",
            ..item("Salbutamol", "100 micrograms/dose", "inhaler", "Two puffs when needed", 20)
        },
        // Hidden from online view: never shown to the patient.
        NewRepeatItem {
            hidden_reason: Some("Restricted in the clinical system"),
            ..item("Sertraline", "50mg", "tablets", "One tablet each morning", 22)
        },
    ];
    for new in &items {
        let audit = NewAudit::by_the_system(practice, "repeat_item_added", "demo data", now);
        store.add_repeat_item(new, &audit).await?;
    }
    Ok(())
}
