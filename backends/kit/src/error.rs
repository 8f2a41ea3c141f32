//! The one HTTP error type of the backends: a status, a stable machine code and a message
//! safe to show, answered through the workspace's error convention ([`web::HttpError`]):
//! JSON for API clients ([`ApiError`]), an HTML page for browsers ([`PageError`]).
//! Internal errors answer a generic text; their detail goes to the log.
//!
//! A refusal a person may read is a [`Text`] of the backend's catalogue: written in
//! English for the JSON API and the log, in the person's language on a page
//! ([`ApiError::message_in`], [`page_in`]).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use i18n::{Catalogue, Lang};

/// A text of a backend's catalogue with its placeables, written in a language only when
/// it is shown.
#[derive(Clone)]
pub struct Text {
    catalogue: &'static Catalogue,
    key: &'static str,
    args: Vec<(&'static str, String)>,
}

impl Text {
    /// The text `key` of `catalogue`.
    pub fn new(catalogue: &'static Catalogue, key: &'static str) -> Self {
        Self {
            catalogue,
            key,
            args: Vec::new(),
        }
    }

    /// With the placeable `{ $name }` set to `value`.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl std::fmt::Display) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// Its key in the catalogue.
    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The text in `lang`.
    pub fn in_lang(&self, lang: Lang) -> String {
        let args: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.catalogue.t_args(lang, self.key, &args)
    }
}

impl PartialEq for Text {
    /// The same key with the same placeables (of the same catalogue, as keys are
    /// prefixed by their backend).
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.args == other.args
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Text")
            .field("key", &self.key)
            .field("args", &self.args)
            .finish()
    }
}

/// What an error says: a text of a catalogue, or words written once (already in the
/// reader's language, or English for programs).
#[derive(Debug, Clone)]
pub enum Message {
    /// Words as they are.
    Plain(String),
    /// A catalogue's text, in the reader's language when shown.
    Text(Text),
}

impl Message {
    /// The message in `lang` (words written once stay as they are).
    pub fn in_lang(&self, lang: Lang) -> String {
        match self {
            Self::Plain(m) => m.clone(),
            Self::Text(t) => t.in_lang(lang),
        }
    }
}

impl std::fmt::Display for Message {
    /// English: the JSON API's and the log's language.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.in_lang(Lang::En))
    }
}

impl From<String> for Message {
    fn from(m: String) -> Self {
        Self::Plain(m)
    }
}

impl From<&str> for Message {
    fn from(m: &str) -> Self {
        Self::Plain(m.to_owned())
    }
}

impl From<Text> for Message {
    fn from(t: Text) -> Self {
        Self::Text(t)
    }
}

