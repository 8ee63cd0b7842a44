//! Proxy grants: set up by staff after checking, or asked for by the patient;
//! suspended, resumed or ended; listed for the subject's practice and for
//! the proxy's own sign-in (whichever practice the subject is at).

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar, Tx};
use crate::logins::{insert_login, login_with_email, NewLogin};
use crate::outbox::{enqueue_mail, NewMail};
use crate::tokens::{insert_token, NewToken, TokenPurpose};
use crate::{Store, StoreError, StoreResult, Timestamp};
use chrono::{DateTime, NaiveDate, Utc};
use domain::proxy::{ClinicianDecision, GrantFacts, GrantStatus, LegalBasis, ProxyServices, Relationship};
use domain::services::RecordLevel;
use domain::{LoginId, PatientId, PracticeId};

/// A grant to add.
#[derive(Debug, Clone)]
pub struct NewGrant<'a> {
    pub practice: PracticeId,
    pub subject: PatientId,
    pub proxy_email: &'a str,
    pub proxy_name: &'a str,
    pub relationship: Relationship,
    pub basis: LegalBasis,
    pub services: ProxyServices,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub status: GrantStatus,
    /// Staff set it up (after checking who the proxy is), or the patient did.
    pub by_staff: bool,
    pub created_by: LoginId,
    /// How staff checked the proxy's identity and right to act.
    pub verified_how: Option<&'a str>,
    pub clinician_note: Option<&'a str>,
    pub now: DateTime<Utc>,
}

/// A grant as stored, with its subject's name and date of birth.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GrantRow {
    pub id: i64,
    pub practice_id: i64,
    pub subject_patient_id: i64,
    pub subject_name: String,
    pub subject_date_of_birth: NaiveDate,
    pub proxy_login_id: Option<i64>,
    pub proxy_email: String,
    pub proxy_name: String,
    pub relationship: String,
    pub legal_basis: String,
    pub appointments: bool,
    pub prescriptions: bool,
    pub messages: bool,
    pub record_level: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub status: String,
    pub granted_by: String,
    pub verified_how: Option<String>,
    pub verified_at: Option<Timestamp>,
    pub clinician_decision: Option<String>,
    pub clinician_note: Option<String>,
    pub reviewed_on: Option<NaiveDate>,
    pub last_used_on: Option<NaiveDate>,
    pub suspended_reason: Option<String>,
    pub created_at: Timestamp,
    /// Whether the proxy's sign-in exists and has a password (one made for
    /// them waits for them to choose it).
    pub proxy_ready: bool,
}

impl GrantRow {
    pub fn services(&self) -> ProxyServices {
        ProxyServices {
            appointments: self.appointments,
            prescriptions: self.prescriptions,
            messages: self.messages,
            record: RecordLevel::parse(&self.record_level).unwrap_or(RecordLevel::None),
        }
    }

    pub fn relationship(&self) -> Option<Relationship> {
        Relationship::parse(&self.relationship).ok()
    }

    pub fn basis(&self) -> Option<LegalBasis> {
        LegalBasis::parse(&self.legal_basis).ok()
    }

    /// What the rules need. A row this version cannot read is ended.
    pub fn facts(&self) -> GrantFacts {
        let status = GrantStatus::parse(&self.status).unwrap_or(GrantStatus::Ended);
        let (basis, status) = match self.basis() {
            Some(basis) => (basis, status),
            None => (LegalBasis::PatientConsent, GrantStatus::Ended),
        };
        GrantFacts {
            basis,
            status,
            services: self.services(),
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            last_used_on: self.last_used_on,
            clinician: match self.clinician_decision.as_deref() {
                Some("keep_services") => Some(ClinicianDecision::KeepServices),
                Some("narrow_now") => Some(ClinicianDecision::NarrowNow),
                _ => None,
            },
            reviewed_on: self.reviewed_on,
        }
    }
}

pub(super) const GRANT_SELECT: &str = "SELECT g.id, g.practice_id, g.subject_patient_id, \
    p.given_name || ' ' || p.family_name AS subject_name, p.date_of_birth AS subject_date_of_birth, \
    g.proxy_login_id, g.proxy_email, g.proxy_name, g.relationship, g.legal_basis, g.appointments, \
    g.prescriptions, g.messages, g.record_level, g.starts_on, g.ends_on, g.status, g.granted_by, \
    g.verified_how, g.verified_at, g.clinician_decision, g.clinician_note, g.reviewed_on, g.last_used_on, \
    g.suspended_reason, g.created_at, COALESCE((SELECT l.password_hash IS NOT NULL FROM login l \
    WHERE l.id = g.proxy_login_id), FALSE) AS proxy_ready \
    FROM proxy_grant g JOIN patient p ON p.id = g.subject_patient_id";

