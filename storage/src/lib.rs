//! The one storage seam: every read and write of GP Online goes through [`Store`].
//!
//! Two engines sit behind it. SQLite is the embedded default: one file, WAL,
//! and every write transaction queued on one writer connection beside a pool
//! of readers. PostgreSQL serves deployments with several app servers on one
//! database. Queries are written once: the [`read!`] and [`write!`] macros
//! compile each query body against both engines, and [`Timestamp`] stores an
//! instant as INTEGER milliseconds on SQLite and `timestamptz` on PostgreSQL.
//!
//! Every table carries `practice_id`, and every query that touches practice
//! data filters by it.

mod engine;
mod error;
mod time;

pub mod access_offers;
pub mod access_requests;
pub mod appointments;
pub mod audit;
pub mod bench;
pub mod events;
pub mod logins;
pub mod online_accounts;
pub mod outbox;
pub mod patients;
pub mod practices;
pub mod services;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod two_factor;

pub use engine::{EngineKind, Store, StoreOptions};
pub use error::{StoreError, StoreResult};
pub use time::Timestamp;

/// Runs `$body` with `$c` bound to a read connection of whichever engine the
/// store uses. The body is compiled once per engine.
macro_rules! read {
    ($store:expr, |$c:ident| $body:expr) => {
        match $store.engine() {
            $crate::engine::Engine::Sqlite(e) => {
                let mut conn = e.reader().await?;
                let $c: &mut sqlx::SqliteConnection = &mut *conn;
                let result: $crate::StoreResult<_> = $body;
                result
            }
            $crate::engine::Engine::Postgres(pool) => {
                let mut conn = pool.acquire().await?;
                let $c: &mut sqlx::PgConnection = &mut *conn;
                let result: $crate::StoreResult<_> = $body;
                result
            }
        }
    };
}

/// Runs `$body` inside one write transaction, committed when the body returns
/// `Ok` and rolled back otherwise (also when the caller gives up half way). On
/// SQLite the transaction waits its turn for the single writer connection.
macro_rules! write {
    ($store:expr, |$c:ident| $body:expr) => {
        match $store.engine() {
            $crate::engine::Engine::Sqlite(e) => {
                let mut writer = e.writer().await?;
                let mut tx = $crate::engine::begin_immediate(&mut *writer).await?;
                let result: $crate::StoreResult<_> = async {
                    let $c: &mut sqlx::SqliteConnection = &mut *tx;
                    $body
                }
                .await;
                $crate::engine::finish(tx, result).await
            }
            $crate::engine::Engine::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let result: $crate::StoreResult<_> = async {
                    let $c: &mut sqlx::PgConnection = &mut *tx;
                    $body
                }
                .await;
                $crate::engine::finish(tx, result).await
            }
        }
    };
}

pub(crate) use read;
pub(crate) use write;
