//! Conversations and their messages: starting one (within the practice's
//! hours and daily caps), replying (a patient's reply reopens a conversation
//! closed within 14 days), assigning and closing, and reading them back.

use super::settings::settings_for_write;
use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar, Db, Tx};
use crate::events::append_message_event;
use crate::outbox::email_patient;
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::mail::Mail;
use domain::messages::{
    check_new_thread, check_patient_reply, london_day, MessageBody, NotNow, ReplyRefused, Subject, Team, ThreadStatus,
};
use domain::{LoginId, PatientId, PracticeId};

/// A conversation a patient starts, with its first message.
#[derive(Debug, Clone)]
pub struct NewThread<'a> {
    pub practice: PracticeId,
    pub patient: PatientId,
    /// Who wrote it: the patient's own login.
    pub by: LoginId,
    pub category: i64,
    pub subject: &'a Subject,
    pub body: &'a MessageBody,
    pub now: DateTime<Utc>,
}

/// What a new conversation flagged, for the page to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    pub thread: i64,
    /// The red-flag phrases found: the conversation is urgent for staff.
    pub red_flags: Vec<String>,
}

/// Who writes a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    /// The patient the conversation belongs to (checked).
    Patient(PatientId),
    /// A member of the practice's staff.
    Staff,
}

impl Author {
    fn role(self) -> &'static str {
        match self {
            Author::Patient(_) => "patient",
            Author::Staff => "staff",
        }
    }
}

/// A reply to a conversation.
#[derive(Debug, Clone)]
pub struct NewReply<'a> {
    pub practice: PracticeId,
    pub thread: i64,
    pub by: LoginId,
    pub author: Author,
    pub body: &'a MessageBody,
    /// For a staff reply: the notice emailed to the patient.
    pub notice: Option<&'a Mail>,
    pub now: DateTime<Utc>,
}

/// Whom a conversation is assigned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignee {
    Person(LoginId),
    Team(Team),
}

/// Why an assignment did not happen: someone else assigned it first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignedMeanwhile {
    /// Who has it now (a name or a team's label), for "… took it".
    pub now_with: Option<String>,
}

/// A conversation as listed and shown.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ThreadRow {
    pub id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    pub category: String,
    pub subject: String,
    pub status: String,
    pub urgent: bool,
    pub red_flags: String,
    pub assigned_login_id: Option<i64>,
    pub assigned_name: Option<String>,
    pub assigned_team: Option<String>,
    pub version: i32,
    pub started_at: Timestamp,
    pub last_message_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    pub outcome: Option<String>,
    /// Whether the login that asked has read every message.
    pub unread: bool,
}

impl ThreadRow {
    pub fn status(&self) -> ThreadStatus {
        ThreadStatus::parse(&self.status).unwrap_or(ThreadStatus::Open)
    }
}

/// One message of a conversation. `body` is as typed: show it as text.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub author_login_id: i64,
    pub author_name: String,
    pub author_role: String,
    pub body: String,
    pub sent_at: Timestamp,
}

/// Threads as listed for the login `$2` (whether they have read them all).
pub(super) const THREAD_SELECT: &str = "SELECT t.id, t.patient_id, \
    p.given_name || ' ' || p.family_name AS patient_name, c.name AS category, t.subject, t.status, t.urgent, \
    t.red_flags, t.assigned_login_id, a.display_name AS assigned_name, t.assigned_team, t.version, t.started_at, \
    t.last_message_at, t.closed_at, t.outcome, \
    (COALESCE((SELECT r.last_read_message_id FROM message_read r WHERE r.thread_id = t.id AND r.login_id = $2), 0) \
      < (SELECT MAX(m.id) FROM message m WHERE m.thread_id = t.id)) AS unread \
    FROM message_thread t JOIN message_category c ON c.id = t.category_id \
    JOIN patient p ON p.id = t.patient_id LEFT JOIN login a ON a.id = t.assigned_login_id";

