//! What the thin domain backends (`prestations`, `vouchers`) share, so that each of them
//! stays a readable set of domain modules.
//!
//! - [`config`]: the settings every backend has ([`config::Common`]), their validation
//!   and their `{PREFIX}_*` environment variables.
//! - [`app`]: the [`app::Scaffold`] every backend's `App` is built around: database and
//!   migrations, assertion verifier, mail sender, router shape, start/stop/close.
//! - [`serve`]: a backend binary's whole life, [`serve::run`].
//! - [`auth`]: the middleware that verifies the gateway's signed assertion and hands the
//!   verified [`auth::Caller`] to handlers; rights checks; CSRF tokens for HTML forms.
//! - [`clock`]: the injectable [`clock::Clock`] and Belgian local dates (Europe/Brussels).
//! - [`db`]: connection to SQLite or PostgreSQL through sqlx's `AnyPool`, migrations.
//! - [`outbox`]: the durable mail outbox and its sender (SMTP through `lettre`).
//! - [`background`]: periodic background tasks that stop cleanly.
//! - [`error`]: the one HTTP error type, JSON for API clients and a page for browsers.
//! - [`html`]: server-rendered pages (minijinja, autoescaped) with a shared layout and
//!   stylesheet, every answer under a strict Content-Security-Policy.
//! - [`texts`]: the translation catalogues (en, fr, nl) and dates per language.
//!
//! Backends depend on no gateway internals: only on the [`assertion`] crate.

pub mod app;
pub mod auth;
pub mod background;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod html;
pub mod ids;
pub mod outbox;
pub mod serve;
#[cfg(feature = "test-support")]
pub mod test_support;
pub mod texts;

pub use auth::{Caller, Csrf};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::ApiError;
/// Export cells safe from spreadsheet formulas (the workspace's one helper).
pub use web::sheet;
