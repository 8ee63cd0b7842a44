//! Practices.

use crate::db::{query_as, query_scalar};
use crate::{Store, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::{OdsCode, PracticeId, PracticeName};

/// A practice as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PracticeRow {
    pub id: i64,
    pub ods_code: String,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub website: Option<String>,
    pub online_services_enabled: bool,
    pub is_demo: bool,
    pub created_at: Timestamp,
}

impl PracticeRow {
    /// The practice as an email signs off with it.
    pub fn contact(&self) -> domain::mail::PracticeContact<'_> {
        domain::mail::PracticeContact { name: &self.name, phone: &self.phone, address: &self.address }
    }
}

/// A practice to create.
#[derive(Debug, Clone)]
pub struct NewPractice {
    pub ods_code: OdsCode,
    pub name: PracticeName,
    pub address: String,
    pub phone: String,
    pub website: Option<String>,
    pub online_services_enabled: bool,
    pub is_demo: bool,
}

const COLUMNS: &str = "id, ods_code, name, address, phone, website, online_services_enabled, is_demo, created_at";

pub(crate) const INSERT_PRACTICE: &str = "INSERT INTO practice \
    (ods_code, name, address, phone, website, online_services_enabled, is_demo, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

impl Store {
    /// Creates a practice. Fails with a conflict on `practice.ods_code` when the
    /// code is taken.
    #[tracing::instrument(skip_all)]
    pub async fn insert_practice(&self, new: &NewPractice, now: DateTime<Utc>) -> StoreResult<PracticeId> {
        let mut tx = self.begin().await?;
        let id: i64 = query_scalar(INSERT_PRACTICE)
            .bind(new.ods_code.as_str())
            .bind(new.name.as_str())
            .bind(&new.address)
            .bind(&new.phone)
            .bind(&new.website)
            .bind(new.online_services_enabled)
            .bind(new.is_demo)
            .bind(Timestamp(now))
            .fetch_one(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(PracticeId(id))
    }

    pub async fn practice(&self, id: PracticeId) -> StoreResult<Option<PracticeRow>> {
        let sql = format!("SELECT {COLUMNS} FROM practice WHERE id = $1");
        query_as(sql).bind(id.0).fetch_optional(&mut self.reader().await?).await
    }

    pub async fn practice_by_ods(&self, ods: &OdsCode) -> StoreResult<Option<PracticeRow>> {
        let sql = format!("SELECT {COLUMNS} FROM practice WHERE ods_code = $1");
        query_as(sql).bind(ods.as_str()).fetch_optional(&mut self.reader().await?).await
    }

    /// Practices whose name contains `text` (any case) or whose ODS code is `text`.
    pub async fn search_practices(&self, text: &str, limit: i64) -> StoreResult<Vec<PracticeRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM practice \
             WHERE lower(name) LIKE $1 ESCAPE '\\' OR ods_code = $2 \
             ORDER BY name LIMIT $3"
        );
        let pattern = format!("%{}%", escape_like(&text.trim().to_lowercase()));
        let code = text.trim().to_ascii_uppercase();
        query_as(&sql).bind(&pattern).bind(&code).bind(limit).fetch_all(&mut self.reader().await?).await
    }

    /// How many practices there are, counting demo practices or real ones.
    pub async fn count_practices(&self, demo: bool) -> StoreResult<i64> {
        query_scalar("SELECT COUNT(*) FROM practice WHERE is_demo = $1")
            .bind(demo)
            .fetch_one(&mut self.reader().await?)
            .await
    }
}

/// Makes `%`, `_` and `\` in typed text match themselves in a LIKE pattern.
pub(crate) fn escape_like(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            _ => vec![c],
        })
        .collect()
}
