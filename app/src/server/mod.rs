//! Server-only plumbing shared by every server function and page: the app
//! state, the injectable clock, the request context, and secrets handling.

pub mod activity;
mod clock;
pub mod cookie;
mod ctx;
pub mod dashboard;
pub mod keys;
pub mod proxy;
pub mod qr;
pub mod secrets;
pub mod services;
pub mod throttle;

pub use clock::{Clock, ManualClock, SystemClock};
pub use ctx::{context, live_session, Activity, Ctx, PracticeRef, SessionRef};

use domain::OdsCode;
use std::sync::Arc;
use storage::Store;

/// Settings the app reads at start-up.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// The practice `/` belongs to in a single-practice deployment.
    pub default_practice: Option<OdsCode>,
    /// The address people reach the site at, for links in letters and emails.
    pub public_url: String,
    /// Mark cookies `Secure` (HTTPS only): true unless serving plain HTTP.
    pub secure_cookies: bool,
    /// Behind one reverse proxy: the client's address is the last entry of
    /// `X-Forwarded-For` (the one the proxy added), not the connection's.
    pub behind_proxy: bool,
    /// The staff stylesheet's address (`/pkg/staff.<hash>.css`), when the
    /// site was built with one (`make build`).
    pub staff_stylesheet: Option<String>,
}

/// Everything a request needs to reach the outside world. Cloned per request;
/// clones share the same database connections and clock.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<SiteConfig>,
    /// The keys secrets at rest are protected with.
    pub keys: Arc<keys::DataKeys>,
    /// When sessions were last used, waiting to be written in a batch.
    pub activity: Arc<activity::SessionActivity>,
}
