//! The one error type. Every failure a person can meet becomes one of these,
//! with one HTTP status and one message worded for them. Internal details are
//! logged on the server and never shown.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

pub type AppResult<T> = Result<T, AppError>;

/// A message about one field of a form, with the field's id so the error
/// summary can link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Something typed was refused; each entry names its field.
    #[error("There is a problem")]
    Invalid(Vec<FieldError>),
    #[error("You need to sign in to see this page")]
    SignInRequired,
    #[error("You do not have permission to see this page")]
    Forbidden,
    /// Not allowed, with why in plain words (a proxy past an age threshold,
    /// say).
    #[error("{0}")]
    Refused(String),
    #[error("Page not found")]
    NotFound,
    /// The request clashes with the current state; the message says how.
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts; the message says when to try again.
    #[error("{0}")]
    TooManyRequests(String),
    /// The service could not take the request in time (a queue was full or
    /// too slow); trying again shortly may work.
    #[error("Sorry, the service is busy. Try again in a moment")]
    Busy,
    #[error("Sorry, there is a problem with the service. Try again later")]
    Internal,
}

/// Collects what is wrong with a form, field by field, so a person sees every
/// problem at once rather than one per attempt.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.to_owned(), message: message.into() });
    }

    /// Records the message of a refused value under `field`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, domain::Invalid>) -> Option<T> {
        result.map_err(|e| self.add(field, e.message)).ok()
    }

    /// Checks a new password typed into `field` and its confirmation (the
    /// `confirm_password` field), putting each problem under its own field.
    pub fn check_new_password(&mut self, field: &str, password: &str, confirmation: &str) {
        use domain::password::{check_new_password, NewPasswordError};
        match check_new_password(password, confirmation) {
            Ok(()) => {}
            Err(NewPasswordError::Password(e)) => self.add(field, e.message),
            Err(NewPasswordError::Confirmation(e)) => self.add("confirm_password", e.message),
        }
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError { field: field.to_owned(), message: message.into() }])
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::SignInRequired => 401,
            AppError::Forbidden | AppError::Refused(_) => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::TooManyRequests(_) => 429,
            AppError::Busy => 503,
            AppError::Internal => 500,
        }
    }

    /// The messages for each field, for forms.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Invalid(errors) => errors,
            _ => &[],
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not decode are the caller's fault, not ours.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::invalid("form", "The form was incomplete. Check your answers and try again")
            }
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use storage::StoreError;

    /// A mapping and nothing else: storage logged its failures where they
    /// happened, with the operation and ids (`storage::db`).
    impl From<StoreError> for AppError {
        fn from(error: StoreError) -> Self {
            match error {
                StoreError::NotFound => AppError::NotFound,
                StoreError::Rule(message) => AppError::Conflict(message.into()),
                StoreError::Busy(_) => AppError::Busy,
                _ => AppError::Internal,
            }
        }
    }

    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            let status = http::StatusCode::from_u16(self.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            (status, self.to_string()).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_maps_to_its_own_status() {
        let statuses: Vec<u16> = [
            AppError::invalid("x", "y"),
            AppError::SignInRequired,
            AppError::Forbidden,
            AppError::Refused("not for them".into()),
            AppError::NotFound,
            AppError::Conflict("taken".into()),
            AppError::TooManyRequests("later".into()),
            AppError::Busy,
            AppError::Internal,
        ]
        .iter()
        .map(AppError::status)
        .collect();
        assert_eq!(statuses, vec![422, 401, 403, 403, 404, 409, 429, 503, 500]);
    }

    #[test]
    fn an_internal_error_says_nothing_about_its_cause() {
        let message = AppError::from_server_fn_error(ServerFnErrorErr::ServerError("db exploded".into())).to_string();
        assert!(!message.contains("db"));
    }
}
