//! Email addresses.

use crate::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An email address in a form mail can be sent to. The domain part is
/// lower-cased so one address is stored one way; the local part is kept as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub const MAX_CHARS: usize = 254;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let value = input.trim();
        if value.is_empty() {
            return Err(Invalid::new("Enter an email address"));
        }
        if value.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new("Email address must be 254 characters or fewer"));
        }
        let format = || Invalid::new("Enter an email address in the correct format, like name@example.com");
        let (local, host) = value.rsplit_once('@').ok_or_else(format)?;
        let host_ok = host.contains('.')
            && !host.starts_with('.')
            && !host.ends_with('.')
            && !host.contains("..")
            && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local.chars().any(|c| c.is_whitespace() || c.is_control());
        if !(host_ok && local_ok) {
            return Err(format());
        }
        Ok(Self(format!("{local}@{}", host.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_keeps_its_local_part_and_lowercases_its_domain() {
        assert_eq!(Email::parse(" Jo.Bloggs@Example.NHS.uk ").unwrap().as_str(), "Jo.Bloggs@example.nhs.uk");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "jo",
            "jo@",
            "@example.com",
            "jo@example",
            "jo@@example.com",
            "jo bloggs@example.com",
            "jo@exa mple.com",
            "jo@.example.com",
            "jo@example..com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn an_empty_email_asks_for_one() {
        assert_eq!(Email::parse("  ").unwrap_err().message, "Enter an email address");
    }
}
