//! Repeat prescriptions: the practice's ordering rules (`settings`), each
//! patient's repeat medicines and ordering settings (`items`), and their
//! requests with one timeline per item (`requests`). The rules are
//! `domain::prescriptions`.

mod decisions;
mod items;
mod requests;
mod settings;

pub use decisions::*;
pub use items::*;
pub use requests::*;
pub use settings::*;
