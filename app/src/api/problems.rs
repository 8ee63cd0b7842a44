//! The practice's problem log: anyone signed in reports a problem with the
//! online services (what, where, when); staff look into each and say what
//! became of it. Every problem is named and nothing saved on bad input.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A problem as staff read it in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemLine {
    pub id: i64,
    pub what: String,
    /// "Appointments"
    pub place: String,
    /// "2 March 2026"
    pub happened_on: String,
    /// "Patient: Amara Ahmed (patient@riverside.example), 2 March 2026 at 09:30"
    pub reported: String,
    /// "new", with its label.
    pub status: String,
    pub status_label: String,
    /// "3 March 2026 at 10:00, Dr Sam Patel: Investigating. Asked the supplier."
    pub notes: Vec<String>,
}

impl ProblemLine {
    pub fn is_open(&self) -> bool {
        domain::problems::ProblemStatus::parse(&self.status).is_some_and(domain::problems::ProblemStatus::is_open)
    }
}

/// Reports a problem to the practice of whoever is signed in (a proxy's: the
/// practice of the person they act for).
#[server(endpoint = "problems/report")]
pub async fn report_problem(
    #[server(default)] what: String,
    #[server(default)] place: String,
    #[server(default)] happened_on: String,
) -> Result<(), AppError> {
    use domain::problems::{check_report, ReportFields};
    use storage::problems::Reporter;
    let (state, ctx) = crate::server::context().await?;
    let (login, _) = ctx.own_login()?;
    let practice = ctx.actor.practice().ok_or(AppError::SignInRequired)?;
    let today = domain::time::to_london(ctx.now).date();
    let fields = ReportFields { what: &what, place: &place, happened_on: &happened_on };
    let report = check_report(fields, today).map_err(|problems| {
        let mut named = crate::error::Problems::new();
        for (field, problem) in problems {
            named.add(field, problem.message);
        }
        named.finish().err().unwrap_or(AppError::Internal)
    })?;
    let staff = matches!(ctx.actor, domain::Actor::Staff { .. });
    let reporter = if staff { Reporter::Staff } else { Reporter::Patient };
    let audit = ctx.audit("problem_reported").detail(report.place.label());
    state.store.report_problem((practice, login, reporter), &report, &audit).await?;
    leptos_axum::redirect(if staff { "/admin/problems?saved=reported" } else { "/report-a-problem?saved=reported" });
    Ok(())
}

/// Staff: the practice's problems, open ones first, with every note.
#[server(endpoint = "admin/problems")]
pub async fn problem_log() -> Result<Vec<ProblemLine>, AppError> {
    use domain::problems::{Place, ProblemStatus};
    use domain::time::{display_date, display_london};
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::HandleProblems)?;
    let notes = state.store.problem_notes(practice).await?;
    let label = |status: &str| ProblemStatus::parse(status).map_or("", ProblemStatus::label).to_owned();
    let lines = state.store.problems_of_practice(practice).await?.into_iter().map(|row| {
        let who = if row.reporter == "staff" { "Staff" } else { "Patient" };
        let notes = notes.iter().filter(|note| note.problem_id == row.id).map(|note| {
            let said = note.note.as_deref().map(|text| format!(" {text}")).unwrap_or_default();
            format!("{}, {}: {}.{said}", display_london(note.at.0), note.by_name, label(&note.status))
        });
        ProblemLine {
            id: row.id,
            place: Place::parse(&row.place).map_or("", Place::label).to_owned(),
            happened_on: display_date(row.happened_on),
            reported: format!(
                "{who}: {} ({}), {}",
                row.reporter_name,
                row.reporter_email,
                display_london(row.reported_at.0)
            ),
            status_label: label(&row.status),
            notes: notes.collect(),
            status: row.status,
            what: row.what,
        }
    });
    Ok(lines.collect())
}

/// Staff: gives a problem a status (new, investigating, fixed, won't fix)
/// with an optional note; another practice's problem is not found.
#[server(endpoint = "admin/problems/triage")]
pub async fn triage_problem(
    problem_id: i64,
    #[server(default)] status: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use domain::problems::{check_note, ProblemStatus};
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::HandleProblems)?;
    let by = ctx.actor.login().ok_or(AppError::SignInRequired)?;
    state.store.problem_status(practice, problem_id).await?.ok_or(AppError::NotFound)?;
    let mut problems = crate::error::Problems::new();
    let status = ProblemStatus::parse(&status);
    if status.is_none() {
        problems.add("status", "Choose new, investigating, fixed or won't fix");
    }
    let note = problems.check("note", check_note(&note));
    problems.finish()?;
    let (Some(status), Some(note)) = (status, note) else {
        return Err(AppError::invalid("status", "Check the form"));
    };
    let audit = ctx.audit("problem_triaged").detail(status.label());
    match state.store.triage_problem((practice, problem_id), (status, note.as_deref()), by, &audit, ctx.now).await {
        Ok(()) => {}
        Err(storage::StoreError::NotFound) => return Err(AppError::NotFound),
        Err(other) => return Err(other.into()),
    }
    leptos_axum::redirect(&format!("/admin/problems?saved=triaged#problem-{problem_id}"));
    Ok(())
}
