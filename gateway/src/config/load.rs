//! Reading the configuration: the file, its TOML, the environment variables that
//! override the secrets in it (so that they need not be written in a file), and the
//! master secret decoded from them.

use std::path::Path;

use zeroize::Zeroizing;

use super::Config;
use super::error::{self, ConfigError, invalid};
use super::secret::{Secret, SecretUrl};

/// Environment variable holding the deployment's master secret (base64, 32 bytes or more).
pub const SECRET_ENV: &str = "GATEWAY_SECRET_KEY";
/// Environment variable overriding `database.url`.
pub const DATABASE_URL_ENV: &str = "GATEWAY_DATABASE_URL";
/// Environment variable overriding `mail.smtp_url` (which may carry credentials).
pub const SMTP_URL_ENV: &str = "GATEWAY_SMTP_URL";
/// Environment variable for the token of `/metrics` (overrides `server.metrics_token`).
pub const METRICS_TOKEN_ENV: &str = "GATEWAY_METRICS_TOKEN";

impl Config {
    /// Read, apply environment overrides, and validate. A file that holds a secret
    /// (`secret_key`, a provider's `client_secret`, a password in `database.url` or
    /// `mail.smtp_url`) is refused unless only its owner may read it (mode `600` or
    /// `400`): secrets belong in the environment, or at least in a file nobody else reads.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ConfigError::NotFound {
                path: path.display().to_string(),
            },
            kind => ConfigError::Read {
                path: path.display().to_string(),
                reason: kind.to_string(),
            },
        })?;
        let mut config: Config =
            toml::from_str(&text).map_err(|e| error::parse_error(&text, &e))?;
        if let Some(key) = config.secrets_in_file().into_iter().next()
            && readable_by_others(path)
        {
            return Err(invalid(
                key,
                format!(
                    "a secret in a file that others may read: move it to the environment \
                     ({SECRET_ENV}, {DATABASE_URL_ENV}, {SMTP_URL_ENV}, client_secret_env) \
                     or `chmod 600 {}`",
                    path.display()
                ),
            ));
        }
        config.apply_env();
        config.validate()?;
        config.resolve();
        config.file = Some(super::ConfigFile::new(path, &text));
        Ok(config)
    }

    /// The keys of the secrets written in the file itself (before the environment).
    fn secrets_in_file(&self) -> Vec<String> {
        let mut keys = Vec::new();
        if self.secret_key.is_some() {
            keys.push("secret_key".to_owned());
        }
        for (i, p) in self.providers.iter().enumerate() {
            if p.client_secret.is_some() {
                keys.push(format!("providers[{i}].client_secret"));
            }
        }
        if has_password(self.database.url.expose()) {
            keys.push("database.url".to_owned());
        }
        if let Some(url) = self.mail.as_ref().and_then(|m| m.smtp_url.as_ref())
            && has_password(url.expose())
        {
            keys.push("mail.smtp_url".to_owned());
        }
        keys
    }

    /// Parse a TOML text, apply environment overrides, and validate.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| error::parse_error(text, &e))?;
        config.apply_env();
        config.validate()?;
        config.resolve();
        Ok(config)
    }

    pub(super) fn apply_env(&mut self) {
        if let Ok(v) = std::env::var(SECRET_ENV)
            && !v.is_empty()
        {
            self.secret_key = Some(Secret::new(v));
        }
        if let Ok(v) = std::env::var(DATABASE_URL_ENV)
            && !v.is_empty()
        {
            self.database.url = SecretUrl::new(v);
        }
        if let (Ok(v), Some(mail)) = (std::env::var(SMTP_URL_ENV), self.mail.as_mut())
            && !v.is_empty()
        {
            mail.smtp_url = Some(SecretUrl::new(v));
            mail.outbox_dir = None;
        }
        if let Ok(v) = std::env::var(METRICS_TOKEN_ENV)
            && !v.is_empty()
        {
            self.server.metrics_token = Some(Secret::new(v));
        }
        for p in &mut self.providers {
            if let Some(name) = &p.client_secret_env
                && let Ok(v) = std::env::var(name)
            {
                p.client_secret = Some(Secret::new(v));
            }
        }
    }

    /// The master secret, decoded (wiped from memory when the caller drops it).
    pub fn master_secret(&self) -> Result<Zeroizing<Vec<u8>>, ConfigError> {
        use base64::Engine as _;
        let text = self.secret_key.as_ref().ok_or_else(|| {
            invalid(
                "secret_key",
                format!("missing: set the {SECRET_ENV} environment variable"),
            )
        })?;
        let text = text.expose().trim();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text))
            .map(Zeroizing::new)
            .map_err(|_| invalid("secret_key", "not base64"))?;
        if bytes.len() < 32 {
            return Err(invalid("secret_key", "must decode to at least 32 bytes"));
        }
        Ok(bytes)
    }
}

