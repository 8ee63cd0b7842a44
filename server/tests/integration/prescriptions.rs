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
        let find = |name: &str| items.iter().find(|i| i.medicine.starts_with(name)).expect(name).id;
        let placed = order(&app, PATIENT.0, &key(8), &[find("Levetiracetam")]).await.unwrap();
        let mine = app.store.requests_of_patient(practice, patient).await.unwrap();
        let request = mine.iter().find(|r| r.request.id == placed.request()).unwrap();
        let flags: Vec<&str> = request.items.iter().map(|(item, _)| item.flags.as_str()).collect();
        assert_eq!(flags, ["review_due"]);
        // The demo's waiting request holds Ramipril.
        let again = order(&app, PATIENT.0, &key(15), &[find("Ramipril")]).await.unwrap_err();
        assert!(matches!(again, OrderRefused::Item { refused: Refused::AlreadyRequested { .. }, .. }), "{again:?}");
        assert!(request.items.iter().all(|(item, steps)| item.status == "requested" && steps.len() == 1));
        assert_eq!(order(&app, PATIENT.0, &key(9), &[find("Sertraline")]).await, Err(OrderRefused::UnknownItem), "hidden");
        let refused = order(&app, PATIENT.0, &key(10), &[find("Salbutamol")]).await.unwrap_err();
        assert!(refused.message().contains("cannot be ordered online") && !refused.message().contains("GP wants"), "{refused:?}");
    }
}

/// A clinician's decision on request `request` from the view at `version`.
async fn decide(
    app: &TestApp,
    by: &str,
    request: i64,
    version: i32,
    items: &[(i64, storage::prescriptions::ItemDecision)],
) -> Result<(), storage::prescriptions::NotDecided> {
    let practice = demo_practice(app).await;
    let login = app.store.login_by_email(by).await.unwrap().unwrap();
    let notice = domain::mail::PrescriptionUpdate {
        practice: "Riverside Medical Practice",
        link: "http://gp.test/prescriptions",
    }
    .render();
    let decision = storage::prescriptions::Decision {
        practice,
        request,
        by: LoginId(login.id),
        seen_version: version,
        items,
        notice: Some(&notice),
        now: now(app),
    };
    app.store
        .decide_request(&decision, &NewAudit::by_the_system(practice, "prescription_decided", "", now(app)))
        .await
        .unwrap()
}

on_both_engines! {
    async fn two_clinicians_deciding_at_once_make_one_decision_and_approval_issues_the_item(engine: Engine) {
        use domain::prescriptions::RejectReason;
        use storage::prescriptions::{ItemDecision, NotDecided};
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let (first, second) = (add_item(&app, PATIENT.0, "First", 25).await, add_item(&app, PATIENT.0, "Second", 25).await);
        let request = order(&app, PATIENT.0, &key(11), &[first, second]).await.unwrap().request();
        let items = app.store.request_items(practice, request).await.unwrap();
        let (a, b) = (items[0].id, items[1].id);
        let queued = app.store.prescription_queue(practice).await.unwrap();
        let version = queued.iter().find(|r| r.id == request).expect("in the queue").version;

        let approve_one = [(a, ItemDecision::Approve { quantity: None }), (b, ItemDecision::Reject { reason: RejectReason::ReviewNeeded, text: None })];
        let reject_all = [(a, ItemDecision::Reject { reason: RejectReason::Other, text: Some("Stopped".into()) })];
        let (one, other) = futures::join!(
            decide(&app, common::CLINICIAN.0, request, version, &approve_one),
            decide(&app, common::PRACTICE_ADMIN.0, request, version, &reject_all)
        );
        let outcomes = [one.clone(), other.clone()];
        assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1, "{outcomes:?}");
        assert!(outcomes.iter().any(|o| matches!(o, Err(NotDecided::Meanwhile { by: Some(_) }))), "the other is told who: {outcomes:?}");

        if one.is_ok() {
            let after = app.store.request_items(practice, request).await.unwrap();
            assert_eq!((after[0].status(), after[1].status()), (domain::prescriptions::ItemStatus::Issued, domain::prescriptions::ItemStatus::Rejected));
            let item = app.store.repeat_items(practice, patient_of(&app, PATIENT.0).await).await.unwrap().into_iter().find(|i| i.id == first).unwrap();
            assert_eq!((item.issues_issued, item.last_issued_on), (2, Some(london_today(now(&app)))), "approval issues it");
        }
        assert!(!app.store.prescription_queue(practice).await.unwrap().iter().any(|r| r.id == request && one.is_ok()));
        let mail = app.store.outbox_of_practice(practice, 20).await.unwrap();
        let notice = mail.iter().find(|m| m.subject.contains("prescription request")).expect("a notice");
        assert!(!notice.body.contains("First") && !notice.body.contains("Second"), "no medicine names: {}", notice.body);
    }
}

