//! Ending sessions: `POST /auth/logout` here and, where the provider supports it, at the
//! provider too (RP-initiated logout); `POST /auth/backchannel-logout` when the provider
//! ends a session on its side (Back-Channel Logout 1.0).

use axum::Json;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use crate::cookies;
use crate::error::HttpError;
use crate::extract::{SessionPeek, verify_csrf};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub(super) struct LogoutForm {
    csrf: Option<String>,
}

/// POST /auth/logout: end the session here and, where the provider supports it, there.
/// Needs the session's CSRF token (form field or header) when there is a session; without
/// one the person is logged out already. A form post or a browser gets redirects, an API
/// client JSON.
///
/// The one state-changing handler that does not take [`crate::extract::CsrfForm`]: a
/// logout without a session must succeed, and API clients may send no form at all.
pub(super) async fn logout(
    State(app): State<AppState>,
    SessionPeek(session): SessionPeek,
    headers: HeaderMap,
    form: Result<Form<LogoutForm>, FormRejection>,
) -> Result<Response, HttpError> {
    let form = form.ok();
    let html = web::wants_html(&headers) || form.is_some();
    let Some(session) = session else {
        let mut r = if html {
            Redirect::to("/auth/logged-out").into_response()
        } else {
            Json(json!({ "logged_out": true })).into_response()
        };
        cookies::append(r.headers_mut(), app.cookies.clear_session());
        return Ok(r);
    };
    let token = form.as_ref().and_then(|f| f.csrf.as_deref());
    verify_csrf(&app, &headers, &session, token).map_err(|e| e.for_request(&headers))?;
    app.sessions.end(&session.token_hash).await?;
    app.assertions.forget_session(&session.sid);
    tracing::info!(sid = %session.sid, "logout");
    let mut end_session = None;
    if let Some(p) = session.provider.as_deref().and_then(|id| app.provider(id))
        && let Some(mut url) = p.end_session_endpoint().await
    {
        let back = app.config.server.public_url.join("/auth/logged-out").ok();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("client_id", &p.config.client_id);
            if let Some(back) = back {
                q.append_pair("post_logout_redirect_uri", back.as_str());
            }
        }
        end_session = Some(url);
    }
    let mut r = if html {
        match &end_session {
            // A browser goes on to the provider from a page of ours: under the pages'
            // `form-action 'self'` a form post may not be redirected to another origin,
            // while this navigation is not a form's.
            Some(url) if web::wants_html(&headers) => {
                Html(crate::pages::redirect_page(url.as_str())).into_response()
            }
            Some(url) => Redirect::to(url.as_str()).into_response(),
            None => Redirect::to("/auth/logged-out").into_response(),
        }
    } else {
        Json(json!({ "logged_out": true, "end_session_url": end_session.map(|u| u.to_string()) }))
            .into_response()
    };
    cookies::append(r.headers_mut(), app.cookies.clear_session());
    Ok(r)
}

/// GET /auth/logged-out. Public.
pub(super) async fn logged_out(State(app): State<AppState>, headers: HeaderMap) -> Html<String> {
    let lang = crate::i18n::pick(&app, None, &headers);
    Html(crate::pages::render(
        "logged_out.html",
        minijinja::context! { title => crate::i18n::t(lang, "logged_out_title"), lang => lang.code() },
    ))
}

#[derive(Debug, Deserialize)]
pub(super) struct LogoutTokenForm {
    logout_token: Option<String>,
}

/// POST /auth/backchannel-logout: a provider ends sessions. Public: the signed logout
/// token, verified against the provider's keys, is the credential.
pub(super) async fn backchannel_logout(
    State(app): State<AppState>,
    Form(form): Form<LogoutTokenForm>,
) -> Response {
    let refuse = |why: &str| {
        tracing::warn!(reason = %why, "back-channel logout refused");
        web::no_store(
            (
                StatusCode::BAD_REQUEST,
                Json(json!({ "error": "invalid_request" })),
            )
                .into_response(),
        )
    };
    let Some(token) = form.logout_token.as_deref().filter(|t| t.len() < 16_384) else {
        return refuse("no logout_token");
    };
    let Some(iss) = crate::oidc::unverified_issuer(token) else {
        return refuse("malformed token");
    };
    let Some(p) = app.providers.iter().find(|p| p.issuer() == iss).cloned() else {
        return refuse("unknown issuer");
    };
    let verified = match p.verify_logout_token(token).await {
        Ok(v) => v,
        Err(e) => return refuse(&e.to_string()),
    };
    match app
        .sessions
        .end_by_idp(
            &verified.issuer,
            verified.sid.as_deref(),
            verified.sub.as_deref(),
        )
        .await
    {
        Ok(n) => {
            tracing::info!(provider = %p.config.id, sessions = n, "back-channel logout");
            web::no_store(StatusCode::OK.into_response())
        }
        Err(e) => {
            tracing::error!(error = %e, "back-channel logout could not be applied");
            web::no_store(StatusCode::SERVICE_UNAVAILABLE.into_response())
        }
    }
}
