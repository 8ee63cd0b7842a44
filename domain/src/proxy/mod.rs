//! Acting for someone else: a proxy (a login) acts for a subject (a patient)
//! with services chosen one by one, on a legal basis, from a start to an
//! optional end. Whether a grant can be used, and for what, is worked out
//! here on every request from the grant, the subject's date of birth and
//! today (a London date), following the national proxy standard (DAPB3051):
//!
//! - a parent's access narrows from a practice-set age (11 by default):
//!   they keep booking and repeat prescriptions, but no longer read the
//!   child's record or messages, unless a clinician recorded otherwise;
//! - it is due for review from a practice-set age (13 by default, or
//!   earlier);
//! - it is suspended at 16, when the young person can grant it themself;
//! - any grant ends on its end date, and when unused for 5 years.

#[cfg(test)]
mod tests;

use crate::age::{age_on, turns, years_after};
use crate::services::RecordLevel;
use crate::Invalid;
use chrono::{NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

/// The age at which a parent's access is suspended (DAPB3051).
pub const SUSPEND_AT: u32 = 16;
/// A grant unused this long ends.
pub const UNUSED_YEARS: u32 = 5;
/// Notice is given this many days before access changes.
pub const NOTICE_DAYS: i64 = 30;

/// Who the proxy is to the subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Relationship {
    ParentOrGuardian,
    Carer,
    PowerOfAttorney,
    Other,
}

impl Relationship {
    pub const ALL: [Self; 4] = [Self::ParentOrGuardian, Self::Carer, Self::PowerOfAttorney, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ParentOrGuardian => "parent_or_guardian",
            Self::Carer => "carer",
            Self::PowerOfAttorney => "power_of_attorney",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ParentOrGuardian => "Parent or guardian",
            Self::Carer => "Carer",
            Self::PowerOfAttorney => "Lasting power of attorney",
            Self::Other => "Other",
        }
    }

    pub fn parse(value: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == value)
            .ok_or_else(|| Invalid::new("Choose who they are to the patient"))
    }
}

/// Why the proxy may act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LegalBasis {
    /// The patient asked for it (or granted it themself).
    PatientConsent,
    /// A parent or guardian of a child.
    ParentalResponsibility,
    /// A registered lasting power of attorney for health and welfare.
    PowerOfAttorney,
    /// The patient lacks capacity; a clinician judged it in their best interests (with a note).
    BestInterests,
}

impl LegalBasis {
    pub const ALL: [Self; 4] =
        [Self::PatientConsent, Self::ParentalResponsibility, Self::PowerOfAttorney, Self::BestInterests];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PatientConsent => "patient_consent",
            Self::ParentalResponsibility => "parental_responsibility",
            Self::PowerOfAttorney => "power_of_attorney",
            Self::BestInterests => "best_interests",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::PatientConsent => "The patient's consent",
            Self::ParentalResponsibility => "Parental responsibility",
            Self::PowerOfAttorney => "Lasting power of attorney",
            Self::BestInterests => "Best interests (the patient lacks capacity; a clinician's note)",
        }
    }

    pub fn parse(value: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|b| b.as_str() == value).ok_or_else(|| Invalid::new("Choose the legal basis"))
    }
}

/// One online service a proxy may use for the subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProxyService {
    Appointments,
    Prescriptions,
    Messages,
    Record,
}

impl ProxyService {
    /// In a sentence: "book appointments for".
    pub fn doing(self) -> &'static str {
        match self {
            Self::Appointments => "book or cancel appointments",
            Self::Prescriptions => "order repeat prescriptions",
            Self::Messages => "message the practice",
            Self::Record => "see the record",
        }
    }
}

/// The services granted, chosen one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProxyServices {
    pub appointments: bool,
    pub prescriptions: bool,
    pub messages: bool,
    /// Never more than the subject's own level (see [`ProxyServices::record_for`]).
    pub record: RecordLevel,
}

impl ProxyServices {
    pub const NONE: Self =
        Self { appointments: false, prescriptions: false, messages: false, record: RecordLevel::None };

