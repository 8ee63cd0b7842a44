//! Consent to share: three choices a patient makes about their record
//! beyond the practice, recorded by staff, and shown to the patient read-only
//! when the practice allows it.

use serde::{Deserialize, Serialize};

/// One of the choices, with what it means in plain words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SharingChoice {
    /// The Summary Care Record carries additional information (long-term
    /// conditions, care plans), not only medicines and allergies.
    ScrAdditional,
    /// The practice shares the record with other services caring for the patient.
    SharingOut,
    /// The practice may see the patient's record held by other services.
    SharingIn,
}

impl SharingChoice {
    pub const ALL: [SharingChoice; 3] = [Self::ScrAdditional, Self::SharingOut, Self::SharingIn];

    /// The form field and stored column.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ScrAdditional => "scr_additional",
            Self::SharingOut => "sharing_out",
            Self::SharingIn => "sharing_in",
        }
    }

    /// The question, as the patient and staff read it.
    pub fn question(self) -> &'static str {
        match self {
            Self::ScrAdditional => "Additional information in your Summary Care Record",
            Self::SharingOut => "Sharing your record from this practice with other services that care for you",
            Self::SharingIn => "This practice seeing your record held by other services",
        }
    }
}

/// A recorded answer: yes, no, or not recorded (`None`).
pub type Consent = Option<bool>;

/// Reads a posted answer: `yes`, `no`, or empty for not recorded.
pub fn parse_consent(text: &str) -> Result<Consent, crate::Invalid> {
    match text.trim() {
        "yes" => Ok(Some(true)),
        "no" => Ok(Some(false)),
        "" | "unknown" => Ok(None),
        _ => Err(crate::Invalid::new("Choose yes, no or not recorded")),
    }
}

/// How an answer reads.
pub fn describe(consent: Consent) -> &'static str {
    match consent {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Not recorded",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_yes_no_or_not_recorded_and_anything_else_is_refused() {
        assert_eq!(parse_consent("yes").unwrap(), Some(true));
        assert_eq!(parse_consent(" no ").unwrap(), Some(false));
        assert_eq!(parse_consent("").unwrap(), None);
        assert_eq!(parse_consent("maybe").unwrap_err().message, "Choose yes, no or not recorded");
        assert_eq!(describe(None), "Not recorded");
    }
}
