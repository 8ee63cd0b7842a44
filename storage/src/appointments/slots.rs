//! Slots: the times in a clinic session that can be booked, and the free ones patients and reception see.

use super::appointment_types::offer_of;
use super::bookings::{cancel_bookings, Cancelling, PracticeCancels};
use super::mark_cancelled;
use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar, Db, Tx};
use crate::events::append_event;
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::appointments::{Channel, ClinicSessionId, SlotFacts, SlotId, SlotTypeId};
use domain::live::SlotChange;
use domain::{LoginId, PracticeId};

/// A slot with everything shown about it and everything the booking rule needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SlotRow {
    pub slot_id: i64,
    pub session_id: i64,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub cancelled: bool,
    pub slot_type_id: i64,
    pub type_internal_name: String,
    pub type_patient_name: String,
    pub type_description: String,
    pub channel: String,
    pub category: String,
    pub type_bookable: bool,
    pub release_days: Option<i32>,
    pub release_at_minute: Option<i32>,
    pub cap_count: Option<i32>,
    pub cap_days: Option<i32>,
    pub clinician_id: i64,
    pub clinician_name: String,
    pub clinician_role: String,
    pub clinician_bookable: bool,
    pub location: String,
    pub appointment_id: Option<i64>,
    pub patient_id: Option<i64>,
    pub patient_name: Option<String>,
}

impl SlotRow {
    pub fn facts(&self) -> SlotFacts {
        SlotFacts {
            slot_type: SlotTypeId(self.slot_type_id),
            type_name: self.type_patient_name.clone(),
            starts: self.starts_at.0,
            offer: offer_of(
                self.type_bookable,
                self.release_days,
                self.release_at_minute,
                self.cap_count,
                self.cap_days,
            ),
            clinician_bookable: self.clinician_bookable,
            cancelled: self.cancelled,
            taken: self.appointment_id.is_some(),
        }
    }

    pub fn channel(&self) -> Channel {
        Channel::parse(&self.channel).unwrap_or(Channel::InPerson)
    }
}

pub(super) const SLOT_SELECT: &str =
    "SELECT s.id AS slot_id, s.clinic_session_id AS session_id, s.starts_at, s.ends_at, \
    (s.cancelled_at IS NOT NULL) AS cancelled, \
    t.id AS slot_type_id, t.internal_name AS type_internal_name, t.patient_name AS type_patient_name, \
    t.description AS type_description, t.channel, t.category, t.bookable_online AS type_bookable, \
    t.release_days, t.release_at_minute, t.cap_count, t.cap_days, \
    c.id AS clinician_id, c.name AS clinician_name, c.role AS clinician_role, c.bookable_online AS clinician_bookable, \
    se.location, a.id AS appointment_id, a.patient_id, p.given_name || ' ' || p.family_name AS patient_name \
    FROM slot s JOIN slot_type t ON t.id = s.slot_type_id JOIN clinician c ON c.id = s.clinician_id \
    JOIN clinic_session se ON se.id = s.clinic_session_id \
    LEFT JOIN appointment a ON a.slot_id = s.id AND a.status = 'booked' \
    LEFT JOIN patient p ON p.id = a.patient_id";

/// Locks a slot's row for the rest of the transaction (PostgreSQL), so a
/// booking, a cancelling and a change of type of one slot happen one after
/// another; returns whether the slot is the practice's.
pub(super) async fn lock_slot(tx: &mut Tx, practice: PracticeId, slot: i64) -> StoreResult<bool> {
    let sql = format!("SELECT id FROM slot WHERE id = $1 AND practice_id = $2 {}", tx.for_update());
    let found: Option<i64> = query_scalar(sql).bind(slot).bind(practice.0).fetch_optional(tx).await?;
    Ok(found.is_some())
}

impl Store {
    /// A session's slots, in time order.
    pub async fn slots_of_session(&self, practice: PracticeId, id: ClinicSessionId) -> StoreResult<Vec<SlotRow>> {
        let mut db = self.reader().await?;
        query_as(format!("{SLOT_SELECT} WHERE s.practice_id = $1 AND s.clinic_session_id = $2 ORDER BY s.starts_at"))
            .bind(practice.0)
            .bind(id.0)
            .fetch_all(&mut db)
            .await
    }

