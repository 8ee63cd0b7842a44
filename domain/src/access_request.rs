//! Requests for online services that people make on the practice's website,
//! and what staff record before approving or declining one.
//!
//! A request is only a request: nothing is granted until staff have seen who
//! the person is, talked to them and judged the risks. The applicant always
//! hears the same thing, whether they matched the register or not.

use crate::online_account::IdentityRecord;
use crate::register_import::uk_mobile;
use crate::{Email, IdentifierKind, Invalid, PatientIdentifier};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Requests nobody handled expire after this many days, unless the practice
/// chose another period.
pub const DEFAULT_EXPIRY_DAYS: i64 = 90;
/// The shortest and longest expiry a practice can choose.
pub const EXPIRY_DAYS_RANGE: (i64, i64) = (7, 365);

/// The sexes a register records, with their labels.
pub const SEXES: [(&str, &str); 4] =
    [("female", "Female"), ("male", "Male"), ("other", "Other"), ("unknown", "Not known")];

/// How a sex is shown: "Female", or "Not known" for anything unrecorded.
pub fn sex_label(value: &str) -> &'static str {
    SEXES.iter().find(|(v, _)| *v == value).map_or("Not known", |(_, label)| *label)
}

/// A request's field problems: the field's name and what to do.
pub type Problems = Vec<(&'static str, Invalid)>;

/// The request form as typed.
#[derive(Debug, Clone, Default)]
pub struct RequestFields<'a> {
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub date_of_birth: &'a str,
    pub sex: &'a str,
    pub postcode: &'a str,
    pub identifier_kind: &'a str,
    pub identifier: &'a str,
    pub email: &'a str,
    pub mobile: &'a str,
}

/// A request for online services, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRequest {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: &'static str,
    pub postcode: Postcode,
    pub identifier: PatientIdentifier,
    pub email: Email,
    /// As `07700 900123`.
    pub mobile: Option<String>,
}

impl AccessRequest {
    /// Reads the form, finding every problem at once. Without `today` (in
    /// the browser) dates of birth are not compared with it.
    pub fn parse(fields: &RequestFields<'_>, today: Option<NaiveDate>) -> Result<Self, Problems> {
        let mut problems: Problems = Vec::new();
        let mut name = |field: &'static str, value: &str, what: &str| {
            let value = value.trim();
            if value.is_empty() {
                problems.push((field, Invalid::new(format!("Enter your {what}"))));
            } else if value.chars().count() > 100 {
                problems.push((field, Invalid::new(format!("Your {what} must be 100 characters or fewer"))));
            }
            value.to_owned()
        };
        let given_name = name("given_name", fields.given_name, "first name");
        let family_name = name("family_name", fields.family_name, "last name");
        let date_of_birth = match crate::time::parse_typed_date(fields.date_of_birth) {
            None => {
                problems.push(("date_of_birth", Invalid::new("Enter your date of birth, like 15/01/1980")));
                None
            }
            Some(date) if today.is_some_and(|today| date > today) => {
                problems.push(("date_of_birth", Invalid::new("Your date of birth must be in the past")));
                None
            }
            Some(date) if today.is_some_and(|today| today.year() - date.year() > 125) => {
                problems.push(("date_of_birth", Invalid::new("Check the year of your date of birth")));
                None
            }
            Some(date) => Some(date),
        };
        let sex = SEXES.iter().find(|(value, _)| *value == fields.sex).map(|(value, _)| *value);
        if sex.is_none() {
            problems.push(("sex", Invalid::new("Select your sex, or \"Not known\"")));
        }
        let postcode = Postcode::parse(fields.postcode).map_err(|e| problems.push(("postcode", e))).ok();
        let identifier = match IdentifierKind::parse(fields.identifier_kind) {
            None => {
                problems.push(("identifier_kind", Invalid::new("Select which number you have")));
                None
            }
            Some(kind) => {
                PatientIdentifier::parse(kind, fields.identifier).map_err(|e| problems.push(("identifier", e))).ok()
            }
        };
        let email = if fields.email.trim().is_empty() {
            problems.push(("email", Invalid::new("Enter your email address")));
            None
        } else {
            Email::parse(fields.email).map_err(|e| problems.push(("email", e))).ok()
        };
        let mobile = match fields.mobile.trim() {
            "" => None,
            typed => match uk_mobile(typed) {
                Some(mobile) => Some(mobile),
                None => {
                    problems.push((
                        "mobile",
                        Invalid::new("Enter a UK mobile number, like 07700 900123, or leave it empty"),
                    ));
                    None
                }
            },
        };
        match (date_of_birth, sex, postcode, identifier, email) {
            (Some(date_of_birth), Some(sex), Some(postcode), Some(identifier), Some(email)) if problems.is_empty() => {
                Ok(Self { given_name, family_name, date_of_birth, sex, postcode, identifier, email, mobile })
            }
            _ => Err(problems),
        }
    }
}

