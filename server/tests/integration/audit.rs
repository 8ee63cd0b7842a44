//! The audit trail records sign-ins and cannot be changed.

use crate::common;
use common::{spawn_app, PATIENT, PRACTICE_ADMIN};
use sqlx::Connection;

on_both_engines! {
    async fn sign_ins_failures_and_sign_outs_are_in_the_trail_for_practice_admins(engine: Engine) {
        let app = spawn_app(engine).await;
        let wrong = app.post_form("/api/auth/sign-in", &[("email", PATIENT.0), ("password", "wrong password")], None).await;
        assert_eq!(wrong.status().as_u16(), 422);
        let patient = app.sign_in(PATIENT.0, PATIENT.1).await;
        app.post_form("/api/auth/sign-out", &[], Some(&patient)).await;
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;

        let (status, trail) = app.get_as("/admin/audit", Some(&admin)).await;
        assert_eq!(status, 200);
        for action in ["sign_in_failed", "sign_in", "sign_out"] {
            assert!(trail.contains(&format!(">{action}<")), "{action} missing");
        }
        assert!(trail.contains("127.0.0.1"), "client address recorded");

        let (_, filtered) = app.get_as("/admin/audit?action=sign_out", Some(&admin)).await;
        assert!(filtered.contains(">sign_out<") && !filtered.contains(">sign_in_failed<"));
        let (_, by_actor) = app.get_as(&format!("/admin/audit?actor={}", PRACTICE_ADMIN.0), Some(&admin)).await;
        assert!(by_actor.contains(">sign_in<") && !by_actor.contains(">sign_out<"));
        let (status, bad_date) = app.get_as("/admin/audit?from=yesterday", Some(&admin)).await;
        assert_eq!(status, 422);
        assert!(bad_date.contains("Enter a date like"));

        let (status, _) = app.get_as("/admin/audit", Some(&patient)).await;
        assert_eq!(status, 401, "the signed-out patient's cookie reaches nothing");
        app.stop().await;
    }
}

on_both_engines! {
    async fn the_database_refuses_to_change_or_remove_audit_events(engine: Engine) {
        let app = spawn_app(engine).await;
        app.sign_in(PATIENT.0, PATIENT.1).await;
        let update = "UPDATE audit_event SET action = 'nothing_happened'";
        let delete = "DELETE FROM audit_event";
        match engine {
            common::Engine::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&app.db.url).await.unwrap();
                for sql in [update, delete] {
                    let error = sqlx::query(sql).execute(&mut c).await.unwrap_err();
                    assert!(error.to_string().contains("append-only"), "{error}");
                }
            }
            common::Engine::Postgres => {
                let mut c = sqlx::PgConnection::connect(&app.db.url).await.unwrap();
                for sql in [update, delete, "TRUNCATE audit_event"] {
                    let error = sqlx::query(sql).execute(&mut c).await.unwrap_err();
                    assert!(error.to_string().contains("append-only"), "{error}");
                }
            }
        }
        let practice = app.store.practice_by_ods(&domain::OdsCode::parse("Y12345").unwrap()).await.unwrap().unwrap();
        let events = app
            .store
            .audit_events(domain::PracticeId(practice.id), &storage::audit::AuditFilter { limit: 10, ..Default::default() })
            .await
            .unwrap();
        assert!(events.iter().any(|e| e.action == "sign_in"));
        assert!(events.iter().all(|e| e.action != "nothing_happened"));
        app.stop().await;
    }
}
