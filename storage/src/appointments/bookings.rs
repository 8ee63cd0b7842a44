//! Bookings: booking and cancelling appointments, and the notices they send.

use super::booking_rules::{rules_of, RULES_SELECT};
use super::slots::{lock_slot, SlotRow, SLOT_SELECT};
use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar, Db, Tx};
use crate::events::append_event;
use crate::outbox::{enqueue_mail, NewMail};
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, Utc};
use domain::appointments::{
    check_booking, check_cancellation, AppointmentId, Booker, Channel, ClinicSessionId, Held, NotCancellable, Route,
    SlotId, SlotTypeId, Unbookable,
};
use domain::live::SlotChange;
use domain::mail::{AppointmentNews, AppointmentNotice, Mail};
use domain::{LoginId, PatientId, PracticeId};

/// An appointment with its slot, as the patient and staff see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AppointmentRow {
    pub id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    pub status: String,
    pub booked_via: String,
    pub booked_at: Timestamp,
    pub cancelled_at: Option<Timestamp>,
    pub cancel_reason: Option<String>,
    pub slot_id: i64,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub type_patient_name: String,
    pub type_internal_name: String,
    pub channel: String,
    pub clinician_name: String,
    pub clinician_role: String,
    pub location: String,
}

impl AppointmentRow {
    pub fn is_booked(&self) -> bool {
        self.status == "booked"
    }

    pub fn channel(&self) -> Channel {
        Channel::parse(&self.channel).unwrap_or(Channel::InPerson)
    }
}

pub(super) const APPOINTMENT_SELECT: &str =
    "SELECT a.id, a.patient_id, p.given_name || ' ' || p.family_name AS patient_name, \
    a.status, a.booked_via, a.booked_at, a.cancelled_at, a.cancel_reason, \
    s.id AS slot_id, s.starts_at, s.ends_at, t.patient_name AS type_patient_name, \
    t.internal_name AS type_internal_name, t.channel, c.name AS clinician_name, c.role AS clinician_role, se.location \
    FROM appointment a JOIN slot s ON s.id = a.slot_id JOIN slot_type t ON t.id = s.slot_type_id \
    JOIN clinician c ON c.id = s.clinician_id JOIN clinic_session se ON se.id = s.clinic_session_id \
    JOIN patient p ON p.id = a.patient_id";

/// A booking to make.
#[derive(Debug, Clone)]
pub struct NewBooking<'a> {
    pub practice: PracticeId,
    pub patient: PatientId,
    pub slot: SlotId,
    pub booker: Booker,
    pub route: Route,
    pub by: Option<LoginId>,
    pub audit: &'a NewAudit,
    /// Where the patient manages their appointments, for the email.
    pub link: &'a str,
    /// Whether the patient is emailed (demo data is not).
    pub notify: bool,
    pub now: DateTime<Utc>,
}

/// A cancellation to make. `patient` is set when the patient cancels, so
/// only their own appointment is found.
#[derive(Debug, Clone)]
pub struct Cancellation<'a> {
    pub practice: PracticeId,
    pub appointment: AppointmentId,
    pub patient: Option<PatientId>,
    pub booker: Booker,
    pub route: Route,
    pub by: Option<LoginId>,
    pub reason: &'a str,
    pub audit: &'a NewAudit,
    pub link: &'a str,
    pub now: DateTime<Utc>,
}

/// Who is told, and where the practice can be reached, for notices.
#[derive(sqlx::FromRow)]
pub(super) struct NoticeParts {
    to: Option<String>,
    practice_name: String,
    practice_phone: String,
}

/// The address appointment notices go to: the patient's login, else the
/// register email, and only when the patient accepts email.
pub(super) const NOTICE_PARTS: &str =
    "SELECT CASE WHEN p.contact_by_email THEN COALESCE(l.email, p.email) END AS \"to\", \
    pr.name AS practice_name, pr.phone AS practice_phone \
    FROM patient p JOIN practice pr ON pr.id = p.practice_id \
    LEFT JOIN login l ON l.patient_id = p.id AND l.practice_id = p.practice_id AND l.disabled_at IS NULL \
    WHERE p.id = $1 AND p.practice_id = $2";

/// Which booked appointments a practice cancels at once.
#[derive(Clone, Copy)]
pub(super) enum Cancelling {
    /// Every appointment in a clinic session.
    Session(ClinicSessionId),
    /// The appointment in one slot.
    Slot(SlotId),
}

