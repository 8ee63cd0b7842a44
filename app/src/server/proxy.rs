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
