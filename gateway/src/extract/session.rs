//! The session behind a request's cookie, as an extractor. A handler that takes
//! [`CurrentSession`] runs only for a person logged in; the others get the answer every
//! page gives: a browser is sent to log in, an API client gets 401 JSON.

use std::sync::Arc;

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use crate::error::HttpError;
use crate::state::AppState;
use crate::store::sessions::Session;

/// The live session behind the request's cookie, if any (recording activity when
/// `touch`: the idle timeout slides). The store down is 503: fail closed.
pub async fn resolve_session(
    app: &AppState,
    headers: &HeaderMap,
    touch: bool,
) -> Result<Option<Arc<Session>>, HttpError> {
    let Some(token) = app.cookies.session_token(headers) else {
        return Ok(None);
    };
    Ok(app.sessions.resolve(&token, touch).await?.ok())
}

/// The live session of the request; resolving it records activity.
#[derive(Debug, Clone)]
pub struct CurrentSession(pub Arc<Session>);

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        match resolve_session(app, &parts.headers, true).await {
            Ok(Some(s)) => Ok(Self(s)),
            Ok(None) => Err(login_required(parts)),
            Err(e) => Err(e.for_request(&parts.headers).into_response()),
        }
    }
}

impl OptionalFromRequestParts<AppState> for CurrentSession {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Option<Self>, Response> {
        resolve_session(app, &parts.headers, true)
            .await
            .map(|s| s.map(Self))
            .map_err(|e| e.for_request(&parts.headers).into_response())
    }
}

/// The live session of the request if any, looked at without recording activity (the
/// session status must not extend what it reports; a logout ends it anyway).
#[derive(Debug, Clone)]
pub struct SessionPeek(pub Option<Arc<Session>>);

impl FromRequestParts<AppState> for SessionPeek {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        resolve_session(app, &parts.headers, false)
            .await
            .map(Self)
            .map_err(|e| e.for_request(&parts.headers).into_response())
    }
}

/// No session: a browser goes to the login page (coming back to the page it asked for
/// when that was a page outside `/auth/`), an API client gets 401 JSON.
pub(super) fn login_required(parts: &Parts) -> Response {
    if web::wants_html(&parts.headers) {
        let path = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
        let target = if parts.method == Method::GET && !path.starts_with("/auth/") {
            let back: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
            format!("/auth/login?return_to={back}")
        } else {
            "/auth/login".to_owned()
        };
        return Redirect::to(&target).into_response();
    }
    HttpError::new(
        StatusCode::UNAUTHORIZED,
        "session_required",
        "Please log in.",
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use axum::http::{Request, header};

    use super::*;

    fn answer(method: Method, uri: &str, accept: Option<&str>) -> (StatusCode, String) {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(a) = accept {
            b = b.header(header::ACCEPT, a);
        }
        let (parts, ()) = b.body(()).expect("request").into_parts();
        let r = login_required(&parts);
        let location = r
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (r.status(), location)
    }

    #[test]
    fn a_browser_is_sent_to_log_in_and_an_api_client_gets_401() {
        let html = Some("text/html,application/xhtml+xml");
        assert_eq!(
            answer(Method::GET, "/", html),
            (
                StatusCode::SEE_OTHER,
                "/auth/login?return_to=%2F".to_owned()
            )
        );
        assert_eq!(
            answer(Method::GET, "/vouchers/a?b=1", html),
            (
                StatusCode::SEE_OTHER,
                "/auth/login?return_to=%2Fvouchers%2Fa%3Fb%3D1".to_owned()
            )
        );
        // The gateway's own pages and every form: to the login page, no way back.
        assert_eq!(
            answer(Method::GET, "/auth/factors", html),
            (StatusCode::SEE_OTHER, "/auth/login".to_owned())
        );
        assert_eq!(
            answer(Method::POST, "/auth/structure", html),
            (StatusCode::SEE_OTHER, "/auth/login".to_owned())
        );
        assert_eq!(
            answer(Method::GET, "/", None),
            (StatusCode::UNAUTHORIZED, String::new())
        );
        assert_eq!(
            answer(Method::POST, "/auth/factors/totp", Some("application/json")),
            (StatusCode::UNAUTHORIZED, String::new())
        );
    }
}