    pub fn allows(&self, service: ProxyService) -> bool {
        match service {
            ProxyService::Appointments => self.appointments,
            ProxyService::Prescriptions => self.prescriptions,
            ProxyService::Messages => self.messages,
            ProxyService::Record => self.record != RecordLevel::None,
        }
    }

    /// What a parent keeps once a child is old enough to consult in
    /// confidence: booking and repeats, not the record or messages.
    pub fn narrowed(self) -> Self {
        Self { messages: false, record: RecordLevel::None, ..self }
    }

    /// The record level a proxy sees: what was granted, and never more than
    /// the subject sees themself.
    pub fn record_for(&self, subjects_own: RecordLevel) -> RecordLevel {
        self.record.min(subjects_own)
    }

    /// Nothing chosen is not a grant.
    pub fn check(self) -> Result<Self, Invalid> {
        if self == Self::NONE {
            return Err(Invalid::new("Choose at least one service"));
        }
        Ok(self)
    }
}

/// Where a grant is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GrantStatus {
    /// Asked for by the patient, waiting for the practice to review it or
    /// the proxy to accept.
    Pending,
    Active,
    /// Stopped by the practice, with a reason.
    Suspended,
    /// Ended by the patient, the proxy or the practice.
    Ended,
}

impl GrantStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Ended => "ended",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Pending, Self::Active, Self::Suspended, Self::Ended].into_iter().find(|s| s.as_str() == value)
    }
}

/// What a clinician recorded about a parent's access to a child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClinicianDecision {
    /// Keep the parent's services past the narrowing age (the child lacks
    /// the capacity to manage their own care, say). Never past 16.
    KeepServices,
    /// Narrow now, before the practice's age (the child is competent to
    /// consult in confidence already).
    NarrowNow,
}

/// The ages the practice sets for parents' access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeRules {
    pub narrow_from: u32,
    pub review_at: u32,
}

impl AgeRules {
    pub const DEFAULT: Self = Self { narrow_from: 11, review_at: 13 };

    /// Each age from 1 to 15: at 16 access is suspended whatever is set.
    pub fn new(narrow_from: u32, review_at: u32) -> Result<Self, Invalid> {
        let valid = 1..SUSPEND_AT;
        if !valid.contains(&narrow_from) {
            return Err(Invalid::new("The age access narrows from must be between 1 and 15"));
        }
        if !valid.contains(&review_at) {
            return Err(Invalid::new("The age access is reviewed at must be between 1 and 15"));
        }
        Ok(Self { narrow_from, review_at })
    }
}

/// A grant, as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantFacts {
    pub basis: LegalBasis,
    pub status: GrantStatus,
    pub services: ProxyServices,
    pub starts_on: NaiveDate,
    /// The last day it can be used, if it ends.
    pub ends_on: Option<NaiveDate>,
    /// The last day the proxy acted with it (`None`: never yet).
    pub last_used_on: Option<NaiveDate>,
    pub clinician: Option<ClinicianDecision>,
    /// The last day staff reviewed it.
    pub reviewed_on: Option<NaiveDate>,
}

/// Why a grant cannot be used today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Closed {
    Pending,
    NotYetStarted(NaiveDate),
    Suspended,
    Ended,
    /// The end date has passed.
    Expired(NaiveDate),
    /// The child has turned 16: they can grant it themself.
    ChildTurned16,
    /// Unused for 5 years.
    Unused,
}

impl Closed {
    /// What the proxy is told.
    pub fn message(self) -> String {
        match self {
            Self::Pending => "This access is waiting for the practice to approve it.".into(),
            Self::NotYetStarted(on) => format!("This access starts on {}.", crate::time::display_date(on)),
            Self::Suspended => "The practice has suspended this access. Contact the practice to talk about it.".into(),
            Self::Ended => "This access has ended.".into(),
            Self::Expired(on) => format!("This access ended on {}.", crate::time::display_date(on)),
            Self::ChildTurned16 => {
                "They are 16 now, so a parent's access has stopped. They can give you access themself from their own account."
                    .into()
            }
            Self::Unused => "This access ended because it was not used for 5 years.".into(),
        }
    }
}

