//! A practice's messaging settings, its categories and its red-flag phrases.
//! A practice that has not set them has the defaults, written the first time
//! they are asked for so that categories have ids conversations can refer to.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar, Db, Tx};
use crate::{Store, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::messages::{DailyCaps, OpeningHours, DEFAULT_RED_FLAGS};
use domain::PracticeId;

/// What a new practice's patients can choose their message to be about.
pub const DEFAULT_CATEGORIES: &[&str] =
    &["Question about medication", "Test results", "Admin: fit note, letters", "Something else"];

/// The reply time a new practice promises.
pub const DEFAULT_REPLY_PROMISE: &str = "within 2 working days";

/// New conversations a new practice takes from one patient in a day.
pub const DEFAULT_PATIENT_DAILY_CAP: u32 = 3;

/// A category as patients choose it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CategoryRow {
    pub id: i64,
    pub name: String,
}

/// A practice's messaging settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageSettings {
    pub enabled: bool,
    pub reply_promise: String,
    pub opening_hours: OpeningHours,
    pub caps: DailyCaps,
    /// The categories patients choose from, in order.
    pub categories: Vec<CategoryRow>,
    pub red_flags: Vec<String>,
}

impl MessageSettings {
    /// The red-flag phrases as the domain's check takes them.
    pub fn red_flag_phrases(&self) -> Vec<&str> {
        self.red_flags.iter().map(String::as_str).collect()
    }
}

/// The settings a practice admin saves. Categories are in the order
/// patients see them; one left out is retired (its conversations keep it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessageSettings {
    pub enabled: bool,
    pub reply_promise: String,
    pub opening_hours: OpeningHours,
    pub caps: DailyCaps,
    pub categories: Vec<String>,
    pub red_flags: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct SettingsColumns {
    enabled: bool,
    reply_promise: String,
    opening_hours: String,
    practice_daily_cap: Option<i32>,
    patient_daily_cap: Option<i32>,
}

/// Writes the defaults for a practice that has no settings yet.
async fn ensure_defaults(tx: &mut Tx, practice: PracticeId, now: DateTime<Utc>) -> StoreResult<()> {
    let added = query(
        "INSERT INTO message_settings (practice_id, enabled, reply_promise, opening_hours, practice_daily_cap, \
         patient_daily_cap, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (practice_id) DO NOTHING",
    )
    .bind(practice.0)
    .bind(true)
    .bind(DEFAULT_REPLY_PROMISE)
    .bind(OpeningHours::weekdays().to_text())
    .bind(None::<i32>)
    .bind(DEFAULT_PATIENT_DAILY_CAP as i32)
    .bind(Timestamp(now))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added == 0 {
        return Ok(());
    }
    let categories: Vec<String> = DEFAULT_CATEGORIES.iter().map(|name| (*name).to_owned()).collect();
    save_categories(tx, practice, &categories, now).await?;
    replace_red_flags(tx, practice, DEFAULT_RED_FLAGS).await
}

