//! The API's one error type: a status, a short code and a message safe to show, answered
//! through the workspace's error convention ([`web::HttpError`]) as the JSON [`ErrorBody`]
//! `{error, message}` (plus `field` when one input field is to blame). Internal failures
//! answer a generic message; their detail goes to the log only. What a [`PolicyError`]
//! means to a client is decided here, by the API.

use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use policy::PolicyError;
pub use web::ErrorBody;

/// An error answered to an API client.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Machine code (`forbidden`, `invalid_input`, ...).
    pub code: &'static str,
    /// Message safe to show.
    pub message: String,
    /// The input field at fault, when there is one.
    pub field: Option<String>,
}

impl ApiError {
    /// A new error.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// 400 naming the field at fault.
    pub fn invalid(field: &str, message: impl std::fmt::Display) -> Self {
        Self {
            field: Some(field.to_owned()),
            ..Self::new(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                format!("{field}: {message}"),
            )
        }
    }

    /// 401.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "session_required",
            "Log in first: this API needs the gateway session cookie.",
        )
    }

    /// 403.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 404.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    /// 409.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    /// 500; `detail` goes to the log only.
    pub fn internal(detail: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "admin API internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side. Please try again later.",
        )
    }
}

impl From<ApiError> for web::HttpError {
    fn from(e: ApiError) -> Self {
        let answer = Self::new(e.status, e.code, e.message);
        match e.field {
            Some(field) => answer.with_field(field),
            None => answer,
        }
    }
}

impl IntoResponse for ApiError {
    /// Always JSON: the API has no pages.
    fn into_response(self) -> Response {
        web::HttpError::from(self).into_response()
    }
}

impl From<PolicyError> for ApiError {
    fn from(e: PolicyError) -> Self {
        match e {
            PolicyError::Forbidden { reason } => Self::forbidden(format!("forbidden: {reason}")),
            PolicyError::NotFound { what } => Self::not_found(what),
            PolicyError::LastMainManager | PolicyError::Conflict(_) => {
                Self::conflict(e.to_string())
            }
            PolicyError::Invalid(msg) => {
                // Policy messages start with the field name ("valid_until must be ...").
                let field = msg.split_whitespace().next().map(str::to_owned);
                Self {
                    field,
                    ..Self::new(StatusCode::BAD_REQUEST, "invalid_input", msg)
                }
            }
            PolicyError::Id(id) => Self::new(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                format!("invalid identifier: {id}"),
            ),
            other => Self::internal(&other),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::JsonDataError(e) => {
                // axum reports serde's path to the value at fault: "field: what went wrong".
                let text = e.body_text();
                let detail = text
                    .split_once("target type: ")
                    .map_or(text.as_str(), |(_, d)| d)
                    .to_owned();
                let field = detail
                    .split_once(": ")
                    .map(|(path, _)| path.to_owned())
                    .filter(|p| !p.contains(' ') && p != ".")
                    .or_else(|| {
                        // "missing field `comment`" has no path: the name is in backquotes.
                        detail.split('`').nth(1).map(str::to_owned)
                    });
                Self {
                    field,
                    ..Self::new(StatusCode::BAD_REQUEST, "invalid_input", detail)
                }
            }
            JsonRejection::JsonSyntaxError(_) => Self::new(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                "the body is not valid JSON",
            ),
            JsonRejection::MissingJsonContentType(_) => Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "invalid_input",
                "send the body as Content-Type: application/json",
            ),
            // A body over the limit is 413, whatever layer noticed it.
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => too_large(),
            other => Self::new(StatusCode::BAD_REQUEST, "invalid_input", other.body_text()),
        }
    }
}

/// 413: the body is over [`crate::MAX_BODY_BYTES`].
pub fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("the body is larger than {} bytes", crate::MAX_BODY_BYTES),
    )
}

/// The layer that makes every error of the API the JSON error body: the answers axum
/// writes itself (a path or query that does not parse, a body that is not text, a
/// method not allowed, a body over the limit) are plain text; they are rewritten here,
/// keeping their status and dropping their text.
pub async fn json_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    // A declared length over the limit is refused before a byte of the body is read.
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > crate::MAX_BODY_BYTES as u64) {
        return too_large().into_response();
    }
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let error = match status {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::new(
            status,
            "method_not_allowed",
            "this method is not allowed on this path",
        ),
        StatusCode::NOT_FOUND => ApiError::not_found("API path"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
            status,
            "invalid_input",
            "send the body as Content-Type: application/json",
        ),
        s if s.is_client_error() => ApiError::new(
            s,
            "invalid_input",
            "the request's path, query or body could not be read",
        ),
        _ => ApiError::internal(&format!("plain-text {status} from the API's stack")),
    };
    let mut out = error.into_response();
    if let Some(allow) = response.headers().get(axum::http::header::ALLOW) {
        out.headers_mut()
            .insert(axum::http::header::ALLOW, allow.clone());
    }
    out
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
