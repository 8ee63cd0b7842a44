//! What staff do with requests: the queue, a clinician's decision on each
//! item (one decision per request: a second clinician from the same view is
//! told who decided), reception recording collection, a patient cancelling
//! before anyone starts, and the patients who seem to have stopped ordering.

use super::items::RepeatItemRow;
use super::requests::{add_step, RequestItemRow, REQUEST_ITEM_SELECT};
use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar, Db, Tx};
use crate::events::append_prescription_event;
use crate::outbox::email_patient;
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, Utc};
use domain::mail::Mail;
use domain::prescriptions::{can_cancel, london_today, stopped_ordering, ItemStatus, RejectReason};
use domain::{LoginId, PatientId, PracticeId};

/// A clinician's decision on one item of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemDecision {
    /// Approved, at a changed quantity when given.
    Approve {
        quantity: Option<i32>,
    },
    Reject {
        reason: RejectReason,
        text: Option<String>,
    },
}

/// A clinician's decisions on a request, made from the view at `seen_version`.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    pub practice: PracticeId,
    pub request: i64,
    pub by: LoginId,
    pub seen_version: i32,
    pub items: &'a [(i64, ItemDecision)],
    /// The notice emailed to the patient (none for demo data).
    pub notice: Option<&'a Mail>,
    pub now: DateTime<Utc>,
}

/// Why a decision was not recorded; nothing is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotDecided {
    /// Someone decided, or started on it, since the view was loaded.
    Meanwhile { by: Option<String> },
    /// An item not in this request, or past deciding.
    NotDecidable,
}

/// A request waiting for the practice, as the queue lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QueuedRequest {
    pub id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    pub note: Option<String>,
    pub requested_at: Timestamp,
    pub expected_on: NaiveDate,
    pub version: i32,
}

/// A patient whose supply of an item ran out a while ago with no order since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoppedOrdering {
    pub patient_id: i64,
    pub item: RepeatItemRow,
    pub ran_out: NaiveDate,
}

/// Tells screens showing the request that it changed, and emails the
/// patient the notice when there is one.
pub(super) async fn request_changed(
    tx: &mut Tx,
    practice: PracticeId,
    request: i64,
    notice: Option<&Mail>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let patient: i64 = query_scalar("SELECT patient_id FROM prescription_request WHERE id = $1 AND practice_id = $2")
        .bind(request)
        .bind(practice.0)
        .fetch_one(&mut *tx)
        .await?;
    if let Some(notice) = notice {
        email_patient(tx, practice, patient, notice, now).await?;
    }
    append_prescription_event(tx, practice, request, patient, now).await
}

