//! Every entry point (page route and server function) against every kind of
//! actor. The test fails when an entry point has no row here, so a new route
//! or server function cannot ship without saying who may use it.

mod common;
use common::{spawn_app, TestApp, CLINICIAN, PATIENT, PRACTICE_ADMIN, RECEPTIONIST};
use domain::{Email, OdsCode, PracticeId, PracticeName, StaffRole};
use std::collections::BTreeSet;

/// Who asks, in the order of each row's expectations.
const ACTORS: [&str; 7] =
    ["anonymous", "patient A", "patient B", "receptionist", "clinician", "practice admin", "admin of another practice"];

const PATIENT_B: (&str, &str) = ("patient.b@patients.example", "patient b password");
const OTHER_ADMIN: (&str, &str) = ("admin@elsewhere.example", "another practice admin");

/// `Y` allowed, `N` refused (401, 403 or 404).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Y,
    N,
}
use Expect::{N, Y};

const PUBLIC: [Expect; 7] = [Y, Y, Y, Y, Y, Y, Y];
const SIGNED_IN: [Expect; 7] = [N, Y, Y, Y, Y, Y, Y];
const STAFF: [Expect; 7] = [N, N, N, Y, Y, Y, Y];
const PRACTICE_ADMINS: [Expect; 7] = [N, N, N, N, N, Y, Y];

