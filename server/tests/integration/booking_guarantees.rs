//! The booking guarantees, held by the database on both engines: one active
//! booking per slot, and never a cap overrun, however many try at once.

use crate::common;
use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use common::TestDb;
use domain::appointments::{
    Booker, BookingRules, Cap, Category, Channel, ClinicianRole, OnlineOffer, Release, Route, SlotId, Unbookable,
};
use domain::identifiers::{NhsNumber, PatientIdentifier};
use domain::{OdsCode, PatientId, PracticeId, PracticeName};
use storage::appointments::{NewBooking, NewClinicSession, SlotTypeValues};
use storage::audit::NewAudit;
use storage::patients::{NewPatient, PatientSearch};
use storage::practices::NewPractice;
use storage::Store;

/// Monday 4 May 2026, 09:00 BST.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 4, 8, 0, 0).unwrap()
}

fn audit(practice: PracticeId, action: &'static str) -> NewAudit {
    NewAudit::by_the_system(practice, action, "test", now())
}

struct Book {
    store: Store,
    practice: PracticeId,
    patients: Vec<PatientId>,
    slots: Vec<SlotId>,
}

/// A practice with `patients` adults and one session on `day` from 09:00 to
/// 12:00 of 10-minute slots of one type offered online as `offer`.
async fn book_with(db: &TestDb, patients: usize, day: NaiveDate, offer: OnlineOffer, rules: BookingRules) -> Book {
    let store = Store::open(&db.url).await.unwrap();
    let new_practice = NewPractice {
        ods_code: OdsCode::parse("A81001").unwrap(),
        name: PracticeName::parse("Booking Test Practice").unwrap(),
        address: String::new(),
        phone: "01632 960123".into(),
        website: None,
        online_services_enabled: true,
        is_demo: false,
    };
    let practice = store.insert_practice(&new_practice, now()).await.unwrap();
    let people: Vec<NewPatient> = (0..)
        .filter_map(|n| NhsNumber::from_first_nine(&format!("{:09}", 400_000_000 + n)))
        .take(patients)
        .enumerate()
        .map(|(n, number)| NewPatient {
            identifier: PatientIdentifier::Nhs(number),
            given_name: format!("Person{n}"),
            family_name: "Booker".into(),
            date_of_birth: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
            sex: "unknown",
            address: String::new(),
            postcode: String::new(),
            email: Some(format!("person{n}@example.com")),
            mobile: None,
            registered_on: None,
        })
        .collect();
    store.ensure_patients(practice, &people, now()).await.unwrap();
    let found = store.search_patients(practice, &PatientSearch::Name("booker".into()), 10_000).await.unwrap();
    let patients = found.iter().map(|p| PatientId(p.id)).collect();
    let clinician =
        store.add_clinician(practice, "Dr Ada Okafor", ClinicianRole::Gp, &audit(practice, "t")).await.unwrap();
    let session_type = store.add_session_type(practice, "AM", "Morning surgery", &audit(practice, "t")).await.unwrap();
    let values = SlotTypeValues {
        internal_name: "GP10".into(),
        patient_name: "GP appointment, 10 minutes".into(),
        description: String::new(),
        channel: Channel::InPerson,
        category: Category::Routine,
        minutes: 10,
    };
    let slot_type = store.add_slot_type(practice, &values, &audit(practice, "t")).await.unwrap();
    store.set_online_offer(practice, slot_type, offer, &audit(practice, "t")).await.unwrap();
    store.save_booking_rules(practice, &rules, &[clinician], &audit(practice, "t"), now()).await.unwrap();
    let session = NewClinicSession {
        clinician,
        session_type,
        slot_type,
        day,
        start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        location: "Room 1".into(),
    };
    let session = store.add_session(practice, &session, &audit(practice, "t")).await.unwrap();
    let slots = store.slots_of_session(practice, session).await.unwrap().iter().map(|s| SlotId(s.slot_id)).collect();
    Book { store, practice, patients, slots }
}

fn open_offer() -> OnlineOffer {
    OnlineOffer { bookable: true, release: Release::WhenCreated, cap: None }
}

fn tuesday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 5).unwrap()
}