/// A UK postcode, as `SW1A 1AA`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Postcode(String);

impl Postcode {
    /// Any case and spacing; the inward part (a digit and two letters) is
    /// split from the outward part (two to four characters, starting with a
    /// letter).
    pub fn parse(typed: &str) -> Result<Self, Invalid> {
        let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        if compact.is_empty() {
            return Err(Invalid::new("Enter your postcode"));
        }
        let wrong = || Invalid::new("Enter a UK postcode, like SW1A 1AA");
        if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
            return Err(wrong());
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        let inward_ok =
            inward.as_bytes()[0].is_ascii_digit() && inward.as_bytes()[1..].iter().all(|b| b.is_ascii_uppercase());
        let outward_ok = outward.as_bytes()[0].is_ascii_uppercase()
            && outward.bytes().all(|b| b.is_ascii_alphanumeric())
            && outward.bytes().any(|b| b.is_ascii_digit());
        if !(inward_ok && outward_ok) {
            return Err(wrong());
        }
        Ok(Self(format!("{outward} {inward}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a request stands in the practice's queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestStatus {
    New,
    /// A member of staff has taken it on.
    InProgress,
    Approved,
    Declined,
    /// Nobody handled it within the practice's period.
    Expired,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 5] = [Self::New, Self::InProgress, Self::Approved, Self::Declined, Self::Expired];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InProgress => "in_progress",
            Self::Approved => "approved",
            Self::Declined => "declined",
            Self::Expired => "expired",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::New => "New",
            Self::InProgress => "In progress",
            Self::Approved => "Approved",
            Self::Declined => "Declined",
            Self::Expired => "Expired",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Still waiting for a decision.
    pub fn is_open(self) -> bool {
        matches!(self, Self::New | Self::InProgress)
    }
}

/// Whether someone's surname on a request is the register's: case, spacing
/// and apostrophes or hyphens aside.
pub fn same_surname(typed: &str, registered: &str) -> bool {
    let fold = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect() };
    let typed = fold(typed);
    !typed.is_empty() && typed == fold(registered)
}

pub use crate::age::age_on;

/// Under this age, a child needs to be judged competent (Gillick) to have
/// their own access.
pub const GILLICK_AGE: u32 = 16;

/// What staff record before deciding: who the person is, what was talked
/// about, and the risks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub identity: IdentityRecord,
    /// What was discussed with the patient.
    pub discussion: String,
    /// Someone might make them share their access, or see it against their wishes.
    pub coercion_concern: bool,
    /// Doubts whether they can understand and manage online access.
    pub capacity_concern: bool,
    /// Under-16s only: judged competent to have their own access.
    pub gillick_competent: Option<bool>,
}

/// The assessment form as typed; `yes`/`no` answers.
#[derive(Debug, Clone, Default)]
pub struct AssessmentFields<'a> {
    pub identity_check: &'a str,
    pub identity_note: &'a str,
    pub discussion: &'a str,
    pub coercion: &'a str,
    pub capacity: &'a str,
    pub gillick: &'a str,
}

