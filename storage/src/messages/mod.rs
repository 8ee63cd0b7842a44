//! Messages between patients and their practice: the practice's settings,
//! categories and red-flag phrases (`settings`), and conversations with their
//! messages (`threads`). The rules are `domain::messages`.

mod inbox;
mod settings;
mod threads;

pub use inbox::*;
pub use settings::*;
pub use threads::*;
