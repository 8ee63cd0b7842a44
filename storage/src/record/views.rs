//! Who has looked at a patient's record: every view and download is in the
//! audit trail, on the patient; read back here for the patient to see.

use crate::db::query_as;
use crate::{Store, StoreResult, Timestamp};
use domain::{PatientId, PracticeId};

/// One look at a record.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RecordLook {
    pub at: Timestamp,
    pub action: String,
    /// The section looked at, such as "Test results".
    pub detail: Option<String>,
    pub login_id: Option<i64>,
    pub name: Option<String>,
    /// The staff role, when a member of staff looked.
    pub role: Option<String>,
}

impl Store {
    /// The latest `limit` looks at a patient's record, newest first.
    pub async fn record_looks(
        &self,
        practice: PracticeId,
        patient: PatientId,
        limit: i64,
    ) -> StoreResult<Vec<RecordLook>> {
        query_as(
            "SELECT a.at, a.action, a.detail, a.actor_login_id AS login_id, l.display_name AS name, s.role \
             FROM audit_event a LEFT JOIN login l ON l.id = a.actor_login_id \
             LEFT JOIN staff_member s ON s.login_id = a.actor_login_id AND s.practice_id = a.practice_id \
             WHERE a.practice_id = $1 AND a.object_type = 'patient' AND a.object_id = $2 \
             AND a.action IN ('record_viewed', 'record_downloaded') ORDER BY a.at DESC, a.id DESC LIMIT $3",
        )
        .bind(practice.0)
        .bind(patient.0.to_string())
        .bind(limit)
        .fetch_all(&mut self.reader().await?)
        .await
    }
}
