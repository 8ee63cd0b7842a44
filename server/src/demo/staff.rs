use crate::ServerError;
use app::server::keys::DataKeys;
use app::server::secrets::hash_password;
use chrono::{DateTime, Utc};
use domain::{Email, LoginId, PracticeId, StaffRole};
use storage::Store;

/// A demo sign-in, as listed in README.
pub struct DemoLogin {
    /// The staff role (ignored for the demo patient).
    pub role: StaffRole,
    pub name: &'static str,
    pub email: &'static str,
    pub password: &'static str,
}

pub const DEMO_STAFF: [DemoLogin; 3] = [
    DemoLogin {
        role: StaffRole::Receptionist,
        name: "Rita Reception",
        email: "reception@riverside.example",
        password: "demo-reception-1",
    },
    DemoLogin {
        role: StaffRole::Clinician,
        name: "Dr Cara Clinician",
        email: "clinician@riverside.example",
        password: "demo-clinician-1",
    },
    DemoLogin {
        role: StaffRole::PracticeAdmin,
        name: "Adam Admin",
        email: "admin@riverside.example",
        password: "demo-admin-pass-1",
    },
];

/// The demo staff's authenticator secret (README), so anyone trying the demo
/// can add it to an app by hand. Real staff enrol their own at first sign-in.
pub const DEMO_TOTP_SECRET: &str = "GPONLINEDEMOSTAFFTOTPKEY";

/// Adds the demo staff, their authenticator secret encrypted with `keys`;
/// returns the practice admin's login.
pub async fn ensure(
    store: &Store,
    keys: &DataKeys,
    practice: PracticeId,
    now: DateTime<Utc>,
) -> Result<LoginId, ServerError> {
    let mut admin = None;
    for login in &DEMO_STAFF {
        let email = Email::parse(login.email).map_err(|e| ServerError::Refused(e.to_string()))?;
        let hash = hash_password(login.password.to_owned()).await.map_err(|e| ServerError::Refused(e.to_string()))?;
        let id = store.ensure_staff(practice, &email, login.name, login.role, &hash, now).await?;
        store.set_totp_secret(id, &keys.encrypt(DEMO_TOTP_SECRET)).await?;
        if login.role == StaffRole::PracticeAdmin {
            admin = Some(id);
        }
    }
    admin.ok_or_else(|| ServerError::Refused("the demo has a practice admin".into()))
}
