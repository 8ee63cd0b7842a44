//! Command-line tasks for operators.

use crate::config::Config;
use crate::ServerError;
use app::server::secrets;
use app::server::{Clock, SystemClock};
use chrono::{DateTime, TimeDelta, Utc};
use domain::{Email, OdsCode, PracticeName};
use storage::logins::NewToken;
use storage::practices::NewPractice;
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

/// Creates the practice and returns the admin's set-up link.
pub async fn create_practice_in(
    store: &Store,
    public_url: &str,
    ods_code: OdsCode,
    name: PracticeName,
    admin_email: &Email,
    admin_name: &str,
    now: DateTime<Utc>,
) -> Result<String, ServerError> {
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