impl Cancelling {
    pub(super) fn filter(self) -> &'static str {
        match self {
            Cancelling::Session(_) => "s.clinic_session_id = $2",
            Cancelling::Slot(_) => "a.slot_id = $2",
        }
    }

    fn id(self) -> i64 {
        match self {
            Cancelling::Session(ClinicSessionId(id)) | Cancelling::Slot(SlotId(id)) => id,
        }
    }
}

/// Who cancels for the practice, why, and what the email links to.
pub(super) struct PracticeCancels<'a> {
    pub(super) by: Option<LoginId>,
    pub(super) reason: &'a str,
    pub(super) link: &'a str,
    pub(super) now: DateTime<Utc>,
}

/// Cancels the booked appointments `which` names (by the practice), telling
/// each patient; returns how many were cancelled.
pub(super) async fn cancel_bookings(
    tx: &mut Tx,
    practice: PracticeId,
    which: Cancelling,
    cancels: &PracticeCancels<'_>,
) -> StoreResult<usize> {
    let PracticeCancels { by, reason, link, now } = *cancels;
    let booked: Vec<(i64, i64, Timestamp, String, String)> = query_as(format!(
        "SELECT a.id, a.patient_id, s.starts_at, t.channel, se.location FROM appointment a \
         JOIN slot s ON s.id = a.slot_id JOIN slot_type t ON t.id = s.slot_type_id \
         JOIN clinic_session se ON se.id = s.clinic_session_id \
         WHERE a.practice_id = $1 AND a.status = 'booked' AND s.starts_at > $3 AND {}",
        which.filter()
    ))
    .bind(practice.0)
    .bind(which.id())
    .bind(Timestamp(now))
    .fetch_all(&mut *tx)
    .await?;
    let mut cancelled = 0;
    let rules = rules_of(query_as(RULES_SELECT).bind(practice.0).fetch_optional(&mut *tx).await?);
    for (appointment, patient, starts, channel, location) in &booked {
        let changed = query(
            "UPDATE appointment SET status = 'cancelled', cancelled_at = $1, cancelled_by = $2, cancel_reason = $3 \
             WHERE id = $4 AND status = 'booked'",
        )
        .bind(Timestamp(now))
        .bind(by.map(|l| l.0))
        .bind(reason)
        .bind(appointment)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Cancelled a moment ago by someone else: they told the patient.
        if changed == 0 {
            continue;
        }
        cancelled += 1;
        let parts: NoticeParts = query_as(NOTICE_PARTS).bind(patient).bind(practice.0).fetch_one(&mut *tx).await?;
        if let Some(to) = &parts.to {
            if starts.0 > now {
                let notice = AppointmentNotice {
                    practice_name: &parts.practice_name,
                    practice_phone: &parts.practice_phone,
                    starts: starts.0,
                    channel: Channel::parse(channel).unwrap_or(Channel::InPerson),
                    location,
                    link,
                    cancel_cutoff_minutes: rules.cancel_cutoff_minutes,
                };
                let Mail { subject, body } = notice.render(AppointmentNews::CancelledByPractice);
                let mail = NewMail { practice, to: to.clone(), subject, body };
                enqueue_mail(tx, &mail, now).await?;
            }
        }
    }
    Ok(cancelled)
}

/// The appointments a patient holds.
pub(super) async fn held_of(db: &mut impl Db, practice: PracticeId, patient: PatientId) -> StoreResult<Vec<Held>> {
    let rows: Vec<(i64, Timestamp)> = query_as(
        "SELECT s.slot_type_id, s.starts_at FROM appointment a JOIN slot s ON s.id = a.slot_id \
         WHERE a.practice_id = $1 AND a.patient_id = $2 AND a.status = 'booked'",
    )
    .bind(practice.0)
    .bind(patient.0)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(slot_type, starts)| Held { slot_type: SlotTypeId(slot_type), starts: starts.0 })
        .collect())
}

impl Store {
    /// The appointments a patient holds (booked, not cancelled), for the rule.
    pub async fn held_appointments(&self, practice: PracticeId, patient: PatientId) -> StoreResult<Vec<Held>> {
        held_of(&mut self.reader().await?, practice, patient).await
    }

    /// A patient's appointments, booked and cancelled, latest first.
    pub async fn patient_appointments(
        &self,
        practice: PracticeId,
        patient: PatientId,
    ) -> StoreResult<Vec<AppointmentRow>> {
        let mut db = self.reader().await?;
        query_as(format!(
            "{APPOINTMENT_SELECT} WHERE a.practice_id = $1 AND a.patient_id = $2 ORDER BY s.starts_at DESC"
        ))
        .bind(practice.0)
        .bind(patient.0)
        .fetch_all(&mut db)
        .await
    }