/// An error answered to a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The input is invalid (400); the message names the field and why.
    #[error("{0}")]
    Invalid(Message),
    /// No valid assertion (401).
    #[error("{0}")]
    Unauthorized(String),
    /// The caller lacks the right, or is no party to the thing (403).
    #[error("{0}")]
    Forbidden(Message),
    /// Nothing here, or nothing the caller may know of (404).
    #[error("{0}")]
    NotFound(Message),
    /// The request is valid but the state forbids it (409): an illegal transition, an
    /// insufficient balance, a stale version. Nothing was changed.
    #[error("{message}")]
    Conflict {
        /// Stable code, e.g. `illegal_transition`.
        code: &'static str,
        /// What happened, for people.
        message: Message,
    },
    /// A dependency is down (503), e.g. the gateway's key set cannot be fetched.
    #[error("{0}")]
    Unavailable(String),
    /// A bug or a database failure (500). The text is logged, never answered.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// An invalid-input error.
    pub fn invalid(message: impl Into<Message>) -> Self {
        Self::Invalid(message.into())
    }

    /// A forbidden error.
    pub fn forbidden(message: impl Into<Message>) -> Self {
        Self::Forbidden(message.into())
    }

    /// A not-found error.
    pub fn not_found(message: impl Into<Message>) -> Self {
        Self::NotFound(message.into())
    }

    /// A conflict with a code.
    pub fn conflict(code: &'static str, message: impl Into<Message>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }

    /// An internal error; `detail` is logged now and never shown.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        let detail = detail.to_string();
        tracing::error!(error = %detail, "internal error");
        Self::Internal(detail)
    }

    /// The HTTP status.
    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::Invalid(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "invalid_input",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Conflict { code, .. } => code,
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    /// The message a client may see, in English (the JSON API's language).
    pub fn public_message(&self) -> String {
        match self {
            Self::Internal(_) => "internal error".to_owned(),
            other => other.message_in(Lang::En),
        }
    }

    /// The message a person may see, in `lang` (a page's).
    pub fn message_in(&self, lang: Lang) -> String {
        match self {
            Self::Invalid(m) | Self::Forbidden(m) | Self::NotFound(m) => m.in_lang(lang),
            Self::Conflict { message, .. } => message.in_lang(lang),
            Self::Unauthorized(m) | Self::Unavailable(m) => m.clone(),
            Self::Internal(_) => crate::texts::t(lang, "kit_error_internal_detail"),
        }
    }

    /// What a page says of it, until the reader's language is known.
    fn shown(&self) -> Message {
        match self {
            Self::Invalid(m) | Self::Forbidden(m) | Self::NotFound(m) => m.clone(),
            Self::Conflict { message, .. } => message.clone(),
            Self::Unauthorized(m) | Self::Unavailable(m) => Message::Plain(m.clone()),
            Self::Internal(_) => Message::Text(crate::texts::text("kit_error_internal_detail")),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        Self::internal(format_args!("database: {e}"))
    }
}

impl From<minijinja::Error> for ApiError {
    fn from(e: minijinja::Error) -> Self {
        Self::internal(format_args!("template: {e:#}"))
    }
}

impl From<&ApiError> for web::HttpError {
    /// The answer to a client. An internal error's detail was logged when it was made.
    fn from(e: &ApiError) -> Self {
        Self::new(e.status_code(), e.code(), e.public_message())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        web::HttpError::from(&self).into_response()
    }
}

/// The same error answered as a small HTML page, for handlers serving browsers.
#[derive(Debug)]
pub struct PageError(pub ApiError);

impl<E: Into<ApiError>> From<E> for PageError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for PageError {
    /// The plain page, marked with what it says so that [`crate::auth::require_assertion`]
    /// writes it again in the caller's language ([`page_in`]).
    fn into_response(self) -> Response {
        let text = ShownError {
            status: self.0.status_code(),
            message: self.0.shown(),
        };
        let mut response = web::HttpError::from(&self.0).page().into_response();
        response.extensions_mut().insert(text);
        response
    }
}

/// What an error page says, kept on its answer until the caller's language is known.
#[derive(Debug, Clone)]
pub struct ShownError {
    /// The status.
    pub status: StatusCode,
    /// The message safe to show, written in the caller's language by [`page_in`].
    pub message: Message,
}

/// The catalogue key of an error page's title for `status`.
pub fn title_key(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "kit_error_invalid",
        401 | 403 => "kit_error_forbidden",
        404 => "kit_error_not_found",
        409 => "kit_error_conflict",
        503 => "kit_error_unavailable",
        _ => "kit_error_internal",
    }
}

/// The bare error page of `shown` in `lang` (when no layout can be drawn): a title for its status, the message, the way back.
/// Never cached, like every error.
pub fn page_in(lang: i18n::Lang, shown: &ShownError) -> Response {
    let title = web::escape(&crate::texts::t(lang, title_key(shown.status)));
    let back = web::escape(&crate::texts::t(lang, "kit_error_back"));
    let message = web::escape(&shown.message.in_lang(lang));
    let code = lang.code();
    let body = format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1><p role=\"alert\">{message}</p><p>{back}</p></main></body></html>"
    );
    let mut response = (shown.status, axum::response::Html(body)).into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}
