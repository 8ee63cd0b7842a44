//! The demo practice, created by `server seed-demo`.
//!
//! Each feature adds its own module here with an idempotent `ensure` step and
//! one line in [`seed`]: running the seed again tops up what is missing and
//! changes nothing else.

mod messages;
mod patients;
mod practice;
mod prescriptions;
mod proxies;
mod record;
mod register;
mod requests;
mod schedule;
mod staff;

use crate::config::Config;
use crate::ServerError;
use app::server::keys::DataKeys;
use app::server::{Clock, SystemClock};
use chrono::{DateTime, Utc};
use storage::Store;

pub use patients::{
    demo_patients, DEMO_PATIENT_EMAIL, DEMO_PATIENT_PASSWORD, SECOND_PATIENT_EMAIL, SECOND_PATIENT_PASSWORD,
};
pub use practice::DEMO_ODS_CODE;
pub use proxies::DEMO_PROXIES;
pub use staff::{DEMO_STAFF, DEMO_TOTP_SECRET};

/// What a seed run found or added.
#[derive(Debug, Default)]
pub struct SeedReport {
    pub practice_created: bool,
    pub patients_added: u64,
}

/// Creates or tops up the demo practice. Refuses a database that holds any
/// real practice, so demo logins never appear beside real patients.
pub async fn seed(store: &Store, keys: &DataKeys, now: DateTime<Utc>) -> Result<SeedReport, ServerError> {
    let real = store.count_practices(false).await?;
    if real > 0 {
        return Err(ServerError::Refused(format!(
            "this database holds {real} real practice(s); demo data goes only in a database of its own"
        )));
    }
    let (practice, practice_created) = practice::ensure(store, now).await?;
    let admin = staff::ensure(store, keys, practice, now).await?;
    let patients_added = patients::ensure(store, practice, now).await?;
    register::ensure(store, practice, admin, now).await?;
    schedule::ensure(store, practice, now).await?;
    requests::ensure(store, practice, admin, now).await?;
    messages::ensure(store, practice, now).await?;
    prescriptions::ensure(store, practice, now).await?;
    record::ensure(store, practice, admin, now).await?;
    proxies::ensure(store, practice, admin, now).await?;
    Ok(SeedReport { practice_created, patients_added })
}

/// `server seed-demo`.
pub async fn seed_command(config: &Config) -> Result<(), ServerError> {
    let keys = config.data_keys.load().map_err(|e| ServerError::Refused(e.to_string()))?;
    let store = Store::open(&config.database_url).await?;
    let report = seed(&store, &keys, SystemClock.now()).await;
    store.close().await;
    let report = report?;
    println!(
        "Demo practice {DEMO_ODS_CODE} {}; {} patients added.",
        if report.practice_created { "created" } else { "already present" },
        report.patients_added
    );
    Ok(())
}
