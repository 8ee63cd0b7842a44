use super::*;
use domain::record::EntryKind;

const GOOD: &str = include_str!("../../server/tests/fixtures/fhir/amara-ahmed.json");
const BAD: &str = include_str!("../../server/tests/fixtures/fhir/bad.json");

fn entry<'a>(bundle: &'a PatientBundle, source: &str) -> &'a NewEntry {
    bundle.entries.iter().find(|e| e.source_id == source).unwrap_or_else(|| panic!("{source} imported"))
}

#[test]
fn a_uk_core_bundle_reads_into_an_entry_of_every_kind_with_its_patients_nhs_number() {
    let bundle = read_bundle(GOOD).unwrap();
    assert_eq!(bundle.nhs_number.as_str(), "9990001006");
    let mut kinds: Vec<&str> = bundle.entries.iter().map(|e| e.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), EntryKind::ALL.len(), "{kinds:?}");
    // The Practitioner and the draft consultation are left out.
    assert_eq!(bundle.skipped, 2);

    let problem = entry(&bundle, "Condition/hypertension");
    assert_eq!((problem.display.as_str(), problem.code.as_deref()), ("High blood pressure", Some("38341003")));
    assert_eq!(problem.status.as_deref(), Some("active"));
    assert_eq!(problem.free_text.as_deref(), Some("Home readings agree with clinic readings."));
    assert_eq!(entry(&bundle, "Condition/fracture").recorded_on.to_string(), "2019-11-01", "a month is its first day");
    assert_eq!(entry(&bundle, "Condition/fracture").status.as_deref(), Some("past"));
    assert_eq!(entry(&bundle, "AllergyIntolerance/penicillin").detail.as_deref(), Some("Rash"));
    let medicine = entry(&bundle, "MedicationRequest/amlodipine");
    assert_eq!(medicine.status.as_deref(), Some("current, repeat"));
    assert_eq!(medicine.recorded_on.to_string(), "2025-09-01");
    assert_eq!(entry(&bundle, "MedicationStatement/old-antibiotic").status.as_deref(), Some("past, acute"));
    let result = entry(&bundle, "Observation/hba1c-2025");
    assert_eq!((result.value.as_deref(), result.unit.as_deref()), (Some("52"), Some("mmol/mol")));
    assert_eq!(result.reference_range.as_deref(), Some("20 to 41"));
    assert!(result.abnormal && result.filed);
    let consultation = entry(&bundle, "Encounter/review-2025");
    assert_eq!(
        consultation.free_text.as_deref(),
        Some("Well. BP 138/84 at home. Continue amlodipine & review in 6 months.")
    );
    let letter = entry(&bundle, "DocumentReference/clinic-letter");
    assert_eq!(letter.display, "Letter from the eye clinic");
    assert_eq!(letter.content.as_ref().map(|(t, _)| t.as_str()), Some("text/plain"));
}

#[test]
fn a_restricted_resource_reads_as_hidden_and_a_preliminary_result_as_unfiled() {
    let bundle = read_bundle(GOOD).unwrap();
    assert!(entry(&bundle, "Condition/restricted-problem").restricted);
    assert!(!entry(&bundle, "Condition/hypertension").restricted);
    assert!(!entry(&bundle, "Observation/unfiled-potassium").filed);
    assert!(bundle.entries.iter().all(|e| !e.display.contains("DRAFT-MARKER")), "drafts are not the record");
}

#[test]
fn a_bad_bundle_reports_every_problem_with_its_resource_and_path() {
    let problems = read_bundle(BAD).unwrap_err();
    let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        [
            "Condition/no-code code: no text or display to show the patient",
            "Observation/bad-date effectiveDateTime: \"20th of March\" is not a FHIR date or dateTime",
            "AllergyIntolerance/someone-else patient.reference: refers to a patient other than the bundle's",
            "entry[4] id: a resource needs its type and id",
        ]
    );
}

#[test]
fn a_bundle_needs_one_patient_with_a_valid_nhs_number() {
    let not_json = read_bundle("{").unwrap_err();
    assert!(not_json[0].message.starts_with("not FHIR JSON"));
    let no_patient = read_bundle(r#"{"resourceType":"Bundle","entry":[]}"#).unwrap_err();
    assert!(no_patient[0].message.starts_with("no Patient"));
    let bad_number = GOOD.replace("9990001006", "9990001007");
    let problems = read_bundle(&bad_number).unwrap_err();
    assert_eq!(problems[0].to_string(), "Patient/amara-ahmed identifier: the NHS number is not valid: Enter a valid NHS number: check the numbers are right");
}

#[test]
fn an_active_repeat_brings_its_terms_for_the_repeat_list_and_other_medicines_bring_none() {
    let bundle = read_bundle(GOOD).unwrap();
    let terms = entry(&bundle, "MedicationRequest/amlodipine").repeat.clone().expect("an active repeat");
    assert_eq!((terms.quantity, terms.unit.as_str(), terms.days_of_supply), (28, "tablet", 28));
    assert_eq!(terms.dosage, "One tablet each morning");
    assert_eq!(terms.issues_authorised, Some(6), "five repeats after the first issue");
    assert_eq!(terms.issues_issued, 2);
    assert_eq!(terms.authorised_until.map(|d| d.to_string()).as_deref(), Some("2026-09-01"));
    assert_eq!(entry(&bundle, "MedicationStatement/old-antibiotic").repeat, None);

    let weeks = GOOD.replace(
        r#""value": 28, "unit": "days", "system": "http://unitsofmeasure.org", "code": "d""#,
        r#""value": 8, "code": "wk""#,
    );
    let terms = read_bundle(&weeks).unwrap();
    assert_eq!(entry(&terms, "MedicationRequest/amlodipine").repeat.as_ref().map(|t| t.days_of_supply), Some(56));
    let stopped = GOOD.replace(
        r#""status": "active",
        "intent": "order""#,
        r#""status": "stopped",
        "intent": "order""#,
    );
    assert_eq!(entry(&read_bundle(&stopped).unwrap(), "MedicationRequest/amlodipine").repeat, None);
}

#[test]
fn an_active_repeat_without_its_quantity_supply_or_dosage_is_a_problem_of_the_bundle() {
    let unclear = GOOD
        .replace(
            r#""quantity": { "value": 28, "unit": "tablet" },"#,
            r#""quantity": { "value": 2.5, "unit": "tablet" },"#,
        )
        .replace(r#""code": "d" }"#, r#""code": "mo" }"#)
        .replace(r#""dosageInstruction": [{ "text": "One tablet each morning" }],"#, "");
    let said: Vec<String> = read_bundle(&unclear).unwrap_err().iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        [
            "MedicationRequest/amlodipine dispenseRequest.quantity.value: a current repeat needs the quantity of each issue, a whole number",
            "MedicationRequest/amlodipine dispenseRequest.expectedSupplyDuration: a current repeat needs how long each issue lasts, in days (d) or weeks (wk)",
            "MedicationRequest/amlodipine dosageInstruction: a current repeat needs its dosage instructions",
        ]
    );
}