    /// One appointment, found within the practice.
    pub async fn appointment(&self, practice: PracticeId, id: AppointmentId) -> StoreResult<AppointmentRow> {
        let mut db = self.reader().await?;
        query_as(format!("{APPOINTMENT_SELECT} WHERE a.practice_id = $1 AND a.id = $2"))
            .bind(practice.0)
            .bind(id.0)
            .fetch_one(&mut db)
            .await
    }

    /// Books a slot for a patient if the rule allows, in one transaction with
    /// its audit record and confirmation email. `Ok(Err(..))` says why not;
    /// nothing is written then. Booking a slot the patient already holds
    /// answers with that appointment, so a second tap or device does no harm.
    #[tracing::instrument(skip_all, fields(practice = booking.practice.0, patient = booking.patient.0, slot = booking.slot.0))]
    pub async fn book(&self, booking: &NewBooking<'_>) -> StoreResult<Result<AppointmentId, Unbookable>> {
        // A slot someone else already holds is refused from a read connection,
        // without queueing for a write: at a release most attempts are these.
        let holder: Option<i64> = query_scalar(
            "SELECT patient_id FROM appointment WHERE slot_id = $1 AND practice_id = $2 AND status = 'booked'",
        )
        .bind(booking.slot.0)
        .bind(booking.practice.0)
        .fetch_optional(&mut self.reader().await?)
        .await?;
        if holder.is_some_and(|holder| holder != booking.patient.0) {
            return Ok(Err(Unbookable::Taken));
        }
        match self.book_in_transaction(booking).await {
            // Another booking of the slot committed first.
            Err(e) if e.is_conflict_on("appointment", "slot") => Ok(Err(Unbookable::Taken)),
            other => {
                if matches!(other, Ok(Ok(_))) {
                    self.ring_event_bell();
                }
                other
            }
        }
    }

