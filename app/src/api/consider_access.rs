//! "Consider online access": registered patients with no online account who
//! have not been offered one in the last 12 months, for receptionists and
//! practice admins to ask; a declined offer is recorded, and a paper
//! application form can be printed for those who want one.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Patients shown on one page of the list.
pub const PER_PAGE: u32 = 25;

/// A patient on the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientToConsider {
    pub id: i64,
    pub name: String,
    pub date_of_birth: String,
    pub identifier_label: String,
    pub identifier: String,
    /// "Never", or the day of their last offer (over 12 months ago).
    pub last_offered: String,
}

/// One page of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientsToConsider {
    pub patients: Vec<PatientToConsider>,
    pub total: i64,
    /// This page's number, from 1.
    pub page: u32,
    pub pages: u32,
}

/// The paper application for online services, printed on A4 and filled in by
/// the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationForm {
    pub practice_name: String,
    pub practice_address: String,
    pub practice_phone: String,
    pub ods_code: String,
    pub patient_id: i64,
    pub patient_name: String,
    pub date_of_birth: String,
    pub identifier_label: String,
    pub identifier: String,
}

/// The check the "Offered and declined" form passes, in the browser and on
/// the server.
pub fn check_offer_declined(patient_id: i64) -> Result<(), AppError> {
    if patient_id <= 0 {
        return Err(AppError::invalid("patient_id", "Choose a patient from the list"));
    }
    Ok(())
}

/// Where the list goes after a change: the same page, with a note of it.
pub fn list_address(page: u32, note: Option<&str>) -> String {
    let mut query = Vec::new();
    if page > 1 {
        query.push(format!("page={page}"));
    }
    if let Some(note) = note {
        query.push(note.to_owned());
    }
    if query.is_empty() {
        "/admin/consider-access".to_owned()
    } else {
        format!("/admin/consider-access?{}", query.join("&"))
    }
}

/// Receptionists and practice admins: one page of the patients to consider
/// offering online access to, by family then given name.
#[server(endpoint = "admin/consider-access")]
pub async fn load_patients_to_consider(#[server(default)] page: Option<u32>) -> Result<PatientsToConsider, AppError> {
    use domain::policy::Action;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::IssueOnlineAccounts)?;
    let per_page = i64::from(PER_PAGE);
    let mut page = page.unwrap_or(1).max(1);
    let offset = |page: u32| i64::from(page - 1) * per_page;
    let mut found = state.store.patients_to_consider(practice, ctx.now, per_page, offset(page)).await?;
    let pages = u32::try_from((found.total + per_page - 1) / per_page).unwrap_or(u32::MAX).max(1);
    // Past the end (the last patient of the last page was just recorded, say): show the last page.
    if page > pages {
        page = pages;
        found = state.store.patients_to_consider(practice, ctx.now, per_page, offset(page)).await?;
    }
    let patients = found
        .patients
        .iter()
        .map(|p| {
            let (identifier_label, identifier) =
                crate::api::patients::shown_identifier(&p.identifier_kind, &p.identifier);
            PatientToConsider {
                id: p.id,
                name: format!("{} {}", p.given_name, p.family_name),
                date_of_birth: domain::time::display_date(p.date_of_birth),
                identifier_label,
                identifier,
                last_offered: p
                    .last_offered_at
                    .map(|at| domain::time::display_london_date(at.0))
                    .unwrap_or_else(|| "Never".into()),
            }
        })
        .collect();
    Ok(PatientsToConsider { patients, total: found.total, page, pages })
}

/// Receptionists and practice admins: records that the patient was offered
/// online access and declined, so they leave the list for 12 months. The
/// browser goes back to the list.
#[server(endpoint = "admin/consider-access/declined")]
pub async fn record_offer_declined(
    #[server(default)] patient_id: i64,
    #[server(default)] page: Option<u32>,
) -> Result<(), AppError> {
    use domain::policy::{Action, Object};
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::IssueOnlineAccounts)?;
    check_offer_declined(patient_id)?;
    let patient = domain::PatientId(patient_id);
    ctx.authorize(Action::IssueOnlineAccounts, Object::Patient { patient, practice })?;
    let by = ctx.actor.login().ok_or(AppError::SignInRequired)?;
    let audit = storage::audit::NewAudit { acting_for: Some(patient), ..ctx.audit("online_access_declined") };
    state.store.record_offer_declined(practice, patient, by, &audit, ctx.now).await?;
    leptos_axum::redirect(&list_address(page.unwrap_or(1), Some("declined=1")));
    Ok(())
}

/// Receptionists and practice admins: the patient's application form for
/// online services, to print.
#[server(endpoint = "admin/patients/application-form")]
pub async fn load_application_form(patient_id: i64) -> Result<ApplicationForm, AppError> {
    use domain::policy::{Action, Object};
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::IssueOnlineAccounts)?;
    let patient = domain::PatientId(patient_id);
    ctx.authorize(Action::IssueOnlineAccounts, Object::Patient { patient, practice })?;
    // The patient must be this practice's, whatever the request says.
    let row = state.store.patient(practice, patient).await?.ok_or(AppError::NotFound)?;
    let practice_row = state.store.practice(practice).await?.ok_or(AppError::NotFound)?;
    let summary = crate::api::patients::summary(&row);
    Ok(ApplicationForm {
        practice_name: practice_row.name,
        practice_address: practice_row.address,
        practice_phone: practice_row.phone,
        ods_code: practice_row.ods_code,
        patient_id,
        patient_name: summary.name,
        date_of_birth: summary.date_of_birth,
        identifier_label: summary.identifier_label,
        identifier: summary.identifier,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_address_keeps_the_page_and_adds_the_note() {
        assert_eq!(list_address(1, None), "/admin/consider-access");
        assert_eq!(list_address(1, Some("declined=1")), "/admin/consider-access?declined=1");
        assert_eq!(list_address(2, Some("declined=1")), "/admin/consider-access?page=2&declined=1");
    }

    #[test]
    fn a_declined_offer_needs_a_patient() {
        assert!(check_offer_declined(0).is_err());
        assert!(check_offer_declined(-3).is_err());
        assert!(check_offer_declined(12).is_ok());
    }
}
