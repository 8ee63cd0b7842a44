//! The demo register's variety: patients who left or died, and patients whose
//! online services differ from the practice's defaults, each with its reason.

use crate::ServerError;
use chrono::{DateTime, NaiveDate, Utc};
use domain::services::{Grants, RecordFrom, RecordLevel, RegistrationStatus};
use domain::{LoginId, PatientId, PracticeId};
use storage::audit::NewAudit;
use storage::patients::{PatientSearch, StatusChange};
use storage::services::GrantChange;
use storage::Store;

/// Demo patients (by name) and what changed for them.
const LEFT: &str = "Hassan Jones";
const DECEASED: &str = "Isla Jones";
const GRANTS: [(&str, &str); 3] = [
    ("Dev Brown", "Summary record only: the patient asked for less"),
    ("Ella Brown", "Detailed coded record from April 2024, at the patient's request"),
    ("Finn Brown", "No messaging: the patient prefers to telephone"),
];

fn audit(practice: PracticeId, detail: String, now: DateTime<Utc>) -> NewAudit {
    NewAudit::by_the_system(practice, "demo_data", detail, now)
}

/// The demo patient with this name, as the register search finds them.
pub(super) async fn patient_named(
    store: &Store,
    practice: PracticeId,
    name: &str,
) -> Result<Option<storage::patients::PatientRow>, ServerError> {
    let found = store.search_patients(practice, &PatientSearch::Name(name.to_owned()), 2).await?;
    Ok(found.into_iter().next())
}

pub async fn ensure(store: &Store, practice: PracticeId, by: LoginId, now: DateTime<Utc>) -> Result<(), ServerError> {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| ServerError::Refused("bad demo date".into()));
    for (name, status, on) in [
        (LEFT, RegistrationStatus::Left, day(2025, 9, 30)?),
        (DECEASED, RegistrationStatus::Deceased, day(2026, 1, 12)?),
    ] {
        let Some(patient) = patient_named(store, practice, name).await? else { continue };
        if patient.registration_status != RegistrationStatus::Registered.as_str() {
            continue;
        }
        let audit = audit(practice, format!("{name}: {}", status.as_str()), now);
        let change = StatusChange { practice, patient: PatientId(patient.id), status, on, audit: &audit, now };
        store.change_registration_status(&change).await?;
    }
    let grants = [
        Grants { record: RecordLevel::Summary, ..Grants::DEFAULT_2023 },
        Grants {
            record: RecordLevel::DetailedCoded,
            record_from: RecordFrom::Date(day(2024, 4, 1)?),
            ..Grants::DEFAULT_2023
        },
        Grants { messaging: false, ..Grants::DEFAULT_2023 },
    ];
    for ((name, reason), grants) in GRANTS.into_iter().zip(grants) {
        let Some(patient) = patient_named(store, practice, name).await? else { continue };
        let id = PatientId(patient.id);
        if store.patient_grants(practice, id).await?.is_some() {
            continue;
        }
        let audit = audit(practice, format!("{name}: {}", grants.describe()), now);
        let change = GrantChange { practice, patient: id, grants: &grants, reason, by, now };
        store.set_patient_grants(&change, &audit).await?;
    }
    Ok(())
}
