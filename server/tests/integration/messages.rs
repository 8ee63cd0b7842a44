//! Messages through the store, on both engines: starting conversations within
//! the practice's hours and caps, red flags, replies at once, reopening, and
//! who may reply to what.

use crate::common;
use common::{demo_practice, spawn_app, TestApp, PATIENT, PRACTICE_ADMIN, RECEPTIONIST};
use domain::mail::NewMessageNotice;
use domain::messages::{MessageBody, NotNow, ReplyRefused, Subject, Team, ThreadStatus};
use domain::{LoginId, PatientId, PracticeId};
use storage::audit::NewAudit;
use storage::messages::{AssignedMeanwhile, Assignee, Author, NewReply, NewThread, Started};

const PATIENT_B: &str = "second.patient@riverside.example";

/// A login's id and, for a patient, their patient id.
async fn who(app: &TestApp, email: &str) -> (LoginId, Option<PatientId>) {
    let login = app.store.login_by_email(email).await.unwrap().expect("a demo login");
    (LoginId(login.id), login.patient_id.map(PatientId))
}

fn audit(practice: PracticeId, action: &'static str, app: &TestApp) -> NewAudit {
    NewAudit::by_the_system(practice, action, "", app::server::Clock::now(&*app.clock))
}

/// Starts a conversation as `email`'s patient, in the first category.
async fn start(app: &TestApp, email: &str, text: &str) -> Result<Started, NotNow> {
    let practice = demo_practice(app).await;
    let (login, patient) = who(app, email).await;
    let now = app::server::Clock::now(&*app.clock);
    let settings = app.store.message_settings(practice, now).await.unwrap();
    let subject = Subject::parse("A question").unwrap();
    let body = MessageBody::parse(text).unwrap();
    let new = NewThread {
        practice,
        patient: patient.expect("a patient"),
        by: login,
        category: settings.categories[0].id,
        subject: &subject,
        body: &body,
        now,
    };
    app.store.start_thread(&new, &audit(practice, "message_thread_started", app)).await.unwrap()
}

async fn reply(app: &TestApp, thread: i64, email: &str, text: &str) -> storage::StoreResult<Result<i64, ReplyRefused>> {
    let practice = demo_practice(app).await;
    let (login, patient) = who(app, email).await;
    let body = MessageBody::parse(text).unwrap();
    let notice = NewMessageNotice { practice: "Riverside Medical Practice", link: "http://gp.test/messages" }.render();
    let reply = NewReply {
        practice,
        thread,
        by: login,
        author: patient.map_or(Author::Staff, Author::Patient),
        body: &body,
        notice: Some(&notice),
        now: app::server::Clock::now(&*app.clock),
    };
    app.store.reply(&reply, &audit(practice, "message_sent", app)).await
}

async fn bodies(app: &TestApp, thread: i64) -> Vec<String> {
    let practice = demo_practice(app).await;
    app.store.messages_of_thread(practice, thread).await.unwrap().into_iter().map(|m| m.body).collect()
}

on_both_engines! {
    async fn a_red_flag_phrase_marks_the_conversation_urgent_and_it_is_still_sent(engine: Engine) {
        let app = spawn_app(engine).await;
        let started = start(&app, PATIENT.0, "I have had CHEST-PAIN since this morning").await.unwrap();
        assert_eq!(started.red_flags, ["chest pain"]);
        let (staff, _) = who(&app, RECEPTIONIST.0).await;
        let thread = app.store.thread(demo_practice(&app).await, started.thread, staff).await.unwrap();
        assert!(thread.urgent, "urgent for staff");
        assert_eq!(thread.red_flags, "chest pain");
        assert!(thread.unread, "staff have not read it");
        assert_eq!(bodies(&app, started.thread).await, ["I have had CHEST-PAIN since this morning"], "sent, not blocked");

        let calm = start(&app, PATIENT.0, "Could I have a fit note please").await.unwrap();
        assert!(calm.red_flags.is_empty());
        assert!(!app.store.thread(demo_practice(&app).await, calm.thread, staff).await.unwrap().urgent);
    }
}

on_both_engines! {
    async fn the_daily_cap_holds_under_twenty_new_conversations_at_once_from_one_patient(engine: Engine) {
        let app = spawn_app(engine).await;
        let (reader, patient) = who(&app, PATIENT.0).await;
        let demo = app.store.threads_of_patient(demo_practice(&app).await, patient.unwrap(), reader).await.unwrap().len();
        let attempts = (0..20).map(|n| {
            let app = &app;
            async move { start(app, PATIENT.0, &format!("Question {n}")).await }
        });
        let results = futures::future::join_all(attempts).await;
        let started = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(started, storage::messages::DEFAULT_PATIENT_DAILY_CAP as usize, "{results:?}");
        assert!(results.iter().all(|r| r.is_ok() || matches!(r, Err(NotNow::PatientFull { limit: 3 }))));
        let threads = app.store.threads_of_patient(demo_practice(&app).await, patient.unwrap(), reader).await.unwrap();
        assert_eq!(threads.len(), demo + 3, "refused ones wrote nothing");
        // Another patient has their own allowance.
        assert!(start(&app, PATIENT_B, "My own question").await.is_ok());
    }
}

