//! The gateway's HTTP errors: the workspace's convention ([`web::HttpError`]: a status, a
//! message safe to show, the detail for the log only; JSON for API clients, a page for
//! browsers) answered with the gateway's own error page, and what a store failure means to
//! a client.

use crate::policy_texts::{CONFLICT, NOT_ALLOWED, NOT_FOUND};

/// An error answered to a client, with the gateway's error page for browsers.
pub type HttpError = web::HttpError<crate::pages::Page>;

impl From<crate::store::StoreError> for HttpError {
    /// The store cannot answer: 503, fail closed.
    fn from(e: crate::store::StoreError) -> Self {
        Self::unavailable(e)
    }
}

/// What a refusal of the access model means to a person using the console: the same
/// statuses as the administration API, with the model's message (never an inner error's
/// text: store failures are 503, their detail logged). Use as
/// `.map_err(crate::error::from_policy)?`.
pub fn from_policy(e: policy::PolicyError) -> HttpError {
    use axum::http::StatusCode;
    use policy::PolicyError as E;
    match e {
        E::Forbidden { reason } => HttpError::forbidden(format!("{NOT_ALLOWED}{reason}")),
        E::NotFound { what } => HttpError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{NOT_FOUND}{what}"),
        ),
        E::LastMainManager => HttpError::new(StatusCode::CONFLICT, "conflict", e.to_string()),
        E::Conflict(reason) => HttpError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!("{CONFLICT}{reason}"),
        ),
        E::Invalid(msg) => HttpError::bad_request("invalid_input", msg),
        E::Id(id) => HttpError::bad_request("invalid_input", format!("Invalid identifier: {id}")),
        other => HttpError::unavailable(other),
    }
}
