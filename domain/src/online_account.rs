//! Online accounts: the account ID and linkage key printed on a patient's
//! registration letter, and the checks staff record before issuing one.
//!
//! A letter is handed over after staff have seen who the patient is. The
//! patient then activates the account with the practice's ODS code, the
//! account ID, the linkage key and their date of birth, and chooses their
//! email and password. A key works once, for [`KEY_VALID_DAYS`] days.

use crate::Invalid;
use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How long a registration letter's linkage key works.
pub const KEY_VALID_DAYS: i64 = 28;

pub fn key_lifetime() -> TimeDelta {
    TimeDelta::days(KEY_VALID_DAYS)
}

/// How long a patient who declined online access at the desk is left off the
/// "Consider online access" list before staff are prompted to ask again.
pub const DECLINED_OFFER_DAYS: i64 = 365;

pub fn declined_offer_lasts() -> TimeDelta {
    TimeDelta::days(DECLINED_OFFER_DAYS)
}

/// Crockford's base 32: digits and capitals without I, L, O and U, so what is
/// printed cannot be misread.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A linkage key: 16 symbols of base 32 (80 random bits), printed in groups
/// of four.
#[derive(Clone, PartialEq, Eq)]
pub struct LinkageKey(String);

impl LinkageKey {
    pub const SYMBOLS: usize = 16;

    /// A key from ten random bytes.
    pub fn from_random(bytes: [u8; 10]) -> Self {
        let mut bits: u128 = 0;
        for byte in bytes {
            bits = (bits << 8) | u128::from(byte);
        }
        let key = (0..Self::SYMBOLS).rev().map(|i| ALPHABET[((bits >> (5 * i)) & 31) as usize] as char).collect();
        Self(key)
    }

    /// A key as typed: any case, spaces and hyphens ignored, and the letters
    /// people confuse with digits (O, I, L) read as the digits.
    pub fn parse(typed: &str) -> Result<Self, Invalid> {
        let mut key = String::with_capacity(Self::SYMBOLS);
        for c in typed.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
                return Err(Invalid::new("Enter the linkage key as it is printed on your letter"));
            }
            key.push(c);
        }
        if key.is_empty() {
            return Err(Invalid::new("Enter the linkage key from your letter"));
        }
        if key.len() != Self::SYMBOLS {
            return Err(Invalid::new("The linkage key is 16 letters and numbers, in four groups of four"));
        }
        Ok(Self(key))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As printed: `K7QF-3MZD-9XTA-W2PE`.
    pub fn grouped(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|group| std::str::from_utf8(group).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("-")
    }
}

/// Never in logs.
impl fmt::Debug for LinkageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LinkageKey(…)")
    }
}

/// An account ID: ten digits, the first not 0, unique within the practice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountRef(String);

impl AccountRef {
    /// An account ID from a random number.
    pub fn from_random(n: u64) -> Self {
        Self((1_000_000_000 + n % 9_000_000_000).to_string())
    }

    pub fn parse(typed: &str) -> Result<Self, Invalid> {
        let digits: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if digits.is_empty() {
            return Err(Invalid::new("Enter the account ID from your letter"));
        }
        if digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(Invalid::new("The account ID is 10 digits"));
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As printed: `482 177 3019`.
    pub fn grouped(&self) -> String {
        format!("{} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

/// Where an online account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountStatus {
    /// A letter has been issued; the patient has not activated it yet.
    Pending,
    Active,
    Disabled,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
            Self::Disabled => "disabled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Pending, Self::Active, Self::Disabled].into_iter().find(|s| s.as_str() == value)
    }
}

/// How staff satisfied themselves of who the patient is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentityCheck {
    PhotoId,
    VouchedByClinician,
    Other,
}

impl IdentityCheck {
    pub const ALL: [IdentityCheck; 3] = [Self::PhotoId, Self::VouchedByClinician, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PhotoId => "photo_id",
            Self::VouchedByClinician => "vouched",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::PhotoId => "Photo ID seen (passport or driving licence)",
            Self::VouchedByClinician => "Vouched for by a clinician who knows them",
            Self::Other => "Other (describe it)",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == value)
    }
}

/// A recorded identity check as staff read it: "Photo ID seen (passport or
/// driving licence) (passport)".
pub fn describe_identity(check: &str, note: &str) -> String {
    let how = IdentityCheck::parse(check).map_or("Checked", IdentityCheck::label);
    if note.is_empty() {
        how.to_owned()
    } else {
        format!("{how} ({note})")
    }
}

/// What staff record before a letter is issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityRecord {
    pub check: IdentityCheck,
    /// Which document, which clinician, or what else; required for "other".
    pub note: String,
}