/// Makes the practice's red-flag list exactly `phrases`.
async fn replace_red_flags(tx: &mut Tx, practice: PracticeId, phrases: &[impl AsRef<str>]) -> StoreResult<()> {
    query("DELETE FROM red_flag_phrase WHERE practice_id = $1").bind(practice.0).execute(&mut *tx).await?;
    for phrase in phrases {
        query("INSERT INTO red_flag_phrase (practice_id, phrase) VALUES ($1, $2)")
            .bind(practice.0)
            .bind(phrase.as_ref())
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// The settings as stored; `None` before the practice has any.
pub(crate) async fn settings_in(db: &mut impl Db, practice: PracticeId) -> StoreResult<Option<MessageSettings>> {
    let columns: Option<SettingsColumns> = query_as(
        "SELECT enabled, reply_promise, opening_hours, practice_daily_cap, patient_daily_cap \
         FROM message_settings WHERE practice_id = $1",
    )
    .bind(practice.0)
    .fetch_optional(&mut *db)
    .await?;
    let Some(columns) = columns else { return Ok(None) };
    let categories = query_as(
        "SELECT id, name FROM message_category WHERE practice_id = $1 AND retired_at IS NULL ORDER BY position, id",
    )
    .bind(practice.0)
    .fetch_all(&mut *db)
    .await?;
    let red_flags = query_scalar("SELECT phrase FROM red_flag_phrase WHERE practice_id = $1 ORDER BY id")
        .bind(practice.0)
        .fetch_all(&mut *db)
        .await?;
    Ok(Some(MessageSettings {
        enabled: columns.enabled,
        reply_promise: columns.reply_promise,
        // Stored by this code from parsed hours; the weekday hours stand in should it ever not read.
        opening_hours: OpeningHours::parse(&columns.opening_hours).unwrap_or_else(|_| OpeningHours::weekdays()),
        caps: DailyCaps {
            practice: columns.practice_daily_cap.map(|cap| cap as u32),
            per_patient: columns.patient_daily_cap.map(|cap| cap as u32),
        },
        categories,
        red_flags,
    }))
}

impl Store {
    /// The practice's messaging settings, its defaults until it saves its own.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn message_settings(&self, practice: PracticeId, now: DateTime<Utc>) -> StoreResult<MessageSettings> {
        if let Some(settings) = settings_in(&mut self.reader().await?, practice).await? {
            return Ok(settings);
        }
        let mut tx = self.begin().await?;
        ensure_defaults(&mut tx, practice, now).await?;
        let settings = settings_in(&mut tx, practice).await?;
        tx.commit().await?;
        settings.ok_or(crate::StoreError::NotFound)
    }
}

/// The settings inside a transaction, written first if the practice has none.
pub(crate) async fn settings_for_write(
    tx: &mut Tx,
    practice: PracticeId,
    now: DateTime<Utc>,
) -> StoreResult<MessageSettings> {
    ensure_defaults(tx, practice, now).await?;
    settings_in(tx, practice).await?.ok_or(crate::StoreError::NotFound)
}

impl Store {
    /// Saves the practice's messaging settings, all or nothing.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn save_message_settings(
        &self,
        practice: PracticeId,
        new: &NewMessageSettings,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let now = audit.at;
        let mut tx = self.begin().await?;
        ensure_defaults(&mut tx, practice, now).await?;
        query(
            "UPDATE message_settings SET enabled = $1, reply_promise = $2, opening_hours = $3, \
             practice_daily_cap = $4, patient_daily_cap = $5, updated_at = $6 WHERE practice_id = $7",
        )
        .bind(new.enabled)
        .bind(new.reply_promise.as_str())
        .bind(new.opening_hours.to_text())
        .bind(new.caps.practice.map(|cap| cap as i32))
        .bind(new.caps.per_patient.map(|cap| cap as i32))
        .bind(Timestamp(now))
        .bind(practice.0)
        .execute(&mut tx)
        .await?;
        save_categories(&mut tx, practice, &new.categories, now).await?;
        replace_red_flags(&mut tx, practice, &new.red_flags).await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await
    }
}

/// Puts the categories in the order given, bringing back retired ones of the
/// same name and retiring those left out.
async fn save_categories(tx: &mut Tx, practice: PracticeId, names: &[String], now: DateTime<Utc>) -> StoreResult<()> {
    let existing: Vec<(i64, String)> = query_as("SELECT id, name FROM message_category WHERE practice_id = $1")
        .bind(practice.0)
        .fetch_all(&mut *tx)
        .await?;
    for (id, name) in &existing {
        if !names.contains(name) {
            query("UPDATE message_category SET retired_at = COALESCE(retired_at, $1) WHERE id = $2")
                .bind(Timestamp(now))
                .bind(*id)
                .execute(&mut *tx)
                .await?;
        }
    }
    for (position, name) in names.iter().enumerate() {
        match existing.iter().find(|(_, known)| known == name) {
            Some((id, _)) => {
                query("UPDATE message_category SET position = $1, retired_at = NULL WHERE id = $2")
                    .bind(position as i32)
                    .bind(*id)
                    .execute(&mut *tx)
                    .await?;
            }
            None => {
                query("INSERT INTO message_category (practice_id, name, position) VALUES ($1, $2, $3)")
                    .bind(practice.0)
                    .bind(name.as_str())
                    .bind(position as i32)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    Ok(())
}
