//! Online services: what a practice offers, what it grants each patient, and
//! the one question every feature asks: "which services may this actor use
//! for this subject now?" ([`available_services`]).

use crate::{Actor, PatientId, PracticeId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How much of their record a patient sees online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RecordLevel {
    None,
    /// Allergies, medications and adverse reactions.
    Summary,
    /// The detailed coded record: problems, test results, immunisations, coded entries.
    DetailedCoded,
    /// Everything, free text and documents included.
    Full,
}

impl RecordLevel {
    pub const ALL: [RecordLevel; 4] = [Self::None, Self::Summary, Self::DetailedCoded, Self::Full];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Summary => "summary",
            Self::DetailedCoded => "detailed_coded",
            Self::Full => "full",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::None => "No record access",
            Self::Summary => "Summary record (allergies and medicines)",
            Self::DetailedCoded => "Detailed coded record",
            Self::Full => "Full record, with free text and documents",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == value)
    }
}

/// From when the record is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecordFrom {
    /// Entries from the day the online account was created ("prospective").
    AccountCreation,
    /// Entries from a given date.
    Date(NaiveDate),
    /// The whole history.
    FullHistory,
}

impl RecordFrom {
    /// The stored kind: `account_creation`, `date` or `full_history`.
    pub fn kind(self) -> &'static str {
        match self {
            Self::AccountCreation => "account_creation",
            Self::Date(_) => "date",
            Self::FullHistory => "full_history",
        }
    }

    /// From the stored kind and date.
    pub fn from_parts(kind: &str, date: Option<NaiveDate>) -> Option<Self> {
        match (kind, date) {
            ("account_creation", _) => Some(Self::AccountCreation),
            ("full_history", _) => Some(Self::FullHistory),
            ("date", Some(date)) => Some(Self::Date(date)),
            _ => None,
        }
    }

    pub fn date(self) -> Option<NaiveDate> {
        match self {
            Self::Date(date) => Some(date),
            _ => None,
        }
    }
}

/// The services granted to one patient (or offered by default to new accounts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grants {
    pub appointments: bool,
    pub prescriptions: bool,
    pub messaging: bool,
    pub record: RecordLevel,
    pub record_from: RecordFrom,
    /// Whether the patient sees who has looked at their record.
    pub record_audit: bool,
    /// Whether the patient sees their consent-to-share settings.
    pub consent: bool,
}

impl Grants {
    /// The defaults for new accounts: every transactional service, and since
    /// 31 October 2023 (England) prospective access to the full record, free
    /// text and documents included, unless the patient opts out or a
    /// clinician judges it harmful.
    pub const DEFAULT_2023: Grants = Grants {
        appointments: true,
        prescriptions: true,
        messaging: true,
        record: RecordLevel::Full,
        record_from: RecordFrom::AccountCreation,
        record_audit: true,
        consent: true,
    };

    /// Nothing at all.
    pub const NONE: Grants = Grants {
        appointments: false,
        prescriptions: false,
        messaging: false,
        record: RecordLevel::None,
        record_from: RecordFrom::AccountCreation,
        record_audit: false,
        consent: false,
    };

    /// The services that differ from `other`, by name, for audit and for
    /// asking a reason.
    pub fn differences(&self, other: &Grants) -> Vec<&'static str> {
        let mut changed = Vec::new();
        if self.appointments != other.appointments {
            changed.push("appointments");
        }
        if self.prescriptions != other.prescriptions {
            changed.push("prescriptions");
        }
        if self.messaging != other.messaging {
            changed.push("messaging");
        }
        if self.record != other.record {
            changed.push("record");
        }
        if self.record_from != other.record_from {
            changed.push("record_from");
        }
        if self.record_audit != other.record_audit {
            changed.push("record_audit");
        }
        if self.consent != other.consent {
            changed.push("consent");
        }
        changed
    }

    /// A short description for the audit trail: `appointments=yes, record=full from account_creation, …`.
    pub fn describe(&self) -> String {
        let yes = |b: bool| if b { "yes" } else { "no" };
        let from = match self.record_from {
            RecordFrom::Date(date) => format!("from {date}"),
            other => format!("from {}", other.kind()),
        };
        format!(
            "appointments={}, prescriptions={}, messaging={}, record={} {from}, record_audit={}, consent={}",
            yes(self.appointments),
            yes(self.prescriptions),
            yes(self.messaging),
            self.record.as_str(),
            yes(self.record_audit),
            yes(self.consent)
        )
    }
}

/// A patient's registration at their practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RegistrationStatus {
    Registered,
    Left,
    Deceased,
}

impl RegistrationStatus {
    pub const ALL: [RegistrationStatus; 3] = [Self::Registered, Self::Left, Self::Deceased];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::Left => "left",
            Self::Deceased => "deceased",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Registered => "Registered",
            Self::Left => "Left the practice",
            Self::Deceased => "Deceased",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// The practice's switches that every service sits behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeSwitches {
    pub online_services: bool,
}

