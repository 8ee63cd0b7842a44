//! Server functions: the browser's way in. Each is thin: build the context,
//! load, ask the domain, write, and answer with wire types (never rows).
//! Every one has a fixed, readable endpoint under `/api/`.

pub mod access_requests;
pub mod account;
pub mod admin;
pub mod appointments;
pub mod auth;
pub mod booking_rules;
pub mod consider_access;
pub mod dashboard;
pub mod finder;
pub mod give_access;
pub mod inbox;
pub mod message_settings;
pub mod messages;
pub mod online_accounts;
pub mod password_reset;
pub mod patient_home;
pub mod patient_prescribing;
pub mod patient_sharing;
pub mod patients;
pub mod people;
pub mod practices;
pub mod prescription_queue;
pub mod prescription_settings;
pub mod prescriptions;
pub mod problems;
pub mod proxies;
pub mod proxy_settings;
pub mod reception;
pub mod record;
pub mod record_import;
pub mod schedule;
pub mod settings;
pub mod setup;
pub mod staff;
pub mod staff_record;
pub mod two_factor;
