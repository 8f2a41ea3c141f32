//! The security headers of every answer the gateway writes itself, as one layer on the
//! whole router: a strict Content-Security-Policy (no inline script or style, no framing,
//! forms to this origin only), `nosniff`, no `Referer`, `X-Frame-Options: DENY`, and
//! `Cache-Control: no-store` unless the handler chose its own caching (the JWKS, the
//! script and the style sheet). A backend's answer passed on by the proxy keeps its own
//! headers: the proxy marks it [`Proxied`] and this layer adds nothing to it.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The policy of every gateway page (the workspace's one copy, shared with the backends).
/// Scripts and styles are files the gateway serves (`/auth/webauthn.js`,
/// `/auth/portal.css`); nothing inline runs.
pub use web::CONTENT_SECURITY_POLICY;

/// Marks an answer that came from a backend through the proxy (its headers are the
/// backend's).
#[derive(Debug, Clone, Copy)]
pub struct Proxied;

/// The layer: add the headers to every answer not marked [`Proxied`], keeping any the
/// handler set itself.
pub async fn add(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    apply(&mut response);
    response
}

/// Add the headers to `response` unless it is [`Proxied`], keeping any already set.
pub fn apply(response: &mut Response) {
    if response.extensions().get::<Proxied>().is_some() {
        return;
    }
    let h = response.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ] {
        h.entry(name).or_insert(value);
    }
}
