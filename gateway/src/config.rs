//! The configuration file: one TOML document read into typed structs, unknown keys
//! refused, secrets overridable from the environment, and every value checked by
//! [`Config::validate`] before the gateway serves anything.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;

use serde::Deserialize;
use url::Url;

/// Environment variable holding the deployment's master secret (base64, 32 bytes or more).
pub const SECRET_ENV: &str = "GATEWAY_SECRET_KEY";
/// Environment variable overriding `database.url`.
pub const DATABASE_URL_ENV: &str = "GATEWAY_DATABASE_URL";
/// Environment variable overriding `mail.smtp_url` (which may carry credentials).
pub const SMTP_URL_ENV: &str = "GATEWAY_SMTP_URL";

/// A configuration error that names the key at fault.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {reason}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The TOML is malformed or has an unknown or mistyped key.
    #[error("{0}")]
    Parse(String),
    /// A value is present but not acceptable.
    #[error("invalid `{key}`: {reason}")]
    Invalid {
        /// Dotted path of the key, e.g. `routes[2].upstream`.
        key: String,
        /// Why it is refused.
        reason: String,
    },
}

fn invalid(key: impl Into<String>, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key: key.into(),
        reason: reason.into(),
    }
}

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Listening socket and public address.
    pub server: ServerConfig,
    /// Where state is kept.
    pub database: DatabaseConfig,
    /// Session lifetimes and cookie.
    #[serde(default)]
    pub session: SessionConfig,
    /// The assertion forwarded to backends.
    #[serde(default)]
    pub assertion: AssertionConfig,
    /// Upstream OpenID providers; the login page offers a choice when there are several.
    #[serde(default)]
    pub providers: Vec<ProviderConfig>,
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
    pub secret_key: Option<String>,
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
}

/// `[admin]`: the delegated-administration API.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminConfig {
    /// Platform operators, as `provider_id:subject` (the subject the provider gives at
    /// login). Operators may import the company register and read the whole audit log;
    /// nothing else. Local password accounts cannot be operators.
    #[serde(default)]
    pub operators: Vec<String>,
}

/// `[local]`: password accounts for people without eID or company SSO.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalConfig {
    /// Fewest characters in a password.
    #[serde(default = "default_min_password")]
    pub min_length: usize,
    /// A password needs a digit.
    #[serde(default = "yes")]
    pub require_digit: bool,
    /// A password needs a lower-case letter.
    #[serde(default = "yes")]
    pub require_lower: bool,
    /// A password needs an upper-case letter.
    #[serde(default = "yes")]
    pub require_upper: bool,
    /// A password needs a character that is neither a letter nor a digit.
    #[serde(default = "yes")]
    pub require_special: bool,
    /// Wrong passwords in a row after which the account is locked.
    #[serde(default = "default_max_attempts")]
    pub max_failures: u32,
    /// Seconds an account stays locked.
    #[serde(default = "default_lockout")]
    pub lockout_secs: u64,
    /// Seconds a password-reset link stays valid.
    #[serde(default = "default_reset_lifetime")]
    pub reset_link_secs: u64,
    /// Seconds a link confirming a new login email stays valid.
    #[serde(default = "default_email_link_lifetime")]
    pub email_link_secs: u64,
    /// Password hashes computed at once at most (each takes about 19 MiB and a core).
    #[serde(default = "default_hash_concurrency")]
    pub hash_concurrency: usize,
}

/// `[mail]`: where mail goes. Exactly one of `smtp_url` and `outbox_dir`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    /// The `From` address, e.g. `Gateway <no-reply@gateway.example.be>`.
    pub from: String,
    /// SMTP server: `smtps://user:pass@host:465`, `smtp://host:587?tls=required`, or
    /// plain `smtp://127.0.0.1:2525` on loopback. Overridden by `GATEWAY_SMTP_URL`.
    #[serde(default)]
    pub smtp_url: Option<String>,
    /// Deliver into this folder instead (one `.eml` file per mail): for the demo.
    #[serde(default)]
    pub outbox_dir: Option<std::path::PathBuf>,
    /// Seconds before the first retry of a failed send; doubled at each failure.
    #[serde(default = "default_retry_base")]
    pub retry_base_secs: u64,
    /// Upper bound of the wait between retries, seconds. A mail is retried until sent.
    #[serde(default = "default_retry_max")]
    pub retry_max_secs: u64,
    /// Seconds between two looks at the outbox (mails queued by this node are sent at
    /// once; this picks up the others' and the retries).
    #[serde(default = "default_mail_poll")]
    pub poll_secs: u64,
    /// Allow plain `smtp://` without TLS to a host that is not loopback. Never in production.
    #[serde(default)]
    pub danger_allow_plaintext_smtp: bool,
}

