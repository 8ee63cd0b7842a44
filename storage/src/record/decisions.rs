//! What clinicians decide about entries here: hiding one from online view
//! (with a reason) or showing it again, and filing a result so the patient
//! can see it. Each is audited.

use crate::audit::{append_audit, NewAudit};
use crate::db::query;
use crate::{Store, StoreError, StoreResult, Timestamp};
use domain::{LoginId, PracticeId};

impl Store {
    /// Hides an entry from online view, or shows it again (`reason: None`).
    /// An entry the clinical system restricted cannot be shown from here:
    /// `StoreError::Rule` says so, and nothing changes.
    #[tracing::instrument(skip_all, fields(practice = practice.0, entry))]
    pub async fn set_entry_hidden(
        &self,
        practice: PracticeId,
        entry: i64,
        reason: Option<&str>,
        by: LoginId,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let changed = match reason {
            Some(reason) => query(
                "UPDATE record_entry SET hidden = $1, hidden_reason = $2, hidden_by = $3, hidden_at = $4 \
                 WHERE id = $5 AND practice_id = $6",
            )
            .bind(true)
            .bind(reason)
            .bind(by.0)
            .bind(Timestamp(audit.at))
            .bind(entry)
            .bind(practice.0),
            None => query(
                "UPDATE record_entry SET hidden = $1, hidden_reason = NULL, hidden_by = $2, hidden_at = $3 \
                 WHERE id = $4 AND practice_id = $5 AND (hidden_reason IS NULL OR hidden_reason <> $6)",
            )
            .bind(false)
            .bind(by.0)
            .bind(Timestamp(audit.at))
            .bind(entry)
            .bind(practice.0)
            .bind(super::RESTRICTED_REASON),
        }
        .execute(&mut tx)
        .await?
        .rows_affected();
        if changed == 0 {
            let exists: Option<i64> =
                crate::db::query_scalar("SELECT id FROM record_entry WHERE id = $1 AND practice_id = $2")
                    .bind(entry)
                    .bind(practice.0)
                    .fetch_optional(&mut tx)
                    .await?;
            exists.ok_or(StoreError::NotFound)?;
            return Err(StoreError::Rule(
                "This entry is restricted in the clinical system. Change it there to show it online.",
            ));
        }
        let detail = reason.map_or_else(|| "shown".to_owned(), |r| format!("hidden: {r}"));
        append_audit(&mut tx, &audit.clone().on("record_entry", entry).detail(detail)).await?;
        tx.commit().await
    }

    /// Files a test result: from now on the patient sees it (within their access).
    #[tracing::instrument(skip_all, fields(practice = practice.0, entry))]
    pub async fn file_result(
        &self,
        practice: PracticeId,
        entry: i64,
        by: (LoginId, &str),
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query(
            "UPDATE record_entry SET filed = $1, filed_by = $2, filed_at = $3 \
             WHERE id = $4 AND practice_id = $5 AND kind = 'test_result' AND filed = $6",
        )
        .bind(true)
        .bind(by.1)
        .bind(Timestamp(audit.at))
        .bind(entry)
        .bind(practice.0)
        .bind(false)
        .execute(&mut tx)
        .await?
        .one()?;
        append_audit(&mut tx, &audit.clone().on("record_entry", entry)).await?;
        tx.commit().await
    }
}
