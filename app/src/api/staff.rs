//! Staff management, for practice admins: invite, change role, disable and
//! re-enable, reset two-factor. Every change is audited.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A member of staff as the staff pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub login_id: i64,
    pub name: String,
    pub email: String,
    /// The stored role, such as `receptionist`.
    pub role: String,
    pub role_label: String,
    /// "Active", "Disabled" or "Invited" (no password yet).
    pub status: String,
    pub two_factor: bool,
    pub is_you: bool,
}

#[cfg(feature = "ssr")]
fn member(row: storage::logins::StaffRow, ctx: &crate::server::Ctx) -> StaffMember {
    use domain::StaffRole;
    StaffMember {
        login_id: row.login_id,
        status: if row.disabled {
            "Disabled"
        } else if row.has_password {
            "Active"
        } else {
            "Invited"
        }
        .into(),
        role_label: StaffRole::parse(&row.role).map(StaffRole::label).unwrap_or("Unknown").to_owned(),
        role: row.role,
        name: row.display_name,
        email: row.email,
        two_factor: row.two_factor,
        is_you: ctx.actor.login() == Some(domain::LoginId(row.login_id)),
    }
}

/// Practice admins: the practice's staff.
#[server(endpoint = "admin/staff")]
pub async fn list_staff() -> Result<Vec<StaffMember>, AppError> {
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageStaff)?;
    Ok(state.store.staff_of_practice(practice).await?.into_iter().map(|row| member(row, &ctx)).collect())
}

/// Practice admins: one member of their practice's staff.
#[server(endpoint = "admin/staff/member")]
pub async fn load_staff_member(login_id: i64) -> Result<StaffMember, AppError> {
    use domain::policy::{Action, Object};
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::ManageStaff)?;
    ctx.authorize(Action::ManageStaff, Object::Login { login: domain::LoginId(login_id), practice })?;
    let row = state.store.staff_member(practice, domain::LoginId(login_id)).await?.ok_or(AppError::NotFound)?;
    Ok(member(row, &ctx))
}

/// The checks an invitation passes, in the browser and on the server.
pub fn check_invitation(name: &str, email: &str, role: &str) -> Result<(), AppError> {
    let mut problems = crate::error::Problems::new();
    if name.trim().is_empty() {
        problems.add("name", "Enter their full name");
    } else if name.trim().chars().count() > 100 {
        problems.add("name", "Name must be 100 characters or fewer");
    }
    if email.trim().is_empty() {
        problems.add("email", "Enter their work email address");
    } else {
        problems.check("email", domain::Email::parse(email));
    }
    if domain::StaffRole::parse(role).is_none() {
        problems.add("role", "Select their role");
    }
    problems.finish()
}

/// How long an invited member of staff's set-up link works.
#[cfg(feature = "ssr")]
pub const INVITATION_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::days(7);

/// A new member of staff, their set-up token and the email that invites
/// them; the same from the staff page and from `server invite-staff`.
#[cfg(feature = "ssr")]
pub struct Invitation {
    pub token: String,
    pub token_hash: String,
    pub mail: storage::outbox::NewMail,
}

/// The invitation to `email`, with a new set-up link under `public_url`.
#[cfg(feature = "ssr")]
pub fn invitation(
    public_url: &str,
    practice: domain::PracticeId,
    practice_name: &str,
    email: &domain::Email,
    name: &str,
    role: domain::StaffRole,
) -> Invitation {
    let (token, token_hash) = crate::server::secrets::new_token();
    let link = format!("{public_url}/setup/{token}");
    let text = domain::mail::StaffInvitation { name, practice: practice_name, role, link: &link }.render();
    let mail = storage::outbox::NewMail::new(practice, email.as_str(), text);
    Invitation { token, token_hash, mail }
}

/// Practice admins: invites a member of staff by email. They get a set-up
/// link, valid for 7 days, to choose their password; at their first sign-in
/// they set up their authenticator app.
#[server(endpoint = "admin/staff/invite")]
pub async fn invite_staff(name: String, email: String, role: String) -> Result<(), AppError> {
    use domain::policy::Action;
    check_invitation(&name, &email, &role)?;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::ManageStaff)?;
    let practice_name = ctx.practice()?.name.to_string();
    let email = domain::Email::parse(&email).map_err(|e| AppError::invalid("email", e.message))?;
    let role = domain::StaffRole::parse(&role).ok_or_else(|| AppError::invalid("role", "Select their role"))?;
    let name = name.trim();
    let invited = invitation(&state.config.public_url, practice, &practice_name, &email, name, role);
    let staff = storage::logins::NewStaff {
        practice,
        email: &email,
        display_name: name,
        role,
        token: &storage::tokens::NewToken { token_hash: invited.token_hash, expires_at: ctx.now + INVITATION_LIFETIME },
    };
    let audit = ctx.audit("staff_invited").detail(format!("{} as {}", email.as_str(), role.as_str()));
    match state.store.invite_staff(&staff, &invited.mail, &audit, ctx.now).await {
        Ok(login) => {
            leptos_axum::redirect(&format!("/admin/staff/{login}"));
            Ok(())
        }
        Err(e) if e.is_conflict_on("login", "email") => {
            Err(AppError::invalid("email", "This email address already has an account. Use a different one"))
        }
        Err(e) => Err(e.into()),
    }
}

/// Practice admins: changes a member of staff. `change` is `role` (with
/// `role`), `disable`, `enable` or `reset_two_factor`. Admins cannot change
/// their own account here, and a practice always keeps an active admin.
#[server(endpoint = "admin/staff/change")]
pub async fn change_staff(login_id: i64, change: String, #[server(default)] role: String) -> Result<(), AppError> {
    use domain::policy::{Action, Object};
    use domain::{LoginId, StaffRole};
    use storage::logins::StaffChange;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(Action::ManageStaff)?;
    let login = LoginId(login_id);
    ctx.authorize(Action::ManageStaff, Object::Login { login, practice })?;
    let before = state.store.staff_member(practice, login).await?.ok_or(AppError::NotFound)?;
    if ctx.actor.login() == Some(login) {
        return Err(AppError::Conflict("You cannot change your own account here. Ask another practice admin".into()));
    }
    let (staff_change, action, detail) = match change.as_str() {
        "role" => {
            let new = StaffRole::parse(&role).ok_or_else(|| AppError::invalid("role", "Select a role"))?;
            (StaffChange::Role(new), "staff_role_changed", format!("role {} -> {}", before.role, new.as_str()))
        }
        "disable" => (StaffChange::Disable, "staff_disabled", "active -> disabled".into()),
        "enable" => (StaffChange::Enable, "staff_enabled", "disabled -> active".into()),
        "reset_two_factor" => (
            StaffChange::ResetTwoFactor,
            "staff_two_factor_reset",
            "authenticator app and recovery codes removed".into(),
        ),
        _ => return Err(AppError::invalid("change", "Choose a change to make")),
    };
    let audit = ctx.audit(action).on("login", login_id).detail(detail);
    state.store.change_staff(practice, login, staff_change, &audit, ctx.now).await?;
    leptos_axum::redirect(&format!("/admin/staff/{login_id}?saved={}", change.as_str()));
    Ok(())
}