impl Book {
    async fn book(&self, patient: PatientId, slot: SlotId, at: DateTime<Utc>) -> Result<i64, Unbookable> {
        let audit = NewAudit { at, ..audit(self.practice, "appointment_booked") };
        let booking = NewBooking {
            practice: self.practice,
            patient,
            slot,
            booker: Booker::Patient { date_of_birth: NaiveDate::MIN },
            route: Route::Online,
            by: None,
            audit: &audit,
            link: "https://gp.example/appointments",
            notify: true,
            now: at,
        };
        self.store.book(&booking).await.expect("no storage error").map(|id| id.0)
    }

    async fn booked_count(&self) -> usize {
        let mut booked = 0;
        for patient in &self.patients {
            booked += self.store.held_appointments(self.practice, *patient).await.unwrap().len();
        }
        booked
    }
}

on_both_engines! {
    async fn two_hundred_patients_trying_for_one_slot_at_once_make_exactly_one_booking(engine: Engine) {
        let db = TestDb::new(engine).await;
        let book = std::sync::Arc::new(book_with(&db, 200, tuesday(), open_offer(), BookingRules::DEFAULT).await);
        assert_eq!(book.patients.len(), 200);
        let slot = book.slots[0];
        let attempts: Vec<_> = book
            .patients
            .iter()
            .map(|patient| {
                let (book, patient) = (book.clone(), *patient);
                tokio::spawn(async move { book.book(patient, slot, now()).await })
            })
            .collect();
        let mut won = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(_) => won += 1,
                Err(why) => assert_eq!(why, Unbookable::Taken),
            }
        }
        assert_eq!(won, 1, "exactly one attempt wins");
        assert_eq!(book.booked_count().await, 1, "exactly one booking is stored");
        let outbox = book.store.outbox_of_practice(book.practice, 500).await.unwrap();
        assert_eq!(outbox.len(), 1, "only the winner is emailed");
        book.store.close().await;
        db.drop_db().await;
    }
}

on_both_engines! {
    async fn one_patient_on_ten_devices_at_once_gets_no_more_than_the_cap(engine: Engine) {
        let db = TestDb::new(engine).await;
        let rules = BookingRules { max_future: Some(2), ..BookingRules::DEFAULT };
        let book = std::sync::Arc::new(book_with(&db, 1, tuesday(), open_offer(), rules).await);
        let patient = book.patients[0];
        let attempts: Vec<_> = book.slots[..10]
            .iter()
            .map(|slot| {
                let (book, slot) = (book.clone(), *slot);
                tokio::spawn(async move { book.book(patient, slot, now()).await })
            })
            .collect();
        let mut won = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(_) => won += 1,
                Err(why) => assert!(matches!(why, Unbookable::TooMany { max: 2, .. }), "{why:?}"),
            }
        }
        assert_eq!(won, 2);
        assert_eq!(book.store.held_appointments(book.practice, patient).await.unwrap().len(), 2);
        book.store.close().await;
        db.drop_db().await;
    }
}

on_both_engines! {
    async fn the_per_type_cap_holds_under_concurrent_attempts_too(engine: Engine) {
        let db = TestDb::new(engine).await;
        let offer = OnlineOffer { cap: Some(Cap { count: 2, days: 28 }), ..open_offer() };
        let rules = BookingRules { max_future: None, ..BookingRules::DEFAULT };
        let book = std::sync::Arc::new(book_with(&db, 1, tuesday(), offer, rules).await);
        let patient = book.patients[0];
        let attempts: Vec<_> = book.slots[..10]
            .iter()
            .map(|slot| {
                let (book, slot) = (book.clone(), *slot);
                tokio::spawn(async move { book.book(patient, slot, now()).await })
            })
            .collect();
        let mut won = 0;
        for attempt in attempts {
            if attempt.await.unwrap().is_ok() {
                won += 1;
            }
        }
        assert_eq!(won, 2);
        book.store.close().await;
        db.drop_db().await;
    }
}