/// The patient whose services are asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    pub patient: PatientId,
    pub practice: PracticeId,
    pub status: RegistrationStatus,
    /// The patient's own grants (the practice defaults when none were set).
    pub grants: Grants,
    /// When their online account was created, for prospective record access.
    pub account_created: Option<DateTime<Utc>>,
}

/// What an actor may use for a subject now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Available {
    pub appointments: bool,
    pub prescriptions: bool,
    pub messaging: bool,
    /// The record level shown, and the first day shown (`None`: the whole history).
    pub record: Option<(RecordLevel, Option<NaiveDate>)>,
    pub record_audit: bool,
    pub consent: bool,
}

impl Available {
    pub const NOTHING: Available = Available {
        appointments: false,
        prescriptions: false,
        messaging: false,
        record: None,
        record_audit: false,
        consent: false,
    };
}

/// Which services `actor` may use for `subject` at `now`.
///
/// - Nothing when the practice has online services switched off, or the
///   patient has left or died.
/// - A patient acting for themselves gets their grants; the record from the
///   date their grant says (the account's creation day when prospective).
/// - Staff of the patient's practice act for the practice, not through the
///   patient's grants: they may book, order and message for any registered
///   patient, and see the full record.
/// - A proxy gets what the patient has themself, narrowed to the services
///   their grant allows today, and never the patient's own "who looked" or
///   consent pages.
/// - Anyone else gets nothing.
pub fn available_services(
    actor: &Actor,
    subject: &Subject,
    practice: PracticeSwitches,
    _now: DateTime<Utc>,
) -> Available {
    if subject.status != RegistrationStatus::Registered {
        return Available::NOTHING;
    }
    match actor {
        Actor::Patient { patient, practice: own, .. } if *patient == subject.patient && *own == subject.practice => {
            if !practice.online_services {
                return Available::NOTHING;
            }
            let grants = subject.grants;
            // Prospective access without a known start shows nothing, never everything.
            let from = match grants.record_from {
                RecordFrom::AccountCreation => match subject.account_created {
                    Some(at) => Some(crate::time::to_london(at).date()),
                    None => return Available { record: None, ..available_for(grants, None) },
                },
                RecordFrom::Date(date) => Some(date),
                RecordFrom::FullHistory => None,
            };
            available_for(grants, from)
        }
        Actor::Proxy { acting_for, practice: theirs, services, .. }
            if *acting_for == subject.patient && *theirs == subject.practice =>
        {
            let themself =
                Actor::Patient { login: crate::LoginId(0), patient: subject.patient, practice: subject.practice };
            let own = available_services(&themself, subject, practice, _now);
            let record = own.record.and_then(|(level, from)| {
                let level = services.record_for(level);
                (level != RecordLevel::None).then_some((level, from))
            });
            Available {
                appointments: own.appointments && services.appointments,
                prescriptions: own.prescriptions && services.prescriptions,
                messaging: own.messaging && services.messages,
                record,
                record_audit: false,
                consent: false,
            }
        }
        Actor::Staff { practice: own, .. } if *own == subject.practice => Available {
            appointments: true,
            prescriptions: true,
            messaging: true,
            record: Some((RecordLevel::Full, None)),
            record_audit: true,
            consent: true,
        },
        _ => Available::NOTHING,
    }
}

