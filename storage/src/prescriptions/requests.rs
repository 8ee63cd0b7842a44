//! Requests for repeat items: placing one (each item checked by the rules
//! inside the transaction; the same order sent twice is one request), and
//! reading them back with one timeline per item.

use super::items::{RepeatItemRow, ITEM_SELECT};
use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar, Tx};
use crate::events::append_prescription_event;
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, Utc};
use domain::prescriptions::{
    check_item, expected_ready, london_today, ItemStatus, OrderKey, Orderer, Refused, Verdict,
};
use domain::{LoginId, PatientId, PracticeId};

/// An order as the patient confirms it.
#[derive(Debug, Clone)]
pub struct NewOrder<'a> {
    pub practice: PracticeId,
    pub patient: PatientId,
    pub by: LoginId,
    pub key: &'a OrderKey,
    pub items: &'a [i64],
    pub note: Option<&'a str>,
    pub pharmacy: Option<&'a str>,
    /// Whether the prescriptions service is the patient's (checked by the caller).
    pub service: bool,
    pub now: DateTime<Utc>,
}

/// Why an order was not placed; nothing is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderRefused {
    /// No items chosen.
    Empty,
    /// An item that is not one of the patient's current, visible items.
    UnknownItem,
    /// An item the rules refuse, with why (and from when).
    Item { name: String, refused: Refused },
}

impl OrderRefused {
    pub fn message(&self) -> String {
        match self {
            OrderRefused::Empty => "Choose at least one medicine to order.".into(),
            OrderRefused::UnknownItem => "One of the medicines chosen is not on your list. Go back to your \
                                          medicines and choose again."
                .into(),
            OrderRefused::Item { name, refused } => format!("{name}: {}", refused.message()),
        }
    }
}

/// What placing an order did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// A new request.
    New(i64),
    /// This order had already been placed (sent twice): the same request.
    Again(i64),
}

impl Placed {
    pub fn request(self) -> i64 {
        match self {
            Placed::New(id) | Placed::Again(id) => id,
        }
    }
}

/// A request as listed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub patient_id: i64,
    pub note: Option<String>,
    pub pharmacy: Option<String>,
    pub requested_at: Timestamp,
    pub expected_on: NaiveDate,
    pub thread_id: Option<i64>,
    pub version: i32,
}

/// One item of a request and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RequestItemRow {
    pub id: i64,
    pub request_id: i64,
    pub repeat_item_id: i64,
    pub medicine: String,
    pub strength: String,
    pub form: String,
    pub status: String,
    pub flags: String,
    pub quantity: Option<i32>,
    pub reject_reason: Option<String>,
    pub reject_text: Option<String>,
}

impl RequestItemRow {
    pub fn status(&self) -> ItemStatus {
        ItemStatus::parse(&self.status).unwrap_or(ItemStatus::Requested)
    }

    pub fn name(&self) -> String {
        super::items::medicine_name(&self.medicine, &self.strength, &self.form)
    }
}

/// One step of an item's timeline.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ItemStepRow {
    pub request_item_id: i64,
    pub status: String,
    pub at: Timestamp,
}

/// A request with its items and their timelines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestWithItems {
    pub request: RequestRow,
    pub items: Vec<(RequestItemRow, Vec<ItemStepRow>)>,
}

const REQUEST_SELECT: &str = "SELECT id, patient_id, note, pharmacy, requested_at, expected_on, thread_id, version \
    FROM prescription_request";

pub(super) const REQUEST_ITEM_SELECT: &str =
    "SELECT ri.id, ri.request_id, ri.repeat_item_id, i.medicine, i.strength, i.form, \
    ri.status, ri.flags, ri.quantity, ri.reject_reason, ri.reject_text \
    FROM prescription_request_item ri JOIN repeat_item i ON i.id = ri.repeat_item_id";

