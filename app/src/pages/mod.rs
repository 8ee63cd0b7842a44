//! One module per page (or group of pages). Pages load through server
//! functions in `crate::api` and render with the components in
//! `crate::components`.

mod admin;
mod error;
mod home;
mod setup;

pub use admin::AdminHome;
pub use error::ErrorPage;
pub use home::{HomePage, PracticePage};
pub use setup::{SetupComplete, SetupPage};
