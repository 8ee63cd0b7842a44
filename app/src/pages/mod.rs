//! One module per page (or group of pages). Pages load through server
//! functions in `crate::api` and render with the components in
//! `crate::components`.

mod account;
mod admin;
mod error;
mod home;
mod register;
mod setup;
mod sign_in;

pub use account::{AccountPage, ChangePasswordPage};
pub use admin::{AdminHome, AuditPage, OutboxPage, SessionsPage};
pub use sign_in::SignInPage;
pub use error::ErrorPage;
pub use home::{HomePage, PracticePage};
pub use register::RegisterPage;
pub use setup::{SetupComplete, SetupPage};
