//! Appointment types (slot types): what an appointment is for, the names staff and
//! patients see, how long it takes, and whether and when patients can book it online.

use super::minute_of;
use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as};
use crate::events::append_event;
use crate::{Store, StoreResult};
use chrono::NaiveTime;
use domain::appointments::{Cap, Channel, OnlineOffer, Release, SlotTypeId};
use domain::live::SlotChange;
use domain::PracticeId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SlotTypeRow {
    pub id: i64,
    pub internal_name: String,
    pub patient_name: String,
    pub description: String,
    pub channel: String,
    pub category: String,
    pub minutes: i32,
    pub bookable_online: bool,
    pub release_days: Option<i32>,
    pub release_at_minute: Option<i32>,
    pub cap_count: Option<i32>,
    pub cap_days: Option<i32>,
}

/// A new slot type, or the new values of one.
#[derive(Debug, Clone)]
pub struct SlotTypeValues {
    pub internal_name: String,
    pub patient_name: String,
    pub description: String,
    pub channel: Channel,
    pub category: domain::appointments::Category,
    pub minutes: u32,
}

pub(super) fn offer_of(
    bookable: bool,
    days: Option<i32>,
    at: Option<i32>,
    cap_count: Option<i32>,
    cap_days: Option<i32>,
) -> OnlineOffer {
    let release = match (days, at) {
        (Some(days), Some(at)) => Release::DaysBefore {
            days: days as u16,
            at: NaiveTime::from_num_seconds_from_midnight_opt(at as u32 * 60, 0).unwrap_or_default(),
        },
        _ => Release::WhenCreated,
    };
    let cap = match (cap_count, cap_days) {
        (Some(count), Some(days)) => Some(Cap { count: count as u32, days: days as u32 }),
        _ => None,
    };
    OnlineOffer { bookable, release, cap }
}

impl SlotTypeRow {
    pub fn offer(&self) -> OnlineOffer {
        offer_of(self.bookable_online, self.release_days, self.release_at_minute, self.cap_count, self.cap_days)
    }
}

impl Store {
    pub async fn slot_types(&self, practice: PracticeId) -> StoreResult<Vec<SlotTypeRow>> {
        let mut db = self.reader().await?;
        query_as(
            "SELECT id, internal_name, patient_name, description, channel, category, minutes, bookable_online, \
             release_days, release_at_minute, cap_count, cap_days \
             FROM slot_type WHERE practice_id = $1 ORDER BY internal_name",
        )
        .bind(practice.0)
        .fetch_all(&mut db)
        .await
    }

    /// Adds a slot type, not bookable online until a practice admin says so.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn add_slot_type(
        &self,
        practice: PracticeId,
        values: &SlotTypeValues,
        audit: &NewAudit,
    ) -> StoreResult<SlotTypeId> {
        let mut tx = self.begin().await?;
        let (id,): (i64,) = query_as(
            "INSERT INTO slot_type (practice_id, internal_name, patient_name, description, channel, category, \
             minutes, bookable_online) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(practice.0)
        .bind(&values.internal_name)
        .bind(&values.patient_name)
        .bind(&values.description)
        .bind(values.channel.as_str())
        .bind(values.category.as_str())
        .bind(values.minutes as i32)
        .bind(false)
        .fetch_one(&mut tx)
        .await?;
        append_audit(&mut tx, &audit.clone().on("slot_type", id)).await?;
        tx.commit().await?;
        Ok(SlotTypeId(id))
    }

    #[tracing::instrument(skip_all, fields(practice = practice.0, id = id.0))]
    pub async fn change_slot_type(
        &self,
        practice: PracticeId,
        id: SlotTypeId,
        values: &SlotTypeValues,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query(
            "UPDATE slot_type SET internal_name = $1, patient_name = $2, description = $3, channel = $4, \
             category = $5, minutes = $6 WHERE id = $7 AND practice_id = $8",
        )
        .bind(&values.internal_name)
        .bind(&values.patient_name)
        .bind(&values.description)
        .bind(values.channel.as_str())
        .bind(values.category.as_str())
        .bind(values.minutes as i32)
        .bind(id.0)
        .bind(practice.0)
        .execute(&mut tx)
        .await?
        .one()?;
        append_event(&mut tx, practice, SlotChange::Changed, None, audit.at).await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        self.ring_event_bell();
        Ok(())
    }

    /// Sets how a slot type is offered online.
    #[tracing::instrument(skip_all, fields(practice = practice.0, id = id.0))]
    pub async fn set_online_offer(
        &self,
        practice: PracticeId,
        id: SlotTypeId,
        offer: OnlineOffer,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let (days, at) = match offer.release {
            Release::WhenCreated => (None, None),
            Release::DaysBefore { days, at } => (Some(i32::from(days)), Some(minute_of(at))),
        };
        let mut tx = self.begin().await?;
        query(
            "UPDATE slot_type SET bookable_online = $1, release_days = $2, release_at_minute = $3, \
             cap_count = $4, cap_days = $5 WHERE id = $6 AND practice_id = $7",
        )
        .bind(offer.bookable)
        .bind(days)
        .bind(at)
        .bind(offer.cap.map(|cap| cap.count as i32))
        .bind(offer.cap.map(|cap| cap.days as i32))
        .bind(id.0)
        .bind(practice.0)
        .execute(&mut tx)
        .await?
        .one()?;
        append_event(&mut tx, practice, SlotChange::Changed, None, audit.at).await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        self.ring_event_bell();
        Ok(())
    }
}
