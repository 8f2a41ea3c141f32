//! The way to the provider: the choice page when several are configured, then the
//! authorization request (PKCE, `state`, `nonce`, the `acr` values asked for) with the
//! login flow stored server side and bound to this browser by a short-lived cookie.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use crate::cookies;
use crate::crypto;
use crate::error::HttpError;
use crate::pages::safe_return_to;
use crate::state::AppState;
use crate::store::login_flows::{self, LoginFlow};
use crate::store::now_ms;

#[derive(Debug, Deserialize)]
pub(super) struct ReturnTo {
    return_to: Option<String>,
    /// A step-up: the weakest `acr` to ask the provider for.
    acr: Option<String>,
}

/// GET /auth/login: the provider choice, or straight to the only provider. Public.
pub(super) async fn choice(
    State(app): State<AppState>,
    headers: axum::http::HeaderMap,
    Query(q): Query<ReturnTo>,
) -> Response {
    let lang = crate::i18n::pick(&app, None, &headers);
    let return_to = safe_return_to(q.return_to.as_deref());
    let encoded: String = url::form_urlencoded::byte_serialize(return_to.as_bytes()).collect();
    match app.providers.as_slice() {
        [] => HttpError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_provider",
            "No way to log in is configured.",
        )
        .into_response(),
        [only] => Redirect::to(&format!(
            "/auth/login/{}?return_to={encoded}",
            only.config.id
        ))
        .into_response(),
        many => {
            let providers: Vec<_> = many
                .iter()
                .map(|p| json!({ "id": p.config.id, "label": p.config.label }))
                .collect();
            Html(crate::pages::render(
                "login.html",
                minijinja::context! { title => crate::i18n::t(lang, "login_title"), lang => lang.code(), providers => providers, return_to => return_to },
            ))
            .into_response()
        }
    }
}

/// GET /auth/login/{provider}: start the round trip. Public.
pub(super) async fn start(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<ReturnTo>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let page = |e: HttpError| e.for_request(&headers);
    let Some(p) = app.provider(&id) else {
        return Err(page(HttpError::new(
            StatusCode::NOT_FOUND,
            "unknown_provider",
            "Unknown way to log in.",
        )));
    };
    let Some(acr_values) = p.acr_values_at_least(&app.config, q.acr.as_deref()) else {
        return Err(page(HttpError::bad_request(
            "acr_unreachable",
            "This way to log in cannot reach the level asked for.",
        )));
    };
    let request = p.authorize_with(&acr_values).await.map_err(|e| {
        app.metrics.login(&p.config.id, "provider_down");
        HttpError::upstream(
            StatusCode::SERVICE_UNAVAILABLE,
            "provider_unavailable",
            &format!(
                "{} is unavailable at the moment. Please try again in a few minutes.",
                p.config.label
            ),
            e.to_string(),
        )
        .for_request(&headers)
    })?;
    let browser = crypto::random_token(32);
    let now = now_ms();
    let ttl = i64::try_from(app.config.session.login_timeout_secs).unwrap_or(600);
    let flow = LoginFlow {
        state_hash: crypto::token_hash(request.state.expose()),
        browser_hash: crypto::token_hash(browser.expose()),
        provider: p.config.id.clone(),
        nonce: request.nonce.clone(),
        pkce_verifier_sealed: app
            .keys
            .seal("pkce", request.pkce_verifier.expose().as_bytes()),
        return_to: safe_return_to(q.return_to.as_deref()),
        created_at: now,
        expires_at: now + ttl * 1000,
    };
    login_flows::insert(&app.db, &flow)
        .await
        .map_err(|e| page(e.into()))?;
    let mut response = Redirect::to(request.url.as_str()).into_response();
    cookies::append(
        response.headers_mut(),
        app.cookies.set_login(browser.expose(), ttl),
    );
    Ok(response)
}
