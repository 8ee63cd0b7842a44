//! Pieces every page shares.

mod error_summary;
mod layout;

pub use error_summary::{ErrorMessage, ErrorSummary};
pub use layout::Layout;
