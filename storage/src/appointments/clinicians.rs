//! Clinicians: who patients can be booked with.

use crate::audit::{append_audit, NewAudit};
use crate::db::query_as;
use crate::{Store, StoreResult};
use domain::appointments::ClinicianId;
use domain::PracticeId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClinicianRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub bookable_online: bool,
}

impl Store {
    pub async fn clinicians(&self, practice: PracticeId) -> StoreResult<Vec<ClinicianRow>> {
        let mut db = self.reader().await?;
        query_as("SELECT id, name, role, bookable_online FROM clinician WHERE practice_id = $1 ORDER BY name")
            .bind(practice.0)
            .fetch_all(&mut db)
            .await
    }

    #[tracing::instrument(skip_all, fields(practice = practice.0))]
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
}
