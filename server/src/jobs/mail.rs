//! Sends the outbox through SMTP. Rows are claimed with a lease, so two
//! servers never send one message twice, and a server that dies mid-send
//! leaves the message to be sent when the lease runs out: nothing is lost.

use super::stopping_after;
use crate::ServerError;
use app::server::AppState;
use chrono::TimeDelta;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;
use storage::outbox::ClaimedMail;
use tokio::sync::watch;

/// How long a claim on one message lasts. Each message's claim is renewed
/// just before it is sent, and a send is cut off after [`SEND_LIMIT`], so a
/// claim always outlasts the send in hand, however long the batch.
const LEASE: TimeDelta = TimeDelta::minutes(5);
/// The longest one message may take to send.
const SEND_LIMIT: Duration = Duration::from_secs(60);
/// After this many failed attempts a message is given up (and shown so).
const MAX_ATTEMPTS: i32 = 10;
const POLL: Duration = Duration::from_secs(1);
const BATCH: i64 = 20;

/// Waits longer after each failure: 1, 2, 4… minutes, at most 4 hours.
pub fn retry_delay(failed_attempts: i32) -> TimeDelta {
    TimeDelta::minutes(1i64 << failed_attempts.clamp(1, 9).saturating_sub(1)).min(TimeDelta::hours(4))
}

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// Why a send failed, and whether trying again could help.
enum Failure {
    Permanent(String),
    Temporary(String),
}

impl Mailer {
    pub fn new(smtp_url: &str, from: &str) -> Result<Self, ServerError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| ServerError::Mail(format!("SMTP_URL: {e}")))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| ServerError::Mail(format!("MAIL_FROM {from:?}: {e}")))?;
        Ok(Self { transport, from })
    }

    async fn send(&self, mail: &ClaimedMail) -> Result<(), Failure> {
        let to =
            mail.to_address.parse::<Mailbox>().map_err(|e| Failure::Permanent(format!("address not usable: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| Failure::Permanent(e.to_string()))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(Failure::Permanent(e.to_string())),
            Err(e) => Err(Failure::Temporary(e.to_string())),
        }
    }
}

/// The worker: sends what is due, then looks again every second.
pub async fn run(mailer: Mailer, state: AppState, mut stop: watch::Receiver<bool>) {
    let owner = format!("worker-{:016x}", rand::random::<u64>());
    tracing::info!(%owner, "mail worker started");
    loop {
        match deliver_due(&mailer, &state, &owner).await {
            Ok(sent) if sent > 0 => continue,
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "mail worker could not reach the outbox"),
        }
        if stopping_after(&mut stop, POLL).await {
            return;
        }
    }
}

/// Claims a batch of due messages and sends them; returns how many it claimed.
async fn deliver_due(mailer: &Mailer, state: &AppState, owner: &str) -> Result<usize, storage::StoreError> {
    let now = state.clock.now();
    let claimed = state.store.claim_mail(owner, now, now + LEASE, BATCH).await?;
    for mail in &claimed {
        let now = state.clock.now();
        if !state.store.renew_mail_lease(mail.id, owner, now + LEASE).await? {
            tracing::info!(id = mail.id, "another worker took this message over; not sending it");
            continue;
        }
        let sent = tokio::time::timeout(SEND_LIMIT, mailer.send(mail))
            .await
            .unwrap_or_else(|_| Err(Failure::Temporary(format!("no answer from the mail server in {SEND_LIMIT:?}"))));
        let now = state.clock.now();
        match sent {
            Ok(()) => {
                if !state.store.mail_sent(mail.id, owner, now).await? {
                    tracing::warn!(id = mail.id, "mail sent after its lease ran out");
                }
            }
            Err(Failure::Permanent(error)) => {
                tracing::warn!(id = mail.id, %error, "mail refused; giving up");
                state.store.mail_failed(mail.id, owner, &error, now, None).await?;
            }
            Err(Failure::Temporary(error)) => {
                let attempts = mail.attempts + 1;
                let retry = (attempts < MAX_ATTEMPTS).then(|| now + retry_delay(attempts));
                tracing::warn!(id = mail.id, attempts, %error, "mail not sent");
                state.store.mail_failed(mail.id, owner, &error, now, retry).await?;
            }
        }
    }
    Ok(claimed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_doubling_up_to_four_hours() {
        assert_eq!(retry_delay(1), TimeDelta::minutes(1));
        assert_eq!(retry_delay(2), TimeDelta::minutes(2));
        assert_eq!(retry_delay(5), TimeDelta::minutes(16));
        assert_eq!(retry_delay(9), TimeDelta::hours(4));
        assert_eq!(retry_delay(50), TimeDelta::hours(4));
    }
}
