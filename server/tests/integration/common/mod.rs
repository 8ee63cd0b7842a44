//! Starts the real app on a random port with a fresh database of its own, on
//! either engine. PostgreSQL tests need `TEST_POSTGRES_URL` (an admin URL;
//! `make test` sets it and starts the server): they fail rather than skip
//! without it.

#![allow(dead_code)]

pub mod fake_smtp;

use app::server::ManualClock;
use chrono::{TimeZone, Utc};
use server::config::Config;
use server::Running;
use sqlx::{Connection, Executor, PgConnection};
use std::sync::Arc;
use storage::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs one async test body once per engine, as `name::on_sqlite` and
/// `name::on_postgres`.
#[macro_export]
macro_rules! on_both_engines {
    ($(#[$meta:meta])* async fn $name:ident($engine:ident: Engine) $body:block) => {
        $(#[$meta])*
        mod $name {
            use super::*;
            async fn run($engine: common::Engine) $body
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() { common::within_time_limit(run(common::Engine::Sqlite)).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() { common::within_time_limit(run(common::Engine::Postgres)).await }
        }
    };
}

/// Fails a test that has not finished in three minutes, rather than letting
/// it hang the whole run.
pub async fn within_time_limit(test: impl std::future::Future<Output = ()>) {
    tokio::time::timeout(std::time::Duration::from_secs(180), test).await.expect("the test took over 3 minutes");
}

/// A fresh, empty database, removed when dropped (SQLite) or by [`TestDb::drop_db`].
pub struct TestDb {
    pub url: String,
    engine: Engine,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl TestDb {
    pub async fn new(engine: Engine) -> Self {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                Self { url, engine, _dir: Some(dir), pg_name: None }
            }
            Engine::Postgres => {
                let admin = admin_url();
                let name = format!("gp_test_{:016x}", rand::random::<u64>());
                let mut conn = PgConnection::connect(&admin).await.expect("connect to PostgreSQL as admin");
                conn.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create test database");
                let url = with_database(&admin, &name);
                Self { url, engine, _dir: None, pg_name: Some(name) }
            }
        }
    }

    pub async fn drop_db(&self) {
        if let Some(name) = &self.pg_name {
            if let Ok(mut conn) = PgConnection::connect(&admin_url()).await {
                let _ = conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
            }
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }
}

fn admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL").expect(
        "TEST_POSTGRES_URL is not set: run `make test`, or point it at a PostgreSQL admin URL \
         such as postgres://postgres:postgres@127.0.0.1:5432/postgres",
    )
}

fn with_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("admin URL has a database path");
    format!("{base}/{name}")
}

/// The real server on 127.0.0.1 and a random port, its clock stopped at a
/// fixed instant that tests move by hand.
pub struct TestApp {
    pub base: String,
    pub clock: Arc<ManualClock>,
    pub store: Store,
    pub db: TestDb,
    pub options: Options,
    running: Option<Running>,
    /// The last TOTP time step used per email, so each staff sign-in uses a
    /// code the server has not seen (each code works once).
    totp_steps: std::sync::Mutex<std::collections::HashMap<String, i64>>,
}

pub struct Options {
    pub default_practice: Option<&'static str>,
    pub seed_demo: bool,
    /// Where the server sends mail; none keeps it in the outbox.
    pub smtp_url: Option<String>,
    /// The compiled site to serve, with hashed file names.
    pub site_root: Option<std::path::PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self { default_practice: Some(server::demo::DEMO_ODS_CODE), seed_demo: true, smtp_url: None, site_root: None }
    }
}

impl Options {
    pub fn empty() -> Self {
        Self { default_practice: None, seed_demo: false, smtp_url: None, site_root: None }
    }
}

pub fn start_instant() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).single().expect("valid instant")
}

pub async fn spawn_app(engine: Engine) -> TestApp {
    spawn_app_with(engine, Options::default()).await
}

pub async fn spawn_app_with(engine: Engine, options: Options) -> TestApp {
    server::telemetry::init();
    let db = TestDb::new(engine).await;
    let clock = Arc::new(ManualClock::new(start_instant()));
    let running = start_server(&db.url, &options, clock.clone()).await;
    let store = running.state.store.clone();
    if options.seed_demo {
        server::demo::seed(&store, start_instant()).await.expect("demo seeds");
    }
    let base = format!("http://{}", running.addr);
    TestApp { base, clock, store, db, options, running: Some(running), totp_steps: Default::default() }
}

