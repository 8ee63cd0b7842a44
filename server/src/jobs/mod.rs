//! Background work, started with the server and stopped with it. Every job
//! keeps its state in the database, so several servers can run them at once.

pub mod mail;
pub mod proxies;

use crate::config::Config;
use crate::ServerError;
use app::server::AppState;
use chrono::{DateTime, Utc};
use domain::session::{SessionKind, ABSOLUTE_LIFETIME};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Starts the jobs this configuration calls for.
pub fn spawn(
    config: &Config,
    state: AppState,
    stop: watch::Receiver<bool>,
) -> Result<Vec<JoinHandle<()>>, ServerError> {
    let mut jobs = vec![
        tokio::spawn(record_session_activity(state.clone(), stop.clone())),
        tokio::spawn(sweep_sessions(state.clone(), config.outbox_keep_days, stop.clone())),
        tokio::spawn(announce_releases(state.clone(), stop.clone())),
    ];
    if config.keep_proxy_grants {
        jobs.push(tokio::spawn(keep_proxy_grants(state.clone(), stop.clone())));
    }
    match &config.smtp_url {
        Some(url) => {
            let mailer = mail::Mailer::new(url, &config.mail_from)?;
            jobs.push(tokio::spawn(mail::run(mailer, state, stop)));
        }
        None => tracing::info!("SMTP_URL is not set: mail stays in the outbox (see /admin/outbox)"),
    }
    Ok(jobs)
}

/// Waits `period`, or less if the server is stopping; true when it is.
pub(crate) async fn stopping_after(stop: &mut watch::Receiver<bool>, period: Duration) -> bool {
    if *stop.borrow() {
        return true;
    }
    tokio::select! {
        _ = stop.changed() => true,
        _ = tokio::time::sleep(period) => *stop.borrow(),
    }
}

/// Every few seconds, writes when sessions were last used, in one batch; once
/// more when the server stops, so no activity is lost.
async fn record_session_activity(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        let stopping = stopping_after(&mut stop, app::server::activity::ACTIVITY_BATCH).await;
        let batch = state.activity.batch();
        if !batch.is_empty() {
            match state.store.record_session_activity(&batch).await {
                Ok(_) => state.activity.written(&batch),
                Err(error) => {
                    tracing::warn!(%error, sessions = batch.len(), "could not record session activity; keeping it for the next batch")
                }
            }
        }
        if stopping {
            return;
        }
    }
}

/// Every ten minutes: closes online access requests nobody handled in time,
/// and deletes lapsed sessions. Session expiry is enforced on every
/// request anyway; this only keeps the table small.
async fn sweep_sessions(state: AppState, outbox_keep_days: u64, mut stop: watch::Receiver<bool>) {
    loop {
        let now = state.clock.now();
        let idle = SessionKind::Patient.idle_timeout().max(SessionKind::Staff.idle_timeout());
        match state.store.delete_stale_sessions(now - idle, now - ABSOLUTE_LIFETIME).await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "lapsed sessions removed"),
            Err(error) => tracing::warn!(%error, "could not remove lapsed sessions"),
        }
        // Throttling counts the last hour at most; a day keeps some margin.
        if let Err(error) = state.store.prune_sign_in_leftovers(now - chrono::TimeDelta::days(1), now).await {
            tracing::warn!(%error, "could not prune old sign-in attempts");
        }
        // Live streams resume from at most a few minutes back; a day is plenty.
        match state.store.prune_events(now - chrono::TimeDelta::days(1)).await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "old events removed"),
            Err(error) => tracing::warn!(%error, "could not prune old events"),
        }
        match state.store.prune_sent_mail(sent_mail_cutoff(now, outbox_keep_days)).await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "sent mail past its keeping period removed from the outbox"),
            Err(error) => tracing::warn!(%error, "could not prune sent mail"),
        }
        match state.store.expire_access_requests(now).await {
            Ok(0) => {}
            Ok(expired) => tracing::info!(expired, "unhandled online access requests expired"),
            Err(error) => tracing::warn!(%error, "could not expire online access requests"),
        }
        if stopping_after(&mut stop, Duration::from_secs(600)).await {
            return;
        }
    }
}

/// Mail sent before this is removed from the outbox (`OUTBOX_KEEP_DAYS`).
pub fn sent_mail_cutoff(now: DateTime<Utc>, keep_days: u64) -> DateTime<Utc> {
    i64::try_from(keep_days)
        .ok()
        .and_then(chrono::TimeDelta::try_days)
        .and_then(|keep| now.checked_sub_signed(keep))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Once an hour (and at start-up): proxy grants kept to their rules.
async fn keep_proxy_grants(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        match proxies::keep_proxy_grants(&state.store, &state.config.public_url, state.clock.now()).await {
            Ok(kept) if kept == proxies::Kept::default() => {}
            Ok(kept) => tracing::info!(?kept, "proxy grants kept to their rules"),
            Err(error) => tracing::warn!(%error, "could not keep proxy grants to their rules"),
        }
        if stopping_after(&mut stop, Duration::from_secs(3600)).await {
            return;
        }
    }
}

/// Each second, tells live lists when a release time (such as 08:00 for
/// on-the-day appointments) has passed, so held-back slots appear without a
/// reload. Several servers may run this: each release is announced once.
async fn announce_releases(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(error) = state.store.announce_releases(state.clock.now()).await {
            tracing::warn!(%error, "could not announce released slots");
        }
        if stopping_after(&mut stop, Duration::from_secs(1)).await {
            return;
        }
    }
}
