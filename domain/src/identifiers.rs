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
        if input.trim().is_empty() {
            return Err(Invalid::new("Enter your NHS number"));
        }
        let digits =
            ten_digits(input).ok_or_else(|| Invalid::new("NHS number must be 10 numbers, like 943 476 5919"))?;
        if !check_digit_holds(&digits) {
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

/// Ten digits typed with or without spaces and hyphens, or `None`.
fn ten_digits(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (digits.len() == 10 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

fn check_digit_holds(digits: &str) -> bool {
    modulus_11_check_digit(&digits[..9]) == Some(digits.as_bytes()[9] - b'0')
}

/// A Community Health Index number (Scotland): ten digits, the first six the
/// date of birth (DDMMYY), the last a Modulus 11 check digit. It can start with
/// 0, so it is text. The ninth digit encodes sex; it is not checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ChiNumber(String);

impl ChiNumber {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        if input.trim().is_empty() {
            return Err(Invalid::new("Enter your CHI number"));
        }
        let digits =
            ten_digits(input).ok_or_else(|| Invalid::new("CHI number must be 10 numbers, like 010190 1234"))?;
        let (day, month, year) = (&digits[0..2], &digits[2..4], &digits[4..6]);
        let real_date = [day, month, year].iter().all(|part| part.parse::<u32>().is_ok())
            // Any century will do: DDMMYY alone cannot tell 1900 from 2000,
            // but 29 February must exist in one of them.
            && [1900, 2000].iter().any(|century: &i32| {
                chrono::NaiveDate::from_ymd_opt(
                    century + year.parse::<i32>().unwrap_or(-1),
                    month.parse().unwrap_or(0),
                    day.parse().unwrap_or(0),
                )
                .is_some()
            });
        if !real_date {
            return Err(Invalid::new("Enter a valid CHI number: the first 6 numbers are your date of birth"));
        }
        if !check_digit_holds(&digits) {
            return Err(Invalid::new("Enter a valid CHI number: check the numbers are right"));
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Health and Care number (Northern Ireland): ten digits with a Modulus 11
/// check digit, stored as text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HcNumber(String);

impl HcNumber {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        if input.trim().is_empty() {
            return Err(Invalid::new("Enter your Health and Care number"));
        }
        let digits = ten_digits(input)
            .ok_or_else(|| Invalid::new("Health and Care number must be 10 numbers, like 320 000 0008"))?;
        if !check_digit_holds(&digits) {
            return Err(Invalid::new("Enter a valid Health and Care number: check the numbers are right"));
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! text_conversions {
    ($($name:ident),*) => {$(
        impl TryFrom<String> for $name {
            type Error = Invalid;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }
        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    )*};
}
text_conversions!(ChiNumber, HcNumber);

/// Which scheme a patient's identifier belongs to. The person (or the
/// practice) says which; it is never guessed from the number's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    /// England, Wales and the Isle of Man.
    Nhs,
    /// Scotland.
    Chi,
    /// Northern Ireland.
    HealthAndCare,
}

impl IdentifierKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nhs => "nhs",
            Self::Chi => "chi",
            Self::HealthAndCare => "health_and_care",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Nhs => "NHS number",
            Self::Chi => "CHI number",
            Self::HealthAndCare => "Health and Care number",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Nhs, Self::Chi, Self::HealthAndCare].into_iter().find(|k| k.as_str() == value)
    }
}

/// A patient identifier of a stated kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PatientIdentifier {
    Nhs(NhsNumber),
    Chi(ChiNumber),
    HealthAndCare(HcNumber),
}

impl PatientIdentifier {
    pub fn parse(kind: IdentifierKind, input: &str) -> Result<Self, Invalid> {
        match kind {
            IdentifierKind::Nhs => NhsNumber::parse(input).map(Self::Nhs),
            IdentifierKind::Chi => ChiNumber::parse(input).map(Self::Chi),
            IdentifierKind::HealthAndCare => HcNumber::parse(input).map(Self::HealthAndCare),
        }
    }

    pub fn kind(&self) -> IdentifierKind {
        match self {
            Self::Nhs(_) => IdentifierKind::Nhs,
            Self::Chi(_) => IdentifierKind::Chi,
            Self::HealthAndCare(_) => IdentifierKind::HealthAndCare,
        }
    }

    /// The digits as stored.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Nhs(n) => n.as_str(),
            Self::Chi(n) => n.as_str(),
            Self::HealthAndCare(n) => n.as_str(),
        }
    }
}

