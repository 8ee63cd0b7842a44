//! Demo records: a FHIR bundle for each demo patient with a sign-in, built
//! here and imported through the same code as `server import-fhir`. Several
//! years of entries of every kind, some restricted in the clinical system
//! (hidden), a result not yet filed and a draft consultation (neither shown).
//! The first demo patient sees her full record's whole history, so a
//! newcomer meets every section. Only on the first run.

use crate::ServerError;
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use domain::prescriptions::london_today;
use domain::services::{Grants, RecordFrom};
use domain::{LoginId, PatientId, PracticeId};
use serde_json::{json, Value};
use storage::audit::NewAudit;
use storage::services::GrantChange;
use storage::Store;

const SNOMED: &str = "http://snomed.info/sct";

/// A CodeableConcept: the text, and the SNOMED CT code where there is one.
fn concept(text: &str, code: Option<&str>) -> Value {
    match code {
        Some(code) => json!({ "coding": [{ "system": SNOMED, "code": code, "display": text }], "text": text }),
        None => json!({ "text": text }),
    }
}

/// Marks a resource restricted in the clinical system.
fn restricted(mut resource: Value) -> Value {
    resource["meta"] = json!({ "security": [{
        "system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R" }] });
    resource
}

/// Builds one patient's bundle, resource by resource, with ids unique to them.
struct Bundle {
    patient: String,
    entries: Vec<Value>,
}

impl Bundle {
    fn new(patient: &str, nhs_number: &str) -> Self {
        let resource = json!({
            "resourceType": "Patient", "id": patient,
            "identifier": [{ "system": fhir::NHS_NUMBER_SYSTEM, "value": nhs_number }],
        });
        Self { patient: patient.to_owned(), entries: vec![resource] }
    }

    fn add(&mut self, kind: &str, id: &str, mut resource: Value) {
        resource["resourceType"] = json!(kind);
        resource["id"] = json!(format!("{}-{id}", self.patient));
        let whose = if kind == "AllergyIntolerance" || kind == "Immunization" { "patient" } else { "subject" };
        resource[whose] = json!({ "reference": format!("Patient/{}", self.patient) });
        self.entries.push(resource);
    }

    fn problem(&mut self, id: &str, text: &str, code: Option<&str>, since: NaiveDate, active: bool) {
        let status = if active { "active" } else { "resolved" };
        self.add(
            "Condition",
            id,
            json!({
                "clinicalStatus": { "coding": [{ "code": status }] },
                "code": concept(text, code),
                "onsetDateTime": since.to_string(),
                "recorder": { "display": "Dr Cara Clinician" },
            }),
        );
    }

    fn result(&mut self, id: &str, text: &str, on: NaiveDate, (value, unit): (f64, &str), range: (f64, f64)) {
        let high = value > range.1;
        self.add(
            "Observation",
            id,
            json!({
                "status": "final",
                "code": concept(text, None),
                "effectiveDateTime": on.to_string(),
                "valueQuantity": { "value": value, "unit": unit },
                "referenceRange": [{ "low": { "value": range.0 }, "high": { "value": range.1 } }],
                "interpretation": [{ "coding": [{ "code": if high { "H" } else { "N" } }] }],
                "performer": [{ "display": "Riverside Hospital laboratory" }],
            }),
        );
    }

    fn consultation(&mut self, id: &str, kind: &str, on: NaiveDate, notes: &str) -> Value {
        json!({
            "resourceType": "Encounter", "id": format!("{}-{id}", self.patient), "status": "finished",
            "type": [{ "text": kind }],
            "subject": { "reference": format!("Patient/{}", self.patient) },
            "period": { "start": format!("{on}T09:30:00Z") },
            "participant": [{ "individual": { "display": "Dr Cara Clinician" } }],
            "text": { "status": "additional", "div": format!("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{notes}</p></div>") },
        })
    }

    fn into_json(self) -> String {
        let entries: Vec<Value> = self.entries.into_iter().map(|resource| json!({ "resource": resource })).collect();
        json!({ "resourceType": "Bundle", "type": "collection", "entry": entries }).to_string()
    }
}

