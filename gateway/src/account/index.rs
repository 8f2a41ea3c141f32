//! `GET /account/`: the entry of "My account", linking the person's own pages.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};

use crate::error::HttpError;
use crate::extract::CurrentSession;
use crate::i18n::{person_lang, t};
use crate::state::AppState;

/// GET /account/. Needs a session.
pub(super) async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    CurrentSession(s): CurrentSession,
) -> Result<Response, HttpError> {
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    let shell = crate::shell::for_session(&app, &s, lang, "/account/", "account").await;
    Ok(web::no_store(
        Html(crate::pages::render(
            "account.html",
            minijinja::context! { title => t(lang, "account_title"), lang => lang.code(), shell => shell },
        ))
        .into_response(),
    ))
}