/// `[factors]`: the second factor after the provider's login.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorsConfig {
    /// Ask for a second factor on a device this person has not used before (an emailed
    /// code, or their authenticator app).
    #[serde(default = "yes")]
    pub device_trust: bool,
    /// Days a device stays trusted after its verification.
    #[serde(default = "default_device_days")]
    pub device_trust_days: u64,
    /// Digits of an emailed code (6 to 8).
    #[serde(default = "default_code_digits")]
    pub code_digits: u32,
    /// Seconds a code (and its challenge) stays valid after being sent.
    #[serde(default = "default_code_lifetime")]
    pub code_lifetime_secs: u64,
    /// Tries per challenge (wrong or right); after that the challenge is dead.
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    /// Wrong codes a person may enter in 24 hours, across all their challenges; then no
    /// code is accepted nor sent until the oldest is 24 hours old.
    #[serde(default = "default_max_failures_per_day")]
    pub max_failures_per_day: u32,
    /// Seconds between two sends of a code for one challenge.
    #[serde(default = "default_resend_interval")]
    pub resend_interval_secs: u64,
    /// Codes sent per challenge at most.
    #[serde(default = "default_max_sends")]
    pub max_sends: u32,
    /// Per provider id, the `acr` values whose logins need no second factor, e.g.
    /// `{ eid = ["eidas-high"] }`.
    #[serde(default)]
    pub skip_device_check: BTreeMap<String, Vec<String>>,
    /// Issuer shown by authenticator apps (no `:`).
    #[serde(default = "default_totp_issuer")]
    pub totp_issuer: String,
    /// Offer WebAuthn security keys. The relying party id is the host of
    /// `server.public_url`, which must then be a domain name (not an IP address).
    #[serde(default)]
    pub webauthn: bool,
    /// Relying party name shown by browsers when a security key is used.
    #[serde(default = "default_totp_issuer")]
    pub webauthn_rp_name: String,
}

/// `[server]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Socket to listen on, e.g. `127.0.0.1:8080`.
    pub listen: SocketAddr,
    /// The URL people and providers reach the gateway at (scheme, host, port). Used for
    /// the OIDC redirect URI, the assertion issuer and the cookie's `Secure` flag.
    pub public_url: Url,
    /// Seconds in-flight requests get to finish on shutdown.
    #[serde(default = "default_shutdown_grace")]
    pub shutdown_grace_secs: u64,
    /// Serve `/metrics` to loopback clients only (true) or to nobody (false).
    #[serde(default = "yes")]
    pub metrics: bool,
    /// Allow plain `http` on a public URL that is not loopback. Never in production.
    #[serde(default)]
    pub danger_allow_insecure_http: bool,
}

/// `[database]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://path/file.db` (embedded default) or `postgres://user@host/db` (several
    /// nodes). Overridden by `GATEWAY_DATABASE_URL`.
    pub url: String,
    /// Connections in the pool.
    #[serde(default = "default_max_connections")]
    pub max_connections: u32,
}

/// `[session]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionConfig {
    /// Seconds without activity after which a session ends.
    #[serde(default = "default_idle")]
    pub idle_timeout_secs: u64,
    /// Seconds after login after which a session ends whatever the activity.
    #[serde(default = "default_absolute")]
    pub absolute_lifetime_secs: u64,
    /// Seconds a login may take between leaving for the provider and coming back.
    #[serde(default = "default_login_flow")]
    pub login_timeout_secs: u64,
    /// The `acr` values providers may return, weakest first, e.g.
    /// `["eidas-low", "eidas-substantial", "eidas-high"]`: the order routes' `min_acr`
    /// is compared in. An `acr` not listed ranks below all.
    #[serde(default)]
    pub acr_levels: Vec<String>,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            idle_timeout_secs: default_idle(),
            absolute_lifetime_secs: default_absolute(),
            login_timeout_secs: default_login_flow(),
            acr_levels: Vec::new(),
        }
    }
}

/// `[assertion]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssertionConfig {
    /// Lifetime of one assertion, seconds.
    #[serde(default = "default_assertion_lifetime")]
    pub lifetime_secs: u64,
    /// Seconds a signing key signs before the next one takes over.
    #[serde(default = "default_rotation")]
    pub rotate_after_secs: u64,
}

impl Default for AssertionConfig {
    fn default() -> Self {
        Self {
            lifetime_secs: default_assertion_lifetime(),
            rotate_after_secs: default_rotation(),
        }
    }
}

/// `[[providers]]`: one upstream OpenID provider.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// Short id used in URLs (`/auth/login/{id}`), letters, digits, `-` and `_`.
    pub id: String,
    /// Label on the login page.
    pub label: String,
    /// Issuer URL; discovery is read from `{issuer}/.well-known/openid-configuration`.
    pub issuer: Url,
    /// Client id registered at the provider.
    pub client_id: String,
    /// Client secret. Prefer the environment variable named by `client_secret_env`.
    #[serde(default)]
    pub client_secret: Option<String>,
    /// Environment variable holding the client secret (overrides `client_secret`).
    #[serde(default)]
    pub client_secret_env: Option<String>,
    /// Scopes requested (`openid` is always added).
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// `acr_values` requested; when set, the ID token's `acr` must be one of them.
    #[serde(default)]
    pub acr_values: Vec<String>,
    /// ID-token claim holding the national register number, if the provider sends one.
    #[serde(default)]
    pub national_number_claim: Option<String>,
    /// Accepted ID-token signature algorithms.
    #[serde(default = "default_algs")]
    pub signing_algs: Vec<String>,
}