impl Assessment {
    /// Reads the form. `under_16` asks for the Gillick judgement too.
    pub fn parse(fields: &AssessmentFields<'_>, under_16: bool) -> Result<Self, Problems> {
        let discussion = fields.discussion.trim().to_owned();
        let identity = IdentityRecord::parse(fields.identity_check, fields.identity_note, !discussion.is_empty());
        let mut problems: Problems = match &identity {
            Ok(_) => Vec::new(),
            // An empty discussion is reported on its own field below.
            Err(problems) => problems.iter().filter(|(field, _)| *field != "discussed").cloned().collect(),
        };
        if discussion.is_empty() {
            problems.push((
                "discussion",
                Invalid::new("Say what you discussed with the patient about online access and its risks"),
            ));
        } else if discussion.chars().count() > 2000 {
            problems.push(("discussion", Invalid::new("Keep the discussion note to 2000 characters or fewer")));
        }
        let mut answer = |field: &'static str, value: &str, question: &str| match value {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                problems.push((field, Invalid::new(question.to_owned())));
                None
            }
        };
        let coercion = answer("coercion", fields.coercion, "Say whether there is any concern about coercion");
        let capacity = answer("capacity", fields.capacity, "Say whether there is any concern about capacity");
        let gillick = if under_16 {
            answer("gillick", fields.gillick, "Say whether the child is competent to have their own access (Gillick)")
        } else {
            None
        };
        match (identity, coercion, capacity) {
            (Ok(identity), Some(coercion_concern), Some(capacity_concern)) if problems.is_empty() => {
                Ok(Self { identity, discussion, coercion_concern, capacity_concern, gillick_competent: gillick })
            }
            _ => Err(problems),
        }
    }

    /// Why this assessment does not allow the patient their own access, if
    /// it does not. Staff decline instead, or talk to a GP about proxy access.
    pub fn refuses_approval(&self) -> Option<(&'static str, &'static str)> {
        if self.coercion_concern {
            Some(("coercion", "You recorded a concern about coercion: decline the request, or talk to a GP first"))
        } else if self.capacity_concern {
            Some((
                "capacity",
                "You recorded a concern about capacity: decline the request, or talk to a GP about proxy access",
            ))
        } else if self.gillick_competent == Some(false) {
            Some(("gillick", "A child not judged competent cannot have their own access: decline the request"))
        } else {
            None
        }
    }
}

