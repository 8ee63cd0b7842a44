//! Patients: their record, as much of it as their access shows. Every
//! entry passes `domain::record::visible` on the server: hidden entries and
//! results not yet filed never leave it, free text only at the full level.
//! Each view is audited with the section looked at.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One entry as the patient reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryView {
    /// The section, such as `test_result`.
    pub kind: String,
    /// "12 March 2024"
    pub date: String,
    /// "High blood pressure", "HbA1c (diabetes control)"
    pub title: String,
    /// "Active", "Current, repeat", "Past"
    pub status: Option<String>,
    /// Dosage, reaction, a dose number, a document's type.
    pub detail: Option<String>,
    /// "52 mmol/mol"
    pub value: Option<String>,
    /// "Normal range 20 to 48"
    pub range: Option<String>,
    pub abnormal: bool,
    pub clinician: Option<String>,
    /// Notes and comments: the full record only.
    pub notes: Option<String>,
    /// A document's file can be downloaded here (the full record only).
    pub document: Option<String>,
}

/// A repeated numeric result, for a small chart: the points oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultSeries {
    pub title: String,
    pub unit: String,
    /// `(date as shown, value)`.
    pub points: Vec<(String, f64)>,
}

/// A section and how many entries it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionCount {
    pub kind: String,
    pub label: String,
    pub count: usize,
}

/// The record page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordView {
    /// "Your practice shows your full record from 1 April 2021."
    pub describe: String,
    pub sections: Vec<SectionCount>,
    /// Newest first, within the chosen section and dates.
    pub entries: Vec<EntryView>,
    pub series: Vec<ResultSeries>,
    /// The section chosen (empty: all), and the "from" date as typed.
    pub section: String,
    pub from: String,
    /// The practice lets them see who has looked at their record.
    pub can_see_looks: bool,
    /// The practice lets them see their consent-to-share settings.
    pub can_see_sharing: bool,
}

#[cfg(feature = "ssr")]
pub mod shared {
    use super::*;
    use domain::record::{EntryKind, RecordAccess, Shown};
    use storage::record::EntryRow;

    /// How a stored status reads.
    fn status_text(row: &EntryRow) -> Option<String> {
        let status = row.status.as_deref()?;
        let text = match (row.kind(), status) {
            (Some(EntryKind::TestResult), _) => return None,
            (_, "active") => "Active",
            (_, "past") | (_, "resolved") | (_, "inactive") => "Past",
            (_, other) => return Some(format!("{}{}", other[..1].to_uppercase(), &other[1..])),
        };
        Some(text.to_owned())
    }

    /// An entry as the patient reads it, as much as `shown` allows.
    pub fn entry_view(row: &EntryRow, shown: Shown) -> EntryView {
        let full = shown == Shown::Full;
        EntryView {
            kind: row.kind.clone(),
            date: domain::time::display_date(row.recorded_on),
            title: row.display.clone(),
            status: status_text(row),
            detail: row.detail.clone(),
            value: row
                .value
                .as_ref()
                .map(|v| format!("{v}{}", row.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default())),
            range: row.reference_range.as_ref().map(|r| format!("Normal range {r}")),
            abnormal: row.abnormal,
            clinician: row.clinician.clone(),
            notes: if full { row.free_text.clone() } else { None },
            document: (full && row.content_type.is_some()).then(|| format!("/record/documents/{}", row.id)),
        }
    }

    /// The patient's record access, or why there is none; and everything
    /// else they may use.
    pub async fn patient_record(
        state: &crate::server::AppState,
        ctx: &crate::server::Ctx,
    ) -> Result<(domain::PracticeId, domain::PatientId, RecordAccess, domain::services::Available), AppError> {
        let (practice, patient, _, available) =
            crate::server::services::signed_in_patient(state, ctx, |available| available.record.is_some()).await?;
        let access = RecordAccess::new(available.record.ok_or(AppError::Forbidden)?);
        Ok((practice, patient, access, available))
    }

    /// The entries the patient may see, with how much of each, newest first.
    pub async fn visible_entries(
        state: &crate::server::AppState,
        practice: domain::PracticeId,
        patient: domain::PatientId,
        access: &RecordAccess,
    ) -> Result<Vec<(EntryRow, Shown)>, AppError> {
        let rows = state.store.record_entries(practice, patient).await?;
        Ok(domain::record::filter(access, rows.iter(), EntryRow::facts)
            .into_iter()
            .map(|(row, shown)| (row.clone(), shown))
            .collect())
    }

