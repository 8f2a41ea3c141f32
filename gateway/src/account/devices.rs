//! Trusted devices: removing one ends every session it opened (the person's own included,
//! then logged out).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::security::{audit_change, render};
use crate::crypto;
use crate::error::HttpError;
use crate::extract::CsrfForm;
use crate::factors::store;
use crate::i18n::{person_lang, t};
use crate::state::AppState;

#[derive(Deserialize)]
pub(super) struct DeviceForm {
    id: Option<String>,
}

/// POST /auth/factors/devices/revoke (`id`). Needs a session and its CSRF token; only
/// the person's own devices.
pub(super) async fn revoke(
    State(app): State<AppState>,
    headers: HeaderMap,
    CsrfForm { session: s, form }: CsrfForm<DeviceForm>,
) -> Result<Response, HttpError> {
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    let id = form.id.unwrap_or_default();
    let Some(sessions) = store::revoke_device(&app.db, &s.user_id, &id).await? else {
        return Err(
            HttpError::new(StatusCode::NOT_FOUND, "not_found", "No such device.")
                .for_request(&headers),
        );
    };
    let mut ended_own = false;
    for hash in &sessions {
        app.sessions.end(hash).await?;
        ended_own |= crypto::ct_eq(hash.as_bytes(), s.token_hash.as_bytes());
    }
    tracing::info!(user = %s.user_id, device = %id, sessions = sessions.len(), "trusted device removed");
    audit_change(&app, &s, "device.remove", &id, "").await;
    if ended_own {
        let mut r = Redirect::to("/auth/logged-out").into_response();
        crate::cookies::append(r.headers_mut(), app.cookies.clear_session());
        return Ok(r);
    }
    render(
        &app,
        &headers,
        &s,
        StatusCode::OK,
        Some(&t(lang, "device_revoked")),
        None,
    )
    .await
}
