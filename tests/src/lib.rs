//! Test harness: starts the real peers (OpenID provider, SMTP server, PostgreSQL, browser)
//! on loopback, each on an ephemeral port, ready before its constructor returns and killed
//! (with its whole process group) when dropped. It is the shared test support of the
//! workspace: the gateway's own tests use it too, so it depends on no crate of ours.
//!
//! - [`OidcProvider`]: npm `oidc-provider` 9.x (tests/peers/oidc-provider.mjs) with a
//!   scripted login, back-channel logout and stop/restart.
//! - [`SmtpServer`]: Python `aiosmtpd` (tests/peers/smtp_sink.py); mails parsed here.
//! - [`Postgres`]: the test PostgreSQL server, or a throwaway cluster; fresh databases.
//! - [`WebDriver`]: chromedriver + headless Chromium, with WebAuthn virtual authenticators.
//! - [`totp_now`]: codes from Python's `pyotp`, an independent TOTP implementation.
//! - [`http`]: the tests' HTTP client (no redirects, with or without a cookie jar) and
//!   the parsing of form fields, `Location` and `Set-Cookie`.
//!
//! The peers' own installs (npm packages, Python modules, Debian packages) are made by
//! `scripts/test.sh`.

pub mod http;
pub mod oidc;
pub mod postgres;
pub mod process;
pub mod smtp;
pub mod totp;
pub mod webdriver;

use std::path::PathBuf;

pub use oidc::{
    BackchannelLogoutCall, OidcAccount, OidcClient, OidcProvider, OidcProviderConfig,
    ProviderSession,
};
pub use postgres::{PgServer, Postgres, TestDatabase};
pub use smtp::{Mail, SmtpServer};
pub use totp::{totp_at, totp_at_from_uri, totp_now, totp_now_from_uri};
pub use webdriver::{Element, VirtualAuthenticator, WebDriver};

/// The folder of the peers' scripts and npm packages (`tests/peers`).
pub fn peers_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("peers")
}

/// The Python interpreter with `aiosmtpd` and `pyotp`: `$E2E_PYTHON`, else `python3`.
pub fn python() -> String {
    std::env::var("E2E_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// The Node.js interpreter: `$E2E_NODE`, else `node`.
pub fn node() -> String {
    std::env::var("E2E_NODE").unwrap_or_else(|_| "node".to_owned())
}
