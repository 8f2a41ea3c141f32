//! `GET /account/`: the entry of "My account", linking the person's own pages: profile,
//! preferences, security, sessions, deactivation.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::error::HttpError;
use crate::extract::CurrentSession;
use crate::shell::{Place, person_page};
use crate::state::AppState;

/// GET /account/. Needs a session.
pub(super) async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    CurrentSession(s): CurrentSession,
) -> Result<Response, HttpError> {
    person_page(
        &app,
        &headers,
        &s,
        Place::new("account.html", "account", "/account/"),
        StatusCode::OK,
        minijinja::context! { title_key => "account_title" },
    )
    .await
}
