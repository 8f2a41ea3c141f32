//! What the configuration tests share: a small valid file to vary, and helpers that
//! parse a whole file or a single section and say why it is refused.

use serde::de::DeserializeOwned;

use super::{Config, ConfigError};

/// A valid master secret (32 bytes, base64).
pub(super) const SECRET: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// A valid `[mail]` body on loopback.
pub(super) const MAIL: &str =
    "from = \"Gateway <gw@example.be>\"\nsmtp_url = \"smtp://127.0.0.1:2525\"";

/// The smallest complete file: one provider, one policy route.
pub(super) fn base() -> String {
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
[[applications]]
id = "vouchers"
name = "Vouchers"
levels = ["read", "modify"]
[[routes]]
prefix = "/vouchers"
upstream = "http://127.0.0.1:9001"
application = "vouchers"
access = "policy"
methods = {{ GET = "read", POST = "modify" }}
"#
    )
}

/// [`base`] with a `[mail]` and a `[factors]` section.
pub(super) fn with_factors(mail: &str, factors: &str) -> String {
    format!("{}\n[mail]\n{mail}\n[factors]\n{factors}\n", base())
}

/// Why a whole file is refused; panics when it is accepted.
pub(super) fn refused(text: &str) -> String {
    match Config::from_toml(text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e.to_string(),
    }
}

/// The whole file is refused and the message names `key`.
pub(super) fn assert_refused(text: &str, key: &str) {
    let msg = refused(text);
    assert!(msg.contains(key), "{key} not named in: {msg}");
}

/// [`base`] with the first `from` replaced by `to` is refused naming `key`.
pub(super) fn assert_base_refused(from: &str, to: &str, key: &str) {
    let text = base().replacen(from, to, 1);
    assert_ne!(text, base(), "{from:?} is not in the base file");
    assert_refused(&text, key);
}

/// Parses `text` as one section on its own (it must parse).
pub(super) fn section<T: DeserializeOwned>(text: &str) -> T {
    toml::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The section `text` is refused by `check` and the message names `key`.
pub(super) fn assert_section_refused<T: DeserializeOwned>(
    text: &str,
    check: impl FnOnce(&T) -> Result<(), ConfigError>,
    key: &str,
) {
    match check(&section(text)) {
        Ok(()) => panic!("accepted: {text}"),
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.contains(key), "{key} not named in: {msg}");
        }
    }
}

/// The section `text` passes `check`.
pub(super) fn assert_section_accepted<T: DeserializeOwned>(
    text: &str,
    check: impl FnOnce(&T) -> Result<(), ConfigError>,
) {
    if let Err(e) = check(&section(text)) {
        panic!("refused: {text}: {e}");
    }
}