enum Call {
    Get(&'static str),
    Post(&'static str, &'static [(&'static str, &'static str)]),
    /// Ends patient A's session: only practice A's admin may.
    EndPatientASession,
    /// GETs the path followed by practice A's receptionist's login id.
    GetReceptionist(&'static str),
    /// POSTs the form with practice A's receptionist's `login_id` added.
    PostReceptionist(&'static str, &'static [(&'static str, &'static str)]),
    /// GETs the path followed by patient A's id.
    GetPatientA(&'static str),
    /// POSTs the form with patient A's `patient_id` added.
    PostPatientA(&'static str, &'static [(&'static str, &'static str)]),
}

/// Staff of practice A only: the object is practice A's.
const STAFF_OF_A: [Expect; 7] = [N, N, N, Y, Y, Y, N];

/// The default grants, as a form posts them.
const DEFAULT_GRANTS: &[(&str, &str)] = &[
    ("appointments", "yes"),
    ("prescriptions", "yes"),
    ("messaging", "yes"),
    ("record", "full"),
    ("record_from", "account_creation"),
    ("record_audit", "yes"),
    ("consent", "yes"),
];

/// Only practice A's admin: the object belongs to practice A.
const ADMIN_OF_A: [Expect; 7] = [N, N, N, N, N, Y, N];

struct Row {
    /// The entry point as the router lists it.
    entry: &'static str,
    call: Call,
    expect: [Expect; 7],
}

fn rows() -> Vec<Row> {
    use Call::*;
    vec![
        // Pages.
        Row { entry: "/", call: Get("/"), expect: PUBLIC },
        Row { entry: "/practices/{ods}", call: Get("/practices/Y12345"), expect: PUBLIC },
        Row { entry: "/setup/{token}", call: Get("/setup/0000"), expect: PUBLIC },
        Row { entry: "/setup-complete", call: Get("/setup-complete"), expect: PUBLIC },
        Row { entry: "/sign-in", call: Get("/sign-in"), expect: PUBLIC },
        Row { entry: "/register", call: Get("/register"), expect: PUBLIC },
        Row { entry: "/account", call: Get("/account"), expect: SIGNED_IN },
        Row { entry: "/account/password", call: Get("/account/password"), expect: SIGNED_IN },
        Row { entry: "/admin", call: Get("/admin"), expect: STAFF },
        Row { entry: "/admin/audit", call: Get("/admin/audit"), expect: PRACTICE_ADMINS },
        Row { entry: "/admin/outbox", call: Get("/admin/outbox"), expect: PRACTICE_ADMINS },
        Row { entry: "/admin/sessions", call: Get("/admin/sessions"), expect: PRACTICE_ADMINS },
        Row { entry: "/admin/lockouts", call: Get("/admin/lockouts"), expect: PRACTICE_ADMINS },
        Row { entry: "/admin/patients", call: Get("/admin/patients?q=ahmed"), expect: STAFF },
        Row { entry: "/admin/patients/{patient}", call: GetPatientA("/admin/patients/"), expect: STAFF_OF_A },
        Row { entry: "/admin/patients/import", call: Get("/admin/patients/import"), expect: PRACTICE_ADMINS },
        Row {
            entry: "/admin/settings/online-services",
            call: Get("/admin/settings/online-services"),
            expect: PRACTICE_ADMINS,
        },
        Row { entry: "/admin/staff", call: Get("/admin/staff"), expect: PRACTICE_ADMINS },
        Row { entry: "/admin/staff/invite", call: Get("/admin/staff/invite"), expect: PRACTICE_ADMINS },
        Row { entry: "/admin/staff/{login}", call: GetReceptionist("/admin/staff/"), expect: ADMIN_OF_A },
        Row { entry: "/sign-in/two-factor", call: Get("/sign-in/two-factor"), expect: PUBLIC },
        Row { entry: "/sign-in/set-up-two-factor", call: Get("/sign-in/set-up-two-factor"), expect: PUBLIC },
        Row { entry: "/forgot-password", call: Get("/forgot-password"), expect: PUBLIC },
        Row { entry: "/forgot-password/sent", call: Get("/forgot-password/sent"), expect: PUBLIC },
        Row { entry: "/reset-password/{token}", call: Get("/reset-password/0000"), expect: PUBLIC },
        // Server functions.
        Row { entry: "/api/practices/home", call: Post("/api/practices/home", &[]), expect: PUBLIC },
        Row { entry: "/api/practices/by-ods", call: Get("/api/practices/by-ods?ods_code=Y12345"), expect: PUBLIC },
        Row { entry: "/api/practices/search", call: Get("/api/practices/search?text=river"), expect: PUBLIC },
        Row {
            entry: "/api/account/setup-link",
            call: Post("/api/account/setup-link", &[("token", "0000")]),
            expect: PUBLIC,
        },
        Row {
            entry: "/api/account/setup",
            call: Post(
                "/api/account/setup",
                &[("token", "0000"), ("password", "long enough pass"), ("confirm_password", "long enough pass")],
            ),
            expect: PUBLIC,
        },
        Row {
            entry: "/api/auth/sign-in",
            call: Post("/api/auth/sign-in", &[("email", "x@y.example"), ("password", "nope")]),
            expect: PUBLIC,
        },
        Row { entry: "/api/auth/sign-out", call: Post("/api/auth/sign-out", &[]), expect: PUBLIC },
        Row {
            entry: "/api/auth/sign-out-everywhere",
            call: Post("/api/auth/sign-out-everywhere", &[]),
            expect: SIGNED_IN,
        },
        Row { entry: "/api/account/details", call: Post("/api/account/details", &[]), expect: SIGNED_IN },
        Row {
            entry: "/api/account/password",
            call: Post(
                "/api/account/password",
                &[
                    ("current_password", "not it"),
                    ("new_password", "long enough pass"),
                    ("confirm_password", "long enough pass"),
                ],
            ),
            expect: SIGNED_IN,
        },
        Row { entry: "/api/admin/overview", call: Post("/api/admin/overview", &[]), expect: STAFF },
        Row {
            entry: "/api/admin/audit",
            call: Get("/api/admin/audit?action=&actor=&from=&to="),
            expect: PRACTICE_ADMINS,
        },
        Row { entry: "/api/admin/outbox", call: Post("/api/admin/outbox", &[]), expect: PRACTICE_ADMINS },
        Row { entry: "/api/admin/sessions", call: Post("/api/admin/sessions", &[]), expect: PRACTICE_ADMINS },
        Row { entry: "/api/admin/sessions/end", call: EndPatientASession, expect: ADMIN_OF_A },
        Row { entry: "/api/admin/lockouts", call: Post("/api/admin/lockouts", &[]), expect: PRACTICE_ADMINS },
        Row { entry: "/api/admin/patients/search", call: Get("/api/admin/patients/search?q=ahmed"), expect: STAFF },
        Row {
            entry: "/api/admin/patients/details",
            call: PostPatientA("/api/admin/patients/details", &[]),
            expect: STAFF_OF_A,
        },
        Row {
            entry: "/api/admin/patients/grants",
            call: PostPatientA("/api/admin/patients/grants", DEFAULT_GRANTS),
            expect: STAFF_OF_A,
        },
        Row {
            entry: "/api/admin/patients/import",
            call: Post("/api/admin/patients/import", &[("csv", "identifier_type\n"), ("mode", "check")]),
            expect: PRACTICE_ADMINS,
        },
        Row {
            entry: "/api/admin/patients/contact",
            call: PostPatientA(
                "/api/admin/patients/contact",
                &[("email", "amara.ahmed@patients.example"), ("contact_by_email", "yes")],
            ),
            expect: STAFF_OF_A,
        },
        Row {
            entry: "/api/admin/patients/details/change",
            call: PostPatientA(
                "/api/admin/patients/details/change",
                &[
                    ("given_name", "Amara"),
                    ("family_name", "Ahmed"),
                    ("date_of_birth", "15/01/1940"),
                    ("sex", "female"),
                ],
            ),
            expect: ADMIN_OF_A,
        },
        // Registered again on the day it already says: a change that changes nothing.
        Row {
            entry: "/api/admin/patients/registration",
            call: PostPatientA("/api/admin/patients/registration", &[("status", "registered"), ("on", "01/01/2020")]),
            expect: ADMIN_OF_A,
        },
        Row {
            entry: "/api/admin/settings/online-services",
            call: Post("/api/admin/settings/online-services", &[]),
            expect: PRACTICE_ADMINS,
        },
        Row {
            entry: "/api/admin/settings/online-services/save",
            call: Post(
                "/api/admin/settings/online-services/save",
                &[
                    ("online_services", "yes"),
                    ("self_registration", "yes"),
                    ("appointments", "yes"),
                    ("prescriptions", "yes"),
                    ("messaging", "yes"),
                    ("record", "full"),
                    ("record_from", "account_creation"),
                    ("record_audit", "yes"),
                    ("consent", "yes"),
                ],
            ),
            expect: PRACTICE_ADMINS,
        },
        Row { entry: "/api/admin/staff", call: Post("/api/admin/staff", &[]), expect: PRACTICE_ADMINS },
        Row {
            entry: "/api/admin/staff/member",
            call: PostReceptionist("/api/admin/staff/member", &[]),
            expect: ADMIN_OF_A,
        },
        Row {
            entry: "/api/admin/staff/invite",
            call: Post(
                "/api/admin/staff/invite",
                &[("name", "New Person"), ("email", "new.person@staff.example"), ("role", "receptionist")],
            ),
            expect: PRACTICE_ADMINS,
        },
        Row {
            entry: "/api/admin/staff/change",
            call: PostReceptionist("/api/admin/staff/change", &[("change", "role"), ("role", "receptionist")]),
            expect: ADMIN_OF_A,
        },
        // The second step and password reset: open to all, and answer "sign in again" or
        // "link expired" (409) without a pending sign-in or a real link.
        Row { entry: "/api/auth/pending", call: Post("/api/auth/pending", &[]), expect: PUBLIC },
        Row {
            entry: "/api/auth/two-factor",
            call: Post("/api/auth/two-factor", &[("code", "123456")]),
            expect: PUBLIC,
        },
        Row {
            entry: "/api/auth/two-factor-enrolment",
            call: Post("/api/auth/two-factor-enrolment", &[]),
            expect: PUBLIC,
        },
        Row {
            entry: "/api/auth/enrol-two-factor",
            call: Post("/api/auth/enrol-two-factor", &[("code", "123456")]),
            expect: PUBLIC,
        },
        Row {
            entry: "/api/account/forgot-password",
            call: Post("/api/account/forgot-password", &[("email", "x@y.example")]),
            expect: PUBLIC,
        },
        Row {
            entry: "/api/account/reset-link",
            call: Post("/api/account/reset-link", &[("token", "0000")]),
            expect: PUBLIC,
        },
        Row {
            entry: "/api/account/reset-password",
            call: Post(
                "/api/account/reset-password",
                &[("token", "0000"), ("password", "long enough pass"), ("confirm_password", "long enough pass")],
            ),
            expect: PUBLIC,
        },
    ]
}

/// Every page route and server function the app serves.
fn entry_points() -> BTreeSet<String> {
    let pages = leptos_axum::generate_route_list(app::App).into_iter().map(|route| route.path().to_owned());
    let server_fns = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned());
    pages.chain(server_fns).collect()
}

#[test]
fn every_entry_point_has_a_row_in_the_matrix() {
    let listed: BTreeSet<String> = rows().iter().map(|r| r.entry.to_owned()).collect();
    let served = entry_points();
    let missing: Vec<_> = served.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&served).collect();
    assert!(missing.is_empty(), "entry points with no row in the policy matrix: {missing:?}");
    assert!(stale.is_empty(), "rows for entry points that do not exist: {stale:?}");
}

async fn setup_other_practice_and_patient_b(app: &TestApp) {
    let now = common::start_instant();
    let practice = app.store.practice_by_ods(&OdsCode::parse("Y12345").unwrap()).await.unwrap().unwrap();
    let patients = server::demo::demo_patients();
    let hash = app::server::secrets::hash_password(PATIENT_B.1.into()).await.unwrap();
    app.store
        .ensure_patient_login(
            PracticeId(practice.id),
            patients[1].identifier.as_str(),
            &Email::parse(PATIENT_B.0).unwrap(),
            &hash,
            now,
        )
        .await
        .unwrap();
    let elsewhere = storage::practices::NewPractice {
        ods_code: OdsCode::parse("Y54321").unwrap(),
        name: PracticeName::parse("Elsewhere Surgery").unwrap(),
        address: String::new(),
        phone: String::new(),
        website: None,
        online_services_enabled: true,
        is_demo: true,
    };
    let other = app.store.insert_practice(&elsewhere, now).await.unwrap();
    let hash = app::server::secrets::hash_password(OTHER_ADMIN.1.into()).await.unwrap();
    let other_admin = app
        .store
        .ensure_staff(other, &Email::parse(OTHER_ADMIN.0).unwrap(), "Other Admin", StaffRole::PracticeAdmin, &hash, now)
        .await
        .unwrap();
    app.store.set_totp_secret(other_admin, server::demo::DEMO_TOTP_SECRET).await.unwrap();
}

/// Signs in as the actor (fresh each time: some calls end sessions).
async fn session_of(app: &TestApp, actor: usize) -> Option<String> {
    let who = match actor {
        0 => return None,
        1 => PATIENT,
        2 => PATIENT_B,
        3 => RECEPTIONIST,
        4 => CLINICIAN,
        5 => PRACTICE_ADMIN,
        _ => OTHER_ADMIN,
    };
    Some(app.sign_in(who.0, who.1).await)
}

async fn call(app: &TestApp, call: &Call, session: Option<&str>) -> u16 {
    match call {
        Call::Get(path) => app.get_as(path, session).await.0,
        Call::Post(path, form) => app.post_form(path, form, session).await.status().as_u16(),
        Call::EndPatientASession => {
            app.sign_in(PATIENT.0, PATIENT.1).await;
            let practice = app.store.practice_by_ods(&OdsCode::parse("Y12345").unwrap()).await.unwrap().unwrap();
            let sessions = app.store.sessions_of_practice(PracticeId(practice.id)).await.unwrap();
            let id = sessions.iter().find(|s| s.email == PATIENT.0).expect("patient A session").id.to_string();
            app.post_form("/api/admin/sessions/end", &[("session_id", &id)], session).await.status().as_u16()
        }
        Call::GetPatientA(prefix) => app.get_as(&format!("{prefix}{}", patient_a_id(app).await), session).await.0,
        Call::PostPatientA(path, form) => {
            let id = patient_a_id(app).await;
            let mut fields = vec![("patient_id", id.as_str())];
            fields.extend_from_slice(form);
            app.post_form(path, &fields, session).await.status().as_u16()
        }
        Call::GetReceptionist(prefix) => {
            app.get_as(&format!("{prefix}{}", receptionist_id(app).await), session).await.0
        }
        Call::PostReceptionist(path, form) => {
            let id = receptionist_id(app).await;
            let mut fields = vec![("login_id", id.as_str())];
            fields.extend_from_slice(form);
            app.post_form(path, &fields, session).await.status().as_u16()
        }
    }
}

async fn patient_a_id(app: &TestApp) -> String {
    let login = app.store.login_by_email(PATIENT.0).await.unwrap().expect("the demo patient");
    login.patient_id.expect("a patient's login").to_string()
}

async fn receptionist_id(app: &TestApp) -> String {
    app.store.login_by_email(RECEPTIONIST.0).await.unwrap().expect("the demo receptionist").id.to_string()
}

on_both_engines! {
    async fn every_entry_point_answers_each_actor_as_the_policy_says(engine: Engine) {
        let app = spawn_app(engine).await;
        setup_other_practice_and_patient_b(&app).await;
        let mut wrong = Vec::new();
        for row in rows() {
            for (actor, expected) in row.expect.iter().enumerate() {
                let session = session_of(&app, actor).await;
                let status = call(&app, &row.call, session.as_deref()).await;
                let refused = matches!(status, 401 | 403 | 404);
                let as_expected = match expected {
                    Y => !refused && status < 500,
                    N => refused,
                };
                if !as_expected {
                    wrong.push(format!("{} as {}: got {status}, expected {expected:?}", row.entry, ACTORS[actor]));
                }
            }
        }
        assert!(wrong.is_empty(), "policy matrix mismatches:\n{}", wrong.join("\n"));
        app.stop().await;
    }
}

on_both_engines! {
    async fn an_admin_of_another_practice_sees_nothing_of_this_one(engine: Engine) {
        let app = spawn_app(engine).await;
        setup_other_practice_and_patient_b(&app).await;
        app.sign_in(PATIENT.0, PATIENT.1).await;
        let other = app.sign_in(OTHER_ADMIN.0, OTHER_ADMIN.1).await;
        for page in ["/admin", "/admin/audit", "/admin/sessions", "/admin/outbox", "/admin/staff", "/admin/lockouts", "/admin/patients?q=ahmed", "/admin/settings/online-services"] {
            let (status, body) = app.get_as(page, Some(&other)).await;
            assert_eq!(status, 200);
            assert!(body.contains("Elsewhere Surgery"), "{page} shows their own practice");
            for theirs in [PATIENT.0, RECEPTIONIST.0, "Riverside"] {
                assert!(!body.contains(theirs), "{page} leaks {theirs}");
            }
        }
        app.stop().await;
    }
}
