//! Proxy access: grants of a login to act for a patient (`grants`), and the
//! practice's settings for them (`settings`), and what the daily job
//! writes (`notices`), and what proxies did for a patient (`activity`). What a grant allows today is
//! `domain::proxy::standing`, from a grant's facts.

mod activity;
mod grants;
mod notices;
mod settings;

pub use activity::*;
pub use grants::*;
pub use notices::*;
pub use settings::*;