/// Amara Ahmed's record: about twenty years of it.
fn first_patient(nhs_number: &str, today: NaiveDate) -> String {
    let years_ago =
        |years: i32, month: u32, day: u32| NaiveDate::from_ymd_opt(today.year() - years, month, day).unwrap_or(today);
    let days_ago = |days: i64| today - TimeDelta::days(days);
    let mut b = Bundle::new("amara", nhs_number);
    b.problem("epilepsy", "Epilepsy", Some("84757009"), years_ago(17, 3, 12), true);
    b.problem("oa-knee", "Osteoarthritis of knee", Some("239873007"), years_ago(14, 9, 3), true);
    b.problem("hypertension", "High blood pressure", Some("38341003"), years_ago(11, 6, 2), true);
    b.problem("diabetes", "Type 2 diabetes", Some("44054006"), years_ago(8, 1, 20), true);
    b.problem("wrist", "Fracture of wrist", Some("263102004"), years_ago(7, 11, 14), false);
    b.entries.push(restricted(json!({
        "resourceType": "Condition", "id": "amara-family-concern",
        "clinicalStatus": { "coding": [{ "code": "active" }] },
        "code": concept("Concern about a family member's wellbeing (third-party information)", None),
        "subject": { "reference": "Patient/amara" }, "recordedDate": years_ago(2, 5, 9).to_string(),
    })));
    b.add(
        "AllergyIntolerance",
        "penicillin",
        json!({
            "clinicalStatus": { "coding": [{ "code": "active" }] },
            "code": concept("Penicillin", Some("764146007")),
            "recordedDate": years_ago(24, 4, 18).to_string(),
            "reaction": [{ "manifestation": [concept("Rash", None)] }],
        }),
    );
    b.add(
        "AllergyIntolerance",
        "codeine",
        json!({
            "clinicalStatus": { "coding": [{ "code": "active" }] },
            "code": concept("Codeine", Some("387494007")),
            "type": "intolerance",
            "recordedDate": years_ago(10, 2, 2).to_string(),
            "reaction": [{ "manifestation": [concept("Nausea and vomiting", None)] }],
        }),
    );
    for (id, medicine, dosage, years) in [
        ("levetiracetam", "Levetiracetam 500mg tablets", "One tablet twice a day", 17),
        ("amlodipine", "Amlodipine 5mg tablets", "One tablet each morning", 11),
        ("metformin", "Metformin 500mg tablets", "One tablet twice a day with food", 8),
        ("atorvastatin", "Atorvastatin 20mg tablets", "One tablet at night", 8),
    ] {
        b.add(
            "MedicationRequest",
            id,
            json!({
                "status": "active", "intent": "order",
                "courseOfTherapyType": { "coding": [{ "code": "continuous" }] },
                "medicationCodeableConcept": concept(medicine, None),
                "authoredOn": years_ago(years, 5, 1).to_string(),
                "requester": { "display": "Dr Cara Clinician" },
                "dosageInstruction": [{ "text": dosage }],
                // The terms her repeat list has (demo/prescriptions.rs).
                "dispenseRequest": {
                    "numberOfRepeatsAllowed": 5,
                    "quantity": { "value": 28, "unit": "tablet" },
                    "expectedSupplyDuration": { "value": 28, "unit": "days", "system": "http://unitsofmeasure.org", "code": "d" },
                },
                "extension": [{
                    "url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-MedicationRepeatInformation",
                    "extension": [
                        { "url": "numberOfPrescriptionsIssued", "valueUnsignedInt": 2 },
                        { "url": "authorisationExpiryDate", "valueDateTime": (today + TimeDelta::days(180)).to_string() },
                    ],
                }],
            }),
        );
    }
    b.add(
        "MedicationStatement",
        "clarithromycin",
        json!({
            "status": "completed",
            "medicationCodeableConcept": concept("Clarithromycin 500mg tablets", None),
            "effectivePeriod": { "start": years_ago(3, 1, 5).to_string() },
            "dosage": [{ "text": "One tablet twice a day for 7 days" }],
        }),
    );
    for years in 0..4 {
        let on = years_ago(years + 1, 10, 8);
        b.add(
            "Immunization",
            &format!("flu-{}", on.year()),
            json!({
                "status": "completed", "vaccineCode": concept("Influenza vaccine", None),
                "occurrenceDateTime": on.to_string(), "performer": [{ "actor": { "display": "Nurse Nia Jones" } }],
            }),
        );
    }
    b.add(
        "Immunization",
        "pneumococcal",
        json!({
            "status": "completed", "vaccineCode": concept("Pneumococcal polysaccharide vaccine", None),
            "occurrenceDateTime": years_ago(20, 11, 2).to_string(),
        }),
    );
    // HbA1c twice a year, coming down since the diabetes was found.
    for (i, value) in [64.0, 58.0, 55.0, 52.0, 49.0, 50.0].into_iter().enumerate() {
        let on = days_ago(182 * (6 - i as i64));
        b.result(&format!("hba1c-{i}"), "HbA1c (diabetes control)", on, (value, "mmol/mol"), (20.0, 48.0));
    }
    b.result("egfr", "eGFR (kidney function)", days_ago(40), (71.0, "mL/min/1.73m2"), (60.0, 120.0));
    b.result("cholesterol", "Total cholesterol", days_ago(40), (4.6, "mmol/L"), (0.0, 5.0));
    b.add(
        "Observation",
        "potassium-unfiled",
        json!({
            "status": "preliminary", "code": concept("Serum potassium", None),
            "issued": format!("{}T08:10:00Z", days_ago(1)), "valueQuantity": { "value": 5.9, "unit": "mmol/L" },
        }),
    );
    let review = b.consultation("review", "Diabetes and blood pressure review", days_ago(40),
        "HbA1c improving on metformin. BP 136/82. Feet checked: good pulses, no ulcers. Continue the same; review in 6 months.");
    let knee = b.consultation("knee", "Knee pain", years_ago(1, 3, 14),
        "Right knee worse on stairs for a month. No swelling. Advised exercises and paracetamol; physiotherapy referral offered and accepted.");
    let seizure = b.consultation(
        "seizure-review",
        "Epilepsy review",
        years_ago(2, 6, 21),
        "No seizures for 3 years. Taking levetiracetam as prescribed. Driving: DVLA rules discussed.",
    );
    let family = restricted(b.consultation(
        "family",
        "Telephone call",
        years_ago(2, 5, 9),
        "Daughter called with concerns about her brother. Third-party information.",
    ));
    let draft = json!({
        "resourceType": "Encounter", "id": "amara-draft", "status": "in-progress",
        "type": [{ "text": "Telephone call (notes not finished)" }], "subject": { "reference": "Patient/amara" },
        "period": { "start": format!("{}T11:00:00Z", days_ago(1)) },
    });
    b.entries.extend([review, knee, seizure, family, draft]);
    b.add("DocumentReference", "eye-clinic", json!({
        "status": "current", "description": "Letter from the eye clinic (diabetic eye screening)",
        "type": concept("Letter", None), "date": format!("{}T14:00:00Z", days_ago(120)),
        "author": [{ "display": "Riverside Eye Clinic" }],
        "content": [{ "attachment": { "contentType": "text/plain",
            "data": "RGVhciBEciBDbGluaWNpYW4sCgpXZSBzYXcgTXJzIEFobWVkIGZvciBkaWFiZXRpYyBleWUgc2NyZWVuaW5nIHRvZGF5LiBUaGVyZSBpcyBubyBkaWFiZXRpYyByZXRpbm9wYXRoeS4gV2Ugd2lsbCBpbnZpdGUgaGVyIGFnYWluIGluIG9uZSB5ZWFyLgoKUml2ZXJzaWRlIEV5ZSBDbGluaWM=" } }],
    }));
    b.into_json()
}

