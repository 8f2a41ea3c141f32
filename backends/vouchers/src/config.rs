//! Configuration of the vouchers backend: built in code by the gateway's `demo`, or
//! read from environment variables by the binary ([`Config::from_env`]).
//!
//! | variable | field | default |
//! |---|---|---|
//! | `VOUCHERS_DATABASE_URL` | `database_url` | required (`sqlite://...` or `postgres://...`) |
//! | `VOUCHERS_JWKS_URL` | `jwks_url` | required (the gateway's `/.well-known/jwks.json`) |
//! | `VOUCHERS_ISSUER` | `issuer` | required (the gateway's `iss`) |
//! | `VOUCHERS_AUDIENCE` | `audience` | `prestations` |
//! | `VOUCHERS_LISTEN` | (binary only) | `127.0.0.1:9101` |
//! | `VOUCHERS_BASE_PATH` | `base_path` | empty (served at `/`) |
//! | `VOUCHERS_PRICE_CENTS` | `voucher_price_cents` | `595` |
//! | `VOUCHERS_AUTHORIZATION_MONTHS` | `authorization_months` | `12` |
//! | `VOUCHERS_SMTP_URL` | `smtp_url` | none: mails stay queued |
//! | `VOUCHERS_MAIL_FROM` | `mail_from` | `vouchers@localhost` |
//! | `VOUCHERS_CSRF_KEY` | `csrf_key` | random per start |
//! | `VOUCHERS_MAIL_SECS` | `mail_interval` | `10` |

use std::sync::Arc;
use std::time::Duration;

use backend_kit::{Clock, SystemClock};

/// A bad setting; the message names it.
#[derive(Debug, thiserror::Error)]
#[error("{key}: {reason}")]
pub struct ConfigError {
    /// The field or variable.
    pub key: &'static str,
    /// Why.
    pub reason: String,
}

fn bad(key: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError {
        key,
        reason: reason.into(),
    }
}

/// Everything the backend needs to run.
#[derive(Clone)]
pub struct Config {
    /// `sqlite://path/to/file.db` (created when missing) or `postgres://...`.
    pub database_url: String,
    /// The gateway's JWKS URL.
    pub jwks_url: String,
    /// The `iss` the gateway puts in assertions.
    pub issuer: String,
    /// The `aud` expected: this backend's application name.
    pub audience: String,
    /// Path prefix the gateway forwards under (e.g. `/vouchers`), or empty for `/`.
    pub base_path: String,
    /// Price of one voucher, in euro cents (invoices, purchases).
    pub voucher_price_cents: i64,
    /// Default length of an authorization proposed by the registration form, in months.
    pub authorization_months: u32,
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
    /// Where "now" comes from (tests inject a manual clock).
    pub clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("jwks_url", &self.jwks_url)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("base_path", &self.base_path)
            .field("voucher_price_cents", &self.voucher_price_cents)
            .field("authorization_months", &self.authorization_months)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("csrf_key", &self.csrf_key.as_ref().map(|_| "[redacted]"))
            .field("mail_interval", &self.mail_interval)
            .field("max_connections", &self.max_connections)
            .finish_non_exhaustive()
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

impl Config {
    /// Defaults for everything but the three required settings.
    pub fn new(database_url: &str, jwks_url: &str, issuer: &str) -> Self {
        Self {
            database_url: database_url.to_owned(),
            jwks_url: jwks_url.to_owned(),
            issuer: issuer.to_owned(),
            audience: "vouchers".to_owned(),
            base_path: String::new(),
            voucher_price_cents: 595,
            authorization_months: 12,
            smtp_url: None,
            mail_from: "vouchers@localhost".to_owned(),
            csrf_key: None,
            mail_interval: Duration::from_secs(10),
            max_connections: 8,
            clock: Arc::new(SystemClock),
        }
    }

    /// From `VOUCHERS_*` environment variables (see the module table).
    pub fn from_env() -> Result<Self, ConfigError> {
        let var = |key: &'static str| std::env::var(key).ok().filter(|v| !v.trim().is_empty());
        let need = |key: &'static str| var(key).ok_or_else(|| bad(key, "is required"));
        let mut config = Self::new(
            &need("VOUCHERS_DATABASE_URL")?,
            &need("VOUCHERS_JWKS_URL")?,
            &need("VOUCHERS_ISSUER")?,
        );
        if let Some(v) = var("VOUCHERS_AUDIENCE") {
            config.audience = v;
        }
        if let Some(v) = var("VOUCHERS_BASE_PATH") {
            config.base_path = v;
        }
        if let Some(v) = var("VOUCHERS_PRICE_CENTS") {
            config.voucher_price_cents = v
                .parse()
                .map_err(|_| bad("VOUCHERS_PRICE_CENTS", "must be a number of cents"))?;
        }
        if let Some(v) = var("VOUCHERS_AUTHORIZATION_MONTHS") {
            config.authorization_months = v.parse().map_err(|_| {
                bad(
                    "VOUCHERS_AUTHORIZATION_MONTHS",
                    "must be a number of months",
                )
            })?;
        }
        config.smtp_url = var("VOUCHERS_SMTP_URL");
        if let Some(v) = var("VOUCHERS_MAIL_FROM") {
            config.mail_from = v;
        }
        config.csrf_key = var("VOUCHERS_CSRF_KEY");
        let secs = |key: &'static str, default: Duration| -> Result<Duration, ConfigError> {
            match var(key) {
                None => Ok(default),
                Some(v) => v
                    .parse::<u64>()
                    .ok()
                    .filter(|s| *s > 0)
                    .map(Duration::from_secs)
                    .ok_or_else(|| bad(key, "must be a positive number of seconds")),
            }
        };
        config.mail_interval = secs("VOUCHERS_MAIL_SECS", config.mail_interval)?;
        config.validate()?;
        Ok(config)
    }

    /// Check every setting; the error names the first bad one.
    pub fn validate(&self) -> Result<(), ConfigError> {
        backend_kit::db::Dialect::of(&self.database_url)
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
        if !backend_kit::outbox::is_mail_address(&self.mail_from) {
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
        if !(1..=100_000).contains(&self.voucher_price_cents) {
            return Err(bad("voucher_price_cents", "must be between 1 and 100000"));
        }
        if !(1..=60).contains(&self.authorization_months) {
            return Err(bad("authorization_months", "must be between 1 and 60"));
        }
        if self.max_connections == 0 {
            return Err(bad("max_connections", "must be at least 1"));
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
        assert_eq!(good().audience, "vouchers");
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
            (
                "voucher_price_cents",
                Box::new(|c| c.voucher_price_cents = 0),
            ),
            (
                "authorization_months",
                Box::new(|c| c.authorization_months = 0),
            ),
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
