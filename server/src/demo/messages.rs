//! Demo conversations: the demo patient asked about a side effect and a
//! GP has replied (unread, so the home page shows it); the second demo
//! patient's message mentions chest tightness, so it waits in the inbox
//! marked urgent. Only on the first run.

use crate::ServerError;
use chrono::{DateTime, Datelike, NaiveTime, TimeDelta, Utc, Weekday};
use domain::messages::{MessageBody, Subject};
use domain::time::{from_london, to_london};
use domain::{LoginId, PatientId, PracticeId};
use storage::audit::NewAudit;
use storage::messages::{Author, NewReply, NewThread};
use storage::Store;

/// A weekday morning a few days before `now`, when the practice takes messages.
fn a_recent_weekday_morning(now: DateTime<Utc>) -> DateTime<Utc> {
    let mut day = to_london(now).date() - TimeDelta::days(3);
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day -= TimeDelta::days(1);
    }
    from_london(day.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default()))
}

fn text<T>(parsed: Result<T, domain::Invalid>) -> Result<T, ServerError> {
    parsed.map_err(|e| ServerError::Refused(e.message))
}

/// Starts a conversation for a patient's login as if at `at`; its id.
async fn start(
    store: &Store,
    practice: PracticeId,
    login: &storage::logins::LoginRow,
    category: &str,
    (subject, body): (&str, &str),
    at: DateTime<Utc>,
) -> Result<Option<i64>, ServerError> {
    let Some(patient) = login.patient_id else { return Ok(None) };
    let settings = store.message_settings(practice, at).await?;
    let Some(category) = settings.categories.iter().find(|c| c.name == category) else { return Ok(None) };
    let (subject, body) = (text(Subject::parse(subject))?, text(MessageBody::parse(body))?);
    let new = NewThread {
        practice,
        patient: PatientId(patient),
        by: LoginId(login.id),
        category: category.id,
        subject: &subject,
        body: &body,
        now: at,
    };
    let audit = NewAudit::by_the_system(practice, "message_thread_started", "demo data", at);
    Ok(store.start_thread(&new, &audit).await?.ok().map(|started| started.thread))
}

pub async fn ensure(store: &Store, practice: PracticeId, now: DateTime<Utc>) -> Result<(), ServerError> {
    let Some(amara) = store.login_by_email(super::DEMO_PATIENT_EMAIL).await? else { return Ok(()) };
    let Some(amara_patient) = amara.patient_id else { return Ok(()) };
    if !store.threads_of_patient(practice, PatientId(amara_patient), LoginId(amara.id)).await?.is_empty() {
        return Ok(());
    }
    let at = a_recent_weekday_morning(now);
    let question = (
        "Swollen ankles since starting amlodipine",
        "I started amlodipine for my blood pressure two weeks ago and my ankles are a little swollen by the \
         evening. Is that expected, or should I book a review?",
    );
    let thread = start(store, practice, &amara, "Question about medication", question, at).await?;
    let gp = store.login_by_email(super::DEMO_STAFF[1].email).await?;
    if let (Some(thread), Some(gp)) = (thread, gp) {
        let answer = text(MessageBody::parse(
            "Hello Amara, mild ankle swelling is a common side effect of amlodipine and is not dangerous. Please \
             book a routine blood pressure review in the next two weeks so we can talk about the dose or another \
             tablet. Dr Cara Clinician",
        ))?;
        let reply = NewReply {
            practice,
            thread,
            by: LoginId(gp.id),
            author: Author::Staff,
            body: &answer,
            notice: None,
            now: at + TimeDelta::hours(5),
        };
        let audit = NewAudit::by_the_system(practice, "message_sent", "demo data", at + TimeDelta::hours(5));
        let _ = store.reply(&reply, &audit).await?;
    }
    if let Some(second) = store.login_by_email(super::SECOND_PATIENT_EMAIL).await? {
        let worry = (
            "Tight chest when walking uphill",
            "For the last week I have had chest tightness when I walk up the hill to work. It goes away when I \
             stop. Should I see someone?",
        );
        start(store, practice, &second, "Something else", worry, at + TimeDelta::hours(1)).await?;
    }
    Ok(())
}
