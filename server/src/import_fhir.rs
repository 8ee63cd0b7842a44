//! `server import-fhir --practice <ODS> FILE...`: bundles from the
//! practice's clinical system, imported through the same code as the upload
//! page.

use crate::config::Config;
use crate::ServerError;
use chrono::{DateTime, Utc};
use domain::{OdsCode, PracticeId};
use fhir::import_file;
use storage::audit::NewAudit;
use storage::Store;

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
