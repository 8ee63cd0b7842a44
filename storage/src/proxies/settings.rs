//! The practice's settings for proxy access.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as};
use crate::{Store, StoreResult};
use domain::proxy::AgeRules;
use domain::PracticeId;

/// The ages for parents' access, and whether grants patients make themselves
/// wait for the practice to review them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProxySettings {
    pub ages: AgeRules,
    pub patient_grants_reviewed: bool,
}

impl ProxySettings {
    pub const DEFAULT: Self = Self { ages: AgeRules::DEFAULT, patient_grants_reviewed: true };
}

impl Store {
    /// A practice's proxy settings; the defaults until it changes them.
    pub async fn proxy_settings(&self, practice: PracticeId) -> StoreResult<ProxySettings> {
        let row: Option<(i32, i32, bool)> = query_as(
            "SELECT narrow_from, review_at, patient_grants_reviewed FROM proxy_settings WHERE practice_id = $1",
        )
        .bind(practice.0)
        .fetch_optional(&mut self.reader().await?)
        .await?;
        Ok(match row {
            Some((narrow_from, review_at, reviewed)) => ProxySettings {
                // Checked by the table; the defaults if a row ever says otherwise.
                ages: AgeRules::new(narrow_from as u32, review_at as u32).unwrap_or(AgeRules::DEFAULT),
                patient_grants_reviewed: reviewed,
            },
            None => ProxySettings::DEFAULT,
        })
    }

    pub async fn set_proxy_settings(
        &self,
        practice: PracticeId,
        settings: &ProxySettings,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query(
            "INSERT INTO proxy_settings (practice_id, narrow_from, review_at, patient_grants_reviewed) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (practice_id) DO UPDATE SET narrow_from = excluded.narrow_from, \
             review_at = excluded.review_at, patient_grants_reviewed = excluded.patient_grants_reviewed",
        )
        .bind(practice.0)
        .bind(settings.ages.narrow_from as i32)
        .bind(settings.ages.review_at as i32)
        .bind(settings.patient_grants_reviewed)
        .execute(&mut tx)
        .await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }
}
