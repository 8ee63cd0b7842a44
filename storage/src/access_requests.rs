//! Requests for online services made on the practice's website, and the
//! staff queue that handles them.
//!
//! A request is matched against the register when it arrives, and a second
//! request from the same person while the first is open merges into it (one
//! open request per identifier and date of birth, enforced by a unique
//! index). Approval issues the registration letter in the same transaction
//! that closes the request.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar, Db, Tx};
use crate::online_accounts::{issue_letter, NewLetter};
use crate::outbox::{enqueue_mail, NewMail};
use crate::services::{upsert_grants, GrantChange};
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use domain::access_request::{same_surname, AccessRequest, Assessment, RequestStatus, DEFAULT_EXPIRY_DAYS};
use domain::services::Grants;
use domain::{LoginId, PatientId, PracticeId};

/// A request as staff see it, with the register's match and whether its
/// email already belongs to someone else's login.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccessRequestRow {
    pub id: i64,
    pub status: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: String,
    pub postcode: String,
    pub identifier_kind: String,
    pub identifier: String,
    pub email: String,
    pub mobile: Option<String>,
    pub patient_id: Option<i64>,
    pub patient_name: Option<String>,
    pub times_requested: i32,
    pub first_requested_at: Timestamp,
    pub last_requested_at: Timestamp,
    pub expires_at: Timestamp,
    pub handler_name: Option<String>,
    pub email_in_use: bool,
    pub identity_check: Option<String>,
    pub identity_note: Option<String>,
    pub discussion: Option<String>,
    pub coercion_concern: Option<bool>,
    pub capacity_concern: Option<bool>,
    pub gillick_competent: Option<bool>,
    pub decline_reason: Option<String>,
    pub closed_at: Option<Timestamp>,
}

impl AccessRequestRow {
    pub fn status(&self) -> RequestStatus {
        RequestStatus::parse(&self.status).unwrap_or(RequestStatus::Expired)
    }
}

const REQUEST_SELECT: &str = "SELECT ar.id, ar.status, ar.given_name, ar.family_name, ar.date_of_birth, ar.sex, \
    ar.postcode, ar.identifier_kind, ar.identifier, ar.email, ar.mobile, ar.patient_id, \
    p.given_name || ' ' || p.family_name AS patient_name, ar.times_requested, ar.first_requested_at, \
    ar.last_requested_at, ar.expires_at, h.display_name AS handler_name, \
    EXISTS (SELECT 1 FROM login l WHERE lower(l.email) = lower(ar.email) \
        AND (ar.patient_id IS NULL OR l.patient_id IS NULL OR l.patient_id <> ar.patient_id)) AS email_in_use, \
    ar.identity_check, ar.identity_note, ar.discussion, ar.coercion_concern, ar.capacity_concern, \
    ar.gillick_competent, ar.decline_reason, ar.closed_at \
    FROM access_request ar LEFT JOIN patient p ON p.id = ar.patient_id LEFT JOIN login h ON h.id = ar.handler_id";

/// Which requests a queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// New and in progress, oldest first.
    Open,
    /// Closed with this outcome, latest first.
    Closed(RequestStatus),
}

/// A decision on a request: what staff recorded, and the email that tells
/// the applicant.
pub struct Decision<'a> {
    pub practice: PracticeId,
    pub request: i64,
    pub assessment: Option<&'a Assessment>,
    pub by: LoginId,
    pub mail: &'a NewMail,
    pub audit: &'a NewAudit,
    pub now: DateTime<Utc>,
}

/// The services chosen at approval, when they differ from the practice's
/// defaults, with the reason kept beside them.
#[derive(Clone, Copy)]
pub struct ChosenGrants<'a> {
    pub grants: &'a Grants,
    pub reason: &'a str,
}

/// Why an update of one request found nothing to change: already decided
/// (a conflict), or not the practice's (not found).
async fn closed_or_missing(db: &mut impl Db, practice: PracticeId, request: i64) -> StoreResult<StoreError> {
    let status: Option<String> = query_scalar("SELECT status FROM access_request WHERE id = $1 AND practice_id = $2")
        .bind(request)
        .bind(practice.0)
        .fetch_optional(db)
        .await?;
    Ok(match status {
        Some(_) => StoreError::Rule("This request has already been decided."),
        None => StoreError::NotFound,
    })
}

/// How a request closes.
enum Outcome<'a> {
    Declined {
        reason: &'a str,
    },
    /// Approved for the patient it matched: only a request matched to them closes.
    Approved {
        patient: PatientId,
    },
}

