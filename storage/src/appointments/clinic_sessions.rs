//! Clinic sessions: a clinician's block of time on a day, cut into slots.

use super::bookings::{cancel_bookings, Cancelling, PracticeCancels};
use super::mark_cancelled;
use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, Tx};
use crate::events::append_event;
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use domain::appointments::{slot_times, ClinicSessionId, ClinicianId, SessionTypeId, SlotTypeId};
use domain::live::SlotChange;
use domain::{LoginId, PracticeId};

/// A session to add, cut into slots of its slot type's length.
#[derive(Debug, Clone)]
pub struct NewClinicSession {
    pub clinician: ClinicianId,
    pub session_type: SessionTypeId,
    pub slot_type: SlotTypeId,
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub location: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClinicSessionRow {
    pub id: i64,
    pub clinician_id: i64,
    pub clinician_name: String,
    pub session_type_id: i64,
    pub session_type_name: String,
    pub day: NaiveDate,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub location: String,
    pub cancelled: bool,
    pub slots: i64,
    pub booked: i64,
}

pub(super) const SESSION_SELECT: &str = "SELECT se.id, se.clinician_id, c.name AS clinician_name, se.session_type_id, \
    st.internal_name AS session_type_name, se.day, se.starts_at, se.ends_at, se.location, \
    (se.cancelled_at IS NOT NULL) AS cancelled, \
    COUNT(s.id) AS slots, COUNT(a.id) AS booked \
    FROM clinic_session se JOIN clinician c ON c.id = se.clinician_id JOIN session_type st ON st.id = se.session_type_id \
    LEFT JOIN slot s ON s.clinic_session_id = se.id \
    LEFT JOIN appointment a ON a.slot_id = s.id AND a.status = 'booked'";

pub(super) const SESSION_GROUP: &str =
    "GROUP BY se.id, se.clinician_id, c.name, se.session_type_id, st.internal_name, se.day, \
    se.starts_at, se.ends_at, se.location, se.cancelled_at ORDER BY se.starts_at, c.name";

/// Inserts a clinic session and its slots inside a transaction; returns its id.
pub(super) async fn insert_clinic_session(
    tx: &mut Tx,
    practice: PracticeId,
    session: &NewClinicSession,
    minutes: u32,
    rota: Option<i64>,
) -> StoreResult<ClinicSessionId> {
    let times = slot_times(session.day, session.start, session.end, minutes);
    match (times.first(), times.last()) {
        (Some(&(starts, _)), Some(&(_, ends))) => {
            let (id,): (i64,) = query_as(
                "INSERT INTO clinic_session (practice_id, clinician_id, session_type_id, rota_id, day, starts_at, ends_at, \
                 location) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(practice.0)
            .bind(session.clinician.0)
            .bind(session.session_type.0)
            .bind(rota)
            .bind(session.day)
            .bind(Timestamp(starts))
            .bind(Timestamp(ends))
            .bind(&session.location)
            .fetch_one(&mut *tx)
            .await?;
            for (starts, ends) in &times {
                query(
                    "INSERT INTO slot (practice_id, clinic_session_id, slot_type_id, clinician_id, starts_at, ends_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(practice.0)
                .bind(id)
                .bind(session.slot_type.0)
                .bind(session.clinician.0)
                .bind(Timestamp(*starts))
                .bind(Timestamp(*ends))
                .execute(&mut *tx)
                .await?;
            }
            Ok(ClinicSessionId(id))
        }
        _ => Err(StoreError::Rule("The session is too short for one slot of that type.")),
    }
}

impl Store {
    /// Adds a session cut into slots of its slot type's length.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn add_session(
        &self,
        practice: PracticeId,
        session: &NewClinicSession,
        audit: &NewAudit,
    ) -> StoreResult<ClinicSessionId> {
        let mut tx = self.begin().await?;
        let minutes: Option<(i32,)> = query_as(
            "SELECT t.minutes FROM slot_type t WHERE t.id = $1 AND t.practice_id = $2 \
             AND EXISTS (SELECT 1 FROM clinician WHERE id = $3 AND practice_id = $2) \
             AND EXISTS (SELECT 1 FROM session_type WHERE id = $4 AND practice_id = $2)",
        )
        .bind(session.slot_type.0)
        .bind(practice.0)
        .bind(session.clinician.0)
        .bind(session.session_type.0)
        .fetch_optional(&mut tx)
        .await?;
        let (minutes,) = minutes.ok_or(StoreError::NotFound)?;
        let id = insert_clinic_session(&mut tx, practice, session, minutes as u32, None).await?;
        append_event(&mut tx, practice, SlotChange::Added, None, audit.at).await?;
        append_audit(&mut tx, &audit.clone().on("clinic_session", id.0)).await?;
        tx.commit().await?;
        self.ring_event_bell();
        Ok(id)
    }

    /// The sessions on a day, with how many slots each has and how many are booked.
    pub async fn clinic_sessions_on(&self, practice: PracticeId, day: NaiveDate) -> StoreResult<Vec<ClinicSessionRow>> {
        let mut db = self.reader().await?;
        query_as(format!("{SESSION_SELECT} WHERE se.practice_id = $1 AND se.day = $2 {SESSION_GROUP}"))
            .bind(practice.0)
            .bind(day)
            .fetch_all(&mut db)
            .await
    }

    pub async fn clinic_session(&self, practice: PracticeId, id: ClinicSessionId) -> StoreResult<ClinicSessionRow> {
        let mut db = self.reader().await?;
        query_as(format!("{SESSION_SELECT} WHERE se.practice_id = $1 AND se.id = $2 {SESSION_GROUP}"))
            .bind(practice.0)
            .bind(id.0)
            .fetch_one(&mut db)
            .await
    }

    /// Changes where a session happens.
    #[tracing::instrument(skip_all, fields(practice = practice.0, id = id.0))]
    pub async fn change_session_location(
        &self,
        practice: PracticeId,
        id: ClinicSessionId,
        location: &str,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query("UPDATE clinic_session SET location = $1 WHERE id = $2 AND practice_id = $3")
            .bind(location)
            .bind(id.0)
            .bind(practice.0)
            .execute(&mut tx)
            .await?
            .one()?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Cancels a session and its slots; patients booked into it are told.
    /// Returns how many appointments were cancelled.
    #[tracing::instrument(skip_all, fields(practice = practice.0, id = id.0))]
    pub async fn cancel_session(
        &self,
        practice: PracticeId,
        id: ClinicSessionId,
        by: Option<LoginId>,
        audit: &NewAudit,
        link: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<usize> {
        let mut tx = self.begin().await?;
        mark_cancelled(&mut tx, "clinic_session", practice, id.0, now, "That session is already cancelled.").await?;
        // Slots already started (or over) stand: they happened.
        query(
            "UPDATE slot SET cancelled_at = $1 WHERE clinic_session_id = $2 AND cancelled_at IS NULL AND starts_at > $1",
        )
        .bind(Timestamp(now))
        .bind(id.0)
        .execute(&mut tx)
        .await?;
        let cancels = PracticeCancels { by, reason: "The practice cancelled the session", link, now };
        let cancelled = cancel_bookings(&mut tx, practice, Cancelling::Session(id), &cancels).await?;
        append_audit(&mut tx, &audit.clone().detail(format!("{cancelled} appointments cancelled"))).await?;
        append_event(&mut tx, practice, SlotChange::Withdrawn, None, now).await?;
        tx.commit().await?;
        self.ring_event_bell();
        Ok(cancelled)
    }
}
