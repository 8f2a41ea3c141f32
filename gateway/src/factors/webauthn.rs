//! WebAuthn security keys (`webauthn-rs`): register several named keys, remove them, and
//! use one as the second factor at login or at a step-up. User verification (PIN or
//! biometrics on the key) is required at registration and at every use, so a key is a
//! factor on its own; the signature counter is checked and stored after every use.
//!
//! Each ceremony takes two round trips. The state between them is kept server side,
//! sealed, under the hash of the session cookie (registration) or of the challenge cookie
//! (authentication), and is consumed by the first answer: a replayed or raced answer
//! finds no state. The browser's part is `/auth/webauthn.js`, which converts between the
//! JSON the server speaks and the buffers `navigator.credentials` wants.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use webauthn_rs::Webauthn;
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, WebauthnError,
};

use super::challenge;
use super::i18n::t;
use super::manage::{lang_of, render};
use super::webauthn_store::{self as keys, KeyRow};
use super::{config, passkeys, store};
use crate::auth::{check_form, current_session};
use crate::crypto;
use crate::error::HttpError;
use crate::state::AppState;
use crate::store::now_ms;
use crate::store::sessions::Session;

/// Seal context of a registration state.
const REGISTER_SEAL: &str = "webauthn register v1";
/// Seal context of an authentication state.
const AUTHENTICATE_SEAL: &str = "webauthn authenticate v1";
/// How long a ceremony may take (ms).
const CEREMONY_MS: i64 = 5 * 60 * 1000;
/// Keys per person at most.
const MAX_KEYS: usize = 10;

/// Routes of the key pages (registration, removal) and of the login ceremony.
pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/auth/webauthn.js", axum::routing::get(script))
        .route(
            "/auth/factors/webauthn/register/start",
            post(register_start),
        )
        .route(
            "/auth/factors/webauthn/register/finish",
            post(register_finish),
        )
        .route("/auth/factors/webauthn/delete", post(delete_key))
        .route("/auth/factor/webauthn/start", post(login_start))
        .route("/auth/factor/webauthn/finish", post(login_finish))
}

/// GET /auth/webauthn.js: the browser side of the ceremonies. Public.
async fn script() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        include_str!("../../templates/webauthn.js"),
    )
        .into_response()
}

fn rp(app: &AppState) -> Result<&Arc<Webauthn>, HttpError> {
    passkeys::enabled(app.webauthn.as_ref())
}

fn json_error(status: StatusCode, code: &'static str, message: &str) -> HttpError {
    HttpError::new(status, code, message)
}

/// The session of a JSON call, or 401.
async fn json_session(app: &AppState, headers: &HeaderMap) -> Result<Arc<Session>, HttpError> {
    current_session(app, headers, true).await?.ok_or_else(|| {
        json_error(
            StatusCode::UNAUTHORIZED,
            "session_required",
            "Please log in.",
        )
    })
}

#[derive(Deserialize)]
struct StartRegistration {
    name: Option<String>,
}

