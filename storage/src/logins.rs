//! Logins and staff membership.

use crate::practices::{NewPractice, INSERT_PRACTICE};
use crate::tokens::{insert_token, TokenPurpose};
use crate::{read, write, Store, StoreResult, Timestamp};
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

/// A change a practice admin makes to a member of staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffChange {
    Role(StaffRole),
    Disable,
    Enable,
    /// Forget their authenticator app and recovery codes: they enrol again at
    /// their next sign-in.
    ResetTwoFactor,
}

/// A single-use link to set a password, as handed to the person it is for.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// SHA-256 of the token, hex: the token itself is never stored.
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
}

/// The id of the login with this email, in any case, inside a transaction.
macro_rules! login_with_email {
    ($c:expr, $email:expr) => {
        sqlx::query_scalar::<_, i64>("SELECT id FROM login WHERE lower(email) = lower($1)")
            .bind($email)
            .fetch_optional(&mut *$c)
    };
}

/// Inserts a login inside a transaction; resolves to its id.
macro_rules! insert_login {
    ($c:expr, practice: $practice:expr, email: $email:expr, password_hash: $hash:expr, name: $name:expr, patient: $patient:expr, at: $now:expr) => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO login (practice_id, email, password_hash, display_name, created_at, patient_id) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind($practice)
        .bind($email)
        .bind($hash)
        .bind($name)
        .bind(Timestamp($now))
        .bind($patient)
        .fetch_one(&mut *$c)
    };
}
pub(crate) use insert_login;
pub(crate) use login_with_email;

const INSERT_STAFF: &str = "INSERT INTO staff_member (practice_id, login_id, role, created_at) VALUES ($1, $2, $3, $4)";

impl Store {
    /// Creates a practice, its first practice admin (with no password yet) and a
    /// set-up link for that admin, all or nothing.
    pub async fn create_practice_with_admin(
        &self,
        practice: &NewPractice,
        admin_email: &Email,
        admin_name: &str,
        token: &NewToken,
        now: DateTime<Utc>,
    ) -> StoreResult<(PracticeId, LoginId)> {
        let (practice_id, login_id): (i64, i64) = write!(self, |c| {
            let practice_id: i64 = sqlx::query_scalar(INSERT_PRACTICE)
                .bind(practice.ods_code.as_str())
                .bind(practice.name.as_str())
                .bind(&practice.address)
                .bind(&practice.phone)
                .bind(&practice.website)
                .bind(practice.online_services_enabled)
                .bind(practice.is_demo)
                .bind(Timestamp(now))
                .fetch_one(&mut *c)
                .await?;
            let login_id =
                insert_login!(c, practice: practice_id, email: admin_email.as_str(), password_hash: None::<&str>,
                name: admin_name, patient: None::<i64>, at: now)
                .await?;
            sqlx::query(INSERT_STAFF)
                .bind(practice_id)
                .bind(login_id)
                .bind(StaffRole::PracticeAdmin.as_str())
                .bind(Timestamp(now))
                .execute(&mut *c)
                .await?;
            insert_token!(c, PracticeId(practice_id), LoginId(login_id), TokenPurpose::Setup, token, now).await?;
            Ok((practice_id, login_id))
        })?;
        Ok((PracticeId(practice_id), LoginId(login_id)))
    }