    /// Cancels one slot; a patient booked into it is told.
    #[tracing::instrument(skip_all, fields(practice = practice.0, id = id.0))]
    pub async fn cancel_slot(
        &self,
        practice: PracticeId,
        id: SlotId,
        by: Option<LoginId>,
        audit: &NewAudit,
        link: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<usize> {
        let mut tx = self.begin().await?;
        let started: Option<(Timestamp,)> = query_as("SELECT starts_at FROM slot WHERE id = $1 AND practice_id = $2")
            .bind(id.0)
            .bind(practice.0)
            .fetch_optional(&mut tx)
            .await?;
        if started.is_some_and(|(starts,)| starts.0 <= now) {
            return Err(StoreError::Rule("That slot has already started."));
        }
        mark_cancelled(&mut tx, "slot", practice, id.0, now, "That slot is already cancelled.").await?;
        let cancels = PracticeCancels { by, reason: "The practice cancelled the slot", link, now };
        let cancelled = cancel_bookings(&mut tx, practice, Cancelling::Slot(id), &cancels).await?;
        append_audit(&mut tx, &audit.clone().detail(format!("{cancelled} appointments cancelled"))).await?;
        append_event(&mut tx, practice, SlotChange::Withdrawn, Some(id.0), now).await?;
        tx.commit().await?;
        self.ring_event_bell();
        Ok(cancelled)
    }

    /// Changes a free slot's type. A booked slot keeps its type: the patient
    /// booked what it said.
    #[tracing::instrument(skip_all, fields(practice = practice.0, slot = slot.0, slot_type = slot_type.0))]
    pub async fn change_slot_kind(
        &self,
        practice: PracticeId,
        slot: SlotId,
        slot_type: SlotTypeId,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        if !lock_slot(&mut tx, practice, slot.0).await? {
            return Err(StoreError::NotFound);
        }
        let found: Option<(Option<i64>, bool)> = query_as(
            "SELECT a.id, (s.cancelled_at IS NOT NULL) FROM slot s \
             LEFT JOIN appointment a ON a.slot_id = s.id AND a.status = 'booked' \
             WHERE s.id = $1 AND s.practice_id = $2",
        )
        .bind(slot.0)
        .bind(practice.0)
        .fetch_optional(&mut tx)
        .await?;
        match found {
            None => return Err(StoreError::NotFound),
            Some((Some(_), _)) => return Err(StoreError::Rule("That slot is booked: cancel the appointment first.")),
            Some((None, true)) => return Err(StoreError::Rule("That slot is cancelled.")),
            Some((None, false)) => {}
        }
        query(
            "UPDATE slot SET slot_type_id = $1 WHERE id = $2 AND practice_id = $3 \
             AND EXISTS (SELECT 1 FROM slot_type WHERE id = $1 AND practice_id = $3)",
        )
        .bind(slot_type.0)
        .bind(slot.0)
        .bind(practice.0)
        .execute(&mut tx)
        .await?
        .one()?;
        append_event(&mut tx, practice, SlotChange::Changed, Some(slot.0), audit.at).await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        self.ring_event_bell();
        Ok(())
    }

    /// One slot, found within the practice.
    pub async fn slot(&self, practice: PracticeId, id: SlotId) -> StoreResult<SlotRow> {
        let mut db = self.reader().await?;
        query_as(format!("{SLOT_SELECT} WHERE s.practice_id = $1 AND s.id = $2"))
            .bind(practice.0)
            .bind(id.0)
            .fetch_one(&mut db)
            .await
    }

    /// The practice's slots starting from `from` up to `until`, not cancelled,
    /// booked or not, in time order.
    pub async fn slots_between(
        &self,
        practice: PracticeId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<SlotRow>> {
        let mut db = self.reader().await?;
        query_as(format!(
            "{SLOT_SELECT} WHERE s.practice_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 \
             AND s.cancelled_at IS NULL ORDER BY s.starts_at, c.name"
        ))
        .bind(practice.0)
        .bind(Timestamp(from))
        .bind(Timestamp(until))
        .fetch_all(&mut db)
        .await
    }

    /// Free slots of one type nearest to `around` (up to `each_side` before and
    /// after it, none before `not_before`): what to offer someone who just
    /// missed a slot. Small on purpose: at a release every loser asks.
    pub async fn free_slots_near(
        &self,
        practice: PracticeId,
        slot_type: SlotTypeId,
        around: DateTime<Utc>,
        not_before: DateTime<Utc>,
        each_side: i64,
    ) -> StoreResult<Vec<SlotRow>> {
        let free = "s.practice_id = $1 AND s.slot_type_id = $2 AND s.cancelled_at IS NULL AND a.id IS NULL";
        let mut db = self.reader().await?;
        let mut near: Vec<SlotRow> =
            query_as(format!("{SLOT_SELECT} WHERE {free} AND s.starts_at >= $3 ORDER BY s.starts_at LIMIT $4"))
                .bind(practice.0)
                .bind(slot_type.0)
                .bind(Timestamp(around.max(not_before)))
                .bind(each_side)
                .fetch_all(&mut db)
                .await?;
        if around > not_before {
            let before: Vec<SlotRow> = query_as(format!(
                "{SLOT_SELECT} WHERE {free} AND s.starts_at >= $3 AND s.starts_at < $4 \
                 ORDER BY s.starts_at DESC LIMIT $5"
            ))
            .bind(practice.0)
            .bind(slot_type.0)
            .bind(Timestamp(not_before))
            .bind(Timestamp(around))
            .bind(each_side)
            .fetch_all(&mut db)
            .await?;
            near.extend(before);
        }
        Ok(near)
    }
}
