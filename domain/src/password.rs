//! Rules for the passwords people choose.

use crate::Invalid;

pub const MIN_CHARS: usize = 10;
pub const MAX_CHARS: usize = 128;

/// Checks a newly chosen password: long enough to resist guessing, short
/// enough to hash cheaply, and no composition rules (they make passwords
/// harder to remember, not harder to guess).
pub fn check_new_password(password: &str, confirmation: &str) -> Result<(), Invalid> {
    let chars = password.chars().count();
    if chars == 0 {
        return Err(Invalid::new("Enter a password"));
    }
    if chars < MIN_CHARS {
        return Err(Invalid::new(format!("Password must be {MIN_CHARS} characters or more")));
    }
    if chars > MAX_CHARS {
        return Err(Invalid::new(format!("Password must be {MAX_CHARS} characters or fewer")));
    }
    if password != confirmation {
        return Err(Invalid::new("The passwords do not match"));
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
        assert!(check_new_password(&long, &long).unwrap_err().message.contains("128"));
    }

    #[test]
    fn characters_are_counted_not_bytes() {
        let ten_accented = "é".repeat(10);
        assert!(check_new_password(&ten_accented, &ten_accented).is_ok());
    }

    #[test]
    fn the_confirmation_must_match() {
        assert_eq!(
            check_new_password("correct horse", "correct horsf").unwrap_err().message,
            "The passwords do not match"
        );
    }
}
