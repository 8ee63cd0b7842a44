//! Repeat prescriptions: the practice's ordering rules (`settings`), each
//! patient's repeat medicines and ordering settings (`items`), and their
//! requests with one timeline per item (`requests`), what staff do with them
//! (`decisions`) and their messages to the patient about one (`questions`). The rules are
//! `domain::prescriptions`.

mod decisions;
mod items;
mod questions;
mod requests;
mod settings;

pub use decisions::*;
pub use items::*;
pub use questions::*;
pub use requests::*;
pub use settings::*;