/// What a grant allows today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    Open {
        services: ProxyServices,
        /// Narrowed because of the child's age (or a clinician's decision).
        narrowed: bool,
        /// Staff should review it (the child has reached the review age since
        /// the last review).
        review_due: bool,
    },
    Closed(Closed),
}

fn is_parents(grant: &GrantFacts) -> bool {
    grant.basis == LegalBasis::ParentalResponsibility
}

/// What `grant` allows today, for a subject born on `date_of_birth`.
pub fn standing(grant: &GrantFacts, date_of_birth: NaiveDate, today: NaiveDate, rules: AgeRules) -> Standing {
    let closed = match grant.status {
        GrantStatus::Pending => Some(Closed::Pending),
        GrantStatus::Suspended => Some(Closed::Suspended),
        GrantStatus::Ended => Some(Closed::Ended),
        GrantStatus::Active if today < grant.starts_on => Some(Closed::NotYetStarted(grant.starts_on)),
        GrantStatus::Active => match grant.ends_on {
            Some(last) if today > last => Some(Closed::Expired(last)),
            _ if today >= unused_end(grant) => Some(Closed::Unused),
            _ if is_parents(grant) && age_on(date_of_birth, today) >= SUSPEND_AT => Some(Closed::ChildTurned16),
            _ => None,
        },
    };
    if let Some(closed) = closed {
        return Standing::Closed(closed);
    }
    if !is_parents(grant) {
        return Standing::Open { services: grant.services, narrowed: false, review_due: false };
    }
    let age = age_on(date_of_birth, today);
    let narrowed = match grant.clinician {
        Some(ClinicianDecision::KeepServices) => false,
        Some(ClinicianDecision::NarrowNow) => true,
        None => age >= rules.narrow_from,
    };
    let review_from = turns(date_of_birth, rules.review_at);
    let review_due = today >= review_from && grant.reviewed_on.is_none_or(|reviewed| reviewed < review_from);
    let services = if narrowed { grant.services.narrowed() } else { grant.services };
    Standing::Open { services, narrowed, review_due }
}

/// The first day a grant counts as unused for too long.
fn unused_end(grant: &GrantFacts) -> NaiveDate {
    years_after(grant.last_used_on.unwrap_or(grant.starts_on).max(grant.starts_on), UNUSED_YEARS)
}

/// Why a proxy may not do something for a subject now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProxyRefusal {
    Closed(Closed),
    /// The service was never granted.
    NotGranted(ProxyService),
    /// Granted, but narrowed because of the child's age.
    Narrowed(ProxyService),
}

impl ProxyRefusal {
    pub fn message(self) -> String {
        match self {
            Self::Closed(closed) => closed.message(),
            Self::NotGranted(service) => {
                format!(
                    "You do not have access to {} for this person. Ask the practice if you need it.",
                    service.doing()
                )
            }
            Self::Narrowed(service) => format!(
                "Because of their age, a parent can no longer {} for them online. Ask the practice if you need to.",
                service.doing()
            ),
        }
    }
}

/// Whether the grant lets its proxy use `service` today; the services it
/// allows when it does.
pub fn may_use(
    grant: &GrantFacts,
    date_of_birth: NaiveDate,
    today: NaiveDate,
    rules: AgeRules,
    service: ProxyService,
) -> Result<ProxyServices, ProxyRefusal> {
    match standing(grant, date_of_birth, today, rules) {
        Standing::Closed(closed) => Err(ProxyRefusal::Closed(closed)),
        Standing::Open { services, .. } if services.allows(service) => Ok(services),
        Standing::Open { narrowed: true, .. } if grant.services.allows(service) => Err(ProxyRefusal::Narrowed(service)),
        Standing::Open { .. } => Err(ProxyRefusal::NotGranted(service)),
    }
}

