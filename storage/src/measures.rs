//! The facts the practice dashboard counts (`domain::measures` counts them):
//! each patient of the practice, without names or numbers, and what happened
//! over a run of months. Times become London dates here.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as};
use crate::{Store, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, Utc};
use domain::measures::{
    Activity, Author, Booking, Enabled, GrantSpan, Month, Offered, Order, PatientFacts, Targets, Via,
};
use domain::PracticeId;

fn london_date(at: Timestamp) -> NaiveDate {
    domain::time::to_london(at.0).date()
}

/// The first instant of a month's first day, London time.
fn month_start(month: Month) -> DateTime<Utc> {
    domain::time::from_london(month.first_day().and_hms_opt(0, 0, 0).unwrap_or_default())
}

#[derive(sqlx::FromRow)]
struct PatientColumns {
    date_of_birth: NaiveDate,
    sex: String,
    registration_status: String,
    registered_on: Option<NaiveDate>,
    left_on: Option<NaiveDate>,
    account_created_at: Option<Timestamp>,
    account_disabled_at: Option<Timestamp>,
    appointments: bool,
    prescriptions: bool,
    record: String,
    paper_or_phone: bool,
}

impl PatientColumns {
    fn facts(self) -> PatientFacts {
        // Marked as gone with no date: on no month's list.
        let gone = self.registration_status != "registered";
        let left_on = self.left_on.or(gone.then_some(NaiveDate::MIN));
        PatientFacts {
            date_of_birth: self.date_of_birth,
            sex: self.sex,
            registered_on: self.registered_on,
            left_on,
            account_from: self.account_created_at.map(london_date),
            account_until: self.account_disabled_at.map(london_date),
            enabled: Enabled {
                appointments: self.appointments,
                prescriptions: self.prescriptions,
                detailed_record: matches!(self.record.as_str(), "detailed_coded" | "full"),
            },
            paper_or_phone: self.paper_or_phone,
        }
    }
}

#[derive(sqlx::FromRow)]
struct BookingColumns {
    booked_at: Timestamp,
    booked_via: String,
    cancelled_at: Option<Timestamp>,
    cancelled_via: Option<String>,
    category: String,
}

fn via(text: &str) -> Via {
    if text == "online" {
        Via::Online
    } else {
        Via::Staff
    }
}

impl Store {
    /// The practice's targets, or the London programme's when it set none.
    pub async fn dashboard_targets(&self, practice: PracticeId) -> StoreResult<Targets> {
        let row: Option<(i32, i32, i32)> =
            query_as("SELECT offered_online, with_account, used_online FROM dashboard_targets WHERE practice_id = $1")
                .bind(practice.0)
                .fetch_optional(&mut self.reader().await?)
                .await?;
        // The table checks each is 1 to 100.
        let percent = |value: i32| value.clamp(1, 100) as u32;
        Ok(row.map_or(Targets::DEFAULT, |(offered, accounts, used)| Targets {
            offered_online: percent(offered),
            with_account: percent(accounts),
            used_online: percent(used),
        }))
    }