on_both_engines! {
    async fn a_slot_released_at_eight_is_refused_at_seven_fifty_nine_fifty_nine_and_bookable_at_eight(engine: Engine) {
        let db = TestDb::new(engine).await;
        let eight = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
        let offer = OnlineOffer { release: Release::DaysBefore { days: 0, at: eight }, ..open_offer() };
        let rules = BookingRules { min_notice_minutes: 0, ..BookingRules::DEFAULT };
        let book = book_with(&db, 2, tuesday(), offer, rules).await;
        // 08:00 BST on 5 May is 07:00 UTC.
        let before = Utc.with_ymd_and_hms(2026, 5, 5, 6, 59, 59).unwrap();
        let refused = book.book(book.patients[0], book.slots[0], before).await.unwrap_err();
        assert_eq!(refused.to_string(), "That appointment can be booked from Tuesday 5 May 2026, 8:00am.");
        assert_eq!(book.booked_count().await, 0, "nothing is written when refused");
        let at_eight = Utc.with_ymd_and_hms(2026, 5, 5, 7, 0, 0).unwrap();
        assert!(book.book(book.patients[0], book.slots[0], at_eight).await.is_ok());
        book.store.close().await;
        db.drop_db().await;
    }
}

on_both_engines! {
    async fn on_the_autumn_clock_change_sunday_eight_oclock_release_is_eight_utc(engine: Engine) {
        let db = TestDb::new(engine).await;
        let eight = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
        let offer = OnlineOffer { release: Release::DaysBefore { days: 0, at: eight }, ..open_offer() };
        let rules = BookingRules { min_notice_minutes: 0, horizon_days: 365, ..BookingRules::DEFAULT };
        let sunday = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
        let book = book_with(&db, 1, sunday, offer, rules).await;
        let slot = book.store.slot(book.practice, book.slots[0]).await.unwrap();
        assert_eq!(slot.starts_at.0, Utc.with_ymd_and_hms(2026, 10, 25, 9, 0, 0).unwrap(), "09:00 GMT after the change");
        let before = Utc.with_ymd_and_hms(2026, 10, 25, 7, 59, 59).unwrap();
        assert!(matches!(book.book(book.patients[0], book.slots[0], before).await, Err(Unbookable::NotReleased { .. })));
        let at_eight = Utc.with_ymd_and_hms(2026, 10, 25, 8, 0, 0).unwrap();
        assert!(book.book(book.patients[0], book.slots[0], at_eight).await.is_ok());
        book.store.close().await;
        db.drop_db().await;
    }
}

on_both_engines! {
    async fn a_second_active_booking_written_straight_to_the_database_is_refused(engine: Engine) {
        use sqlx::Connection;
        let db = TestDb::new(engine).await;
        let book = book_with(&db, 2, tuesday(), open_offer(), BookingRules::DEFAULT).await;
        book.book(book.patients[0], book.slots[0], now()).await.unwrap();
        let insert = format!(
            "INSERT INTO appointment (practice_id, slot_id, patient_id, status, booked_via, booked_at) \
             VALUES ({}, {}, {}, 'booked', 'telephone', {})",
            book.practice.0,
            book.slots[0].0,
            book.patients[1].0,
            if engine == common::Engine::Sqlite { "0".to_owned() } else { "now()".to_owned() }
        );
        let error = match engine {
            common::Engine::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
                sqlx::query(&insert).execute(&mut c).await.unwrap_err()
            }
            common::Engine::Postgres => {
                let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
                sqlx::query(&insert).execute(&mut c).await.unwrap_err()
            }
        };
        let error = storage::StoreError::from(error);
        assert!(error.is_conflict_on("appointment", "slot"), "{error:?}");
        book.store.close().await;
        db.drop_db().await;
    }
}

on_both_engines! {
    async fn booking_the_same_slot_twice_answers_with_the_first_booking(engine: Engine) {
        let db = TestDb::new(engine).await;
        let book = book_with(&db, 1, tuesday(), open_offer(), BookingRules::DEFAULT).await;
        let first = book.book(book.patients[0], book.slots[3], now()).await.unwrap();
        let again = book.book(book.patients[0], book.slots[3], now()).await.unwrap();
        assert_eq!(first, again);
        assert_eq!(book.booked_count().await, 1);
        let later = now() + TimeDelta::minutes(1);
        assert!(book.book(book.patients[0], book.slots[4], later).await.is_ok(), "a different slot is a new booking");
        book.store.close().await;
        db.drop_db().await;
    }
}

