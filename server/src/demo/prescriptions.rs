//! Demo repeat medicines: the demo patient has an item in each state a
//! patient can meet (can order; too early, with the date; review due;
//! authorised issues used up; not orderable online; hidden), a request ready
//! to collect and one waiting in the queue. The second demo patient has the
//! other ends a request can come to: issued, approved with a change and sent
//! to the pharmacy, dispensed, not approved with a reason, cancelled, and in review
//! with a question in its conversation; and a medicine they stopped
//! ordering. Only on the first run.

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
    // The first four are also repeats in her record from the clinical system
    // (demo/record.rs): importing it keeps these items, by the same ids.
    let imported = |source, item| NewRepeatItem { source_id: Some(source), ..item };
    let items = [
        // Runs out in 3 days: can be ordered.
        imported(
            "MedicationRequest/amara-amlodipine",
            item("Amlodipine", "5mg", "tablets", "One tablet each morning", 25),
        ),
        // Ordered three days ago, approved and ready to collect (below).
        imported(
            "MedicationRequest/amara-metformin",
            item("Metformin", "500mg", "tablets", "One tablet twice a day with food", 27),
        ),
        // Issued 5 days ago: too early, with the date it can be.
        imported(
            "MedicationRequest/amara-atorvastatin",
            item("Atorvastatin", "20mg", "tablets", "One tablet at night", 5),
        ),
        // The review date has passed: flagged for the clinician.
        NewRepeatItem {
            review_on: days(-10),
            ..imported(
                "MedicationRequest/amara-levetiracetam",
                item("Levetiracetam", "500mg", "tablets", "One tablet twice a day", 24),
            )
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
    second_patient(store, practice, now).await
}

/// The second demo patient's medicines, each ordered once and taken to a
/// different end, days apart.
async fn second_patient(store: &Store, practice: PracticeId, now: DateTime<Utc>) -> Result<(), ServerError> {
    use domain::prescriptions::{ItemStatus, OrderKey, RejectReason};
    use storage::prescriptions::{Decision, ItemDecision, NewOrder, RequestMessage};
    let Some(login) = store.login_by_email(super::SECOND_PATIENT_EMAIL).await? else { return Ok(()) };
    let Some(patient) = login.patient_id.map(PatientId) else { return Ok(()) };
    let Some(gp) = store.login_by_email(super::DEMO_STAFF[1].email).await? else { return Ok(()) };
    let gp = domain::LoginId(gp.id);
    let today = london_today(now);
    let audit = |action, at| NewAudit::by_the_system(practice, action, "demo data", at);
    // What each is ordered for, how many days ago, and where it ends.
    enum End {
        Issued,
        SentToPharmacy,
        Dispensed,
        Rejected,
        Cancelled,
        Asked,
    }
    let medicines = [
        ("Levothyroxine", "50 micrograms", "One tablet each morning before breakfast", 6, End::SentToPharmacy),
        ("Simvastatin", "20mg", "One tablet at night", 8, End::Dispensed),
        ("Bisoprolol", "2.5mg", "One tablet each morning", 5, End::Rejected),
        ("Amitriptyline", "10mg", "One tablet at night", 4, End::Cancelled),
        ("Losartan", "50mg", "One tablet each day", 9, End::Asked),
        ("Lansoprazole", "15mg", "One each morning", 2, End::Issued),
    ];
    for (index, (medicine, strength, dosage, days_ago, end)) in medicines.into_iter().enumerate() {
        // Amitriptyline ran out three weeks ago: the practice sees they stopped ordering.
        let issued = if matches!(end, End::Cancelled) { 50 } else { 40 };
        let new = NewRepeatItem {
            practice,
            patient,
            source_id: None,
            medicine,
            form: "tablets",
            strength,
            dosage,
            quantity: 28,
            unit: "tablet",
            days_of_supply: 28,
            issues_authorised: Some(12),
            issues_issued: 3,
            last_issued_on: Some(today - TimeDelta::days(issued)),
            review_on: Some(today + TimeDelta::days(200)),
            authorised_until: Some(today + TimeDelta::days(300)),
            orderable_online: true,
            not_orderable_reason: None,
            hidden_reason: None,
        };
        let item = store.add_repeat_item(&new, &audit("repeat_item_added", now)).await?;
        let at = now - TimeDelta::days(days_ago);
        let key = OrderKey::parse(&format!("demo-second-patient-order-{index:04}"))
            .map_err(|e| ServerError::Refused(e.message))?;
        let order = NewOrder {
            practice,
            patient,
            by: domain::LoginId(login.id),
            key: &key,
            items: &[item],
            note: None,
            pharmacy: Some("High Street Pharmacy, Riverside"),
            service: true,
            now: at,
        };
        let Ok(placed) = store.place_order(&order, &audit("prescription_requested", at)).await? else { continue };
        let request = placed.request();
        let request_item = store.request_items(practice, request).await?[0].id;
        let later = at + TimeDelta::hours(20);
        let decide = |decision: ItemDecision| async move {
            let decided = [(request_item, decision)];
            let decision =
                Decision { practice, request, by: gp, seen_version: 0, items: &decided, notice: None, now: later };
            store.decide_request(&decision, &audit("prescription_decided", later)).await
        };
        let step = |next, at| async move {
            store.record_item_step(practice, request_item, next, (gp, None), &audit("prescription_item_step", at)).await
        };
        match end {
            End::Issued => {
                let _ = decide(ItemDecision::Approve { quantity: None }).await?;
            }
            End::SentToPharmacy => {
                let _ = decide(ItemDecision::Approve { quantity: Some(56) }).await?;
                step(ItemStatus::SentToPharmacy, later + TimeDelta::hours(2)).await?;
            }
            End::Dispensed => {
                let _ = decide(ItemDecision::Approve { quantity: None }).await?;
                step(ItemStatus::SentToPharmacy, later + TimeDelta::hours(2)).await?;
                step(ItemStatus::Dispensed, later + TimeDelta::days(1)).await?;
            }
            End::Rejected => {
                let reason = RejectReason::MedicationChanged;
                let text = Some(
                    "Your blood pressure readings are good: we are stopping this. Call us with any questions."
                        .to_owned(),
                );
                let _ = decide(ItemDecision::Reject { reason, text }).await?;
            }
            End::Cancelled => {
                let by = domain::LoginId(login.id);
                store
                    .cancel_request(practice, patient, request, by, &audit("prescription_request_cancelled", later))
                    .await?;
            }
            End::Asked => {
                let body = domain::messages::MessageBody::parse(
                    "Are you still checking your blood pressure at home? Please reply with your last few readings.",
                )
                .map_err(|e| ServerError::Refused(e.message))?;
                let message = RequestMessage { practice, request, by: gp, body: &body, notice: None, now: later };
                store.message_about_request(&message, &audit("prescription_question", later)).await?;
            }
        }
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
