//! A current repeat prescription's terms, for the patient's repeat list: how
//! much each issue is, how long it lasts, and what is authorised (UK Core's
//! repeat information extension).

use super::{date, Reader};
use serde_json::Value;
use storage::record::RepeatTerms;

/// UK Core's extension on MedicationRequest: issues so far, authorisation end.
pub const REPEAT_INFORMATION: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-MedicationRepeatInformation";

/// A positive whole number from a JSON number, such as `28` or `28.0`.
fn whole(value: &Value) -> Option<i32> {
    let n = value.as_f64()?;
    (n.fract() == 0.0 && n >= 1.0 && n <= f64::from(i32::MAX)).then_some(n as i32)
}

/// A sub-extension's value of the repeat information extension.
fn repeat_information<'v>(resource: &'v Value, part: &str, value: &str) -> &'v Value {
    let outer = resource["extension"].as_array().into_iter().flatten().find(|e| e["url"] == REPEAT_INFORMATION);
    let inner = outer.and_then(|e| e["extension"].as_array()).into_iter().flatten().find(|e| e["url"] == part);
    inner.map_or(&Value::Null, |e| &e[value])
}

impl Reader<'_> {
    /// The terms of a current repeat. Each is needed to order it safely;
    /// any missing is a problem of the bundle.
    pub(super) fn repeat_terms(&mut self, dosage: Option<&str>) -> Option<RepeatTerms> {
        let r = self.resource;
        let supply = &r["dispenseRequest"];
        let quantity = whole(&supply["quantity"]["value"]);
        if quantity.is_none() {
            self.problem(
                "dispenseRequest.quantity.value",
                "a current repeat needs the quantity of each issue, a whole number",
            );
        }
        let duration = &supply["expectedSupplyDuration"];
        let days = match (whole(&duration["value"]), duration["code"].as_str().or(duration["unit"].as_str())) {
            (Some(n), Some("d" | "day" | "days")) => Some(n),
            (Some(n), Some("wk" | "week" | "weeks")) => n.checked_mul(7),
            _ => None,
        };
        if days.is_none() {
            self.problem(
                "dispenseRequest.expectedSupplyDuration",
                "a current repeat needs how long each issue lasts, in days (d) or weeks (wk)",
            );
        }
        let dosage = dosage.map(str::trim).filter(|d| !d.is_empty());
        if dosage.is_none() {
            self.problem("dosageInstruction", "a current repeat needs its dosage instructions");
        }
        let issued = repeat_information(r, "numberOfPrescriptionsIssued", "valueUnsignedInt");
        let issues_issued = match issued {
            Value::Null => Some(0),
            value => value.as_u64().and_then(|n| i32::try_from(n).ok()),
        };
        if issues_issued.is_none() {
            self.problem("extension.numberOfPrescriptionsIssued", "not a whole number");
        }
        let expiry = repeat_information(r, "authorisationExpiryDate", "valueDateTime");
        let authorised_until = match expiry.as_str() {
            None => Some(None),
            Some(text) => date(text).map(Some),
        };
        if authorised_until.is_none() {
            self.problem("extension.authorisationExpiryDate", "not a FHIR date or dateTime");
        }
        let repeats_allowed = &supply["numberOfRepeatsAllowed"];
        // FHIR counts the repeats after the first issue; the list counts every issue.
        let issues_authorised = repeats_allowed.as_u64().and_then(|n| i32::try_from(n + 1).ok());
        let unit = supply["quantity"]["unit"].as_str().or(supply["quantity"]["code"].as_str()).unwrap_or_default();
        Some(RepeatTerms {
            dosage: dosage?.to_owned(),
            quantity: quantity?,
            unit: unit.to_owned(),
            days_of_supply: days?,
            issues_authorised,
            issues_issued: issues_issued?,
            authorised_until: authorised_until?,
        })
    }
}
