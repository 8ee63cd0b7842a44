//! Practices: the organisations patients register with.

use crate::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A GP practice's Organisation Data Service code: one letter then five digits,
/// such as `Y12345` or `A81001`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OdsCode(String);

impl OdsCode {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let code: String = input.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(Invalid::new("Enter the practice's ODS code"));
        }
        let mut chars = code.chars();
        let letter_first = chars.next().is_some_and(|c| c.is_ascii_uppercase());
        let digits_after = chars.clone().count() == 5 && chars.all(|c| c.is_ascii_digit());
        if !(letter_first && digits_after) {
            return Err(Invalid::new("Enter an ODS code as one letter followed by 5 numbers, like Y12345"));
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OdsCode {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OdsCode> for String {
    fn from(value: OdsCode) -> Self {
        value.0
    }
}

impl fmt::Display for OdsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A practice's name as patients know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PracticeName(String);

impl PracticeName {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(Invalid::new("Enter the practice's name"));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new(format!("The practice's name must be {} characters or fewer", Self::MAX_CHARS)));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PracticeName {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PracticeName> for String {
    fn from(value: PracticeName) -> Self {
        value.0
    }
}

impl fmt::Display for PracticeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a patient sees about a practice before signing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeSummary {
    pub ods_code: OdsCode,
    pub name: PracticeName,
    pub address: String,
    pub phone: String,
    pub website: Option<String>,
    pub online_services_enabled: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ods_code_is_one_letter_and_five_digits_in_any_case() {
        assert_eq!(OdsCode::parse(" y12345 ").unwrap().as_str(), "Y12345");
        assert_eq!(OdsCode::parse("A81001").unwrap().as_str(), "A81001");
    }

    #[test]
    fn malformed_ods_codes_are_refused_with_a_message() {
        for bad in ["", "12345Y", "Y1234", "Y123456", "YY2345", "Y12 45", "Ý12345"] {
            let err = OdsCode::parse(bad).unwrap_err();
            assert!(err.message.contains("ODS code"), "{bad:?} gave {err}");
        }
    }

    #[test]
    fn a_practice_name_has_its_spaces_tidied_and_a_length_limit() {
        assert_eq!(PracticeName::parse("  Riverside   Surgery ").unwrap().as_str(), "Riverside Surgery");
        assert!(PracticeName::parse("   ").is_err());
        assert!(PracticeName::parse(&"a".repeat(121)).is_err());
        assert!(PracticeName::parse(&"a".repeat(120)).is_ok());
    }

    #[test]
    fn ods_codes_refuse_bad_values_when_deserialised() {
        let ok: OdsCode = serde_json::from_str("\"y12345\"").unwrap();
        assert_eq!(ok.as_str(), "Y12345");
        assert!(serde_json::from_str::<OdsCode>("\"nope\"").is_err());
    }
}
