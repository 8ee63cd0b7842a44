//! Live slot updates: events written with each change, streamed to screens,
//! resumed after a reconnect, shared between servers on one PostgreSQL
//! database, and closed when a server stops.

use crate::common;
use common::demo_practice;
use common::{spawn_app, Engine, TestApp, PATIENT, PRACTICE_ADMIN, RECEPTIONIST};
use std::time::{Duration, Instant};
use storage::patients::PatientSearch;

const PATIENT_B: (&str, &str) = ("second.patient@riverside.example", "demo-patient-2");

/// Free slots of the type (internal name) between one and twenty days ahead.
async fn free_slots(app: &TestApp, internal: &str) -> Vec<i64> {
    let now = common::start_instant();
    let slots = app
        .store
        .slots_between(demo_practice(app).await, now + chrono::TimeDelta::days(1), now + chrono::TimeDelta::days(20))
        .await
        .unwrap();
    slots
        .into_iter()
        .filter(|s| s.appointment_id.is_none() && s.type_internal_name == internal)
        .map(|s| s.slot_id)
        .collect()
}

/// Opens `/live/slots` as `session`, resuming after `last_event_id` if given.
async fn open_stream(app: &TestApp, session: Option<&str>, last_event_id: Option<i64>) -> reqwest::Response {
    let mut request = app.client().get(app.url("/live/slots"));
    if let Some(session) = session {
        request = request.header("cookie", session);
    }
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id.to_string());
    }
    request.send().await.expect("GET /live/slots")
}

/// Reads the stream until `wanted` has arrived; fails after `limit`.
pub(crate) async fn read_until(stream: &mut reqwest::Response, wanted: &str, limit: Duration) -> String {
    let mut seen = String::new();
    let read = tokio::time::timeout(limit, async {
        while !seen.contains(wanted) {
            match stream.chunk().await {
                Ok(Some(bytes)) => seen.push_str(&String::from_utf8_lossy(&bytes)),
                _ => break,
            }
        }
    })
    .await;
    assert!(read.is_ok() && seen.contains(wanted), "{wanted:?} did not arrive within {limit:?}; got {seen:?}");
    seen
}

