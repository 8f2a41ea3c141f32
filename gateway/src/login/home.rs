//! What a session sees of itself: the home page (who you are, the structure you act for,
//! the applications) and `GET /auth/session` (time left, without extending it).

use axum::Json;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::json;

use axum::http::HeaderMap;

use crate::error::HttpError;
use crate::extract::{CurrentSession, SessionPeek, csrf_token};
use crate::i18n::{person_lang, t};
use crate::state::AppState;

/// GET /: the home page. Needs a session (else: log in, then come back here).
pub(super) async fn home(
    State(app): State<AppState>,
    headers: HeaderMap,
    session: Option<CurrentSession>,
) -> Result<Response, HttpError> {
    let Some(CurrentSession(session)) = session else {
        return Ok(Redirect::to("/auth/login?return_to=%2F").into_response());
    };
    let lang = person_lang(&app, &headers, &session.user_id).await?;
    let idle_minutes = app.sessions.idle_ms() / 60_000;
    let shell = crate::shell::for_session(&app, &session, lang, "/", "home").await;
    Ok(web::no_store(
        Html(crate::pages::render(
            "home.html",
            minijinja::context! {
                title => t(lang, "home_title"),
                lang => lang.code(),
                name => session.display_name,
                idle_minutes => idle_minutes,
                shell => shell,
            },
        ))
        .into_response(),
    ))
}

/// GET /auth/session: whether a session is live and for how long, its person, level,
/// structure and CSRF token. Public (answers `authenticated: false` without a session);
/// never extends the session.
pub(super) async fn session_status(
    State(app): State<AppState>,
    SessionPeek(session): SessionPeek,
) -> Response {
    let Some(session) = session else {
        return web::no_store(Json(json!({ "authenticated": false })).into_response());
    };
    let last_seen = app.sessions.last_seen(&session);
    let (idle, absolute) = app.sessions.remaining_secs(&session, last_seen);
    web::no_store(
        Json(json!({
            "authenticated": true,
            "sid": session.sid,
            "user": { "id": session.user_id, "name": session.display_name },
            "acr": session.acr,
            "amr": session.amr,
            "structure_id": session.structure_id,
            "services": session.services,
            "idle_remaining_secs": idle,
            "absolute_remaining_secs": absolute,
            "csrf": csrf_token(&app, &session),
        }))
        .into_response(),
    )
}
