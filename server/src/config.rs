//! Configuration, from environment variables with working defaults. README's
//! "Configuration" table lists the same variables.

use domain::OdsCode;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/gp-online.db";

#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://path` (default) or `postgres://…`.
    pub database_url: String,
    /// `LEPTOS_SITE_ADDR`: where to listen.
    pub site_addr: SocketAddr,
    /// `DEFAULT_PRACTICE`: the ODS code `/` belongs to, for single-practice deployments.
    pub default_practice: Option<OdsCode>,
    /// `PUBLIC_URL`: the address people use to reach the site, for links in
    /// letters and emails. Defaults to `http://` + the listening address.
    pub public_url: Option<String>,
    /// `SMTP_URL`: where to send mail (`smtp://host:port`, `smtps://user:password@host`).
    /// Without it mail stays in the outbox, visible at /admin/outbox.
    pub smtp_url: Option<String>,
    /// `MAIL_FROM`: the sender of the practice's emails.
    pub mail_from: String,
    /// `BEHIND_PROXY=true`: the app sits behind one reverse proxy that appends
    /// the client's address to `X-Forwarded-For`; that address is the client's.
    pub behind_proxy: bool,
    /// The compiled site (`LEPTOS_SITE_ROOT`, default `target/site`) and its names.
    pub leptos: LeptosOptions,
    /// Build files have content-hashed names, so they may be cached for a
    /// year: true for a release build from cargo-leptos.
    pub immutable_build_files: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(String);

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut leptos =
            leptos::config::get_configuration(None).map_err(|e| ConfigError(e.to_string()))?.leptos_options;
        if leptos.output_name.is_empty() {
            leptos.output_name = "gp-online".into();
        }
        // A release build from cargo-leptos writes the hashed file names next
        // to the binary; use them unless LEPTOS_HASH_FILES says otherwise.
        if var("LEPTOS_HASH_FILES").is_none() {
            leptos.hash_files = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join(leptos.hash_file.as_ref())))
                .is_some_and(|file| file.exists());
        }
        let site_addr = leptos.site_addr;
        if let Some(url) = var("PUBLIC_URL") {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError(format!("PUBLIC_URL must start with http:// or https://, not {url:?}")));
            }
        }
        let default_practice = match var("DEFAULT_PRACTICE") {
            Some(code) => {
                Some(OdsCode::parse(&code).map_err(|e| ConfigError(format!("DEFAULT_PRACTICE {code:?}: {e}")))?)
            }
            None => None,
        };
        Ok(Self {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            site_addr,
            default_practice,
            public_url: var("PUBLIC_URL").map(|url| url.trim_end_matches('/').to_owned()),
            smtp_url: var("SMTP_URL"),
            mail_from: var("MAIL_FROM").unwrap_or_else(|| "GP Online <no-reply@localhost>".to_owned()),
            behind_proxy: match var("BEHIND_PROXY").as_deref() {
                None | Some("false") => false,
                Some("true") => true,
                Some(other) => return Err(ConfigError(format!("BEHIND_PROXY must be true or false, not {other:?}"))),
            },
            immutable_build_files: leptos.hash_files,
            leptos,
        })
    }

    /// The public address, once the listening address is known.
    pub fn public_url_for(&self, listening: SocketAddr) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{listening}"))
    }
}