/// A reason for declining, for the practice's record (never sent to the
/// applicant).
pub fn decline_reason(typed: &str) -> Result<String, Invalid> {
    let reason = typed.trim();
    if reason.is_empty() {
        return Err(Invalid::new("Say why the request is declined (the applicant is not told the reason)"));
    }
    if reason.chars().count() > 500 {
        return Err(Invalid::new("Keep the reason to 500 characters or fewer"));
    }
    Ok(reason.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::online_account::IdentityCheck;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn good() -> RequestFields<'static> {
        RequestFields {
            given_name: " Grace ",
            family_name: "Nowak",
            date_of_birth: "14/03/1992",
            sex: "female",
            postcode: "ls1 4ap",
            identifier_kind: "nhs",
            identifier: "943 476 5919",
            email: "grace@example.com",
            mobile: "+44 7700 900123",
        }
    }

    #[test]
    fn a_complete_request_is_read_with_tidy_names_postcode_and_mobile() {
        let request = AccessRequest::parse(&good(), Some(today())).unwrap();
        assert_eq!(request.given_name, "Grace");
        assert_eq!(request.postcode.as_str(), "LS1 4AP");
        assert_eq!(request.identifier.as_str(), "9434765919");
        assert_eq!(request.mobile.as_deref(), Some("07700 900123"));
        let without_mobile = RequestFields { mobile: " ", ..good() };
        assert_eq!(AccessRequest::parse(&without_mobile, Some(today())).unwrap().mobile, None);
    }

    #[test]
    fn an_empty_request_names_every_field_that_needs_an_answer() {
        let problems = AccessRequest::parse(&RequestFields::default(), Some(today())).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            vec!["given_name", "family_name", "date_of_birth", "sex", "postcode", "identifier_kind", "email"]
        );
    }

    #[test]
    fn wrong_numbers_dates_postcodes_and_mobiles_are_refused_with_what_to_do() {
        let check = |fields: RequestFields<'static>, field: &str, words: &str| {
            let problems = AccessRequest::parse(&fields, Some(today())).unwrap_err();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].0, field);
            assert!(problems[0].1.message.contains(words), "{}", problems[0].1.message);
        };
        check(RequestFields { identifier: "943 476 5910", ..good() }, "identifier", "NHS number");
        check(RequestFields { date_of_birth: "01/01/2030", ..good() }, "date_of_birth", "in the past");
        check(RequestFields { date_of_birth: "01/01/1880", ..good() }, "date_of_birth", "year");
        check(RequestFields { postcode: "12345", ..good() }, "postcode", "UK postcode");
        check(RequestFields { mobile: "0113 496 0000", ..good() }, "mobile", "UK mobile");
        check(RequestFields { email: "grace", ..good() }, "email", "email");
        check(RequestFields { sex: "x", ..good() }, "sex", "sex");
    }

    #[test]
    fn postcodes_of_every_uk_shape_are_accepted_and_spaced() {
        for (typed, expected) in [
            ("m11ae", "M1 1AE"),
            ("B33 8TH", "B33 8TH"),
            ("cr26xh", "CR2 6XH"),
            ("dn551pt", "DN55 1PT"),
            ("W1A 0AX", "W1A 0AX"),
        ] {
            assert_eq!(Postcode::parse(typed).unwrap().as_str(), expected);
        }
        for typed in ["", "ABC", "1A1 1AA", "SW1A 1A1", "SW1A1AAA"] {
            assert!(Postcode::parse(typed).is_err(), "{typed}");
        }
    }

    #[test]
    fn a_sex_shows_its_label_and_anything_unrecorded_as_not_known() {
        assert_eq!(sex_label("female"), "Female");
        assert_eq!(sex_label("unknown"), "Not known");
        assert_eq!(sex_label(""), "Not known");
    }

    #[test]
    fn surnames_match_whatever_the_case_spacing_or_punctuation() {
        assert!(same_surname("o'brien", "O'Brien"));
        assert!(same_surname("Smith-Jones ", "smith jones"));
        assert!(!same_surname("Smith", "Smyth"));
        assert!(!same_surname("", ""));
    }

    #[test]
    fn age_counts_whole_years_to_the_birthday() {
        let dob = NaiveDate::from_ymd_opt(2010, 11, 22).unwrap();
        assert_eq!(age_on(dob, today()), 15);
        assert_eq!(age_on(dob, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()), 16);
    }

    fn assessed() -> AssessmentFields<'static> {
        AssessmentFields {
            identity_check: "photo_id",
            identity_note: "passport",
            discussion: "Talked through what they will see and keeping the password private.",
            coercion: "no",
            capacity: "no",
            gillick: "",
        }
    }

    #[test]
    fn an_assessment_needs_identity_a_discussion_and_both_risk_answers() {
        let assessment = Assessment::parse(&assessed(), false).unwrap();
        assert_eq!(assessment.identity.check, IdentityCheck::PhotoId);
        assert_eq!(assessment.refuses_approval(), None);
        let problems = Assessment::parse(&AssessmentFields::default(), false).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["identity_check", "discussion", "coercion", "capacity"]);
    }

    #[test]
    fn a_child_under_16_needs_a_gillick_judgement_and_is_refused_without_competence() {
        let problems = Assessment::parse(&assessed(), true).unwrap_err();
        assert_eq!(problems[0].0, "gillick");
        let competent = Assessment::parse(&AssessmentFields { gillick: "yes", ..assessed() }, true).unwrap();
        assert_eq!(competent.refuses_approval(), None);
        let not = Assessment::parse(&AssessmentFields { gillick: "no", ..assessed() }, true).unwrap();
        assert_eq!(not.refuses_approval().map(|(field, _)| field), Some("gillick"));
    }

    #[test]
    fn a_concern_about_coercion_or_capacity_stops_approval() {
        let coerced = Assessment::parse(&AssessmentFields { coercion: "yes", ..assessed() }, false).unwrap();
        assert_eq!(coerced.refuses_approval().map(|(field, _)| field), Some("coercion"));
        let capacity = Assessment::parse(&AssessmentFields { capacity: "yes", ..assessed() }, false).unwrap();
        assert_eq!(capacity.refuses_approval().map(|(field, _)| field), Some("capacity"));
    }

    #[test]
    fn a_decline_needs_a_short_reason() {
        assert!(decline_reason("  ").is_err());
        assert!(decline_reason(&"x".repeat(501)).is_err());
        assert_eq!(decline_reason(" Not registered here ").unwrap(), "Not registered here");
    }
}
