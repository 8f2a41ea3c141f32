//! The gateway's own pages and endpoints under `/auth`: login choice, the round trip to
//! the provider, the callback, logout (local, RP-initiated and back-channel), the session
//! status, and the home page.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::cookies;
use crate::crypto::{self, ct_eq};
use crate::error::HttpError;
use crate::oidc::Provider;
use crate::sessions::Opening;
use crate::state::AppState;
use crate::store::login_flows::{self, LoginFlow};
use crate::store::now_ms;
use crate::store::sessions::Session;
use crate::store::users::{self, LoginIdentity};
use web::wants_html;

/// Routes under `/auth` and the home page.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/auth/login", get(login_choice))
        .route("/auth/login/{provider}", get(login_start))
        .route("/auth/callback", get(callback))
        .route("/auth/logout", post(logout))
        .route("/auth/logged-out", get(logged_out))
        .route("/auth/session", get(session_status))
        .route("/auth/backchannel-logout", post(backchannel_logout))
}

#[derive(Debug, Deserialize)]
struct ReturnTo {
    return_to: Option<String>,
    /// A step-up: the weakest `acr` to ask the provider for.
    acr: Option<String>,
}

/// The provider's configured `acr_values` at or above `min` (all of them without `min`);
/// `None` when `min` is unknown or the provider reaches no such level.
pub fn acr_values_at_least(app: &AppState, p: &Provider, min: Option<&str>) -> Option<Vec<String>> {
    let Some(min) = min else {
        return Some(p.config.acr_values.clone());
    };
    let need = app.config.acr_rank(min)?;
    let values: Vec<String> = p
        .config
        .acr_values
        .iter()
        .filter(|a| app.config.acr_rank(a).is_some_and(|r| r >= need))
        .cloned()
        .collect();
    (!values.is_empty()).then_some(values)
}

/// A same-origin relative path to go to after login; anything else becomes `/`.
pub fn safe_return_to(candidate: Option<&str>) -> String {
    let Some(c) = candidate else {
        return "/".to_owned();
    };
    let path = c.split(['?', '#']).next().unwrap_or("");
    let ok = c.len() <= 2048
        && c.starts_with('/')
        && !c.starts_with("//")
        && !c.contains('\\')
        && !c.chars().any(char::is_control)
        && crate::routes::check_path(path).is_ok()
        && !path.starts_with("/auth/");
    if ok { c.to_owned() } else { "/".to_owned() }
}

/// GET /auth/login: the provider choice, or straight to the only provider.
async fn login_choice(State(app): State<AppState>, Query(q): Query<ReturnTo>) -> Response {
    let return_to = safe_return_to(q.return_to.as_deref());
    let encoded: String = url::form_urlencoded::byte_serialize(return_to.as_bytes()).collect();
    match app.providers.as_slice() {
        [] => HttpError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_provider",
            "No way to log in is configured.",
        )
        .for_request(&HeaderMap::new())
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
                minijinja::context! { title => "Log in", providers => providers, return_to => return_to },
            ))
            .into_response()
        }
    }
}

fn provider(app: &AppState, id: &str) -> Option<Arc<Provider>> {
    app.providers.iter().find(|p| p.config.id == id).cloned()
}

