//! A member of staff writing to the patient about a request: the first
//! message starts the request's conversation (the messages model), later ones
//! carry it on. Asking counts as starting on the request: items still just
//! requested move to "in review", so the patient can no longer cancel them.

use super::decisions::move_item;
use super::requests::{RequestItemRow, REQUEST_ITEM_SELECT};
use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, Db};
use crate::events::append_prescription_event;
use crate::messages::{send_staff_message, StaffMessage};
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::mail::Mail;
use domain::messages::{MessageBody, Subject};
use domain::prescriptions::{london_today, ItemStatus};
use domain::{LoginId, PatientId, PracticeId};

/// A message from staff about one request.
#[derive(Debug, Clone)]
pub struct RequestMessage<'a> {
    pub practice: PracticeId,
    pub request: i64,
    pub by: LoginId,
    pub body: &'a MessageBody,
    /// The notice emailed to the patient (no text of the message).
    pub notice: Option<&'a Mail>,
    pub now: DateTime<Utc>,
}

impl Store {
    /// Sends the patient a message about their request, in the request's
    /// conversation; returns the conversation.
    #[tracing::instrument(skip_all, fields(practice = message.practice.0, request = message.request))]
    pub async fn message_about_request(&self, message: &RequestMessage<'_>, audit: &NewAudit) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        let sql = format!(
            "SELECT patient_id, thread_id, requested_at FROM prescription_request \
             WHERE id = $1 AND practice_id = $2 {}",
            tx.for_update()
        );
        let found: Option<(i64, Option<i64>, Timestamp)> =
            query_as(sql).bind(message.request).bind(message.practice.0).fetch_optional(&mut tx).await?;
        let (patient, thread, requested_at) = found.ok_or(StoreError::NotFound)?;
        let requested_on = domain::time::display_date(london_today(requested_at.0));
        let subject = Subject::parse(&format!("Your prescription request of {requested_on}"))
            .map_err(|_| StoreError::Rule("The request's date could not be written as a subject."))?;
        let staff = StaffMessage {
            practice: message.practice,
            patient: PatientId(patient),
            thread,
            by: message.by,
            topic: "prescription",
            subject: &subject,
            body: message.body,
            notice: message.notice,
            now: message.now,
        };
        let thread = send_staff_message(&mut tx, &staff).await?;
        query("UPDATE prescription_request SET thread_id = $1 WHERE id = $2")
            .bind(thread)
            .bind(message.request)
            .execute(&mut tx)
            .await?;
        let items: Vec<RequestItemRow> = query_as(format!("{REQUEST_ITEM_SELECT} WHERE ri.request_id = $1"))
            .bind(message.request)
            .fetch_all(&mut tx)
            .await?;
        for item in items.iter().filter(|item| item.status() == ItemStatus::Requested) {
            move_item(&mut tx, item, ItemStatus::InReview, message.by, message.now).await?;
        }
        append_prescription_event(&mut tx, message.practice, message.request, patient, message.now).await?;
        append_audit(&mut tx, &audit.clone().on("prescription_request", message.request)).await?;
        tx.commit().await?;
        Ok(thread)
    }
}
