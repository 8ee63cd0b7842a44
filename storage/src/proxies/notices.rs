//! What the daily proxy job writes: notices of a coming change, each sent
//! once however many servers run the job, and grants the rules have closed
//! (ended after the end date or 5 years unused, suspended at 16).

use super::grants::GRANT_SELECT;
use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as};
use crate::outbox::{enqueue_mail, NewMail};
use crate::{Store, StoreResult, Timestamp};
use chrono::NaiveDate;
use domain::proxy::Change;

use super::GrantRow;

/// How the rules close a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleClosing<'a> {
    /// The end date passed, or it went unused for 5 years.
    End,
    /// A parent's access at 16, with the reason staff and the parent see.
    Suspend { reason: &'a str },
}

impl Store {
    /// Every grant in use or about to be, at every practice: the job's list.
    pub async fn active_proxy_grants(&self) -> StoreResult<Vec<GrantRow>> {
        query_as(format!("{GRANT_SELECT} WHERE g.status = 'active' ORDER BY g.id"))
            .fetch_all(&mut self.reader().await?)
            .await
    }

    /// Sends the notice of `change` on `due_on` for `grant`, with its mails,
    /// unless it was sent already; true when it is sent now.
    pub async fn send_proxy_notice(
        &self,
        (grant, change, due_on): (i64, Change, NaiveDate),
        mails: &[NewMail],
        audit: &NewAudit,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let noted = query(
            "INSERT INTO proxy_notice (grant_id, change, due_on, sent_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (grant_id, change, due_on) DO NOTHING",
        )
        .bind(grant)
        .bind(change.as_str())
        .bind(due_on)
        .bind(Timestamp(audit.at))
        .execute(&mut tx)
        .await?
        .rows_affected();
        if noted == 0 {
            return Ok(false); // Another server sent it: nothing written.
        }
        for mail in mails {
            enqueue_mail(&mut tx, mail, audit.at).await?;
        }
        append_audit(&mut tx, &audit.clone().on("proxy_grant", grant)).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Closes an active grant by the rules; false when it is no longer active.
    pub async fn close_proxy_grant(&self, grant: i64, closing: RuleClosing<'_>, audit: &NewAudit) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let closed = match closing {
            RuleClosing::End => {
                query("UPDATE proxy_grant SET status = 'ended', ended_at = $2 WHERE id = $1 AND status = 'active'")
                    .bind(grant)
                    .bind(Timestamp(audit.at))
            }
            RuleClosing::Suspend { reason } => query(
                "UPDATE proxy_grant SET status = 'suspended', suspended_reason = $2 WHERE id = $1 AND status = 'active'",
            )
            .bind(grant)
            .bind(reason),
        }
        .execute(&mut tx)
        .await?
        .rows_affected();
        if closed == 0 {
            return Ok(false);
        }
        append_audit(&mut tx, &audit.clone().on("proxy_grant", grant)).await?;
        tx.commit().await?;
        Ok(true)
    }
}
