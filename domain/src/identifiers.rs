//! Patient identifiers.

use crate::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An NHS number (England, Wales and the Isle of Man): ten digits, the last a
/// Modulus 11 check digit. Stored as text, shown as `943 476 5919`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NhsNumber(String);

impl NhsNumber {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.is_empty() {
            return Err(Invalid::new("Enter your NHS number"));
        }
        if digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(Invalid::new("NHS number must be 10 numbers, like 943 476 5919"));
        }
        if modulus_11_check_digit(&digits[..9]) != Some(digits.as_bytes()[9] - b'0') {
            return Err(Invalid::new("Enter a valid NHS number: check the numbers are right"));
        }
        Ok(Self(digits))
    }

    /// The ten digits with no spaces, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Builds a valid number from nine leading digits by appending the check
    /// digit, or `None` when those digits can have no valid check digit.
    pub fn from_first_nine(first_nine: &str) -> Option<Self> {
        let check = modulus_11_check_digit(first_nine)?;
        Some(Self(format!("{first_nine}{check}")))
    }
}

/// The Modulus 11 check digit for nine digits: weights 10 down to 2, and a
/// result of 10 means no valid number starts with these digits.
fn modulus_11_check_digit(first_nine: &str) -> Option<u8> {
    if first_nine.len() != 9 || !first_nine.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first_nine
        .bytes()
        .zip((2..=10).rev())
        .map(|(b, weight)| u32::from(b - b'0') * weight)
        .sum();
    match 11 - (sum % 11) {
        11 => Some(0),
        10 => None,
        check => Some(check as u8),
    }
}

impl TryFrom<String> for NhsNumber {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<NhsNumber> for String {
    fn from(value: NhsNumber) -> Self {
        value.0
    }
}

impl fmt::Display for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_nhs_number_parses_with_or_without_spaces() {
        assert_eq!(NhsNumber::parse("943 476 5919").unwrap().as_str(), "9434765919");
        assert_eq!(NhsNumber::parse("943-476-5919").unwrap().to_string(), "943 476 5919");
    }

    #[test]
    fn a_wrong_check_digit_is_refused() {
        let err = NhsNumber::parse("943 476 5918").unwrap_err();
        assert!(err.message.contains("valid NHS number"));
    }

    #[test]
    fn nine_digits_whose_check_digit_computes_to_ten_make_no_valid_number() {
        // 1,0,0,0,0,0,0,0,1 weighted: 10 + 2 = 12; 12 mod 11 = 1; 11 - 1 = 10.
        assert_eq!(modulus_11_check_digit("100000001"), None);
        for last in 0..=9 {
            assert!(NhsNumber::parse(&format!("100000001{last}")).is_err());
        }
    }

    #[test]
    fn a_check_digit_of_eleven_becomes_zero() {
        // 9 * 10 + 0... chosen so the weighted sum is a multiple of 11.
        assert_eq!(modulus_11_check_digit("000000000"), Some(0));
        assert!(NhsNumber::parse("0000000000").is_ok());
    }

    #[test]
    fn wrong_lengths_and_letters_are_refused() {
        for bad in ["943476591", "94347659190", "94347659A9", ""] {
            assert!(NhsNumber::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn numbers_built_from_nine_digits_parse() {
        let built = (0..200)
            .filter_map(|n| NhsNumber::from_first_nine(&format!("999{:06}", n)))
            .collect::<Vec<_>>();
        assert!(built.len() > 150, "most prefixes have a check digit");
        for number in built {
            assert_eq!(NhsNumber::parse(number.as_str()).unwrap(), number);
        }
    }
}
