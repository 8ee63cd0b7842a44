//! Patients: the home page they land on after signing in: their next
//! appointment and unread messages at a glance, and a way into each service
//! they have. Later services add their cards here.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the patient's home shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeCards {
    pub name: String,
    /// Online appointments, when they have them: the next one, if any.
    pub appointments: Option<Option<NextAppointment>>,
    /// Repeat prescriptions, when they have them: how many requests are being dealt with.
    pub prescriptions: Option<usize>,
    /// Messages, when they have them: how many conversations have unread replies.
    pub unread_messages: Option<usize>,
    /// Their record, when they have it: what the practice shows.
    pub record: Option<String>,
}

/// The patient's next appointment, in brief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextAppointment {
    pub id: i64,
    pub when: String,
    pub what: String,
}

/// Patients: their home page's cards.
#[server(endpoint = "home")]
pub async fn patient_home() -> Result<HomeCards, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let (practice, patient, row, available) =
        crate::server::services::signed_in_patient(&state, &ctx, |_| true).await?;
    let appointments = if available.appointments {
        let booked = state.store.patient_appointments(practice, patient).await?;
        let next = booked.iter().filter(|a| a.is_booked() && a.starts_at.0 > ctx.now).min_by_key(|a| a.starts_at.0);
        Some(next.map(|a| NextAppointment {
            id: a.id,
            when: domain::appointments::describe_times(a.starts_at.0, a.ends_at.0),
            what: a.type_patient_name.clone(),
        }))
    } else {
        None
    };
    let prescriptions = if available.prescriptions {
        let requests = state.store.requests_of_patient(practice, patient).await?;
        let open = |r: &&storage::prescriptions::RequestWithItems| {
            r.items.iter().any(|(item, _)| {
                !item.status().is_final() && item.status() != domain::prescriptions::ItemStatus::Issued
            })
        };
        Some(requests.iter().filter(open).count())
    } else {
        None
    };
    let messaging = available.messaging && state.store.message_settings(practice, ctx.now).await?.enabled;
    let unread_messages = if messaging {
        let login = ctx.actor.login().ok_or(AppError::SignInRequired)?;
        Some(state.store.threads_of_patient(practice, patient, login).await?.iter().filter(|t| t.unread).count())
    } else {
        None
    };
    let record = available.record.map(|access| domain::record::RecordAccess::new(access).describe());
    Ok(HomeCards {
        name: format!("{} {}", row.given_name, row.family_name),
        appointments,
        prescriptions,
        unread_messages,
        record,
    })
}
