//! The configuration file: one TOML document read into typed structs, unknown keys
//! refused, secrets overridable from the environment, and every value checked by
//! [`Config::validate`] before the gateway serves anything.
//!
//! Each `[section]` is a module holding its struct, its defaults and its own checks;
//! this module holds the whole, reads it, and runs the checks that span sections
//! (`cross`). Secrets are [`Secret`]s: printing a `Config` never shows one.

mod admin;
mod applications;
mod assertion;
mod cross;
mod database;
mod error;
mod factors;
mod file;
mod load;
mod local;
mod mail;
mod providers;
mod routes;
mod secret;
mod server;
mod session;
#[cfg(test)]
mod testing;

use serde::Deserialize;

pub use admin::AdminConfig;
pub use applications::{ApplicationConfig, RESERVED_APPLICATION};
pub use assertion::AssertionConfig;
pub use database::DatabaseConfig;
pub use error::ConfigError;
pub use factors::FactorsConfig;
pub use file::{ConfigFile, RELOADABLE};
pub use load::{DATABASE_URL_ENV, METRICS_TOKEN_ENV, SECRET_ENV, SMTP_URL_ENV};
pub use local::LocalConfig;
pub use mail::MailConfig;
pub use providers::ProviderConfig;
pub use routes::{Access, RESERVED_PREFIXES, RequiredFactor, RouteConfig};
pub use secret::{REDACTED, Secret, SecretUrl};
pub use server::{IpNet, ServerConfig};
pub use session::SessionConfig;

use error::invalid;

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Listening socket and public address.
    pub server: ServerConfig,
    /// Where state is kept.
    pub database: DatabaseConfig,
    /// Session lifetimes and login levels.
    #[serde(default)]
    pub session: SessionConfig,
    /// The assertion forwarded to backends.
    #[serde(default)]
    pub assertion: AssertionConfig,
    /// Upstream OpenID providers; the login page offers a choice when there are several.
    #[serde(default)]
    pub providers: Vec<ProviderConfig>,
    /// The rights catalogue: applications and their access levels, loaded into the
    /// access model at every start.
    #[serde(default)]
    pub applications: Vec<ApplicationConfig>,
    /// The route table, matched by longest path prefix.
    #[serde(default)]
    pub routes: Vec<RouteConfig>,
    /// Headers that some backends read as identity; removed from every client request
    /// (in addition to every header starting with `x-gateway-`).
    #[serde(default = "default_identity_headers")]
    pub identity_headers: Vec<String>,
    /// The master secret, base64. Prefer the `GATEWAY_SECRET_KEY` environment variable,
    /// which overrides this value.
    #[serde(default)]
    pub secret_key: Option<Secret>,
    /// Outgoing mail (one-time codes, notices). Required when `[factors]` asks for
    /// emailed codes.
    #[serde(default)]
    pub mail: Option<MailConfig>,
    /// Second factors and device trust. Absent: no second factor is asked after the
    /// provider's login.
    #[serde(default)]
    pub factors: Option<FactorsConfig>,
    /// Local password accounts (email + password). Absent: none.
    #[serde(default)]
    pub local: Option<LocalConfig>,
    /// Delegated administration (`/admin/api/`).
    #[serde(default)]
    pub admin: AdminConfig,
    /// The file this configuration was read from (`None`: a text, as the demo's), which
    /// a reload reads again.
    #[serde(skip)]
    pub file: Option<ConfigFile>,
}

/// Serde's default for the switches that are on unless turned off.
fn yes() -> bool {
    true
}