/// POST /auth/factors/webauthn/register/start (JSON `{name}`): the options for
/// `navigator.credentials.create`. Needs a session and its CSRF token (`X-CSRF-Token`).
async fn register_start(
    State(app): State<AppState>,
    headers: HeaderMap,
    Json(body): Json<StartRegistration>,
) -> Result<Response, HttpError> {
    let s = json_session(&app, &headers).await?;
    check_form(&app, &headers, &s, None)?;
    let rp = rp(&app)?;
    let lang = lang_of(&app, &headers, &s.user_id).await?;
    let name = body.name.unwrap_or_default().trim().to_owned();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_name",
            t(lang, "key_bad_name"),
        ));
    }
    let existing = keys::keys(&app.db, &s.user_id).await?;
    if existing.len() >= MAX_KEYS {
        return Err(json_error(
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
    Ok(no_store(Json(options).into_response()))
}

/// POST /auth/factors/webauthn/register/finish (JSON: the new credential): check the
/// answer against the stored state and record the key. Needs a session and its CSRF
/// token (`X-CSRF-Token`).
async fn register_finish(
    State(app): State<AppState>,
    headers: HeaderMap,
    Json(answer): Json<RegisterPublicKeyCredential>,
) -> Result<Response, HttpError> {
    let s = json_session(&app, &headers).await?;
    check_form(&app, &headers, &s, None)?;
    let rp = rp(&app)?;
    let lang = lang_of(&app, &headers, &s.user_id).await?;
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
        return Err(json_error(
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
            return Err(json_error(
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
        return Err(json_error(
            StatusCode::CONFLICT,
            "key_exists",
            t(lang, "key_exists"),
        ));
    }
    tracing::info!(user = %s.user_id, key = %row.id, "security key registered");
    super::manage::audit_change(&app, &s, "webauthn.add", &row.id, &row.name).await;
    Ok(no_store(
        Json(serde_json::json!({ "redirect": "/auth/factors?done=key_added" })).into_response(),
    ))
}

#[derive(Deserialize)]
struct DeleteForm {
    csrf: Option<String>,
    id: Option<String>,
}

/// POST /auth/factors/webauthn/delete (`id`): remove one of the person's keys. Needs a
/// session and its CSRF token.
async fn delete_key(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<DeleteForm>,
) -> Result<Response, HttpError> {
    let Some(s) = current_session(&app, &headers, true).await? else {
        return Ok(axum::response::Redirect::to("/auth/login").into_response());
    };
    check_form(&app, &headers, &s, form.csrf.as_deref()).map_err(|e| e.for_request(&headers))?;
    let lang = lang_of(&app, &headers, &s.user_id).await?;
    let id = form.id.unwrap_or_default();
    let Some(name) = keys::delete_key(&app.db, &s.user_id, &id).await? else {
        return Err(
            HttpError::new(StatusCode::NOT_FOUND, "not_found", "No such key.")
                .for_request(&headers),
        );
    };
    tracing::info!(user = %s.user_id, key = %id, "security key removed");
    super::manage::audit_change(&app, &s, "webauthn.remove", &id, &name).await;
    render(
        &app,
        &headers,
        &s,
        StatusCode::OK,
        Some(t(lang, "key_removed")),
        None,
    )
    .await
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// POST /auth/factor/webauthn/start: the options for `navigator.credentials.get`. Needs
/// a live challenge cookie and its CSRF token (`X-CSRF-Token`).
async fn login_start(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let f = config(&app)?;
    let rp = rp(&app)?;
    let Some((hash, c)) = challenge::live(&app, &headers, f).await? else {
        return Err(json_error(
            StatusCode::GONE,
            "challenge_ended",
            "This verification has ended.",
        ));
    };
    challenge::check_form(&app, &headers, &hash, csrf_header(&headers))?;
    let rows = keys::keys(&app.db, &c.user_id).await?;
    if rows.is_empty() {
        return Err(json_error(
            StatusCode::CONFLICT,
            "no_keys",
            "No security key.",
        ));
    }
    let (options, state) = rp
        .start_passkey_authentication(&passkeys::parse(&rows)?)
        .map_err(HttpError::internal)?;
    let plain = serde_json::to_vec(&state).map_err(HttpError::internal)?;
    keys::put_state(
        &app.db,
        &format!("authenticate:{hash}"),
        &c.user_id,
        "authenticate",
        None,
        &app.keys.seal(AUTHENTICATE_SEAL, &plain),
        (now_ms() + CEREMONY_MS).min(c.expires_at),
    )
    .await?;
    Ok(no_store(Json(options).into_response()))
}

fn csrf_header(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-csrf-token").and_then(|v| v.to_str().ok())
}

/// POST /auth/factor/webauthn/finish (JSON: the assertion): one try of the challenge.
/// Checks the answer against the stored state (consumed here, so a replay finds none),
/// stores the key's new counter, then finishes the challenge as a right code would.
/// Answers `{redirect}` with the session cookie. Needs a live challenge cookie and its
/// CSRF token (`X-CSRF-Token`).
async fn login_finish(
    State(app): State<AppState>,
    headers: HeaderMap,
    Json(answer): Json<PublicKeyCredential>,
) -> Result<Response, HttpError> {
    let f = config(&app)?;
    let rp = rp(&app)?;
    let Some((hash, c)) = challenge::live(&app, &headers, f).await? else {
        return Err(json_error(
            StatusCode::GONE,
            "challenge_ended",
            "This verification has ended.",
        ));
    };
    challenge::check_form(&app, &headers, &hash, csrf_header(&headers))?;
    let lang = super::i18n::Lang::from_code(&c.lang).unwrap_or(super::i18n::Lang::En);
    let now = now_ms();
    if store::spend_attempt(&app.db, &hash, now, i64::from(f.max_attempts))
        .await?
        .is_none()
    {
        return Err(json_error(
            StatusCode::GONE,
            "challenge_ended",
            "This verification has ended.",
        ));
    }
    let refused = |why: &str| {
        tracing::warn!(user = %c.user_id, why, "security key answer refused");
        json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "key_refused",
            t(lang, "key_login_refused"),
        )
    };
    let Some((sealed, _)) = keys::take_state(
        &app.db,
        &format!("authenticate:{hash}"),
        &c.user_id,
        "authenticate",
        now,
    )
    .await?
    else {
        return Err(refused("no pending ceremony (replayed or expired)"));
    };
    let plain = app
        .keys
        .open(AUTHENTICATE_SEAL, &sealed)
        .map_err(HttpError::internal)?;
    let state: PasskeyAuthentication =
        serde_json::from_slice(&plain).map_err(HttpError::internal)?;
    let result = match rp.finish_passkey_authentication(&answer, &state) {
        Ok(r) => r,
        Err(WebauthnError::CredentialPossibleCompromise) => {
            app.audit(
                Some(&c.user_id),
                policy::audit::actions::LOGIN_FAILED,
                &c.user_id,
                None,
                None,
                serde_json::json!({ "factor": "webauthn", "reason": "counter went back: possible clone" }),
            )
            .await;
            return Err(refused("signature counter went back: possible cloned key"));
        }
        Err(e) => {
            tracing::info!(error = %e, "webauthn authentication error");
            return Err(refused("verification failed"));
        }
    };
    let rows = keys::keys(&app.db, &c.user_id).await?;
    let mut updated = None;
    for row in &rows {
        let mut key: Passkey =
            serde_json::from_str(&row.credential).map_err(HttpError::internal)?;
        if key.cred_id() == result.cred_id() {
            key.update_credential(&result);
            updated = Some((row.credential_id.clone(), key));
            break;
        }
    }
    let Some((credential_id, key)) = updated else {
        return Err(refused("key removed during the ceremony"));
    };
    let json = serde_json::to_string(&key).map_err(HttpError::internal)?;
    keys::update_key(&app.db, &c.user_id, &credential_id, &json, now).await?;
    let mut c = c;
    c.method = "webauthn".to_owned();
    let response = challenge::finish(&app, &headers, f, &hash, c).await?;
    Ok(as_json_redirect(response))
}

/// Turn a redirect (with its cookies) into `{redirect}` JSON for a script.
fn as_json_redirect(response: Response) -> Response {
    let (parts, _) = response.into_parts();
    let target = parts
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("/")
        .to_owned();
    let status = if parts.status.is_redirection() {
        StatusCode::OK
    } else {
        parts.status
    };
    let mut r = (status, Json(serde_json::json!({ "redirect": target }))).into_response();
    for v in parts.headers.get_all(header::SET_COOKIE) {
        r.headers_mut().append(header::SET_COOKIE, v.clone());
    }
    no_store(r)
}

/// The person's keys for the security page: (id, name, added, last used).
pub(super) async fn listed(
    app: &AppState,
    user_id: &str,
) -> Result<Vec<(String, String, i64, Option<i64>)>, HttpError> {
    Ok(keys::keys(&app.db, user_id)
        .await?
        .into_iter()
        .map(|k| (k.id, k.name, k.created_at, k.last_used_at))
        .collect())
}
