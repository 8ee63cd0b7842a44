//! One resource at a time: each FHIR type the record takes, read into an
//! entry. Anything missing or malformed that the record needs is a problem
//! named with its path; anything optional that is absent is simply absent.

mod repeat;

use super::{Problem, CONFIDENTIALITY, NHS_NUMBER_SYSTEM, SNOMED};
use chrono::{DateTime, NaiveDate};
use domain::record::EntryKind;
use serde_json::Value;
use storage::record::NewEntry;

/// The patient's NHS number from the Patient resource.
pub(super) fn nhs_number(name: &str, patient: &Value, problems: &mut Vec<Problem>) -> Option<domain::NhsNumber> {
    let found = patient["identifier"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|identifier| identifier["system"] == NHS_NUMBER_SYSTEM)
        .and_then(|identifier| identifier["value"].as_str());
    let problem = |message: String| Problem { resource: name.to_owned(), path: "identifier".into(), message };
    match found.map(domain::NhsNumber::parse) {
        Some(Ok(number)) => Some(number),
        Some(Err(invalid)) => {
            problems.push(problem(format!("the NHS number is not valid: {}", invalid.message)));
            None
        }
        None => {
            problems.push(problem(format!("no NHS number (an identifier with system {NHS_NUMBER_SYSTEM})")));
            None
        }
    }
}

/// Reads one resource, noting its problems.
pub(super) struct Reader<'a> {
    pub name: &'a str,
    pub resource: &'a Value,
    pub problems: &'a mut Vec<Problem>,
}

/// The text of a CodeableConcept and its SNOMED CT code, if any.
fn concept(value: &Value) -> (Option<String>, Option<String>) {
    let codings = value["coding"].as_array().map(Vec::as_slice).unwrap_or_default();
    let snomed = codings.iter().find(|c| c["system"] == SNOMED);
    let code = snomed.and_then(|c| c["code"].as_str()).map(str::to_owned);
    let display = value["text"]
        .as_str()
        .or_else(|| snomed.and_then(|c| c["display"].as_str()))
        .or_else(|| codings.iter().find_map(|c| c["display"].as_str()))
        .map(str::to_owned);
    (display, code)
}

/// The first coding's code of a CodeableConcept, such as a clinical status.
fn first_code(value: &Value) -> Option<&str> {
    value["coding"].as_array()?.iter().find_map(|c| c["code"].as_str())
}

/// A FHIR date or dateTime as a London date: "2019", "2019-04" and
/// "2019-04-12" are their first day; a dateTime is converted from its offset.
fn date(text: &str) -> Option<NaiveDate> {
    if text.len() > 10 {
        let at = DateTime::parse_from_rfc3339(text).ok()?;
        return Some(domain::time::to_london(at.to_utc()).date());
    }
    let padded = match text.len() {
        4 => format!("{text}-01-01"),
        7 => format!("{text}-01"),
        _ => text.to_owned(),
    };
    NaiveDate::parse_from_str(&padded, "%Y-%m-%d").ok()
}

/// Notes (`Annotation`s) joined, one per paragraph.
fn notes(value: &Value) -> Option<String> {
    let texts: Vec<&str> = value.as_array()?.iter().filter_map(|n| n["text"].as_str()).collect();
    (!texts.is_empty()).then(|| texts.join("\n\n"))
}

/// A Reference's display, such as the clinician's name.
fn who(value: &Value) -> Option<String> {
    value["display"].as_str().map(str::to_owned)
}