on_both_engines! {
    async fn outside_opening_hours_a_patient_is_told_when_to_come_back_and_nothing_is_written(engine: Engine) {
        let app = spawn_app(engine).await;
        let (reader, patient) = who(&app, PATIENT.0).await;
        let threads = || async { app.store.threads_of_patient(demo_practice(&app).await, patient.unwrap(), reader).await.unwrap() };
        let before = threads().await;
        // Saturday 7 March 2026, noon.
        app.clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 7, 12, 0, 0).unwrap());
        let refused = start(&app, PATIENT.0, "Hello").await.unwrap_err();
        let monday = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 9, 8, 0, 0).unwrap();
        assert_eq!(refused, NotNow::Closed { reopens: Some(monday) });
        assert_eq!(threads().await, before, "nothing written");
    }
}

on_both_engines! {
    async fn two_members_of_staff_replying_at_once_both_land_in_order(engine: Engine) {
        let app = spawn_app(engine).await;
        let thread = start(&app, PATIENT.0, "Can I change my prescription?").await.unwrap().thread;
        let (first, second) =
            tokio::join!(reply(&app, thread, RECEPTIONIST.0, "From reception"), reply(&app, thread, PRACTICE_ADMIN.0, "From the manager"));
        let (first, second) = (first.unwrap().unwrap(), second.unwrap().unwrap());
        assert_ne!(first, second);
        let all = bodies(&app, thread).await;
        assert_eq!(all.len(), 3, "{all:?}");
        assert_eq!(all[0], "Can I change my prescription?");
        let order = if first < second { ["From reception", "From the manager"] } else { ["From the manager", "From reception"] };
        assert_eq!(all[1..], order, "in the order they committed");
        let (reader, _) = who(&app, PATIENT.0).await;
        let row = app.store.thread(demo_practice(&app).await, thread, reader).await.unwrap();
        assert_eq!(row.status(), ThreadStatus::WaitingForPatient);
        assert!(row.unread, "the patient has replies to read");
    }
}

on_both_engines! {
    async fn a_staff_reply_emails_the_patient_without_the_message_text(engine: Engine) {
        let app = spawn_app(engine).await;
        let thread = start(&app, PATIENT.0, "Is my blood test back?").await.unwrap().thread;
        reply(&app, thread, RECEPTIONIST.0, "Your cholesterol result is normal").await.unwrap().unwrap();
        let outbox = app.store.outbox_of_practice(demo_practice(&app).await, 50).await.unwrap();
        let notice = outbox.iter().find(|m| m.to_address == PATIENT.0).expect("the patient is emailed");
        assert_eq!(notice.subject, "You have a new message from Riverside Medical Practice");
        assert!(!notice.body.contains("cholesterol"), "no message text by email");
        // A patient's own reply emails nobody.
        let before = app.store.outbox_of_practice(demo_practice(&app).await, 50).await.unwrap().len();
        reply(&app, thread, PATIENT.0, "Thank you").await.unwrap().unwrap();
        assert_eq!(app.store.outbox_of_practice(demo_practice(&app).await, 50).await.unwrap().len(), before);
    }
}

on_both_engines! {
    async fn a_patient_cannot_reply_to_another_patients_conversation_and_nothing_changes(engine: Engine) {
        let app = spawn_app(engine).await;
        let thread = start(&app, PATIENT.0, "Mine").await.unwrap().thread;
        let error = reply(&app, thread, PATIENT_B, "Not mine").await.unwrap_err();
        assert!(matches!(error, storage::StoreError::NotFound), "{error:?}");
        assert_eq!(bodies(&app, thread).await, ["Mine"]);
        // Nor can anyone reach a conversation of another practice by its id.
        let other = PracticeId(demo_practice(&app).await.0 + 1_000);
        let (staff, _) = who(&app, RECEPTIONIST.0).await;
        assert!(matches!(app.store.thread(other, thread, staff).await, Err(storage::StoreError::NotFound)));
    }
}

on_both_engines! {
    async fn a_closed_conversation_reopens_with_a_reply_within_fourteen_days_and_not_after(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let (staff, _) = who(&app, RECEPTIONIST.0).await;
        let thread = start(&app, PATIENT.0, "First question").await.unwrap().thread;
        app.store.close_thread(practice, thread, staff, "Answered", &audit(practice, "message_thread_closed", &app)).await.unwrap();
        app.clock.advance(chrono::TimeDelta::days(14));
        reply(&app, thread, PATIENT.0, "One more thing").await.unwrap().unwrap();
        let row = app.store.thread(practice, thread, staff).await.unwrap();
        assert_eq!((row.status(), row.closed_at), (ThreadStatus::Open, None), "reopened");

        app.store.close_thread(practice, thread, staff, "Answered again", &audit(practice, "message_thread_closed", &app)).await.unwrap();
        app.clock.advance(chrono::TimeDelta::days(14) + chrono::TimeDelta::seconds(1));
        let refused = reply(&app, thread, PATIENT.0, "Too late").await.unwrap().unwrap_err();
        assert!(matches!(refused, ReplyRefused::ClosedTooLongAgo { .. }));
        assert_eq!(bodies(&app, thread).await, ["First question", "One more thing"], "nothing written");
        assert_eq!(app.store.thread(practice, thread, staff).await.unwrap().status(), ThreadStatus::Closed);
    }
}

