//! The GP Online server: configuration, the HTTP stack around the app, the
//! command-line tasks and the demo data. The app itself (pages and server
//! functions) lives in the `app` crate; the database in `storage`.

pub mod bench;
pub mod commands;
pub mod config;
pub mod dashboard_files;
pub mod demo;
pub mod downloads;
pub mod forms;
pub mod http;
pub mod import_fhir;
pub mod jobs;
pub mod live;
pub mod telemetry;

use app::server::{AppState, Clock, SiteConfig, SystemClock};
use config::Config;
use std::net::SocketAddr;
use std::sync::Arc;
use storage::Store;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A failure that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Store(#[from] storage::StoreError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Refused(String),
    #[error("mail: {0}")]
    Mail(String),
}

/// A server listening in the background: what `serve` runs and what the
/// integration tests start on a random port.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), std::io::Error>>,
    jobs_stop: tokio::sync::watch::Sender<bool>,
    jobs: Vec<JoinHandle<()>>,
    /// Becomes true when the server starts shutting down (asked to, or on a signal).
    stopping: tokio::sync::watch::Receiver<bool>,
}

impl Running {
    /// Stops accepting connections, lets requests in flight finish, and closes
    /// the database.
    pub async fn shutdown(mut self) -> Result<(), ServerError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.finish().await
    }

    /// Waits until the server stops by itself (SIGINT or SIGTERM).
    pub async fn wait(mut self) -> Result<(), ServerError> {
        self.finish().await
    }

    /// Once shutdown has begun, gives requests in flight a grace period, then
    /// stops the background jobs and closes the database, each with a
    /// deadline, so a stuck connection cannot keep the process alive.
    async fn finish(&mut self) -> Result<(), ServerError> {
        let _ = self.stopping.wait_for(|stopping| *stopping).await;
        let served = match tokio::time::timeout(SHUTDOWN_GRACE, &mut self.task).await {
            Ok(joined) => joined.map_err(|e| ServerError::Refused(e.to_string()))?,
            Err(_) => {
                tracing::warn!(grace = ?SHUTDOWN_GRACE, "requests still open after the grace period; stopping anyway");
                self.task.abort();
                Ok(())
            }
        };
        let _ = self.jobs_stop.send(true);
        for job in self.jobs.drain(..) {
            if tokio::time::timeout(CLOSE_DEADLINE, job).await.is_err() {
                tracing::warn!("a background job did not stop in time");
            }
        }
        if tokio::time::timeout(CLOSE_DEADLINE, self.state.store.close()).await.is_err() {
            tracing::warn!("database connections still in use at shutdown; closing anyway");
        }
        Ok(served?)
    }
}

/// How long requests in flight may take to finish once shutdown begins.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(20);
/// How long stopping jobs and closing the database may take.
const CLOSE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);

/// Opens the database and starts serving on `config.site_addr` (port 0 picks
/// a free port). Time comes from `clock`.
pub async fn start(config: Config, clock: Arc<dyn Clock>, stop_on_signal: bool) -> Result<Running, ServerError> {
    let keys = Arc::new(config.data_keys.load().map_err(|e| ServerError::Refused(e.to_string()))?);
    let store = Store::open_with(&config.database_url, &config.store_options()).await?;
    // Secrets stored in plain text by an earlier version, or under an older
    // key, are written again under the current key.
    commands::rekey_secrets(&store, &keys).await?;
    let listener = tokio::net::TcpListener::bind(config.site_addr).await?;
    let addr = listener.local_addr()?;
    let public_url = config.public_url_for(addr);
    let state = AppState {
        store,
        clock,
        config: Arc::new(SiteConfig {
            default_practice: config.default_practice.clone(),
            secure_cookies: public_url.starts_with("https://"),
            public_url,
            behind_proxy: config.behind_proxy,
            staff_stylesheet: http::staff_stylesheet(config.leptos.site_root.as_ref()),
        }),
        keys,
        activity: Default::default(),
    };
    let (jobs_stop, jobs_stopped) = tokio::sync::watch::channel(false);
    let mut jobs = jobs::spawn(&config, state.clone(), jobs_stopped)?;
    let (now_stopping, stopping) = tokio::sync::watch::channel(false);
    // Live streams end as soon as shutdown begins.
    let (hub, hub_task) = live::Hub::start(state.clone(), stopping.clone());
    jobs.push(hub_task);
    let mut leptos = config.leptos.clone();
    leptos.site_addr = addr;
    let limits = http::HttpLimits { request_timeout: config.request_timeout };
    let router = http::router(state.clone(), hub, leptos, config.immutable_build_files, limits);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                if stop_on_signal {
                    tokio::select! {
                        _ = stopped => {}
                        _ = shutdown_signal() => {}
                    }
                } else {
                    let _ = stopped.await;
                }
                let _ = now_stopping.send(true);
            })
            .await
    });
    Ok(Running { addr, state, stop: Some(stop), task, jobs_stop, jobs, stopping })
}

/// `server serve`: runs until SIGINT or SIGTERM.
pub async fn serve(config: Config) -> Result<(), ServerError> {
    let running = start(config, Arc::new(SystemClock), true).await?;
    tracing::info!(addr = %running.addr, engine = ?running.state.store.kind(), "serving GP Online on http://{}", running.addr);
    running.wait().await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
    tracing::info!("shutting down: finishing requests in flight");
}
