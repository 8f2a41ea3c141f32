//! Configuration of the prestations backend: built in code by the gateway's `demo`, or
//! read from environment variables by the binary ([`Config::from_env`]).
//!
//! | variable | field | default |
//! |---|---|---|
//! | `PRESTATIONS_DATABASE_URL` | `database_url` | required (`sqlite://...` or `postgres://...`) |
//! | `PRESTATIONS_JWKS_URL` | `jwks_url` | required (the gateway's `/.well-known/jwks.json`) |
//! | `PRESTATIONS_ISSUER` | `issuer` | required (the gateway's `iss`) |
//! | `PRESTATIONS_AUDIENCE` | `audience` | `prestations` |
//! | `PRESTATIONS_LISTEN` | (binary only) | `127.0.0.1:9102` |
//! | `PRESTATIONS_BASE_PATH` | `base_path` | empty (served at `/`) |
//! | `PRESTATIONS_VALIDATION_START` | `validation_start` | `2025-06-01` |
//! | `PRESTATIONS_HOLIDAYS_FILE` | `holidays_file` | the embedded `holidays/be.toml` |
//! | `PRESTATIONS_CATALOGUE_FILE` | `catalogue_file` | the embedded `catalogue/cheques.toml` |
//! | `PRESTATIONS_SMTP_URL` | `smtp_url` | none: mails stay queued |
//! | `PRESTATIONS_MAIL_FROM` | `mail_from` | `prestations@localhost` |
//! | `PRESTATIONS_CSRF_KEY` | `csrf_key` | random per start |
//! | `PRESTATIONS_SCHEDULER_SECS` | `scheduler_interval` | `60` |
//! | `PRESTATIONS_MAIL_SECS` | `mail_interval` | `10` |
//!
//! The settings every backend has are [`Common`]'s (read and checked by
//! [`backend_kit::config`]); the others are this backend's own.

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::time::Duration;

pub use backend_kit::config::{Common, ConfigError, redact_url};
use backend_kit::config::{Env, bad};
use chrono::NaiveDate;

/// The environment variables, their defaults, as `prestations --help` lists them.
pub const ENV_HELP: &str = "Environment (each checked at start; a bad value names its variable):\n  PRESTATIONS_DATABASE_URL           required (sqlite://... or postgres://...)\n  PRESTATIONS_JWKS_URL               required (the gateway's /.well-known/jwks.json)\n  PRESTATIONS_ISSUER                 required (the gateway's iss)\n  PRESTATIONS_AUDIENCE               prestations\n  PRESTATIONS_LISTEN                 127.0.0.1:9102\n  PRESTATIONS_BASE_PATH              empty (served at /)\n  PRESTATIONS_VALIDATION_START       2025-06-01\n  PRESTATIONS_HOLIDAYS_FILE          the embedded holidays/be.toml\n  PRESTATIONS_CATALOGUE_FILE         the embedded catalogue/cheques.toml\n  PRESTATIONS_SMTP_URL               none: mails stay queued\n  PRESTATIONS_MAIL_FROM              prestations@localhost\n  PRESTATIONS_CSRF_KEY               random per start\n  PRESTATIONS_SCHEDULER_SECS         60\n  PRESTATIONS_MAIL_SECS              10\n";

/// This backend's environment variables: `PRESTATIONS_*`.
pub const ENV: Env = Env::new("PRESTATIONS");

/// Everything the backend needs to run: the settings every backend has ([`Common`],
/// reached through `Deref`, so `config.base_path` works), and its own.
#[derive(Clone)]
pub struct Config {
    /// Database, assertion, base path, mail, CSRF key, pool size, clock.
    pub common: Common,
    /// First day of the worker's validation of what the enterprise encodes or corrects
    /// (seed 001: « à partir du 1er juin »). Before it, the enterprise's encodings went to
    /// the user directly; from it, those still waiting for the user go to the worker.
    /// Prestations dated before it are accepted.
    pub validation_start: NaiveDate,
    /// Holiday calendar file; `None` uses the embedded Belgian one.
    pub holidays_file: Option<PathBuf>,
    /// Cheque catalogue file (business dossiers); `None` uses the embedded one (the
    /// seed's 12 cheques in 7 themes).
    pub catalogue_file: Option<PathBuf>,
    /// Time between two deadline passes.
    pub scheduler_interval: Duration,
}