/// How a route is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Forwarded without a session (no assertion).
    Public,
    /// Any logged-in person.
    Authenticated,
    /// Decided by the access model: the method's access level on the route's application,
    /// in the person's active structure.
    Policy,
    /// Never forwarded.
    Denied,
}

/// `[[routes]]`: a path prefix sent to one upstream.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteConfig {
    /// Path prefix, e.g. `/vouchers`; matches `/vouchers` and `/vouchers/...`.
    pub prefix: String,
    /// Upstream base URL (`http://host:port`), no path.
    pub upstream: Url,
    /// Application name: the assertion's audience and the policy's application.
    pub application: String,
    /// Protection of the route.
    pub access: Access,
    /// Access level needed per HTTP method (for `access = "policy"`), e.g.
    /// `{ GET = "read", POST = "modify" }`; a method absent here is refused.
    #[serde(default)]
    pub methods: BTreeMap<String, String>,
    /// Remove the prefix before forwarding (`/vouchers/x` -> `/x`).
    #[serde(default = "yes")]
    pub strip_prefix: bool,
    /// Seconds to wait for the upstream's response headers before answering 504.
    #[serde(default = "default_upstream_timeout")]
    pub timeout_secs: u64,
    /// A second factor the session must have passed for this route (step-up):
    /// `"webauthn"`, `"totp"` or `"any"` (either, or an emailed code). A session without
    /// it is sent through that factor first.
    #[serde(default)]
    pub require_factor: Option<RequiredFactor>,
    /// The weakest `acr` (of `session.acr_levels`) the session's login must have reached
    /// for this route (step-up): a session below it is asked to log in again at that
    /// level.
    #[serde(default)]
    pub min_acr: Option<String>,
}

/// A second factor a route demands of the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequiredFactor {
    /// A WebAuthn security key (`amr` holds `hwk`).
    Webauthn,
    /// An authenticator app (`amr` holds `otp`).
    Totp,
    /// Any second factor: a key, an app, or an emailed code (`mail`).
    Any,
}

impl RequiredFactor {
    /// The config spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Webauthn => "webauthn",
            Self::Totp => "totp",
            Self::Any => "any",
        }
    }

    /// Whether a session with these `amr` values has passed the factor.
    pub fn met_by(self, amr: &[String]) -> bool {
        let has = |m: &str| amr.iter().any(|a| a == m);
        match self {
            Self::Webauthn => has("hwk"),
            Self::Totp => has("otp"),
            Self::Any => has("hwk") || has("otp") || has("mail"),
        }
    }
}

