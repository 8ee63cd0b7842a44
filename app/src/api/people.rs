//! One sign-in, several people: the patient themself and each person they
//! act for through proxy access. Choosing one switches every page to them;
//! each request then checks the grant for that service at that moment
//! (`server::ctx`).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Someone the signed-in person can act for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The patient's id; 0 for the signed-in person themself.
    pub id: i64,
    /// "You (Amara Ahmed)", "Ella Brown"
    pub name: String,
    /// What they may do for them today, or why not.
    pub what: String,
    /// The person acted for now.
    pub current: bool,
    /// The grant to act for them (none for oneself), which they may end.
    pub grant_id: Option<i64>,
}

/// The people the signed-in patient can act for: themself, then each grant.
#[server(endpoint = "people")]
pub async fn my_people() -> Result<Vec<Person>, AppError> {
    use domain::proxy::Standing;
    use domain::Actor;
    let (state, ctx) = crate::server::context().await?;
    let (login, session) = ctx.own_login()?;
    let current = match ctx.actor {
        Actor::Patient { .. } => 0,
        Actor::Proxy { acting_for, .. } => acting_for.0,
        _ => return Err(AppError::Forbidden),
    };
    let own = state.store.login(login).await?.and_then(|row| row.patient_id);
    let mut people = Vec::new();
    if own.is_some() {
        people.push(Person {
            id: 0,
            name: format!("You ({})", session.display_name),
            what: "Your own services".to_owned(),
            current: current == 0,
            grant_id: None,
        });
    }
    let today = domain::time::to_london(ctx.now).date();
    let mut ages = crate::server::proxy::Ages::default();
    for grant in state.store.proxy_grants_of_login(login).await? {
        let what = match ages.standing(&state.store, &grant, today).await? {
            Standing::Open { services, .. } => crate::api::proxies::describe_services(&services),
            Standing::Closed(closed) => closed.message(),
        };
        people.push(Person {
            id: grant.subject_patient_id,
            name: grant.subject_name.clone(),
            what,
            current: current == grant.subject_patient_id,
            grant_id: Some(grant.id),
        });
    }
    Ok(people)
}

/// Acts for `patient_id` from now on (0: for oneself), if the signed-in
/// patient holds a grant for them; anyone else is not found.
#[server(endpoint = "people/act-for")]
pub async fn act_for(#[server(default)] patient_id: i64) -> Result<(), AppError> {
    use domain::Actor;
    let (state, ctx) = crate::server::context().await?;
    let (login, session) = ctx.own_login()?;
    if !matches!(ctx.actor, Actor::Patient { .. } | Actor::Proxy { .. }) {
        return Err(AppError::Forbidden);
    }
    let own = state.store.login(login).await?.and_then(|row| row.patient_id);
    let subject = match patient_id {
        0 if own.is_some() => None,
        0 => return Err(AppError::NotFound),
        id if Some(id) == own => None,
        id => match state.store.open_proxy_grant(login, domain::PatientId(id)).await? {
            Some(grant) => Some(domain::PatientId(grant.subject_patient_id)),
            None => {
                // Asking to act for someone without access is noted, and
                // answered as if they did not exist.
                let audit = ctx.audit("proxy_refused").on("patient", id).detail("No access to act for them");
                state.store.append_audit(&audit).await?;
                return Err(AppError::NotFound);
            }
        },
    };
    let audit = ctx.audit("acting_for_chosen").detail(match subject {
        Some(patient) => format!("patient {}", patient.0),
        None => "themself".to_owned(),
    });
    let audit = match subject {
        Some(patient) => audit.on("patient", patient.0),
        None => audit,
    };
    state.store.set_session_acting_for(&session.token_hash, subject, &audit).await?;
    leptos_axum::redirect("/home");
    Ok(())
}

/// Someone who can act for the signed-in patient, and what they did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyProxy {
    pub grant_id: i64,
    /// "Dev Jones"
    pub name: String,
    /// "parent or guardian", "carer"; none when staff said only "other".
    pub relationship: Option<String>,
    /// "Appointments, repeat prescriptions" or why it allows nothing today.
    pub what: String,
    /// What they did for the patient, newest first: "12 March 2026 at 10:02: Booked an appointment".
    pub deeds: Vec<String>,
}

/// How many of the latest actions for the patient are shown.
pub const DEEDS_SHOWN: i64 = 50;

