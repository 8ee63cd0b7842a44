//! Weekly rotas, and the clinic sessions they add to the book.

use super::clinic_sessions::{insert_clinic_session, NewClinicSession};
use super::minute_of;
use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as};
use crate::events::append_event;
use crate::{Store, StoreError, StoreResult};
use chrono::{NaiveDate, NaiveTime};
use domain::appointments::{slot_times, ClinicianId, RotaId, SessionTypeId, SlotTypeId};
use domain::live::SlotChange;
use domain::PracticeId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RotaRow {
    pub id: i64,
    pub clinician_id: i64,
    pub clinician_name: String,
    pub session_type_id: i64,
    pub session_type_name: String,
    pub slot_type_id: i64,
    pub slot_type_name: String,
    pub weekday: i32,
    pub start_minute: i32,
    pub end_minute: i32,
    pub location: String,
    pub active: bool,
}

/// A weekly pattern to add.
#[derive(Debug, Clone)]
pub struct NewRota {
    pub clinician: ClinicianId,
    pub session_type: SessionTypeId,
    pub slot_type: SlotTypeId,
    /// 1 (Monday) to 7 (Sunday).
    pub weekday: u32,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub location: String,
}

impl Store {
    pub async fn rotas(&self, practice: PracticeId) -> StoreResult<Vec<RotaRow>> {
        let mut db = self.reader().await?;
        query_as(
            "SELECT r.id, r.clinician_id, c.name AS clinician_name, r.session_type_id, \
             st.internal_name AS session_type_name, r.slot_type_id, t.internal_name AS slot_type_name, \
             r.weekday, r.start_minute, r.end_minute, r.location, r.active \
             FROM rota r JOIN clinician c ON c.id = r.clinician_id \
             JOIN session_type st ON st.id = r.session_type_id JOIN slot_type t ON t.id = r.slot_type_id \
             WHERE r.practice_id = $1 ORDER BY r.weekday, r.start_minute, c.name",
        )
        .bind(practice.0)
        .fetch_all(&mut db)
        .await
    }

    /// Adds a weekly pattern. The clinician and types must be the practice's own.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn add_rota(&self, practice: PracticeId, rota: &NewRota, audit: &NewAudit) -> StoreResult<RotaId> {
        let mut tx = self.begin().await?;
        let owned: (i64,) = query_as(
            "SELECT (SELECT COUNT(*) FROM clinician WHERE id = $1 AND practice_id = $4) \
             + (SELECT COUNT(*) FROM session_type WHERE id = $2 AND practice_id = $4) \
             + (SELECT COUNT(*) FROM slot_type WHERE id = $3 AND practice_id = $4)",
        )
        .bind(rota.clinician.0)
        .bind(rota.session_type.0)
        .bind(rota.slot_type.0)
        .bind(practice.0)
        .fetch_one(&mut tx)
        .await?;
        if owned.0 != 3 {
            return Err(StoreError::NotFound);
        }
        let (minutes,): (i32,) =
            query_as("SELECT minutes FROM slot_type WHERE id = $1").bind(rota.slot_type.0).fetch_one(&mut tx).await?;
        if minute_of(rota.end) - minute_of(rota.start) < minutes {
            return Err(StoreError::Rule("The rota is shorter than one slot of that type."));
        }
        let (id,): (i64,) = query_as(
            "INSERT INTO rota (practice_id, clinician_id, session_type_id, slot_type_id, weekday, start_minute, \
             end_minute, location) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(practice.0)
        .bind(rota.clinician.0)
        .bind(rota.session_type.0)
        .bind(rota.slot_type.0)
        .bind(rota.weekday as i32)
        .bind(minute_of(rota.start))
        .bind(minute_of(rota.end))
        .bind(&rota.location)
        .fetch_one(&mut tx)
        .await?;
        append_audit(&mut tx, &audit.clone().on("rota", id)).await?;
        tx.commit().await?;
        Ok(RotaId(id))
    }

    /// Stops or restarts a weekly pattern; sessions already made stay.
    #[tracing::instrument(skip_all, fields(practice = practice.0, rota = rota.0))]
    pub async fn set_rota_active(
        &self,
        practice: PracticeId,
        rota: RotaId,
        active: bool,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query("UPDATE rota SET active = $1 WHERE id = $2 AND practice_id = $3")
            .bind(active)
            .bind(rota.0)
            .bind(practice.0)
            .execute(&mut tx)
            .await?
            .one()?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes the sessions (and slots) of every active rota for the `days`
    /// days from `from`. A rota makes a day's session once: running it again
    /// adds only what is missing. Returns the number of sessions made.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn generate_sessions(
        &self,
        practice: PracticeId,
        from: NaiveDate,
        days: u32,
        audit: &NewAudit,
    ) -> StoreResult<usize> {
        use chrono::Datelike;
        let rotas = self.rotas(practice).await?;
        let slot_types = self.slot_types(practice).await?;
        let mut tx = self.begin().await?;
        let mut made = 0;
        for offset in 0..days {
            let day = from + chrono::TimeDelta::days(i64::from(offset));
            for rota in rotas.iter().filter(|r| r.active && r.weekday as u32 == day.weekday().number_from_monday()) {
                let exists: Option<(i64,)> = query_as("SELECT id FROM clinic_session WHERE rota_id = $1 AND day = $2")
                    .bind(rota.id)
                    .bind(day)
                    .fetch_optional(&mut tx)
                    .await?;
                let Some(slot_type) = slot_types.iter().find(|t| t.id == rota.slot_type_id) else { continue };
                if exists.is_some() {
                    continue;
                }
                let at = |minute: i32| {
                    NaiveTime::from_num_seconds_from_midnight_opt((minute.rem_euclid(1440) * 60) as u32, 0)
                        .unwrap_or_default()
                };
                let session = NewClinicSession {
                    clinician: ClinicianId(rota.clinician_id),
                    session_type: SessionTypeId(rota.session_type_id),
                    slot_type: SlotTypeId(rota.slot_type_id),
                    day,
                    start: at(rota.start_minute),
                    // A rota ending at midnight ends at 23:59 of its day.
                    end: if rota.end_minute >= 1440 {
                        NaiveTime::from_hms_opt(23, 59, 0).unwrap_or_default()
                    } else {
                        at(rota.end_minute)
                    },
                    location: rota.location.clone(),
                };
                // A rota shorter than one slot of its type makes nothing, rather than
                // stopping every other rota's sessions.
                if slot_times(day, session.start, session.end, slot_type.minutes as u32).is_empty() {
                    continue;
                }
                insert_clinic_session(&mut tx, practice, &session, slot_type.minutes as u32, Some(rota.id)).await?;
                made += 1;
            }
        }
        if made > 0 {
            append_event(&mut tx, practice, SlotChange::Added, None, audit.at).await?;
        }
        append_audit(&mut tx, &audit.clone().detail(format!("{made} sessions from {from} for {days} days"))).await?;
        tx.commit().await?;
        self.ring_event_bell();
        Ok(made)
    }
}
