//! The audit trail: append-only. There is no update or delete here, and the
//! database refuses them (triggers on both engines).

use crate::db::{query, query_as, Tx};
use crate::{Store, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::{LoginId, PatientId, PracticeId};

/// One thing that happened, by whom, for whom, to what, when and from where.
#[derive(Debug, Clone)]
pub struct NewAudit {
    pub practice: Option<PracticeId>,
    pub actor_login: Option<LoginId>,
    pub acting_for: Option<PatientId>,
    /// What happened, as a stable snake_case name such as `sign_in`.
    pub action: &'static str,
    pub object_type: Option<&'static str>,
    pub object_id: Option<String>,
    /// Extra facts, never secrets or clinical details.
    pub detail: Option<String>,
    pub at: DateTime<Utc>,
    pub client_addr: Option<String>,
    pub request_id: Option<String>,
}

impl NewAudit {
    /// Something the system did at a practice, not a person: demo data,
    /// benchmark set-up, an operator's command.
    pub fn by_the_system(
        practice: PracticeId,
        action: &'static str,
        detail: impl Into<String>,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            practice: Some(practice),
            actor_login: None,
            acting_for: None,
            action,
            object_type: None,
            object_id: None,
            detail: Some(detail.into()),
            at,
            client_addr: None,
            request_id: None,
        }
    }

    pub fn on(mut self, object_type: &'static str, object_id: impl ToString) -> Self {
        self.object_type = Some(object_type);
        self.object_id = Some(object_id.to_string());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// Appends an audit event inside the transaction of the change it records.
pub(crate) async fn append_audit(tx: &mut Tx, event: &NewAudit) -> StoreResult<()> {
    query(
        "INSERT INTO audit_event (practice_id, actor_login_id, acting_for_patient_id, action, \
         object_type, object_id, detail, at, client_addr, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(event.practice.map(|p| p.0))
    .bind(event.actor_login.map(|l| l.0))
    .bind(event.acting_for.map(|p| p.0))
    .bind(event.action)
    .bind(event.object_type)
    .bind(&event.object_id)
    .bind(&event.detail)
    .bind(Timestamp(event.at))
    .bind(&event.client_addr)
    .bind(&event.request_id)
    .execute(tx)
    .await?;
    Ok(())
}

/// An audit event as listed for practice admins.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: Timestamp,
    pub action: String,
    pub actor_email: Option<String>,
    pub acting_for_patient_id: Option<i64>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub detail: Option<String>,
    pub client_addr: Option<String>,
    pub request_id: Option<String>,
}

/// Which events to list; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub actor_email: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub limit: i64,
}

impl Store {
    /// Records an event on its own, for things that change nothing else
    /// (a failed sign-in, say).
    #[tracing::instrument(skip_all, fields(action = event.action))]
    pub async fn append_audit(&self, event: &NewAudit) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        append_audit(&mut tx, event).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A practice's audit trail, newest first.
    pub async fn audit_events(&self, practice: PracticeId, filter: &AuditFilter) -> StoreResult<Vec<AuditRow>> {
        let mut db = self.reader().await?;
        query_as(
            "SELECT a.id, a.at, a.action, l.email AS actor_email, a.acting_for_patient_id, a.object_type, \
                a.object_id, a.detail, a.client_addr, a.request_id \
         FROM audit_event a LEFT JOIN login l ON l.id = a.actor_login_id \
         WHERE a.practice_id = $1 \
           AND ($2 IS NULL OR a.action = $2) \
           AND ($3 IS NULL OR lower(l.email) = lower($3)) \
           AND ($4 IS NULL OR a.at >= $4) \
           AND ($5 IS NULL OR a.at < $5) \
         ORDER BY a.at DESC, a.id DESC LIMIT $6",
        )
        .bind(practice.0)
        .bind(&filter.action)
        .bind(&filter.actor_email)
        .bind(filter.from.map(Timestamp))
        .bind(filter.until.map(Timestamp))
        .bind(filter.limit)
        .fetch_all(&mut db)
        .await
    }
}