fn yes() -> bool {
    true
}
fn default_shutdown_grace() -> u64 {
    20
}
fn default_max_connections() -> u32 {
    16
}
fn default_idle() -> u64 {
    600
}
fn default_absolute() -> u64 {
    12 * 3600
}
fn default_login_flow() -> u64 {
    600
}
fn default_assertion_lifetime() -> u64 {
    60
}
fn default_rotation() -> u64 {
    7 * 24 * 3600
}
fn default_retry_base() -> u64 {
    5
}
fn default_retry_max() -> u64 {
    900
}
fn default_mail_poll() -> u64 {
    5
}
fn default_device_days() -> u64 {
    90
}
fn default_code_digits() -> u32 {
    8
}
fn default_code_lifetime() -> u64 {
    600
}
fn default_max_attempts() -> u32 {
    5
}
fn default_max_failures_per_day() -> u32 {
    20
}
fn default_resend_interval() -> u64 {
    60
}
fn default_max_sends() -> u32 {
    3
}
fn default_min_password() -> usize {
    12
}
fn default_lockout() -> u64 {
    900
}
fn default_reset_lifetime() -> u64 {
    3600
}
fn default_email_link_lifetime() -> u64 {
    86_400
}
fn default_hash_concurrency() -> usize {
    2
}
fn default_totp_issuer() -> String {
    "Gateway".to_owned()
}
fn default_upstream_timeout() -> u64 {
    30
}
fn default_scopes() -> Vec<String> {
    vec![
        "openid".to_owned(),
        "profile".to_owned(),
        "email".to_owned(),
    ]
}
fn default_algs() -> Vec<String> {
    vec!["RS256".to_owned(), "ES256".to_owned(), "EdDSA".to_owned()]
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

const ALGS: [&str; 7] = [
    "RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA",
];
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

impl Config {
    /// Read, apply environment overrides, and validate.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.display().to_string(),
            reason: e.kind().to_string(),
        })?;
        Self::from_toml(&text)
    }

    /// Parse a TOML text, apply environment overrides, and validate.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let mut config: Config =
            toml::from_str(text).map_err(|e| ConfigError::Parse(e.to_string()))?;
        config.apply_env();
        config.validate()?;
        Ok(config)
    }

    fn apply_env(&mut self) {
        if let Ok(v) = std::env::var(SECRET_ENV)
            && !v.is_empty()
        {
            self.secret_key = Some(v);
        }
        if let Ok(v) = std::env::var(DATABASE_URL_ENV)
            && !v.is_empty()
        {
            self.database.url = v;
        }
        if let (Ok(v), Some(mail)) = (std::env::var(SMTP_URL_ENV), self.mail.as_mut())
            && !v.is_empty()
        {
            mail.smtp_url = Some(v);
            mail.outbox_dir = None;
        }
        for p in &mut self.providers {
            if let Some(name) = &p.client_secret_env
                && let Ok(v) = std::env::var(name)
            {
                p.client_secret = Some(v);
            }
        }
    }

    /// The master secret, decoded.
    pub fn master_secret(&self) -> Result<Vec<u8>, ConfigError> {
        use base64::Engine as _;
        let text = self.secret_key.as_deref().ok_or_else(|| {
            invalid(
                "secret_key",
                format!("missing: set the {SECRET_ENV} environment variable"),
            )
        })?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text.trim()))
            .map_err(|_| invalid("secret_key", "not base64"))?;
        if bytes.len() < 32 {
            return Err(invalid("secret_key", "must decode to at least 32 bytes"));
        }
        Ok(bytes)
    }

    /// Whether cookies are sent with `Secure` (everything but plain http on loopback).
    pub fn secure_cookies(&self) -> bool {
        self.server.public_url.scheme() == "https"
    }

    /// Check every value; the error names the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.master_secret()?;
        let url = &self.server.public_url;
        match url.scheme() {
            "https" => {}
            "http" => {
                let loopback = match url.host() {
                    Some(url::Host::Domain(d)) => d == "localhost",
                    Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                    Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                    None => false,
                };
                if !loopback && !self.server.danger_allow_insecure_http {
                    return Err(invalid(
                        "server.public_url",
                        "plain http is only allowed on loopback (or set server.danger_allow_insecure_http)",
                    ));
                }
            }
            _ => return Err(invalid("server.public_url", "scheme must be http or https")),
        }
        if url.path() != "/" || url.query().is_some() {
            return Err(invalid("server.public_url", "must have no path or query"));
        }
        let db = &self.database.url;
        if !(db.starts_with("sqlite:")
            || db.starts_with("postgres://")
            || db.starts_with("postgresql://"))
        {
            return Err(invalid(
                "database.url",
                "must start with sqlite: or postgres://",
            ));
        }
        if self.database.max_connections == 0 {
            return Err(invalid("database.max_connections", "must be at least 1"));
        }
        let s = &self.session;
        if s.idle_timeout_secs == 0 {
            return Err(invalid("session.idle_timeout_secs", "must be at least 1"));
        }
        if s.absolute_lifetime_secs < s.idle_timeout_secs {
            return Err(invalid(
                "session.absolute_lifetime_secs",
                "must be at least session.idle_timeout_secs",
            ));
        }
        if s.login_timeout_secs < 30 {
            return Err(invalid("session.login_timeout_secs", "must be at least 30"));
        }
        let a = &self.assertion;
        if !(5..=300).contains(&a.lifetime_secs) {
            return Err(invalid(
                "assertion.lifetime_secs",
                "must be between 5 and 300",
            ));
        }
        if a.rotate_after_secs < 600 {
            return Err(invalid(
                "assertion.rotate_after_secs",
                "must be at least 600",
            ));
        }
        let mut ids = std::collections::HashSet::new();
        for (i, p) in self.providers.iter().enumerate() {
            let key = |k: &str| format!("providers[{i}].{k}");
            if p.id.is_empty()
                || !p
                    .id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(invalid(key("id"), "letters, digits, - and _ only"));
            }
            if !ids.insert(p.id.clone()) {
                return Err(invalid(key("id"), "duplicate provider id"));
            }
            if !matches!(p.issuer.scheme(), "https" | "http") {
                return Err(invalid(
                    key("issuer"),
                    "scheme must be https (or http on loopback)",
                ));
            }
            if p.client_id.is_empty() {
                return Err(invalid(key("client_id"), "must not be empty"));
            }
            if p.client_secret.as_deref().unwrap_or("").is_empty() {
                let hint = p
                    .client_secret_env
                    .as_deref()
                    .map(|e| format!(" (environment variable {e} is not set)"))
                    .unwrap_or_default();
                return Err(invalid(key("client_secret"), format!("missing{hint}")));
            }
            if p.signing_algs.is_empty() {
                return Err(invalid(
                    key("signing_algs"),
                    "must list at least one algorithm",
                ));
            }
            for alg in &p.signing_algs {
                if !ALGS.contains(&alg.as_str()) {
                    return Err(invalid(
                        key("signing_algs"),
                        format!(
                            "unsupported algorithm {alg:?} (allowed: {})",
                            ALGS.join(", ")
                        ),
                    ));
                }
            }
        }
        let mut prefixes = std::collections::HashSet::new();
        for (i, r) in self.routes.iter().enumerate() {
            let key = |k: &str| format!("routes[{i}].{k}");
            if !r.prefix.starts_with('/') || r.prefix.contains("//") || r.prefix.contains("..") {
                return Err(invalid(
                    key("prefix"),
                    "must start with / and hold no // or ..",
                ));
            }
            for reserved in [
                "/auth",
                "/.well-known",
                "/healthz",
                "/readyz",
                "/metrics",
                "/admin",
            ] {
                if r.prefix == reserved || r.prefix.starts_with(&format!("{reserved}/")) {
                    return Err(invalid(
                        key("prefix"),
                        format!("{reserved} is the gateway's own"),
                    ));
                }
            }
            if !prefixes.insert(r.prefix.trim_end_matches('/').to_owned()) {
                return Err(invalid(key("prefix"), "duplicate prefix"));
            }
            if !matches!(r.upstream.scheme(), "http") {
                return Err(invalid(key("upstream"), "scheme must be http"));
            }
            if r.upstream.host().is_none() {
                return Err(invalid(key("upstream"), "must name a host"));
            }
            if r.upstream.path() != "/" || r.upstream.query().is_some() {
                return Err(invalid(key("upstream"), "must have no path or query"));
            }
            if r.application.is_empty()
                || !r
                    .application
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(invalid(key("application"), "letters, digits, - and _ only"));
            }
            if r.access == Access::Policy && r.methods.is_empty() {
                return Err(invalid(
                    key("methods"),
                    "a policy route must map methods to levels",
                ));
            }
            for (m, level) in &r.methods {
                if !METHODS.contains(&m.as_str()) {
                    return Err(invalid(key("methods"), format!("unknown method {m:?}")));
                }
                if level.is_empty() {
                    return Err(invalid(key("methods"), format!("empty level for {m}")));
                }
            }
            if r.timeout_secs == 0 {
                return Err(invalid(key("timeout_secs"), "must be at least 1"));
            }
            if let Some(min) = &r.min_acr {
                let Some(rank) = self.acr_rank(min) else {
                    return Err(invalid(key("min_acr"), "not among session.acr_levels"));
                };
                let reachable = self.providers.iter().any(|p| {
                    p.acr_values
                        .iter()
                        .any(|a| self.acr_rank(a).is_some_and(|r| r >= rank))
                });
                if !reachable {
                    return Err(invalid(
                        key("min_acr"),
                        "no provider requests an acr at or above it (providers[].acr_values)",
                    ));
                }
                if r.access == Access::Public || r.access == Access::Denied {
                    return Err(invalid(
                        key("min_acr"),
                        "only for authenticated or policy routes",
                    ));
                }
            }
            if let Some(need) = r.require_factor {
                let Some(f) = &self.factors else {
                    return Err(invalid(key("require_factor"), "needs a [factors] section"));
                };
                if need == RequiredFactor::Webauthn && !f.webauthn {
                    return Err(invalid(
                        key("require_factor"),
                        "needs factors.webauthn = true",
                    ));
                }
                if r.access == Access::Public || r.access == Access::Denied {
                    return Err(invalid(
                        key("require_factor"),
                        "only for authenticated or policy routes",
                    ));
                }
            }
        }
        for (i, h) in self.identity_headers.iter().enumerate() {
            if http::HeaderName::from_bytes(h.as_bytes()).is_err() {
                return Err(invalid(
                    format!("identity_headers[{i}]"),
                    "not a header name",
                ));
            }
        }
        if let Some(m) = &self.mail {
            validate_mail(m)?;
        }
        if let Some(f) = &self.factors {
            self.validate_factors(f)?;
        }
        if let Some(l) = &self.local {
            self.validate_local(l)?;
        }
        for (i, op) in self.admin.operators.iter().enumerate() {
            let known = op.split_once(':').is_some_and(|(p, sub)| {
                !sub.is_empty() && self.providers.iter().any(|c| c.id == p)
            });
            if !known {
                return Err(invalid(
                    format!("admin.operators[{i}]"),
                    "must be provider_id:subject with a configured provider",
                ));
            }
        }
        Ok(())
    }

    /// The rank of an `acr` in `session.acr_levels` (0 = weakest), `None` if not listed.
    pub fn acr_rank(&self, acr: &str) -> Option<usize> {
        self.session.acr_levels.iter().position(|a| a == acr)
    }

    fn validate_local(&self, l: &LocalConfig) -> Result<(), ConfigError> {
        if self.mail.is_none() {
            return Err(invalid(
                "mail",
                "a [mail] section is required by [local] (reset links)",
            ));
        }
        if !(8..=128).contains(&l.min_length) {
            return Err(invalid("local.min_length", "must be between 8 and 128"));
        }
        if !(1..=20).contains(&l.max_failures) {
            return Err(invalid("local.max_failures", "must be between 1 and 20"));
        }
        if !(60..=86_400).contains(&l.lockout_secs) {
            return Err(invalid(
                "local.lockout_secs",
                "must be between 60 and 86400",
            ));
        }
        if !(300..=86_400).contains(&l.reset_link_secs) {
            return Err(invalid(
                "local.reset_link_secs",
                "must be between 300 and 86400",
            ));
        }
        if !(3600..=7 * 86_400).contains(&l.email_link_secs) {
            return Err(invalid(
                "local.email_link_secs",
                "must be between 3600 and 604800",
            ));
        }
        if !(1..=64).contains(&l.hash_concurrency) {
            return Err(invalid(
                "local.hash_concurrency",
                "must be between 1 and 64",
            ));
        }
        Ok(())
    }

    fn validate_factors(&self, f: &FactorsConfig) -> Result<(), ConfigError> {
        if f.device_trust && self.mail.is_none() {
            return Err(invalid(
                "mail",
                "a [mail] section is required when factors.device_trust is on",
            ));
        }
        if !(1..=400).contains(&f.device_trust_days) {
            return Err(invalid(
                "factors.device_trust_days",
                "must be between 1 and 400",
            ));
        }
        if !(6..=8).contains(&f.code_digits) {
            return Err(invalid("factors.code_digits", "must be between 6 and 8"));
        }
        if !(60..=1800).contains(&f.code_lifetime_secs) {
            return Err(invalid(
                "factors.code_lifetime_secs",
                "must be between 60 and 1800",
            ));
        }
        if !(1..=10).contains(&f.max_attempts) {
            return Err(invalid("factors.max_attempts", "must be between 1 and 10"));
        }
        if !(1..=100).contains(&f.max_failures_per_day) {
            return Err(invalid(
                "factors.max_failures_per_day",
                "must be between 1 and 100",
            ));
        }
        if !(1..=3600).contains(&f.resend_interval_secs) {
            return Err(invalid(
                "factors.resend_interval_secs",
                "must be between 1 and 3600",
            ));
        }
        if !(1..=10).contains(&f.max_sends) {
            return Err(invalid("factors.max_sends", "must be between 1 and 10"));
        }
        for id in f.skip_device_check.keys() {
            if !self.providers.iter().any(|p| &p.id == id) {
                return Err(invalid(
                    format!("factors.skip_device_check.{id}"),
                    "no provider has this id",
                ));
            }
        }
        if f.totp_issuer.is_empty() || f.totp_issuer.contains(':') || f.totp_issuer.len() > 64 {
            return Err(invalid("factors.totp_issuer", "1 to 64 characters, no ':'"));
        }
        if f.webauthn_rp_name.is_empty() || f.webauthn_rp_name.chars().count() > 64 {
            return Err(invalid("factors.webauthn_rp_name", "1 to 64 characters"));
        }
        if f.webauthn && self.server.public_url.domain().is_none() {
            return Err(invalid(
                "factors.webauthn",
                "server.public_url must name a domain (e.g. localhost), not an IP address",
            ));
        }
        Ok(())
    }
}

