//! Local password accounts, for people without eID or company SSO: the email is the
//! login, the password is hashed with Argon2id ([`password`]) under a configurable policy
//! ([`rules`]). Password login ([`login`](self::login)) and the forgotten-password link
//! ([`reset`](self::reset)) and the operator's invitation to an account
//! ([`invite`](self::invite)) live here; a logged-in person changes their password and
//! login email in the account area (`crate::account`). Every address here is 404 when
//! `[local]` is not configured.

pub mod invite;
mod login;
pub mod password;
mod reset;
pub mod rules;
pub mod store;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::get;

use crate::config::LocalConfig;
use crate::error::HttpError;
use crate::state::AppState;
use crate::store::now_ms;
use password::Hasher;

/// Routes of password login and reset.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/local", get(login::page).post(login::login))
        .route(
            "/auth/local/forgot",
            get(reset::forgot_page).post(reset::forgot),
        )
        .route(
            "/auth/local/reset",
            get(reset::reset_page).post(reset::reset),
        )
        .route(
            "/auth/local/invitation",
            get(invite::page).post(invite::accept),
        )
}

/// Local accounts are configured: their settings and the hasher. Taken first by every
/// local-account handler, so that without `[local]` every such address is 404 before any
/// other check.
pub struct LocalAccounts(pub LocalConfig, pub Hasher);

impl FromRequestParts<AppState> for LocalAccounts {
    type Rejection = HttpError;

    async fn from_request_parts(_: &mut Parts, app: &AppState) -> Result<Self, HttpError> {
        match (app.config.local.as_ref(), app.passwords.as_ref()) {
            (Some(c), Some(h)) => Ok(Self(c.clone(), h.clone())),
            _ => Err(HttpError::new(StatusCode::NOT_FOUND, "not_found", "Not found.").page()),
        }
    }
}

/// The answer to a local-account form sent from another site.
pub fn refused_cross_site() -> HttpError {
    HttpError::forbidden(crate::pages::CROSS_SITE).page()
}

/// Why an account cannot be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// No `[local]` section.
    #[error("local accounts are not configured")]
    NotConfigured,
    /// Not an email address.
    #[error("not an email address")]
    BadEmail,
    /// The password breaks the policy.
    #[error("password refused: {0:?}")]
    Weak(rules::Weakness),
    /// The email is already a login.
    #[error("email already used")]
    Taken,
    /// Storage or hashing failed.
    #[error("internal: {0}")]
    Internal(String),
}

/// Create a person with a local account (for the demo and tests; people get one by an
/// operator's invitation, [`invite`]); returns the person's id.
pub async fn create_account(
    app: &AppState,
    email: &str,
    name: &str,
    password: &str,
) -> Result<String, CreateError> {
    let (Some(c), Some(h)) = (app.config.local.as_ref(), app.passwords.as_ref()) else {
        return Err(CreateError::NotConfigured);
    };
    if !rules::valid_email(email) {
        return Err(CreateError::BadEmail);
    }
    rules::check_policy(c, password).map_err(CreateError::Weak)?;
    let hash = h
        .hash(password)
        .await
        .map_err(|e| CreateError::Internal(e.to_string()))?;
    let id = uuid::Uuid::new_v4().to_string();
    match store::create(&app.db, &id, email, name, &hash, now_ms()).await {
        Ok(true) => Ok(id),
        Ok(false) => Err(CreateError::Taken),
        Err(e) => Err(CreateError::Internal(e.to_string())),
    }
}
