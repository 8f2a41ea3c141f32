//! What every HTTP-serving crate of the workspace shares and that belongs to none of them:
//! the gateway, the administration API and the backends answer errors the same way, tell
//! a browser from an API client the same way, and stop on the same signals.
//!
//! - [`error`]: the error convention. One type, [`HttpError`], with a status, a stable
//!   machine code, a message safe to show, the input field at fault, where the failure
//!   came from ([`Source`]) and a detail for the log only; answered as the JSON
//!   [`ErrorBody`] to API clients and as a page to browsers ([`ErrorPage`]), never cached.
//! - [`wants_html`]: whether a request comes from a browser expecting a page;
//!   [`escape`]: text made safe for HTML.
//! - [`error_chain`]: an error and its sources as one line, for logs.
//! - [`shutdown_signal`]: resolves at SIGINT or SIGTERM.
//! - [`sheet`]: cells of exported spreadsheets and CSV files, safe from formulas.
//!
//! It depends on no crate of the workspace, so that every one of them may depend on it.

pub mod error;
pub mod sheet;
mod signal;

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

pub use error::{ErrorBody, ErrorPage, HttpError, PlainPage, ShownError, Source, escape};
pub use signal::shutdown_signal;

/// The Content-Security-Policy of every page the gateway and the backends write: scripts
/// and styles are files served from the same origin, nothing inline runs, no plug-ins, no
/// `<base>`, no framing, forms post to this origin only.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
     form-action 'self'";

/// Whether a request comes from a browser expecting a page (its `Accept` names
/// `text/html`); API clients and scripts get JSON.
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// Mark a response as not to be stored by any cache (pages with tokens, personal data,
/// errors).
pub fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An error and the chain of its sources, `outer: inner: innermost`: the whole story in
/// one log field (a connection error's cause is usually two levels down).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Outer(Inner);
    #[derive(Debug)]
    struct Inner;

    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("request failed")
        }
    }
    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }
    impl std::fmt::Display for Inner {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("connection refused")
        }
    }
    impl std::error::Error for Inner {}

    #[test]
    fn the_chain_names_every_cause() {
        assert_eq!(
            error_chain(&Outer(Inner)),
            "request failed: connection refused"
        );
        assert_eq!(error_chain(&Inner), "connection refused");
    }

    #[test]
    fn only_an_accept_naming_html_wants_a_page() {
        let mut h = HeaderMap::new();
        assert!(!wants_html(&h));
        h.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        assert!(!wants_html(&h));
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("text/html,application/xhtml+xml;q=0.9"),
        );
        assert!(wants_html(&h));
    }
}