fn available_for(grants: Grants, from: Option<NaiveDate>) -> Available {
    Available {
        appointments: grants.appointments,
        prescriptions: grants.prescriptions,
        messaging: grants.messaging,
        record: (grants.record != RecordLevel::None).then_some((grants.record, from)),
        record_audit: grants.record_audit,
        consent: grants.consent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LoginId, StaffRole};
    use chrono::TimeZone;

    const HERE: PracticeId = PracticeId(1);
    const ON: PracticeSwitches = PracticeSwitches { online_services: true };

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap()
    }

    fn subject(grants: Grants) -> Subject {
        Subject {
            patient: PatientId(5),
            practice: HERE,
            status: RegistrationStatus::Registered,
            grants,
            // 23:30 UTC on 31 March is 00:30 on 1 April in London (BST).
            account_created: Some(Utc.with_ymd_and_hms(2026, 3, 31, 23, 30, 0).unwrap()),
        }
    }

    fn herself() -> Actor {
        Actor::Patient { login: LoginId(7), patient: PatientId(5), practice: HERE }
    }

    #[test]
    fn the_2023_default_is_prospective_full_record_access() {
        let available = available_services(&herself(), &subject(Grants::DEFAULT_2023), ON, now());
        assert_eq!(available.record, Some((RecordLevel::Full, NaiveDate::from_ymd_opt(2026, 4, 1))));
        assert!(available.appointments && available.prescriptions && available.messaging);
    }

    #[test]
    fn prospective_access_without_a_known_account_date_shows_no_record() {
        let unknown = Subject { account_created: None, ..subject(Grants::DEFAULT_2023) };
        let available = available_services(&herself(), &unknown, ON, now());
        assert_eq!(available.record, None);
        assert!(available.appointments, "the other services are unaffected");
    }

    #[test]
    fn a_patient_gets_exactly_their_grants() {
        let grants = Grants {
            prescriptions: false,
            record: RecordLevel::Summary,
            record_from: RecordFrom::FullHistory,
            ..Grants::DEFAULT_2023
        };
        let available = available_services(&herself(), &subject(grants), ON, now());
        assert!(!available.prescriptions && available.appointments);
        assert_eq!(available.record, Some((RecordLevel::Summary, None)));
        let none = Grants { record: RecordLevel::None, ..grants };
        assert_eq!(available_services(&herself(), &subject(none), ON, now()).record, None);
    }

    #[test]
    fn nothing_when_the_practice_is_off_or_the_patient_has_left_or_died() {
        let off = PracticeSwitches { online_services: false };
        assert_eq!(available_services(&herself(), &subject(Grants::DEFAULT_2023), off, now()), Available::NOTHING);
        for status in [RegistrationStatus::Left, RegistrationStatus::Deceased] {
            let gone = Subject { status, ..subject(Grants::DEFAULT_2023) };
            assert_eq!(available_services(&herself(), &gone, ON, now()), Available::NOTHING, "{status:?}");
            let staff = Actor::Staff { login: LoginId(1), practice: HERE, role: StaffRole::Receptionist };
            assert_eq!(available_services(&staff, &gone, ON, now()), Available::NOTHING, "{status:?} for staff");
        }
    }

    #[test]
    fn another_patient_staff_elsewhere_and_nobody_get_nothing() {
        let other = Actor::Patient { login: LoginId(8), patient: PatientId(6), practice: HERE };
        let elsewhere = Actor::Staff { login: LoginId(1), practice: PracticeId(2), role: StaffRole::PracticeAdmin };
        for actor in [other, elsewhere, Actor::Anonymous] {
            assert_eq!(available_services(&actor, &subject(Grants::DEFAULT_2023), ON, now()), Available::NOTHING);
        }
    }

    #[test]
    fn staff_of_the_practice_act_for_any_registered_patient_whatever_the_grants() {
        let staff = Actor::Staff { login: LoginId(1), practice: HERE, role: StaffRole::Receptionist };
        let available = available_services(&staff, &subject(Grants::NONE), ON, now());
        assert!(available.appointments && available.prescriptions);
    }

    #[test]
    fn a_proxy_gets_the_patients_own_services_narrowed_to_their_grant() {
        use crate::proxy::ProxyServices;
        let grant =
            ProxyServices { appointments: true, prescriptions: false, messages: true, record: RecordLevel::Full };
        let proxy = |services| Actor::Proxy { login: LoginId(9), acting_for: PatientId(5), practice: HERE, services };
        let own = Grants { messaging: false, record: RecordLevel::Summary, ..Grants::DEFAULT_2023 };
        let available = available_services(&proxy(grant), &subject(own), ON, now());
        assert!(available.appointments, "granted and theirs");
        assert!(!available.prescriptions, "not granted");
        assert!(!available.messaging, "granted, but the patient has no messaging themself");
        assert_eq!(
            available.record,
            Some((RecordLevel::Summary, NaiveDate::from_ymd_opt(2026, 4, 1))),
            "never above their own"
        );
        assert!(!available.record_audit && !available.consent);
        assert_eq!(available_services(&proxy(ProxyServices::NONE), &subject(own), ON, now()).record, None);
        let elsewhere =
            Actor::Proxy { login: LoginId(9), acting_for: PatientId(5), practice: PracticeId(2), services: grant };
        assert_eq!(available_services(&elsewhere, &subject(own), ON, now()), Available::NOTHING);
        let off = PracticeSwitches { online_services: false };
        assert_eq!(available_services(&proxy(grant), &subject(own), off, now()), Available::NOTHING);
    }

    #[test]
    fn differences_name_each_changed_service() {
        let changed = Grants { messaging: false, record: RecordLevel::Summary, ..Grants::DEFAULT_2023 };
        assert_eq!(changed.differences(&Grants::DEFAULT_2023), ["messaging", "record"]);
        assert!(Grants::DEFAULT_2023.differences(&Grants::DEFAULT_2023).is_empty());
        assert!(changed.describe().contains("messaging=no") && changed.describe().contains("record=summary"));
    }

    #[test]
    fn record_from_round_trips_through_its_stored_parts() {
        let date = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        for from in [RecordFrom::AccountCreation, RecordFrom::FullHistory, RecordFrom::Date(date)] {
            assert_eq!(RecordFrom::from_parts(from.kind(), from.date()), Some(from));
        }
        assert_eq!(RecordFrom::from_parts("date", None), None);
    }
}