/// The second demo patient's record: a few years of it.
fn second_patient(nhs_number: &str, today: NaiveDate) -> String {
    let days_ago = |days: i64| today - TimeDelta::days(days);
    let mut b = Bundle::new("second", nhs_number);
    b.problem("hypertension", "High blood pressure", Some("38341003"), days_ago(900), true);
    b.problem("hypothyroidism", "Underactive thyroid", Some("40930008"), days_ago(2000), true);
    b.add(
        "AllergyIntolerance",
        "none",
        json!({
            "clinicalStatus": { "coding": [{ "code": "active" }] },
            "code": concept("No known drug allergies", None), "recordedDate": days_ago(2000).to_string(),
        }),
    );
    b.result("tsh", "TSH (thyroid function)", days_ago(60), (2.1, "mU/L"), (0.3, 4.2));
    let review = b.consultation(
        "review",
        "Blood pressure review",
        days_ago(30),
        "Home readings average 134/80. Losartan started last year suits. Review in 12 months.",
    );
    b.entries.push(review);
    b.into_json()
}

/// Builds a demo patient's bundle from their NHS number and today.
type RecordOf = fn(&str, NaiveDate) -> String;

/// Imports each demo patient's bundle, once; gives the first demo patient
/// her full record's whole history.
pub async fn ensure(store: &Store, practice: PracticeId, by: LoginId, now: DateTime<Utc>) -> Result<(), ServerError> {
    let today = london_today(now);
    let records: [(&str, RecordOf); 2] =
        [(super::DEMO_PATIENT_EMAIL, first_patient), (super::SECOND_PATIENT_EMAIL, second_patient)];
    for (email, record) in records {
        let Some(login) = store.login_by_email(email).await? else { continue };
        let Some(patient) = login.patient_id.map(PatientId) else { continue };
        if !store.record_entries(practice, patient).await?.is_empty() {
            continue;
        }
        let Some(row) = store.patient(practice, patient).await? else { continue };
        let audit = NewAudit::by_the_system(practice, "record_imported", "demo data", now);
        if let Err(problems) = fhir::import_file(store, practice, &record(&row.identifier, today), &audit).await? {
            let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
            return Err(ServerError::Refused(format!("the demo record did not import: {}", said.join("; "))));
        }
    }
    let Some(amara) = store.login_by_email(super::DEMO_PATIENT_EMAIL).await?.and_then(|l| l.patient_id) else {
        return Ok(());
    };
    let amara = PatientId(amara);
    if store.patient_grants(practice, amara).await?.is_none() {
        let grants = Grants { record_from: RecordFrom::FullHistory, ..Grants::DEFAULT_2023 };
        let reason = "Asked for her full history at the desk; a clinician checked it first";
        let audit =
            NewAudit::by_the_system(practice, "patient_grants_changed", grants.describe(), now).on("patient", amara.0);
        let change = GrantChange { practice, patient: amara, grants: &grants, reason, by, now };
        store.set_patient_grants(&change, &audit).await?;
    }
    Ok(())
}
