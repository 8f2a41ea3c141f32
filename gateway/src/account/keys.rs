//! Security keys (WebAuthn): register several named keys and remove them. Registration
//! takes two round trips from `/auth/webauthn.js`; the state between them is kept server
//! side, sealed, under the hash of the session's token, and consumed by the first answer.
//! User verification (PIN or biometrics on the key) is required.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use webauthn_rs::prelude::{PasskeyRegistration, RegisterPublicKeyCredential};

use super::security::{audit_change, render};
use crate::crypto;
use crate::error::HttpError;
use crate::extract::{CsrfChecked, CsrfForm};
use crate::factors::passkeys::{self, CEREMONY_MS, MAX_KEYS};
use crate::factors::webauthn_store::{self as keys, KeyRow};
use crate::i18n::{person_lang, t};
use crate::state::AppState;
use crate::store::now_ms;

/// Seal context of a registration state.
const REGISTER_SEAL: &str = "webauthn register v1";

#[derive(Deserialize)]
pub(super) struct StartRegistration {
    name: Option<String>,
}

/// POST /auth/factors/webauthn/register/start (JSON `{name}`): the options for
/// `navigator.credentials.create`. Needs a session and its CSRF token (`X-CSRF-Token`).
pub(super) async fn register_start(
    State(app): State<AppState>,
    CsrfChecked(s): CsrfChecked,
    headers: HeaderMap,
    Json(body): Json<StartRegistration>,
) -> Result<Response, HttpError> {
    let rp = passkeys::enabled(app.webauthn.as_ref())?;
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    let name = body.name.unwrap_or_default().trim().to_owned();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_name",
            t(lang, "key_bad_name"),
        ));
    }
    let existing = keys::keys(&app.db, &s.user_id).await?;
    if existing.len() >= MAX_KEYS {
        return Err(HttpError::new(
            StatusCode::CONFLICT,
            "too_many_keys",
            t(lang, "key_too_many"),
        ));
    }
    let exclude = passkeys::parse(&existing)?
        .iter()
        .map(|k| k.cred_id().clone())
        .collect();
    let (options, state) = rp
        .start_passkey_registration(
            passkeys::user_handle(&app.keys, &s.user_id),
            &s.display_name,
            &s.display_name,
            Some(exclude),
        )
        .map_err(HttpError::internal)?;
    let plain = serde_json::to_vec(&state).map_err(HttpError::internal)?;
    keys::put_state(
        &app.db,
        &format!("register:{}", s.token_hash),
        &s.user_id,
        "register",
        Some(&name),
        &app.keys.seal(REGISTER_SEAL, &plain),
        now_ms() + CEREMONY_MS,
    )
    .await?;
    Ok(web::no_store(Json(options).into_response()))
}

/// POST /auth/factors/webauthn/register/finish (JSON: the new credential): check the
/// answer against the stored state and record the key. Needs a session and its CSRF
/// token (`X-CSRF-Token`).
pub(super) async fn register_finish(
    State(app): State<AppState>,
    CsrfChecked(s): CsrfChecked,
    headers: HeaderMap,
    Json(answer): Json<RegisterPublicKeyCredential>,
) -> Result<Response, HttpError> {
    let rp = passkeys::enabled(app.webauthn.as_ref())?;
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    let now = now_ms();
    let Some((sealed, name)) = keys::take_state(
        &app.db,
        &format!("register:{}", s.token_hash),
        &s.user_id,
        "register",
        now,
    )
    .await?
    else {
        return Err(HttpError::new(
            StatusCode::CONFLICT,
            "no_ceremony",
            t(lang, "key_expired"),
        ));
    };
    let plain = app
        .keys
        .open(REGISTER_SEAL, &sealed)
        .map_err(HttpError::internal)?;
    let state: PasskeyRegistration = serde_json::from_slice(&plain).map_err(HttpError::internal)?;
    let key = match rp.finish_passkey_registration(&answer, &state) {
        Ok(k) => k,
        Err(e) => {
            tracing::info!(user = %s.user_id, error = %e, "security key registration refused");
            return Err(HttpError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "key_refused",
                t(lang, "key_refused"),
            ));
        }
    };
    let row = KeyRow {
        id: crypto::random_id(),
        credential_id: passkeys::credential_id_text(&key),
        name: name.unwrap_or_else(|| "?".to_owned()),
        credential: serde_json::to_string(&key).map_err(HttpError::internal)?,
        created_at: now,
        last_used_at: None,
    };
    if !keys::insert_key(&app.db, &s.user_id, &row, now).await? {
        return Err(HttpError::new(
            StatusCode::CONFLICT,
            "key_exists",
            t(lang, "key_exists"),
        ));
    }
    tracing::info!(user = %s.user_id, key = %row.id, "security key registered");
    audit_change(&app, &s, "webauthn.add", &row.id, &row.name).await;
    Ok(web::no_store(
        Json(serde_json::json!({ "redirect": "/auth/factors?done=key_added" })).into_response(),
    ))
}

#[derive(Deserialize)]
pub(super) struct DeleteForm {
    id: Option<String>,
}

/// POST /auth/factors/webauthn/delete (`id`): remove one of the person's keys. Needs a
/// session and its CSRF token.
pub(super) async fn delete(
    State(app): State<AppState>,
    headers: HeaderMap,
    CsrfForm { session: s, form }: CsrfForm<DeleteForm>,
) -> Result<Response, HttpError> {
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    let id = form.id.unwrap_or_default();
    let Some(name) = keys::delete_key(&app.db, &s.user_id, &id).await? else {
        return Err(
            HttpError::new(StatusCode::NOT_FOUND, "not_found", "No such key.")
                .for_request(&headers),
        );
    };
    tracing::info!(user = %s.user_id, key = %id, "security key removed");
    audit_change(&app, &s, "webauthn.remove", &id, &name).await;
    render(
        &app,
        &headers,
        &s,
        StatusCode::OK,
        Some(&t(lang, "key_removed")),
        None,
    )
    .await
}
