//! Command-line tasks for operators.

use crate::config::Config;
use crate::ServerError;
use app::server::keys::DataKeys;
use app::server::secrets;
use app::server::{Clock, SystemClock};
use chrono::{DateTime, TimeDelta, Utc};
use domain::{Email, OdsCode, PracticeName};
use storage::practices::NewPractice;
use storage::tokens::NewToken;
use storage::Store;

/// How long a new practice admin's set-up link works.
pub const SETUP_LINK_VALID_FOR: TimeDelta = TimeDelta::days(7);

/// `server create-practice`: a practice, its first practice admin and a
/// one-time set-up link for them, printed for the operator to pass on.
pub async fn create_practice(
    config: &Config,
    ods_code: &str,
    name: &str,
    admin_email: &str,
    admin_name: &str,
) -> Result<(), ServerError> {
    let refuse = |what: &str, e: domain::Invalid| ServerError::Refused(format!("{what}: {e}"));
    let ods_code = OdsCode::parse(ods_code).map_err(|e| refuse("--ods-code", e))?;
    let name = PracticeName::parse(name).map_err(|e| refuse("--name", e))?;
    let admin_email = Email::parse(admin_email).map_err(|e| refuse("--admin-email", e))?;
    let admin_name = admin_name.trim();
    if admin_name.is_empty() {
        return Err(ServerError::Refused("--admin-name: enter the admin's name".into()));
    }
    let store = Store::open(&config.database_url).await?;
    let now = SystemClock.now();
    let public_url = config.public_url_for(config.site_addr);
    let link = create_practice_in(&store, &public_url, ods_code, name, &admin_email, admin_name, now).await;
    store.close().await;
    let link = link?;
    println!("Practice created. Send this one-time set-up link to {admin_email} (valid for 7 days):\n{link}");
    Ok(())
}

/// Creates the practice and returns the admin's set-up link. Refuses a
/// database that holds the demo practice, so real patients never sit beside
/// demo logins whose passwords are published.
pub async fn create_practice_in(
    store: &Store,
    public_url: &str,
    ods_code: OdsCode,
    name: PracticeName,
    admin_email: &Email,
    admin_name: &str,
    now: DateTime<Utc>,
) -> Result<String, ServerError> {
    let demo = store.count_practices(true).await?;
    if demo > 0 {
        return Err(ServerError::Refused(
            "this database holds the demo practice, whose sign-ins are published; \
             create real practices in a database of their own"
                .into(),
        ));
    }
    let (token, token_hash) = secrets::new_token();
    let practice = NewPractice {
        ods_code: ods_code.clone(),
        name,
        address: String::new(),
        phone: String::new(),
        website: None,
        online_services_enabled: false,
        is_demo: false,
    };
    let created = store
        .create_practice_with_admin(
            &practice,
            admin_email,
            admin_name,
            &NewToken { token_hash, expires_at: now + SETUP_LINK_VALID_FOR },
            now,
        )
        .await;
    match created {
        Ok(_) => Ok(format!("{public_url}/setup/{token}")),
        Err(e) if e.is_conflict_on("practice", "ods_code") => {
            Err(ServerError::Refused(format!("a practice with ODS code {ods_code} exists already")))
        }
        Err(e) if e.is_conflict_on("login", "email") => {
            Err(ServerError::Refused(format!("{admin_email} already has a login")))
        }
        Err(e) => Err(e.into()),
    }
}

/// `server invite-staff`: a member of staff for a practice, as a practice
/// admin invites them from `/admin/staff/invite`, with their one-time set-up
/// link printed for the operator to pass on (also emailed, once a mail server
/// is set: without one, the outbox hides the link).
pub async fn invite_staff(
    config: &Config,
    ods_code: &str,
    email: &str,
    name: &str,
    role: &str,
) -> Result<(), ServerError> {
    let refuse = |what: &str, e: domain::Invalid| ServerError::Refused(format!("{what}: {e}"));
    let ods_code = OdsCode::parse(ods_code).map_err(|e| refuse("--ods-code", e))?;
    let email = Email::parse(email).map_err(|e| refuse("--email", e))?;
    let role = domain::StaffRole::parse(role).ok_or_else(|| {
        ServerError::Refused(format!("--role: {role:?} is not a role; use practice_admin, receptionist or clinician"))
    })?;
    let name = name.trim();
    if name.is_empty() {
        return Err(ServerError::Refused("--name: enter their name".into()));
    }
    let store = Store::open(&config.database_url).await?;
    let link = invite_staff_in(&store, &config.public_url_for(config.site_addr), &ods_code, &email, name, role).await;
    store.close().await;
    let link = link?;
    println!("{email} is invited. Send them this one-time set-up link (valid for 7 days):\n{link}");
    Ok(())
}