    /// Sets the practice's targets, recorded with `audit`.
    pub async fn set_dashboard_targets(
        &self,
        practice: PracticeId,
        targets: Targets,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query(
            "INSERT INTO dashboard_targets (practice_id, offered_online, with_account, used_online) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (practice_id) DO UPDATE SET \
             offered_online = excluded.offered_online, with_account = excluded.with_account, \
             used_online = excluded.used_online",
        )
        .bind(practice.0)
        .bind(targets.offered_online as i32)
        .bind(targets.with_account as i32)
        .bind(targets.used_online as i32)
        .execute(&mut tx)
        .await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every patient the practice has had, as the measures see them; a
    /// patient with no services of their own has the practice's defaults.
    pub async fn measure_patients(&self, practice: PracticeId) -> StoreResult<Vec<PatientFacts>> {
        let rows: Vec<PatientColumns> = query_as(
            "SELECT p.date_of_birth, p.sex, p.registration_status, p.registered_on, \
             COALESCE(p.left_on, p.deceased_on) AS left_on, l.created_at AS account_created_at, \
             l.disabled_at AS account_disabled_at, \
             COALESCE(g.appointments, s.default_appointments, TRUE) AS appointments, \
             COALESCE(g.prescriptions, s.default_prescriptions, TRUE) AS prescriptions, \
             COALESCE(g.record, s.default_record, 'full') AS record, \
             (NOT p.contact_by_email AND NOT p.contact_by_sms) AS paper_or_phone \
             FROM patient p \
             LEFT JOIN login l ON l.patient_id = p.id \
             LEFT JOIN patient_grant g ON g.patient_id = p.id \
             LEFT JOIN practice_settings s ON s.practice_id = p.practice_id \
             WHERE p.practice_id = $1",
        )
        .bind(practice.0)
        .fetch_all(&mut self.reader().await?)
        .await?;
        Ok(rows.into_iter().map(PatientColumns::facts).collect())
    }

    /// What happened at the practice from the start of `first` to the end of `last`.
    pub async fn measure_activity(&self, practice: PracticeId, first: Month, last: Month) -> StoreResult<Activity> {
        let (from, to) = (Timestamp(month_start(first)), Timestamp(month_start(last.next())));
        let mut db = self.reader().await?;
        let bookings: Vec<BookingColumns> = query_as(
            "SELECT a.booked_at, a.booked_via, a.cancelled_at, a.cancelled_via, t.category \
             FROM appointment a JOIN slot s ON s.id = a.slot_id JOIN slot_type t ON t.id = s.slot_type_id \
             WHERE a.practice_id = $1 AND ((a.booked_at >= $2 AND a.booked_at < $3) \
             OR (a.cancelled_at >= $2 AND a.cancelled_at < $3))",
        )
        .bind(practice.0)
        .bind(from)
        .bind(to)
        .fetch_all(&mut db)
        .await?;
        let offered: Vec<(Timestamp, String, bool)> = query_as(
            "SELECT s.starts_at, t.category, (t.bookable_online AND c.bookable_online) \
             FROM slot s JOIN slot_type t ON t.id = s.slot_type_id JOIN clinician c ON c.id = s.clinician_id \
             JOIN clinic_session cs ON cs.id = s.clinic_session_id \
             WHERE s.practice_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 \
             AND s.cancelled_at IS NULL AND cs.cancelled_at IS NULL",
        )
        .bind(practice.0)
        .bind(from)
        .bind(to)
        .fetch_all(&mut db)
        .await?;
        let orders: Vec<(Timestamp, i64)> = query_as(
            "SELECT r.requested_at, (SELECT COUNT(*) FROM prescription_request_item i WHERE i.request_id = r.id) \
             FROM prescription_request r WHERE r.practice_id = $1 AND r.requested_at >= $2 AND r.requested_at < $3",
        )
        .bind(practice.0)
        .bind(from)
        .bind(to)
        .fetch_all(&mut db)
        .await?;
        let record_views: Vec<(Timestamp,)> = query_as(
            "SELECT at FROM audit_event WHERE practice_id = $1 AND at >= $2 AND at < $3 AND action = 'record_viewed'",
        )
        .bind(practice.0)
        .bind(from)
        .bind(to)
        .fetch_all(&mut db)
        .await?;
        let messages: Vec<(Timestamp, String)> = query_as(
            "SELECT sent_at, author_role FROM message WHERE practice_id = $1 AND sent_at >= $2 AND sent_at < $3",
        )
        .bind(practice.0)
        .bind(from)
        .bind(to)
        .fetch_all(&mut db)
        .await?;
        // Waiting for approval is not in force; the rest count from their start.
        let grants: Vec<(NaiveDate, Option<Timestamp>)> = query_as(
            "SELECT starts_on, ended_at FROM proxy_grant \
             WHERE practice_id = $1 AND status <> 'pending' AND starts_on <= $2",
        )
        .bind(practice.0)
        .bind(last.last_day())
        .fetch_all(&mut db)
        .await?;
        Ok(Activity {
            bookings: bookings
                .into_iter()
                .map(|row| Booking {
                    routine: row.category == "routine",
                    booked_on: london_date(row.booked_at),
                    booked: via(&row.booked_via),
                    cancelled: row
                        .cancelled_at
                        .map(|at| (london_date(at), via(row.cancelled_via.as_deref().unwrap_or("")))),
                })
                .collect(),
            offered: offered
                .into_iter()
                .map(|(at, category, online)| Offered { day: london_date(at), routine: category == "routine", online })
                .collect(),
            orders: orders
                .into_iter()
                .map(|(at, items)| Order { on: london_date(at), items: u32::try_from(items).unwrap_or(0) })
                .collect(),
            record_views: record_views.into_iter().map(|(at,)| london_date(at)).collect(),
            messages: messages
                .into_iter()
                .map(|(at, role)| (london_date(at), if role == "patient" { Author::Patient } else { Author::Practice }))
                .collect(),
            proxy_grants: grants
                .into_iter()
                .map(|(from, ended)| GrantSpan { from, ended_on: ended.map(london_date) })
                .collect(),
        })
    }
}
