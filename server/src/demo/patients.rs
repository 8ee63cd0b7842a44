use crate::ServerError;
use app::server::secrets::hash_password;
use chrono::{DateTime, Days, NaiveDate, Utc};
use domain::{Email, NhsNumber, PatientIdentifier, PracticeId};
use storage::patients::NewPatient;
use storage::Store;

pub const DEMO_PATIENTS: usize = 50;

const GIVEN: [(&str, &str); 10] = [
    ("Amara", "female"),
    ("Ben", "male"),
    ("Chloe", "female"),
    ("Dev", "male"),
    ("Ella", "female"),
    ("Finn", "male"),
    ("Grace", "female"),
    ("Hassan", "male"),
    ("Isla", "female"),
    ("Jack", "male"),
];
const FAMILY: [&str; 5] = ["Ahmed", "Brown", "Jones", "Nowak", "Smith"];

/// Fifty patients with NHS numbers from the never-issued 999 range.
pub fn demo_patients() -> Vec<NewPatient> {
    let Some(first_birthday) = NaiveDate::from_ymd_opt(1940, 1, 15) else {
        return Vec::new();
    };
    (0u32..)
        .filter_map(|n| NhsNumber::from_first_nine(&format!("999{:06}", 100 + n)))
        .take(DEMO_PATIENTS)
        .enumerate()
        .map(|(i, nhs_number)| {
            let (given, sex) = GIVEN[i % GIVEN.len()];
            NewPatient {
                identifier: PatientIdentifier::Nhs(nhs_number),
                given_name: given.to_owned(),
                family_name: FAMILY[i / GIVEN.len()].to_owned(),
                // Spread from 1940 to about 2024, so every age group is there.
                date_of_birth: first_birthday + Days::new(i as u64 * 619),
                sex,
                address: format!("{} River Lane, Riverside", i + 1),
                postcode: format!("AB1 {}CD", i % 9 + 1),
                mobile: (i % 3 == 0).then(|| format!("07700 900{:03}", i)),
                registered_on: Some(first_birthday + Days::new(i as u64 * 619 + 30)),
                email: Some(format!(
                    "{}.{}@patients.example",
                    given.to_lowercase(),
                    FAMILY[i / GIVEN.len()].to_lowercase()
                )),
            }
        })
        .collect()
}

/// The demo patient's sign-in, as listed in README: the first demo patient.
pub const DEMO_PATIENT_EMAIL: &str = "patient@riverside.example";
pub const DEMO_PATIENT_PASSWORD: &str = "demo-patient-1";
/// A second demo patient with a sign-in (the third demo patient), for trying
/// things that change an account, such as being locked out, without touching
/// the first.
pub const SECOND_PATIENT_EMAIL: &str = "second.patient@riverside.example";
pub const SECOND_PATIENT_PASSWORD: &str = "demo-patient-2";

pub async fn ensure(store: &Store, practice: PracticeId, now: DateTime<Utc>) -> Result<u64, ServerError> {
    let patients = demo_patients();
    let added = store.ensure_patients(practice, &patients, now).await?;
    let logins = [(0, DEMO_PATIENT_EMAIL, DEMO_PATIENT_PASSWORD), (2, SECOND_PATIENT_EMAIL, SECOND_PATIENT_PASSWORD)];
    for (index, email, password) in logins {
        let email = Email::parse(email).map_err(|e| ServerError::Refused(e.to_string()))?;
        let hash = hash_password(password.to_owned()).await.map_err(|e| ServerError::Refused(e.to_string()))?;
        if let Some(patient) = patients.get(index) {
            store.ensure_patient_login(practice, patient.identifier.as_str(), &email, &hash, now).await?;
        }
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_has_fifty_distinct_valid_999_numbers() {
        let patients = demo_patients();
        assert_eq!(patients.len(), DEMO_PATIENTS);
        let mut numbers: Vec<&str> = patients.iter().map(|p| p.identifier.as_str()).collect();
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), DEMO_PATIENTS);
        assert!(numbers.iter().all(|n| n.starts_with("999") && NhsNumber::parse(n).is_ok()));
    }
}