/// Marks everything in a thread read by a login, up to its newest message.
async fn mark_read(tx: &mut Tx, thread: i64, login: LoginId, now: DateTime<Utc>) -> StoreResult<()> {
    query(
        "INSERT INTO message_read (thread_id, login_id, last_read_message_id, read_at) \
         SELECT $1, $2, MAX(id), $3 FROM message WHERE thread_id = $1 \
         ON CONFLICT (thread_id, login_id) DO UPDATE SET last_read_message_id = excluded.last_read_message_id, \
         read_at = excluded.read_at",
    )
    .bind(thread)
    .bind(login.0)
    .bind(Timestamp(now))
    .execute(tx)
    .await?;
    Ok(())
}

async fn insert_message(
    tx: &mut Tx,
    reply: (PracticeId, i64, LoginId, Author),
    body: &MessageBody,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let (practice, thread, by, author) = reply;
    query_scalar(
        "INSERT INTO message (practice_id, thread_id, author_login_id, author_role, body, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(practice.0)
    .bind(thread)
    .bind(by.0)
    .bind(author.role())
    .bind(body.as_str())
    .bind(Timestamp(now))
    .fetch_one(tx)
    .await
}

/// A message staff send a patient about something of theirs, such as a
/// prescription request: in `thread` when there is one, else in a new
/// conversation, assigned to the sender, under the category whose name
/// mentions `topic` (or the first).
#[derive(Debug, Clone)]
pub(crate) struct StaffMessage<'a> {
    pub practice: PracticeId,
    pub patient: PatientId,
    pub thread: Option<i64>,
    pub by: LoginId,
    pub topic: &'a str,
    pub subject: &'a Subject,
    pub body: &'a MessageBody,
    pub notice: Option<&'a Mail>,
    pub now: DateTime<Utc>,
}

/// Sends a [`StaffMessage`] inside the caller's transaction; returns the
/// conversation, waiting for the patient to answer.
pub(crate) async fn send_staff_message(tx: &mut Tx, message: &StaffMessage<'_>) -> StoreResult<i64> {
    let StaffMessage { practice, patient, by, now, .. } = *message;
    let thread = match message.thread {
        Some(thread) => thread,
        None => {
            let settings = settings_for_write(tx, practice, now).await?;
            let topic = message.topic.to_lowercase();
            let category = settings
                .categories
                .iter()
                .find(|c| c.name.to_lowercase().contains(&topic))
                .or(settings.categories.first())
                .ok_or(StoreError::Rule("The practice has no message categories. Add one in its message settings."))?;
            query_scalar(
                "INSERT INTO message_thread (practice_id, patient_id, category_id, subject, status, \
                 assigned_login_id, started_by, started_at, last_message_at) \
                 VALUES ($1, $2, $3, $4, 'waiting_for_patient', $5, $5, $6, $6) RETURNING id",
            )
            .bind(practice.0)
            .bind(patient.0)
            .bind(category.id)
            .bind(message.subject.as_str())
            .bind(by.0)
            .bind(Timestamp(now))
            .fetch_one(&mut *tx)
            .await?
        }
    };
    insert_message(tx, (practice, thread, by, Author::Staff), message.body, now).await?;
    let updated = query(
        "UPDATE message_thread SET status = 'waiting_for_patient', last_message_at = $1, closed_at = NULL, \
         closed_by = NULL WHERE id = $2 AND practice_id = $3 AND patient_id = $4",
    )
    .bind(Timestamp(now))
    .bind(thread)
    .bind(practice.0)
    .bind(patient.0)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(StoreError::NotFound);
    }
    mark_read(tx, thread, by, now).await?;
    append_message_event(tx, practice, thread, patient.0, now).await?;
    if let Some(notice) = message.notice {
        email_patient(tx, practice, patient.0, notice, now).await?;
    }
    Ok(thread)
}