on_both_engines! {
    async fn a_second_assignment_from_the_same_view_is_told_who_took_it(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let (receptionist, _) = who(&app, RECEPTIONIST.0).await;
        let thread = start(&app, PATIENT.0, "Who will answer?").await.unwrap().thread;
        let seen = app.store.thread(practice, thread, receptionist).await.unwrap().version;
        let mine = Assignee::Person(receptionist);
        app.store.assign_thread(practice, thread, mine, seen, &audit(practice, "message_thread_assigned", &app)).await.unwrap().unwrap();
        let late = app
            .store
            .assign_thread(practice, thread, Assignee::Team(Team::Clinicians), seen, &audit(practice, "message_thread_assigned", &app))
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(late, AssignedMeanwhile { now_with: Some("Rita Reception".into()) });
        let row = app.store.thread(practice, thread, receptionist).await.unwrap();
        assert_eq!((row.assigned_login_id, row.assigned_team), (Some(receptionist.0), None));
    }
}

on_both_engines! {
    async fn the_inbox_lists_urgent_conversations_first_then_the_longest_waiting(engine: Engine) {
        use storage::messages::{InboxCounts, InboxView, ThreadRow};
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let (me, _) = who(&app, RECEPTIONIST.0).await;
        // The demo's own conversations are left out of what is compared.
        let mut demo: Vec<i64> = Vec::new();
        for view in [InboxView::Unassigned, InboxView::WaitingForPatient, InboxView::Closed] {
            demo.extend(app.store.inbox(practice, view, me, 50).await.unwrap().iter().map(|t| t.id));
        }
        let at_start = app.store.inbox_counts(practice, me).await.unwrap();
        let view = |view| {
            let (app, demo) = (&app, &demo);
            async move {
                let rows: Vec<ThreadRow> = app.store.inbox(practice, view, me, 50).await.unwrap();
                rows.into_iter().map(|t| t.id).filter(|id| !demo.contains(id)).collect::<Vec<_>>()
            }
        };
        let counts = || async {
            let now = app.store.inbox_counts(practice, me).await.unwrap();
            InboxCounts { unassigned: now.unassigned - at_start.unassigned, mine: now.mine, urgent: now.urgent - at_start.urgent }
        };
        let oldest = start(&app, PATIENT.0, "A routine question").await.unwrap().thread;
        app.clock.advance(chrono::TimeDelta::minutes(10));
        let newer = start(&app, PATIENT_B, "Another routine question").await.unwrap().thread;
        app.clock.advance(chrono::TimeDelta::minutes(10));
        let urgent = start(&app, PATIENT.0, "I have chest pain").await.unwrap().thread;
        assert_eq!(view(InboxView::Unassigned).await, [urgent, oldest, newer], "urgent first, then oldest");
        assert_eq!(counts().await, InboxCounts { unassigned: 3, mine: 0, urgent: 1 });

        let assign = |thread, to| {
            let app = &app;
            async move {
                let seen = app.store.thread(practice, thread, me).await.unwrap().version;
                let audit = audit(practice, "message_thread_assigned", app);
                app.store.assign_thread(practice, thread, to, seen, &audit).await.unwrap().unwrap();
            }
        };
        assign(oldest, Assignee::Person(me)).await;
        assign(newer, Assignee::Team(Team::Clinicians)).await;
        reply(&app, urgent, RECEPTIONIST.0, "Please call 999 now if the pain is bad").await.unwrap().unwrap();
        assert_eq!(view(InboxView::Unassigned).await, Vec::<i64>::new());
        assert_eq!(view(InboxView::Mine(me)).await, [oldest]);
        assert_eq!(view(InboxView::Team(Team::Clinicians)).await, [newer]);
        assert_eq!(view(InboxView::Team(Team::Reception)).await, Vec::<i64>::new());
        assert_eq!(view(InboxView::WaitingForPatient).await, [urgent]);
        assert_eq!(counts().await, InboxCounts { unassigned: 0, mine: 1, urgent: 0 });

        app.store.close_thread(practice, oldest, me, "Answered by phone", &audit(practice, "message_thread_closed", &app)).await.unwrap();
        assert_eq!(view(InboxView::Closed).await, [oldest]);
        assert_eq!(view(InboxView::Mine(me)).await, Vec::<i64>::new());
    }
}
