//! The practice dashboard as clinicians and practice admins use it: the
//! month's figures, targets and who is left behind on one page without
//! JavaScript, any earlier month, each table as a CSV file, and the
//! practice's own targets. Bad input is named and changes nothing.

use crate::common;
use common::{demo_practice, spawn_app, TestApp, CLINICIAN, PRACTICE_ADMIN};
use domain::measures::{measure, Measures, Month, Targets};

async fn march(app: &TestApp) -> Measures {
    let practice = demo_practice(app).await;
    let month = Month::parse("2026-03").unwrap();
    let patients = app.store.measure_patients(practice).await.unwrap();
    measure(month, &patients, &app.store.measure_activity(practice, month, month).await.unwrap())
}

async fn download(app: &TestApp, session: &str, path: &str) -> (u16, String, String) {
    let response = app.client().get(app.url(path)).header("cookie", session).send().await.unwrap();
    let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (response.status().as_u16(), kind, response.text().await.unwrap())
}

on_both_engines! {
    async fn a_clinician_sees_the_months_figures_targets_and_who_is_left_behind_on_one_page(engine: Engine) {
        let app = spawn_app(engine).await;
        let clinician = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        let (status, page) = app.get_as("/admin/dashboard", Some(&clinician)).await;
        assert_eq!(status, 200);
        for part in ["Targets for March 2026", "Routine appointments offered online", "Who is left behind", "Age: 75 and over", "Pat_Appts_Enbld", "March 2025"] {
            assert!(page.contains(part), "{part}: {page}");
        }
        assert_eq!(page.matches("role=\"img\"").count(), 2, "two charts, each an image with a title and description");
        assert!(page.contains("<desc id=\"chart-accounts-desc\">From Mar 25"), "{page}");
        let m = march(&app).await;
        assert!(page.contains(&format!("{} of {}", m.with_account, m.registered)), "accounts of the list: {page}");
        assert!(!page.contains("Save targets"), "only practice admins set the targets");

        let (_, february) = app.get_as("/admin/dashboard?month=2026-02", Some(&clinician)).await;
        assert!(february.contains("Targets for February 2026") && february.contains("Later month"), "{february}");
        for (bad, says) in [("2026-13", "Enter a month as year and month"), ("2026-04", "Choose this month or an earlier one")] {
            let (status, page) = app.get_as(&format!("/admin/dashboard?month={bad}"), Some(&clinician)).await;
            assert_eq!(status, 422, "{bad}");
            assert!(page.contains(says), "{bad}: {page}");
        }
        app.stop().await;
    }
}

on_both_engines! {
    async fn each_table_downloads_as_csv_for_the_month_and_an_unknown_file_is_not_found(engine: Engine) {
        let app = spawn_app(engine).await;
        let clinician = app.sign_in(CLINICIAN.0, CLINICIAN.1).await;
        let m = march(&app).await;
        let (status, kind, pomi) = download(&app, &clinician, "/admin/dashboard/pomi.csv?month=2026-03").await;
        assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
        let lines: Vec<&str> = pomi.lines().collect();
        assert_eq!(lines[0], "Report_Period_End,Practice_Code,Practice_Name,Field,Value");
        assert_eq!(lines.len(), 10, "one row per POMI field: {pomi}");
        assert!(lines.contains(&format!("2026-03-31,Y12345,Riverside Medical Practice,Total_Pat_Enbld,{}", m.total_enabled).as_str()), "{pomi}");

        let (_, _, months) = download(&app, &clinician, "/admin/dashboard/months.csv").await;
        assert_eq!(months.lines().count(), 14, "a header and 13 months: {months}");
        assert!(months.lines().last().unwrap().starts_with(&format!("2026-03,{},{}", m.registered, m.with_account)), "{months}");
        let (_, _, uptake) = download(&app, &clinician, "/admin/dashboard/uptake.csv").await;
        assert!(uptake.contains("2026-03,Contact,Asked for paper or phone,"), "{uptake}");
        let (_, _, targets) = download(&app, &clinician, "/admin/dashboard/targets.csv").await;
        assert_eq!(targets.lines().count(), 4, "{targets}");

        assert_eq!(download(&app, &clinician, "/admin/dashboard/patients.csv").await.0, 404);
        assert_eq!(download(&app, &clinician, "/admin/dashboard/months.csv?month=soon").await.0, 422);
        app.stop().await;
    }
}

on_both_engines! {
    async fn a_practice_admin_sets_the_targets_and_the_verdicts_follow_and_bad_targets_change_nothing(engine: Engine) {
        let app = spawn_app(engine).await;
        let practice = demo_practice(&app).await;
        let admin = app.sign_in(PRACTICE_ADMIN.0, PRACTICE_ADMIN.1).await;
        let (_, page) = app.get_as("/admin/dashboard", Some(&admin)).await;
        assert!(page.contains("Save targets"), "{page}");

        for bad in [[("offered_online", "0"), ("with_account", "20"), ("used_online", "50")], [("offered_online", "80"), ("with_account", "101"), ("used_online", "half")]] {
            let refused = app.post_form("/api/admin/dashboard/targets", &bad, Some(&admin)).await;
            assert_eq!(refused.status().as_u16(), 422, "{bad:?}");
            assert!(refused.text().await.unwrap().contains("Enter a whole percentage from 1 to 100"));
        }
        assert_eq!(app.store.dashboard_targets(practice).await.unwrap(), Targets::DEFAULT, "nothing saved");

        // Every patient on the list with an account would be needed for 100%.
        let m = march(&app).await;
        assert!(m.with_account < m.registered, "{m:?}");
        let strict = [("offered_online", "80"), ("with_account", "100"), ("used_online", "1")];
        assert_eq!(app.post_form("/api/admin/dashboard/targets", &strict, Some(&admin)).await.status().as_u16(), 200);
        let saved = app.store.dashboard_targets(practice).await.unwrap();
        assert_eq!((saved.offered_online, saved.with_account, saved.used_online), (80, 100, 1));
        let (_, _, targets) = download(&app, &admin, "/admin/dashboard/targets.csv").await;
        assert!(targets.contains(&format!("Patients with an online account,{},{},", m.with_account, m.registered)), "{targets}");
        assert!(targets.lines().any(|line| line.contains("Patients with an online account") && line.ends_with(",100,Below target")), "{targets}");
        let filter = storage::audit::AuditFilter { action: Some("dashboard_targets_changed".into()), limit: 5, ..Default::default() };
        assert_eq!(app.store.audit_events(practice, &filter).await.unwrap().len(), 1);
        app.stop().await;
    }
}
