//! The email outbox: nothing lost, nothing sent twice.

use crate::common;
use common::fake_smtp::FakeSmtp;
use common::{demo_practice, spawn_app, start_server, Options, PATIENT, PRACTICE_ADMIN};
use domain::PracticeId;
use std::time::Duration;
use storage::outbox::NewMail;

/// Waits until `count` of the practice's messages are marked sent. A message
/// marked sent is never claimed again, so what the mail server holds then is
/// all it will ever get.
async fn until_marked_sent(app: &common::TestApp, practice: PracticeId, count: usize) {
    let marked = async {
        loop {
            let rows = app.store.outbox_of_practice(practice, 1000).await.unwrap();
            if rows.iter().filter(|row| row.sent_at.is_some()).count() >= count {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(15), marked).await.expect("the messages were marked sent within 15 s");
}

on_both_engines! {
    async fn without_a_mail_server_mail_waits_in_the_outbox_for_practice_admins_to_see(engine: Engine) {
        let app = spawn_app(engine).await;
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        app.post_form(
            "/api/account/password",
            &[("current_password", PATIENT.1), ("new_password", "a brand new password"), ("confirm_password", "a brand new password")],
            Some(&patient),
        )
        .await;
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let (status, page) = app.get_as("/admin/outbox", Some(&admin)).await;
        assert_eq!(status, 200);
        assert!(page.contains("password was changed") && page.contains("Waiting"), "{page}");
        assert_eq!(app.get_as("/admin/outbox", Some(&patient)).await.0, 403);
        app.stop().await;
    }
}

on_both_engines! {
    async fn an_outbox_row_survives_a_restart_and_is_sent_once(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let mail = NewMail { practice, to: PATIENT.0.into(), subject: "Your appointment".into(), body: "Sign in to read it.".into() };
        app.store.enqueue_mail(&mail, common::start_instant()).await.unwrap();

        let smtp = FakeSmtp::start().await;
        let app = app.restart(Options { smtp_url: Some(smtp.url.clone()), ..Options::default() }).await;
        until_marked_sent(&app, practice, 1).await;
        let messages = smtp.messages();
        assert_eq!(messages.len(), 1, "sent once");
        assert!(messages[0].contains("Subject: Your appointment") && messages[0].contains(PATIENT.0));
        let rows = app.store.outbox_of_practice(practice, 10).await.unwrap();
        assert!(rows[0].sent_at.is_some());
        app.stop().await;
    }
}

on_both_engines! {
    async fn two_servers_on_one_database_send_each_message_once(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        for n in 0..30 {
            let mail = NewMail { practice, to: format!("patient{n}@patients.example"), subject: format!("Message {n}"), body: "Sign in to read it.".into() };
            app.store.enqueue_mail(&mail, common::start_instant()).await.unwrap();
        }
        let smtp = FakeSmtp::start().await;
        let options = Options { smtp_url: Some(smtp.url.clone()), ..Options::default() };
        let second = start_server(&app.db.url, &options, app.clock.clone()).await;
        let app = app.restart(options).await;
        until_marked_sent(&app, practice, 30).await;
        let mut subjects: Vec<String> = smtp
            .messages()
            .iter()
            .filter_map(|m| m.lines().find(|l| l.starts_with("Subject: ")).map(str::to_owned))
            .collect();
        assert_eq!(subjects.len(), 30);
        subjects.sort();
        subjects.dedup();
        assert_eq!(subjects.len(), 30, "no message sent twice");
        second.shutdown().await.unwrap();
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_batch_of_slow_sends_never_lets_another_server_send_a_message_twice(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        for n in 0..3 {
            let mail = NewMail { practice, to: format!("patient{n}@patients.example"), subject: format!("Message {n}"), body: "Sign in to read it.".into() };
            app.store.enqueue_mail(&mail, common::start_instant()).await.unwrap();
        }
        // Server A claims all three and starts on the first; its mail server is slow.
        let slow = FakeSmtp::start_slow().await;
        let app = app.restart(Options { smtp_url: Some(slow.url.clone()), ..Options::default() }).await;
        slow.until_held(1).await;
        // Four minutes for the first message (a claim lasts five), then the second starts.
        app.clock.advance(chrono::TimeDelta::minutes(4));
        slow.let_through(1);
        until_marked_sent(&app, practice, 1).await;
        slow.until_held(1).await;
        // Six minutes after the batch was claimed, server B looks for work.
        app.clock.advance(chrono::TimeDelta::minutes(2));
        let quick = FakeSmtp::start().await;
        let options = Options { smtp_url: Some(quick.url.clone()), ..Options::default() };
        let second = start_server(&app.db.url, &options, app.clock.clone()).await;
        quick.wait_for(1).await;
        slow.let_through(10);
        until_marked_sent(&app, practice, 3).await;
        let mut subjects: Vec<String> = slow
            .messages()
            .iter()
            .chain(quick.messages().iter())
            .filter_map(|m| m.lines().find(|l| l.starts_with("Subject: ")).map(str::to_owned))
            .collect();
        subjects.sort();
        assert_eq!(subjects, ["Subject: Message 0", "Subject: Message 1", "Subject: Message 2"], "each sent once");
        second.shutdown().await.unwrap();
        app.stop().await;
    }
}

on_both_engines! {
    async fn sent_mail_is_pruned_after_the_keeping_period_and_mail_not_sent_stays(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let start = common::start_instant();
        for n in 0..2 {
            let mail = NewMail { practice, to: format!("patient{n}@patients.example"), subject: format!("Message {n}"), body: "Sign in to read it.".into() };
            app.store.enqueue_mail(&mail, start).await.unwrap();
        }
        let claimed = app.store.claim_mail("test", start, start + chrono::TimeDelta::minutes(5), 1).await.unwrap();
        assert!(app.store.mail_sent(claimed[0].id, "test", start).await.unwrap());
        let ninety_days = chrono::TimeDelta::days(90);
        let cutoff = |now| server::jobs::sent_mail_cutoff(now, 90);
        let second = chrono::TimeDelta::seconds(1);
        assert_eq!(app.store.prune_sent_mail(cutoff(start + ninety_days - second)).await.unwrap(), 0, "kept 90 days");
        assert_eq!(app.store.prune_sent_mail(cutoff(start + ninety_days + second)).await.unwrap(), 1, "then pruned");
        let left = app.store.outbox_of_practice(practice, 10).await.unwrap();
        assert_eq!(left.len(), 1, "the message not sent stays");
        assert!(left[0].sent_at.is_none());
        app.stop().await;
    }
}
