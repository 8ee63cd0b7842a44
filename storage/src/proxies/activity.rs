//! What proxies did for a patient: every action a proxy takes is audited as
//! done for the person they act for; read back here for that person.

use crate::db::query_as;
use crate::{Store, StoreResult, Timestamp};
use domain::{PatientId, PracticeId};

/// One thing a proxy did.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProxyDeed {
    pub at: Timestamp,
    pub action: String,
    pub detail: Option<String>,
    pub login_id: i64,
}

impl Store {
    /// The latest `limit` actions others took for a patient, newest first.
    pub async fn proxy_deeds(
        &self,
        practice: PracticeId,
        subject: PatientId,
        limit: i64,
    ) -> StoreResult<Vec<ProxyDeed>> {
        query_as(
            "SELECT a.at, a.action, a.detail, a.actor_login_id AS login_id FROM audit_event a \
             WHERE a.acting_for_patient_id = $2 AND a.practice_id = $1 AND a.actor_login_id IS NOT NULL \
             ORDER BY a.at DESC, a.id DESC LIMIT $3",
        )
        .bind(practice.0)
        .bind(subject.0)
        .bind(limit)
        .fetch_all(&mut self.reader().await?)
        .await
    }
}
