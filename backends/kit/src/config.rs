//! The settings every backend has ([`Common`]), their validation and their reading from
//! `{PREFIX}_*` environment variables ([`Env`]). A backend's `Config` holds a [`Common`]
//! next to its own fields.
//!
//! | variable | field | default |
//! |---|---|---|
//! | `{PREFIX}_DATABASE_URL` | `database_url` | required (`sqlite://...` or `postgres://...`) |
//! | `{PREFIX}_JWKS_URL` | `jwks_url` | required (the gateway's `/.well-known/jwks.json`) |
//! | `{PREFIX}_ISSUER` | `issuer` | required (the gateway's `iss`) |
//! | `{PREFIX}_AUDIENCE` | `audience` | the backend's name |
//! | `{PREFIX}_LISTEN` | (binary only, [`crate::serve`]) | the backend's own port |
//! | `{PREFIX}_BASE_PATH` | `base_path` | empty (served at `/`) |
//! | `{PREFIX}_SMTP_URL` | `smtp_url` | none: mails stay queued |
//! | `{PREFIX}_MAIL_FROM` | `mail_from` | `{name}@localhost` |
//! | `{PREFIX}_CSRF_KEY` | `csrf_key` | random per start |
//! | `{PREFIX}_MAIL_SECS` | `mail_interval` | `10` |
//! | `{PREFIX}_CLOCK_SKEW_SECS` | `clock_skew_secs` | `5` (at most 30) |

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use crate::{Clock, SystemClock};

/// A bad setting; the message names it.
#[derive(Debug, thiserror::Error)]
#[error("{key}: {reason}")]
pub struct ConfigError {
    /// The field or variable.
    pub key: String,
    /// Why.
    pub reason: String,
}

/// A [`ConfigError`] for `key`.
pub fn bad(key: impl Into<String>, reason: impl Into<String>) -> ConfigError {
    ConfigError {
        key: key.into(),
        reason: reason.into(),
    }
}

/// A URL without its password.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("redacted"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

/// The settings every backend has.
#[derive(Clone)]
pub struct Common {
    /// `sqlite://path/to/file.db` (created when missing) or `postgres://...`.
    pub database_url: String,
    /// The gateway's JWKS URL.
    pub jwks_url: String,
    /// The `iss` the gateway puts in assertions.
    pub issuer: String,
    /// The `aud` expected: this backend's application name.
    pub audience: String,
    /// Path prefix the gateway forwards under (e.g. `/prestations`), or empty for `/`.
    pub base_path: String,
    /// `smtp://host:port`, `smtps://user:pass@host`, `file:///folder`; `None` keeps mails queued.
    pub smtp_url: Option<String>,
    /// Sender address of mails.
    pub mail_from: String,
    /// Key for the CSRF tokens of forms; `None` draws a random one at start.
    pub csrf_key: Option<String>,
    /// Time between two mail sender passes.
    pub mail_interval: Duration,
    /// Database pool size.
    pub max_connections: u32,
    /// Clock difference with the gateway accepted on an assertion's `exp` and `iat`, in
    /// seconds: an assertion stays usable for its lifetime plus this, also when replayed
    /// after a logout, so keep it small (default [`assertion::DEFAULT_LEEWAY_SECS`]).
    pub clock_skew_secs: u64,
    /// Where "now" comes from (tests inject a manual clock).
    pub clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Common {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Common")
            .field("database_url", &redact_url(&self.database_url))
            .field("jwks_url", &self.jwks_url)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("base_path", &self.base_path)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("csrf_key", &self.csrf_key.as_ref().map(|_| "[redacted]"))
            .field("mail_interval", &self.mail_interval)
            .field("max_connections", &self.max_connections)
            .field("clock_skew_secs", &self.clock_skew_secs)
            .finish_non_exhaustive()
    }
}

impl Common {
    /// Defaults for everything but the three required settings, for the backend `name`
    /// (the audience, and the sender `{name}@localhost`).
    pub fn new(name: &str, database_url: &str, jwks_url: &str, issuer: &str) -> Self {
        Self {
            database_url: database_url.to_owned(),
            jwks_url: jwks_url.to_owned(),
            issuer: issuer.to_owned(),
            audience: name.to_owned(),
            base_path: String::new(),
            smtp_url: None,
            mail_from: format!("{name}@localhost"),
            csrf_key: None,
            mail_interval: Duration::from_secs(10),
            max_connections: 8,
            clock_skew_secs: assertion::DEFAULT_LEEWAY_SECS,
            clock: Arc::new(SystemClock),
        }
    }

    /// From the environment variables of `env` (see the module table); not yet validated.
    pub fn from_env(name: &str, env: &Env) -> Result<Self, ConfigError> {
        let mut common = Self::new(
            name,
            &env.need("DATABASE_URL")?,
            &env.need("JWKS_URL")?,
            &env.need("ISSUER")?,
        );
        if let Some(v) = env.var("AUDIENCE") {
            common.audience = v;
        }
        if let Some(v) = env.var("BASE_PATH") {
            common.base_path = v;
        }
        common.smtp_url = env.var("SMTP_URL");
        if let Some(v) = env.var("MAIL_FROM") {
            common.mail_from = v;
        }
        common.csrf_key = env.var("CSRF_KEY");
        common.mail_interval = env.secs("MAIL_SECS", common.mail_interval)?;
        if let Some(v) = env.parse("CLOCK_SKEW_SECS", "must be a number of seconds")? {
            common.clock_skew_secs = v;
        }
        Ok(common)
    }