/// Invites the member of staff and returns their set-up link.
pub async fn invite_staff_in(
    store: &Store,
    public_url: &str,
    ods_code: &OdsCode,
    email: &Email,
    name: &str,
    role: domain::StaffRole,
) -> Result<String, ServerError> {
    use app::api::staff::{invitation, INVITATION_LIFETIME};
    let practice = store
        .practice_by_ods(ods_code)
        .await?
        .ok_or_else(|| ServerError::Refused(format!("--ods-code: no practice {ods_code} here")))?;
    let now = SystemClock.now();
    let practice_id = domain::PracticeId(practice.id);
    let invited = invitation(public_url, practice_id, &practice.name, email, name, role);
    let staff = storage::logins::NewStaff {
        practice: practice_id,
        email,
        display_name: name,
        role,
        token: &NewToken { token_hash: invited.token_hash, expires_at: now + INVITATION_LIFETIME },
    };
    let audit = storage::audit::NewAudit::by_the_system(
        practice_id,
        "staff_invited",
        format!("{} as {}, by server invite-staff", email.as_str(), role.as_str()),
        now,
    );
    match store.invite_staff(&staff, &invited.mail, &audit, now).await {
        Ok(_) => Ok(format!("{public_url}/setup/{}", invited.token)),
        Err(e) if e.is_conflict_on("login", "email") => {
            Err(ServerError::Refused(format!("{email} already has a login")))
        }
        Err(e) => Err(e.into()),
    }
}

/// What re-keying found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rekeyed {
    /// Authenticator secrets written again under the current key.
    pub secrets: u64,
    /// Unused recovery codes still hashed with an older key: they keep working
    /// while that key stays in `DATA_KEYS_OLD`, until new codes replace them.
    pub recovery_codes_on_old_keys: usize,
}

/// Writes every authenticator secret not yet under the current key (plain
/// text from before encryption, or an older key's) again under it.
pub async fn rekey_secrets(store: &Store, keys: &DataKeys) -> Result<Rekeyed, ServerError> {
    let mut replacements = Vec::new();
    for (place, stored) in store.stored_totp_secrets().await? {
        if keys.needs_rekey(&stored) {
            let plain = keys.decrypt(&stored).map_err(|e| ServerError::Refused(format!("{e} ({place:?})")))?;
            replacements.push((place, stored, keys.encrypt(&plain)));
        }
    }
    let secrets = if replacements.is_empty() { 0 } else { store.replace_totp_secrets(&replacements).await? };
    let recovery_codes_on_old_keys =
        store.unused_recovery_code_hashes().await?.iter().filter(|h| keys.recovery_hash_is_old(h)).count();
    Ok(Rekeyed { secrets, recovery_codes_on_old_keys })
}

/// `server rotate-keys`: after a new `DATA_KEY` (the old one moved to
/// `DATA_KEYS_OLD`), writes every authenticator secret again under the new
/// key and says how many recovery codes still need an old key.
pub async fn rotate_keys(config: &Config) -> Result<(), ServerError> {
    let keys = config.data_keys.load().map_err(|e| ServerError::Refused(e.to_string()))?;
    let store = Store::open(&config.database_url).await?;
    let done = rekey_secrets(&store, &keys).await;
    store.close().await;
    let done = done?;
    println!("{} authenticator secret(s) now under key {}.", done.secrets, keys.current_id());
    if done.recovery_codes_on_old_keys > 0 {
        println!(
            "{} unused recovery code(s) were made under an older key: keep it in DATA_KEYS_OLD until staff \
             have new codes (a practice admin resets their two-factor, or they enrol again).",
            done.recovery_codes_on_old_keys
        );
    } else {
        println!("No recovery codes need an older key: DATA_KEYS_OLD can be emptied.");
    }
    Ok(())
}
