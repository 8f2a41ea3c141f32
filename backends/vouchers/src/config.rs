//! Configuration of the vouchers backend: built in code by the gateway's `demo`, or
//! read from environment variables by the binary ([`Config::from_env`]).
//!
//! | variable | field | default |
//! |---|---|---|
//! | `VOUCHERS_DATABASE_URL` | `database_url` | required (`sqlite://...` or `postgres://...`) |
//! | `VOUCHERS_JWKS_URL` | `jwks_url` | required (the gateway's `/.well-known/jwks.json`) |
//! | `VOUCHERS_ISSUER` | `issuer` | required (the gateway's `iss`) |
//! | `VOUCHERS_AUDIENCE` | `audience` | `vouchers` |
//! | `VOUCHERS_LISTEN` | (binary only) | `127.0.0.1:9101` |
//! | `VOUCHERS_BASE_PATH` | `base_path` | empty (served at `/`) |
//! | `VOUCHERS_PRICE_CENTS` | `voucher_price_cents` | `595` |
//! | `VOUCHERS_AUTHORIZATION_MONTHS` | `authorization_months` | `12` |
//! | `VOUCHERS_ELECTRONIC_START` | `electronic_start` | `2023-09-01` |
//! | `VOUCHERS_SMTP_URL` | `smtp_url` | none: mails stay queued |
//! | `VOUCHERS_MAIL_FROM` | `mail_from` | `vouchers@localhost` |
//! | `VOUCHERS_CSRF_KEY` | `csrf_key` | random per start |
//! | `VOUCHERS_MAIL_SECS` | `mail_interval` | `10` |
//!
//! The settings every backend has are [`Common`]'s (read and checked by
//! [`backend_kit::config`]); the others are this backend's own.

use std::ops::{Deref, DerefMut};

use chrono::NaiveDate;

pub use backend_kit::config::{Common, ConfigError, redact_url};
use backend_kit::config::{Env, bad};

/// The environment variables, their defaults, as `vouchers --help` lists them.
pub const ENV_HELP: &str = "Environment (each checked at start; a bad value names its variable):\n  VOUCHERS_DATABASE_URL              required (sqlite://... or postgres://...)\n  VOUCHERS_JWKS_URL                  required (the gateway's /.well-known/jwks.json)\n  VOUCHERS_ISSUER                    required (the gateway's iss)\n  VOUCHERS_AUDIENCE                  vouchers\n  VOUCHERS_LISTEN                    127.0.0.1:9101\n  VOUCHERS_BASE_PATH                 empty (served at /)\n  VOUCHERS_PRICE_CENTS               595\n  VOUCHERS_AUTHORIZATION_MONTHS      12\n  VOUCHERS_ELECTRONIC_START          2023-09-01\n  VOUCHERS_SMTP_URL                  none: mails stay queued\n  VOUCHERS_MAIL_FROM                 vouchers@localhost\n  VOUCHERS_CSRF_KEY                  random per start\n  VOUCHERS_MAIL_SECS                 10\n";

/// This backend's environment variables: `VOUCHERS_*`.
pub const ENV: Env = Env::new("VOUCHERS");

/// Everything the backend needs to run: the settings every backend has ([`Common`],
/// reached through `Deref`, so `config.base_path` works), and its own.
#[derive(Clone)]
pub struct Config {
    /// Database, assertion, base path, mail, CSRF key, pool size, clock.
    pub common: Common,
    /// Price of one voucher, in euro cents (invoices, purchases).
    pub voucher_price_cents: i64,
    /// Default length of an authorization proposed by the registration form, in months.
    pub authorization_months: u32,
    /// The cutoff date: no electronic prestation dated before it (seed 000: « Impossibilité
    /// de créer des prestations électroniques ayant une date antérieure au 1er
    /// septembre »; 1 September of the year electronic vouchers started, 2023).
    pub electronic_start: NaiveDate,
}

/// The default cutoff date: 1 September 2023.
pub fn default_electronic_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 9, 1).unwrap_or_default()
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
            .field("voucher_price_cents", &self.voucher_price_cents)
            .field("authorization_months", &self.authorization_months)
            .field("electronic_start", &self.electronic_start)
            .finish()
    }
}

impl Config {
    /// Defaults for everything but the three required settings.
    pub fn new(database_url: &str, jwks_url: &str, issuer: &str) -> Self {
        Self::with(Common::new("vouchers", database_url, jwks_url, issuer))
    }

    /// `common` with this backend's defaults.
    fn with(common: Common) -> Self {
        Self {
            common,
            voucher_price_cents: 595,
            authorization_months: 12,
            electronic_start: default_electronic_start(),
        }
    }

    /// From `VOUCHERS_*` environment variables (see the module table).
    pub fn from_env() -> Result<Self, ConfigError> {
        let mut config = Self::with(Common::from_env("vouchers", &ENV)?);
        if let Some(v) = ENV.parse("PRICE_CENTS", "must be a number of cents")? {
            config.voucher_price_cents = v;
        }
        if let Some(v) = ENV.parse("AUTHORIZATION_MONTHS", "must be a number of months")? {
            config.authorization_months = v;
        }
        if let Some(v) = ENV.var("ELECTRONIC_START") {
            config.electronic_start = NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                .map_err(|_| ENV.bad("ELECTRONIC_START", "must be YYYY-MM-DD"))?;
        }
        config.validate()?;
        Ok(config)
    }

    /// Check every setting; the error names the first bad one.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.common.validate()?;
        if !(1..=100_000).contains(&self.voucher_price_cents) {
            return Err(bad("voucher_price_cents", "must be between 1 and 100000"));
        }
        if !(1..=60).contains(&self.authorization_months) {
            return Err(bad("authorization_months", "must be between 1 and 60"));
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
