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

/// A database of the test's own, removed when dropped, whether the test
/// passed or failed: a SQLite file in a temporary folder, or a PostgreSQL
/// database named for this test process (`gp_test_<pid>_…`).
pub struct TestDb {
    pub url: String,
    engine: Engine,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

/// What a new test database starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Start {
    /// Nothing at all: not even the schema.
    Empty,
    /// The schema, and no practice.
    Migrated,
    /// The schema and the demo practice, seeded at [`start_instant`].
    Demo,
}

impl TestDb {
    /// A fresh, empty database.
    pub async fn new(engine: Engine) -> Self {
        Self::starting_with(engine, Start::Empty).await
    }

    /// A fresh database holding what `start` says. The schema and the demo
    /// are built once per engine per test run and copied for each test:
    /// SQLite copies a file, PostgreSQL creates the database from a template.
    pub async fn starting_with(engine: Engine, start: Start) -> Self {
        match engine {
            Engine::Sqlite => {
                let dir = scratch_dir();
                let file = dir.path().join("test.db");
                if start != Start::Empty {
                    let template = templates::sqlite(start).await;
                    std::fs::copy(template, &file).expect("copy the template database");
                }
                let url = format!("sqlite://{}", file.display());
                Self { url, engine, _dir: Some(dir), pg_name: None }
            }
            Engine::Postgres => {
                let template = match start {
                    Start::Empty => None,
                    _ => Some(templates::postgres(start).await),
                };
                let name = format!("gp_test_{}_{:016x}", std::process::id(), rand::random::<u64>());
                let mut conn = PgConnection::connect(&admin_url()).await.expect("connect to PostgreSQL as admin");
                let create = match template {
                    Some(template) => format!("CREATE DATABASE {name} TEMPLATE {template}"),
                    None => format!("CREATE DATABASE {name}"),
                };
                conn.execute(create.as_str()).await.expect("create test database");
                let url = with_database(&test_url(), &name);
                Self { url, engine, _dir: None, pg_name: Some(name) }
            }
        }
    }

    /// Drops a PostgreSQL database now (dropping the value does the same).
    pub async fn drop_db(&self) {
        if let Some(name) = &self.pg_name {
            drop_pg_database(name).await;
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }
}

impl Drop for TestDb {
    /// A test that fails panics before `stop`: its PostgreSQL database is
    /// dropped here, on a thread of its own because the test's runtime may be
    /// unwinding. `WITH (FORCE)` ends the server's connections first.
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            let dropping = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
                if let Ok(runtime) = runtime {
                    runtime.block_on(drop_pg_database(&name));
                }
            });
            let _ = dropping.join();
        }
    }
}

async fn drop_pg_database(name: &str) {
    if let Ok(mut conn) = PgConnection::connect(&admin_url()).await {
        let _ = conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
    }
}

/// A temporary folder for a SQLite file: in memory (`/dev/shm`) where the
/// machine has it, since a test's data need not outlive it.
fn scratch_dir() -> tempfile::TempDir {
    let shm = std::path::Path::new("/dev/shm");
    let builder = || {
        let mut builder = tempfile::Builder::new();
        builder.prefix("gp-online-test-");
        builder
    };
    if shm.is_dir() {
        if let Ok(dir) = builder().tempdir_in(shm) {
            return dir;
        }
    }
    builder().tempdir().expect("temp dir")
}

/// The databases every test starts from, built once per engine per run.
mod templates {
    use super::*;
    use tokio::sync::OnceCell;

    static SQLITE_MIGRATED: OnceCell<std::path::PathBuf> = OnceCell::const_new();
    static SQLITE_DEMO: OnceCell<std::path::PathBuf> = OnceCell::const_new();
    static POSTGRES_MIGRATED: OnceCell<String> = OnceCell::const_new();
    static POSTGRES_DEMO: OnceCell<String> = OnceCell::const_new();
    /// The folder of this run's SQLite templates, removed at the next run.
    static FOLDER: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

    async fn fill(store: &Store, start: Start) {
        if start == Start::Demo {
            server::demo::seed(store, &test_keys(), start_instant()).await.expect("demo seeds");
        }
    }

    /// The template file for `start` (never [`Start::Empty`]).
    pub async fn sqlite(start: Start) -> std::path::PathBuf {
        let cell = if start == Start::Demo { &SQLITE_DEMO } else { &SQLITE_MIGRATED };
        cell.get_or_init(|| async move {
            let folder = FOLDER.get_or_init(|| {
                let base = if std::path::Path::new("/dev/shm").is_dir() {
                    std::path::PathBuf::from("/dev/shm")
                } else {
                    std::env::temp_dir()
                };
                remove_templates_of_finished_runs(&base);
                let folder = base.join(format!("gp-online-templates-{}", std::process::id()));
                std::fs::create_dir_all(&folder).expect("template folder");
                folder
            });
            let built = folder.join(format!("{start:?}-built.db"));
            let template = folder.join(format!("{start:?}.db"));
            let store = Store::open(&format!("sqlite://{}", built.display())).await.expect("template database");
            fill(&store, start).await;
            store.close().await;
            drop(store);
            // One self-contained file (no write-ahead log beside it) to copy.
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", built.display()))
                .await
                .expect("reopen the template");
            conn.execute(format!("VACUUM INTO '{}'", template.display()).as_str()).await.expect("vacuum into");
            conn.close().await.expect("close");
            template
        })
        .await
        .clone()
    }