/// The Modulus 11 check digit for nine digits: weights 10 down to 2, and a
/// result of 10 means no valid number starts with these digits.
fn modulus_11_check_digit(first_nine: &str) -> Option<u8> {
    if first_nine.len() != 9 || !first_nine.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first_nine.bytes().zip((2..=10).rev()).map(|(b, weight)| u32::from(b - b'0') * weight).sum();
    match 11 - (sum % 11) {
        11 => Some(0),
        10 => None,
        check => Some(check as u8),
    }
}

text_conversions!(NhsNumber);

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
    fn a_chi_number_starts_with_a_real_date_of_birth_and_ends_with_a_check_digit() {
        // 010190 123 then the Modulus 11 check digit.
        let valid = NhsNumber::from_first_nine("010190123").unwrap();
        assert_eq!(ChiNumber::parse(&valid.to_string()).unwrap().as_str(), valid.as_str());
        assert!(ChiNumber::parse(valid.as_str()).unwrap().as_str().starts_with('0'), "kept as text, leading 0 and all");
        let wrong_check = format!("{}{}", &valid.as_str()[..9], (valid.as_str().as_bytes()[9] - b'0' + 1) % 10);
        assert!(ChiNumber::parse(&wrong_check).unwrap_err().message.contains("check the numbers"));
    }

    #[test]
    fn a_chi_number_whose_first_six_digits_are_not_a_date_is_invalid() {
        for not_a_date in ["320190123", "011390123", "000190123", "300290123"] {
            let number = (0..10)
                .map(|last| format!("{not_a_date}{last}"))
                .find(|n| check_digit_holds(n))
                .unwrap_or_else(|| format!("{not_a_date}0"));
            let err = ChiNumber::parse(&number).unwrap_err();
            assert!(err.message.contains("date of birth"), "{number}: {err}");
        }
        // 29 February 2000 existed; 290201 (2001 and 1901) did not.
        let leap = NhsNumber::from_first_nine("290200123").unwrap();
        assert!(ChiNumber::parse(leap.as_str()).is_ok());
    }

    #[test]
    fn a_health_and_care_number_has_a_modulus_11_check_digit() {
        let valid = NhsNumber::from_first_nine("320000000").unwrap();
        assert!(HcNumber::parse(valid.as_str()).is_ok());
        let wrong_check = format!("{}{}", &valid.as_str()[..9], (valid.as_str().as_bytes()[9] - b'0' + 1) % 10);
        assert!(HcNumber::parse(&wrong_check).unwrap_err().message.contains("check the numbers"));
        assert!(HcNumber::parse("32000").unwrap_err().message.contains("10 numbers"));
        assert_eq!(HcNumber::parse(" ").unwrap_err().message, "Enter your Health and Care number");
    }

    #[test]
    fn the_kind_is_stated_never_guessed_from_the_range() {
        // A never-issued 999 number is a fine test NHS number, and parses as
        // whichever kind the person chose as long as that kind's rules hold.
        let number = "9990000026";
        assert!(NhsNumber::parse(number).is_ok());
        let as_nhs = PatientIdentifier::parse(IdentifierKind::Nhs, number).unwrap();
        assert_eq!(as_nhs.kind(), IdentifierKind::Nhs);
        let as_hc = PatientIdentifier::parse(IdentifierKind::HealthAndCare, number).unwrap();
        assert_eq!(as_hc.kind(), IdentifierKind::HealthAndCare);
        assert!(PatientIdentifier::parse(IdentifierKind::Chi, number).is_err(), "99/90/00 is not a date");
        for kind in [IdentifierKind::Nhs, IdentifierKind::Chi, IdentifierKind::HealthAndCare] {
            assert_eq!(IdentifierKind::parse(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn numbers_built_from_nine_digits_parse() {
        let built = (0..200).filter_map(|n| NhsNumber::from_first_nine(&format!("999{:06}", n))).collect::<Vec<_>>();
        assert!(built.len() > 150, "most prefixes have a check digit");
        for number in built {
            assert_eq!(NhsNumber::parse(number.as_str()).unwrap(), number);
        }
    }
}