    /// Adds a member of staff with a password unless a login with that email
    /// exists already. Returns the login either way.
    pub async fn ensure_staff(
        &self,
        practice: PracticeId,
        email: &Email,
        display_name: &str,
        role: StaffRole,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<LoginId> {
        let id: i64 = write!(self, |c| {
            if let Some(id) = login_with_email!(c, email.as_str()).await? {
                return Ok(id);
            }
            let login_id =
                insert_login!(c, practice: practice.0, email: email.as_str(), password_hash: Some(password_hash),
                name: display_name, patient: None::<i64>, at: now)
                .await?;
            sqlx::query(INSERT_STAFF)
                .bind(practice.0)
                .bind(login_id)
                .bind(role.as_str())
                .bind(Timestamp(now))
                .execute(&mut *c)
                .await?;
            Ok(login_id)
        })?;
        Ok(LoginId(id))
    }

    /// The practice's staff, by name.
    pub async fn staff_of_practice(&self, practice: PracticeId) -> StoreResult<Vec<StaffRow>> {
        let sql = format!("SELECT {STAFF_COLUMNS} WHERE s.practice_id = $1 ORDER BY l.display_name, l.id");
        read!(self, |c| Ok(sqlx::query_as(&sql).bind(practice.0).fetch_all(&mut *c).await?))
    }

    /// One member of the practice's staff.
    pub async fn staff_member(&self, practice: PracticeId, login: LoginId) -> StoreResult<Option<StaffRow>> {
        let sql = format!("SELECT {STAFF_COLUMNS} WHERE s.practice_id = $1 AND s.login_id = $2");
        read!(self, |c| Ok(sqlx::query_as(&sql).bind(practice.0).bind(login.0).fetch_optional(&mut *c).await?))
    }

    /// Adds a member of staff with no password yet and a set-up link, and
    /// queues the email that carries the link, all or nothing. An email that
    /// already has a login gives a conflict on `login.email`.
    pub async fn invite_staff(
        &self,
        staff: &NewStaff<'_>,
        mail: &crate::outbox::NewMail,
        audit: &crate::audit::NewAudit,
        now: DateTime<Utc>,
    ) -> StoreResult<LoginId> {
        let id: i64 = write!(self, |c| {
            if login_with_email!(c, staff.email.as_str()).await?.is_some() {
                return Err(crate::StoreError::Conflict { constraint: "login.email".into() });
            }
            let login_id = insert_login!(c, practice: staff.practice.0, email: staff.email.as_str(),
                password_hash: None::<&str>, name: staff.display_name, patient: None::<i64>, at: now)
            .await?;
            sqlx::query(INSERT_STAFF)
                .bind(staff.practice.0)
                .bind(login_id)
                .bind(staff.role.as_str())
                .bind(Timestamp(now))
                .execute(&mut *c)
                .await?;
            insert_token!(c, staff.practice, LoginId(login_id), TokenPurpose::Setup, staff.token, now).await?;
            crate::outbox::enqueue_mail!(c, mail, now)?;
            crate::audit::append_audit!(c, &audit.clone().on("login", login_id))?;
            Ok(login_id)
        })?;
        Ok(LoginId(id))
    }

    /// Changes a member of staff, records it, and ends their sessions when
    /// they are disabled or their two-factor is reset. A practice always keeps
    /// at least one active practice admin: a change that would leave none is
    /// refused with [`crate::StoreError::Rule`].
    pub async fn change_staff(
        &self,
        practice: PracticeId,
        login: LoginId,
        change: StaffChange,
        audit: &crate::audit::NewAudit,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        write!(self, |c| {
            // One change to a practice's staff at a time, so two admins
            // demoting each other at once cannot leave none.
            sqlx::query(crate::engine::lock_key_sql(&*c))
                .bind(format!("staff:{}", practice.0))
                .execute(&mut *c)
                .await?;
            let current: Option<(String, bool)> = sqlx::query_as(
                "SELECT s.role, (l.disabled_at IS NOT NULL) FROM staff_member s \
                 JOIN login l ON l.id = s.login_id AND l.practice_id = s.practice_id \
                 WHERE s.practice_id = $1 AND s.login_id = $2",
            )
            .bind(practice.0)
            .bind(login.0)
            .fetch_optional(&mut *c)
            .await?;
            let (role, disabled) = current.ok_or(crate::StoreError::NotFound)?;
            let is_active_admin = role == StaffRole::PracticeAdmin.as_str() && !disabled;
            let stops_being_admin = matches!(change, StaffChange::Disable)
                || matches!(change, StaffChange::Role(new) if new != StaffRole::PracticeAdmin);
            if is_active_admin && stops_being_admin {
                let other_admins: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM staff_member s JOIN login l ON l.id = s.login_id \
                     WHERE s.practice_id = $1 AND s.login_id <> $2 AND s.role = 'practice_admin' AND l.disabled_at IS NULL",
                )
                .bind(practice.0)
                .bind(login.0)
                .fetch_one(&mut *c)
                .await?;
                if other_admins == 0 {
                    return Err(crate::StoreError::Rule("A practice needs at least one active practice admin"));
                }
            }
            let ends_sessions = match change {
                StaffChange::Role(new) => {
                    sqlx::query("UPDATE staff_member SET role = $1 WHERE practice_id = $2 AND login_id = $3")
                        .bind(new.as_str())
                        .bind(practice.0)
                        .bind(login.0)
                        .execute(&mut *c)
                        .await?;
                    // A session carries its role from the database, so it
                    // changes at the next request; nothing to end.
                    false
                }
                StaffChange::Disable => {
                    sqlx::query(
                        "UPDATE login SET disabled_at = $1 WHERE id = $2 AND practice_id = $3 AND disabled_at IS NULL",
                    )
                    .bind(Timestamp(now))
                    .bind(login.0)
                    .bind(practice.0)
                    .execute(&mut *c)
                    .await?;
                    true
                }
                StaffChange::Enable => {
                    sqlx::query("UPDATE login SET disabled_at = NULL WHERE id = $1 AND practice_id = $2")
                        .bind(login.0)
                        .bind(practice.0)
                        .execute(&mut *c)
                        .await?;
                    false
                }
                StaffChange::ResetTwoFactor => {
                    sqlx::query(
                        "UPDATE login SET totp_secret = NULL, totp_last_step = NULL WHERE id = $1 AND practice_id = $2",
                    )
                    .bind(login.0)
                    .bind(practice.0)
                    .execute(&mut *c)
                    .await?;
                    sqlx::query("DELETE FROM recovery_code WHERE login_id = $1").bind(login.0).execute(&mut *c).await?;
                    true
                }
            };
            if ends_sessions {
                crate::sessions::end_sign_ins!(c, login.0);
            }
            crate::audit::append_audit!(c, audit)?;
            Ok(())
        })
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
        read!(self, |c| Ok(sqlx::query_as(&sql).bind(email).fetch_optional(&mut *c).await?))
    }