/// Adds a step to an item's timeline.
pub(super) async fn add_step(
    tx: &mut Tx,
    item: i64,
    status: ItemStatus,
    by: Option<LoginId>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    query("INSERT INTO prescription_item_event (request_item_id, status, by_login, at) VALUES ($1, $2, $3, $4)")
        .bind(item)
        .bind(status.as_str())
        .bind(by.map(|l| l.0))
        .bind(Timestamp(at))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

impl Store {
    /// Places an order, if the rules allow every item in it today; otherwise
    /// `Ok(Err(..))` says which item and why, and nothing is written. An
    /// order whose key was placed before is that request again.
    #[tracing::instrument(skip_all, fields(practice = order.practice.0, patient = order.patient.0))]
    pub async fn place_order(
        &self,
        order: &NewOrder<'_>,
        audit: &NewAudit,
    ) -> StoreResult<Result<Placed, OrderRefused>> {
        let settings = self.prescription_settings(order.practice).await?;
        let prescribing = self.patient_prescribing(order.practice, order.patient).await?;
        let mut tx = self.begin().await?;
        // One order of a patient at a time: a double tap waits, then finds the first.
        tx.lock(format!("orders-of-patient-{}", order.patient.0)).await?;
        let placed: Option<(i64, i64)> =
            query_as("SELECT id, patient_id FROM prescription_request WHERE practice_id = $1 AND order_key = $2")
                .bind(order.practice.0)
                .bind(order.key.as_str())
                .fetch_optional(&mut tx)
                .await?;
        if let Some((request, patient)) = placed {
            return if patient == order.patient.0 { Ok(Ok(Placed::Again(request))) } else { Err(StoreError::NotFound) };
        }
        let mut ids = order.items.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Err(OrderRefused::Empty));
        }
        let orderer = Orderer { service: order.service, ordering_allowed: prescribing.ordering_allowed };
        let today = london_today(order.now);
        let mut chosen = Vec::new();
        for id in ids {
            let sql = format!(
                "{ITEM_SELECT} WHERE i.id = $1 AND i.practice_id = $2 AND i.patient_id = $3 AND i.ended_at IS NULL"
            );
            let row: Option<RepeatItemRow> =
                query_as(sql).bind(id).bind(order.practice.0).bind(order.patient.0).fetch_optional(&mut tx).await?;
            let Some(row) = row else { return Ok(Err(OrderRefused::UnknownItem)) };
            match check_item(orderer, &row.facts(), &settings.rules, today) {
                // A hidden item is answered as one that is not there.
                Verdict::Hidden => return Ok(Err(OrderRefused::UnknownItem)),
                Verdict::Refused(refused) => return Ok(Err(OrderRefused::Item { name: row.name(), refused })),
                Verdict::Orderable { flags } => chosen.push((row.id, flags)),
            }
        }
        let request: i64 = query_scalar(
            "INSERT INTO prescription_request (practice_id, patient_id, requested_by, order_key, note, pharmacy, \
             requested_at, expected_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(order.practice.0)
        .bind(order.patient.0)
        .bind(order.by.0)
        .bind(order.key.as_str())
        .bind(order.note)
        .bind(order.pharmacy)
        .bind(Timestamp(order.now))
        .bind(expected_ready(order.now, settings.ready_in_working_days))
        .fetch_one(&mut tx)
        .await?;
        for (item, flags) in &chosen {
            let flags: Vec<&str> = flags.iter().map(|rule| rule.as_str()).collect();
            let request_item: i64 = query_scalar(
                "INSERT INTO prescription_request_item (request_id, repeat_item_id, status, flags, updated_at) \
                 VALUES ($1, $2, 'requested', $3, $4) RETURNING id",
            )
            .bind(request)
            .bind(*item)
            .bind(flags.join(","))
            .bind(Timestamp(order.now))
            .fetch_one(&mut tx)
            .await?;
            add_step(&mut tx, request_item, ItemStatus::Requested, Some(order.by), order.now).await?;
        }
        // The pharmacy confirmed with an order becomes the nominated one.
        let mut detail = format!("{} item(s)", chosen.len());
        if order.pharmacy != prescribing.pharmacy.as_deref() {
            super::items::nominate_pharmacy(&mut tx, order.practice, order.patient, order.pharmacy, order.now).await?;
            detail.push_str("; nominated pharmacy changed");
        }
        append_prescription_event(&mut tx, order.practice, request, order.patient.0, order.now).await?;
        append_audit(&mut tx, &audit.clone().on("prescription_request", request).detail(detail)).await?;
        tx.commit().await?;
        Ok(Ok(Placed::New(request)))
    }

    /// One request of the practice.
    pub async fn prescription_request(&self, practice: PracticeId, request: i64) -> StoreResult<RequestRow> {
        query_as(format!("{REQUEST_SELECT} WHERE practice_id = $1 AND id = $2"))
            .bind(practice.0)
            .bind(request)
            .fetch_optional(&mut self.reader().await?)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// A patient's requests, newest first, with their items and timelines.
    pub async fn requests_of_patient(
        &self,
        practice: PracticeId,
        patient: PatientId,
    ) -> StoreResult<Vec<RequestWithItems>> {
        let mut db = self.reader().await?;
        let requests: Vec<RequestRow> = query_as(format!(
            "{REQUEST_SELECT} WHERE practice_id = $1 AND patient_id = $2 ORDER BY requested_at DESC, id DESC"
        ))
        .bind(practice.0)
        .bind(patient.0)
        .fetch_all(&mut db)
        .await?;
        let items: Vec<RequestItemRow> = query_as(format!(
            "{REQUEST_ITEM_SELECT} JOIN prescription_request r ON r.id = ri.request_id \
             WHERE r.practice_id = $1 AND r.patient_id = $2 ORDER BY ri.id"
        ))
        .bind(practice.0)
        .bind(patient.0)
        .fetch_all(&mut db)
        .await?;
        let steps: Vec<ItemStepRow> = query_as(
            "SELECT e.request_item_id, e.status, e.at FROM prescription_item_event e \
             JOIN prescription_request_item ri ON ri.id = e.request_item_id \
             JOIN prescription_request r ON r.id = ri.request_id \
             WHERE r.practice_id = $1 AND r.patient_id = $2 ORDER BY e.id",
        )
        .bind(practice.0)
        .bind(patient.0)
        .fetch_all(&mut db)
        .await?;
        Ok(requests
            .into_iter()
            .map(|request| {
                let items = items
                    .iter()
                    .filter(|item| item.request_id == request.id)
                    .map(|item| {
                        let timeline = steps.iter().filter(|s| s.request_item_id == item.id).cloned().collect();
                        (item.clone(), timeline)
                    })
                    .collect();
                RequestWithItems { request, items }
            })
            .collect())
    }
}
