//! The email outbox: nothing lost, nothing sent twice.

use crate::common;
use common::fake_smtp::FakeSmtp;
use common::{spawn_app, start_server, Options, PATIENT, PRACTICE_ADMIN};
use domain::{OdsCode, PracticeId};
use std::time::Duration;
use storage::outbox::NewMail;

async fn demo_practice(app: &common::TestApp) -> PracticeId {
    PracticeId(app.store.practice_by_ods(&OdsCode::parse("Y12345").unwrap()).await.unwrap().unwrap().id)
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
        smtp.wait_for(1).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
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
        smtp.wait_for(30).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
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
