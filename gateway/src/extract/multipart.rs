//! A state-changing `multipart/form-data` form (a file upload) of a logged-in person,
//! checked as [`super::CsrfForm`] checks an urlencoded one: the body read up to a limit
//! (a larger one is refused 413 with a page that says so), its fields parsed, the live
//! session (else: log in), the request from this site with the session's CSRF token
//! (field `csrf`, else header `X-CSRF-Token`; else 403).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::csrf::verify_csrf;
use super::session::{login_required, resolve_session};
use crate::error::HttpError;
use crate::state::AppState;
use crate::store::sessions::Session;

/// The largest upload a form takes: 2 MiB (as the administration API's body limit).
pub const MAX_UPLOAD_BYTES: usize = admin::MAX_BODY_BYTES;

/// A checked multipart form: the session and each field's bytes by name (the last of a
/// repeated name wins; the `csrf` field is among them).
#[derive(Debug)]
pub struct CsrfMultipart {
    /// The live session (activity recorded).
    pub session: Arc<Session>,
    /// The fields, by name.
    pub fields: HashMap<String, Vec<u8>>,
}

impl CsrfMultipart {
    /// A field as text (invalid UTF-8 is replaced), empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.fields
            .get(name)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }
}

fn too_large() -> HttpError {
    HttpError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!(
            "The file is too large: at most {} MiB.",
            MAX_UPLOAD_BYTES / (1024 * 1024)
        ),
    )
}

fn unreadable() -> HttpError {
    HttpError::bad_request(
        "invalid_form",
        "The form could not be read. Please send it again.",
    )
}

impl FromRequest<AppState> for CsrfMultipart {
    type Rejection = Response;

    async fn from_request(req: Request, app: &AppState) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let refuse = |e: HttpError| e.for_request(&parts.headers).into_response();
        let bytes = axum::body::to_bytes(body, MAX_UPLOAD_BYTES)
            .await
            .map_err(|_| refuse(too_large()))?;
        let session = match resolve_session(app, &parts.headers, true).await {
            Ok(Some(s)) => s,
            Ok(None) => return Err(login_required(&parts)),
            Err(e) => return Err(refuse(e)),
        };
        let mut multipart =
            Multipart::from_request(Request::from_parts(parts.clone(), Body::from(bytes)), app)
                .await
                .map_err(|_| refuse(unreadable()))?;
        let mut fields = HashMap::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|_| refuse(unreadable()))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let value = field.bytes().await.map_err(|_| refuse(unreadable()))?;
            fields.insert(name, value.to_vec());
        }
        let token = fields
            .get("csrf")
            .and_then(|v| std::str::from_utf8(v).ok())
            .map(str::to_owned);
        verify_csrf(app, &parts.headers, &session, token.as_deref()).map_err(refuse)?;
        Ok(Self { session, fields })
    }
}