/// GET /auth/login/{provider}: start the round trip.
async fn login_start(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<ReturnTo>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let page = |e: HttpError| e.for_request(&headers);
    let Some(p) = provider(&app, &id) else {
        return Err(page(HttpError::new(
            StatusCode::NOT_FOUND,
            "unknown_provider",
            "Unknown way to log in.",
        )));
    };
    let Some(acr_values) = acr_values_at_least(&app, &p, q.acr.as_deref()) else {
        return Err(page(HttpError::bad_request(
            "acr_unreachable",
            "This way to log in cannot reach the level asked for.",
        )));
    };
    let request = p.authorize_with(&acr_values).await.map_err(|e| {
        app.metrics.login(&p.config.id, "provider_down");
        let mut err = HttpError::upstream(
            StatusCode::SERVICE_UNAVAILABLE,
            "provider_unavailable",
            &format!(
                "{} is unavailable at the moment. Please try again in a few minutes.",
                p.config.label
            ),
            e.to_string(),
        );
        err.html = wants_html(&headers);
        err
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

#[derive(Debug, Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
}

fn login_failed(message: &str) -> HttpError {
    let mut e = HttpError::bad_request("login_failed", message);
    e.html = true;
    e
}

/// GET /auth/callback: the provider sends the browser back with a code.
async fn callback(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(q): Query<CallbackQuery>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let result = callback_inner(&app, peer, q, &headers).await;
    if let Err(e) = &result
        && e.status.is_client_error()
    {
        let ip = peer.ip().to_string();
        app.audit(
            None,
            policy::audit::actions::LOGIN_FAILED,
            "oidc",
            None,
            Some(&ip),
            json!({ "reason": e.message }),
        )
        .await;
    }
    result
}

async fn callback_inner(
    app: &AppState,
    peer: SocketAddr,
    q: CallbackQuery,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    let app = app.clone();
    let headers = headers.clone();
    let Some(state) = q.state.as_deref() else {
        return Err(login_failed(
            "The login answer is incomplete. Please start again.",
        ));
    };
    // The flow is consumed whatever happens next: a state works once.
    let Some(flow) = login_flows::take(&app.db, &crypto::token_hash(state)).await? else {
        app.metrics.login("unknown", "bad_state");
        return Err(login_failed(
            "This login is unknown or was already used. Please start again.",
        ));
    };
    let p = provider(&app, &flow.provider)
        .ok_or_else(|| login_failed("This way to log in is no longer available."))?;
    let fail = |outcome: &'static str, message: &str| {
        app.metrics.login(&p.config.id, outcome);
        login_failed(message)
    };
    let bound = app.cookies.login_token(&headers).is_some_and(|t| {
        ct_eq(
            crypto::token_hash(&t).as_bytes(),
            flow.browser_hash.as_bytes(),
        )
    });
    if !bound {
        return Err(fail(
            "browser_mismatch",
            "This login was started in another browser or tab. Please start again.",
        ));
    }
    if now_ms() >= flow.expires_at {
        return Err(fail(
            "expired",
            "The login took too long. Please start again.",
        ));
    }
    if let Some(err) = q.error.as_deref() {
        tracing::info!(provider = %p.config.id, error = %err.chars().take(64).collect::<String>(), "provider refused login");
        return Err(fail(
            "provider_refused",
            "The identity provider did not complete the login.",
        ));
    }
    match q.iss.as_deref() {
        Some(iss) if iss.trim_end_matches('/') != p.issuer() => {
            return Err(fail(
                "wrong_iss",
                "The login answer came from an unexpected provider.",
            ));
        }
        None if p.expects_iss().await => {
            return Err(fail(
                "missing_iss",
                "The login answer is incomplete. Please start again.",
            ));
        }
        _ => {}
    }
    let Some(code) = q.code.as_deref() else {
        return Err(fail(
            "no_code",
            "The login answer is incomplete. Please start again.",
        ));
    };
    let verifier = app
        .keys
        .open("pkce", &flow.pkce_verifier_sealed)
        .map_err(HttpError::internal)?;
    let verifier = String::from_utf8_lossy(&verifier).into_owned();
    let verified = match p.finish(code, &verifier, &flow.nonce).await {
        Ok(v) => v,
        Err(e @ crate::oidc::LoginError::Unavailable(_)) => {
            app.metrics.login(&p.config.id, "provider_down");
            let mut err = HttpError::upstream(
                StatusCode::SERVICE_UNAVAILABLE,
                "provider_unavailable",
                &format!(
                    "{} is unavailable at the moment. Please try again in a few minutes.",
                    p.config.label
                ),
                e.to_string(),
            );
            err.html = true;
            return Err(err);
        }
        Err(e) => {
            tracing::warn!(provider = %p.config.id, error = %e, "login refused");
            return Err(fail(
                "refused",
                "The login could not be verified. Please start again.",
            ));
        }
    };
    let (nrn_hash, nrn_masked) = match verified.national_number.as_deref() {
        Some(raw) => match policy::ids::NationalNumber::parse(raw) {
            Ok(n) => (Some(n.keyed_hash(app.keys.nrn_key())), Some(n.masked())),
            Err(e) => {
                tracing::warn!(provider = %p.config.id, error = %e, "national register number claim refused");
                return Err(fail(
                    "bad_national_number",
                    "The identity provider sent an invalid national register number.",
                ));
            }
        },
        None => (None, None),
    };
    let now = now_ms();
    let nrn_for_policy = nrn_hash.clone();
    let user = users::link_login(
        &app.db,
        &LoginIdentity {
            issuer: verified.issuer.clone(),
            subject: verified.subject.clone(),
            provider: p.config.id.clone(),
            display_name: verified.name.clone(),
            email: verified.email.clone(),
            nrn_hash,
            nrn_masked,
        },
        now,
    )
    .await?;
    if user.disabled {
        return Err(fail("disabled", "This account is disabled."));
    }
    // Designations waiting for this national register number take effect now.
    if let Err(e) = app
        .policy
        .on_login(
            &policy::UserId::from(user.id.as_str()),
            nrn_for_policy.as_ref(),
        )
        .await
    {
        tracing::warn!(error = %e, "pending designations could not be applied at login");
    }
    let amr = if verified.amr.is_empty() {
        vec!["fed".to_owned()]
    } else {
        verified.amr.clone()
    };
    let opening = Opening {
        user_id: user.id.clone(),
        display_name: user.display_name.clone(),
        provider: Some(p.config.id.clone()),
        idp_issuer: Some(verified.issuer.clone()),
        idp_subject: Some(verified.subject.clone()),
        idp_sid: verified.sid.clone(),
        acr: verified.acr.clone().unwrap_or_default(),
        amr,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(256).collect()),
        ip: Some(peer.ip().to_string()),
    };
    app.metrics.login(&p.config.id, "ok");
    // Opens the session, or asks for a second factor first (crate::factors).
    crate::factors::after_first_factor(&app, &headers, opening, &flow.return_to).await
}