on_both_engines! {
    async fn a_patient_cancels_until_a_clinician_starts_and_reception_records_collection(engine: Engine) {
        use domain::prescriptions::ItemStatus;
        use storage::prescriptions::ItemDecision;
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let patient = patient_of(&app, PATIENT.0).await;
        let login = LoginId(app.store.login_by_email(PATIENT.0).await.unwrap().unwrap().id);
        let audit = || NewAudit::by_the_system(practice, "prescription_request_cancelled", "", now(&app));
        let item = add_item(&app, PATIENT.0, "Cancelled", 25).await;
        let request = order(&app, PATIENT.0, &key(12), &[item]).await.unwrap().request();
        let other = patient_of(&app, PATIENT_B).await;
        assert!(matches!(app.store.cancel_request(practice, other, request, login, &audit()).await, Err(storage::StoreError::NotFound)), "not theirs");
        assert!(app.store.cancel_request(practice, patient, request, login, &audit()).await.unwrap());
        assert_eq!(app.store.request_items(practice, request).await.unwrap()[0].status(), ItemStatus::Cancelled);

        let item = add_item(&app, PATIENT.0, "Collected", 25).await;
        let request = order(&app, PATIENT.0, &key(13), &[item]).await.unwrap().request();
        decide(&app, common::CLINICIAN.0, request, 0, &[(app.store.request_items(practice, request).await.unwrap()[0].id, ItemDecision::Approve { quantity: Some(56) })]).await.unwrap();
        assert!(!app.store.cancel_request(practice, patient, request, login, &audit()).await.unwrap(), "decided: too late to cancel");
        let row = &app.store.request_items(practice, request).await.unwrap()[0];
        assert_eq!((row.status(), row.quantity), (ItemStatus::Issued, Some(56)));
        let reception = LoginId(app.store.login_by_email(common::RECEPTIONIST.0).await.unwrap().unwrap().id);
        let notice = domain::mail::PrescriptionUpdate { practice: "Riverside Medical Practice", link: "" }.render();
        let step = |next| {
            let (app, notice) = (&app, &notice);
            async move { app.store.record_item_step(practice, row.id, next, (reception, Some(notice)), &audit()).await.unwrap() }
        };
        assert!(!step(ItemStatus::Approved).await, "not a collection step");
        assert!(step(ItemStatus::ReadyToCollect).await);
        assert!(!step(ItemStatus::SentToPharmacy).await, "already ready to collect");
        assert!(step(ItemStatus::Dispensed).await);
        let mine = app.store.requests_of_patient(practice, patient).await.unwrap();
        let timeline: Vec<String> = mine.iter().find(|r| r.request.id == request).unwrap().items[0].1.iter().map(|s| s.status.clone()).collect();
        assert_eq!(timeline, ["requested", "changed", "issued", "ready_to_collect", "dispensed"]);
    }
}

on_both_engines! {
    async fn the_practice_sees_who_has_stopped_ordering(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let lapsed = add_item(&app, PATIENT_B, "Lapsed", 50).await;
        let current = add_item(&app, PATIENT_B, "Current", 30).await;
        let today = london_today(now(&app));
        let stopped = app.store.stopped_ordering(practice, 14, today).await.unwrap();
        let ids: Vec<i64> = stopped.iter().map(|s| s.item.id).collect();
        assert!(ids.contains(&lapsed) && !ids.contains(&current), "{ids:?}");
        let found = stopped.iter().find(|s| s.item.id == lapsed).unwrap();
        assert_eq!(found.ran_out, today - TimeDelta::days(22));
        // Ordering it again takes it off the list.
        order(&app, PATIENT_B, &key(14), &[lapsed]).await.unwrap();
        assert!(!app.store.stopped_ordering(practice, 14, today).await.unwrap().iter().any(|s| s.item.id == lapsed));
    }
}
