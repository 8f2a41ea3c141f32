//! The person's language for pages and mails (else the browser's `Accept-Language`).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::security::render;
use crate::error::HttpError;
use crate::extract::CsrfForm;
use crate::factors::store;
use crate::i18n::{Lang, t};
use crate::state::AppState;
use crate::store::now_ms;

#[derive(Deserialize)]
pub(super) struct LanguageForm {
    lang: Option<String>,
}

/// POST /auth/factors/language (`lang`). Needs a session and its CSRF token.
pub(super) async fn set(
    State(app): State<AppState>,
    headers: HeaderMap,
    CsrfForm { session: s, form }: CsrfForm<LanguageForm>,
) -> Result<Response, HttpError> {
    let Some(lang) = form
        .lang
        .as_deref()
        .filter(|l| l.len() == 2)
        .and_then(Lang::from_code)
    else {
        return Err(
            HttpError::bad_request("bad_language", "Unknown language.").for_request(&headers)
        );
    };
    store::set_locale(&app.db, &s.user_id, lang.code(), now_ms()).await?;
    render(
        &app,
        &headers,
        &s,
        StatusCode::OK,
        Some(&t(lang, "language_saved")),
        None,
    )
    .await
}
