//! Once an hour: keeps proxy grants to their rules. A grant past its end
//! date or unused for 5 years is ended, a parent's grant for a child of 16
//! is suspended (every request already refuses them; this makes staff lists
//! and the audit say so), and 30 days before a change the proxy (and a young
//! person about to turn 16) is told by email, once.

use crate::ServerError;
use app::server::proxy::Ages;
use chrono::{DateTime, Utc};
use domain::mail::ProxyChangeNotice;
use domain::proxy::{notice_due, Closed, Standing};
use domain::PracticeId;
use std::collections::HashMap;
use storage::audit::NewAudit;
use storage::outbox::NewMail;
use storage::proxies::{GrantRow, RuleClosing};
use storage::Store;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Kept {
    pub notices: u32,
    pub ended: u32,
    pub suspended: u32,
}

/// One pass over every active grant, as of `now`; emails link to `site`.
pub async fn keep_proxy_grants(store: &Store, site: &str, now: DateTime<Utc>) -> Result<Kept, ServerError> {
    let today = domain::time::to_london(now).date();
    let mut ages = Ages::default();
    // Each practice's name, read once a pass: a notice is looked at on every
    // pass of its 30 days, and sent on the first.
    let mut names: HashMap<PracticeId, String> = HashMap::new();
    let mut kept = Kept::default();
    for grant in store.active_proxy_grants().await? {
        let practice = PracticeId(grant.practice_id);
        let audit = |action, detail: &str| NewAudit::by_the_system(practice, action, detail, now);
        match ages.standing(store, &grant, today).await? {
            Standing::Closed(why @ (Closed::Expired(_) | Closed::Unused)) => {
                let audit = audit("proxy_access_ended", &why.message());
                kept.ended += u32::from(store.close_proxy_grant(grant.id, RuleClosing::End, &audit).await?);
            }
            Standing::Closed(Closed::ChildTurned16) => {
                let reason = Closed::ChildTurned16.message();
                let closing = RuleClosing::Suspend { reason: &reason };
                let audit = audit("proxy_access_suspended", &reason);
                kept.suspended += u32::from(store.close_proxy_grant(grant.id, closing, &audit).await?);
            }
            Standing::Closed(_) => {}
            Standing::Open { .. } => {
                let rules = ages.of(store, practice).await?;
                let Some((on, change)) = notice_due(&grant.facts(), grant.subject_date_of_birth, today, rules) else {
                    continue;
                };
                let name = match names.get(&practice) {
                    Some(name) => name.clone(),
                    None => {
                        let name = store.practice(practice).await?.map(|row| row.name).unwrap_or_default();
                        names.insert(practice, name.clone());
                        name
                    }
                };
                let mails = notice_mails(store, (site, &name), &grant, (on, change)).await?;
                let audit = audit("proxy_notice_sent", &format!("{} on {on}", change.as_str()));
                kept.notices += u32::from(store.send_proxy_notice((grant.id, change, on), &mails, &audit).await?);
            }
        }
    }
    Ok(kept)
}

/// The notice's emails: to the proxy, and to the young person when the
/// change is theirs to hear of and they have an address.
async fn notice_mails(
    store: &Store,
    (site, practice_name): (&str, &str),
    grant: &GrantRow,
    (on, change): (chrono::NaiveDate, domain::proxy::Change),
) -> Result<Vec<NewMail>, ServerError> {
    let practice = PracticeId(grant.practice_id);
    let link = format!("{}/people", site);
    let notice = ProxyChangeNotice {
        practice: practice_name,
        subject: &grant.subject_name,
        proxy: &grant.proxy_name,
        change,
        on,
        link: &link,
    };
    let mut mails = vec![NewMail::new(practice, &grant.proxy_email, notice.to_proxy())];
    if change.tells_subject() {
        let subject = store.patient(practice, domain::PatientId(grant.subject_patient_id)).await?;
        if let Some(address) = subject.and_then(|row| row.login_email.or(row.email)) {
            let link = format!("{}/sign-in", site);
            mails.push(NewMail::new(practice, &address, ProxyChangeNotice { link: &link, ..notice }.to_subject()));
        }
    }
    Ok(mails)
}
