//! The error convention of the workspace: a status, a stable machine code, a message safe
//! to show, the input field at fault, where the failure came from, and a detail that goes
//! to the log only. API clients get the JSON [`ErrorBody`] `{error, message, field?}`,
//! browsers a page ([`ErrorPage`]); neither is ever cached.
//!
//! Each crate keeps its own domain conversions (`From<PolicyError>`, `From<sqlx::Error>`,
//! ...) on its own type and answers through [`HttpError`]: the shape of an error is the
//! same everywhere, what a domain failure means stays with the domain.

use std::marker::PhantomData;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

/// Where a failure came from (pingora's `ErrorSource`): it decides the status and who is
/// told what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The client sent something wrong or may not do it.
    Client,
    /// An upstream backend or provider failed.
    Upstream,
    /// The server itself (store down, bug).
    Internal,
}

/// The JSON body of every error answered to an API client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Stable machine code: `session_required`, `forbidden`, `not_found`, `conflict`,
    /// `invalid_input`, `internal`, ...
    pub error: String,
    /// Human-readable message (never a secret, never an inner error's text).
    pub message: String,
    /// The input field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// How an application shows an error to a browser: its own page, in its own layout.
pub trait ErrorPage {
    /// The whole HTML document for an error with this status and message. The message is
    /// text: the page escapes it.
    fn render(status: StatusCode, message: &str) -> String;
}

/// A plain page without any application's layout.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainPage;

impl ErrorPage for PlainPage {
    fn render(status: StatusCode, message: &str) -> String {
        let title = status.canonical_reason().unwrap_or("Error");
        let message = escape(message);
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
             <body><main><h1>{title}</h1><p role=\"alert\">{message}</p>\
             <p>Go back to the previous page to correct it.</p></main></body></html>"
        )
    }
}

/// An error answered to a client. `P` renders the page a browser gets.
#[derive(Debug)]
pub struct HttpError<P = PlainPage> {
    /// Status code.
    pub status: StatusCode,
    /// Stable machine code (`session_required`, `forbidden`, ...).
    pub code: &'static str,
    /// Message safe to show.
    pub message: String,
    /// The input field at fault, when there is one.
    pub field: Option<String>,
    /// Where the failure came from.
    pub source: Source,
    /// Detail for the log, never shown.
    pub detail: Option<String>,
    /// Whether the client gets a page (else JSON).
    pub html: bool,
    page: PhantomData<fn() -> P>,
}

impl<P> HttpError<P> {
    /// A new error; a 5xx is internal, anything else the client's.
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
            field: None,
            source,
            detail: None,
            html: false,
            page: PhantomData,
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
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side. Please try again.",
        )
        .with_detail(detail)
    }

    /// 503 when a store the answer depends on is unreachable: fail closed.
    pub fn unavailable(detail: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "The service is temporarily unavailable. Please try again in a moment.",
        )
        .with_detail(detail)
    }

    /// An upstream failure (502, 503, 504): `message` for the client, `detail` for the log.
    pub fn upstream(status: StatusCode, code: &'static str, message: &str, detail: String) -> Self {
        let mut e = Self::new(status, code, message);
        e.source = Source::Upstream;
        e.detail = Some(detail);
        e
    }

    /// The same error with a detail for the log.
    pub fn with_detail(mut self, detail: impl std::fmt::Display) -> Self {
        self.detail = Some(detail.to_string());
        self
    }

    /// The same error naming the input field at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Answer with a page when the request prefers HTML (see [`crate::wants_html`]).
    pub fn for_request(mut self, headers: &axum::http::HeaderMap) -> Self {
        self.html = crate::wants_html(headers);
        self
    }

    /// Answer with a page whatever the request accepts.
    pub fn page(mut self) -> Self {
        self.html = true;
        self
    }
}

/// Marks an error page with the message it shows, so that a layer that knows the person
/// (their language, their portal shell) may draw it again for them.
#[derive(Debug, Clone)]
pub struct ShownError {
    /// The message safe to show, as the handler wrote it.
    pub message: String,
}

impl<P: ErrorPage> IntoResponse for HttpError<P> {
    fn into_response(self) -> Response {
        match (self.source, &self.detail) {
            (Source::Internal, Some(d)) => {
                tracing::error!(code = self.code, detail = %d, "request failed");
            }
            (Source::Upstream, Some(d)) => {
                tracing::warn!(code = self.code, detail = %d, "upstream failed");
            }
            _ => tracing::debug!(code = self.code, status = %self.status, "request refused"),
        }
        let status = self.status;
        let mut response = if self.html {
            let mut r = Html(P::render(status, &self.message)).into_response();
            r.extensions_mut().insert(ShownError {
                message: self.message,
            });
            r
        } else {
            Json(ErrorBody {
                error: self.code.to_owned(),
                message: self.message,
                field: self.field,
            })
            .into_response()
        };
        *response.status_mut() = status;
        crate::no_store(response)
    }
}

/// Escape text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header;
    use http_body_util::BodyExt;

    async fn parts(e: HttpError) -> (StatusCode, Option<String>, Option<String>, String) {
        let r = e.into_response();
        let status = r.status();
        let header = |name| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let (cache, kind) = (header(header::CACHE_CONTROL), header(header::CONTENT_TYPE));
        let body = r.into_body().collect().await.expect("body").to_bytes();
        (
            status,
            cache,
            kind,
            String::from_utf8_lossy(&body).into_owned(),
        )
    }

    #[tokio::test]
    async fn api_clients_get_the_json_body_never_cached() {
        let e = HttpError::<PlainPage>::bad_request("invalid_input", "name: too long")
            .with_field("name");
        let (status, cache, kind, body) = parts(e).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(cache.as_deref(), Some("no-store"));
        assert_eq!(kind.as_deref(), Some("application/json"));
        let v: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(
            v,
            serde_json::json!({ "error": "invalid_input", "message": "name: too long", "field": "name" })
        );
        let (_, _, _, body) = parts(HttpError::forbidden("no")).await;
        assert_eq!(body, r#"{"error":"forbidden","message":"no"}"#);
    }

    #[tokio::test]
    async fn internal_detail_never_reaches_the_client() {
        let e = HttpError::<PlainPage>::internal("password=hunter2 at db:5432");
        assert_eq!(e.source, Source::Internal);
        let (status, _, _, body) = parts(e).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!body.contains("hunter2"), "{body}");
        let up = HttpError::<PlainPage>::upstream(
            StatusCode::BAD_GATEWAY,
            "upstream_unavailable",
            "The service is unavailable.",
            "10.0.0.7:8080: connection refused".to_owned(),
        );
        assert_eq!(up.source, Source::Upstream);
        let (status, _, _, body) = parts(up).await;
        assert_eq!(status, StatusCode::BAD_GATEWAY);
        assert!(!body.contains("10.0.0.7"), "{body}");
    }

    #[tokio::test]
    async fn browsers_get_an_escaped_page() {
        let e = HttpError::<PlainPage>::forbidden("<script>alert(1)</script>").page();
        let (status, cache, kind, body) = parts(e).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(cache.as_deref(), Some("no-store"));
        assert_eq!(kind.as_deref(), Some("text/html; charset=utf-8"));
        assert!(body.contains("&lt;script&gt;") && !body.contains("<script>"));
        assert!(body.contains("<title>Forbidden</title>"));
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn the_source_follows_the_status() {
        assert_eq!(
            HttpError::<PlainPage>::forbidden("x").source,
            Source::Client
        );
        assert_eq!(
            HttpError::<PlainPage>::unavailable("db down").source,
            Source::Internal
        );
    }
}
