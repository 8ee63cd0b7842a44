//! The staff inbox: conversations by who should act on them, urgent ones
//! first and then the longest waiting, and the counts the admin home shows.

use super::threads::{ThreadRow, THREAD_SELECT};
use crate::db::query_as;
use crate::{Store, StoreResult};
use domain::messages::Team;
use domain::{LoginId, PracticeId};

/// Which conversations a member of staff is looking at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxView {
    /// Waiting for the practice, and nobody's yet.
    Unassigned,
    /// Waiting for the practice, assigned to this member of staff.
    Mine(LoginId),
    /// Waiting for the practice, assigned to a team.
    Team(Team),
    /// Answered, waiting for the patient.
    WaitingForPatient,
    /// Closed, most recently closed first.
    Closed,
}

/// How many conversations wait for the practice: for the admin home.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct InboxCounts {
    pub unassigned: i64,
    pub mine: i64,
    /// Open and marked urgent, whoever has them.
    pub urgent: i64,
}

impl Store {
    /// The conversations of one inbox view, urgent first, then the ones
    /// waiting longest (closed ones: most recently closed first), with
    /// whether `reader` has read them.
    pub async fn inbox(
        &self,
        practice: PracticeId,
        view: InboxView,
        reader: LoginId,
        limit: i64,
    ) -> StoreResult<Vec<ThreadRow>> {
        let waiting = "ORDER BY t.urgent DESC, t.last_message_at, t.id";
        let (filter, order) = match view {
            InboxView::Unassigned => {
                ("t.status = 'open' AND t.assigned_login_id IS NULL AND t.assigned_team IS NULL", waiting)
            }
            InboxView::Mine(_) => ("t.status = 'open' AND t.assigned_login_id = $4", waiting),
            InboxView::Team(_) => ("t.status = 'open' AND t.assigned_team = $4", waiting),
            InboxView::WaitingForPatient => ("t.status = 'waiting_for_patient'", waiting),
            InboxView::Closed => ("t.status = 'closed'", "ORDER BY t.closed_at DESC, t.id DESC"),
        };
        let sql = format!("{THREAD_SELECT} WHERE t.practice_id = $1 AND {filter} {order} LIMIT $3");
        let select = query_as(sql).bind(practice.0).bind(reader.0).bind(limit);
        let select = match view {
            InboxView::Mine(login) => select.bind(login.0),
            InboxView::Team(team) => select.bind(team.as_str()),
            _ => select,
        };
        select.fetch_all(&mut self.reader().await?).await
    }

    /// The counts the admin home shows a member of staff.
    pub async fn inbox_counts(&self, practice: PracticeId, me: LoginId) -> StoreResult<InboxCounts> {
        query_as(
            "SELECT \
               COALESCE(SUM(CASE WHEN assigned_login_id IS NULL AND assigned_team IS NULL THEN 1 ELSE 0 END), 0) AS unassigned, \
               COALESCE(SUM(CASE WHEN assigned_login_id = $2 THEN 1 ELSE 0 END), 0) AS mine, \
               COALESCE(SUM(CASE WHEN urgent THEN 1 ELSE 0 END), 0) AS urgent \
             FROM message_thread WHERE practice_id = $1 AND status = 'open'",
        )
        .bind(practice.0)
        .bind(me.0)
        .fetch_one(&mut self.reader().await?)
        .await
    }
}
