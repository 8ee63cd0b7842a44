//! A grant's standing today: the pure rules of `domain::proxy` under the
//! ages of the subject's practice. Every place that asks what a grant allows
//! now (each request, the list of people, the staff lists) asks here.

use chrono::NaiveDate;
use domain::proxy::{standing, AgeRules, Standing};
use domain::PracticeId;
use std::collections::HashMap;
use storage::proxies::GrantRow;
use storage::{Store, StoreResult};

/// The practices' age rules, each read once however many grants ask.
#[derive(Debug, Default)]
pub struct Ages(HashMap<PracticeId, AgeRules>);

impl Ages {
    pub async fn of(&mut self, store: &Store, practice: PracticeId) -> StoreResult<AgeRules> {
        if let Some(ages) = self.0.get(&practice) {
            return Ok(*ages);
        }
        let ages = store.proxy_settings(practice).await?.ages;
        self.0.insert(practice, ages);
        Ok(ages)
    }

    /// What `grant` allows on `today`, or why it allows nothing.
    pub async fn standing(&mut self, store: &Store, grant: &GrantRow, today: NaiveDate) -> StoreResult<Standing> {
        let ages = self.of(store, PracticeId(grant.practice_id)).await?;
        Ok(standing(&grant.facts(), grant.subject_date_of_birth, today, ages))
    }
}

/// What tells a proxy their access has started: the email, and for an email
/// with no sign-in yet the set-up link of the sign-in made for them.
pub struct Invite {
    pub mail: storage::outbox::NewMail,
    pub new_sign_in: Option<storage::tokens::NewToken>,
}

impl Invite {
    /// The email to `to` saying they can act for `subject` now, at the
    /// request's practice: a link to choose a password when the email has no
    /// sign-in, otherwise the sign-in page.
    pub async fn to(
        state: &super::AppState,
        ctx: &super::Ctx,
        to: &str,
        subject: &str,
        services: &str,
    ) -> crate::error::AppResult<Self> {
        use crate::api::staff::INVITATION_LIFETIME;
        use domain::mail::{ProxyInvitation, ProxyStart};
        let practice = ctx.practice()?;
        let public_url = &state.config.public_url;
        let (link, new_sign_in) = match state.store.login_by_email(to).await? {
            Some(_) => (format!("{public_url}/sign-in"), None),
            None => {
                let (token, token_hash) = super::secrets::new_token();
                let expires_at = ctx.now + INVITATION_LIFETIME;
                (format!("{public_url}/setup/{token}"), Some(storage::tokens::NewToken { token_hash, expires_at }))
            }
        };
        let start = match new_sign_in {
            Some(_) => ProxyStart::ChoosePassword { link: &link, days: INVITATION_LIFETIME.num_days() },
            None => ProxyStart::SignIn(&link),
        };
        let text = ProxyInvitation { practice: practice.name.as_str(), subject, services, start }.render();
        Ok(Self { mail: storage::outbox::NewMail::new(practice.id, to, text), new_sign_in })
    }

    pub fn telling(&self) -> storage::proxies::Telling<'_> {
        storage::proxies::Telling { mail: &self.mail, new_sign_in: self.new_sign_in.as_ref() }
    }
}

/// Said when an email gained a sign-in between the check and the save.
pub const EMAIL_JUST_TAKEN: &str = "That email address was given an account just now: try again.";
