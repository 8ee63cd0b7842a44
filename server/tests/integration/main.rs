//! The integration tests: each starts the real app on a random port with a
//! fresh database of its own, on SQLite and PostgreSQL (`on_both_engines!`).
//! They are one test binary, one module per area: the app is linked once
//! rather than once per file, which saves minutes and gigabytes.

#[macro_use]
mod common;

mod access_requests;
mod appointments;
mod audit;
mod booking_guarantees;
mod consider_access;
mod csrf;
mod dashboard;
mod demo_seed;
mod forms;
mod give_access;
mod live_updates;
mod logs;
mod measures;
mod message_pages;
mod messages;
mod online_accounts;
mod outbox;
mod pages;
mod patients;
mod policy_matrix;
mod prescription_follow_up;
mod prescription_pages;
mod prescriptions;
mod problems;
mod proxies;
mod proxy_acting;
mod proxy_invitation;
mod proxy_job;
mod record_import;
mod record_pages;
mod record_repeats;
mod record_sharing;
mod route_list;
mod sessions;
mod setup_link;
mod sign_in_hardening;
mod static_files;
mod store;
