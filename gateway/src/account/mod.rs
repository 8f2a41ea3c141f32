//! The person's own pages: the security page ([`security`]) with the trusted devices
//! ([`devices`]), the authenticator app ([`totp`]) and the security keys ([`keys`]); the
//! language of pages and mails ([`language`]); and, for a local account, the password
//! ([`password`]) and the login email ([`email`]).
//!
//! Every form needs the session and its CSRF token ([`crate::extract::CsrfForm`]); every
//! factor change is in the audit log. The addresses stay under `/auth/` for now.

mod devices;
mod email;
mod index;
mod keys;
mod language;
mod password;
mod security;
mod totp;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

/// Routes of the person's own pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/", get(index::page))
        .route("/auth/factors", get(security::page))
        .route("/auth/factors/devices/revoke", post(devices::revoke))
        .route("/auth/factors/totp", post(totp::start))
        .route("/auth/factors/totp/qr.png", get(totp::qr))
        .route("/auth/factors/totp/confirm", post(totp::confirm))
        .route("/auth/factors/totp/delete", post(totp::delete))
        .route("/auth/factors/language", post(language::set))
        .route(
            "/auth/factors/webauthn/register/start",
            post(keys::register_start),
        )
        .route(
            "/auth/factors/webauthn/register/finish",
            post(keys::register_finish),
        )
        .route("/auth/factors/webauthn/delete", post(keys::delete))
        .route("/auth/local/password", post(password::change))
        .route("/auth/local/email", post(email::change))
        .route(
            "/auth/local/email/confirm",
            get(email::confirm_page).post(email::confirm),
        )
}