impl Deref for Config {
    type Target = Common;
    fn deref(&self) -> &Common {
        &self.common
    }
}

impl DerefMut for Config {
    fn deref_mut(&mut self) -> &mut Common {
        &mut self.common
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("common", &self.common)
            .field("validation_start", &self.validation_start)
            .field("holidays_file", &self.holidays_file)
            .field("catalogue_file", &self.catalogue_file)
            .field("scheduler_interval", &self.scheduler_interval)
            .finish()
    }
}

/// The default first day of the worker's validation: 1 June 2025.
pub fn default_validation_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default()
}

impl Config {
    /// Defaults for everything but the three required settings.
    pub fn new(database_url: &str, jwks_url: &str, issuer: &str) -> Self {
        Self::with(Common::new("prestations", database_url, jwks_url, issuer))
    }

    /// `common` with this backend's defaults.
    fn with(common: Common) -> Self {
        Self {
            common,
            validation_start: default_validation_start(),
            holidays_file: None,
            catalogue_file: None,
            scheduler_interval: Duration::from_secs(60),
        }
    }

    /// From `PRESTATIONS_*` environment variables (see the module table).
    pub fn from_env() -> Result<Self, ConfigError> {
        let mut config = Self::with(Common::from_env("prestations", &ENV)?);
        if let Some(v) = ENV.var("VALIDATION_START") {
            config.validation_start = NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                .map_err(|_| ENV.bad("VALIDATION_START", "must be YYYY-MM-DD"))?;
        }
        config.holidays_file = ENV.var("HOLIDAYS_FILE").map(PathBuf::from);
        config.catalogue_file = ENV.var("CATALOGUE_FILE").map(PathBuf::from);
        config.scheduler_interval = ENV.secs("SCHEDULER_SECS", config.scheduler_interval)?;
        config.validate()?;
        Ok(config)
    }

    /// Check every setting; the error names the first bad one.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.common.validate()?;
        if self.scheduler_interval.is_zero() {
            return Err(bad("scheduler_interval", "must be positive"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Config {
        Config::new(
            "sqlite://x.db",
            "http://127.0.0.1:8080/.well-known/jwks.json",
            "http://127.0.0.1:8080",
        )
    }

    #[test]
    fn defaults_are_valid() {
        assert!(good().validate().is_ok());
        assert_eq!(good().audience, "prestations");
    }

    type Change = Box<dyn Fn(&mut Config)>;

    #[test]
    fn each_bad_value_is_refused_by_name() {
        let cases: Vec<(&str, Change)> = vec![
            (
                "database_url",
                Box::new(|c| c.database_url = "mysql://x".to_owned()),
            ),
            ("jwks_url", Box::new(|c| c.jwks_url = "ftp://x".to_owned())),
            ("issuer", Box::new(|c| c.issuer = "not a url".to_owned())),
            ("audience", Box::new(|c| c.audience = " ".to_owned())),
            (
                "base_path",
                Box::new(|c| c.base_path = "prestations/".to_owned()),
            ),
            ("mail_from", Box::new(|c| c.mail_from = "nobody".to_owned())),
            (
                "smtp_url",
                Box::new(|c| c.smtp_url = Some("http://mail".to_owned())),
            ),
            ("max_connections", Box::new(|c| c.max_connections = 0)),
        ];
        for (key, change) in cases {
            let mut c = good();
            change(&mut c);
            let err = c.validate().expect_err(key);
            assert_eq!(err.key, key);
        }
    }

    #[test]
    fn debug_hides_passwords() {
        let mut c = good();
        c.smtp_url = Some("smtps://me:secret@mail.example".to_owned());
        c.csrf_key = Some("secret-key".to_owned());
        let text = format!("{c:?}");
        assert!(!text.contains("secret"));
    }
}