/// Narrative XHTML as plain text: tags dropped, whitespace collapsed.
fn narrative(value: &Value) -> Option<String> {
    let div = value["div"].as_str()?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in div.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

impl Reader<'_> {
    fn problem(&mut self, path: &str, message: &str) {
        self.problems.push(Problem {
            resource: self.name.to_owned(),
            path: path.to_owned(),
            message: message.to_owned(),
        });
    }

    /// The text of a required concept.
    fn required_concept(&mut self, path: &str) -> Option<(String, Option<String>)> {
        match concept(&self.resource[path]) {
            (Some(display), code) => Some((display, code)),
            (None, _) => {
                self.problem(path, "no text or display to show the patient");
                None
            }
        }
    }

    /// The first of `paths` that holds a date, read; a problem if none does.
    fn required_date(&mut self, paths: &[&str]) -> Option<NaiveDate> {
        for path in paths {
            let value = path.split('.').fold(self.resource, |v, key| &v[key]);
            if let Some(text) = value.as_str() {
                let read = date(text);
                if read.is_none() {
                    self.problem(path, &format!("{text:?} is not a FHIR date or dateTime"));
                }
                return read;
            }
        }
        self.problem(paths[0], "no date");
        None
    }

    /// Whether the clinical system marked it restricted (`R` or `V`).
    fn restricted(&self) -> bool {
        self.resource["meta"]["security"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c["system"] == CONFIDENTIALITY && matches!(c["code"].as_str(), Some("R" | "V")))
    }

    /// That the resource is about this bundle's patient.
    fn check_subject(&mut self, patient: &str, path: &str) {
        match self.resource[path]["reference"].as_str() {
            Some(reference) if reference == patient || reference.ends_with(&format!("/{patient}")) => {}
            Some(_) => self.problem(&format!("{path}.reference"), "refers to a patient other than the bundle's"),
            None => self.problem(&format!("{path}.reference"), "does not say whose it is"),
        }
    }

    /// The entry for this resource; `None` for a type the record does not
    /// take, a draft, something entered in error, or a problem (noted).
    pub fn entry(&mut self, patient: &str) -> Option<NewEntry> {
        let r = self.resource;
        let kind = r["resourceType"].as_str().unwrap_or_default();
        let status = r["status"].as_str();
        let subject = if kind == "AllergyIntolerance" || kind == "Immunization" { "patient" } else { "subject" };
        let skip = match kind {
            "Condition" | "AllergyIntolerance" => first_code(&r["verificationStatus"]) == Some("entered-in-error"),
            "MedicationRequest" | "MedicationStatement" => status == Some("entered-in-error"),
            "Immunization" => status != Some("completed"),
            "Observation" => matches!(status, Some("cancelled" | "entered-in-error")),
            // Only finished consultations: drafts are the clinician's, not yet the record.
            "Encounter" => status != Some("finished"),
            "DocumentReference" => status != Some("current"),
            _ => return None,
        };
        if skip {
            return None;
        }
        self.check_subject(patient.rsplit('/').next().unwrap_or(patient), subject);
        let mut entry = match kind {
            "Condition" => self.condition()?,
            "AllergyIntolerance" => self.allergy()?,
            "MedicationRequest" | "MedicationStatement" => self.medication(kind == "MedicationRequest")?,
            "Immunization" => self.immunisation()?,
            "Observation" => self.observation()?,
            "Encounter" => self.encounter()?,
            _ => self.document()?,
        };
        entry.source_id = self.name.to_owned();
        entry.restricted = self.restricted();
        Some(entry)
    }

    fn blank(kind: EntryKind, recorded_on: NaiveDate, display: String, code: Option<String>) -> NewEntry {
        NewEntry {
            source_id: String::new(),
            kind,
            recorded_on,
            clinician: None,
            code,
            display,
            status: None,
            detail: None,
            value: None,
            unit: None,
            reference_range: None,
            abnormal: false,
            free_text: None,
            filed: true,
            content: None,
            restricted: false,
            repeat: None,
        }
    }

    fn condition(&mut self) -> Option<NewEntry> {
        let r = self.resource;
        let named = self.required_concept("code");
        let on = self.required_date(&["onsetDateTime", "recordedDate"]);
        let (display, code) = named?;
        let active = matches!(first_code(&r["clinicalStatus"]), Some("active" | "recurrence" | "relapse"));
        Some(NewEntry {
            status: Some(if active { "active" } else { "past" }.into()),
            clinician: who(&r["recorder"]).or_else(|| who(&r["asserter"])),
            free_text: notes(&r["note"]),
            ..Self::blank(EntryKind::Problem, on?, display, code)
        })
    }

    fn allergy(&mut self) -> Option<NewEntry> {
        let r = self.resource;
        let named = self.required_concept("code");
        let on = self.required_date(&["recordedDate", "onsetDateTime"]);
        let (display, code) = named?;
        let reactions: Vec<String> = r["reaction"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|reaction| reaction["manifestation"].as_array().into_iter().flatten())
            .filter_map(|m| concept(m).0)
            .collect();
        Some(NewEntry {
            detail: (!reactions.is_empty()).then(|| reactions.join(", ")),
            status: first_code(&r["clinicalStatus"]).map(str::to_owned),
            clinician: who(&r["recorder"]),
            free_text: notes(&r["note"]),
            ..Self::blank(EntryKind::Allergy, on?, display, code)
        })
    }

    /// A prescription (MedicationRequest) or a medicine taken
    /// (MedicationStatement): current or past, acute or repeat.
    fn medication(&mut self, request: bool) -> Option<NewEntry> {
        let r = self.resource;
        let named = match concept(&r["medicationCodeableConcept"]) {
            (Some(display), code) => Some((display, code)),
            (None, _) => match r["medicationReference"]["display"].as_str() {
                Some(display) => Some((display.to_owned(), None)),
                None => {
                    self.problem("medicationCodeableConcept", "no medicine named");
                    None
                }
            },
        };
        let dates: &[&str] =
            if request { &["authoredOn"] } else { &["effectiveDateTime", "effectivePeriod.start", "dateAsserted"] };
        let on = self.required_date(dates);
        let (display, code) = named?;
        let current = matches!(r["status"].as_str(), Some("active" | "on-hold" | "intended"));
        let course = first_code(&r["courseOfTherapyType"]);
        let repeat = request && matches!(course, Some("continuous" | "continuous-repeat-dispensing" | "seasonal"));
        let dosage = if request { &r["dosageInstruction"][0]["text"] } else { &r["dosage"][0]["text"] };
        // An active repeat is also on the patient's repeat list, to order;
        // one on hold, stopped or completed leaves it.
        let terms = if repeat && r["status"] == "active" { Some(self.repeat_terms(dosage.as_str())) } else { None };
        Some(NewEntry {
            status: Some(format!(
                "{}, {}",
                if current { "current" } else { "past" },
                if repeat { "repeat" } else { "acute" }
            )),
            detail: dosage.as_str().map(str::to_owned),
            clinician: who(&r["requester"]).or_else(|| who(&r["informationSource"])),
            free_text: notes(&r["note"]),
            repeat: match terms {
                Some(terms) => Some(terms?),
                None => None,
            },
            ..Self::blank(EntryKind::Medication, on?, display, code)
        })
    }

    fn immunisation(&mut self) -> Option<NewEntry> {
        let r = self.resource;
        let named = self.required_concept("vaccineCode");
        let on = self.required_date(&["occurrenceDateTime"]);
        let (display, code) = named?;
        let dose = r["protocolApplied"][0]["doseNumberPositiveInt"].as_u64().map(|n| format!("Dose {n}"));
        Some(NewEntry {
            detail: dose,
            clinician: who(&r["performer"][0]["actor"]),
            free_text: notes(&r["note"]),
            ..Self::blank(EntryKind::Immunisation, on?, display, code)
        })
    }

    /// A test result: filed when final, amended or corrected; registered and
    /// preliminary results wait for a clinician.
    fn observation(&mut self) -> Option<NewEntry> {
        let r = self.resource;
        let named = self.required_concept("code");
        let on = self.required_date(&["effectiveDateTime", "effectivePeriod.start", "issued"]);
        let (display, code) = named?;
        let (value, unit) = if let Some(number) = r["valueQuantity"]["value"].as_f64() {
            let unit = r["valueQuantity"]["unit"].as_str().or(r["valueQuantity"]["code"].as_str());
            (Some(trim_number(number)), unit.map(str::to_owned))
        } else if let Some(text) = r["valueString"].as_str() {
            (Some(text.to_owned()), None)
        } else {
            (concept_text(&r["valueCodeableConcept"]), None)
        };
        let range = &r["referenceRange"][0];
        let reference_range = match (range["low"]["value"].as_f64(), range["high"]["value"].as_f64()) {
            (Some(low), Some(high)) => Some(format!("{} to {}", trim_number(low), trim_number(high))),
            (Some(low), None) => Some(format!("above {}", trim_number(low))),
            (None, Some(high)) => Some(format!("below {}", trim_number(high))),
            (None, None) => range["text"].as_str().map(str::to_owned),
        };
        let interpretation = first_code(&r["interpretation"][0]);
        Some(NewEntry {
            value,
            unit,
            reference_range,
            abnormal: matches!(interpretation, Some("H" | "HH" | "L" | "LL" | "A" | "AA" | "HU" | "LU")),
            status: interpretation.map(str::to_owned),
            filed: matches!(r["status"].as_str(), Some("final" | "amended" | "corrected")),
            clinician: who(&r["performer"][0]),
            free_text: notes(&r["note"]),
            ..Self::blank(EntryKind::TestResult, on?, display, code)
        })
    }

    /// A finished consultation: its type, the clinician, and its narrative as free text.
    fn encounter(&mut self) -> Option<NewEntry> {
        let r = self.resource;
        let on = self.required_date(&["period.start"]);
        let (display, code) = concept(&r["type"][0]);
        Some(NewEntry {
            clinician: who(&r["participant"][0]["individual"]),
            detail: r["reasonCode"].as_array().into_iter().flatten().find_map(|c| concept(c).0),
            free_text: narrative(&r["text"]),
            ..Self::blank(EntryKind::Consultation, on?, display.unwrap_or_else(|| "Consultation".into()), code)
        })
    }

    /// A letter or report, with its file when the bundle carries it.
    fn document(&mut self) -> Option<NewEntry> {
        let r = self.resource;
        let on = self.required_date(&["date"]);
        let attachment = &r["content"][0]["attachment"];
        let title = r["description"].as_str().or(attachment["title"].as_str()).map(str::to_owned);
        let (kind, _) = concept(&r["type"]);
        let Some(title) = title.or(kind.clone()) else {
            self.problem("description", "no title to show the patient");
            return None;
        };
        let content = match (attachment["contentType"].as_str(), attachment["data"].as_str()) {
            (Some(content_type), Some(data)) => Some((content_type.to_owned(), data.to_owned())),
            _ => None,
        };
        Some(NewEntry {
            detail: kind,
            clinician: who(&r["author"][0]),
            content,
            ..Self::blank(EntryKind::Document, on?, title, None)
        })
    }
}

/// A CodeableConcept's text alone.
fn concept_text(value: &Value) -> Option<String> {
    concept(value).0
}

/// A number as people write it: 5 not 5.0, 13.2 not 13.200000000000001.
fn trim_number(number: f64) -> String {
    let text = format!("{:.4}", number);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
