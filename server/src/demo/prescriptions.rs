//! Demo repeat medicines: the demo patient has an item in each state a
//! patient can meet (can order; too early, with the date; review due;
//! authorised issues used up; not orderable online; hidden), a request ready
//! to collect and one waiting in the queue. Only on the first run.

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
        // Ordered three days ago, approved and ready to collect (below).
        item("Metformin", "500mg", "tablets", "One tablet twice a day with food", 27),
        // Issued 5 days ago: too early, with the date it can be.
        item("Atorvastatin", "20mg", "tablets", "One tablet at night", 5),
        // The review date has passed: flagged for the clinician.
        NewRepeatItem {
            review_on: days(-10),
            ..item("Levetiracetam", "500mg", "tablets", "One tablet twice a day", 24)
        },
        // Every authorised issue used: flagged for the clinician.
        NewRepeatItem {
            issues_issued: 6,
            unit: "capsule",
            ..item("Ramipril", "5mg", "capsules", "One capsule each morning", 26)
        },
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
    let mut ids = Vec::new();
    for new in &items {
        let audit = NewAudit::by_the_system(practice, "repeat_item_added", "demo data", now);
        ids.push((new.medicine, store.add_repeat_item(new, &audit).await?));
    }
    let id_of = |name: &str| ids.iter().find(|(medicine, _)| *medicine == name).map(|(_, id)| *id);
    if let (Some(metformin), Some(ramipril)) = (id_of("Metformin"), id_of("Ramipril")) {
        requests(store, practice, (&amara, patient), (metformin, ramipril), now).await?;
    }
    Ok(())
}

/// One request approved three days ago and ready to collect; one from
/// yesterday waiting in the queue with a flag.
async fn requests(
    store: &Store,
    practice: PracticeId,
    (login, patient): (&storage::logins::LoginRow, PatientId),
    (collected, waiting): (i64, i64),
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    use domain::prescriptions::{ItemStatus, OrderKey};
    use storage::prescriptions::{Decision, ItemDecision, NewOrder};
    let by = domain::LoginId(login.id);
    let audit = |action, at| NewAudit::by_the_system(practice, action, "demo data", at);
    let order = |key: &'static str, item: i64, at: DateTime<Utc>| async move {
        let key = OrderKey::parse(key).map_err(|e| ServerError::Refused(e.message))?;
        let items = [item];
        let new = NewOrder {
            practice,
            patient,
            by,
            key: &key,
            items: &items,
            note: None,
            pharmacy: None,
            service: true,
            now: at,
        };
        let placed = store.place_order(&new, &audit("prescription_requested", at)).await?;
        Ok::<_, ServerError>(placed.ok().map(|p| p.request()))
    };
    let earlier = now - TimeDelta::days(3);
    if let Some(request) = order("demo-order-collected-0001", collected, earlier).await? {
        let Some(gp) = store.login_by_email(super::DEMO_STAFF[1].email).await? else { return Ok(()) };
        let items = store.request_items(practice, request).await?;
        let decided = [(items[0].id, ItemDecision::Approve { quantity: None })];
        let decision = Decision {
            practice,
            request,
            by: domain::LoginId(gp.id),
            seen_version: 0,
            items: &decided,
            notice: None,
            now: earlier,
        };
        let _ = store.decide_request(&decision, &audit("prescription_decided", earlier)).await?;
        let step = (domain::LoginId(gp.id), None);
        store
            .record_item_step(
                practice,
                items[0].id,
                ItemStatus::ReadyToCollect,
                step,
                &audit("prescription_item_step", earlier),
            )
            .await?;
    }
    order("demo-order-waiting-00001", waiting, now - TimeDelta::days(1)).await?;
    Ok(())
}
