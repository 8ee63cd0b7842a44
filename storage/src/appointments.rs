//! The appointment book: clinicians, session and slot types, rotas, sessions,
//! slots and bookings, and the practice's rules for booking online.
//!
//! Booking is one transaction that checks and writes: it takes the patient's
//! booking lock (a row-independent advisory lock on PostgreSQL; the writer
//! queue on SQLite), reads the slot, the patient's appointments and the rules,
//! runs [`domain::appointments::check_booking`], and inserts. The partial
//! unique index `appointment_one_active_per_slot` is the last word on double
//! booking, whatever route a booking takes.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar, Db, Tx};
use crate::events::append_event;
use crate::outbox::{enqueue_mail, NewMail};
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};
use domain::appointments::{
    check_booking, check_cancellation, slot_times, AppointmentId, Booker, BookingRules, Cap, Channel, ClinicSessionId,
    ClinicianId, Held, NotCancellable, Notice, OnlineOffer, Release, RotaId, Route, SessionTypeId, SlotFacts, SlotId,
    SlotTypeId, Unbookable,
};
use domain::live::SlotChange;
use domain::{LoginId, PatientId, PracticeId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClinicianRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub bookable_online: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionTypeRow {
    pub id: i64,
    pub internal_name: String,
    pub patient_name: String,
}

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

fn offer_of(
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

const SLOT_SELECT: &str = "SELECT s.id AS slot_id, s.clinic_session_id AS session_id, s.starts_at, s.ends_at, \
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

const APPOINTMENT_SELECT: &str = "SELECT a.id, a.patient_id, p.given_name || ' ' || p.family_name AS patient_name, \
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
struct NoticeParts {
    to: Option<String>,
    practice_name: String,
    practice_phone: String,
}

/// The address appointment notices go to: the patient's login, else the
/// register email, and only when the patient accepts email.
const NOTICE_PARTS: &str = "SELECT CASE WHEN p.contact_by_email THEN COALESCE(l.email, p.email) END AS \"to\", \
    pr.name AS practice_name, pr.phone AS practice_phone \
    FROM patient p JOIN practice pr ON pr.id = p.practice_id \
    LEFT JOIN login l ON l.patient_id = p.id AND l.practice_id = p.practice_id AND l.disabled_at IS NULL \
    WHERE p.id = $1 AND p.practice_id = $2";

const RULES_SELECT: &str = "SELECT horizon_days, min_notice_minutes, max_future, min_age, cancel_cutoff_minutes \
    FROM booking_rules WHERE practice_id = $1";

fn rules_of(row: Option<(i32, i32, Option<i32>, Option<i32>, i32)>) -> BookingRules {
    match row {
        Some((horizon, notice, max_future, min_age, cutoff)) => BookingRules {
            horizon_days: horizon as u32,
            min_notice_minutes: notice as u32,
            max_future: max_future.map(|m| m as u32),
            min_age: min_age.map(|m| m as u32),
            cancel_cutoff_minutes: cutoff as u32,
        },
        None => BookingRules::DEFAULT,
    }
}

fn minute_of(time: NaiveTime) -> i32 {
    (time.hour() * 60 + time.minute()) as i32
}

/// Locks a slot's row for the rest of the transaction (PostgreSQL), so a
/// booking, a cancelling and a change of type of one slot happen one after
/// another; returns whether the slot is the practice's.
async fn lock_slot(tx: &mut Tx, practice: PracticeId, slot: i64) -> StoreResult<bool> {
    let sql = format!("SELECT id FROM slot WHERE id = $1 AND practice_id = $2 {}", tx.for_update());
    let found: Option<i64> = query_scalar(sql).bind(slot).bind(practice.0).fetch_optional(tx).await?;
    Ok(found.is_some())
}

/// Which booked appointments a practice cancels at once.
#[derive(Clone, Copy)]
enum Cancelling {
    /// Every appointment in a clinic session.
    Session(ClinicSessionId),
    /// The appointment in one slot.
    Slot(SlotId),
}

impl Cancelling {
    fn filter(self) -> &'static str {
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
struct PracticeCancels<'a> {
    by: Option<LoginId>,
    reason: &'a str,
    link: &'a str,
    now: DateTime<Utc>,
}

/// Cancels the booked appointments `which` names (by the practice), telling
/// each patient; returns how many were cancelled.
async fn cancel_bookings(
    tx: &mut Tx,
    practice: PracticeId,
    which: Cancelling,
    cancels: &PracticeCancels<'_>,
) -> StoreResult<usize> {
    let PracticeCancels { by, reason, link, now } = *cancels;
    let booked: Vec<(i64, i64, Timestamp, String, String)> = query_as(&format!(
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
                let notice = Notice {
                    practice_name: &parts.practice_name,
                    practice_phone: &parts.practice_phone,
                    starts: starts.0,
                    channel: Channel::parse(channel).unwrap_or(Channel::InPerson),
                    location,
                    link: link,
                    cancel_cutoff_minutes: rules.cancel_cutoff_minutes,
                };
                let (subject, body) = notice.cancelled(true);
                let mail = NewMail { practice: practice, to: to.clone(), subject, body };
                enqueue_mail(tx, &mail, now).await?;
            }
        }
    }
    Ok(cancelled)
}

impl Store {
    pub async fn clinicians(&self, practice: PracticeId) -> StoreResult<Vec<ClinicianRow>> {
        let mut db = self.reader().await?;
        Ok(query_as("SELECT id, name, role, bookable_online FROM clinician WHERE practice_id = $1 ORDER BY name")
            .bind(practice.0)
            .fetch_all(&mut db)
            .await?)
    }

    pub async fn add_clinician(
        &self,
        practice: PracticeId,
        name: &str,
        role: domain::appointments::ClinicianRole,
        audit: &NewAudit,
    ) -> StoreResult<ClinicianId> {
        let mut tx = self.begin().await?;
        let (id,): (i64,) = query_as(
            "INSERT INTO clinician (practice_id, name, role, bookable_online) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(practice.0)
        .bind(name)
        .bind(role.as_str())
        .bind(true)
        .fetch_one(&mut tx)
        .await?;
        append_audit(&mut tx, &audit.clone().on("clinician", id)).await?;
        tx.commit().await?;
        Ok(ClinicianId(id))
    }

    pub async fn session_types(&self, practice: PracticeId) -> StoreResult<Vec<SessionTypeRow>> {
        let mut db = self.reader().await?;
        Ok(query_as(
            "SELECT id, internal_name, patient_name FROM session_type WHERE practice_id = $1 ORDER BY internal_name",
        )
        .bind(practice.0)
        .fetch_all(&mut db)
        .await?)
    }

    pub async fn add_session_type(
        &self,
        practice: PracticeId,
        internal_name: &str,
        patient_name: &str,
        audit: &NewAudit,
    ) -> StoreResult<SessionTypeId> {
        let mut tx = self.begin().await?;
        let (id,): (i64,) = query_as(
            "INSERT INTO session_type (practice_id, internal_name, patient_name) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(practice.0)
        .bind(internal_name)
        .bind(patient_name)
        .fetch_one(&mut tx)
        .await?;
        append_audit(&mut tx, &audit.clone().on("session_type", id)).await?;
        tx.commit().await?;
        Ok(SessionTypeId(id))
    }

    pub async fn slot_types(&self, practice: PracticeId) -> StoreResult<Vec<SlotTypeRow>> {
        let mut db = self.reader().await?;
        Ok(query_as(
            "SELECT id, internal_name, patient_name, description, channel, category, minutes, bookable_online, \
             release_days, release_at_minute, cap_count, cap_days \
             FROM slot_type WHERE practice_id = $1 ORDER BY internal_name",
        )
        .bind(practice.0)
        .fetch_all(&mut db)
        .await?)
    }

    /// Adds a slot type, not bookable online until a practice admin says so.
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

    pub async fn change_slot_type(
        &self,
        practice: PracticeId,
        id: SlotTypeId,
        values: &SlotTypeValues,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let updated = query(
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
        .rows_affected();
        if updated != 1 {
            return Err(StoreError::NotFound);
        }
        append_event(&mut tx, practice, SlotChange::Changed, None, audit.at).await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        self.ring_event_bell();
        Ok(())
    }

    /// Sets how a slot type is offered online.
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
        let updated = query(
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
        .rows_affected();
        if updated != 1 {
            return Err(StoreError::NotFound);
        }
        append_event(&mut tx, practice, SlotChange::Changed, None, audit.at).await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        self.ring_event_bell();
        Ok(())
    }

    /// The practice's rules for booking online; the defaults until it saves its own.
    pub async fn booking_rules(&self, practice: PracticeId) -> StoreResult<BookingRules> {
        let mut db = self.reader().await?;
        Ok(rules_of(query_as(RULES_SELECT).bind(practice.0).fetch_optional(&mut db).await?))
    }

    /// Saves the rules and which clinicians patients can book online.
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

    pub async fn rotas(&self, practice: PracticeId) -> StoreResult<Vec<RotaRow>> {
        let mut db = self.reader().await?;
        Ok(query_as(
            "SELECT r.id, r.clinician_id, c.name AS clinician_name, r.session_type_id, \
             st.internal_name AS session_type_name, r.slot_type_id, t.internal_name AS slot_type_name, \
             r.weekday, r.start_minute, r.end_minute, r.location, r.active \
             FROM rota r JOIN clinician c ON c.id = r.clinician_id \
             JOIN session_type st ON st.id = r.session_type_id JOIN slot_type t ON t.id = r.slot_type_id \
             WHERE r.practice_id = $1 ORDER BY r.weekday, r.start_minute, c.name",
        )
        .bind(practice.0)
        .fetch_all(&mut db)
        .await?)
    }

    /// Adds a weekly pattern. The clinician and types must be the practice's own.
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
    pub async fn set_rota_active(
        &self,
        practice: PracticeId,
        rota: RotaId,
        active: bool,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let updated = query("UPDATE rota SET active = $1 WHERE id = $2 AND practice_id = $3")
            .bind(active)
            .bind(rota.0)
            .bind(practice.0)
            .execute(&mut tx)
            .await?
            .rows_affected();
        if updated != 1 {
            return Err(StoreError::NotFound);
        }
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes the sessions (and slots) of every active rota for the `days`
    /// days from `from`. A rota makes a day's session once: running it again
    /// adds only what is missing. Returns the number of sessions made.
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

    /// Adds a session cut into slots of its slot type's length.
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
        Ok(query_as(&format!("{SESSION_SELECT} WHERE se.practice_id = $1 AND se.day = $2 {SESSION_GROUP}"))
            .bind(practice.0)
            .bind(day)
            .fetch_all(&mut db)
            .await?)
    }

    pub async fn clinic_session(&self, practice: PracticeId, id: ClinicSessionId) -> StoreResult<ClinicSessionRow> {
        let mut db = self.reader().await?;
        Ok(query_as(&format!("{SESSION_SELECT} WHERE se.practice_id = $1 AND se.id = $2 {SESSION_GROUP}"))
            .bind(practice.0)
            .bind(id.0)
            .fetch_one(&mut db)
            .await?)
    }

    /// A session's slots, in time order.
    pub async fn slots_of_session(&self, practice: PracticeId, id: ClinicSessionId) -> StoreResult<Vec<SlotRow>> {
        let mut db = self.reader().await?;
        Ok(query_as(&format!(
            "{SLOT_SELECT} WHERE s.practice_id = $1 AND s.clinic_session_id = $2 ORDER BY s.starts_at"
        ))
        .bind(practice.0)
        .bind(id.0)
        .fetch_all(&mut db)
        .await?)
    }

    /// Changes where a session happens.
    pub async fn change_session_location(
        &self,
        practice: PracticeId,
        id: ClinicSessionId,
        location: &str,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let updated = query("UPDATE clinic_session SET location = $1 WHERE id = $2 AND practice_id = $3")
            .bind(location)
            .bind(id.0)
            .bind(practice.0)
            .execute(&mut tx)
            .await?
            .rows_affected();
        if updated != 1 {
            return Err(StoreError::NotFound);
        }
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Cancels a session and its slots; patients booked into it are told.
    /// Returns how many appointments were cancelled.
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
        let updated = query(
            "UPDATE clinic_session SET cancelled_at = $1 WHERE id = $2 AND practice_id = $3 AND cancelled_at IS NULL",
        )
        .bind(Timestamp(now))
        .bind(id.0)
        .bind(practice.0)
        .execute(&mut tx)
        .await?
        .rows_affected();
        if updated != 1 {
            let exists: Option<(i64,)> = query_as("SELECT id FROM clinic_session WHERE id = $1 AND practice_id = $2")
                .bind(id.0)
                .bind(practice.0)
                .fetch_optional(&mut tx)
                .await?;
            return Err(if exists.is_some() {
                StoreError::Rule("That session is already cancelled.")
            } else {
                StoreError::NotFound
            });
        }
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

    /// Cancels one slot; a patient booked into it is told.
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
        let updated =
            query("UPDATE slot SET cancelled_at = $1 WHERE id = $2 AND practice_id = $3 AND cancelled_at IS NULL")
                .bind(Timestamp(now))
                .bind(id.0)
                .bind(practice.0)
                .execute(&mut tx)
                .await?
                .rows_affected();
        if updated != 1 {
            let exists: Option<(i64,)> = query_as("SELECT id FROM slot WHERE id = $1 AND practice_id = $2")
                .bind(id.0)
                .bind(practice.0)
                .fetch_optional(&mut tx)
                .await?;
            return Err(if exists.is_some() {
                StoreError::Rule("That slot is already cancelled.")
            } else {
                StoreError::NotFound
            });
        }
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
        let updated = query(
            "UPDATE slot SET slot_type_id = $1 WHERE id = $2 AND practice_id = $3 \
             AND EXISTS (SELECT 1 FROM slot_type WHERE id = $1 AND practice_id = $3)",
        )
        .bind(slot_type.0)
        .bind(slot.0)
        .bind(practice.0)
        .execute(&mut tx)
        .await?
        .rows_affected();
        if updated != 1 {
            return Err(StoreError::NotFound);
        }
        append_event(&mut tx, practice, SlotChange::Changed, Some(slot.0), audit.at).await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        self.ring_event_bell();
        Ok(())
    }

    /// One slot, found within the practice.
    pub async fn slot(&self, practice: PracticeId, id: SlotId) -> StoreResult<SlotRow> {
        let mut db = self.reader().await?;
        Ok(query_as(&format!("{SLOT_SELECT} WHERE s.practice_id = $1 AND s.id = $2"))
            .bind(practice.0)
            .bind(id.0)
            .fetch_one(&mut db)
            .await?)
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
        Ok(query_as(&format!(
            "{SLOT_SELECT} WHERE s.practice_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 \
             AND s.cancelled_at IS NULL ORDER BY s.starts_at, c.name"
        ))
        .bind(practice.0)
        .bind(Timestamp(from))
        .bind(Timestamp(until))
        .fetch_all(&mut db)
        .await?)
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
            query_as(&format!("{SLOT_SELECT} WHERE {free} AND s.starts_at >= $3 ORDER BY s.starts_at LIMIT $4"))
                .bind(practice.0)
                .bind(slot_type.0)
                .bind(Timestamp(around.max(not_before)))
                .bind(each_side)
                .fetch_all(&mut db)
                .await?;
        if around > not_before {
            let before: Vec<SlotRow> = query_as(&format!(
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
        Ok(query_as(&format!(
            "{APPOINTMENT_SELECT} WHERE a.practice_id = $1 AND a.patient_id = $2 ORDER BY s.starts_at DESC"
        ))
        .bind(practice.0)
        .bind(patient.0)
        .fetch_all(&mut db)
        .await?)
    }

    /// One appointment, found within the practice.
    pub async fn appointment(&self, practice: PracticeId, id: AppointmentId) -> StoreResult<AppointmentRow> {
        let mut db = self.reader().await?;
        Ok(query_as(&format!("{APPOINTMENT_SELECT} WHERE a.practice_id = $1 AND a.id = $2"))
            .bind(practice.0)
            .bind(id.0)
            .fetch_one(&mut db)
            .await?)
    }

    /// Books a slot for a patient if the rule allows, in one transaction with
    /// its audit record and confirmation email. `Ok(Err(..))` says why not;
    /// nothing is written then. Booking a slot the patient already holds
    /// answers with that appointment, so a second tap or device does no harm.
    pub async fn book(&self, booking: &NewBooking<'_>) -> StoreResult<Result<AppointmentId, Unbookable>> {
        let b = booking;
        // A slot someone else already holds is refused from a read connection,
        // without queueing for a write: at a release most attempts are these.
        let holder: Option<i64> = query_scalar(
            "SELECT patient_id FROM appointment WHERE slot_id = $1 AND practice_id = $2 AND status = 'booked'",
        )
        .bind(b.slot.0)
        .bind(b.practice.0)
        .fetch_optional(&mut self.reader().await?)
        .await?;
        if holder.is_some_and(|holder| holder != b.patient.0) {
            return Ok(Err(Unbookable::Taken));
        }
        match self.book_in_transaction(b).await {
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
    async fn book_in_transaction(&self, b: &NewBooking<'_>) -> StoreResult<Result<AppointmentId, Unbookable>> {
        let mut tx = self.begin().await?;
        // One patient's bookings run one after another, so the cap is
        // counted with every earlier booking committed.
        tx.lock(format!("bookings-of-patient-{}", b.patient.0)).await?;
        let patient: Option<(NaiveDate, String)> =
            query_as("SELECT date_of_birth, registration_status FROM patient WHERE id = $1 AND practice_id = $2")
                .bind(b.patient.0)
                .bind(b.practice.0)
                .fetch_optional(&mut tx)
                .await?;
        let (date_of_birth, status) = patient.ok_or(StoreError::NotFound)?;
        if status != "registered" {
            return Ok(Err(Unbookable::NotRegistered));
        }
        // The slot stays as read until this booking commits: a cancelling
        // or change of type waits, then finds the booking.
        if !lock_slot(&mut tx, b.practice, b.slot.0).await? {
            return Err(StoreError::NotFound);
        }
        let slot: SlotRow = query_as(&format!("{SLOT_SELECT} WHERE s.practice_id = $1 AND s.id = $2"))
            .bind(b.practice.0)
            .bind(b.slot.0)
            .fetch_optional(&mut tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if let (Some(existing), Some(holder)) = (slot.appointment_id, slot.patient_id) {
            if holder == b.patient.0 {
                return Ok(Ok(AppointmentId(existing)));
            }
        }
        let held = held_of(&mut tx, b.practice, b.patient).await?;
        let rules = rules_of(query_as(RULES_SELECT).bind(b.practice.0).fetch_optional(&mut tx).await?);
        let booker = match b.booker {
            Booker::Patient { .. } => Booker::Patient { date_of_birth },
            Booker::Staff => Booker::Staff,
        };
        if let Err(why) = check_booking(booker, &slot.facts(), &rules, &held, b.now) {
            return Ok(Err(why));
        }
        let (id,): (i64,) = query_as(
            "INSERT INTO appointment (practice_id, slot_id, patient_id, status, booked_by, booked_via, booked_at) \
             VALUES ($1, $2, $3, 'booked', $4, $5, $6) RETURNING id",
        )
        .bind(b.practice.0)
        .bind(b.slot.0)
        .bind(b.patient.0)
        .bind(b.by.map(|l| l.0))
        .bind(b.route.as_str())
        .bind(Timestamp(b.now))
        .fetch_one(&mut tx)
        .await?;
        append_audit(&mut tx, &b.audit.clone().on("appointment", id)).await?;
        append_event(&mut tx, b.practice, SlotChange::Taken, Some(b.slot.0), b.now).await?;
        let parts: NoticeParts = query_as(NOTICE_PARTS).bind(b.patient.0).bind(b.practice.0).fetch_one(&mut tx).await?;
        if let Some(to) = parts.to.filter(|_| b.notify) {
            let notice = Notice {
                practice_name: &parts.practice_name,
                practice_phone: &parts.practice_phone,
                starts: slot.starts_at.0,
                channel: slot.channel(),
                location: &slot.location,
                link: b.link,
                cancel_cutoff_minutes: rules.cancel_cutoff_minutes,
            };
            let (subject, body) = notice.booked();
            enqueue_mail(&mut tx, &NewMail { practice: b.practice, to, subject, body }, b.now).await?;
        }
        tx.commit().await?;
        Ok(Ok(AppointmentId(id)))
    }

    /// Cancels an appointment if the rule allows, with its audit record and
    /// email, in one transaction. Returns the appointment's slot.
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
    async fn cancel_in_transaction(&self, x: &Cancellation<'_>) -> StoreResult<Result<SlotId, NotCancellable>> {
        let mut tx = self.begin().await?;
        let row: AppointmentRow = query_as(&format!(
            "{APPOINTMENT_SELECT} WHERE a.practice_id = $1 AND a.id = $2 AND (CAST($3 AS BIGINT) IS NULL OR a.patient_id = $3)"
        ))
        .bind(x.practice.0)
        .bind(x.appointment.0)
        .bind(x.patient.map(|p| p.0))
        .fetch_optional(&mut tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let rules = rules_of(query_as(RULES_SELECT).bind(x.practice.0).fetch_optional(&mut tx).await?);
        if let Err(why) = check_cancellation(x.booker, row.starts_at.0, !row.is_booked(), &rules, x.now) {
            return Ok(Err(why));
        }
        let changed = query(
            "UPDATE appointment SET status = 'cancelled', cancelled_at = $1, cancelled_by = $2, cancelled_via = $3, \
             cancel_reason = $4 WHERE id = $5 AND status = 'booked'",
        )
        .bind(Timestamp(x.now))
        .bind(x.by.map(|l| l.0))
        .bind(x.route.as_str())
        .bind(x.reason)
        .bind(row.id)
        .execute(&mut tx)
        .await?
        .rows_affected();
        // Cancelled a moment ago (a second tap, or the practice at once).
        if changed == 0 {
            return Ok(Err(NotCancellable::AlreadyCancelled));
        }
        append_audit(&mut tx, &x.audit.clone().on("appointment", row.id)).await?;
        append_event(&mut tx, x.practice, SlotChange::Freed, Some(row.slot_id), x.now).await?;
        let parts: NoticeParts =
            query_as(NOTICE_PARTS).bind(row.patient_id).bind(x.practice.0).fetch_one(&mut tx).await?;
        if let Some(to) = parts.to {
            let notice = Notice {
                practice_name: &parts.practice_name,
                practice_phone: &parts.practice_phone,
                starts: row.starts_at.0,
                channel: row.channel(),
                location: &row.location,
                link: x.link,
                cancel_cutoff_minutes: rules.cancel_cutoff_minutes,
            };
            let (subject, body) = notice.cancelled(false);
            enqueue_mail(&mut tx, &NewMail { practice: x.practice, to, subject, body }, x.now).await?;
        }
        tx.commit().await?;
        Ok(Ok(SlotId(row.slot_id)))
    }
}

const SESSION_SELECT: &str = "SELECT se.id, se.clinician_id, c.name AS clinician_name, se.session_type_id, \
    st.internal_name AS session_type_name, se.day, se.starts_at, se.ends_at, se.location, \
    (se.cancelled_at IS NOT NULL) AS cancelled, \
    COUNT(s.id) AS slots, COUNT(a.id) AS booked \
    FROM clinic_session se JOIN clinician c ON c.id = se.clinician_id JOIN session_type st ON st.id = se.session_type_id \
    LEFT JOIN slot s ON s.clinic_session_id = se.id \
    LEFT JOIN appointment a ON a.slot_id = s.id AND a.status = 'booked'";

const SESSION_GROUP: &str = "GROUP BY se.id, se.clinician_id, c.name, se.session_type_id, st.internal_name, se.day, \
    se.starts_at, se.ends_at, se.location, se.cancelled_at ORDER BY se.starts_at, c.name";

/// Inserts a clinic session and its slots inside a transaction; returns its id.
async fn insert_clinic_session(
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

/// The appointments a patient holds.
async fn held_of(db: &mut impl Db, practice: PracticeId, patient: PatientId) -> StoreResult<Vec<Held>> {
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