fn default_identity_headers() -> Vec<String> {
    [
        "x-remote-user",
        "x-forwarded-user",
        "x-forwarded-email",
        "x-auth-request-user",
        "x-auth-request-email",
        "remote-user",
        "x-user",
        "x-user-id",
        "x-identity",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

impl Config {
    /// Whether cookies are sent with `Secure` (everything but plain http on loopback).
    pub fn secure_cookies(&self) -> bool {
        self.server.public_url.scheme() == "https"
    }

    /// The rank of an `acr` in `session.acr_levels` (0 = weakest), `None` if not listed.
    pub fn acr_rank(&self, acr: &str) -> Option<usize> {
        self.session.acr_levels.iter().position(|a| a == acr)
    }

    /// Check every value; the error names the key. Each section checks itself, then the
    /// checks that span sections run.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.master_secret()?;
        self.server.validate()?;
        self.database.validate()?;
        self.session.validate()?;
        self.assertion.validate()?;
        providers::validate_all(&self.providers)?;
        applications::validate_all(&self.applications)?;
        routes::validate_all(&self.routes)?;
        validate_identity_headers(&self.identity_headers)?;
        if let Some(m) = &self.mail {
            m.validate()?;
        }
        if let Some(f) = &self.factors {
            f.validate()?;
        }
        if let Some(l) = &self.local {
            l.validate()?;
        }
        self.admin.validate()?;
        cross::validate(self)
    }

    /// Fill in what a valid configuration leaves implicit: a policy route without
    /// `methods` takes its application's, a route without `application` gets its default
    /// audience. Run once, after [`Config::validate`].
    pub(super) fn resolve(&mut self) {
        for r in &mut self.routes {
            if r.application.is_empty() {
                r.application = routes::default_audience(&r.prefix);
            }
            if r.access == Access::Policy
                && r.methods.is_empty()
                && let Some(app) = self.applications.iter().find(|a| a.id == r.application)
            {
                r.methods = app.methods.clone();
            }
        }
    }

    /// One line per `danger_*` switch that is on, naming it and what it exposes: logged
    /// once at start by [`Config::log_warnings`].
    pub fn warnings(&self) -> Vec<String> {
        let mut out: Vec<String> = self.server.warnings();
        if let Some(m) = &self.mail {
            out.extend(m.warnings());
        }
        out
    }

    /// Log [`Config::warnings`] at `warn` level; call once when the gateway starts.
    pub fn log_warnings(&self) {
        for w in self.warnings() {
            tracing::warn!("{w}");
        }
    }
}

fn validate_identity_headers(headers: &[String]) -> Result<(), ConfigError> {
    for (i, h) in headers.iter().enumerate() {
        if http::HeaderName::from_bytes(h.as_bytes()).is_err() {
            return Err(invalid(
                format!("identity_headers[{i}]"),
                "not a header name",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::testing::{MAIL, assert_refused, base, with_factors};
    use super::*;

    #[test]
    fn the_base_file_is_accepted() {
        let c = Config::from_toml(&base()).expect("valid");
        assert_eq!(c.session.idle_timeout_secs, 600);
        assert!(!c.secure_cookies());
        assert_eq!(c.identity_headers, default_identity_headers());
        assert!(c.warnings().is_empty());
    }

    #[test]
    fn https_means_secure_cookies() {
        let text = base().replace("http://127.0.0.1:8080", "https://gw.example.be");
        assert!(Config::from_toml(&text).expect("valid").secure_cookies());
    }

    #[test]
    fn identity_headers_must_be_header_names() {
        let text = format!(
            "identity_headers = [\"x-ok\", \"not a header\"]\n{}",
            base()
        );
        assert_refused(&text, "identity_headers[1]");
        let text = format!("identity_headers = [\"x-ok\"]\n{}", base());
        let c = Config::from_toml(&text).expect("valid");
        assert_eq!(c.identity_headers, ["x-ok"]);
    }

    /// Each section's checks are reached from `Config::validate` (the sections test
    /// their checks in full on their own).
    #[test]
    fn every_section_is_validated() {
        let with_mail = |mail_line: &str| with_factors(&format!("{MAIL}\n{mail_line}"), "");
        let cases = [
            (
                base().replace("http://127.0.0.1:8080\"", "http://127.0.0.1:8080/x\""),
                "server.public_url",
            ),
            (
                base().replace("gw.db\"", "gw.db\"\nmax_connections = 0"),
                "database.max_connections",
            ),
            (
                format!("{}\n[session]\nidle_timeout_secs = 0\n", base()),
                "session.idle_timeout_secs",
            ),
            (
                format!("{}\n[assertion]\nlifetime_secs = 1\n", base()),
                "assertion.lifetime_secs",
            ),
            (
                base().replace("client_id = \"gw\"", "client_id = \"\""),
                "providers[0].client_id",
            ),
            (
                base().replace(
                    "access = \"policy\"",
                    "access = \"policy\"\ntimeout_secs = 0",
                ),
                "routes[0].timeout_secs",
            ),
            (with_mail("poll_secs = 0"), "mail.poll_secs"),
            (with_factors(MAIL, "max_sends = 0"), "factors.max_sends"),
            (
                format!("{}\n[local]\nmin_length = 4\n", with_factors(MAIL, "")),
                "local.min_length",
            ),
            (
                format!("{}\n[admin]\noperators = [\"eid\"]\n", base()),
                "admin.operators[0]",
            ),
        ];
        for (text, key) in cases {
            assert_refused(&text, key);
        }
    }

    #[test]
    fn each_danger_switch_yields_its_warning() {
        let http = base()
            .replace("http://127.0.0.1:8080", "http://gw.example.be")
            .replace(
                "[database]",
                "danger_allow_insecure_http = true\n[database]",
            );
        let warnings = Config::from_toml(&http).expect("valid").warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("server.danger_allow_insecure_http"));
        let smtp = with_factors(
            &format!(
                "{}\ndanger_allow_plaintext_smtp = true",
                MAIL.replace("127.0.0.1:2525", "mail.example.be:25")
            ),
            "",
        );
        let warnings = Config::from_toml(&smtp).expect("valid").warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("mail.danger_allow_plaintext_smtp"));
        assert!(
            Config::from_toml(&with_factors(MAIL, ""))
                .expect("valid")
                .warnings()
                .is_empty()
        );
    }

    /// A new `danger_*` field must come with its warning and a case in the test above:
    /// this fails until the list below, which that test covers, is updated.
    #[test]
    fn every_danger_switch_is_covered() {
        let sources = [
            ("server", include_str!("server.rs")),
            ("mail", include_str!("mail.rs")),
            ("database", include_str!("database.rs")),
            ("session", include_str!("session.rs")),
            ("assertion", include_str!("assertion.rs")),
            ("providers", include_str!("providers.rs")),
            ("routes", include_str!("routes.rs")),
            ("factors", include_str!("factors.rs")),
            ("local", include_str!("local.rs")),
            ("admin", include_str!("admin.rs")),
            ("applications", include_str!("applications.rs")),
            ("", include_str!("mod.rs")),
        ];
        let mut found = Vec::new();
        for (section, text) in sources {
            for line in text.lines() {
                if let Some(rest) = line.trim_start().strip_prefix("pub danger_")
                    && let Some((name, _)) = rest.split_once(':')
                {
                    found.push(format!("{section}.danger_{name}"));
                }
            }
        }
        assert_eq!(
            found,
            [
                "server.danger_allow_insecure_http",
                "mail.danger_allow_plaintext_smtp"
            ]
        );
    }
}

#[cfg(test)]
mod example_file {
    /// The commented example in the repository is the reference: it must stay valid.
    #[test]
    fn the_example_configuration_is_valid() {
        let text = include_str!("../../../gateway.example.toml").replace(
            "[server]",
            "secret_key = \"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\"\n[server]",
        );
        let text = text.replace(
            "client_secret_env = \"GATEWAY_EID_CLIENT_SECRET\"",
            "client_secret = \"example\"",
        );
        if let Err(e) = super::Config::from_toml(&text) {
            panic!("gateway.example.toml: {e}");
        }
    }
}
