//! The practice's problem log: reports of problems with the online services
//! and the notes staff add as they look into them.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar};
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, Utc};
use domain::problems::{ProblemStatus, Report};
use domain::{LoginId, PracticeId};

/// Who reported a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reporter {
    /// A patient, or someone acting for one.
    Patient,
    Staff,
}

/// A problem as stored, with who reported it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProblemRow {
    pub id: i64,
    pub reporter: String,
    pub reporter_name: String,
    pub reporter_email: String,
    pub what: String,
    pub place: String,
    pub happened_on: NaiveDate,
    pub status: String,
    pub reported_at: Timestamp,
}

/// A note on a problem, with who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProblemNoteRow {
    pub problem_id: i64,
    pub by_name: String,
    pub status: String,
    pub note: Option<String>,
    pub at: Timestamp,
}

impl Store {
    /// Adds a report to the practice's log, new, recorded with `audit`.
    pub async fn report_problem(
        &self,
        (practice, by, reporter): (PracticeId, LoginId, Reporter),
        report: &Report,
        audit: &NewAudit,
    ) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        let id: i64 = query_scalar(
            "INSERT INTO problem_report (practice_id, reported_by, reporter, what, place, happened_on, status, \
             reported_at) VALUES ($1, $2, $3, $4, $5, $6, 'new', $7) RETURNING id",
        )
        .bind(practice.0)
        .bind(by.0)
        .bind(if reporter == Reporter::Staff { "staff" } else { "patient" })
        .bind(&report.what)
        .bind(report.place.as_str())
        .bind(report.happened_on)
        .bind(Timestamp(audit.at))
        .fetch_one(&mut tx)
        .await?;
        append_audit(&mut tx, &audit.clone().on("problem_report", id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The practice's problems, those still open first, newest first.
    pub async fn problems_of_practice(&self, practice: PracticeId) -> StoreResult<Vec<ProblemRow>> {
        query_as(
            "SELECT r.id, r.reporter, l.display_name AS reporter_name, l.email AS reporter_email, r.what, r.place, \
             r.happened_on, r.status, r.reported_at FROM problem_report r JOIN login l ON l.id = r.reported_by \
             WHERE r.practice_id = $1 \
             ORDER BY CASE WHEN r.status IN ('new', 'investigating') THEN 0 ELSE 1 END, r.reported_at DESC, r.id DESC",
        )
        .bind(practice.0)
        .fetch_all(&mut self.reader().await?)
        .await
    }

    /// The notes on the practice's problems, oldest first.
    pub async fn problem_notes(&self, practice: PracticeId) -> StoreResult<Vec<ProblemNoteRow>> {
        query_as(
            "SELECT n.problem_id, l.display_name AS by_name, n.status, n.note, n.at FROM problem_note n \
             JOIN problem_report r ON r.id = n.problem_id JOIN login l ON l.id = n.by_login \
             WHERE r.practice_id = $1 ORDER BY n.id",
        )
        .bind(practice.0)
        .fetch_all(&mut self.reader().await?)
        .await
    }

    /// Where one of the practice's problems stands, if it is the practice's.
    pub async fn problem_status(&self, practice: PracticeId, problem: i64) -> StoreResult<Option<String>> {
        query_scalar("SELECT status FROM problem_report WHERE id = $1 AND practice_id = $2")
            .bind(problem)
            .bind(practice.0)
            .fetch_optional(&mut self.reader().await?)
            .await
    }

    /// Gives one of the practice's problems `status`, with an optional
    /// note; another practice's problem is not found.
    pub async fn triage_problem(
        &self,
        (practice, problem): (PracticeId, i64),
        (status, note): (ProblemStatus, Option<&str>),
        by: LoginId,
        audit: &NewAudit,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let changed = query("UPDATE problem_report SET status = $1 WHERE id = $2 AND practice_id = $3")
            .bind(status.as_str())
            .bind(problem)
            .bind(practice.0)
            .execute(&mut tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        query("INSERT INTO problem_note (problem_id, by_login, status, note, at) VALUES ($1, $2, $3, $4, $5)")
            .bind(problem)
            .bind(by.0)
            .bind(status.as_str())
            .bind(note)
            .bind(Timestamp(now))
            .execute(&mut tx)
            .await?;
        append_audit(&mut tx, &audit.clone().on("problem_report", problem)).await?;
        tx.commit().await?;
        Ok(())
    }
}
