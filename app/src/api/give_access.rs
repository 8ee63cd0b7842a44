//! A patient gives someone access to their own online services: the person
//! (by email), the services chosen one by one (never more of the record than
//! the patient sees), and an optional last day. Where the practice reviews
//! such grants it waits for staff to approve it; otherwise it starts now and
//! the person is told by email. Nothing is saved on any problem.

// A server function takes one argument per form field (the browser's side
// of the macro cannot take an allow of its own).
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;

/// Who the person is to the patient, as the patient may say it themself
/// (a lasting power of attorney or a parent's access is set up by staff).
pub const PATIENT_RELATIONSHIPS: [(&str, &str); 2] = [("carer", "A carer"), ("other", "A family member or friend")];

#[server(endpoint = "people/give-access")]
pub async fn give_access(
    #[server(default)] proxy_name: String,
    #[server(default)] proxy_email: String,
    #[server(default)] relationship: String,
    #[server(default)] appointments: Option<String>,
    #[server(default)] prescriptions: Option<String>,
    #[server(default)] messages: Option<String>,
    #[server(default)] record: String,
    #[server(default)] ends_on: String,
) -> Result<(), AppError> {
    use crate::api::proxies::{describe_services, grant_parts, FilledBy, GrantFields, GrantParts};
    use crate::server::proxy::{Invite, EMAIL_JUST_TAKEN};
    use domain::proxy::{GrantStatus, LegalBasis, Relationship};
    let (state, ctx) = crate::server::context().await?;
    let (login, session) = ctx.own_login()?;
    let (practice, patient, own_level) = own_record_level(&state, &ctx).await?;
    let today = domain::time::to_london(ctx.now).date();
    let mut problems = crate::error::Problems::new();
    let fields = GrantFields {
        proxy_name: &proxy_name,
        proxy_email: &proxy_email,
        ticks: [&appointments, &prescriptions, &messages],
        record: &record,
        ends_on: &ends_on,
    };
    let GrantParts { name, email, services, ends_on } =
        grant_parts(&mut problems, fields, Some(&session.email), FilledBy::Patient);
    let relationship = match relationship.as_str() {
        "carer" | "other" => Relationship::parse(&relationship).ok(),
        _ => None,
    };
    if relationship.is_none() {
        problems.add("relationship", "Choose who they are to you");
    }
    if services.is_some_and(|s| s.record > own_level) {
        problems.add("record", format!("You can share at most what you see yourself: {}", own_level.label()));
    }
    if ends_on.flatten().is_some_and(|last| last < today) {
        problems.add("ends_on", "The last day must be today or later");
    }
    problems.finish()?;
    let (Some(email), Some(services), Some(ends_on), Some(relationship)) = (email, services, ends_on, relationship)
    else {
        return Err(AppError::invalid("proxy_email", "Check the form"));
    };
    // A grant to the same person that allows nothing now (a parent's, closed
    // at 16; suspended; past its last day) gives way to this one, so a
    // young person can let a parent go on helping.
    let mut ages = crate::server::proxy::Ages::default();
    for old in state.store.proxy_grants_for_subject(practice, patient).await? {
        if !old.proxy_email.eq_ignore_ascii_case(email.as_str()) || old.status == GrantStatus::Ended.as_str() {
            continue;
        }
        if let domain::proxy::Standing::Closed(closed) = ages.standing(&state.store, &old, today).await? {
            let audit = ctx
                .audit("proxy_access_ended")
                .detail(format!("Replaced by the patient's own grant ({})", closed.message()));
            let end = storage::proxies::GrantChange::End;
            state.store.change_proxy_grant(practice, old.id, end, login, &audit).await?;
        }
    }
    let settings = state.store.proxy_settings(practice).await?;
    let status = if settings.patient_grants_reviewed { GrantStatus::Pending } else { GrantStatus::Active };
    let new = storage::proxies::NewGrant {
        practice,
        subject: patient,
        proxy_email: email.as_str(),
        proxy_name: &name,
        relationship,
        basis: LegalBasis::PatientConsent,
        services,
        starts_on: today,
        ends_on,
        status,
        by_staff: false,
        created_by: login,
        verified_how: None,
        clinician_note: None,
        now: ctx.now,
    };
    let described = describe_services(&services);
    // Told now if it starts now; where the practice reviews it, on approval.
    let invite = match status {
        GrantStatus::Active => Some(Invite::to(&state, &ctx, email.as_str(), &session.display_name, &described).await?),
        _ => None,
    };
    let detail = format!("{} given by the patient: {described}", relationship.label());
    let audit = ctx.audit("proxy_access_given").detail(detail);
    match state.store.add_proxy_grant_telling(&new, invite.as_ref().map(Invite::telling).as_ref(), &audit).await {
        Ok(_) => {}
        Err(e) if e.is_conflict_on("proxy_grant", "open") => {
            return Err(AppError::invalid("proxy_email", "They can already act for you: stop that access first"))
        }
        Err(e) if e.is_conflict_on("login", "email") => return Err(AppError::Conflict(EMAIL_JUST_TAKEN.into())),
        Err(other) => return Err(other.into()),
    }
    leptos_axum::redirect(if status == GrantStatus::Pending { "/people?saved=asked" } else { "/people?saved=given" });
    Ok(())
}

/// The patient acting as themself (only they give access to their
/// services), and the record level they see, which they may share up to.
#[cfg(feature = "ssr")]
async fn own_record_level(
    state: &crate::server::AppState,
    ctx: &crate::server::Ctx,
) -> Result<(domain::PracticeId, domain::PatientId, domain::services::RecordLevel), AppError> {
    let (practice, patient) = match ctx.actor {
        domain::Actor::Patient { practice, patient, .. } => (practice, patient),
        domain::Actor::Proxy { .. } => {
            return Err(AppError::Refused(
                "Switch to yourself first: only you can give access to your services.".into(),
            ))
        }
        _ => return Err(AppError::Forbidden),
    };
    let (_, own) = crate::server::services::services_for(state, ctx, practice, patient).await?;
    Ok((practice, patient, own.record.map_or(domain::services::RecordLevel::None, |(level, _)| level)))
}

/// The record levels the signed-in patient may share: none up to their own.
/// Refused to a proxy, as giving access is.
#[server(endpoint = "people/access-choices")]
pub async fn access_choices() -> Result<Vec<(String, String)>, AppError> {
    use domain::services::RecordLevel;
    let (state, ctx) = crate::server::context().await?;
    ctx.own_login()?;
    let (_, _, own_level) = own_record_level(&state, &ctx).await?;
    let levels = RecordLevel::ALL.iter().filter(|level| **level <= own_level);
    Ok(levels.map(|level| (level.as_str().to_owned(), level.label().to_owned())).collect())
}