/// A change coming to a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// A parent's access narrows (the child reaches the practice's age).
    Narrows,
    /// A parent's access is due for review.
    ReviewDue,
    /// A parent's access stops: the child turns 16.
    Suspends,
    /// The end date passes.
    Ends,
    /// It will have been unused for 5 years.
    EndsUnused,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Narrows => "narrows",
            Self::ReviewDue => "review_due",
            Self::Suspends => "suspends",
            Self::Ends => "ends",
            Self::EndsUnused => "ends_unused",
        }
    }

    /// Whether the subject hears of it too: only the young person about to
    /// be able to decide for themself.
    pub fn tells_subject(self) -> bool {
        self == Self::Suspends
    }
}

/// The next change to an open grant after today, and its day.
pub fn next_change(
    grant: &GrantFacts,
    date_of_birth: NaiveDate,
    today: NaiveDate,
    rules: AgeRules,
) -> Option<(NaiveDate, Change)> {
    let Standing::Open { narrowed, .. } = standing(grant, date_of_birth, today, rules) else { return None };
    let mut coming = vec![(unused_end(grant), Change::EndsUnused)];
    if let Some(last) = grant.ends_on {
        coming.push((last + TimeDelta::days(1), Change::Ends));
    }
    if is_parents(grant) {
        coming.push((turns(date_of_birth, SUSPEND_AT), Change::Suspends));
        coming.push((turns(date_of_birth, rules.review_at), Change::ReviewDue));
        if !narrowed && grant.clinician.is_none() {
            coming.push((turns(date_of_birth, rules.narrow_from), Change::Narrows));
        }
    }
    coming.into_iter().filter(|(on, _)| *on > today).min_by_key(|(on, _)| *on)
}

/// The change to give notice of today: one within [`NOTICE_DAYS`].
pub fn notice_due(
    grant: &GrantFacts,
    date_of_birth: NaiveDate,
    today: NaiveDate,
    rules: AgeRules,
) -> Option<(NaiveDate, Change)> {
    next_change(grant, date_of_birth, today, rules).filter(|(on, _)| (*on - today).num_days() <= NOTICE_DAYS)
}

/// The longest note or description staff write on a grant.
pub const MAX_NOTE_CHARS: usize = 500;

/// A grant as staff set it up, before it is made.
#[derive(Debug, Clone, Copy)]
pub struct GrantRequest<'a> {
    pub relationship: Relationship,
    pub basis: LegalBasis,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// How staff checked who the proxy is and their right to act.
    pub verified_how: &'a str,
    pub clinician_note: &'a str,
}

/// Everything wrong with a grant staff set up for a subject born on
/// `date_of_birth`, each under its form field.
pub fn grant_problems(
    request: &GrantRequest,
    date_of_birth: NaiveDate,
    today: NaiveDate,
) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    let age = age_on(date_of_birth, today);
    if request.basis == LegalBasis::ParentalResponsibility {
        if request.relationship != Relationship::ParentOrGuardian {
            problems.push(("basis", "Parental responsibility is for a parent or guardian".into()));
        }
        if age >= SUSPEND_AT {
            problems.push((
                "basis",
                "They are 16 or over: a parent needs their consent, or a clinician's best-interests decision".into(),
            ));
        }
    }
    if request.basis == LegalBasis::BestInterests && request.clinician_note.trim().is_empty() {
        problems.push(("clinician_note", "A best-interests decision needs the clinician's note".into()));
    }
    if request.clinician_note.chars().count() > MAX_NOTE_CHARS {
        problems.push(("clinician_note", format!("The note must be {MAX_NOTE_CHARS} characters or fewer")));
    }
    match request.verified_how.trim().chars().count() {
        0 => problems.push(("verified_how", "Say how you checked who they are and their right to act".into())),
        n if n > MAX_NOTE_CHARS => {
            problems.push(("verified_how", format!("This must be {MAX_NOTE_CHARS} characters or fewer")))
        }
        _ => {}
    }
    if let Some(last) = request.ends_on {
        if last < request.starts_on {
            problems.push(("ends_on", "The end date must be on or after the start date".into()));
        } else if last < today {
            problems.push(("ends_on", "The end date must be today or later".into()));
        }
    }
    problems
}