/// Whether a URL carries a password (`scheme://user:pass@host` or `?password=`).
fn has_password(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| {
        u.password().is_some_and(|p| !p.is_empty())
            || u.query_pairs()
                .any(|(k, _)| k.eq_ignore_ascii_case("password"))
    })
}

/// Whether anyone but the file's owner may read it (group or other bits set).
#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).map_or(true, |m| m.permissions().mode() & 0o077 != 0)
}

/// Elsewhere there is no mode to check: a secret in the file is refused.
#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::super::REDACTED;
    use super::super::testing::{SECRET, assert_refused, base, refused, with_factors};
    use super::*;

    #[test]
    fn unknown_keys_are_refused() {
        let text = base().replace("[database]", "[database]\nurll = \"x\"");
        assert!(refused(&text).contains("urll"));
        let text = format!(
            "{}\nsecret = \"x\"\n",
            base().replace("[server]", "[serverr]")
        );
        assert!(refused(&text).contains("serverr"));
    }

    #[test]
    fn the_secret_key_is_checked() {
        let with = |line: &str| base().replacen(&format!("secret_key = \"{SECRET}\""), line, 1);
        assert_refused(&with("secret_key = \"c2hvcnQ=\""), "secret_key");
        assert_refused(&with("secret_key = \"%%% not base64\""), "secret_key");
        // Absent from the file, and the environment does not set it in tests.
        if std::env::var(SECRET_ENV).is_err() {
            assert!(refused(&with("")).contains(SECRET_ENV));
        }
        // The URL-safe alphabet without padding is accepted too.
        let url_safe = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY";
        let c = Config::from_toml(&with(&format!("secret_key = \"{url_safe}\"")));
        assert_eq!(c.expect("valid").master_secret().expect("key").len(), 32);
    }

    #[test]
    fn a_missing_file_is_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("absent.toml");
        let msg = Config::load(&path).expect_err("absent").to_string();
        assert_eq!(
            msg,
            format!("configuration file not found: {}", path.display())
        );
        std::fs::write(&path, base()).expect("write");
        set_mode(&path, 0o600);
        assert!(Config::load(&path).is_ok());
    }

    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }

    /// A secret in a file others may read is refused, naming the key; the same file
    /// readable by its owner only, or without the secret, is accepted.
    #[test]
    fn a_secret_in_a_readable_file_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("gateway.toml");
        let without_secrets = base()
            .replacen(&format!("secret_key = \"{SECRET}\""), "", 1)
            .replacen(
                "client_secret = \"s\"",
                "client_secret_env = \"UNSET_IN_TESTS_7\"",
                1,
            );
        let cases = [
            (base(), "secret_key"),
            (
                format!("secret_key = \"{SECRET}\"\n{without_secrets}"),
                "secret_key",
            ),
            (
                format!("secret_key = \"{SECRET}\"\n{without_secrets}")
                    .replacen("secret_key", "# secret_key", 1)
                    .replacen(
                        "client_secret_env = \"UNSET_IN_TESTS_7\"",
                        "client_secret = \"s\"",
                        1,
                    ),
                "providers[0].client_secret",
            ),
            (
                without_secrets.replacen("sqlite://gw.db", "postgres://gw:pw@db.example.be/gw", 1),
                "database.url",
            ),
        ];
        for (text, key) in cases {
            std::fs::write(&path, &text).expect("write");
            set_mode(&path, 0o644);
            let msg = Config::load(&path).expect_err(key).to_string();
            assert!(msg.contains(key), "{key} not named in: {msg}");
            assert!(msg.contains("chmod 600"), "{msg}");
            set_mode(&path, 0o640);
            assert!(Config::load(&path).is_err(), "group-readable: {key}");
            set_mode(&path, 0o600);
            if let Err(e) = Config::load(&path) {
                // Refused for another reason than the mode (the master secret absent
                // from the environment), never for the mode.
                assert!(!e.to_string().contains("chmod"), "{key}: {e}");
            }
        }
    }

    /// A config with every secret set prints none of them.
    #[test]
    fn debug_output_holds_no_secret() {
        let (master, client, db_pass, smtp_pass) = (
            SECRET,
            "client-secret-7f3a",
            "db-pass-19c2",
            "smtp-pass-5e81",
        );
        let text = with_factors(
            &format!(
                "from = \"gw@example.be\"\nsmtp_url = \"smtps://mailer:{smtp_pass}@mail.example.be:465\""
            ),
            "",
        )
        .replace("client_secret = \"s\"", &format!("client_secret = \"{client}\""))
        .replace(
            "sqlite://gw.db",
            &format!("postgres://gw:{db_pass}@db.example.be/gw?password={db_pass}"),
        );
        let config = Config::from_toml(&text).expect("valid");
        let shown = format!("{config:?} {config:#?}");
        for secret in [master, client, db_pass, smtp_pass] {
            assert!(!shown.contains(secret), "{secret} printed in {shown}");
        }
        assert!(shown.contains(REDACTED));
        assert!(
            shown.contains("db.example.be"),
            "the rest of the URL stays readable"
        );
    }
}
