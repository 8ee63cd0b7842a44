//! The domain core of GP Online.
//!
//! Every rule lives here as a plain function over plain types. Nothing in this
//! crate reads a clock, a file or a database: the caller passes the current time
//! in, which is what lets the same rule run in the browser, on the server and in
//! tests that move time.

pub mod access_request;
pub mod actor;
pub mod age;
pub mod appointments;
pub mod email;
pub mod identifiers;
pub mod live;
pub mod mail;
pub mod measures;
pub mod messages;
pub mod online_account;
pub mod password;
pub mod policy;
pub mod practice;
pub mod prescriptions;
pub mod problems;
pub mod proxy;
pub mod record;
pub mod register_import;
pub mod services;
pub mod session;
pub mod throttle;
pub mod time;
pub mod totp;

pub use actor::{Actor, LoginId, PatientId, PracticeId, StaffChange, StaffRole};
pub use email::Email;
pub use identifiers::{ChiNumber, HcNumber, IdentifierKind, NhsNumber, PatientIdentifier};
pub use practice::{OdsCode, PracticeName};

/// A reason a value typed by a person was refused, worded for that person.
///
/// Every parser in the domain returns this, so a form can show the message next
/// to the field it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[error("{message}")]
pub struct Invalid {
    pub message: String,
}

impl Invalid {
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }
}
