//! The dashboard's facts as each engine reads them: what patients do online
//! moves the month's measures by exactly that much, and a patient who leaves
//! mid-month is off the list at its end.

use crate::appointments::free_slot;
use crate::common;
use common::{demo_practice, spawn_app, TestApp, PATIENT};
use domain::measures::{measure, Measures, Month};

const CHLOE: (&str, &str) = ("second.patient@riverside.example", "demo-patient-2");

async fn measured(app: &TestApp, month: Month) -> Measures {
    let practice = demo_practice(app).await;
    let patients = app.store.measure_patients(practice).await.unwrap();
    let activity = app.store.measure_activity(practice, month, month).await.unwrap();
    measure(month, &patients, &activity)
}

async fn book(app: &TestApp, session: &str) -> String {
    let slot = free_slot(app, "GP10").await.slot_id.to_string();
    let booked = app.post_form("/api/appointments/book", &[("slot_id", &slot)], Some(session)).await;
    assert_eq!(booked.status().as_u16(), 200);
    let practice = demo_practice(app).await;
    let slot = app.store.slot(practice, domain::appointments::SlotId(slot.parse().unwrap())).await.unwrap();
    slot.appointment_id.expect("booked").to_string()
}

on_both_engines! {
    async fn what_patients_do_online_moves_the_months_measures_by_exactly_that_much(engine: Engine) {
        let app = spawn_app(engine).await;
        let march = Month::of(domain::time::to_london(common::start_instant()).date());
        let before = measured(&app, march).await;
        assert!(before.registered > 0 && before.with_account > 0 && before.total_enabled > 0, "{before:?}");

        // Booked, cancelled and booked again: three online actions on routine appointments.
        let chloe = app.sign_in(CHLOE.0, CHLOE.1).await;
        let first = book(&app, &chloe).await;
        let cancelled = app.post_form("/api/appointments/cancel", &[("appointment_id", &first)], Some(&chloe)).await;
        assert_eq!(cancelled.status().as_u16(), 200);
        book(&app, &chloe).await;
        let amara = app.sign_in(PATIENT.0, PATIENT.1).await;
        assert_eq!(app.get_as("/record", Some(&amara)).await.0, 200);

        let after = measured(&app, march).await;
        assert_eq!(after.appointments_use - before.appointments_use, 3);
        assert_eq!(after.routine_actions_online - before.routine_actions_online, 3);
        assert_eq!(after.routine_actions - before.routine_actions, 3);
        assert_eq!(after.record_use - before.record_use, 1);
        assert_eq!(after.total_use - before.total_use, 4);
        assert_eq!(measured(&app, march.next()).await.appointments_use, 0, "nothing yet in April");

        // Chloe leaves on 15 March: off the list, and her account with her.
        let practice = demo_practice(&app).await;
        let hers = app.store.patient_appointments(practice, common::patient_of(&app, CHLOE.0).await).await.unwrap();
        let upcoming = hers.iter().filter(|a| a.is_booked() && a.starts_at.0 > common::start_instant()).count() as u32;
        let audit = storage::audit::NewAudit::by_the_system(practice, "registration_changed", "test", common::start_instant());
        let change = storage::patients::StatusChange {
            practice,
            patient: common::patient_of(&app, CHLOE.0).await,
            status: domain::services::RegistrationStatus::Left,
            on: chrono::NaiveDate::from_ymd_opt(2026, 3, 15).unwrap(),
            audit: &audit,
            now: common::start_instant(),
        };
        app.store.change_registration_status(&change).await.unwrap();
        let left = measured(&app, march).await;
        assert_eq!((left.registered, left.with_account), (after.registered - 1, after.with_account - 1));
        assert_eq!(left.appointments_use, after.appointments_use, "her future appointments cancelled by the practice are not online");
        assert_eq!(left.routine_actions, after.routine_actions + upcoming);
        let february = measured(&app, march.previous()).await;
        assert_eq!(february.registered, after.registered, "on the list all February");
        app.stop().await;
    }
}
