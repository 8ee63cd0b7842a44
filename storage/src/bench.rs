//! What the rush benchmark (`make bench-rush`, the `server bench-*` commands)
//! needs beyond the app's own queries: many patient logins at once, the
//! integrity check after the rush, and the engine's raw rate of committed
//! single-row inserts that the booking rate is compared with.

use crate::db::{query, query_as, query_scalar};
use crate::{EngineKind, Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::PracticeId;
use std::time::{Duration, Instant};

/// What the database holds after the rush.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingIntegrity {
    /// Appointments booked (not cancelled) at the practice.
    pub booked: i64,
    /// Slots holding more than one booked appointment.
    pub double_booked_slots: i64,
    /// Patients holding more booked appointments than `cap`.
    pub cap_overruns: i64,
}

/// Committed single-row insert transactions in a timed run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawInserts {
    pub inserts: u64,
    pub elapsed: Duration,
}

impl RawInserts {
    pub fn per_second(&self) -> f64 {
        self.inserts as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

/// The scratch table the raw inserts go into; dropped at the end of the run.
const RAW_TABLE_SQLITE: &str = "CREATE TABLE IF NOT EXISTS bench_raw_insert \
    (id INTEGER PRIMARY KEY, payload TEXT NOT NULL, at INTEGER NOT NULL)";
const RAW_TABLE_POSTGRES: &str = "CREATE TABLE IF NOT EXISTS bench_raw_insert \
    (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload TEXT NOT NULL, at TIMESTAMPTZ NOT NULL)";

impl Store {
    /// Moves every session of the practice back in time by `by`, as if each
    /// patient signed in and was last seen that long ago. Returns how many.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn bench_age_sessions(&self, practice: PracticeId, by: chrono::TimeDelta) -> StoreResult<u64> {
        let millis = by.num_milliseconds();
        let mut tx = self.begin().await?;
        let sessions: Vec<(i64, Timestamp, Timestamp)> =
            query_as("SELECT id, created_at, last_seen_at FROM session WHERE practice_id = $1")
                .bind(practice.0)
                .fetch_all(&mut tx)
                .await?;
        for (id, created, seen) in &sessions {
            let back = |t: &Timestamp| Timestamp(t.0 - chrono::TimeDelta::milliseconds(millis));
            query("UPDATE session SET created_at = $1, last_seen_at = $2 WHERE id = $3")
                .bind(back(created))
                .bind(back(seen))
                .bind(*id)
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(sessions.len() as u64)
    }

    /// Gives each patient, found by identifier, a login with its email and one
    /// shared password hash, all in one transaction (one per patient would
    /// cost a commit each). Returns how many logins were made.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn bench_add_patient_logins(
        &self,
        practice: PracticeId,
        logins: &[(String, String)],
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        let mut made = 0;
        for (identifier, email) in logins {
            made += query(
                "INSERT INTO login (practice_id, email, password_hash, display_name, created_at, patient_id) \
                 SELECT practice_id, $1, $2, given_name || ' ' || family_name, $3, id FROM patient \
                 WHERE practice_id = $4 AND identifier = $5",
            )
            .bind(email)
            .bind(password_hash)
            .bind(Timestamp(now))
            .bind(practice.0)
            .bind(identifier)
            .execute(&mut tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(made)
    }

    /// Counts what must never happen, straight from the tables: slots with
    /// more than one booked appointment, and patients holding more than `cap`.
    pub async fn bench_booking_integrity(&self, practice: PracticeId, cap: u32) -> StoreResult<BookingIntegrity> {
        let mut db = self.reader().await?;
        let booked: i64 = query_scalar("SELECT COUNT(*) FROM appointment WHERE practice_id = $1 AND status = 'booked'")
            .bind(practice.0)
            .fetch_one(&mut db)
            .await?;
        let double_booked_slots: i64 = query_scalar(
            "SELECT COUNT(*) FROM (SELECT slot_id FROM appointment WHERE practice_id = $1 AND status = 'booked' \
             GROUP BY slot_id HAVING COUNT(*) > 1) AS doubled",
        )
        .bind(practice.0)
        .fetch_one(&mut db)
        .await?;
        let cap_overruns: i64 = query_scalar(
            "SELECT COUNT(*) FROM (SELECT patient_id FROM appointment WHERE practice_id = $1 AND status = 'booked' \
             GROUP BY patient_id HAVING COUNT(*) > $2) AS over",
        )
        .bind(practice.0)
        .bind(i64::from(cap))
        .fetch_one(&mut db)
        .await?;
        Ok(BookingIntegrity { booked, double_booked_slots, cap_overruns })
    }

    /// Runs `concurrency` workers for `duration`, each committing one
    /// single-row insert transaction after another through the same path as
    /// every write of the app (`Store::begin`: the one writer connection on SQLite,
    /// the pool on PostgreSQL), into a scratch table dropped afterwards.
    #[tracing::instrument(skip_all)]
    pub async fn bench_raw_inserts(&self, duration: Duration, concurrency: usize) -> StoreResult<RawInserts> {
        let ddl = match self.kind() {
            EngineKind::Sqlite => RAW_TABLE_SQLITE,
            EngineKind::Postgres => RAW_TABLE_POSTGRES,
        };
        let mut tx = self.begin().await?;
        query(ddl).execute(&mut tx).await?;
        tx.commit().await?;
        let start = Instant::now();
        let deadline = start + duration;
        let workers: Vec<_> = (0..concurrency.max(1))
            .map(|worker| {
                let store = self.clone();
                tokio::spawn(async move {
                    let mut done = 0u64;
                    while Instant::now() < deadline {
                        store.bench_raw_insert(worker, done).await?;
                        done += 1;
                    }
                    Ok::<u64, StoreError>(done)
                })
            })
            .collect();
        let mut inserts = 0;
        let mut failed = None;
        for worker in workers {
            match worker.await {
                Ok(Ok(done)) => inserts += done,
                Ok(Err(error)) => failed = Some(error),
                Err(join) => failed = Some(StoreError::Setup(format!("an insert worker stopped: {join}"))),
            }
        }
        let elapsed = start.elapsed();
        // The table goes whether or not a worker failed.
        let dropped = self.drop_bench_table().await;
        if let Some(error) = failed {
            return Err(error);
        }
        dropped?;
        Ok(RawInserts { inserts, elapsed })
    }

    async fn drop_bench_table(&self) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query("DROP TABLE IF EXISTS bench_raw_insert").execute(&mut tx).await?;
        tx.commit().await
    }

    async fn bench_raw_insert(&self, worker: usize, n: u64) -> StoreResult<()> {
        // About the size of an appointment row.
        let payload = format!("worker {worker:03} insert {n:09} {}", "x".repeat(64));
        let mut tx = self.begin().await?;
        query("INSERT INTO bench_raw_insert (payload, at) VALUES ($1, $2)")
            .bind(&payload)
            .bind(Timestamp(Utc::now()))
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
