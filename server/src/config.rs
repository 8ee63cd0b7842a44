//! Configuration, from environment variables with working defaults. README's
//! "Configuration" table lists the same variables.

use domain::OdsCode;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/gp-online.db";
pub const DEFAULT_DATA_KEY_FILE: &str = "data/gp-online.key";

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
    /// `REQUEST_TIMEOUT_SECS` (30): a request not answered by then gets 503.
    pub request_timeout: std::time::Duration,
    /// `DATABASE_MAX_CONNECTIONS` (16): PostgreSQL connections this server may hold.
    pub database_max_connections: u32,
    /// `OUTBOX_KEEP_DAYS` (90): how long sent mail stays in the outbox.
    pub outbox_keep_days: u64,
    /// Where the key for secrets at rest comes from.
    pub data_keys: DataKeySource,
    /// Whether the hourly proxy job runs (`jobs::proxies`): always, except
    /// in tests, which run it themselves at the time they choose.
    pub keep_proxy_grants: bool,
}

/// Where the data key (for authenticator secrets and recovery codes at rest)
/// comes from: `DATA_KEY`, or else the file `DATA_KEY_FILE`, made with a new
/// random key on first start. `DATA_KEYS_OLD` lists earlier keys, still
/// needed to read what was written under them.
#[derive(Clone)]
pub enum DataKeySource {
    Given { current: String, older: Vec<String> },
    File { path: std::path::PathBuf, older: Vec<String> },
}

impl std::fmt::Debug for DataKeySource {
    /// Never the keys themselves.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Given { older, .. } => write!(f, "DATA_KEY (and {} older)", older.len()),
            Self::File { path, older } => write!(f, "DATA_KEY_FILE {} (and {} older)", path.display(), older.len()),
        }
    }
}

impl DataKeySource {
    /// The keys, reading (or on first start making) the key file.
    pub fn load(&self) -> Result<app::server::keys::DataKeys, ConfigError> {
        use app::server::keys::DataKeys;
        let (current, older) = match self {
            Self::Given { current, older } => (current.clone(), older),
            Self::File { path, older } => (read_or_make_key_file(path)?, older),
        };
        let older: Vec<&str> = older.iter().map(String::as_str).collect();
        DataKeys::parse(&current, &older).map_err(|e| ConfigError(format!("DATA_KEY: {e}")))
    }
}

fn read_or_make_key_file(path: &std::path::Path) -> Result<String, ConfigError> {
    use std::io::Write;
    let failed = |e: std::io::Error| ConfigError(format!("DATA_KEY_FILE {}: {e}", path.display()));
    match std::fs::read_to_string(path) {
        Ok(text) => return Ok(text.trim().to_owned()),
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(failed(e)),
        Err(_) => {}
    }
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(failed)?;
    }
    let key = app::server::keys::DataKeys::generate();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(failed)?;
    file.write_all(format!("{key}\n").as_bytes()).map_err(failed)?;
    tracing::warn!(
        file = %path.display(),
        "made a new data key for secrets at rest; keep it safe, and apart from database backups"
    );
    Ok(key)
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
            request_timeout: std::time::Duration::from_secs(whole_number(
                var("REQUEST_TIMEOUT_SECS"),
                "REQUEST_TIMEOUT_SECS",
                30,
            )?),
            outbox_keep_days: whole_number(var("OUTBOX_KEEP_DAYS"), "OUTBOX_KEEP_DAYS", 90)?,
            keep_proxy_grants: true,
            database_max_connections: u32::try_from(whole_number(
                var("DATABASE_MAX_CONNECTIONS"),
                "DATABASE_MAX_CONNECTIONS",
                16,
            )?)
            .map_err(|_| ConfigError("DATABASE_MAX_CONNECTIONS is too large".into()))?,
            data_keys: {
                let older: Vec<String> = var("DATA_KEYS_OLD")
                    .map(|list| list.split(',').map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()).collect())
                    .unwrap_or_default();
                match var("DATA_KEY") {
                    Some(current) => DataKeySource::Given { current, older },
                    None => DataKeySource::File {
                        path: var("DATA_KEY_FILE").unwrap_or_else(|| DEFAULT_DATA_KEY_FILE.to_owned()).into(),
                        older,
                    },
                }
            },
        })
    }

    /// How the server's store connects.
    pub fn store_options(&self) -> storage::StoreOptions {
        storage::StoreOptions { max_connections: self.database_max_connections, ..storage::StoreOptions::default() }
    }

    /// The public address, once the listening address is known.
    pub fn public_url_for(&self, listening: SocketAddr) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{listening}"))
    }
}

/// A whole number (at least 1) from `value`, or `default` when unset.
fn whole_number(value: Option<String>, name: &str, default: u64) -> Result<u64, ConfigError> {
    match value {
        None => Ok(default),
        Some(text) => match text.trim().parse::<u64>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(ConfigError(format!("{name} must be a whole number, 1 or more, not {text:?}"))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_key_file_is_made_once_with_a_new_key_and_read_back_after() {
        let dir = tempfile::tempdir().unwrap();
        let source = DataKeySource::File { path: dir.path().join("keys/gp-online.key"), older: Vec::new() };
        let first = source.load().unwrap();
        let again = source.load().unwrap();
        assert_eq!(first.current_id(), again.current_id(), "the same key on the next start");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("keys/gp-online.key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "readable by the server's user only");
        }
        let bad = DataKeySource::Given { current: "not a key".into(), older: Vec::new() };
        assert!(bad.load().unwrap_err().to_string().contains("DATA_KEY"));
    }

    #[test]
    fn a_whole_number_setting_is_read_or_refused_with_the_variables_name() {
        assert_eq!(whole_number(None, "REQUEST_TIMEOUT_SECS", 30).unwrap(), 30);
        assert_eq!(whole_number(Some(" 5 ".into()), "REQUEST_TIMEOUT_SECS", 30).unwrap(), 5);
        for bad in ["0", "-3", "soon", "1.5"] {
            let error = whole_number(Some(bad.into()), "REQUEST_TIMEOUT_SECS", 30).unwrap_err().to_string();
            assert!(error.contains("REQUEST_TIMEOUT_SECS") && error.contains(bad), "{error}");
        }
    }
}
