//! Logins and staff membership.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as, query_scalar, Db, Tx};
use crate::outbox::{enqueue_mail, NewMail};
use crate::practices::{NewPractice, INSERT_PRACTICE};
use crate::sessions::end_sign_ins;
use crate::tokens::{insert_token, NewToken, TokenPurpose};
use crate::{Store, StoreResult, Timestamp};
use chrono::{DateTime, Utc};
use domain::{Email, LoginId, PracticeId, StaffRole};

/// A member of staff as listed for their practice. Never holds the password hash.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffRow {
    pub login_id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub has_password: bool,
    pub disabled: bool,
    pub two_factor: bool,
}

const STAFF_COLUMNS: &str = "l.id AS login_id, l.email, l.display_name, s.role, \
    (l.password_hash IS NOT NULL) AS has_password, (l.disabled_at IS NOT NULL) AS disabled, \
    (l.totp_secret IS NOT NULL) AS two_factor \
    FROM staff_member s JOIN login l ON l.id = s.login_id AND l.practice_id = s.practice_id";

/// A new member of staff, invited by a practice admin.
#[derive(Debug, Clone)]
pub struct NewStaff<'a> {
    pub practice: PracticeId,
    pub email: &'a Email,
    pub display_name: &'a str,
    pub role: StaffRole,
    /// Their set-up link.
    pub token: &'a NewToken,
}

pub use domain::StaffChange;

/// The id of the login with this email, in any case.
pub(crate) async fn login_with_email(db: &mut impl Db, email: &str) -> StoreResult<Option<LoginId>> {
    let id: Option<i64> =
        query_scalar("SELECT id FROM login WHERE lower(email) = lower($1)").bind(email).fetch_optional(db).await?;
    Ok(id.map(LoginId))
}

/// A login to insert.
pub(crate) struct NewLogin<'a> {
    pub practice: PracticeId,
    pub email: &'a str,
    /// `None` until the person sets one from their set-up link or letter.
    pub password_hash: Option<&'a str>,
    pub display_name: &'a str,
    /// The patient whose own login it is; `None` for staff.
    pub patient: Option<i64>,
    pub now: DateTime<Utc>,
}

