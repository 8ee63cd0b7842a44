//! Rules for the passwords people choose.

use crate::Invalid;

pub const MIN_CHARS: usize = 10;
pub const MAX_CHARS: usize = 128;

/// Which of the two fields a refused new password is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewPasswordError {
    /// The password itself is refused.
    Password(Invalid),
    /// The password is fine but the confirmation does not match it.
    Confirmation(Invalid),
}

impl NewPasswordError {
    pub fn message(&self) -> &str {
        match self {
            Self::Password(invalid) | Self::Confirmation(invalid) => &invalid.message,
        }
    }
}

/// Checks a newly chosen password: long enough to resist guessing, short
/// enough to hash cheaply, and no composition rules (they make passwords
/// harder to remember, not harder to guess).
pub fn check_new_password(password: &str, confirmation: &str) -> Result<(), NewPasswordError> {
    let refuse = |message: String| Err(NewPasswordError::Password(Invalid::new(message)));
    let chars = password.chars().count();
    if chars == 0 {
        return refuse("Enter a password".into());
    }
    if chars < MIN_CHARS {
        return refuse(format!("Password must be {MIN_CHARS} characters or more"));
    }
    if chars > MAX_CHARS {
        return refuse(format!("Password must be {MAX_CHARS} characters or fewer"));
    }
    if password != confirmation {
        return Err(NewPasswordError::Confirmation(Invalid::new("The passwords do not match")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_needs_between_ten_and_128_characters() {
        assert!(check_new_password("123456789", "123456789").is_err());
        assert!(check_new_password("correct horse", "correct horse").is_ok());
        let long = "x".repeat(129);
        assert!(check_new_password(&long, &long).unwrap_err().message().contains("128"));
    }

    #[test]
    fn characters_are_counted_not_bytes() {
        let ten_accented = "é".repeat(10);
        assert!(check_new_password(&ten_accented, &ten_accented).is_ok());
    }

    #[test]
    fn the_confirmation_must_match() {
        assert_eq!(
            check_new_password("correct horse", "correct horsf"),
            Err(NewPasswordError::Confirmation(Invalid::new("The passwords do not match")))
        );
    }
}