fn taken(slot: i64) -> String {
    format!(r#""change":"taken","slot":{slot}"#)
}

on_both_engines! {
    async fn a_booking_reaches_an_open_stream_and_a_reconnecting_stream_gets_what_it_missed(engine: Engine) {
        let app = spawn_app(engine).await;
        let watcher = app.sign_in(PATIENT.0, PATIENT.1).await;
        let booker = app.sign_in(PATIENT_B.0, PATIENT_B.1).await;
        let mut stream = open_stream(&app, Some(&watcher), None).await;
        assert_eq!(stream.status().as_u16(), 200);
        assert_eq!(stream.headers()["content-type"], "text/event-stream");

        let before = app.store.last_event_id().await.unwrap();
        let slot = free_slots(&app, "GP10").await[0];
        let booked = app.post_form("/api/appointments/book", &[("slot_id", &slot.to_string())], Some(&booker)).await;
        assert_eq!(booked.status().as_u16(), 200, "{}", booked.text().await.unwrap());
        let seen = read_until(&mut stream, &taken(slot), Duration::from_secs(5)).await;
        // The newest event is the booking's (older events may have been pruned meanwhile).
        let booking = app.store.last_event_id().await.unwrap();
        assert!(booking > before);
        assert!(seen.contains(&format!("id: {booking}")), "each event carries its id: {seen}");

        // The watcher's own attempt loses: a refusal writes no event.
        let lost = app.post_form("/api/appointments/book", &[("slot_id", &slot.to_string())], Some(&watcher)).await;
        assert_eq!(lost.status().as_u16(), 409);
        assert_eq!(app.store.last_event_id().await.unwrap(), booking);

        // A browser reconnecting says where it got to, and is sent the rest.
        let mut resumed = open_stream(&app, Some(&watcher), Some(before)).await;
        read_until(&mut resumed, &taken(slot), Duration::from_secs(5)).await;

        // Cancelling frees the slot, and the stream hears that too.
        let mine = app.store.patient_appointments(demo_practice(&app).await, patient_b(&app).await).await.unwrap();
        let appointment = mine.iter().find(|a| a.slot_id == slot).expect("the booking").id;
        let cancelled = app.post_form("/api/appointments/cancel", &[("appointment_id", &appointment.to_string())], Some(&booker)).await;
        assert_eq!(cancelled.status().as_u16(), 200);
        read_until(&mut stream, &format!(r#""change":"freed","slot":{slot}"#), Duration::from_secs(5)).await;
        app.stop().await;
    }
}

async fn patient_b(app: &TestApp) -> domain::PatientId {
    domain::PatientId(app.store.login_by_email(PATIENT_B.0).await.unwrap().unwrap().patient_id.unwrap())
}

on_both_engines! {
    async fn a_stream_hears_only_its_own_practice_and_signed_out_visitors_get_none(engine: Engine) {
        let app = spawn_app(engine).await;
        let (status, _) = app.get("/live/slots").await;
        assert_eq!(status, 401);

        let watcher = app.sign_in(PATIENT.0, PATIENT.1).await;
        let before = app.store.last_event_id().await.unwrap();
        // An event of another practice, written as its own booking would.
        let elsewhere = app.another_practice().await;
        insert_event(&app, elsewhere.0, 999_999).await;
        let slot = free_slots(&app, "GP10").await[0];
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let patient = patient_b(&app).await;
        let booked = app
            .post_form("/api/admin/appointments/book", &[("patient_id", &patient.0.to_string()), ("slot_id", &slot.to_string()), ("route", "telephone")], Some(&staff))
            .await;
        assert_eq!(booked.status().as_u16(), 200);
        let mut stream = open_stream(&app, Some(&watcher), Some(before)).await;
        let seen = read_until(&mut stream, &taken(slot), Duration::from_secs(5)).await;
        assert!(!seen.contains("999999"), "another practice's event was sent: {seen}");
        app.stop().await;
    }
}

async fn insert_event(app: &TestApp, practice: i64, slot: i64) {
    use sqlx::{Connection, Executor};
    let at = match app.db.engine() {
        Engine::Sqlite => "0",
        Engine::Postgres => "now()",
    };
    let sql =
        format!("INSERT INTO event (practice_id, change, slot_id, at) VALUES ({practice}, 'taken', {slot}, {at})");
    match app.db.engine() {
        Engine::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&app.db.url).await.unwrap();
            c.execute(sql.as_str()).await.unwrap();
        }
        Engine::Postgres => {
            let mut c = sqlx::PgConnection::connect(&app.db.url).await.unwrap();
            c.execute(sql.as_str()).await.unwrap();
        }
    }
}

on_both_engines! {
    async fn open_streams_end_as_soon_as_the_server_stops(engine: Engine) {
        let app = spawn_app(engine).await;
        let watcher = app.sign_in(PATIENT.0, PATIENT.1).await;
        let mut stream = open_stream(&app, Some(&watcher), None).await;
        assert_eq!(stream.status().as_u16(), 200);
        let started = Instant::now();
        let stopping = tokio::spawn(app.stop());
        let ended = tokio::time::timeout(Duration::from_secs(10), async {
            while let Ok(Some(_)) = stream.chunk().await {}
        })
        .await;
        assert!(ended.is_ok(), "the stream was still open 10 seconds into shutdown");
        stopping.await.unwrap();
        // Shutdown waits up to 20 seconds for open requests; a stream must not hold it.
        assert!(started.elapsed() < Duration::from_secs(15), "shutdown took {:?}", started.elapsed());
    }
}

on_both_engines! {
    async fn a_release_time_passing_is_announced_once_however_often_it_is_asked(engine: Engine) {
        let app = spawn_app(engine).await;
        // The demo's telephone GP slots are released at 08:00 on the day. The
        // test clock starts at 09:30, long after today's release: not news.
        let start = common::start_instant();
        assert_eq!(app.store.announce_releases(start).await.unwrap(), 0);
        let next_eight = start + chrono::TimeDelta::hours(22) + chrono::TimeDelta::minutes(30);
        assert_eq!(app.store.announce_releases(next_eight - chrono::TimeDelta::seconds(1)).await.unwrap(), 0);
        let before = app.store.last_event_id().await.unwrap();
        assert_eq!(app.store.announce_releases(next_eight).await.unwrap(), 1);
        assert_eq!(app.store.announce_releases(next_eight + chrono::TimeDelta::seconds(1)).await.unwrap(), 0);
        let events = app.store.events_after(before, 10).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].change, "released");
        // Old events go; newer ones stay.
        assert!(app.store.prune_events(next_eight).await.unwrap() > 0);
        assert_eq!(app.store.events_after(0, 1000).await.unwrap().len(), 1, "only the release at 08:00 is left");
        app.stop().await;
    }
}

