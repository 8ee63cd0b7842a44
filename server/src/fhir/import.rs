//! Importing bundles into a practice: `server import-fhir --practice <ODS>
//! FILE...`, and the same code for the demo data and the upload page.

use super::{read_bundle, Problem};
use crate::config::Config;
use crate::ServerError;
use chrono::{DateTime, Utc};
use domain::{OdsCode, PatientId, PracticeId};
use storage::audit::NewAudit;
use storage::patients::PatientSearch;
use storage::record::Imported;
use storage::Store;

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
) -> Result<Result<FileImported, Vec<Problem>>, ServerError> {
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
        Err(other) => return Err(other.into()),
    };
    Ok(Ok(FileImported {
        patient: id,
        patient_name: format!("{} {}", patient.given_name, patient.family_name),
        imported,
        skipped: bundle.skipped,
    }))
}

/// `server import-fhir`: each file a bundle, imported or refused on its
/// own; refused if any one is, after trying them all.
pub async fn import_command(
    config: &Config,
    ods_code: &str,
    files: &[std::path::PathBuf],
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    let ods = OdsCode::parse(ods_code).map_err(|e| ServerError::Refused(e.message))?;
    let store = Store::open(&config.database_url).await?;
    let result = import_all(&store, &ods, files, now).await;
    store.close().await;
    result
}

async fn import_all(
    store: &Store,
    ods: &OdsCode,
    files: &[std::path::PathBuf],
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    let practice = store
        .practice_by_ods(ods)
        .await?
        .ok_or_else(|| ServerError::Refused(format!("No practice has ODS code {}.", ods.as_str())))?;
    let practice = PracticeId(practice.id);
    let mut refused = 0;
    for file in files {
        let shown = file.display();
        let text = std::fs::read_to_string(file)?;
        let audit = NewAudit::by_the_system(practice, "record_imported", format!("import-fhir {shown}"), now);
        match import_file(store, practice, &text, &audit).await? {
            Ok(done) => println!(
                "{shown}: {}: {} added, {} updated, {} left out (types the record does not take, drafts, entered in error)",
                done.patient_name, done.imported.added, done.imported.updated, done.skipped
            ),
            Err(problems) => {
                refused += 1;
                eprintln!("{shown}: nothing imported:");
                for problem in problems {
                    eprintln!("  {problem}");
                }
            }
        }
    }
    if refused > 0 {
        return Err(ServerError::Refused(format!("{refused} of {} files not imported.", files.len())));
    }
    Ok(())
}