    /// Results with the same name and a number, two or more: a chart each.
    pub fn series(entries: &[(EntryRow, Shown)]) -> Vec<ResultSeries> {
        let mut series: Vec<ResultSeries> = Vec::new();
        for (row, _) in entries.iter().rev().filter(|(row, _)| row.kind() == Some(EntryKind::TestResult)) {
            let Some(value) = row.value.as_deref().and_then(|v| v.parse::<f64>().ok()) else { continue };
            let point = (domain::time::display_date(row.recorded_on), value);
            match series.iter_mut().find(|s| s.title == row.display) {
                Some(found) => found.points.push(point),
                None => series.push(ResultSeries {
                    title: row.display.clone(),
                    unit: row.unit.clone().unwrap_or_default(),
                    points: vec![point],
                }),
            }
        }
        series.retain(|s| s.points.len() > 1);
        series
    }
}

/// Patients: their record, in the section chosen (all when empty) and from
/// the date typed (all dates when empty).
#[server(endpoint = "record/mine")]
pub async fn my_record(
    #[server(default)] section: String,
    #[server(default)] from: String,
) -> Result<RecordView, AppError> {
    use domain::record::EntryKind;
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, access, available) = shared::patient_record(&state, &ctx).await?;
    let kind = match section.trim() {
        "" => None,
        chosen => Some(
            EntryKind::parse(chosen).ok_or_else(|| AppError::invalid("section", "Choose a section from the list"))?,
        ),
    };
    let from_day = match from.trim() {
        "" => None,
        typed => Some(
            domain::time::parse_typed_date(typed)
                .ok_or_else(|| AppError::invalid("from", "Enter a date like 1/4/2021, or leave it empty"))?,
        ),
    };
    let visible = shared::visible_entries(&state, practice, patient, &access).await?;
    let sections = EntryKind::ALL
        .iter()
        .map(|kind| SectionCount {
            kind: kind.as_str().to_owned(),
            label: kind.label().to_owned(),
            count: visible.iter().filter(|(row, _)| row.kind() == Some(*kind)).count(),
        })
        .collect();
    let chosen: Vec<_> = visible
        .into_iter()
        .filter(|(row, _)| kind.is_none_or(|k| row.kind() == Some(k)))
        .filter(|(row, _)| from_day.is_none_or(|day| row.recorded_on >= day))
        .collect();
    let audit =
        ctx.audit("record_viewed").on("patient", patient.0).detail(kind.map_or("all sections", EntryKind::label));
    state.store.append_audit(&audit).await?;
    Ok(RecordView {
        describe: access.describe(),
        sections,
        series: shared::series(&chosen),
        entries: chosen.iter().map(|(row, shown)| shared::entry_view(row, *shown)).collect(),
        section: kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
        from: from.trim().to_owned(),
        can_see_looks: available.record_audit,
        can_see_sharing: available.consent,
    })
}

/// One look at the patient's record, as they read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookView {
    /// "Monday 2 March 2026, 9:30am"
    pub when: String,
    /// "You", or "Dr Cara Clinician, Clinician, Riverside Medical Practice".
    pub who: String,
    /// "Test results", "All sections", "Downloaded".
    pub what: String,
}

/// Patients whose practice lets them: who has looked at their record, newest first.
#[server(endpoint = "record/looks")]
pub async fn who_looked() -> Result<Vec<LookView>, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, _, _) =
        crate::server::services::signed_in_patient(&state, &ctx, |a| a.record.is_some() && a.record_audit).await?;
    let me = ctx.actor.login();
    let practice_name = ctx.practice()?.name.to_string();
    let looks = state.store.record_looks(practice, patient, 100).await?;
    Ok(looks
        .into_iter()
        .map(|look| {
            let who = match (look.login_id, look.role.as_deref().and_then(domain::StaffRole::parse)) {
                (Some(id), _) if Some(domain::LoginId(id)) == me => "You".to_owned(),
                (_, Some(role)) => {
                    format!("{}, {}, {practice_name}", look.name.unwrap_or_default(), role.label())
                }
                _ => look.name.unwrap_or_else(|| practice_name.clone()),
            };
            let what = match look.action.as_str() {
                "record_downloaded" => "Downloaded what you can see".to_owned(),
                _ => look
                    .detail
                    .map(|d| if d == "all sections" { "All sections".to_owned() } else { d })
                    .unwrap_or_default(),
            };
            LookView { when: domain::time::display_london(look.at.0), who, what }
        })
        .collect())
}