/// An audited action, as the patient it was done for reads it.
#[cfg(feature = "ssr")]
fn deed_words(action: &str, detail: Option<&str>) -> Option<String> {
    let words = match action {
        "appointment_booked" => "Booked an appointment",
        "appointment_cancelled" => "Cancelled an appointment",
        "message_thread_started" => "Started a conversation with the practice",
        "message_sent" => "Sent a message",
        "prescription_requested" => "Ordered repeat prescriptions",
        "prescription_request_cancelled" => "Cancelled a prescription request",
        "record_downloaded" => "Downloaded your record",
        "record_viewed" => {
            return Some(match detail {
                Some(section) => format!("Looked at your record: {section}"),
                None => "Looked at your record".to_owned(),
            })
        }
        // Choosing whom to act for, and the like, change nothing of the patient's.
        _ => return None,
    };
    Some(words.to_owned())
}

/// The people who can act for the signed-in patient (acting as themself),
/// each with what they may do today and what they did. A proxy acting for
/// someone gets `None`: whom else that person trusts is not theirs to see.
#[server(endpoint = "people/proxies")]
pub async fn my_proxies() -> Result<Option<Vec<MyProxy>>, AppError> {
    use domain::proxy::Standing;
    use domain::Actor;
    let (state, ctx) = crate::server::context().await?;
    ctx.own_login()?;
    let (practice, patient) = match ctx.actor {
        Actor::Patient { practice, patient, .. } => (practice, patient),
        Actor::Proxy { .. } => return Ok(None),
        _ => return Err(AppError::Forbidden),
    };
    let today = domain::time::to_london(ctx.now).date();
    let mut ages = crate::server::proxy::Ages::default();
    let deeds = state.store.proxy_deeds(practice, patient, DEEDS_SHOWN).await?;
    let mut mine = Vec::new();
    for grant in state.store.proxy_grants_for_subject(practice, patient).await? {
        if grant.status == domain::proxy::GrantStatus::Ended.as_str() {
            continue;
        }
        let what = match ages.standing(&state.store, &grant, today).await? {
            Standing::Open { services, .. } => crate::api::proxies::describe_services(&services),
            Standing::Closed(closed) => closed.message(),
        };
        let relationship = grant.relationship().filter(|r| *r != domain::proxy::Relationship::Other);
        let theirs = deeds.iter().filter(|deed| Some(deed.login_id) == grant.proxy_login_id);
        mine.push(MyProxy {
            grant_id: grant.id,
            name: grant.proxy_name.clone(),
            relationship: relationship.map(|r| r.label().to_lowercase()),
            what,
            deeds: theirs
                .filter_map(|deed| {
                    let words = deed_words(&deed.action, deed.detail.as_deref())?;
                    Some(format!("{}: {words}", domain::time::display_london(deed.at.0)))
                })
                .collect(),
        });
    }
    Ok(Some(mine))
}

/// Ends proxy access, from either side: the patient stops someone acting
/// for them, or a proxy stops acting for someone. Any other grant is not
/// found. Audited; the proxy's pages are their own again.
#[server(endpoint = "people/end")]
pub async fn end_access(#[server(default)] grant_id: i64) -> Result<(), AppError> {
    use domain::Actor;
    use storage::proxies::GrantChange;
    let (state, ctx) = crate::server::context().await?;
    let (login, session) = ctx.own_login()?;
    // The grants for the patient themself; a proxy acting for someone has
    // only the ones they hold.
    let subjects = match ctx.actor {
        Actor::Patient { practice, patient, .. } => state.store.proxy_grants_for_subject(practice, patient).await?,
        Actor::Proxy { .. } => Vec::new(),
        _ => return Err(AppError::Forbidden),
    };
    let held = state.store.proxy_grants_of_login(login).await?;
    let (grant, by) = match subjects.iter().find(|g| g.id == grant_id) {
        Some(grant) => (grant, "the patient"),
        None => (held.iter().find(|g| g.id == grant_id).ok_or(AppError::NotFound)?, "the person who acted"),
    };
    let audit = ctx.audit("proxy_access_ended").detail(format!("Ended by {by}"));
    let grant_practice = domain::PracticeId(grant.practice_id);
    match state.store.change_proxy_grant(grant_practice, grant.id, GrantChange::End, login, &audit).await {
        Ok(()) | Err(storage::StoreError::NotFound) => {}
        Err(other) => return Err(other.into()),
    }
    if matches!(ctx.actor, Actor::Proxy { acting_for, .. } if acting_for.0 == grant.subject_patient_id) {
        let back = ctx.audit("acting_for_chosen").detail("themself");
        state.store.set_session_acting_for(&session.token_hash, None, &back).await?;
    }
    leptos_axum::redirect("/people?saved=ended");
    Ok(())
}
