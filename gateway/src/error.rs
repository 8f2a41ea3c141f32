//! The one HTTP error type of the gateway: a status, a message safe to show, and (for
//! internal errors) the detail that goes to the log only. Browsers get a page, API
//! clients JSON.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// Where a failure came from (pingora's `ErrorSource`): it decides the status and who
/// is told what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The client sent something wrong.
    Client,
    /// The upstream backend or provider failed.
    Upstream,
    /// The gateway itself (store down, bug).
    Internal,
}

/// An error answered to a client.
#[derive(Debug)]
pub struct HttpError {
    /// Status code.
    pub status: StatusCode,
    /// Short machine code (`session_required`, `forbidden`, ...).
    pub code: &'static str,
    /// Message safe to show.
    pub message: String,
    /// Origin.
    pub source: Source,
    /// Detail for the log, never shown.
    pub detail: Option<String>,
    /// Whether the client wants HTML.
    pub html: bool,
}

impl HttpError {
    /// A new error.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        let source = if status.is_server_error() {
            Source::Internal
        } else {
            Source::Client
        };
        Self {
            status,
            code,
            message: message.into(),
            source,
            detail: None,
            html: false,
        }
    }

    /// 400.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 403.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 500 with the detail logged.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        let mut e = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side. Please try again.",
        );
        e.detail = Some(detail.to_string());
        e
    }

    /// 503 when the store is unreachable: fail closed.
    pub fn unavailable(detail: impl std::fmt::Display) -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "The service is temporarily unavailable. Please try again in a moment.",
        );
        e.detail = Some(detail.to_string());
        e
    }

    /// Upstream failure (502/504).
    pub fn upstream(status: StatusCode, code: &'static str, message: &str, detail: String) -> Self {
        let mut e = Self::new(status, code, message);
        e.source = Source::Upstream;
        e.detail = Some(detail);
        e
    }

    /// Answer with a page when the request prefers HTML.
    pub fn for_request(mut self, headers: &HeaderMap) -> Self {
        self.html = wants_html(headers);
        self
    }
}

impl From<crate::store::StoreError> for HttpError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::unavailable(e)
    }
}

/// Whether a request comes from a browser expecting a page.
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        match (&self.source, &self.detail) {
            (Source::Internal, Some(d)) => {
                tracing::error!(code = self.code, detail = %d, "request failed")
            }
            (Source::Upstream, Some(d)) => {
                tracing::warn!(code = self.code, detail = %d, "upstream failed")
            }
            _ => tracing::debug!(code = self.code, status = %self.status, "request refused"),
        }
        let mut response = if self.html {
            Html(crate::pages::error_page(self.status, &self.message)).into_response()
        } else {
            axum::Json(serde_json::json!({ "error": self.code, "message": self.message }))
                .into_response()
        };
        *response.status_mut() = self.status;
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        response
    }
}
