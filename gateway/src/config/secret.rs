//! Secrets read from the configuration: the master secret, providers' client secrets, and
//! URLs that may carry a password. They are held in types that no `Debug`, `Display` or
//! log line can print, that wipe their memory when dropped, and that compare in constant
//! time, so that dumping a [`Config`](super::Config) never leaks one.

use std::fmt;

use serde::{Deserialize, Deserializer};
use subtle::ConstantTimeEq as _;
use url::{Position, Url};
use zeroize::Zeroizing;

/// What a secret, or the secret part of a URL, prints as.
pub const REDACTED: &str = "[redacted]";

/// A secret string (a configured secret, a cookie token, a code, a PKCE verifier): prints
/// as `[redacted]`, zeroized on drop, compared in constant time. [`Secret::expose`] is
/// the one way to read it, at the point of use.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a value (the `String` moves in, so no copy is left behind).
    pub fn new(value: String) -> Self {
        Self(Zeroizing::new(value))
    }

    /// The secret itself. Call it where the value is handed to what needs it, never to
    /// format or log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl PartialEq for Secret {
    /// Constant time in the content (the length may show, as with any comparison).
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for Secret {}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

/// A URL that may carry credentials (`postgres://user:password@host/db`,
/// `smtps://user:password@host:465`). It prints with its password and every query value
/// replaced by `[redacted]` (a database driver may read a password from the query), and
/// as `[redacted]` as a whole when it does not parse as a URL.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretUrl(Secret);

impl SecretUrl {
    /// Wraps a URL as written; it is checked by the section that holds it.
    pub fn new(value: String) -> Self {
        Self(Secret::new(value))
    }

    /// The URL with its credentials, for the client that connects with it.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// The URL safe to print: no password, no query value.
    pub fn redacted(&self) -> String {
        let Ok(url) = Url::parse(self.expose()) else {
            return REDACTED.to_owned();
        };
        let mut out = if url.password().is_some() {
            format!(
                "{}{REDACTED}{}",
                &url[..Position::BeforePassword],
                &url[Position::AfterPassword..Position::AfterPath]
            )
        } else {
            url[..Position::AfterPath].to_owned()
        };
        if url.query().is_some() {
            let keys: Vec<String> = url
                .query_pairs()
                .map(|(k, _)| format!("{k}={REDACTED}"))
                .collect();
            out.push('?');
            out.push_str(&keys.join("&"));
        }
        out
    }
}

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.redacted(), f)
    }
}

impl fmt::Display for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl From<String> for SecretUrl {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl<'de> Deserialize<'de> for SecretUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_prints_as_redacted_and_exposes_its_value() {
        let s = Secret::new("hunter2-hunter2".to_owned());
        assert_eq!(format!("{s:?}"), REDACTED);
        assert_eq!(format!("{s}"), REDACTED);
        assert_eq!(
            format!("{:?}", Some(s.clone())),
            format!("Some({REDACTED})")
        );
        assert_eq!(s.expose(), "hunter2-hunter2");
    }

    #[test]
    fn secrets_compare_by_content() {
        let a = Secret::new("same".to_owned());
        assert_eq!(a, Secret::new("same".to_owned()));
        assert_ne!(a, Secret::new("samf".to_owned()));
        assert_ne!(a, Secret::new("same-but-longer".to_owned()));
        assert_ne!(a, Secret::new(String::new()));
    }

    #[test]
    fn a_secret_deserializes_from_a_string_only() {
        #[derive(Deserialize)]
        struct T {
            s: Secret,
            u: SecretUrl,
        }
        let t: T = toml::from_str("s = \"x\"\nu = \"smtp://h\"").expect("strings");
        assert_eq!((t.s.expose(), t.u.expose()), ("x", "smtp://h"));
        assert!(toml::from_str::<T>("s = 1\nu = \"smtp://h\"").is_err());
    }

    #[test]
    fn a_url_prints_without_its_password_or_query_values() {
        let cases = [
            (
                "postgres://gw:pg-pass-1@db.example.be:5432/gw",
                "postgres://gw:[redacted]@db.example.be:5432/gw",
            ),
            (
                "smtps://mailer:smtp-pass-1@mail.example.be:465",
                "smtps://mailer:[redacted]@mail.example.be:465",
            ),
            (
                "postgres://gw@db/gw?password=pg-pass-2&sslmode=require",
                "postgres://gw@db/gw?password=[redacted]&sslmode=[redacted]",
            ),
            ("sqlite://gw.db", "sqlite://gw.db"),
            ("sqlite:data/gw.db", "sqlite:data/gw.db"),
            ("smtp://127.0.0.1:2525", "smtp://127.0.0.1:2525"),
            ("not a url with pass-3", REDACTED),
        ];
        for (raw, shown) in cases {
            let u = SecretUrl::new(raw.to_owned());
            assert_eq!(u.to_string(), shown, "{raw}");
            assert_eq!(format!("{u:?}"), format!("{shown:?}"), "{raw}");
            assert_eq!(u.expose(), raw);
        }
    }
}
