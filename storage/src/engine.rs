//! Opening the database and handing out connections.

use crate::{StoreError, StoreResult};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Sqlite, SqliteConnection};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Which database engine a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    Sqlite,
    Postgres,
}

/// The handle every part of the server uses to reach the database. Cheap to
/// clone: clones share the same connections.
#[derive(Clone)]
pub struct Store {
    engine: Arc<Engine>,
    /// Rung after events commit; see [`crate::events`].
    event_bell: Arc<tokio::sync::watch::Sender<u64>>,
}

pub(crate) enum Engine {
    Sqlite(SqliteEngine),
    Postgres(PgPool),
}

/// SQLite allows one writer at a time. Rather than let pooled connections
/// race in SQLite's busy handler, all writes share one connection behind a
/// fair (first come, first served) lock, so write transactions queue in
/// arrival order. Reads use their own pool and never wait for writes (WAL).
pub(crate) struct SqliteEngine {
    writer: Arc<Mutex<SqliteWriter>>,
    readers: SqlitePool,
    /// How long a write waits for its turn before giving up.
    writer_wait: Duration,
}

/// How a store connects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    /// How long a write waits for the SQLite writer, or any query for a
    /// PostgreSQL connection, before giving up with [`StoreError::Busy`]:
    /// well inside a request's own time limit, so a stuck database shows as
    /// a clear error.
    pub writer_wait: Duration,
    /// PostgreSQL connections this server may hold. Every server of a
    /// deployment holds its own: together they must stay under the
    /// database's `max_connections`.
    pub max_connections: u32,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self { writer_wait: Duration::from_secs(10), max_connections: 16 }
    }
}

impl SqliteEngine {
    /// The writer connection, once the writes queued before this one are
    /// done; [`StoreError::Busy`] after the store's writer wait.
    pub(crate) async fn writer(&self) -> StoreResult<OwnedMutexGuard<SqliteWriter>> {
        tokio::time::timeout(self.writer_wait, self.writer.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Busy(format!("waited {:?} for the SQLite writer", self.writer_wait)))
    }

    pub(crate) async fn reader(&self) -> Result<PoolConnection<Sqlite>, sqlx::Error> {
        self.readers.acquire().await
    }
}

/// Starts a write transaction on SQLite that takes the write lock at once, so a
/// transaction that reads and then writes cannot be overtaken in between.
/// SQLite's one writer connection, and whether a transaction is open on it
/// (one abandoned half way is rolled back before the next begins).
pub(crate) struct SqliteWriter {
    pub(crate) connection: SqliteConnection,
    pub(crate) in_transaction: bool,
}

impl Store {
    /// Opens the database named by `url` (`sqlite://path` or `postgres://…`),
    /// creating a SQLite file and its folder when missing, and applies any
    /// migrations not yet applied.
    pub async fn open(url: &str) -> StoreResult<Self> {
        Self::open_with(url, &StoreOptions::default()).await
    }

    /// [`Store::open`] with its connection settings.
    pub async fn open_with(url: &str, options: &StoreOptions) -> StoreResult<Self> {
        let StoreOptions { writer_wait, max_connections } = *options;
        let engine = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Engine::Postgres(open_postgres(url, writer_wait, max_connections).await?)
        } else if url.starts_with("sqlite:") {
            Engine::Sqlite(open_sqlite(url, writer_wait).await?)
        } else {
            return Err(StoreError::Setup(format!(
                "DATABASE_URL must start with sqlite: or postgres://, not {:?}",
                url.split(':').next().unwrap_or_default()
            )));
        };
        Ok(Self { engine: Arc::new(engine), event_bell: Arc::new(tokio::sync::watch::Sender::new(0)) })
    }

    pub fn kind(&self) -> EngineKind {
        match *self.engine {
            Engine::Sqlite(_) => EngineKind::Sqlite,
            Engine::Postgres(_) => EngineKind::Postgres,
        }
    }

    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    pub(crate) fn event_bell(&self) -> &tokio::sync::watch::Sender<u64> {
        &self.event_bell
    }

    /// Waits for connections in use to be returned, then closes them all.
    pub async fn close(&self) {
        match &*self.engine {
            Engine::Sqlite(e) => {
                e.readers.close().await;
                // Holding the writer lock waits for the last write to finish.
                let _writer = e.writer.lock().await;
            }
            Engine::Postgres(pool) => pool.close().await,
        }
    }
}

async fn open_sqlite(url: &str, writer_wait: Duration) -> StoreResult<SqliteEngine> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::Setup(format!("bad SQLite URL: {e}")))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    if let Some(folder) = options.get_filename().parent().filter(|p| !p.as_os_str().is_empty()) {
        create_folder(folder)?;
    }
    let mut writer = options.connect().await?;
    sqlx::migrate!("../migrations/sqlite").run(&mut writer).await?;
    let readers = SqlitePoolOptions::new().max_connections(8).connect_with(options.read_only(true)).await?;
    Ok(SqliteEngine {
        writer: Arc::new(Mutex::new(SqliteWriter { connection: writer, in_transaction: false })),
        readers,
        writer_wait,
    })
}

fn create_folder(folder: &Path) -> StoreResult<()> {
    std::fs::create_dir_all(folder)
        .map_err(|e| StoreError::Setup(format!("cannot create the database folder {}: {e}", folder.display())))
}

async fn open_postgres(url: &str, acquire_wait: Duration, max_connections: u32) -> StoreResult<PgPool> {
    let pool = PgPoolOptions::new().max_connections(max_connections).acquire_timeout(acquire_wait).connect(url).await?;
    sqlx::migrate!("../migrations/postgres").run(&pool).await?;
    Ok(pool)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_write_that_waits_too_long_for_the_sqlite_writer_fails_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("busy.db").display());
        let options = StoreOptions { writer_wait: Duration::from_millis(200), ..StoreOptions::default() };
        let store = Store::open_with(&url, &options).await.unwrap();
        let Engine::Sqlite(sqlite) = store.engine() else { unreachable!("a SQLite URL") };
        let held = sqlite.writer().await.unwrap();
        let error = store.prune_events(chrono::Utc::now()).await.unwrap_err();
        assert!(matches!(error, StoreError::Busy(_)), "{error:?}");
        assert!(error.to_string().contains("SQLite writer"), "{error}");
        drop(held);
        store.prune_events(chrono::Utc::now()).await.expect("the writer is free again");
    }
}