impl IdentityRecord {
    pub fn parse(check: &str, note: &str, discussed: bool) -> Result<Self, Vec<(&'static str, Invalid)>> {
        let mut problems = Vec::new();
        let note = note.trim().to_owned();
        let check = IdentityCheck::parse(check);
        match check {
            None => problems.push(("identity_check", Invalid::new("Select how you checked who the patient is"))),
            Some(IdentityCheck::Other | IdentityCheck::VouchedByClinician) if note.is_empty() => problems.push((
                "identity_note",
                Invalid::new("Say which clinician vouched for them, or how you checked who they are"),
            )),
            _ => {}
        }
        if note.chars().count() > 500 {
            problems.push(("identity_note", Invalid::new("Keep the note to 500 characters or fewer")));
        }
        if !discussed {
            problems.push((
                "discussed",
                Invalid::new("Confirm you have talked to the patient about online access and its risks"),
            ));
        }
        match check {
            Some(check) if problems.is_empty() => Ok(Self { check, note }),
            _ => Err(problems),
        }
    }
}

/// Whether an online account may be switched back on for a patient whose
/// registration stands as `status`: only while they are registered. Someone
/// who has left or died keeps their account closed; registering again and a
/// new letter bring a returning patient back.
pub fn may_switch_on(status: crate::services::RegistrationStatus) -> Result<(), &'static str> {
    use crate::services::RegistrationStatus::*;
    match status {
        Registered => Ok(()),
        Left => Err("This patient has left the practice, so their online account cannot be switched back on."),
        Deceased => Err("This patient has died, so their online account cannot be switched back on."),
    }
}

/// Why an account was closed when its patient left or died, as staff see it.
pub fn closed_reason(status: crate::services::RegistrationStatus) -> Option<&'static str> {
    use crate::services::RegistrationStatus::*;
    match status {
        Registered => None,
        Left => Some("The patient left the practice"),
        Deceased => Some("The patient has died"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_registered_patients_account_can_be_switched_back_on() {
        use crate::services::RegistrationStatus::*;
        assert_eq!(may_switch_on(Registered), Ok(()));
        assert!(may_switch_on(Left).unwrap_err().contains("left the practice"));
        assert!(may_switch_on(Deceased).unwrap_err().contains("died"));
        assert_eq!(closed_reason(Registered), None);
        assert!(closed_reason(Left).is_some() && closed_reason(Deceased).is_some());
    }

    #[test]
    fn a_linkage_key_is_sixteen_unambiguous_symbols_printed_in_fours() {
        let key = LinkageKey::from_random([0xff; 10]);
        assert_eq!(key.as_str(), "ZZZZZZZZZZZZZZZZ");
        let key = LinkageKey::from_random([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x11, 0x22]);
        assert_eq!(key.as_str().len(), 16);
        assert!(key.as_str().chars().all(|c| !"ILOU".contains(c)));
        assert_eq!(key.grouped().split('-').count(), 4);
        assert_ne!(key, LinkageKey::from_random([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x11, 0x23]));
    }

    #[test]
    fn a_typed_key_reads_the_same_in_any_case_with_spaces_and_confusable_letters() {
        let key = LinkageKey::from_random([7; 10]);
        assert_eq!(LinkageKey::parse(&key.grouped().to_lowercase()).unwrap(), key);
        assert_eq!(LinkageKey::parse("0123 4567 89AB CDEF").unwrap().as_str(), "0123456789ABCDEF");
        assert_eq!(LinkageKey::parse("o1l3-4567-89ab-cdef").unwrap().as_str(), "0113456789ABCDEF");
        assert!(LinkageKey::parse("").unwrap_err().message.contains("Enter the linkage key"));
        assert!(LinkageKey::parse("ABCD-EFGH").unwrap_err().message.contains("16"));
        assert!(LinkageKey::parse("UUUU-0000-0000-0000").is_err(), "U is not in the alphabet");
        assert!(LinkageKey::parse("ÀBCD-0000-0000-0000").is_err());
        assert_eq!(format!("{:?}", key), "LinkageKey(…)", "keys stay out of logs");
    }

    #[test]
    fn an_account_id_is_ten_digits_not_starting_with_zero() {
        assert_eq!(AccountRef::from_random(0).as_str(), "1000000000");
        assert_eq!(AccountRef::from_random(u64::MAX).as_str().len(), 10);
        assert_eq!(AccountRef::parse("482 177 3019").unwrap().grouped(), "482 177 3019");
        assert!(AccountRef::parse("48217730").unwrap_err().message.contains("10 digits"));
        assert!(AccountRef::parse("").unwrap_err().message.contains("Enter the account ID"));
    }

    #[test]
    fn a_recorded_identity_check_reads_with_its_note_when_there_is_one() {
        assert_eq!(describe_identity("vouched", "Dr Patel"), "Vouched for by a clinician who knows them (Dr Patel)");
        assert_eq!(describe_identity("photo_id", ""), "Photo ID seen (passport or driving licence)");
        assert_eq!(describe_identity("nonsense", ""), "Checked");
    }

    #[test]
    fn staff_record_how_they_checked_identity_and_that_they_talked_about_the_risks() {
        assert_eq!(
            IdentityRecord::parse("photo_id", " passport ", true).unwrap(),
            IdentityRecord { check: IdentityCheck::PhotoId, note: "passport".into() }
        );
        let problems = IdentityRecord::parse("", "", false).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["identity_check", "discussed"]);
        let problems = IdentityRecord::parse("vouched", "", true).unwrap_err();
        assert_eq!(problems[0].0, "identity_note");
        assert!(IdentityRecord::parse("other", "Known to reception for 20 years", true).is_ok());
    }
}