/// Closes an open request with its outcome and what staff recorded; refuses
/// one already decided or not the practice's.
async fn close_request(tx: &mut Tx, decision: &Decision<'_>, outcome: Outcome<'_>) -> StoreResult<()> {
    let (status, reason, patient) = match outcome {
        Outcome::Declined { reason } => ("declined", Some(reason), None),
        Outcome::Approved { patient } => ("approved", None, Some(patient.0)),
    };
    let assessment = decision.assessment;
    let closed = query(
        "UPDATE access_request SET status = $1, handler_id = $2, closed_at = $3, decline_reason = $4, \
         identity_check = $5, identity_note = $6, discussion = $7, coercion_concern = $8, \
         capacity_concern = $9, gillick_competent = $10 \
         WHERE id = $11 AND practice_id = $12 AND status IN ('new', 'in_progress') \
         AND ($13 IS NULL OR patient_id = $13)",
    )
    .bind(status)
    .bind(decision.by.0)
    .bind(Timestamp(decision.now))
    .bind(reason)
    .bind(assessment.map(|a| a.identity.check.as_str()))
    .bind(assessment.map(|a| a.identity.note.as_str()))
    .bind(assessment.map(|a| a.discussion.as_str()))
    .bind(assessment.map(|a| a.coercion_concern))
    .bind(assessment.map(|a| a.capacity_concern))
    .bind(assessment.and_then(|a| a.gillick_competent))
    .bind(decision.request)
    .bind(decision.practice.0)
    .bind(patient)
    .execute(tx)
    .await?
    .rows_affected();
    if closed != 1 {
        return Err(closed_or_missing(tx, decision.practice, decision.request).await?);
    }
    Ok(())
}

