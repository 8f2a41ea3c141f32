//! The person's own pages: "My account" ([`index`]) with the profile ([`profile`]), the
//! preferences ([`preferences`]), the sessions ([`sessions`]) and the deactivation of
//! the account ([`deactivate`]), the weekly digest of managers ([`digest`]); the security page ([`security`]) with the trusted devices
//! ([`devices`]), the authenticator app ([`totp`]) and the security keys ([`keys`]); the
//! language of pages and mails ([`language`]); and, for a local account, the password
//! ([`password`]) and the login email ([`email`]).
//!
//! Every form needs the session and its CSRF token ([`crate::extract::CsrfForm`]); every
//! change of a factor or of the person's data is in the audit log. The security page's
//! addresses stay under `/auth/` for now.

mod deactivate;
mod devices;
pub mod digest;
mod email;
mod index;
mod keys;
mod language;
mod password;
mod preferences;
mod profile;
mod security;
mod sessions;
mod totp;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;
use crate::store::sessions::Session;

/// Routes of the person's own pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/", get(index::page))
        .route("/account/profile", get(profile::page).post(profile::save))
        .route("/account/preferences", get(preferences::page))
        .route(
            "/account/preferences/display",
            post(preferences::save_display),
        )
        .route(
            "/account/preferences/notifications",
            post(preferences::save_notifications),
        )
        .route("/account/sessions", get(sessions::page))
        .route("/account/sessions/end", post(sessions::end))
        .route("/account/sessions/end-others", post(sessions::end_others))
        .route(
            "/account/deactivate",
            get(deactivate::page).post(deactivate::deactivate),
        )
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

/// A change of the person's own data, in the audit log: `action` (one of
/// [`policy::audit::actions`]), the person as actor and target, the session and `detail`.
pub(crate) async fn audit_person(
    app: &AppState,
    s: &Session,
    ip: std::net::IpAddr,
    action: &str,
    mut detail: serde_json::Value,
) {
    if let Some(obj) = detail.as_object_mut() {
        obj.insert("sid".to_owned(), serde_json::Value::from(s.sid.as_str()));
    }
    app.audit(
        Some(&s.user_id),
        action,
        &s.user_id,
        None,
        Some(&ip.to_string()),
        detail,
    )
    .await;
}