/// A server on a random port over an existing database.
pub async fn start_server(database_url: &str, options: &Options, clock: Arc<ManualClock>) -> Running {
    let mut config = Config::from_env().expect("config");
    config.database_url = database_url.to_owned();
    config.site_addr = "127.0.0.1:0".parse().expect("address");
    config.default_practice = options.default_practice.map(|c| domain::OdsCode::parse(c).expect("ods code"));
    config.smtp_url = options.smtp_url.clone();
    config.public_url = None;
    if let Some(root) = &options.site_root {
        config.leptos.site_root = root.display().to_string().into();
        config.immutable_build_files = true;
    }
    server::start(config, clock, false).await.expect("server starts")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// An HTTP client that does not follow redirects, so tests see them.
    pub fn client(&self) -> reqwest::Client {
        // A request that never finishes fails here, naming itself, rather than
        // at the test's overall time limit.
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .expect("client")
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self.client().get(self.url(path)).send().await.expect("GET");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// POSTs a form as a browser on this site would (with its Origin).
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)], session: Option<&str>) -> reqwest::Response {
        let mut request = self.client().post(self.url(path)).header("origin", &self.base).form(form);
        if let Some(session) = session {
            request = request.header("cookie", session);
        }
        request.send().await.expect("POST")
    }

    pub async fn get_as(&self, path: &str, session: Option<&str>) -> (u16, String) {
        let mut request = self.client().get(self.url(path));
        if let Some(session) = session {
            request = request.header("cookie", session);
        }
        let response = request.send().await.expect("GET");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// Signs in and returns the session cookie (`gp_session=…`) to send back.
    /// Staff go through the second step with a code from the demo secret.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let response = self.post_form("/api/auth/sign-in", &[("email", email), ("password", password)], None).await;
        assert!(response.status().as_u16() < 400, "sign-in as {email} refused: {}", response.status());
        if let Some(session) = session_cookie(&response) {
            return session;
        }
        let pending = cookie(&response, "gp_pending").expect("a session or a pending sign-in cookie");
        let code = self.fresh_totp_code(email);
        let response = self.post_form("/api/auth/two-factor", &[("code", &code)], Some(&pending)).await;
        assert!(response.status().as_u16() < 400, "second step as {email} refused: {}", response.status());
        session_cookie(&response).expect("a session cookie")
    }

    /// Only the password step of a staff sign-in: returns the pending cookie.
    pub async fn sign_in_password_only(&self, email: &str, password: &str) -> String {
        let response = self.post_form("/api/auth/sign-in", &[("email", email), ("password", password)], None).await;
        assert!(session_cookie(&response).is_none(), "staff get no session before the second step");
        cookie(&response, "gp_pending").expect("a pending sign-in cookie")
    }

    /// A code from the demo staff secret for a time step not used before for
    /// this email, moving the clock on when the server's window is used up.
    pub fn fresh_totp_code(&self, email: &str) -> String {
        let secret = domain::totp::TotpSecret::from_base32(server::demo::DEMO_TOTP_SECRET).expect("demo secret");
        let mut steps = self.totp_steps.lock().expect("lock");
        let last = steps.get(email).copied();
        let mut now = domain::totp::step_of(app::server::Clock::now(&*self.clock).timestamp());
        let step = loop {
            let step = last.map_or(now - 1, |last| (last + 1).max(now - 1));
            if step <= now + 1 {
                break step;
            }
            self.clock.advance(chrono::TimeDelta::seconds(domain::totp::STEP_SECONDS));
            now = domain::totp::step_of(app::server::Clock::now(&*self.clock).timestamp());
        };
        steps.insert(email.to_owned(), step);
        secret.code_at_step(step)
    }

    /// A second server on the same database and clock, as a deployment with
    /// several app servers runs. Stopping it leaves the database alone.
    pub async fn another_server(&self) -> TestApp {
        let running = start_server(&self.db.url, &self.options, self.clock.clone()).await;
        let db = TestDb { url: self.db.url.clone(), engine: self.db.engine, _dir: None, pg_name: None };
        TestApp {
            base: format!("http://{}", running.addr),
            clock: self.clock.clone(),
            store: running.state.store.clone(),
            db,
            options: Options { smtp_url: None, site_root: None, ..self.options },
            running: Some(running),
            totp_steps: Default::default(),
        }
    }

    /// Stops this server and starts another on the same database and clock.
    pub async fn restart(mut self, options: Options) -> TestApp {
        if let Some(running) = self.running.take() {
            running.shutdown().await.expect("clean shutdown");
        }
        let running = start_server(&self.db.url, &options, self.clock.clone()).await;
        self.base = format!("http://{}", running.addr);
        self.store = running.state.store.clone();
        self.options = options;
        self.running = Some(running);
        self
    }

    /// Stops the server and removes its database.
    /// A second practice, Elsewhere Surgery (Y54321), with nobody in it yet:
    /// for checking that one practice never reaches another's data.
    pub async fn another_practice(&self) -> domain::PracticeId {
        let elsewhere = storage::practices::NewPractice {
            ods_code: domain::OdsCode::parse("Y54321").expect("ods code"),
            name: domain::PracticeName::parse("Elsewhere Surgery").expect("name"),
            address: String::new(),
            phone: String::new(),
            website: None,
            online_services_enabled: true,
            is_demo: true,
        };
        self.store.insert_practice(&elsewhere, start_instant()).await.expect("another practice")
    }

    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown().await.expect("clean shutdown");
        }
        self.db.drop_db().await;
    }
}

/// The `gp_session=…` pair a response set, if any.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    cookie(response, "gp_session")
}

/// The `name=…` pair a response set to a value, if any.
pub fn cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.starts_with(&prefix) && pair.len() > prefix.len())
        .map(str::to_owned)
}

/// The demo sign-ins, by role.
pub const PATIENT: (&str, &str) = ("patient@riverside.example", "demo-patient-1");
pub const RECEPTIONIST: (&str, &str) = ("reception@riverside.example", "demo-reception-1");
pub const CLINICIAN: (&str, &str) = ("clinician@riverside.example", "demo-clinician-1");
pub const PRACTICE_ADMIN: (&str, &str) = ("admin@riverside.example", "demo-admin-pass-1");