/// Send the browser on: after a cross-site navigation a `Strict` cookie is not sent on a
/// redirect, so browsers get a same-origin page that continues; other clients a 303.
pub(crate) fn continue_to(headers: &HeaderMap, target: &str) -> Response {
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site");
    if cross_site {
        Html(crate::pages::redirect_page(target)).into_response()
    } else {
        Redirect::to(target).into_response()
    }
}

/// The session behind the request's cookie, if live (without recording activity unless
/// `touch`).
pub async fn current_session(
    app: &AppState,
    headers: &HeaderMap,
    touch: bool,
) -> Result<Option<Arc<Session>>, HttpError> {
    let Some(token) = app.cookies.session_token(headers) else {
        return Ok(None);
    };
    Ok(app.sessions.resolve(&token, touch).await?.ok())
}

/// The CSRF token of a session.
pub fn csrf_token(app: &AppState, session: &Session) -> String {
    app.keys.csrf_tag(&format!("csrf:{}", session.sid))
}

/// Check a state-changing form: same-origin fetch metadata and the session's token.
pub fn check_form(
    app: &AppState,
    headers: &HeaderMap,
    session: &Session,
    token: Option<&str>,
) -> Result<(), HttpError> {
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(site, Some("cross-site" | "same-site")) {
        return Err(HttpError::forbidden(
            "This form must be sent from this site.",
        ));
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let ours = app.config.server.public_url.origin().ascii_serialization();
        if origin != ours {
            return Err(HttpError::forbidden(
                "This form must be sent from this site.",
            ));
        }
    }
    let expected = csrf_token(app, session);
    let given = token.map(str::to_owned).or_else(|| {
        headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
    match given {
        Some(t) if ct_eq(t.as_bytes(), expected.as_bytes()) => Ok(()),
        _ => Err(HttpError::forbidden(
            "This form has expired. Please reload the page and try again.",
        )),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

/// POST /auth/logout: end the session here and, where the provider supports it, there.
async fn logout(
    State(app): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, HttpError> {
    let form = form.ok();
    let html = wants_html(&headers) || form.is_some();
    let Some(session) = current_session(&app, &headers, false)
        .await
        .map_err(|e| e.for_request(&headers))?
    else {
        let mut r = if html {
            Redirect::to("/auth/logged-out").into_response()
        } else {
            Json(json!({ "logged_out": true })).into_response()
        };
        cookies::append(r.headers_mut(), app.cookies.clear_session());
        return Ok(r);
    };
    let token = form.as_ref().and_then(|f| f.csrf.as_deref());
    check_form(&app, &headers, &session, token).map_err(|e| e.for_request(&headers))?;
    app.sessions.end(&session.token_hash).await?;
    app.assertions.forget_session(&session.sid);
    tracing::info!(sid = %session.sid, "logout");
    let mut end_session = None;
    if let Some(p) = session
        .provider
        .as_deref()
        .and_then(|id| provider(&app, id))
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
        Redirect::to(
            end_session
                .as_ref()
                .map(url::Url::as_str)
                .unwrap_or("/auth/logged-out"),
        )
        .into_response()
    } else {
        Json(json!({ "logged_out": true, "end_session_url": end_session.map(|u| u.to_string()) }))
            .into_response()
    };
    cookies::append(r.headers_mut(), app.cookies.clear_session());
    Ok(r)
}

/// GET /auth/logged-out
async fn logged_out() -> Html<String> {
    Html(crate::pages::render(
        "logged_out.html",
        minijinja::context! { title => "Logged out" },
    ))
}

/// GET /auth/session: time left, without extending it.
async fn session_status(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let Some(session) = current_session(&app, &headers, false).await? else {
        return Ok(no_store(
            Json(json!({ "authenticated": false })).into_response(),
        ));
    };
    let last_seen = app.sessions.last_seen(&session);
    let (idle, absolute) = app.sessions.remaining_secs(&session, last_seen);
    Ok(no_store(
        Json(json!({
            "authenticated": true,
            "sid": session.sid,
            "user": { "id": session.user_id, "name": session.display_name },
            "acr": session.acr,
            "amr": session.amr,
            "structure_id": session.structure_id,
            "services": session.services,
            "idle_remaining_secs": idle,
            "absolute_remaining_secs": absolute,
            "csrf": csrf_token(&app, &session),
        }))
        .into_response(),
    ))
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r
}

#[derive(Debug, Deserialize)]
struct LogoutTokenForm {
    logout_token: Option<String>,
}

/// POST /auth/backchannel-logout: a provider ends sessions (Back-Channel Logout 1.0).
async fn backchannel_logout(
    State(app): State<AppState>,
    Form(form): Form<LogoutTokenForm>,
) -> Response {
    let refuse = |why: &str| {
        tracing::warn!(reason = %why, "back-channel logout refused");
        no_store(
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
            no_store(StatusCode::OK.into_response())
        }
        Err(e) => {
            tracing::error!(error = %e, "back-channel logout could not be applied");
            no_store(StatusCode::SERVICE_UNAVAILABLE.into_response())
        }
    }
}

/// GET /: the home page (who you are, the structure you act for, the applications).
async fn home(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, HttpError> {
    let Some(session) = current_session(&app, &headers, true)
        .await
        .map_err(|e| e.for_request(&headers))?
    else {
        return Ok(Redirect::to("/auth/login?return_to=%2F").into_response());
    };
    let routes: Vec<_> = app
        .routes
        .routes()
        .iter()
        .filter(|r| r.access != crate::config::Access::Denied)
        .map(|r| json!({ "prefix": r.prefix, "application": r.application }))
        .collect();
    let idle_minutes = app.sessions.idle_ms() / 60_000;
    let structures = crate::structures::choices(&app, &session).await;
    Ok(Html(crate::pages::render(
        "home.html",
        minijinja::context! {
            title => "Home",
            name => session.display_name,
            idle_minutes => idle_minutes,
            routes => routes,
            csrf => csrf_token(&app, &session),
            structures => structures,
            active => session.structure_id,
        },
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_return_to;

    #[test]
    fn return_to_never_leaves_the_site() {
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "http:/evil",
            "javascript:alert(1)",
            "/%2f%2fevil.example",
            "/a/../../evil",
            "/ok\r\nLocation: https://evil",
            "/auth/logout",
            "",
        ] {
            assert_eq!(safe_return_to(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_return_to(Some("/vouchers/?a=1")), "/vouchers/?a=1");
        assert_eq!(safe_return_to(None), "/");
    }
}
