//! The one storage seam: every read and write of GP Online goes through [`Store`].
//!
//! Two engines sit behind it. SQLite is the embedded default: one file, WAL,
//! and every write transaction queued on one writer connection beside a pool
//! of readers. PostgreSQL serves deployments with several app servers on one
//! database. Queries are written once (`db.rs`): a write is a transaction
//! begun with `Store::begin` and kept by `commit`, each value is bound to
//! whichever engine runs it, and [`Timestamp`] stores an instant as INTEGER
//! milliseconds on SQLite and `timestamptz` on PostgreSQL.
//!
//! Every table carries `practice_id`, and every query that touches practice
//! data filters by it.

mod db;
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
pub mod measures;
pub mod messages;
pub mod online_accounts;
pub mod outbox;
pub mod patients;
pub mod practices;
pub mod prescriptions;
pub mod problems;
pub mod proxies;
pub mod record;
pub mod services;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod two_factor;

pub use engine::{EngineKind, Store, StoreOptions};
pub use error::{StoreError, StoreResult};
pub use time::Timestamp;
