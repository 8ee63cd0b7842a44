//! Importing a bundle into a practice: what `server import-fhir`, the
//! practice's upload page and the demo data all call.

use crate::{read_bundle, Problem};
use domain::{PatientId, PracticeId};
use storage::audit::NewAudit;
use storage::patients::PatientSearch;
use storage::record::Imported;
use storage::{Store, StoreResult};

/// What importing one bundle did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileImported {
    pub patient: PatientId,
    /// "Amara Ahmed", for the report.
    pub patient_name: String,
    pub imported: Imported,
    pub skipped: usize,
}

/// Imports one bundle's text into a practice, all or nothing: the patient
/// is the registered patient of the practice with the bundle's NHS number.
pub async fn import_file(
    store: &Store,
    practice: PracticeId,
    text: &str,
    audit: &NewAudit,
) -> StoreResult<Result<FileImported, Vec<Problem>>> {
    let bundle = match read_bundle(text) {
        Ok(bundle) => bundle,
        Err(problems) => return Ok(Err(problems)),
    };
    let search = PatientSearch::Identifier(bundle.nhs_number.as_str().to_owned());
    let matched = store.search_patients(practice, &search, 2).await?;
    let patient = matched.iter().find(|p| p.identifier_kind == "nhs" && p.registration_status == "registered");
    let Some(patient) = patient else {
        return Ok(Err(vec![Problem {
            resource: "Patient".into(),
            path: "identifier".into(),
            message: format!("no registered patient of this practice has NHS number {}", bundle.nhs_number.as_str()),
        }]));
    };
    let id = PatientId(patient.id);
    let imported = match store.import_record(practice, id, &bundle.entries, audit).await {
        Ok(imported) => imported,
        Err(storage::StoreError::Rule(why)) => {
            return Ok(Err(vec![Problem { resource: "Bundle".into(), path: String::new(), message: why.into() }]))
        }
        Err(other) => return Err(other),
    };
    Ok(Ok(FileImported {
        patient: id,
        patient_name: format!("{} {}", patient.given_name, patient.family_name),
        imported,
        skipped: bundle.skipped,
    }))
}
