//! Consent to share, per patient: what staff recorded.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as};
use crate::{Store, StoreResult, Timestamp};
use domain::record::sharing::Consent;
use domain::{LoginId, PatientId, PracticeId};

/// A patient's three answers (`None`: not recorded).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sharing {
    pub scr_additional: Consent,
    pub sharing_out: Consent,
    pub sharing_in: Consent,
}

fn stored(consent: Consent) -> Option<&'static str> {
    consent.map(|yes| if yes { "yes" } else { "no" })
}

fn read(text: Option<String>) -> Consent {
    text.map(|t| t == "yes")
}

impl Store {
    /// A patient's consent to share; nothing recorded until staff record it.
    pub async fn patient_sharing(&self, practice: PracticeId, patient: PatientId) -> StoreResult<Sharing> {
        let row: Option<(Option<String>, Option<String>, Option<String>)> = query_as(
            "SELECT scr_additional, sharing_out, sharing_in FROM patient_sharing WHERE practice_id = $1 AND patient_id = $2",
        )
        .bind(practice.0)
        .bind(patient.0)
        .fetch_optional(&mut self.reader().await?)
        .await?;
        Ok(row.map_or_else(Sharing::default, |(scr, out, into)| Sharing {
            scr_additional: read(scr),
            sharing_out: read(out),
            sharing_in: read(into),
        }))
    }

    /// Records a patient's consent to share (only a patient of the practice).
    pub async fn set_patient_sharing(
        &self,
        practice: PracticeId,
        patient: PatientId,
        sharing: &Sharing,
        by: LoginId,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query(
            "INSERT INTO patient_sharing (patient_id, practice_id, scr_additional, sharing_out, sharing_in, \
             updated_by, updated_at) SELECT id, practice_id, $3, $4, $5, $6, $7 FROM patient \
             WHERE id = $1 AND practice_id = $2 ON CONFLICT (patient_id) DO UPDATE SET \
             scr_additional = excluded.scr_additional, sharing_out = excluded.sharing_out, \
             sharing_in = excluded.sharing_in, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(patient.0)
        .bind(practice.0)
        .bind(stored(sharing.scr_additional))
        .bind(stored(sharing.sharing_out))
        .bind(stored(sharing.sharing_in))
        .bind(by.0)
        .bind(Timestamp(audit.at))
        .execute(&mut tx)
        .await?
        .one()?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await
    }
}
