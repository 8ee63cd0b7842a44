//! Writing what a patient may see back out as a FHIR R4 Bundle: the
//! download on their record page. Only entries that passed the filter come
//! here, and free text and files only where the level shows them.

use domain::record::{EntryKind, Shown};
use serde_json::{json, Value};
use storage::record::EntryRow;

/// A CodeableConcept from an entry's text and SNOMED CT code.
fn concept(row: &EntryRow) -> Value {
    match &row.code {
        Some(code) => {
            json!({ "coding": [{ "system": super::SNOMED, "code": code, "display": row.display }], "text": row.display })
        }
        None => json!({ "text": row.display }),
    }
}

/// One visible entry as a resource.
fn resource(row: &EntryRow, shown: Shown, patient: &Value) -> Value {
    let date = row.recorded_on.to_string();
    let note = || match (shown, &row.free_text) {
        (Shown::Full, Some(text)) => json!([{ "text": text }]),
        _ => Value::Null,
    };
    let current = row.status.as_deref().is_some_and(|s| s.starts_with("current"));
    let mut resource = match row.kind().unwrap_or(EntryKind::Document) {
        EntryKind::Problem => json!({
            "resourceType": "Condition", "code": concept(row), "onsetDateTime": date, "subject": patient,
            "clinicalStatus": { "coding": [{ "code": if row.status.as_deref() == Some("active") { "active" } else { "resolved" } }] },
            "note": note(),
        }),
        EntryKind::Allergy => json!({
            "resourceType": "AllergyIntolerance", "code": concept(row), "recordedDate": date, "patient": patient,
            "reaction": row.detail.as_ref().map(|d| json!([{ "manifestation": [{ "text": d }] }])), "note": note(),
        }),
        EntryKind::Medication => json!({
            "resourceType": "MedicationStatement", "medicationCodeableConcept": concept(row), "subject": patient,
            "status": if current { "active" } else { "completed" }, "effectiveDateTime": date,
            "dosage": row.detail.as_ref().map(|d| json!([{ "text": d }])), "note": note(),
        }),
        EntryKind::Immunisation => json!({
            "resourceType": "Immunization", "status": "completed", "vaccineCode": concept(row),
            "occurrenceDateTime": date, "patient": patient, "note": note(),
        }),
        EntryKind::TestResult => json!({
            "resourceType": "Observation", "status": "final", "code": concept(row), "effectiveDateTime": date,
            "subject": patient, "note": note(),
            "valueString": row.value.as_ref().map(|v| format!("{v}{}", row.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default())),
            "referenceRange": row.reference_range.as_ref().map(|r| json!([{ "text": r }])),
        }),
        EntryKind::Consultation => json!({
            "resourceType": "Encounter", "status": "finished", "type": [concept(row)], "subject": patient,
            "period": { "start": date },
            "text": match (shown, &row.free_text) {
                (Shown::Full, Some(text)) => json!({ "status": "additional", "div": format!(
                    "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{}</p></div>",
                    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
                ) }),
                _ => Value::Null,
            },
        }),
        EntryKind::Document => json!({
            "resourceType": "DocumentReference", "status": "current", "description": row.display,
            "date": format!("{date}T00:00:00Z"), "subject": patient,
            "content": [{ "attachment": { "contentType": row.content_type, "title": row.display } }],
        }),
    };
    if let Some(who) = &row.clinician {
        let field = match resource["resourceType"].as_str() {
            Some("Condition") => "recorder",
            Some("MedicationStatement") => "informationSource",
            _ => "",
        };
        if !field.is_empty() {
            resource[field] = json!({ "display": who });
        }
    }
    resource["id"] = json!(format!("entry-{}", row.id));
    if let Value::Object(map) = &mut resource {
        map.retain(|_, value| !value.is_null());
    }
    resource
}

/// The bundle a patient downloads: their Patient (with their NHS number,
/// if that is their identifier) and every entry they may see. A document's
/// file is left out here: it is its own download, from the record page.
pub fn patient_bundle(nhs_number: Option<&str>, name: (&str, &str), entries: &[(EntryRow, Shown)]) -> Value {
    let mut patient =
        json!({ "resourceType": "Patient", "id": "patient", "name": [{ "given": [name.0], "family": name.1 }] });
    if let Some(number) = nhs_number {
        patient["identifier"] = json!([{ "system": super::NHS_NUMBER_SYSTEM, "value": number }]);
    }
    let reference = json!({ "reference": "Patient/patient" });
    let mut items = vec![json!({ "resource": patient })];
    items.extend(entries.iter().map(|(row, shown)| json!({ "resource": resource(row, *shown, &reference) })));
    json!({ "resourceType": "Bundle", "type": "collection", "entry": items })
}