fn validate_mail(m: &MailConfig) -> Result<(), ConfigError> {
    if m.from.parse::<lettre::message::Mailbox>().is_err() {
        return Err(invalid("mail.from", "not a mail address"));
    }
    match (&m.smtp_url, &m.outbox_dir) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(invalid(
                "mail.smtp_url",
                "set exactly one of mail.smtp_url and mail.outbox_dir",
            ));
        }
        (Some(raw), None) => {
            let url = Url::parse(raw).map_err(|_| invalid("mail.smtp_url", "not a URL"))?;
            // `smtp` is not a special scheme: the host comes back as an opaque string.
            let loopback = match url.host() {
                Some(url::Host::Domain(d)) => {
                    d == "localhost"
                        || d.trim_matches(['[', ']'])
                            .parse::<std::net::IpAddr>()
                            .is_ok_and(|ip| ip.is_loopback())
                }
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => return Err(invalid("mail.smtp_url", "must name a host")),
            };
            match url.scheme() {
                "smtps" => {}
                "smtp" => {
                    let tls = url
                        .query_pairs()
                        .any(|(k, v)| k == "tls" && v == "required");
                    if !tls && !loopback && !m.danger_allow_plaintext_smtp {
                        return Err(invalid(
                            "mail.smtp_url",
                            "plain smtp is only allowed on loopback: use smtps:// or ?tls=required",
                        ));
                    }
                }
                _ => return Err(invalid("mail.smtp_url", "scheme must be smtp or smtps")),
            }
            if lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(raw).is_err() {
                return Err(invalid(
                    "mail.smtp_url",
                    "not understood by the SMTP client",
                ));
            }
        }
        (None, Some(dir)) => {
            if dir.as_os_str().is_empty() {
                return Err(invalid("mail.outbox_dir", "must not be empty"));
            }
        }
    }
    if !(1..=3600).contains(&m.retry_base_secs) {
        return Err(invalid(
            "mail.retry_base_secs",
            "must be between 1 and 3600",
        ));
    }
    if m.retry_max_secs < m.retry_base_secs || m.retry_max_secs > 86_400 {
        return Err(invalid(
            "mail.retry_max_secs",
            "must be between mail.retry_base_secs and 86400",
        ));
    }
    if !(1..=300).contains(&m.poll_secs) {
        return Err(invalid("mail.poll_secs", "must be between 1 and 300"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    fn base() -> String {
        format!(
            r#"
secret_key = "{SECRET}"
[server]
listen = "127.0.0.1:8080"
public_url = "http://127.0.0.1:8080"
[database]
url = "sqlite://gw.db"
[[providers]]
id = "eid"
label = "eID"
issuer = "http://127.0.0.1:9000"
client_id = "gw"
client_secret = "s"
[[routes]]
prefix = "/vouchers"
upstream = "http://127.0.0.1:9001"
application = "vouchers"
access = "policy"
methods = {{ GET = "read", POST = "modify" }}
"#
        )
    }

    fn refused(text: &str) -> String {
        match Config::from_toml(text) {
            Ok(_) => panic!("accepted: {text}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn the_base_file_is_accepted() {
        let c = Config::from_toml(&base()).expect("valid");
        assert_eq!(c.session.idle_timeout_secs, 600);
        assert!(!c.secure_cookies());
    }

    #[test]
    fn each_bad_value_is_refused_with_its_key() {
        let cases = [
            ("listen = \"127.0.0.1:8080\"", "listen = \"nope\"", "listen"),
            (
                "http://127.0.0.1:8080\"",
                "http://gw.example.be\"",
                "server.public_url",
            ),
            ("sqlite://gw.db", "mysql://x", "database.url"),
            ("id = \"eid\"", "id = \"e i d\"", "providers[0].id"),
            (
                "client_secret = \"s\"",
                "client_secret = \"\"",
                "providers[0].client_secret",
            ),
            (
                "upstream = \"http://127.0.0.1:9001\"",
                "upstream = \"ftp://x\"",
                "routes[0].upstream",
            ),
            (
                "prefix = \"/vouchers\"",
                "prefix = \"/auth/x\"",
                "routes[0].prefix",
            ),
            (
                "prefix = \"/vouchers\"",
                "prefix = \"vouchers\"",
                "routes[0].prefix",
            ),
            ("GET = \"read\"", "GIT = \"read\"", "routes[0].methods"),
            (
                "[database]",
                "[admin]\noperators = [\"nope:someone\"]\n[database]",
                "admin.operators[0]",
            ),
            ("access = \"policy\"", "access = \"sometimes\"", "access"),
            (
                &format!("secret_key = \"{SECRET}\""),
                "secret_key = \"c2hvcnQ=\"",
                "secret_key",
            ),
        ];
        for (from, to, key) in cases {
            let text = base().replacen(from, to, 1);
            let msg = refused(&text);
            assert!(msg.contains(key), "{key} not named in: {msg}");
        }
    }

    #[test]
    fn unknown_keys_are_refused() {
        let text = base().replace("[database]", "[database]\nurll = \"x\"");
        assert!(refused(&text).contains("urll"));
    }

    fn with_factors(mail: &str, factors: &str) -> String {
        format!("{}\n[mail]\n{mail}\n[factors]\n{factors}\n", base())
    }

    const MAIL: &str = "from = \"Gateway <gw@example.be>\"\nsmtp_url = \"smtp://127.0.0.1:2525\"";

    #[test]
    fn mail_and_factors_are_accepted() {
        let c = Config::from_toml(&with_factors(
            MAIL,
            "skip_device_check = { eid = [\"high\"] }",
        ))
        .expect("valid");
        let f = c.factors.expect("factors");
        assert!(f.device_trust);
        assert_eq!(
            (f.code_digits, f.max_attempts, f.code_lifetime_secs),
            (8, 5, 600)
        );
        let folder = "from = \"gw@example.be\"\noutbox_dir = \"mails\"";
        assert!(Config::from_toml(&with_factors(folder, "")).is_ok());
    }

    #[test]
    fn each_bad_mail_or_factor_value_is_refused_with_its_key() {
        let cases = [
            (
                MAIL.replace("gw@example.be", "not an address"),
                String::new(),
                "mail.from",
            ),
            (
                MAIL.replace("smtp://127.0.0.1:2525", "http://x"),
                String::new(),
                "mail.smtp_url",
            ),
            (
                MAIL.replace("127.0.0.1:2525", "mail.example.be:25"),
                String::new(),
                "mail.smtp_url",
            ),
            (
                format!("{MAIL}\noutbox_dir = \"x\""),
                String::new(),
                "mail.smtp_url",
            ),
            (
                format!("{MAIL}\nretry_base_secs = 0"),
                String::new(),
                "mail.retry_base_secs",
            ),
            (
                format!("{MAIL}\nretry_max_secs = 1"),
                String::new(),
                "mail.retry_max_secs",
            ),
            (
                format!("{MAIL}\npoll_secs = 0"),
                String::new(),
                "mail.poll_secs",
            ),
            (
                MAIL.to_owned(),
                "code_digits = 4".to_owned(),
                "factors.code_digits",
            ),
            (
                MAIL.to_owned(),
                "code_digits = 9".to_owned(),
                "factors.code_digits",
            ),
            (
                MAIL.to_owned(),
                "code_lifetime_secs = 10".to_owned(),
                "factors.code_lifetime_secs",
            ),
            (
                MAIL.to_owned(),
                "max_attempts = 0".to_owned(),
                "factors.max_attempts",
            ),
            (
                MAIL.to_owned(),
                "max_attempts = 50".to_owned(),
                "factors.max_attempts",
            ),
            (
                MAIL.to_owned(),
                "resend_interval_secs = 0".to_owned(),
                "factors.resend_interval_secs",
            ),
            (
                MAIL.to_owned(),
                "max_sends = 0".to_owned(),
                "factors.max_sends",
            ),
            (
                MAIL.to_owned(),
                "device_trust_days = 0".to_owned(),
                "factors.device_trust_days",
            ),
            (
                MAIL.to_owned(),
                "skip_device_check = { nope = [\"x\"] }".to_owned(),
                "factors.skip_device_check.nope",
            ),
            (
                MAIL.to_owned(),
                "totp_issuer = \"a:b\"".to_owned(),
                "factors.totp_issuer",
            ),
        ];
        for (mail, factors, key) in cases {
            let msg = refused(&with_factors(&mail, &factors));
            assert!(msg.contains(key), "{key} not named in: {msg}");
        }
        let local_cases = [
            ("min_length = 4", "local.min_length"),
            ("max_failures = 0", "local.max_failures"),
            ("lockout_secs = 1", "local.lockout_secs"),
            ("reset_link_secs = 1", "local.reset_link_secs"),
            ("email_link_secs = 1", "local.email_link_secs"),
            ("hash_concurrency = 0", "local.hash_concurrency"),
        ];
        for (line, key) in local_cases {
            let msg = refused(&format!("{}\n[local]\n{line}\n", with_factors(MAIL, "")));
            assert!(msg.contains(key), "{key} not named in: {msg}");
        }
        assert!(Config::from_toml(&format!("{}\n[local]\n", with_factors(MAIL, ""))).is_ok());
        assert!(refused(&format!("{}\n[local]\n", base())).contains("mail"));
        let without_mail = format!("{}\n[factors]\n", base());
        assert!(refused(&without_mail).contains("mail"));
        let plaintext_allowed = format!(
            "{}\ndanger_allow_plaintext_smtp = true",
            MAIL.replace("127.0.0.1:2525", "mail.example.be:25")
        );
        assert!(Config::from_toml(&with_factors(&plaintext_allowed, "")).is_ok());
    }

    #[test]
    fn webauthn_and_step_up_keys_are_checked() {
        let on_localhost = |factors: &str, route: &str| {
            with_factors(MAIL, factors)
                .replace("http://127.0.0.1:8080", "http://localhost:8080")
                .replace(
                    "access = \"policy\"",
                    &format!("access = \"policy\"\n{route}"),
                )
        };
        let ok = Config::from_toml(&on_localhost(
            "webauthn = true",
            "require_factor = \"webauthn\"",
        ))
        .expect("valid");
        assert_eq!(ok.routes[0].require_factor, Some(RequiredFactor::Webauthn));
        assert!(ok.factors.is_some_and(|f| f.webauthn));
        let cases = [
            (with_factors(MAIL, "webauthn = true"), "factors.webauthn"),
            (
                on_localhost("webauthn_rp_name = \"\"", ""),
                "factors.webauthn_rp_name",
            ),
            (
                on_localhost("", "require_factor = \"webauthn\""),
                "routes[0].require_factor",
            ),
            (
                base().replace(
                    "access = \"policy\"",
                    "access = \"policy\"\nrequire_factor = \"totp\"",
                ),
                "routes[0].require_factor",
            ),
            (
                on_localhost("", "require_factor = \"sometimes\""),
                "require_factor",
            ),
        ];
        for (text, key) in cases {
            let msg = refused(&text);
            assert!(msg.contains(key), "{key} not named in: {msg}");
        }
        let amr = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(RequiredFactor::Any.met_by(&amr(&["pwd", "mail"])));
        assert!(!RequiredFactor::Totp.met_by(&amr(&["pwd", "mail"])));
        assert!(RequiredFactor::Webauthn.met_by(&amr(&["hwk"])));
        assert!(!RequiredFactor::Webauthn.met_by(&amr(&["otp"])));
    }

    #[test]
    fn min_acr_is_checked_against_the_levels_and_providers() {
        let with = |levels: &str, acr_values: &str, route: &str| {
            base()
                .replace(
                    "[database]",
                    &format!("[session]\nacr_levels = {levels}\n[database]"),
                )
                .replace(
                    "client_secret = \"s\"",
                    &format!("client_secret = \"s\"\nacr_values = {acr_values}"),
                )
                .replace(
                    "access = \"policy\"",
                    &format!("access = \"policy\"\n{route}"),
                )
        };
        let levels = "[\"low\", \"substantial\", \"high\"]";
        let ok = Config::from_toml(&with(
            levels,
            "[\"substantial\", \"high\"]",
            "min_acr = \"high\"",
        ))
        .expect("valid");
        assert_eq!(ok.acr_rank("high"), Some(2));
        assert_eq!(ok.acr_rank("other"), None);
        for (text, why) in [
            (
                with(levels, "[\"high\"]", "min_acr = \"highest\""),
                "not a level",
            ),
            (
                with(levels, "[\"substantial\"]", "min_acr = \"high\""),
                "unreachable",
            ),
            (with("[]", "[\"high\"]", "min_acr = \"high\""), "no levels"),
        ] {
            let msg = refused(&text);
            assert!(msg.contains("routes[0].min_acr"), "{why}: {msg}");
        }
    }

    #[test]
    fn idle_longer_than_absolute_is_refused() {
        let text = format!(
            "{}\n[session]\nidle_timeout_secs = 100\nabsolute_lifetime_secs = 10\n",
            base()
        );
        assert!(refused(&text).contains("session.absolute_lifetime_secs"));
    }
}

#[cfg(test)]
mod example_file {
    /// The commented example in the repository is the reference: it must stay valid.
    #[test]
    fn the_example_configuration_is_valid() {
        let text = include_str!("../../gateway.example.toml").replace(
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
