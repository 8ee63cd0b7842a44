//! A practice's online services settings and each patient's grants.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, Tx};
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, Utc};
use domain::services::{Grants, RecordFrom, RecordLevel};
use domain::{LoginId, PatientId, PracticeId};

/// The settings page's switches, as stored across `practice` and `practice_settings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineServicesSettings {
    pub online_services: bool,
    pub website: Option<String>,
    pub self_registration: bool,
    /// Days before a request nobody handled expires.
    pub request_expiry_days: i32,
    pub defaults: Grants,
}

#[derive(sqlx::FromRow)]
struct GrantColumns {
    appointments: bool,
    prescriptions: bool,
    messaging: bool,
    record: String,
    record_from: String,
    record_from_date: Option<NaiveDate>,
    record_audit: bool,
    consent: bool,
}

impl GrantColumns {
    fn grants(self) -> StoreResult<Grants> {
        let bad = || StoreError::Refused("stored grants do not parse".into());
        Ok(Grants {
            appointments: self.appointments,
            prescriptions: self.prescriptions,
            messaging: self.messaging,
            record: RecordLevel::parse(&self.record).ok_or_else(bad)?,
            record_from: RecordFrom::from_parts(&self.record_from, self.record_from_date).ok_or_else(bad)?,
            record_audit: self.record_audit,
            consent: self.consent,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SettingsColumns {
    online_services_enabled: bool,
    website: Option<String>,
    self_registration: Option<bool>,
    request_expiry_days: Option<i32>,
    #[sqlx(flatten)]
    defaults: OptionalGrantColumns,
}

/// The default grants, absent until the practice saves its settings.
#[derive(sqlx::FromRow)]
struct OptionalGrantColumns {
    appointments: Option<bool>,
    prescriptions: Option<bool>,
    messaging: Option<bool>,
    record: Option<String>,
    record_from: Option<String>,
    record_from_date: Option<NaiveDate>,
    record_audit: Option<bool>,
    consent: Option<bool>,
}

impl OptionalGrantColumns {
    fn grants(self) -> StoreResult<Grants> {
        match (
            self.appointments,
            self.prescriptions,
            self.messaging,
            self.record,
            self.record_from,
            self.record_audit,
            self.consent,
        ) {
            (
                Some(appointments),
                Some(prescriptions),
                Some(messaging),
                Some(record),
                Some(record_from),
                Some(record_audit),
                Some(consent),
            ) => GrantColumns {
                appointments,
                prescriptions,
                messaging,
                record,
                record_from,
                record_from_date: self.record_from_date,
                record_audit,
                consent,
            }
            .grants(),
            _ => Ok(Grants::DEFAULT_2023),
        }
    }
}

/// A patient's grants as stored, with who set them and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientGrants {
    pub grants: Grants,
    pub reason: String,
    pub updated_at: DateTime<Utc>,
}

/// A change of one patient's grants.
pub struct GrantChange<'a> {
    pub practice: PracticeId,
    pub patient: PatientId,
    pub grants: &'a Grants,
    pub reason: &'a str,
    pub by: LoginId,
    pub now: DateTime<Utc>,
}

/// Sets a patient's grants inside a transaction; only a patient of the
/// practice is changed.
pub(crate) async fn upsert_grants(tx: &mut Tx, change: &GrantChange<'_>) -> StoreResult<()> {
    query(
        "INSERT INTO patient_grant (patient_id, practice_id, appointments, prescriptions, messaging, record, \
         record_from, record_from_date, record_audit, consent, reason, updated_by, updated_at) \
         SELECT id, practice_id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM patient \
         WHERE id = $1 AND practice_id = $2 \
         ON CONFLICT (patient_id) DO UPDATE SET appointments = excluded.appointments, \
         prescriptions = excluded.prescriptions, messaging = excluded.messaging, record = excluded.record, \
         record_from = excluded.record_from, record_from_date = excluded.record_from_date, \
         record_audit = excluded.record_audit, consent = excluded.consent, reason = excluded.reason, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(change.patient.0)
    .bind(change.practice.0)
    .bind(change.grants.appointments)
    .bind(change.grants.prescriptions)
    .bind(change.grants.messaging)
    .bind(change.grants.record.as_str())
    .bind(change.grants.record_from.kind())
    .bind(change.grants.record_from.date())
    .bind(change.grants.record_audit)
    .bind(change.grants.consent)
    .bind(change.reason)
    .bind(change.by.0)
    .bind(Timestamp(change.now))
    .execute(tx)
    .await?;
    Ok(())
}

impl Store {
    /// The practice's settings; the 2023 defaults until it saves its own.
    pub async fn online_services_settings(&self, practice: PracticeId) -> StoreResult<OnlineServicesSettings> {
        let row: SettingsColumns = query_as(
            "SELECT p.online_services_enabled, p.website, s.self_registration, s.request_expiry_days, \
                    s.default_appointments AS appointments, s.default_prescriptions AS prescriptions, \
                    s.default_messaging AS messaging, s.default_record AS record, s.default_record_from AS record_from, \
                    s.default_record_from_date AS record_from_date, s.default_record_audit AS record_audit, \
                    s.default_consent AS consent \
             FROM practice p LEFT JOIN practice_settings s ON s.practice_id = p.id WHERE p.id = $1"
        )
        .bind(practice.0)
        .fetch_one(&mut self.reader().await?)
        .await?;
        Ok(OnlineServicesSettings {
            online_services: row.online_services_enabled,
            website: row.website,
            self_registration: row.self_registration.unwrap_or(true),
            request_expiry_days: row.request_expiry_days.unwrap_or(domain::access_request::DEFAULT_EXPIRY_DAYS as i32),
            defaults: row.defaults.grants()?,
        })
    }

    /// Saves the practice's settings and records the change, in one transaction.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn save_online_services_settings(
        &self,
        practice: PracticeId,
        settings: &OnlineServicesSettings,
        audit: &NewAudit,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let defaults = settings.defaults;
        let mut tx = self.begin().await?;
        query("UPDATE practice SET online_services_enabled = $1, website = $2 WHERE id = $3")
            .bind(settings.online_services)
            .bind(&settings.website)
            .bind(practice.0)
            .execute(&mut tx)
            .await?;
        query(
            "INSERT INTO practice_settings (practice_id, self_registration, default_appointments, \
             default_prescriptions, default_messaging, default_record, default_record_from, \
             default_record_from_date, default_record_audit, default_consent, updated_at, request_expiry_days) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (practice_id) DO UPDATE SET self_registration = excluded.self_registration, \
             default_appointments = excluded.default_appointments, \
             default_prescriptions = excluded.default_prescriptions, \
             default_messaging = excluded.default_messaging, default_record = excluded.default_record, \
             default_record_from = excluded.default_record_from, \
             default_record_from_date = excluded.default_record_from_date, \
             default_record_audit = excluded.default_record_audit, default_consent = excluded.default_consent, \
             updated_at = excluded.updated_at, request_expiry_days = excluded.request_expiry_days",
        )
        .bind(practice.0)
        .bind(settings.self_registration)
        .bind(defaults.appointments)
        .bind(defaults.prescriptions)
        .bind(defaults.messaging)
        .bind(defaults.record.as_str())
        .bind(defaults.record_from.kind())
        .bind(defaults.record_from.date())
        .bind(defaults.record_audit)
        .bind(defaults.consent)
        .bind(Timestamp(now))
        .bind(settings.request_expiry_days)
        .execute(&mut tx)
        .await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The grants staff set for a patient of the practice, if any.
    pub async fn patient_grants(&self, practice: PracticeId, patient: PatientId) -> StoreResult<Option<PatientGrants>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            grants: GrantColumns,
            reason: String,
            updated_at: Timestamp,
        }
        let row: Option<Row> = query_as(
            "SELECT appointments, prescriptions, messaging, record, record_from, record_from_date, record_audit, \
                    consent, reason, updated_at \
             FROM patient_grant WHERE practice_id = $1 AND patient_id = $2",
        )
        .bind(practice.0)
        .bind(patient.0)
        .fetch_optional(&mut self.reader().await?)
        .await?;
        row.map(|r| Ok(PatientGrants { grants: r.grants.grants()?, reason: r.reason, updated_at: r.updated_at.0 }))
            .transpose()
    }

    /// Sets a patient's grants and records the change, in one transaction.
    #[tracing::instrument(skip_all, fields(practice = change.practice.0, patient = change.patient.0))]
    pub async fn set_patient_grants(&self, change: &GrantChange<'_>, audit: &NewAudit) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        upsert_grants(&mut tx, change).await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }
}