    /// Check every setting; the error names the first bad one.
    pub fn validate(&self) -> Result<(), ConfigError> {
        crate::db::Dialect::of(&self.database_url)
            .map_err(|_| bad("database_url", "must start with sqlite: or postgres:"))?;
        for (key, value) in [("jwks_url", &self.jwks_url), ("issuer", &self.issuer)] {
            let ok = url::Url::parse(value).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
            if !ok {
                return Err(bad(key, "must be an http(s) URL"));
            }
        }
        if self.audience.trim().is_empty() {
            return Err(bad("audience", "must not be empty"));
        }
        if !self.base_path.is_empty()
            && (!self.base_path.starts_with('/') || self.base_path.ends_with('/'))
        {
            return Err(bad(
                "base_path",
                "must start with / and not end with / (or be empty)",
            ));
        }
        if !crate::outbox::is_mail_address(&self.mail_from) {
            return Err(bad("mail_from", "must be a mail address"));
        }
        if let Some(url) = &self.smtp_url {
            let ok = ["smtp://", "smtps://", "file:///"]
                .iter()
                .any(|p| url.starts_with(p));
            if !ok {
                return Err(bad(
                    "smtp_url",
                    "must be smtp://, smtps:// or file:///folder",
                ));
            }
        }
        if self.mail_interval.is_zero() {
            return Err(bad("mail_interval", "must be positive"));
        }
        if self.max_connections == 0 {
            return Err(bad("max_connections", "must be at least 1"));
        }
        if self.clock_skew_secs > assertion::MAX_LEEWAY_SECS {
            return Err(bad(
                "clock_skew_secs",
                format!(
                    "must be at most {} seconds (a replayed assertion lives its lifetime plus this)",
                    assertion::MAX_LEEWAY_SECS
                ),
            ));
        }
        Ok(())
    }
}

/// The environment variables of one backend: `{prefix}_{name}`. Blank values count as unset.
#[derive(Debug, Clone, Copy)]
pub struct Env {
    prefix: &'static str,
}

impl Env {
    /// Variables named `{prefix}_...` (e.g. `PRESTATIONS`).
    pub const fn new(prefix: &'static str) -> Self {
        Self { prefix }
    }

    /// The full variable name of `name`.
    pub fn key(&self, name: &str) -> String {
        format!("{}_{name}", self.prefix)
    }

    /// The error for variable `name`.
    pub fn bad(&self, name: &str, reason: impl Into<String>) -> ConfigError {
        bad(self.key(name), reason)
    }

    /// The value of `name`, when set and not blank.
    pub fn var(&self, name: &str) -> Option<String> {
        std::env::var(self.key(name))
            .ok()
            .filter(|v| !v.trim().is_empty())
    }

    /// The value of `name`, which must be set.
    pub fn need(&self, name: &str) -> Result<String, ConfigError> {
        self.var(name).ok_or_else(|| self.bad(name, "is required"))
    }

    /// The value of `name` parsed as a `T`, when set; `reason` says what it must be.
    pub fn parse<T: FromStr>(&self, name: &str, reason: &str) -> Result<Option<T>, ConfigError> {
        self.var(name)
            .map(|v| v.parse().map_err(|_| self.bad(name, reason)))
            .transpose()
    }

    /// A positive number of seconds in `name`, or `default` when unset.
    pub fn secs(&self, name: &str, default: Duration) -> Result<Duration, ConfigError> {
        match self.var(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|s| *s > 0)
                .map(Duration::from_secs)
                .ok_or_else(|| self.bad(name, "must be a positive number of seconds")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Common {
        Common::new(
            "demo",
            "sqlite://x.db",
            "http://127.0.0.1:8080/.well-known/jwks.json",
            "http://127.0.0.1:8080",
        )
    }

    #[test]
    fn defaults_are_valid() {
        assert!(good().validate().is_ok());
        assert_eq!(good().audience, "demo");
        assert_eq!(good().mail_from, "demo@localhost");
    }

    type Change = Box<dyn Fn(&mut Common)>;

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
            ("base_path", Box::new(|c| c.base_path = "demo/".to_owned())),
            ("mail_from", Box::new(|c| c.mail_from = "nobody".to_owned())),
            (
                "smtp_url",
                Box::new(|c| c.smtp_url = Some("http://mail".to_owned())),
            ),
            (
                "mail_interval",
                Box::new(|c| c.mail_interval = Duration::ZERO),
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
        c.database_url = "postgres://me:secret@db/x".to_owned();
        c.smtp_url = Some("smtps://me:secret@mail.example".to_owned());
        c.csrf_key = Some("secret-key".to_owned());
        let text = format!("{c:?}");
        assert!(!text.contains("secret"));
    }

    #[test]
    fn env_names_carry_the_prefix() {
        let env = Env::new("DEMO");
        assert_eq!(env.key("LISTEN"), "DEMO_LISTEN");
        assert_eq!(env.bad("MAIL_SECS", "x").key, "DEMO_MAIL_SECS");
    }
}