on_both_engines! {
    async fn a_patient_who_has_left_cannot_be_booked_even_by_staff(engine: Engine) {
        use domain::services::RegistrationStatus;
        let db = TestDb::new(engine).await;
        let book = book_with(&db, 1, tuesday(), open_offer(), BookingRules::DEFAULT).await;
        let audit = audit(book.practice, "patient_registration_changed");
        let change = storage::patients::StatusChange {
            practice: book.practice,
            patient: book.patients[0],
            status: RegistrationStatus::Left,
            on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            audit: &audit,
            now: now(),
        };
        book.store.change_registration_status(&change).await.unwrap();
        let staff_audit = audit.clone();
        let booking = NewBooking {
            practice: book.practice,
            patient: book.patients[0],
            slot: book.slots[0],
            booker: Booker::Staff,
            route: Route::Telephone,
            by: None,
            audit: &staff_audit,
            link: "https://gp.example/appointments",
            notify: true,
            now: now(),
        };
        assert_eq!(book.store.book(&booking).await.unwrap(), Err(Unbookable::NotRegistered));
        assert_eq!(book.booked_count().await, 0);
        book.store.close().await;
        db.drop_db().await;
    }
}

on_both_engines! {
    async fn cancelling_twice_cancels_once_and_emails_once(engine: Engine) {
        use domain::appointments::{AppointmentId, NotCancellable};
        use storage::appointments::Cancellation;
        let db = TestDb::new(engine).await;
        let book = book_with(&db, 1, tuesday(), open_offer(), BookingRules::DEFAULT).await;
        let id = book.book(book.patients[0], book.slots[0], now()).await.unwrap();
        let audit = audit(book.practice, "appointment_cancelled");
        let cancel = Cancellation {
            practice: book.practice,
            appointment: AppointmentId(id),
            patient: Some(book.patients[0]),
            booker: Booker::Patient { date_of_birth: NaiveDate::MIN },
            route: Route::Online,
            by: None,
            reason: "Cancelled by the patient",
            audit: &audit,
            link: "https://gp.example/appointments",
            now: now(),
        };
        let (first, second) = tokio::join!(book.store.cancel_appointment(&cancel), book.store.cancel_appointment(&cancel));
        let results = [first.unwrap(), second.unwrap()];
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
        assert!(results.contains(&Err(NotCancellable::AlreadyCancelled)));
        let mail = book.store.outbox_of_practice(book.practice, 50).await.unwrap();
        assert_eq!(mail.iter().filter(|m| m.subject.ends_with("is cancelled")).count(), 1);
        book.store.close().await;
        db.drop_db().await;
    }
}

on_both_engines! {
    async fn cancelling_a_session_under_way_leaves_the_slots_that_have_started(engine: Engine) {
        use domain::appointments::{AppointmentId, ClinicSessionId};
        let db = TestDb::new(engine).await;
        let book = book_with(&db, 2, tuesday(), open_offer(), BookingRules::DEFAULT).await;
        let early = book.book(book.patients[0], book.slots[0], now()).await.unwrap();
        let late = book.book(book.patients[1], book.slots[10], now()).await.unwrap();
        let slot = book.store.slot(book.practice, book.slots[0]).await.unwrap();
        // 10:00 BST on the day: the 09:00 slot has happened, the 10:40 one has not.
        let mid_morning = Utc.with_ymd_and_hms(2026, 5, 5, 9, 0, 0).unwrap();
        let audit = NewAudit { at: mid_morning, ..audit(book.practice, "clinic_session_cancelled") };
        let session = ClinicSessionId(slot.session_id);
        let cancelled = book.store.cancel_session(book.practice, session, None, &audit, "https://gp.example", mid_morning).await.unwrap();
        assert_eq!(cancelled, 1);
        assert_eq!(book.store.appointment(book.practice, AppointmentId(early)).await.unwrap().status, "booked");
        assert_eq!(book.store.appointment(book.practice, AppointmentId(late)).await.unwrap().status, "cancelled");
        assert!(!book.store.slot(book.practice, book.slots[0]).await.unwrap().cancelled, "the slot that happened stands");
        book.store.close().await;
        db.drop_db().await;
    }
}