/// Inserts a login inside a transaction; returns its id.
pub(crate) async fn insert_login(tx: &mut Tx, login: &NewLogin<'_>) -> StoreResult<LoginId> {
    let id: i64 = query_scalar(
        "INSERT INTO login (practice_id, email, password_hash, display_name, created_at, patient_id) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(login.practice.0)
    .bind(login.email)
    .bind(login.password_hash)
    .bind(login.display_name)
    .bind(Timestamp(login.now))
    .bind(login.patient)
    .fetch_one(&mut *tx)
    .await?;
    // Access someone gave this email before it had a sign-in is now theirs.
    query("UPDATE proxy_grant SET proxy_login_id = $1 WHERE proxy_login_id IS NULL AND lower(proxy_email) = lower($2)")
        .bind(id)
        .bind(login.email)
        .execute(tx)
        .await?;
    Ok(LoginId(id))
}

/// Makes a login a member of a practice's staff, inside a transaction.
async fn insert_staff(
    tx: &mut Tx,
    practice: PracticeId,
    login: LoginId,
    role: StaffRole,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    query("INSERT INTO staff_member (practice_id, login_id, role, created_at) VALUES ($1, $2, $3, $4)")
        .bind(practice.0)
        .bind(login.0)
        .bind(role.as_str())
        .bind(Timestamp(now))
        .execute(tx)
        .await?;
    Ok(())
}

impl Store {
    /// Creates a practice, its first practice admin (with no password yet) and a
    /// set-up link for that admin, all or nothing.
    #[tracing::instrument(skip_all)]
    pub async fn create_practice_with_admin(
        &self,
        practice: &NewPractice,
        admin_email: &Email,
        admin_name: &str,
        token: &NewToken,
        now: DateTime<Utc>,
    ) -> StoreResult<(PracticeId, LoginId)> {
        let mut tx = self.begin().await?;
        let practice_id: i64 = query_scalar(INSERT_PRACTICE)
            .bind(practice.ods_code.as_str())
            .bind(practice.name.as_str())
            .bind(&practice.address)
            .bind(&practice.phone)
            .bind(&practice.website)
            .bind(practice.online_services_enabled)
            .bind(practice.is_demo)
            .bind(Timestamp(now))
            .fetch_one(&mut tx)
            .await?;
        let practice_id = PracticeId(practice_id);
        let admin = NewLogin {
            practice: practice_id,
            email: admin_email.as_str(),
            password_hash: None,
            display_name: admin_name,
            patient: None,
            now,
        };
        let login = insert_login(&mut tx, &admin).await?;
        insert_staff(&mut tx, practice_id, login, StaffRole::PracticeAdmin, now).await?;
        insert_token(&mut tx, practice_id, login, TokenPurpose::Setup, token, now).await?;
        tx.commit().await?;
        Ok((practice_id, login))
    }

    /// Adds a member of staff with a password unless a login with that email
    /// exists already. Returns the login either way.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn ensure_staff(
        &self,
        practice: PracticeId,
        email: &Email,
        display_name: &str,
        role: StaffRole,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<LoginId> {
        let mut tx = self.begin().await?;
        if let Some(existing) = login_with_email(&mut tx, email.as_str()).await? {
            return Ok(existing); // Nothing written: the transaction rolls back.
        }
        let new = NewLogin {
            practice,
            email: email.as_str(),
            password_hash: Some(password_hash),
            display_name,
            patient: None,
            now,
        };
        let login = insert_login(&mut tx, &new).await?;
        insert_staff(&mut tx, practice, login, role, now).await?;
        tx.commit().await?;
        Ok(login)
    }

    /// The practice's staff, by name.
    pub async fn staff_of_practice(&self, practice: PracticeId) -> StoreResult<Vec<StaffRow>> {
        let sql = format!("SELECT {STAFF_COLUMNS} WHERE s.practice_id = $1 ORDER BY l.display_name, l.id");
        query_as(sql).bind(practice.0).fetch_all(&mut self.reader().await?).await
    }

    /// One member of the practice's staff.
    pub async fn staff_member(&self, practice: PracticeId, login: LoginId) -> StoreResult<Option<StaffRow>> {
        let sql = format!("SELECT {STAFF_COLUMNS} WHERE s.practice_id = $1 AND s.login_id = $2");
        query_as(sql).bind(practice.0).bind(login.0).fetch_optional(&mut self.reader().await?).await
    }

    /// Adds a member of staff with no password yet and a set-up link, and
    /// queues the email that carries the link, all or nothing. An email that
    /// already has a login gives a conflict on `login.email`.
    #[tracing::instrument(skip_all, fields(practice = staff.practice.0))]
    pub async fn invite_staff(
        &self,
        staff: &NewStaff<'_>,
        mail: &NewMail,
        audit: &NewAudit,
        now: DateTime<Utc>,
    ) -> StoreResult<LoginId> {
        let mut tx = self.begin().await?;
        if login_with_email(&mut tx, staff.email.as_str()).await?.is_some() {
            return Err(crate::StoreError::Conflict { constraint: "login.email".into() });
        }
        let new = NewLogin {
            practice: staff.practice,
            email: staff.email.as_str(),
            password_hash: None,
            display_name: staff.display_name,
            patient: None,
            now,
        };
        let login = insert_login(&mut tx, &new).await?;
        insert_staff(&mut tx, staff.practice, login, staff.role, now).await?;
        insert_token(&mut tx, staff.practice, login, TokenPurpose::Setup, staff.token, now).await?;
        enqueue_mail(&mut tx, mail, now).await?;
        append_audit(&mut tx, &audit.clone().on("login", login.0)).await?;
        tx.commit().await?;
        Ok(login)
    }

    /// Changes a member of staff, records it, and ends their sessions when
    /// they are disabled or their two-factor is reset. A practice always keeps
    /// at least one active practice admin: a change that would leave none is
    /// refused with [`crate::StoreError::Rule`].
    #[tracing::instrument(skip_all, fields(practice = practice.0, login = login.0))]
    pub async fn change_staff(
        &self,
        practice: PracticeId,
        login: LoginId,
        change: StaffChange,
        audit: &NewAudit,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        // One change to a practice's staff at a time, so two admins
        // demoting each other at once cannot leave none.
        tx.lock(format!("staff:{}", practice.0)).await?;
        let current: Option<(String, bool)> = query_as(
            "SELECT s.role, (l.disabled_at IS NOT NULL) FROM staff_member s \
             JOIN login l ON l.id = s.login_id AND l.practice_id = s.practice_id \
             WHERE s.practice_id = $1 AND s.login_id = $2",
        )
        .bind(practice.0)
        .bind(login.0)
        .fetch_optional(&mut tx)
        .await?;
        let (role, disabled) = current.ok_or(crate::StoreError::NotFound)?;
        let role = StaffRole::parse(&role).unwrap_or(StaffRole::Receptionist);
        let other_admins: i64 = query_scalar(
            "SELECT COUNT(*) FROM staff_member s JOIN login l ON l.id = s.login_id \
             WHERE s.practice_id = $1 AND s.login_id <> $2 AND s.role = 'practice_admin' AND l.disabled_at IS NULL",
        )
        .bind(practice.0)
        .bind(login.0)
        .fetch_one(&mut tx)
        .await?;
        change.keeps_an_admin(role, disabled, other_admins as u64).map_err(crate::StoreError::Rule)?;
        let ends_sessions = match change {
            StaffChange::Role(new) => {
                query("UPDATE staff_member SET role = $1 WHERE practice_id = $2 AND login_id = $3")
                    .bind(new.as_str())
                    .bind(practice.0)
                    .bind(login.0)
                    .execute(&mut tx)
                    .await?;
                // A session carries its role from the database, so it
                // changes at the next request; nothing to end.
                false
            }
            StaffChange::Disable => {
                query("UPDATE login SET disabled_at = $1 WHERE id = $2 AND practice_id = $3 AND disabled_at IS NULL")
                    .bind(Timestamp(now))
                    .bind(login.0)
                    .bind(practice.0)
                    .execute(&mut tx)
                    .await?;
                true
            }
            StaffChange::Enable => {
                query("UPDATE login SET disabled_at = NULL WHERE id = $1 AND practice_id = $2")
                    .bind(login.0)
                    .bind(practice.0)
                    .execute(&mut tx)
                    .await?;
                false
            }
            StaffChange::ResetTwoFactor => {
                query("UPDATE login SET totp_secret = NULL, totp_last_step = NULL WHERE id = $1 AND practice_id = $2")
                    .bind(login.0)
                    .bind(practice.0)
                    .execute(&mut tx)
                    .await?;
                query("DELETE FROM recovery_code WHERE login_id = $1").bind(login.0).execute(&mut tx).await?;
                true
            }
        };
        if ends_sessions {
            end_sign_ins(&mut tx, login).await?;
        }
        append_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A login as sign-in needs it. Holds the password hash: stays on the server.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginRow {
    pub id: i64,
    pub practice_id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub disabled: bool,
    pub patient_id: Option<i64>,
    pub staff_role: Option<String>,
    /// Whether an authenticator app is enrolled.
    pub two_factor: bool,
}

const LOGIN_COLUMNS: &str = "l.id, l.practice_id, l.email, l.display_name, l.password_hash, \
    (l.disabled_at IS NOT NULL) AS disabled, l.patient_id, m.role AS staff_role, \
    (l.totp_secret IS NOT NULL) AS two_factor \
    FROM login l LEFT JOIN staff_member m ON m.login_id = l.id AND m.practice_id = l.practice_id";

impl Store {
    /// The login with this email, in any case.
    pub async fn login_by_email(&self, email: &str) -> StoreResult<Option<LoginRow>> {
        let sql = format!("SELECT {LOGIN_COLUMNS} WHERE lower(l.email) = lower($1)");
        query_as(sql).bind(email).fetch_optional(&mut self.reader().await?).await
    }

    pub async fn login(&self, id: LoginId) -> StoreResult<Option<LoginRow>> {
        let sql = format!("SELECT {LOGIN_COLUMNS} WHERE l.id = $1");
        query_as(sql).bind(id.0).fetch_optional(&mut self.reader().await?).await
    }

    /// Sets a new password, ends every other session of the login (the one
    /// named by `keep_session` stays), records it and tells the owner by email,
    /// all in one transaction.
    #[tracing::instrument(skip_all, fields(login = login.0))]
    pub async fn change_password(
        &self,
        login: LoginId,
        password_hash: &str,
        keep_session: Option<&str>,
        audit: &NewAudit,
        mail: &NewMail,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query("UPDATE login SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(login.0)
            .execute(&mut tx)
            .await?;
        query("DELETE FROM session WHERE login_id = $1 AND token_hash <> $2")
            .bind(login.0)
            .bind(keep_session.unwrap_or(""))
            .execute(&mut tx)
            .await?;
        // A sign-in half done with the old password goes too.
        query("DELETE FROM pending_sign_in WHERE login_id = $1").bind(login.0).execute(&mut tx).await?;
        append_audit(&mut tx, audit).await?;
        enqueue_mail(&mut tx, mail, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives the patient with this NHS number a login with a password, unless
    /// the email has one already. For the demo.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn ensure_patient_login(
        &self,
        practice: PracticeId,
        identifier: &str,
        email: &Email,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<LoginId> {
        let mut tx = self.begin().await?;
        if let Some(existing) = login_with_email(&mut tx, email.as_str()).await? {
            return Ok(existing); // Nothing written: the transaction rolls back.
        }
        let (patient_id, name): (i64, String) = query_as(
            "SELECT id, given_name || ' ' || family_name FROM patient WHERE practice_id = $1 AND identifier = $2",
        )
        .bind(practice.0)
        .bind(identifier)
        .fetch_one(&mut tx)
        .await?;
        let new = NewLogin {
            practice,
            email: email.as_str(),
            password_hash: Some(password_hash),
            display_name: &name,
            patient: Some(patient_id),
            now,
        };
        let login = insert_login(&mut tx, &new).await?;
        tx.commit().await?;
        Ok(login)
    }
}
