//! Reading the patient's record from FHIR R4 Bundles (UK Core shapes), as
//! the practice's clinical system exports it: one Bundle per patient, matched
//! by NHS number. A bundle is read whole before anything is written; any
//! problem, reported with the resource and the path it is at, means nothing
//! of that bundle is imported. The mapping, resource by resource, is in
//! `docs/fhir-import.md`.

mod export;
mod import;
mod resources;
#[cfg(test)]
mod tests;

pub use export::patient_bundle;
pub use import::{import_file, FileImported};

use serde_json::Value;
use std::fmt;
use storage::record::NewEntry;

/// The NHS number's identifier system.
pub const NHS_NUMBER_SYSTEM: &str = "https://fhir.nhs.uk/Id/nhs-number";
/// SNOMED CT.
pub const SNOMED: &str = "http://snomed.info/sct";
/// Confidentiality codes; `R` (restricted) and `V` (very restricted) import hidden.
pub const CONFIDENTIALITY: &str = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

/// One thing wrong with a bundle: which resource, where in it, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `Condition/abc`, or `entry[3]` when the resource has no id.
    pub resource: String,
    /// The element, such as `code` or `subject.reference`; empty for the whole resource.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.resource, self.message)
        } else {
            write!(f, "{} {}: {}", self.resource, self.path, self.message)
        }
    }
}

/// A bundle read: whose record, and its entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientBundle {
    pub nhs_number: domain::NhsNumber,
    pub entries: Vec<NewEntry>,
    /// Resources of types the record does not take (Practitioner,
    /// Organization…), and drafts or entries in error, left out.
    pub skipped: usize,
}

/// Reads a bundle, or says everything wrong with it.
pub fn read_bundle(text: &str) -> Result<PatientBundle, Vec<Problem>> {
    let whole = |message: String| vec![Problem { resource: "Bundle".into(), path: String::new(), message }];
    let bundle: Value = serde_json::from_str(text).map_err(|e| whole(format!("not FHIR JSON: {e}")))?;
    if bundle["resourceType"] != "Bundle" {
        return Err(whole("expected a resource of type Bundle".into()));
    }
    let Some(items) = bundle["entry"].as_array() else {
        return Err(whole("a bundle with no entries".into()));
    };
    let resources: Vec<(String, &Value)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let resource = &item["resource"];
            let name = match (resource["resourceType"].as_str(), resource["id"].as_str()) {
                (Some(kind), Some(id)) if !id.is_empty() => format!("{kind}/{id}"),
                _ => format!("entry[{i}]"),
            };
            (name, resource)
        })
        .collect();
    let mut problems = Vec::new();
    let patients: Vec<&(String, &Value)> = resources.iter().filter(|(_, r)| r["resourceType"] == "Patient").collect();
    let (patient_name, nhs_number) = match patients.as_slice() {
        [(name, patient)] => (name.clone(), resources::nhs_number(name, patient, &mut problems)),
        [] => return Err(whole("no Patient: the bundle must hold the patient whose record it is".into())),
        _ => return Err(whole("more than one Patient: one bundle is one patient's record".into())),
    };
    let mut entries = Vec::new();
    let mut skipped = 0;
    for (name, resource) in &resources {
        if name.starts_with("entry[") {
            problems.push(Problem {
                resource: name.clone(),
                path: "id".into(),
                message: "a resource needs its type and id".into(),
            });
            continue;
        }
        if resource["resourceType"] == "Patient" {
            continue;
        }
        let mut reader = resources::Reader { name, resource, problems: &mut problems };
        match reader.entry(&patient_name) {
            Some(entry) => entries.push(entry),
            None => skipped += 1,
        }
    }
    match (problems.is_empty(), nhs_number) {
        (true, Some(nhs_number)) => Ok(PatientBundle { nhs_number, entries, skipped }),
        _ => Err(problems),
    }
}
