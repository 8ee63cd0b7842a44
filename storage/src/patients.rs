//! The patient register.

use crate::{read, write, Store, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, Utc};
use domain::{NhsNumber, PracticeId};

/// A patient to add to a practice's register.
#[derive(Debug, Clone)]
pub struct NewPatient {
    pub nhs_number: NhsNumber,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: &'static str,
    pub postcode: String,
    pub email: Option<String>,
}

impl Store {
    /// Adds each patient not already registered at the practice (matched by
    /// NHS number); returns how many were added.
    pub async fn ensure_patients(
        &self,
        practice: PracticeId,
        patients: &[NewPatient],
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        write!(self, |c| {
            let mut added = 0;
            for p in patients {
                added += sqlx::query(
                    "INSERT INTO patient \
                     (practice_id, nhs_number, given_name, family_name, date_of_birth, sex, postcode, email, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     ON CONFLICT (practice_id, nhs_number) DO NOTHING",
                )
                .bind(practice.0)
                .bind(p.nhs_number.as_str())
                .bind(&p.given_name)
                .bind(&p.family_name)
                .bind(p.date_of_birth)
                .bind(p.sex)
                .bind(&p.postcode)
                .bind(&p.email)
                .bind(Timestamp(now))
                .execute(&mut *c)
                .await?
                .rows_affected();
            }
            Ok(added)
        })
    }

    pub async fn count_patients(&self, practice: PracticeId) -> StoreResult<i64> {
        read!(self, |c| Ok(sqlx::query_scalar("SELECT COUNT(*) FROM patient WHERE practice_id = $1")
            .bind(practice.0)
            .fetch_one(&mut *c)
            .await?))
    }
}