impl Store {
    /// Takes a request from the website: matches it against the register
    /// (identifier, date of birth and surname), merges it into the same
    /// person's open request if there is one, and queues the applicant's
    /// email (demo requests have none). Everything the applicant could notice
    /// is the same whether they matched or not.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn submit_access_request(
        &self,
        practice: PracticeId,
        request: &AccessRequest,
        mail: Option<&NewMail>,
        audit: &NewAudit,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        let days: Option<i32> =
            query_scalar("SELECT request_expiry_days FROM practice_settings WHERE practice_id = $1")
                .bind(practice.0)
                .fetch_optional(&mut tx)
                .await?;
        let expires_at = now + TimeDelta::days(days.map_or(DEFAULT_EXPIRY_DAYS, i64::from));
        let candidates: Vec<(i64, String)> = query_as(
            "SELECT id, family_name FROM patient WHERE practice_id = $1 AND identifier_kind = $2 \
             AND identifier = $3 AND date_of_birth = $4 AND registration_status = 'registered'",
        )
        .bind(practice.0)
        .bind(request.identifier.kind().as_str())
        .bind(request.identifier.as_str())
        .bind(request.date_of_birth)
        .fetch_all(&mut tx)
        .await?;
        let patient =
            candidates.into_iter().find(|(_, surname)| same_surname(&request.family_name, surname)).map(|p| p.0);
        let id: i64 = query_scalar(
            "INSERT INTO access_request (practice_id, status, given_name, family_name, date_of_birth, sex, \
             postcode, identifier_kind, identifier, email, mobile, patient_id, first_requested_at, \
             last_requested_at, expires_at) \
             VALUES ($1, 'new', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) \
             ON CONFLICT (practice_id, identifier_kind, identifier, date_of_birth) \
             WHERE status IN ('new', 'in_progress') DO UPDATE SET given_name = excluded.given_name, \
             family_name = excluded.family_name, sex = excluded.sex, postcode = excluded.postcode, \
             email = excluded.email, mobile = excluded.mobile, patient_id = excluded.patient_id, \
             times_requested = access_request.times_requested + 1, \
             last_requested_at = excluded.last_requested_at, expires_at = excluded.expires_at \
             RETURNING id",
        )
        .bind(practice.0)
        .bind(&request.given_name)
        .bind(&request.family_name)
        .bind(request.date_of_birth)
        .bind(request.sex)
        .bind(request.postcode.as_str())
        .bind(request.identifier.kind().as_str())
        .bind(request.identifier.as_str())
        .bind(request.email.as_str())
        .bind(&request.mobile)
        .bind(patient)
        .bind(Timestamp(now))
        .bind(Timestamp(expires_at))
        .fetch_one(&mut tx)
        .await?;
        if let Some(mail) = mail {
            enqueue_mail(&mut tx, mail, now).await?;
        }
        let matched = if patient.is_some() { "matched the register" } else { "no match on the register" };
        append_audit(&mut tx, &audit.clone().on("access_request", id).detail(matched)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The practice's requests in one queue, at most 200.
    pub async fn access_requests(&self, practice: PracticeId, queue: Queue) -> StoreResult<Vec<AccessRequestRow>> {
        let (filter, order) = match queue {
            Queue::Open => ("ar.status IN ('new', 'in_progress')", "ar.last_requested_at, ar.id"),
            Queue::Closed(_) => ("ar.status = $2", "ar.closed_at DESC, ar.id DESC"),
        };
        let status = match queue {
            Queue::Open => "",
            Queue::Closed(status) => status.as_str(),
        };
        let mut db = self.reader().await?;
        let sql = format!("{REQUEST_SELECT} WHERE ar.practice_id = $1 AND {filter} ORDER BY {order} LIMIT 200");
        let query = query_as(&sql).bind(practice.0);
        let query = if status.is_empty() { query } else { query.bind(status) };
        query.fetch_all(&mut db).await
    }

    /// How many requests wait for staff, for the admin home's badge.
    pub async fn open_access_requests(&self, practice: PracticeId) -> StoreResult<i64> {
        let mut db = self.reader().await?;
        query_scalar("SELECT COUNT(*) FROM access_request WHERE practice_id = $1 AND status IN ('new', 'in_progress')")
            .bind(practice.0)
            .fetch_one(&mut db)
            .await
    }

    /// Whether the practice has ever had a request.
    pub async fn has_access_requests(&self, practice: PracticeId) -> StoreResult<bool> {
        let mut db = self.reader().await?;
        Ok(query_scalar::<i64>("SELECT id FROM access_request WHERE practice_id = $1 LIMIT 1")
            .bind(practice.0)
            .fetch_optional(&mut db)
            .await?
            .is_some())
    }

    /// One of the practice's requests.
    pub async fn access_request(&self, practice: PracticeId, request: i64) -> StoreResult<Option<AccessRequestRow>> {
        let mut db = self.reader().await?;
        query_as(format!("{REQUEST_SELECT} WHERE ar.practice_id = $1 AND ar.id = $2"))
            .bind(practice.0)
            .bind(request)
            .fetch_optional(&mut db)
            .await
    }

    /// A member of staff takes a request on: it is theirs, in progress.
    /// Refuses a request already decided.
    #[tracing::instrument(skip_all, fields(practice = practice.0, by = by.0))]
    pub async fn take_access_request(
        &self,
        practice: PracticeId,
        request: i64,
        by: LoginId,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let taken = query(
            "UPDATE access_request SET status = 'in_progress', handler_id = $1 \
             WHERE id = $2 AND practice_id = $3 AND status IN ('new', 'in_progress')",
        )
        .bind(by.0)
        .bind(request)
        .bind(practice.0)
        .execute(&mut tx)
        .await?
        .rows_affected();
        if taken != 1 {
            return Err(closed_or_missing(&mut tx, practice, request).await?);
        }
        append_audit(&mut tx, &audit.clone().on("access_request", request)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Declines an open request with the practice's reason, and queues the
    /// email telling the applicant (without the reason).
    #[tracing::instrument(skip_all, fields(practice = decision.practice.0, request = decision.request))]
    pub async fn decline_access_request(&self, decision: &Decision<'_>, reason: &str) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        close_request(&mut tx, decision, Outcome::Declined { reason }).await?;
        enqueue_mail(&mut tx, decision.mail, decision.now).await?;
        append_audit(&mut tx, &decision.audit.clone().on("access_request", decision.request)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Approves an open request that matched the register: records the
    /// assessment, issues the registration letter for the matched patient,
    /// sets their services when staff chose other than the defaults, and
    /// queues the email asking the applicant to collect their letter; all at
    /// once or not at all.
    #[tracing::instrument(skip_all, fields(practice = decision.practice.0, request = decision.request))]
    pub async fn approve_access_request(
        &self,
        decision: &Decision<'_>,
        letter: &NewLetter<'_>,
        grants: Option<ChosenGrants<'_>>,
    ) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        close_request(&mut tx, decision, Outcome::Approved { patient: letter.patient }).await?;
        let account = issue_letter(&mut tx, letter).await?;
        if let Some(chosen) = &grants {
            let change = GrantChange {
                practice: decision.practice,
                patient: letter.patient,
                grants: chosen.grants,
                reason: chosen.reason,
                by: decision.by,
                now: decision.now,
            };
            upsert_grants(&mut tx, &change).await?;
        }
        enqueue_mail(&mut tx, decision.mail, decision.now).await?;
        append_audit(&mut tx, &decision.audit.clone().on("access_request", decision.request)).await?;
        tx.commit().await?;
        Ok(account)
    }

    /// Closes every open request older than its practice's period as
    /// expired, each with an audit entry. Returns how many.
    #[tracing::instrument(skip_all)]
    pub async fn expire_access_requests(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        let due: Vec<(i64, i64)> = query_as(
            "SELECT id, practice_id FROM access_request \
             WHERE status IN ('new', 'in_progress') AND expires_at <= $1",
        )
        .bind(Timestamp(now))
        .fetch_all(&mut tx)
        .await?;
        for (id, practice) in &due {
            query("UPDATE access_request SET status = 'expired', closed_at = $1 WHERE id = $2")
                .bind(Timestamp(now))
                .bind(id)
                .execute(&mut tx)
                .await?;
            let audit = NewAudit::by_the_system(
                PracticeId(*practice),
                "access_request_expired",
                "no one handled it within the practice's period",
                now,
            );
            append_audit(&mut tx, &audit.on("access_request", id)).await?;
        }
        tx.commit().await?;
        Ok(due.len() as u64)
    }
}
