//! The practice's rules for booking online.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as};
use crate::events::append_event;
use crate::{Store, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::appointments::{BookingRules, ClinicianId};
use domain::live::SlotChange;
use domain::PracticeId;

impl Store {
    /// The practice's rules for booking online; the defaults until it saves its own.
    pub async fn booking_rules(&self, practice: PracticeId) -> StoreResult<BookingRules> {
        let mut db = self.reader().await?;
        Ok(rules_of(query_as(RULES_SELECT).bind(practice.0).fetch_optional(&mut db).await?))
    }

    /// Saves the rules and which clinicians patients can book online.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn save_booking_rules(
        &self,
        practice: PracticeId,
        rules: &BookingRules,
        bookable_clinicians: &[ClinicianId],
        audit: &NewAudit,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query(
            "INSERT INTO booking_rules (practice_id, horizon_days, min_notice_minutes, max_future, min_age, \
             cancel_cutoff_minutes, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (practice_id) DO UPDATE SET horizon_days = excluded.horizon_days, \
             min_notice_minutes = excluded.min_notice_minutes, max_future = excluded.max_future, \
             min_age = excluded.min_age, cancel_cutoff_minutes = excluded.cancel_cutoff_minutes, \
             updated_at = excluded.updated_at",
        )
        .bind(practice.0)
        .bind(rules.horizon_days as i32)
        .bind(rules.min_notice_minutes as i32)
        .bind(rules.max_future.map(|m| m as i32))
        .bind(rules.min_age.map(|m| m as i32))
        .bind(rules.cancel_cutoff_minutes as i32)
        .bind(Timestamp(now))
        .execute(&mut tx)
        .await?;
        let clinicians: Vec<(i64,)> =
            query_as("SELECT id FROM clinician WHERE practice_id = $1").bind(practice.0).fetch_all(&mut tx).await?;
        for (id,) in clinicians {
            query("UPDATE clinician SET bookable_online = $1 WHERE id = $2")
                .bind(bookable_clinicians.contains(&ClinicianId(id)))
                .bind(id)
                .execute(&mut tx)
                .await?;
        }
        append_event(&mut tx, practice, SlotChange::Changed, None, now).await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        self.ring_event_bell();
        Ok(())
    }
}

pub(super) const RULES_SELECT: &str =
    "SELECT horizon_days, min_notice_minutes, max_future, min_age, cancel_cutoff_minutes \
    FROM booking_rules WHERE practice_id = $1";

/// A practice's `booking_rules` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct BookingRulesRow {
    horizon_days: i32,
    min_notice_minutes: i32,
    max_future: Option<i32>,
    min_age: Option<i32>,
    cancel_cutoff_minutes: i32,
}

/// The practice's rules, or the defaults until it saves its own.
pub(super) fn rules_of(row: Option<BookingRulesRow>) -> BookingRules {
    match row {
        Some(row) => BookingRules {
            horizon_days: row.horizon_days as u32,
            min_notice_minutes: row.min_notice_minutes as u32,
            max_future: row.max_future.map(|m| m as u32),
            min_age: row.min_age.map(|m| m as u32),
            cancel_cutoff_minutes: row.cancel_cutoff_minutes as u32,
        },
        None => BookingRules::DEFAULT,
    }
}