    /// The template database's name for `start` (never [`Start::Empty`]).
    pub async fn postgres(start: Start) -> String {
        let cell = if start == Start::Demo { &POSTGRES_DEMO } else { &POSTGRES_MIGRATED };
        cell.get_or_init(|| async move {
            let mut admin = PgConnection::connect(&admin_url()).await.expect("connect to PostgreSQL as admin");
            remove_databases_of_finished_runs(&mut admin).await;
            let name = format!("gp_tpl_{}_{}", std::process::id(), format!("{start:?}").to_lowercase());
            admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await.expect("drop");
            admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create template database");
            let store = Store::open(&with_database(&test_url(), &name)).await.expect("template database");
            fill(&store, start).await;
            // A template must have no connections when it is copied.
            store.close().await;
            name
        })
        .await
        .clone()
    }

    /// Whether the test run with this process id is over.
    fn finished(pid: &str) -> bool {
        pid.parse::<u32>()
            .is_ok_and(|pid| pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists())
    }

    fn remove_templates_of_finished_runs(base: &std::path::Path) {
        let Ok(entries) = std::fs::read_dir(base) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.strip_prefix("gp-online-templates-").is_some_and(finished) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }

    /// Test and template databases left by runs that were killed.
    async fn remove_databases_of_finished_runs(admin: &mut PgConnection) {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT datname FROM pg_database WHERE datname LIKE 'gp\\_test\\_%' OR datname LIKE 'gp\\_tpl\\_%'",
        )
        .fetch_all(&mut *admin)
        .await
        .unwrap_or_default();
        for name in names {
            let pid = name.split('_').nth(2).unwrap_or_default();
            if finished(pid) {
                let _ = admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
            }
        }
    }
}

fn admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL").expect(
        "TEST_POSTGRES_URL is not set: run `make test`, or point it at a PostgreSQL admin URL \
         such as postgres://postgres:postgres@127.0.0.1:5432/postgres",
    )
}

/// The URL tests' servers use: the admin URL without waiting for each commit
/// to reach the disk (a test database need not survive a crash).
fn test_url() -> String {
    let admin = admin_url();
    let separator = if admin.contains('?') { '&' } else { '?' };
    format!("{admin}{separator}options=-c%20synchronous_commit%3Doff")
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(base, query)| (base, Some(query)));
    let (base, _) = base.rsplit_once('/').expect("admin URL has a database path");
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
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
    /// `PUBLIC_URL`; none serves on the test's own address.
    pub public_url: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            default_practice: Some(server::demo::DEMO_ODS_CODE),
            seed_demo: true,
            smtp_url: None,
            site_root: None,
            public_url: None,
        }
    }
}

impl Options {
    pub fn empty() -> Self {
        Self { default_practice: None, seed_demo: false, ..Self::default() }
    }
}

/// The data key every test server and template uses.
pub const TEST_DATA_KEY: &str = "7e57da7a7e57da7a7e57da7a7e57da7a7e57da7a7e57da7a7e57da7a7e57da7a";

pub fn test_keys() -> app::server::keys::DataKeys {
    app::server::keys::DataKeys::parse(TEST_DATA_KEY, &[]).expect("the test data key")
}

pub fn start_instant() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).single().expect("valid instant")
}

pub async fn spawn_app(engine: Engine) -> TestApp {
    spawn_app_with(engine, Options::default()).await
}

pub async fn spawn_app_with(engine: Engine, options: Options) -> TestApp {
    server::telemetry::init();
    let db = TestDb::starting_with(engine, if options.seed_demo { Start::Demo } else { Start::Migrated }).await;
    let clock = Arc::new(ManualClock::new(start_instant()));
    let running = start_server(&db.url, &options, clock.clone()).await;
    let store = running.state.store.clone();
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
    config.public_url = options.public_url.clone();
    // Many test servers share one PostgreSQL: a few connections each.
    config.database_max_connections = 6;
    config.data_keys = server::config::DataKeySource::Given { current: TEST_DATA_KEY.into(), older: Vec::new() };
    config.keep_proxy_grants = false;
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
            options: Options {
                smtp_url: None,
                site_root: None,
                public_url: self.options.public_url.clone(),
                ..self.options
            },
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

/// The demo practice (Y12345), which every test server is seeded with.
pub async fn demo_practice(app: &TestApp) -> domain::PracticeId {
    let ods = domain::OdsCode::parse("Y12345").unwrap();
    domain::PracticeId(app.store.practice_by_ods(&ods).await.unwrap().expect("the demo practice").id)
}

/// The patient whose own login has this email.
pub async fn patient_of(app: &TestApp, email: &str) -> domain::PatientId {
    domain::PatientId(app.store.login_by_email(email).await.unwrap().unwrap().patient_id.expect("a patient's login"))
}

/// Where a redirect sends the browser ("" when it does not).
pub fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default()
}
