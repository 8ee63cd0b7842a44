//! Session types: the kinds of clinic a clinician runs (a morning surgery, a phlebotomy list).

use crate::audit::{append_audit, NewAudit};
use crate::db::query_as;
use crate::{Store, StoreResult};
use domain::appointments::SessionTypeId;
use domain::PracticeId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionTypeRow {
    pub id: i64,
    pub internal_name: String,
    pub patient_name: String,
}

impl Store {
    pub async fn session_types(&self, practice: PracticeId) -> StoreResult<Vec<SessionTypeRow>> {
        let mut db = self.reader().await?;
        query_as(
            "SELECT id, internal_name, patient_name FROM session_type WHERE practice_id = $1 ORDER BY internal_name",
        )
        .bind(practice.0)
        .fetch_all(&mut db)
        .await
    }

    #[tracing::instrument(skip_all, fields(practice = practice.0))]
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
}