/// How the proxy hears that their access has started, sent with the change
/// that starts it.
#[derive(Debug, Clone, Copy)]
pub struct Telling<'a> {
    pub mail: &'a NewMail,
    /// For an email with no sign-in yet: one is made at the grant's practice,
    /// with no patient of its own and no password, and this set-up link. An
    /// email that gained a sign-in meanwhile is a conflict on `login.email`.
    pub new_sign_in: Option<&'a NewToken>,
}

/// Tells the proxy of grant `id`, making their sign-in first when asked.
async fn tell_proxy(tx: &mut Tx, id: i64, tell: &Telling<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    if let Some(token) = tell.new_sign_in {
        let (practice, email, name): (i64, String, String) =
            query_as("SELECT practice_id, proxy_email, proxy_name FROM proxy_grant WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        if login_with_email(&mut *tx, &email).await?.is_some() {
            return Err(StoreError::Conflict { constraint: "login.email".into() });
        }
        let practice = PracticeId(practice);
        let new = NewLogin { practice, email: &email, password_hash: None, display_name: &name, patient: None, now };
        let login = insert_login(tx, &new).await?;
        insert_token(tx, practice, login, TokenPurpose::Setup, token, now).await?;
    }
    enqueue_mail(tx, tell.mail, now).await
}

/// What staff do to a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantChange<'a> {
    Suspend {
        reason: &'a str,
    },
    Resume,
    End,
    /// Staff looked at it again (a parent's, once the child reaches the
    /// review age) and it stands.
    Review {
        on: NaiveDate,
    },
    /// Staff approve a grant the patient made, on the practice's review.
    Approve {
        on: NaiveDate,
    },
}

impl Store {
    /// Adds a grant; the proxy's sign-in, when they have one, is linked by
    /// email. A second open grant for the same person and subject is a
    /// conflict on `proxy_grant_open_key`.
    pub async fn add_proxy_grant(&self, new: &NewGrant<'_>, audit: &NewAudit) -> StoreResult<i64> {
        self.add_proxy_grant_telling(new, None, audit).await
    }

