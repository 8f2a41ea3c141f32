//! Cross-site request forgery, checked in one place. A state-changing request must come
//! from this site (`Sec-Fetch-Site` not `cross-site`/`same-site`, `Origin` ours when
//! sent) and carry the session's CSRF token (form field `csrf`, else header
//! `X-CSRF-Token`), an HMAC of the session id compared in constant time.
//!
//! [`CsrfForm`] does all of it for an urlencoded form and hands the handler the session
//! and the parsed form; [`CsrfChecked`] for a call whose body is JSON.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Form, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::session::{login_required, resolve_session};
use crate::crypto::ct_eq;
use crate::error::HttpError;
use crate::state::AppState;
use crate::store::sessions::Session;

/// The CSRF token of a session, for its pages' forms and scripts.
pub fn csrf_token(app: &AppState, session: &Session) -> String {
    app.keys.csrf_tag(&format!("csrf:{}", session.sid))
}

/// Whether the request was sent from this site: fetch metadata says so (or is absent:
/// older browsers, API clients) and `Origin`, when sent, is the gateway's own.
pub fn same_site(app: &AppState, headers: &HeaderMap) -> bool {
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin_ok = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|o| o == app.config.server.public_url.origin().ascii_serialization());
    !matches!(site, Some("cross-site" | "same-site")) && origin_ok
}

/// Check a state-changing request of `session`: sent from this site, carrying the
/// session's token (`token` from the form, else the `X-CSRF-Token` header).
pub fn verify_csrf(
    app: &AppState,
    headers: &HeaderMap,
    session: &Session,
    token: Option<&str>,
) -> Result<(), HttpError> {
    if !same_site(app, headers) {
        return Err(HttpError::forbidden(crate::pages::CROSS_SITE));
    }
    let expected = csrf_token(app, session);
    let given = token.or_else(|| headers.get("x-csrf-token").and_then(|v| v.to_str().ok()));
    match given {
        Some(t) if ct_eq(t.as_bytes(), expected.as_bytes()) => Ok(()),
        _ => Err(HttpError::forbidden(crate::pages::FORM_EXPIRED)),
    }
}

/// A state-changing form of a logged-in person: the form `T` parsed from the urlencoded
/// body (refused as axum's `Form` refuses it), the live session (else: log in), the
/// request from this site with the session's CSRF token (else 403).
#[derive(Debug)]
pub struct CsrfForm<T> {
    /// The live session (activity recorded).
    pub session: Arc<Session>,
    /// The form's fields (the `csrf` field need not be one of them).
    pub form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, app: &AppState) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), app)
            .await
            .map_err(IntoResponse::into_response)?;
        let Form(form) = Form::<T>::from_request(
            Request::from_parts(parts.clone(), Body::from(bytes.clone())),
            app,
        )
        .await
        .map_err(IntoResponse::into_response)?;
        let session = match resolve_session(app, &parts.headers, true).await {
            Ok(Some(s)) => s,
            Ok(None) => return Err(login_required(&parts)),
            Err(e) => return Err(e.for_request(&parts.headers).into_response()),
        };
        let token = url::form_urlencoded::parse(&bytes)
            .find(|(name, _)| name == "csrf")
            .map(|(_, value)| value.into_owned());
        verify_csrf(app, &parts.headers, &session, token.as_deref())
            .map_err(|e| e.for_request(&parts.headers).into_response())?;
        Ok(Self { session, form })
    }
}

/// The live session of a state-changing call whose body is not a form (JSON): the
/// request from this site with the session's CSRF token in `X-CSRF-Token`.
#[derive(Debug, Clone)]
pub struct CsrfChecked(pub Arc<Session>);

impl FromRequestParts<AppState> for CsrfChecked {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        let session = match resolve_session(app, &parts.headers, true).await {
            Ok(Some(s)) => s,
            Ok(None) => return Err(login_required(parts)),
            Err(e) => return Err(e.for_request(&parts.headers).into_response()),
        };
        verify_csrf(app, &parts.headers, &session, None)
            .map_err(|e| e.for_request(&parts.headers).into_response())?;
        Ok(Self(session))
    }
}