/// Two app servers on one PostgreSQL database: what one books, the other's
/// streams hear, and between them no slot is booked twice. How soon they
/// hear it is a benchmark (`make bench-live`), not a test.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_postgresql_database_share_events_and_never_double_book() {
    common::within_time_limit(async {
        let a = spawn_app(Engine::Postgres).await;
        let b = a.another_server().await;
        let watcher = b.sign_in(PATIENT.0, PATIENT.1).await;
        let mut stream = open_stream(&b, Some(&watcher), None).await;
        assert_eq!(stream.status().as_u16(), 200);

        let reception = a.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let admin = b.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let practice = demo_practice(&a).await;
        let patients: Vec<i64> = a
            .store
            .search_patients(practice, &PatientSearch::Name(String::new()), 200)
            .await
            .unwrap()
            .into_iter()
            .filter(|p| p.registration_status == "registered")
            .map(|p| p.id)
            .collect();
        let slots = free_slots(&a, "GP10").await;
        let book = |server: &TestApp, session: &str, patient: i64, slot: i64| {
            let request = server
                .client()
                .post(server.url("/api/admin/appointments/book"))
                .header("origin", &server.base)
                .header("cookie", session)
                .form(&[
                    ("patient_id", patient.to_string()),
                    ("slot_id", slot.to_string()),
                    ("route", "telephone".into()),
                ]);
            async move { request.send().await.expect("POST").status().as_u16() }
        };

        // One booking through A, heard on B's stream.
        assert_eq!(book(&a, &reception, patients[0], slots[0]).await, 200);
        read_until(&mut stream, &taken(slots[0]), Duration::from_secs(15)).await;

        // Then twenty slots, each booked through A and B at once for different patients.
        let mut winners = 0;
        for (i, slot) in slots[1..=20].iter().enumerate() {
            let (from_a, from_b) = tokio::join!(
                book(&a, &reception, patients[2 * i + 1], *slot),
                book(&b, &admin, patients[2 * i + 2], *slot)
            );
            assert!(matches!((from_a, from_b), (200, 409) | (409, 200)), "slot {slot}: A {from_a}, B {from_b}");
            winners += 1;
        }
        assert_eq!(winners, 20);
        let booked = a
            .store
            .slots_between(practice, common::start_instant(), common::start_instant() + chrono::TimeDelta::days(30))
            .await
            .unwrap()
            .into_iter()
            .filter(|s| slots[..=20].contains(&s.slot_id) && s.appointment_id.is_some())
            .count();
        assert_eq!(booked, 21, "one booking each");
        b.stop().await;
        a.stop().await;
    })
    .await
}

/// Waits for the stream to end, for up to 15 seconds.
async fn until_ended(stream: &mut reqwest::Response, why: &str) {
    let ended =
        tokio::time::timeout(Duration::from_secs(15), async { while let Ok(Some(_)) = stream.chunk().await {} }).await;
    assert!(ended.is_ok(), "the stream was still open 15 seconds after {why}");
}

on_both_engines! {
    async fn a_stream_ends_when_its_session_is_signed_out_lapses_or_is_disabled(engine: Engine) {
        let app = spawn_app(engine).await;
        let watcher = app.sign_in(PATIENT.0, PATIENT.1).await;
        let mut stream = open_stream(&app, Some(&watcher), None).await;
        assert_eq!(stream.status().as_u16(), 200);
        app.post_form("/api/auth/sign-out", &[], Some(&watcher)).await;
        until_ended(&mut stream, "signing out").await;

        let watcher = app.sign_in(PATIENT.0, PATIENT.1).await;
        let mut stream = open_stream(&app, Some(&watcher), None).await;
        app.clock.advance(domain::session::SessionKind::Patient.idle_timeout());
        until_ended(&mut stream, "the session lapsed").await;

        let watcher = app.sign_in(PATIENT_B.0, PATIENT_B.1).await;
        let mut stream = open_stream(&app, Some(&watcher), None).await;
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let patient = app.store.login_by_email(PATIENT_B.0).await.unwrap().unwrap().patient_id.unwrap();
        let disabled = app
            .post_form("/api/admin/patients/online-account/disable", &[("patient_id", &patient.to_string()), ("reason", "Misuse")], Some(&admin))
            .await;
        assert!(disabled.status().as_u16() < 400, "{}", disabled.status());
        until_ended(&mut stream, "the account was disabled").await;
        app.stop().await;
    }
}

on_both_engines! {
    async fn one_session_holds_at_most_four_streams(engine: Engine) {
        let app = spawn_app(engine).await;
        let watcher = app.sign_in(PATIENT.0, PATIENT.1).await;
        let mut open = Vec::new();
        for _ in 0..server::live::STREAMS_PER_SESSION {
            let stream = open_stream(&app, Some(&watcher), None).await;
            assert_eq!(stream.status().as_u16(), 200);
            open.push(stream);
        }
        let fifth = open_stream(&app, Some(&watcher), None).await;
        assert_eq!(fifth.status().as_u16(), 429);
        let another = app.sign_in(PATIENT_B.0, PATIENT_B.1).await;
        assert_eq!(open_stream(&app, Some(&another), None).await.status().as_u16(), 200, "another session has its own");
        drop(open);
        app.stop().await;
    }
}