    /// Adds a grant as [`Store::add_proxy_grant`] does, telling the proxy
    /// in the same transaction.
    pub async fn add_proxy_grant_telling(
        &self,
        new: &NewGrant<'_>,
        tell: Option<&Telling<'_>>,
        audit: &NewAudit,
    ) -> StoreResult<i64> {
        let today = domain::time::to_london(new.now).date();
        let mut tx = self.begin().await?;
        let id: i64 = query_scalar(
            "INSERT INTO proxy_grant (practice_id, subject_patient_id, proxy_login_id, proxy_email, proxy_name, \
             relationship, legal_basis, appointments, prescriptions, messages, record_level, starts_on, ends_on, \
             status, granted_by, created_by, created_at, verified_how, verified_by, verified_at, clinician_note, \
             reviewed_on) \
             SELECT $1, p.id, (SELECT l.id FROM login l WHERE lower(l.email) = lower($3)), $3, $4, $5, $6, $7, $8, \
             $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21 \
             FROM patient p WHERE p.id = $2 AND p.practice_id = $1 RETURNING id",
        )
        .bind(new.practice.0)
        .bind(new.subject.0)
        .bind(new.proxy_email)
        .bind(new.proxy_name)
        .bind(new.relationship.as_str())
        .bind(new.basis.as_str())
        .bind(new.services.appointments)
        .bind(new.services.prescriptions)
        .bind(new.services.messages)
        .bind(new.services.record.as_str())
        .bind(new.starts_on)
        .bind(new.ends_on)
        .bind(new.status.as_str())
        .bind(if new.by_staff { "staff" } else { "patient" })
        .bind(new.created_by.0)
        .bind(Timestamp(new.now))
        .bind(new.verified_how)
        .bind(new.by_staff.then_some(new.created_by.0))
        .bind(new.by_staff.then_some(Timestamp(new.now)))
        .bind(new.clinician_note)
        // Set up by staff is reviewed by staff.
        .bind(new.by_staff.then_some(today))
        .fetch_optional(&mut tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        if let Some(tell) = tell {
            tell_proxy(&mut tx, id, tell, new.now).await?;
        }
        append_audit(&mut tx, &audit.clone().on("proxy_grant", id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every grant for a patient of the practice, open ones first, newest first.
    pub async fn proxy_grants_for_subject(
        &self,
        practice: PracticeId,
        subject: PatientId,
    ) -> StoreResult<Vec<GrantRow>> {
        query_as(format!(
            "{GRANT_SELECT} WHERE g.practice_id = $1 AND g.subject_patient_id = $2 \
             ORDER BY CASE WHEN g.status = 'ended' THEN 1 ELSE 0 END, g.created_at DESC, g.id DESC"
        ))
        .bind(practice.0)
        .bind(subject.0)
        .fetch_all(&mut self.reader().await?)
        .await
    }

    /// The practice's grants not ended, for its list of those to review.
    pub async fn open_proxy_grants_of_practice(&self, practice: PracticeId) -> StoreResult<Vec<GrantRow>> {
        query_as(format!("{GRANT_SELECT} WHERE g.practice_id = $1 AND g.status <> 'ended' ORDER BY g.id"))
            .bind(practice.0)
            .fetch_all(&mut self.reader().await?)
            .await
    }

    /// The grants a sign-in holds, at any practice, not ended.
    pub async fn proxy_grants_of_login(&self, login: LoginId) -> StoreResult<Vec<GrantRow>> {
        query_as(format!(
            "{GRANT_SELECT} WHERE g.proxy_login_id = $1 AND g.status <> 'ended' ORDER BY p.given_name, g.id"
        ))
        .bind(login.0)
        .fetch_all(&mut self.reader().await?)
        .await
    }

    /// Whether a sign-in holds any grant not ended (for the "switch person" link).
    pub async fn holds_proxy_grants(&self, login: LoginId) -> StoreResult<bool> {
        query_scalar("SELECT EXISTS (SELECT 1 FROM proxy_grant WHERE proxy_login_id = $1 AND status <> 'ended')")
            .bind(login.0)
            .fetch_one(&mut self.reader().await?)
            .await
    }

    /// The grant a sign-in holds for a patient, not ended (at most one).
    pub async fn open_proxy_grant(&self, login: LoginId, subject: PatientId) -> StoreResult<Option<GrantRow>> {
        query_as(format!(
            "{GRANT_SELECT} WHERE g.proxy_login_id = $1 AND g.subject_patient_id = $2 AND g.status <> 'ended' \
             ORDER BY g.id DESC"
        ))
        .bind(login.0)
        .bind(subject.0)
        .fetch_optional(&mut self.reader().await?)
        .await
    }

    /// Notes that a grant was used today (for the 5-year rule).
    pub async fn note_proxy_use(&self, grant: i64, today: NaiveDate) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query("UPDATE proxy_grant SET last_used_on = $2 WHERE id = $1 AND (last_used_on IS NULL OR last_used_on < $2)")
            .bind(grant)
            .bind(today)
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One grant of the practice's.
    pub async fn proxy_grant(&self, practice: PracticeId, grant: i64) -> StoreResult<Option<GrantRow>> {
        query_as(format!("{GRANT_SELECT} WHERE g.id = $1 AND g.practice_id = $2"))
            .bind(grant)
            .bind(practice.0)
            .fetch_optional(&mut self.reader().await?)
            .await
    }

    /// Suspends an open grant with a reason, resumes a suspended one, ends
    /// one not ended, or notes an active one reviewed; anything else is not
    /// found.
    pub async fn change_proxy_grant(
        &self,
        practice: PracticeId,
        grant: i64,
        change: GrantChange<'_>,
        by: LoginId,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        self.change_proxy_grant_telling(practice, (grant, change), by, None, audit).await
    }

    /// Changes a grant as [`Store::change_proxy_grant`] does, telling the
    /// proxy in the same transaction.
    pub async fn change_proxy_grant_telling(
        &self,
        practice: PracticeId,
        (grant, change): (i64, GrantChange<'_>),
        by: LoginId,
        tell: Option<&Telling<'_>>,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let at = Timestamp(audit.at);
        let changed = match change {
            GrantChange::Suspend { reason } => query(
                "UPDATE proxy_grant SET status = 'suspended', suspended_reason = $3 \
                 WHERE id = $1 AND practice_id = $2 AND status IN ('active', 'pending')",
            )
            .bind(grant)
            .bind(practice.0)
            .bind(reason),
            GrantChange::Resume => query(
                "UPDATE proxy_grant SET status = 'active', suspended_reason = NULL \
                 WHERE id = $1 AND practice_id = $2 AND status = 'suspended'",
            )
            .bind(grant)
            .bind(practice.0),
            GrantChange::End => query(
                "UPDATE proxy_grant SET status = 'ended', ended_at = $3, ended_by = $4 \
                 WHERE id = $1 AND practice_id = $2 AND status <> 'ended'",
            )
            .bind(grant)
            .bind(practice.0)
            .bind(at)
            .bind(by.0),
            GrantChange::Review { on } => query(
                "UPDATE proxy_grant SET reviewed_on = $3 WHERE id = $1 AND practice_id = $2 AND status = 'active'",
            )
            .bind(grant)
            .bind(practice.0)
            .bind(on),
            GrantChange::Approve { on } => query(
                "UPDATE proxy_grant SET status = 'active', reviewed_on = $3 \
                 WHERE id = $1 AND practice_id = $2 AND status = 'pending'",
            )
            .bind(grant)
            .bind(practice.0)
            .bind(on),
        }
        .execute(&mut tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        if let Some(tell) = tell {
            tell_proxy(&mut tx, grant, tell, audit.at).await?;
        }
        append_audit(&mut tx, &audit.clone().on("proxy_grant", grant)).await?;
        tx.commit().await?;
        Ok(())
    }
}