    /// Booking's transaction. A refusal writes nothing: every check comes
    /// before the first write, and an early return rolls back.
    async fn book_in_transaction(&self, booking: &NewBooking<'_>) -> StoreResult<Result<AppointmentId, Unbookable>> {
        let mut tx = self.begin().await?;
        // One patient's bookings run one after another, so the cap is
        // counted with every earlier booking committed.
        tx.lock(format!("bookings-of-patient-{}", booking.patient.0)).await?;
        let patient: Option<(NaiveDate, String)> =
            query_as("SELECT date_of_birth, registration_status FROM patient WHERE id = $1 AND practice_id = $2")
                .bind(booking.patient.0)
                .bind(booking.practice.0)
                .fetch_optional(&mut tx)
                .await?;
        let (date_of_birth, status) = patient.ok_or(StoreError::NotFound)?;
        if status != "registered" {
            return Ok(Err(Unbookable::NotRegistered));
        }
        // The slot stays as read until this booking commits: a cancelling
        // or change of type waits, then finds the booking.
        if !lock_slot(&mut tx, booking.practice, booking.slot.0).await? {
            return Err(StoreError::NotFound);
        }
        let slot: SlotRow = query_as(format!("{SLOT_SELECT} WHERE s.practice_id = $1 AND s.id = $2"))
            .bind(booking.practice.0)
            .bind(booking.slot.0)
            .fetch_optional(&mut tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if let (Some(existing), Some(holder)) = (slot.appointment_id, slot.patient_id) {
            if holder == booking.patient.0 {
                return Ok(Ok(AppointmentId(existing)));
            }
        }
        let held = held_of(&mut tx, booking.practice, booking.patient).await?;
        let rules = rules_of(query_as(RULES_SELECT).bind(booking.practice.0).fetch_optional(&mut tx).await?);
        let booker = match booking.booker {
            Booker::Patient { .. } => Booker::Patient { date_of_birth },
            Booker::Staff => Booker::Staff,
        };
        if let Err(why) = check_booking(booker, &slot.facts(), &rules, &held, booking.now) {
            return Ok(Err(why));
        }
        let (id,): (i64,) = query_as(
            "INSERT INTO appointment (practice_id, slot_id, patient_id, status, booked_by, booked_via, booked_at) \
             VALUES ($1, $2, $3, 'booked', $4, $5, $6) RETURNING id",
        )
        .bind(booking.practice.0)
        .bind(booking.slot.0)
        .bind(booking.patient.0)
        .bind(booking.by.map(|l| l.0))
        .bind(booking.route.as_str())
        .bind(Timestamp(booking.now))
        .fetch_one(&mut tx)
        .await?;
        append_audit(&mut tx, &booking.audit.clone().on("appointment", id)).await?;
        append_event(&mut tx, booking.practice, SlotChange::Taken, Some(booking.slot.0), booking.now).await?;
        let parts: NoticeParts =
            query_as(NOTICE_PARTS).bind(booking.patient.0).bind(booking.practice.0).fetch_one(&mut tx).await?;
        if let Some(to) = parts.to.filter(|_| booking.notify) {
            let notice = AppointmentNotice {
                practice_name: &parts.practice_name,
                practice_phone: &parts.practice_phone,
                starts: slot.starts_at.0,
                channel: slot.channel(),
                location: &slot.location,
                link: booking.link,
                cancel_cutoff_minutes: rules.cancel_cutoff_minutes,
            };
            let Mail { subject, body } = notice.render(AppointmentNews::Booked);
            enqueue_mail(&mut tx, &NewMail { practice: booking.practice, to, subject, body }, booking.now).await?;
        }
        tx.commit().await?;
        Ok(Ok(AppointmentId(id)))
    }

    /// Cancels an appointment if the rule allows, with its audit record and
    /// email, in one transaction. Returns the appointment's slot.
    #[tracing::instrument(skip_all, fields(practice = cancellation.practice.0, appointment = cancellation.appointment.0))]
    pub async fn cancel_appointment(
        &self,
        cancellation: &Cancellation<'_>,
    ) -> StoreResult<Result<SlotId, NotCancellable>> {
        let cancelled = self.cancel_in_transaction(cancellation).await?;
        if cancelled.is_ok() {
            self.ring_event_bell();
        }
        Ok(cancelled)
    }

    /// Cancelling's transaction. A refusal writes nothing.
    async fn cancel_in_transaction(
        &self,
        cancellation: &Cancellation<'_>,
    ) -> StoreResult<Result<SlotId, NotCancellable>> {
        let mut tx = self.begin().await?;
        let row: AppointmentRow = query_as(format!(
            "{APPOINTMENT_SELECT} WHERE a.practice_id = $1 AND a.id = $2 AND (CAST($3 AS BIGINT) IS NULL OR a.patient_id = $3)"
        ))
        .bind(cancellation.practice.0)
        .bind(cancellation.appointment.0)
        .bind(cancellation.patient.map(|p| p.0))
        .fetch_optional(&mut tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let rules = rules_of(query_as(RULES_SELECT).bind(cancellation.practice.0).fetch_optional(&mut tx).await?);
        if let Err(why) =
            check_cancellation(cancellation.booker, row.starts_at.0, !row.is_booked(), &rules, cancellation.now)
        {
            return Ok(Err(why));
        }
        let changed = query(
            "UPDATE appointment SET status = 'cancelled', cancelled_at = $1, cancelled_by = $2, cancelled_via = $3, \
             cancel_reason = $4 WHERE id = $5 AND status = 'booked'",
        )
        .bind(Timestamp(cancellation.now))
        .bind(cancellation.by.map(|l| l.0))
        .bind(cancellation.route.as_str())
        .bind(cancellation.reason)
        .bind(row.id)
        .execute(&mut tx)
        .await?
        .rows_affected();
        // Cancelled a moment ago (a second tap, or the practice at once).
        if changed == 0 {
            return Ok(Err(NotCancellable::AlreadyCancelled));
        }
        append_audit(&mut tx, &cancellation.audit.clone().on("appointment", row.id)).await?;
        append_event(&mut tx, cancellation.practice, SlotChange::Freed, Some(row.slot_id), cancellation.now).await?;
        let parts: NoticeParts =
            query_as(NOTICE_PARTS).bind(row.patient_id).bind(cancellation.practice.0).fetch_one(&mut tx).await?;
        if let Some(to) = parts.to {
            let notice = AppointmentNotice {
                practice_name: &parts.practice_name,
                practice_phone: &parts.practice_phone,
                starts: row.starts_at.0,
                channel: row.channel(),
                location: &row.location,
                link: cancellation.link,
                cancel_cutoff_minutes: rules.cancel_cutoff_minutes,
            };
            let Mail { subject, body } = notice.render(AppointmentNews::Cancelled);
            enqueue_mail(&mut tx, &NewMail { practice: cancellation.practice, to, subject, body }, cancellation.now)
                .await?;
        }
        tx.commit().await?;
        Ok(Ok(SlotId(row.slot_id)))
    }
}
