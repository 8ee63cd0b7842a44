//! Ordering repeat prescriptions through the store, on both engines: every
//! refusal writes nothing and says why (and from when), an order sent twice
//! is one request, flags reach the request, and one patient's items are out
//! of another's reach.

use crate::common;
use chrono::TimeDelta;
use common::{demo_practice, patient_of, spawn_app, TestApp, PATIENT};
use domain::prescriptions::{london_today, OrderKey, Refused, Rule};
use domain::{LoginId, PatientId};
use storage::audit::NewAudit;
use storage::prescriptions::{NewOrder, NewRepeatItem, OrderRefused, Placed};

const PATIENT_B: &str = "second.patient@riverside.example";

fn now(app: &TestApp) -> chrono::DateTime<chrono::Utc> {
    app::server::Clock::now(&*app.clock)
}

/// Adds an item for `email`'s patient: 28 days' supply last issued `issued_days_ago`.
async fn add_item(app: &TestApp, email: &str, medicine: &str, issued_days_ago: i64) -> i64 {
    let practice = demo_practice(app).await;
    let today = london_today(now(app));
    let new = NewRepeatItem {
        practice,
        patient: patient_of(app, email).await,
        source_id: None,
        medicine,
        form: "tablets",
        strength: "10mg",
        dosage: "One a day",
        quantity: 28,
        unit: "tablet",
        days_of_supply: 28,
        issues_authorised: Some(6),
        issues_issued: 1,
        last_issued_on: Some(today - TimeDelta::days(issued_days_ago)),
        review_on: None,
        authorised_until: None,
        orderable_online: true,
        not_orderable_reason: None,
        hidden_reason: None,
    };
    app.store
        .add_repeat_item(&new, &NewAudit::by_the_system(practice, "repeat_item_added", "", now(app)))
        .await
        .unwrap()
}

fn key(n: u32) -> OrderKey {
    OrderKey::parse(&format!("order-key-for-test-{n:04}")).unwrap()
}

async fn order(app: &TestApp, email: &str, key: &OrderKey, items: &[i64]) -> Result<Placed, OrderRefused> {
    let practice = demo_practice(app).await;
    let login = app.store.login_by_email(email).await.unwrap().unwrap();
    let new = NewOrder {
        practice,
        patient: PatientId(login.patient_id.unwrap()),
        by: LoginId(login.id),
        key,
        items,
        note: Some("Please"),
        pharmacy: None,
        service: true,
        now: now(app),
    };
    app.store
        .place_order(&new, &NewAudit::by_the_system(practice, "prescription_requested", "", now(app)))
        .await
        .unwrap()
}

async fn requests(app: &TestApp, email: &str) -> usize {
    app.store.requests_of_patient(demo_practice(app).await, patient_of(app, email).await).await.unwrap().len()
}

on_both_engines! {
    async fn every_refused_order_writes_nothing_and_says_why_and_from_when(engine: Engine) {
        let app = spawn_app(engine).await;
        let due = add_item(&app, PATIENT.0, "Due", 25).await;
        let early = add_item(&app, PATIENT.0, "Early", 5).await;
        let theirs = add_item(&app, PATIENT_B, "Theirs", 25).await;
        let before = requests(&app, PATIENT.0).await;

        let refused = order(&app, PATIENT.0, &key(1), &[due, early]).await.unwrap_err();
        let from = london_today(now(&app)) + TimeDelta::days(16);
        assert_eq!(
            refused,
            OrderRefused::Item { name: "Early 10mg tablets".into(), refused: Refused::Blocked { rule: Rule::TooEarly, from: Some(from) } }
        );
        assert!(refused.message().contains(&format!("You can order it from {}", domain::time::display_date(from))));
        assert_eq!(order(&app, PATIENT.0, &key(2), &[due, theirs]).await, Err(OrderRefused::UnknownItem), "another patient's item");
        assert_eq!(order(&app, PATIENT.0, &key(3), &[due, 999_999]).await, Err(OrderRefused::UnknownItem));
        assert_eq!(order(&app, PATIENT.0, &key(4), &[]).await, Err(OrderRefused::Empty));
        assert_eq!(requests(&app, PATIENT.0).await, before, "nothing written");

        let placed = order(&app, PATIENT.0, &key(5), &[due]).await.unwrap();
        assert!(matches!(placed, Placed::New(_)));
        let again = order(&app, PATIENT.0, &key(6), &[due]).await.unwrap_err();
        assert!(matches!(again, OrderRefused::Item { refused: Refused::AlreadyRequested { .. }, .. }), "{again:?}");
        assert_eq!(requests(&app, PATIENT.0).await, before + 1);
    }
}

on_both_engines! {
    async fn an_order_sent_twice_at_once_is_one_request(engine: Engine) {
        let app = spawn_app(engine).await;
        let due = add_item(&app, PATIENT.0, "Due", 25).await;
        let before = requests(&app, PATIENT.0).await;
        let same = key(7);
        let chosen = [due];
        let (first, second) = futures::join!(order(&app, PATIENT.0, &same, &chosen), order(&app, PATIENT.0, &same, &chosen));
        let (first, second) = (first.unwrap(), second.unwrap());
        assert_eq!(first.request(), second.request());
        assert!(matches!((first, second), (Placed::New(_), Placed::Again(_)) | (Placed::Again(_), Placed::New(_))));
        assert_eq!(requests(&app, PATIENT.0).await, before + 1);
    }
}

on_both_engines! {
    async fn a_flagged_item_is_ordered_with_its_flags_for_the_clinician_and_hidden_items_are_not_there(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let patient = patient_of(&app, PATIENT.0).await;
        let items = app.store.repeat_items(practice, patient).await.unwrap();
        let find = |name: &str| items.iter().find(|i| i.medicine == name).expect(name).id;
        let placed = order(&app, PATIENT.0, &key(8), &[find("Levetiracetam"), find("Ramipril")]).await.unwrap();
        let mine = app.store.requests_of_patient(practice, patient).await.unwrap();
        let request = mine.iter().find(|r| r.request.id == placed.request()).unwrap();
        let flags: Vec<&str> = request.items.iter().map(|(item, _)| item.flags.as_str()).collect();
        assert_eq!(flags, ["review_due", "no_issues_left"]);
        assert!(request.items.iter().all(|(item, steps)| item.status == "requested" && steps.len() == 1));
        assert_eq!(order(&app, PATIENT.0, &key(9), &[find("Sertraline")]).await, Err(OrderRefused::UnknownItem), "hidden");
        let refused = order(&app, PATIENT.0, &key(10), &[find("Salbutamol")]).await.unwrap_err();
        assert!(refused.message().contains("cannot be ordered online") && !refused.message().contains("GP wants"), "{refused:?}");
    }
}
