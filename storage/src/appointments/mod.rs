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

use chrono::{NaiveTime, Timelike};

/// Minutes since midnight, as rotas store a time of day.
fn minute_of(time: NaiveTime) -> i32 {
    (time.hour() * 60 + time.minute()) as i32
}
