//! The platform operator's pages (`[admin] operators`): the company-register import
//! ([`register`]), the search of every organisation ([`organisations`]) and the
//! invitations to local password accounts ([`accounts`]). Every page and form answers
//! anyone else the 403 page, before it reads anything; each calls what the JSON API
//! calls, so a page can never do what the API refuses.

mod accounts;
mod organisations;
mod register;

use axum::Router;
use axum::http::HeaderMap;
use axum::response::Response;

use crate::error::HttpError;
use crate::state::AppState;
use crate::store::sessions::Session;

/// The operator's routes.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .merge(register::router())
        .merge(organisations::router())
        .merge(accounts::router())
}

/// `None` for an operator; anyone else's answer: the 403 page.
async fn not_operator(
    app: &AppState,
    headers: &HeaderMap,
    session: &Session,
) -> Option<Result<Response, HttpError>> {
    if crate::admin_api::is_operator(app, session) {
        None
    } else {
        Some(super::view::forbidden(app, headers, session).await)
    }
}
