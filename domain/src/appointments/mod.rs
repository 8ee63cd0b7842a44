//! Appointments: what a practice offers online, and whether a slot can be
//! booked or an appointment cancelled, by whom, and when.
//!
//! [`check_booking`] is the one rule. The server runs it inside the booking
//! transaction, and the patient's list of slots is filtered by it, so a slot a
//! patient is shown is a slot they may book.

mod booking;
mod offer;
#[cfg(test)]
mod tests;
mod times;

pub use booking::*;
pub use offer::*;
pub use times::*;

use crate::actor::id_type;
use crate::time::to_london;
use chrono::{DateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

id_type!(
    /// Someone patients see: a GP, nurse, pharmacist…
    ClinicianId
);

id_type!(
    /// A kind of appointment, such as "Asthma review with the practice nurse".
    SlotTypeId
);

id_type!(
    /// A kind of session, such as "Morning surgery".
    SessionTypeId
);

id_type!(
    /// A block of one clinician's time on one day, made of slots.
    ClinicSessionId
);

id_type!(
    /// One bookable time in a session.
    SlotId
);

id_type!(
    /// A booking of a slot by or for a patient.
    AppointmentId
);

id_type!(
    /// A weekly pattern that generates sessions.
    RotaId
);

/// Declares a closed set of values with a stored name and a label for people.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $stored:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value stored in the database and sent by forms.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $stored),+ }
            }

            /// The name shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(value: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value)
            }
        }
    };
}

pub(crate) use labelled_enum;

labelled_enum!(
    /// What a clinician does, as patients know it.
    ClinicianRole {
        Gp => "gp", "GP";
        Nurse => "nurse", "Practice nurse";
        Hca => "hca", "Healthcare assistant";
        Pharmacist => "pharmacist", "Pharmacist";
        Physiotherapist => "physiotherapist", "Physiotherapist";
        Other => "other", "Other";
    }
);

labelled_enum!(
    /// How the appointment happens.
    Channel {
        InPerson => "in_person", "In person";
        Telephone => "telephone", "Telephone call";
        Video => "video", "Video call";
    }
);

labelled_enum!(
    /// Routine appointments can be booked ahead; same-day ones are for today's needs.
    Category {
        Routine => "routine", "Routine";
        SameDay => "same_day", "Same day or urgent";
    }
);

labelled_enum!(
    /// Through which route a booking or cancellation was made.
    Route {
        Online => "online", "Online";
        Telephone => "telephone", "By telephone";
        InPerson => "in_person", "In person at the surgery";
    }
);

labelled_enum!(
    /// Part of the day, for patients filtering slots.
    TimeOfDay {
        Morning => "morning", "Morning (before 12pm)";
        Afternoon => "afternoon", "Afternoon (12pm to 5pm)";
        Evening => "evening", "Evening (after 5pm)";
    }
);

impl TimeOfDay {
    /// The part of the London day an instant falls in.
    pub fn of(at: DateTime<Utc>) -> Self {
        match to_london(at).hour() {
            0..=11 => Self::Morning,
            12..=16 => Self::Afternoon,
            _ => Self::Evening,
        }
    }
}

/// A patient-facing name that tells a patient nothing (seed 000: supplier
/// systems show patients "Session" and "Slot").
pub fn generic_name_warning(patient_name: &str) -> Option<String> {
    const GENERIC: [&str; 10] =
        ["slot", "session", "appointment", "appt", "booking", "routine", "clinic", "general", "gp", "book on the day"];
    let name = patient_name.trim().to_lowercase();
    let generic = name.len() < 6 || GENERIC.iter().any(|g| name == *g || name == format!("{g}s"));
    generic.then(|| {
        format!(
            "Patients will see \"{}\", which does not tell them what the appointment is for or who it is with. \
             Give it a plain name such as \"Asthma review with the practice nurse, 20 minutes\".",
            patient_name.trim()
        )
    })
}

/// What staff may set on the book and its rules. The forms check against
/// these and say them in their messages.
pub mod limits {
    use std::ops::RangeInclusive;

    /// The length of an appointment type's slots, in minutes.
    pub const SLOT_MINUTES: RangeInclusive<u32> = 5..=240;
    /// Weeks of sessions made from the rotas at a time.
    pub const ROTA_WEEKS: RangeInclusive<u32> = 1..=8;
    /// How many days ahead patients can book.
    pub const HORIZON_DAYS: RangeInclusive<u32> = 1..=365;
    /// The notice needed and the cancellation cut-off, in hours (two weeks at most).
    pub const HOURS: RangeInclusive<f64> = 0.0..=336.0;
    /// The most appointments one patient holds online.
    pub const MAX_FUTURE: RangeInclusive<u32> = 1..=50;
    /// The youngest age that books online.
    pub const MIN_AGE: RangeInclusive<u32> = 1..=25;
    /// How many days before its time a held-back slot is released.
    pub const RELEASE_DAYS: RangeInclusive<u32> = 0..=90;
    /// A limit on one type: how many appointments, within how many days.
    pub const CAP_COUNT: RangeInclusive<u32> = 1..=50;
    pub const CAP_DAYS: RangeInclusive<u32> = 1..=365;
}
