//! Messages between patients and their practice: the practice's settings,
//! categories and red-flag phrases (`settings`), and conversations with their
//! messages (`threads`). The rules are `domain::messages`.

mod settings;
mod threads;

pub use settings::*;
pub use threads::*;
