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
        id => {
            let grant = state.store.open_proxy_grant(login, domain::PatientId(id)).await?;
            Some(domain::PatientId(grant.ok_or(AppError::NotFound)?.subject_patient_id))
        }
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
