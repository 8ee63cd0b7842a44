//! Pieces every page shares.

mod error_summary;
pub mod form;
mod layout;
pub mod live;
pub mod live_messages;
pub mod live_requests;
mod params;
mod summary;

pub use error_summary::ErrorSummary;
pub use form::{
    submitted_form, CheckboxField, FormState, InputField, NewPasswordFields, PostForm, RadioField, SubmittedForm,
    TextareaField,
};
pub use layout::Layout;
pub use live::LiveSlotList;
pub use live_messages::LiveMessages;
pub use live_requests::LiveRequests;
pub use params::{id_param, saved_param};
pub use summary::{summary_row, table_head};