/// Moves an item to `next` if its timeline allows, with a step.
pub(super) async fn move_item(
    tx: &mut Tx,
    item: &RequestItemRow,
    next: ItemStatus,
    by: LoginId,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    if !item.status().can_become(next) {
        return Ok(false);
    }
    query("UPDATE prescription_request_item SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(next.as_str())
        .bind(Timestamp(now))
        .bind(item.id)
        .execute(&mut *tx)
        .await?;
    add_step(tx, item.id, next, Some(by), now).await?;
    Ok(true)
}

impl Store {
    /// Requests with items still waiting for a clinician, oldest first.
    pub async fn prescription_queue(&self, practice: PracticeId) -> StoreResult<Vec<QueuedRequest>> {
        query_as(
            "SELECT r.id, r.patient_id, p.given_name || ' ' || p.family_name AS patient_name, r.note, \
             r.requested_at, r.expected_on, r.version FROM prescription_request r \
             JOIN patient p ON p.id = r.patient_id WHERE r.practice_id = $1 AND EXISTS \
             (SELECT 1 FROM prescription_request_item ri WHERE ri.request_id = r.id \
              AND ri.status IN ('requested', 'in_review')) ORDER BY r.requested_at, r.id",
        )
        .bind(practice.0)
        .fetch_all(&mut self.reader().await?)
        .await
    }

    /// The flags of the items of requests still waiting for a clinician, by
    /// request: what the queue shows, read in one query however long the queue.
    pub async fn queue_flags(&self, practice: PracticeId) -> StoreResult<Vec<(i64, String)>> {
        query_as(
            "SELECT ri.request_id, ri.flags FROM prescription_request_item ri \
             JOIN prescription_request r ON r.id = ri.request_id \
             WHERE r.practice_id = $1 AND ri.flags <> '' AND EXISTS (SELECT 1 FROM prescription_request_item w \
             WHERE w.request_id = r.id AND w.status IN ('requested', 'in_review'))",
        )
        .bind(practice.0)
        .fetch_all(&mut self.reader().await?)
        .await
    }

    /// The items of one request of the practice.
    pub async fn request_items(&self, practice: PracticeId, request: i64) -> StoreResult<Vec<RequestItemRow>> {
        query_as(format!(
            "{REQUEST_ITEM_SELECT} JOIN prescription_request r ON r.id = ri.request_id \
             WHERE r.practice_id = $1 AND r.id = $2 ORDER BY ri.id"
        ))
        .bind(practice.0)
        .bind(request)
        .fetch_all(&mut self.reader().await?)
        .await
    }

    /// Records a clinician's decisions, if nobody has decided since
    /// `seen_version`. An approved item is issued in the same transaction:
    /// its issues and last-issued date move on. The patient is told by email
    /// that something changed (no medicine names).
    #[tracing::instrument(skip_all, fields(practice = decision.practice.0, request = decision.request))]
    pub async fn decide_request(
        &self,
        decision: &Decision<'_>,
        audit: &NewAudit,
    ) -> StoreResult<Result<(), NotDecided>> {
        let mut tx = self.begin().await?;
        let claimed = query(
            "UPDATE prescription_request SET version = version + 1, decided_by = $1 \
             WHERE id = $2 AND practice_id = $3 AND version = $4",
        )
        .bind(decision.by.0)
        .bind(decision.request)
        .bind(decision.practice.0)
        .bind(decision.seen_version)
        .execute(&mut tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            let by: Option<Option<String>> = query_scalar(
                "SELECT l.display_name FROM prescription_request r LEFT JOIN login l ON l.id = r.decided_by \
                 WHERE r.id = $1 AND r.practice_id = $2",
            )
            .bind(decision.request)
            .bind(decision.practice.0)
            .fetch_optional(&mut tx)
            .await?;
            let by = by.ok_or(StoreError::NotFound)?;
            return Ok(Err(NotDecided::Meanwhile { by })); // Nothing written.
        }
        let items: Vec<RequestItemRow> = query_as(format!("{REQUEST_ITEM_SELECT} WHERE ri.request_id = $1"))
            .bind(decision.request)
            .fetch_all(&mut tx)
            .await?;
        let today = london_today(decision.now);
        for (id, what) in decision.items {
            let Some(item) = items.iter().find(|item| item.id == *id) else {
                return Ok(Err(NotDecided::NotDecidable));
            };
            let next = match what {
                ItemDecision::Approve { quantity: Some(_) } => ItemStatus::Changed,
                ItemDecision::Approve { quantity: None } => ItemStatus::Approved,
                ItemDecision::Reject { .. } => ItemStatus::Rejected,
            };
            if !move_item(&mut tx, item, next, decision.by, decision.now).await? {
                return Ok(Err(NotDecided::NotDecidable)); // Rolled back.
            }
            match what {
                ItemDecision::Approve { quantity } => {
                    query("UPDATE prescription_request_item SET quantity = $1 WHERE id = $2")
                        .bind(*quantity)
                        .bind(item.id)
                        .execute(&mut tx)
                        .await?;
                    query(
                        "UPDATE repeat_item SET issues_issued = issues_issued + 1, last_issued_on = $1 \
                         WHERE id = $2 AND practice_id = $3",
                    )
                    .bind(today)
                    .bind(item.repeat_item_id)
                    .bind(decision.practice.0)
                    .execute(&mut tx)
                    .await?
                    .one()?;
                    let approved = RequestItemRow { status: next.as_str().to_owned(), ..item.clone() };
                    move_item(&mut tx, &approved, ItemStatus::Issued, decision.by, decision.now).await?;
                }
                ItemDecision::Reject { reason, text } => {
                    query("UPDATE prescription_request_item SET reject_reason = $1, reject_text = $2 WHERE id = $3")
                        .bind(reason.as_str())
                        .bind(text.as_deref())
                        .bind(item.id)
                        .execute(&mut tx)
                        .await?;
                }
            }
        }
        request_changed(&mut tx, decision.practice, decision.request, decision.notice, decision.now).await?;
        append_audit(&mut tx, &audit.clone().on("prescription_request", decision.request)).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Reception records that an issued item is ready to collect, sent to
    /// the pharmacy, or dispensed (where an electronic prescription service
    /// would report back). `Ok(false)`: not a step its timeline allows.
    #[tracing::instrument(skip_all, fields(practice = practice.0, item))]
    pub async fn record_item_step(
        &self,
        practice: PracticeId,
        item: i64,
        next: ItemStatus,
        (by, notice): (LoginId, Option<&Mail>),
        audit: &NewAudit,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let sql = format!(
            "{REQUEST_ITEM_SELECT} JOIN prescription_request r ON r.id = ri.request_id \
             WHERE ri.id = $1 AND r.practice_id = $2"
        );
        let row: Option<RequestItemRow> = query_as(sql).bind(item).bind(practice.0).fetch_optional(&mut tx).await?;
        let row = row.ok_or(StoreError::NotFound)?;
        let collection =
            matches!(next, ItemStatus::ReadyToCollect | ItemStatus::SentToPharmacy | ItemStatus::Dispensed);
        if !collection || !move_item(&mut tx, &row, next, by, audit.at).await? {
            return Ok(false);
        }
        request_changed(&mut tx, practice, row.request_id, notice, audit.at).await?;
        append_audit(&mut tx, &audit.clone().on("prescription_request", row.request_id).detail(next.as_str())).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A patient cancels their own request, while nobody has started on it.
    /// `Ok(false)`: a clinician has started; nothing changes.
    #[tracing::instrument(skip_all, fields(practice = practice.0, request))]
    pub async fn cancel_request(
        &self,
        practice: PracticeId,
        patient: PatientId,
        request: i64,
        by: LoginId,
        audit: &NewAudit,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let sql = format!(
            "{REQUEST_ITEM_SELECT} JOIN prescription_request r ON r.id = ri.request_id \
             WHERE r.id = $1 AND r.practice_id = $2 AND r.patient_id = $3 {}",
            tx.for_update()
        );
        let items: Vec<RequestItemRow> =
            query_as(sql).bind(request).bind(practice.0).bind(patient.0).fetch_all(&mut tx).await?;
        if items.is_empty() {
            return Err(StoreError::NotFound);
        }
        if !can_cancel(&items.iter().map(RequestItemRow::status).collect::<Vec<_>>()) {
            return Ok(false);
        }
        for item in &items {
            move_item(&mut tx, item, ItemStatus::Cancelled, by, audit.at).await?;
        }
        query("UPDATE prescription_request SET version = version + 1 WHERE id = $1")
            .bind(request)
            .execute(&mut tx)
            .await?;
        append_prescription_event(&mut tx, practice, request, patient.0, audit.at).await?;
        append_audit(&mut tx, &audit.clone().on("prescription_request", request)).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Patients whose supply of a repeat item ran out more than `margin_days`
    /// before `today`, with no open request for it: a known safety gap.
    pub async fn stopped_ordering(
        &self,
        practice: PracticeId,
        margin_days: u32,
        today: NaiveDate,
    ) -> StoreResult<Vec<StoppedOrdering>> {
        let items: Vec<RepeatItemRow> = query_as(format!(
            "{} WHERE i.practice_id = $1 AND i.ended_at IS NULL AND i.last_issued_on IS NOT NULL \
             ORDER BY i.last_issued_on, i.id",
            super::items::ITEM_SELECT
        ))
        .bind(practice.0)
        .fetch_all(&mut self.reader().await?)
        .await?;
        Ok(items
            .into_iter()
            .filter(|item| item.requested_on.is_none())
            .filter_map(|item| {
                let ran_out = stopped_ordering(&item.facts(), margin_days, today)?;
                Some(StoppedOrdering { patient_id: item.patient_id, item, ran_out })
            })
            .collect())
    }
}
