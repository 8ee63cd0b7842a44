//! The appointment book: clinicians, session and slot types, rotas, sessions,
//! slots and bookings, and the practice's rules for booking online.
//!
//! Booking is one transaction that checks and writes: it takes the patient's
//! booking lock (a row-independent advisory lock on PostgreSQL; the writer
//! queue on SQLite), reads the slot, the patient's appointments and the rules,
//! runs [`domain::appointments::check_booking`], and inserts. The partial
//! unique index `appointment_one_active_per_slot` is the last word on double
//! booking, whatever route a booking takes.

mod appointment_types;
mod booking_rules;
mod bookings;
mod clinic_sessions;
mod clinicians;
mod rotas;
mod session_types;
mod slots;

pub use appointment_types::*;
pub use bookings::*;
pub use clinic_sessions::*;
pub use clinicians::*;
pub use rotas::*;
pub use session_types::*;
pub use slots::*;

use crate::db::{query, query_scalar, Tx};
use crate::{StoreError, StoreResult, Timestamp};
use chrono::{DateTime, NaiveTime, Timelike, Utc};
use domain::PracticeId;

/// Minutes since midnight, as rotas store a time of day.
fn minute_of(time: NaiveTime) -> i32 {
    (time.hour() * 60 + time.minute()) as i32
}

/// Marks one of the practice's clinic sessions or slots (`table`) cancelled.
/// One already cancelled is refused with `already`; one that is not the
/// practice's is not found.
async fn mark_cancelled(
    tx: &mut Tx,
    table: &'static str,
    practice: PracticeId,
    id: i64,
    now: DateTime<Utc>,
    already: &'static str,
) -> StoreResult<()> {
    let updated = query(format!(
        "UPDATE {table} SET cancelled_at = $1 WHERE id = $2 AND practice_id = $3 AND cancelled_at IS NULL"
    ))
    .bind(Timestamp(now))
    .bind(id)
    .bind(practice.0)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 1 {
        return Ok(());
    }
    let exists: Option<i64> = query_scalar(format!("SELECT id FROM {table} WHERE id = $1 AND practice_id = $2"))
        .bind(id)
        .bind(practice.0)
        .fetch_optional(tx)
        .await?;
    Err(if exists.is_some() { StoreError::Rule(already) } else { StoreError::NotFound })
}
