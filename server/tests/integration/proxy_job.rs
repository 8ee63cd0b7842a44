//! The hourly proxy job, run at the times the tests choose: notices go 30
//! days before a change, once however often it runs; at 16 a parent's grant
//! is suspended and after 5 years unused a grant is ended, each audited.

use crate::common;
use crate::proxies::{add_child, form};
use chrono::{NaiveDate, TimeZone, Utc};
use common::{demo_practice, spawn_app, TestApp, RECEPTIONIST};
use domain::PatientId;

const PARENT: &str = "priya.parent@example.com";
const CHILD: &str = "maisie.parent@example.com";

async fn keep(app: &TestApp, at: chrono::DateTime<Utc>) -> server::jobs::proxies::Kept {
    server::jobs::proxies::keep_proxy_grants(&app.store, &app.base, at).await.unwrap()
}

/// The notices queued for `to`, newest first.
async fn mail_to(app: &TestApp, to: &str) -> Vec<storage::outbox::OutboxRow> {
    let all = app.store.outbox_of_practice(demo_practice(app).await, 500).await.unwrap();
    // The invitation sent when staff set the access up is not a notice.
    let notices = all.into_iter().filter(|mail| !mail.subject.starts_with("You can now act for"));
    notices.filter(|mail| mail.to_address == to).collect()
}

/// Staff set up access to `subject` for Priya Parent, with `extra` fields.
async fn grant(app: &TestApp, subject: PatientId, extra: &[(&str, &str)]) -> storage::proxies::GrantRow {
    let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
    let id = subject.0.to_string();
    let added = app.post_form("/api/admin/patients/proxies/add", &form(&id, extra), Some(&staff)).await;
    assert_eq!(added.status().as_u16(), 200);
    let practice = demo_practice(app).await;
    app.store.proxy_grants_for_subject(practice, subject).await.unwrap().remove(0)
}

async fn grant_now(app: &TestApp, subject: PatientId) -> storage::proxies::GrantRow {
    app.store.proxy_grants_for_subject(demo_practice(app).await, subject).await.unwrap().remove(0)
}

async fn audited(app: &TestApp, action: &str, grant: i64) -> bool {
    let filter = storage::audit::AuditFilter { action: Some(action.into()), limit: 50, ..Default::default() };
    let events = app.store.audit_events(demo_practice(app).await, &filter).await.unwrap();
    events.iter().any(|event| event.object_id.as_deref() == Some(&grant.to_string()))
}

on_both_engines! {
    async fn a_parent_and_a_young_person_are_told_once_before_16_and_the_parents_access_is_suspended_on_the_birthday(engine: Engine) {
        let app = spawn_app(engine).await;
        // 16 on 22 March 2026, twenty days after the test's day.
        let child = add_child(&app, NaiveDate::from_ymd_opt(2010, 3, 22).unwrap()).await;
        let staff = app.sign_in(RECEPTIONIST.0, RECEPTIONIST.1).await;
        let id = child.0.to_string();
        let contact = [("patient_id", id.as_str()), ("email", CHILD), ("contact_by_email", "yes")];
        assert_eq!(app.post_form("/api/admin/patients/contact", &contact, Some(&staff)).await.status().as_u16(), 200);
        let granted = grant(&app, child, &[]).await;

        let first = keep(&app, common::start_instant()).await;
        assert!(first.notices >= 1, "{first:?}");
        let to_parent = mail_to(&app, PARENT).await;
        assert_eq!(to_parent.len(), 1);
        assert!(to_parent[0].subject.contains("Maisie Parent's online services"), "{}", to_parent[0].subject);
        assert!(to_parent[0].body.contains("Maisie Parent turns 16 on 22 March 2026"), "{}", to_parent[0].body);
        let to_child = mail_to(&app, CHILD).await;
        assert_eq!(to_child.len(), 1);
        assert!(to_child[0].body.contains("Priya Parent can no longer use your online services"), "{}", to_child[0].body);
        assert!(audited(&app, "proxy_notice_sent", granted.id).await);

        // Running again, on that day or the next, sends nothing more.
        let again = keep(&app, common::start_instant() + chrono::TimeDelta::days(1)).await;
        assert_eq!(again.notices, 0, "{again:?}");
        assert_eq!((mail_to(&app, PARENT).await.len(), mail_to(&app, CHILD).await.len()), (1, 1));
        assert_eq!(grant_now(&app, child).await.status, "active");

        let birthday = Utc.with_ymd_and_hms(2026, 3, 22, 9, 0, 0).unwrap();
        let on_the_day = keep(&app, birthday).await;
        assert!(on_the_day.suspended >= 1, "{on_the_day:?}");
        let after = grant_now(&app, child).await;
        assert_eq!(after.status, "suspended");
        assert!(after.suspended_reason.as_deref().is_some_and(|why| why.contains("16")), "{after:?}");
        assert!(audited(&app, "proxy_access_suspended", granted.id).await);
        // Once suspended, the job leaves it to staff.
        assert_eq!(keep(&app, birthday + chrono::TimeDelta::days(1)).await.suspended, 0);
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_grant_unused_for_five_years_is_ended_after_a_notice_and_a_used_one_is_not(engine: Engine) {
        let app = spawn_app(engine).await;
        let adult = add_child(&app, NaiveDate::from_ymd_opt(1960, 5, 1).unwrap()).await;
        let granted = grant(&app, adult, &[("relationship", "carer"), ("basis", "patient_consent")]).await;
        assert!(mail_to(&app, PARENT).await.is_empty());

        // Twenty days before 2 March 2031, the fifth anniversary of its start.
        let notice_day = Utc.with_ymd_and_hms(2031, 2, 10, 9, 0, 0).unwrap();
        keep(&app, notice_day - chrono::TimeDelta::days(15)).await;
        assert!(mail_to(&app, PARENT).await.is_empty(), "no notice 35 days before");
        assert_eq!(grant_now(&app, adult).await.status, "active");
        keep(&app, notice_day).await;
        let told = mail_to(&app, PARENT).await;
        assert_eq!(told.len(), 1);
        assert!(told[0].body.contains("not been used for nearly 5 years"), "{}", told[0].body);
        assert_eq!(grant_now(&app, adult).await.status, "active");

        let fifth_year = Utc.with_ymd_and_hms(2031, 3, 2, 9, 0, 0).unwrap();
        let kept = keep(&app, fifth_year).await;
        assert!(kept.ended >= 1, "{kept:?}");
        assert_eq!(grant_now(&app, adult).await.status, "ended");
        assert!(audited(&app, "proxy_access_ended", granted.id).await);

        // Another grant, used a year ago: years still to run.
        let other = common::patient_of(&app, common::PATIENT.0).await;
        let used = grant(&app, other, &[("relationship", "carer"), ("basis", "patient_consent")]).await;
        app.store.note_proxy_use(used.id, NaiveDate::from_ymd_opt(2030, 3, 2).unwrap()).await.unwrap();
        keep(&app, fifth_year + chrono::TimeDelta::days(1)).await;
        assert_eq!(grant_now(&app, other).await.status, "active");
        app.stop().await;
    }
}
