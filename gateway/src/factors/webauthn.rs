//! WebAuthn security keys as the second factor at login or at a step-up
//! (`webauthn-rs`). User verification (PIN or biometrics on the key) is required at every
//! use, so a key is a factor on its own; the signature counter is checked and stored
//! after every use. (Registering and removing keys is the account area's,
//! `crate::account`.)
//!
//! The ceremony takes two round trips. The state between them is kept server side,
//! sealed, under the hash of the challenge cookie, and is consumed by the first answer: a
//! replayed or raced answer finds no state. The browser's part is `/auth/webauthn.js`,
//! which converts between the JSON the server speaks and the buffers
//! `navigator.credentials` wants.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use webauthn_rs::Webauthn;
use webauthn_rs::prelude::{Passkey, PasskeyAuthentication, PublicKeyCredential, WebauthnError};

use super::challenge;
use super::passkeys::{self, CEREMONY_MS};
use super::webauthn_store as keys;
use super::{config, store};
use crate::error::HttpError;
use crate::i18n::{Lang, t};
use crate::state::AppState;
use crate::store::now_ms;

/// Seal context of an authentication state.
const AUTHENTICATE_SEAL: &str = "webauthn authenticate v1";

/// Routes of the browser script and of the login ceremony.
pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/auth/webauthn.js", axum::routing::get(script))
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
    Ok(web::no_store(Json(options).into_response()))
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
    let lang = Lang::from_code(&c.lang).unwrap_or(Lang::En);
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
            &t(lang, "key_login_refused"),
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
    web::no_store(r)
}