/// How many conversations the practice, and the patient, started on the
/// London day of `now`.
async fn started_today(
    db: &mut impl Db,
    practice: PracticeId,
    patient: PatientId,
    now: DateTime<Utc>,
) -> StoreResult<(u32, u32)> {
    let (start, end) = london_day(now);
    let (all, theirs): (i64, i64) = query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN patient_id = $2 THEN 1 ELSE 0 END), 0) FROM message_thread \
         WHERE practice_id = $1 AND started_at >= $3 AND started_at < $4",
    )
    .bind(practice.0)
    .bind(patient.0)
    .bind(Timestamp(start))
    .bind(Timestamp(end))
    .fetch_one(db)
    .await?;
    Ok((all as u32, theirs as u32))
}

impl Store {
    /// Starts a conversation with its first message, if the practice takes
    /// one now from this patient; `Ok(Err(..))` says why not, and nothing is
    /// written then. New conversations of a practice are started one at a
    /// time, so its caps hold however many arrive at once. Red-flag phrases
    /// mark it urgent.
    #[tracing::instrument(skip_all, fields(practice = new.practice.0, patient = new.patient.0))]
    pub async fn start_thread(&self, new: &NewThread<'_>, audit: &NewAudit) -> StoreResult<Result<Started, NotNow>> {
        let mut tx = self.begin().await?;
        tx.lock(format!("new-threads-of-practice-{}", new.practice.0)).await?;
        let settings = settings_for_write(&mut tx, new.practice, new.now).await?;
        let counts = started_today(&mut tx, new.practice, new.patient, new.now).await?;
        if let Err(why) = check_new_thread(settings.enabled, &settings.opening_hours, settings.caps, counts, new.now) {
            return Ok(Err(why)); // Nothing written: the transaction rolls back.
        }
        if !settings.categories.iter().any(|c| c.id == new.category) {
            return Err(StoreError::Rule("Choose what your message is about from the list."));
        }
        let text = format!("{} {}", new.subject.as_str(), new.body.as_str());
        let red_flags: Vec<String> = domain::messages::red_flags_in(&text, &settings.red_flag_phrases())
            .into_iter()
            .map(str::to_owned)
            .collect();
        let thread: i64 = query_scalar(
            "INSERT INTO message_thread (practice_id, patient_id, category_id, subject, status, urgent, red_flags, \
             started_by, started_at, last_message_at) VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(new.practice.0)
        .bind(new.patient.0)
        .bind(new.category)
        .bind(new.subject.as_str())
        .bind(!red_flags.is_empty())
        .bind(red_flags.join(", "))
        .bind(new.by.0)
        .bind(Timestamp(new.now))
        .fetch_one(&mut tx)
        .await?;
        insert_message(&mut tx, (new.practice, thread, new.by, Author::Patient(new.patient)), new.body, new.now)
            .await?;
        mark_read(&mut tx, thread, new.by, new.now).await?;
        append_message_event(&mut tx, new.practice, thread, new.patient.0, new.now).await?;
        let detail = if red_flags.is_empty() { String::new() } else { format!("urgent: {}", red_flags.join(", ")) };
        append_audit(&mut tx, &audit.clone().on("message_thread", thread).detail(detail)).await?;
        tx.commit().await?;
        Ok(Ok(Started { thread, red_flags }))
    }

    /// Adds a reply. A patient replies only to their own conversation (any
    /// other is not found); their reply reopens one closed within 14 days and
    /// is refused after. A staff reply leaves it waiting for the patient and
    /// tells them by email (no text of the message). Replies at once all land,
    /// in the order they commit.
    #[tracing::instrument(skip_all, fields(practice = reply.practice.0, thread = reply.thread))]
    pub async fn reply(&self, reply: &NewReply<'_>, audit: &NewAudit) -> StoreResult<Result<i64, ReplyRefused>> {
        let mut tx = self.begin().await?;
        let sql = format!(
            "SELECT patient_id, status, closed_at FROM message_thread WHERE id = $1 AND practice_id = $2 {}",
            tx.for_update()
        );
        let found: Option<(i64, String, Option<Timestamp>)> =
            query_as(sql).bind(reply.thread).bind(reply.practice.0).fetch_optional(&mut tx).await?;
        let (patient, status, closed_at) = found.ok_or(StoreError::NotFound)?;
        let status = ThreadStatus::parse(&status).unwrap_or(ThreadStatus::Open);
        if let Author::Patient(PatientId(own)) = reply.author {
            if own != patient {
                return Err(StoreError::NotFound);
            }
            if let Err(why) = check_patient_reply(status, closed_at.map(|t| t.0), reply.now) {
                return Ok(Err(why)); // Nothing written.
            }
        }
        let id = insert_message(&mut tx, (reply.practice, reply.thread, reply.by, reply.author), reply.body, reply.now)
            .await?;
        let next = match reply.author {
            Author::Patient(_) => ThreadStatus::Open,
            Author::Staff => ThreadStatus::WaitingForPatient,
        };
        query(
            "UPDATE message_thread SET status = $1, last_message_at = $2, \
             closed_at = CASE WHEN $1 = 'closed' THEN closed_at ELSE NULL END, \
             closed_by = CASE WHEN $1 = 'closed' THEN closed_by ELSE NULL END WHERE id = $3",
        )
        .bind(next.as_str())
        .bind(Timestamp(reply.now))
        .bind(reply.thread)
        .execute(&mut tx)
        .await?;
        mark_read(&mut tx, reply.thread, reply.by, reply.now).await?;
        append_message_event(&mut tx, reply.practice, reply.thread, patient, reply.now).await?;
        if let (Author::Staff, Some(notice)) = (reply.author, reply.notice) {
            email_patient(&mut tx, reply.practice, patient, notice, reply.now).await?;
        }
        append_audit(&mut tx, &audit.clone().on("message_thread", reply.thread)).await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Assigns a conversation to a person or a team, if nobody has changed its
    /// assignment since `seen_version`; `Ok(Err(..))` says who has it now.
    #[tracing::instrument(skip_all, fields(practice = practice.0, thread))]
    pub async fn assign_thread(
        &self,
        practice: PracticeId,
        thread: i64,
        to: Assignee,
        seen_version: i32,
        audit: &NewAudit,
    ) -> StoreResult<Result<(), AssignedMeanwhile>> {
        let (person, team) = match to {
            Assignee::Person(login) => (Some(login.0), None),
            Assignee::Team(team) => (None, Some(team.as_str())),
        };
        let mut tx = self.begin().await?;
        if let Some(login) = person {
            let staff: Option<i64> = query_scalar(
                "SELECT l.id FROM staff_member s JOIN login l ON l.id = s.login_id AND l.practice_id = s.practice_id \
                 WHERE s.practice_id = $1 AND s.login_id = $2 AND l.disabled_at IS NULL",
            )
            .bind(practice.0)
            .bind(login)
            .fetch_optional(&mut tx)
            .await?;
            if staff.is_none() {
                return Err(StoreError::Rule("Choose someone who works at the practice."));
            }
        }
        let assigned = query(
            "UPDATE message_thread SET assigned_login_id = $1, assigned_team = $2, version = version + 1 \
             WHERE id = $3 AND practice_id = $4 AND version = $5",
        )
        .bind(person)
        .bind(team)
        .bind(thread)
        .bind(practice.0)
        .bind(seen_version)
        .execute(&mut tx)
        .await?
        .rows_affected();
        if assigned == 0 {
            let now_with: Option<(Option<String>, Option<String>)> = query_as(
                "SELECT a.display_name, t.assigned_team FROM message_thread t \
                 LEFT JOIN login a ON a.id = t.assigned_login_id WHERE t.id = $1 AND t.practice_id = $2",
            )
            .bind(thread)
            .bind(practice.0)
            .fetch_optional(&mut tx)
            .await?;
            let (name, team) = now_with.ok_or(StoreError::NotFound)?;
            let team = team.and_then(|t| Team::parse(&t)).map(|t| t.label().to_owned());
            return Ok(Err(AssignedMeanwhile { now_with: name.or(team) })); // Nothing written.
        }
        append_audit(&mut tx, &audit.clone().on("message_thread", thread)).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Closes a conversation with its outcome.
    #[tracing::instrument(skip_all, fields(practice = practice.0, thread))]
    pub async fn close_thread(
        &self,
        practice: PracticeId,
        thread: i64,
        by: LoginId,
        outcome: &str,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let patient: Option<i64> = query_scalar(
            "UPDATE message_thread SET status = 'closed', closed_at = $1, closed_by = $2, outcome = $3 \
             WHERE id = $4 AND practice_id = $5 AND status <> 'closed' RETURNING patient_id",
        )
        .bind(Timestamp(audit.at))
        .bind(by.0)
        .bind(outcome)
        .bind(thread)
        .bind(practice.0)
        .fetch_optional(&mut tx)
        .await?;
        let patient = patient.ok_or(StoreError::NotFound)?;
        append_message_event(&mut tx, practice, thread, patient, audit.at).await?;
        append_audit(&mut tx, &audit.clone().on("message_thread", thread)).await?;
        tx.commit().await
    }

    /// How many conversations the practice, and the patient, have started
    /// today (London day): what the daily caps are checked against.
    pub async fn threads_started_today(
        &self,
        practice: PracticeId,
        patient: PatientId,
        now: DateTime<Utc>,
    ) -> StoreResult<(u32, u32)> {
        started_today(&mut self.reader().await?, practice, patient, now).await
    }

    /// A patient's conversations, newest first, with whether `reader` has read them.
    pub async fn threads_of_patient(
        &self,
        practice: PracticeId,
        patient: PatientId,
        reader: LoginId,
    ) -> StoreResult<Vec<ThreadRow>> {
        query_as(format!(
            "{THREAD_SELECT} WHERE t.practice_id = $1 AND t.patient_id = $3 ORDER BY t.last_message_at DESC, t.id DESC"
        ))
        .bind(practice.0)
        .bind(reader.0)
        .bind(patient.0)
        .fetch_all(&mut self.reader().await?)
        .await
    }

    /// One conversation of the practice, as `reader` sees it.
    pub async fn thread(&self, practice: PracticeId, thread: i64, reader: LoginId) -> StoreResult<ThreadRow> {
        query_as(format!("{THREAD_SELECT} WHERE t.practice_id = $1 AND t.id = $3"))
            .bind(practice.0)
            .bind(reader.0)
            .bind(thread)
            .fetch_one(&mut self.reader().await?)
            .await
    }

    /// A conversation's messages, oldest first.
    pub async fn messages_of_thread(&self, practice: PracticeId, thread: i64) -> StoreResult<Vec<MessageRow>> {
        query_as(
            "SELECT m.id, m.author_login_id, l.display_name AS author_name, m.author_role, m.body, m.sent_at \
             FROM message m JOIN login l ON l.id = m.author_login_id \
             WHERE m.practice_id = $1 AND m.thread_id = $2 ORDER BY m.id",
        )
        .bind(practice.0)
        .bind(thread)
        .fetch_all(&mut self.reader().await?)
        .await
    }

    /// Records that `reader` has read a conversation to its newest message,
    /// and, for staff, the audit of their reading it.
    #[tracing::instrument(skip_all, fields(practice = practice.0, thread))]
    pub async fn mark_thread_read(
        &self,
        practice: PracticeId,
        thread: i64,
        reader: LoginId,
        now: DateTime<Utc>,
        audit: Option<&NewAudit>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let found: Option<i64> = query_scalar("SELECT id FROM message_thread WHERE id = $1 AND practice_id = $2")
            .bind(thread)
            .bind(practice.0)
            .fetch_optional(&mut tx)
            .await?;
        found.ok_or(StoreError::NotFound)?;
        mark_read(&mut tx, thread, reader, now).await?;
        if let Some(audit) = audit {
            append_audit(&mut tx, &audit.clone().on("message_thread", thread)).await?;
        }
        tx.commit().await
    }
}