    pub async fn login(&self, id: LoginId) -> StoreResult<Option<LoginRow>> {
        let sql = format!("SELECT {LOGIN_COLUMNS} WHERE l.id = $1");
        read!(self, |c| Ok(sqlx::query_as(&sql).bind(id.0).fetch_optional(&mut *c).await?))
    }

    /// Sets a new password, ends every other session of the login (the one
    /// named by `keep_session` stays), records it and tells the owner by email,
    /// all in one transaction.
    pub async fn change_password(
        &self,
        login: LoginId,
        password_hash: &str,
        keep_session: Option<&str>,
        audit: &crate::audit::NewAudit,
        mail: &crate::outbox::NewMail,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        write!(self, |c| {
            sqlx::query("UPDATE login SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(login.0)
                .execute(&mut *c)
                .await?;
            sqlx::query("DELETE FROM session WHERE login_id = $1 AND token_hash <> $2")
                .bind(login.0)
                .bind(keep_session.unwrap_or(""))
                .execute(&mut *c)
                .await?;
            // A sign-in half done with the old password goes too.
            sqlx::query("DELETE FROM pending_sign_in WHERE login_id = $1").bind(login.0).execute(&mut *c).await?;
            crate::audit::append_audit!(c, audit)?;
            crate::outbox::enqueue_mail!(c, mail, now)?;
            Ok(())
        })
    }

    /// Gives the patient with this NHS number a login with a password, unless
    /// the email has one already. For the demo.
    pub async fn ensure_patient_login(
        &self,
        practice: PracticeId,
        identifier: &str,
        email: &Email,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<LoginId> {
        let id: i64 = write!(self, |c| {
            if let Some(id) = login_with_email!(c, email.as_str()).await? {
                return Ok(id);
            }
            let (patient_id, name): (i64, String) = sqlx::query_as(
                "SELECT id, given_name || ' ' || family_name FROM patient WHERE practice_id = $1 AND identifier = $2",
            )
            .bind(practice.0)
            .bind(identifier)
            .fetch_one(&mut *c)
            .await?;
            Ok(insert_login!(c, practice: practice.0, email: email.as_str(), password_hash: Some(password_hash),
                name: name, patient: Some(patient_id), at: now)
            .await?)
        })?;
        Ok(LoginId(id))
    }
}
