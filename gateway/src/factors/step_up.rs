//! Step-up: a route may demand a login level (`min_acr`: the person logs in again with a
//! provider asked for that level; the new login replaces the session) or that the session
//! passed a given second factor (`require_factor` in the route table). The proxy sends a browser to
//! `/auth/step-up?factor=..&return_to=..`, which starts a challenge of that factor for
//! the live session (the same `/auth/factor` pages as at login). Success replaces the
//! session by a new one (fresh token: no fixation) whose `amr` also holds the factor,
//! with the same active structure, and goes back to the page.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::store::{self, Challenge};
use super::{Available, StepUp, StoredOpening, config, page_error, start_challenge};
use crate::config::RequiredFactor;
use crate::cookies;
use crate::error::HttpError;
use crate::extract::{CurrentSession, resolve_session};
use crate::i18n::{Lang, person_lang, t, t_args};
use crate::pages::{continue_to, safe_return_to};
use crate::sessions::Opening;
use crate::state::AppState;
use crate::store::users;

/// Routes of the step-up.
pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/auth/step-up", axum::routing::get(start))
}

#[derive(Deserialize)]
struct StepUpQuery {
    factor: Option<String>,
    acr: Option<String>,
    return_to: Option<String>,
}

/// The URL of the step-up page for a factor and a page to come back to.
pub fn url(need: RequiredFactor, return_to: &str) -> String {
    format!(
        "/auth/step-up?factor={}&return_to={}",
        need.as_str(),
        url::form_urlencoded::byte_serialize(return_to.as_bytes()).collect::<String>()
    )
}

fn parse(factor: Option<&str>) -> Option<RequiredFactor> {
    match factor? {
        "webauthn" => Some(RequiredFactor::Webauthn),
        "totp" => Some(RequiredFactor::Totp),
        "any" => Some(RequiredFactor::Any),
        _ => None,
    }
}

/// GET /auth/step-up?acr=LEVEL&return_to=/path: the ways to log in again at that level.
/// Needs a session (else: log in first, then come back here).
async fn acr_page(
    app: &AppState,
    session: Option<CurrentSession>,
    headers: &HeaderMap,
    min: &str,
    return_to: &str,
) -> Result<Response, HttpError> {
    let back: String = url::form_urlencoded::byte_serialize(return_to.as_bytes()).collect();
    let Some(CurrentSession(s)) = session else {
        return Ok(Redirect::to(&format!("/auth/login?return_to={back}")).into_response());
    };
    let Some(need) = app.config.acr_rank(min) else {
        return Err(HttpError::bad_request("bad_acr", "Unknown level.").for_request(headers));
    };
    if app.config.acr_rank(&s.acr).is_some_and(|have| have >= need) {
        return Ok(Redirect::to(return_to).into_response());
    }
    let lang = person_lang(app, headers, &s.user_id).await?;
    let level: String = url::form_urlencoded::byte_serialize(min.as_bytes()).collect();
    let providers: Vec<_> = app
        .providers
        .iter()
        .filter(|p| p.acr_values_at_least(&app.config, Some(min)).is_some())
        .map(|p| {
            minijinja::context! {
                label => p.config.label,
                href => format!("/auth/login/{}?acr={level}&return_to={back}", p.config.id),
            }
        })
        .collect();
    let page = crate::pages::render(
        "step_up_acr.html",
        minijinja::context! {
            title => t(lang, "acr_title"),
            lang => lang.code(),
            intro => t_args(lang, "acr_intro", &[("have", &s.acr), ("need", min)]),
            providers => providers,
        },
    );
    Ok((StatusCode::FORBIDDEN, axum::response::Html(page)).into_response())
}

/// GET /auth/step-up?factor=webauthn|totp|any&return_to=/path: start the factor for the
/// live session; with `acr=LEVEL` instead: the ways to log in again at that level. Needs
/// a session (else: log in first, then come back here).
async fn start(
    State(app): State<AppState>,
    session: Option<CurrentSession>,
    headers: HeaderMap,
    Query(q): Query<StepUpQuery>,
) -> Result<Response, HttpError> {
    let return_to = safe_return_to(q.return_to.as_deref());
    if let Some(min) = q.acr.as_deref() {
        return acr_page(&app, session, &headers, min, &return_to).await;
    }
    let f = config(&app)?;
    let Some(need) = parse(q.factor.as_deref()) else {
        return Err(HttpError::bad_request("bad_factor", "Unknown factor.").for_request(&headers));
    };
    let Some(CurrentSession(s)) = session else {
        let back: String = url::form_urlencoded::byte_serialize(return_to.as_bytes()).collect();
        return Ok(Redirect::to(&format!("/auth/login?return_to={back}")).into_response());
    };
    if need.met_by(&s.amr) {
        return Ok(Redirect::to(&return_to).into_response());
    }
    let user = users::get(&app.db, &s.user_id)
        .await?
        .ok_or_else(|| HttpError::internal("person of a live session vanished"))?;
    let lang = crate::i18n::pick(&app, user.locale.as_deref(), &headers);
    let available = Available::of(&app, &user).await?;
    let method = match need {
        RequiredFactor::Webauthn => available.webauthn.then_some("webauthn"),
        RequiredFactor::Totp => available.totp.then_some("totp"),
        RequiredFactor::Any => {
            if available.webauthn {
                Some("webauthn")
            } else if available.totp {
                Some("totp")
            } else if available.email {
                Some("email")
            } else {
                None
            }
        }
    };
    let Some(method) = method else {
        tracing::info!(user = %s.user_id, need = need.as_str(), "step-up impossible: factor not set up");
        return Err(page_error(
            StatusCode::FORBIDDEN,
            "factor_missing",
            &t(lang, "step_up_missing"),
        ));
    };
    let mut opening = StoredOpening::from(Opening {
        user_id: s.user_id.clone(),
        display_name: s.display_name.clone(),
        provider: s.provider.clone(),
        idp_issuer: s.idp_issuer.clone(),
        idp_subject: s.idp_subject.clone(),
        idp_sid: s.idp_sid.clone(),
        acr: s.acr.clone(),
        amr: s.amr.clone(),
        user_agent: s.user_agent.clone(),
        ip: s.ip.clone(),
    });
    opening.step_up = Some(StepUp {
        session_hash: s.token_hash.clone(),
        need: need.as_str().to_owned(),
        structure_id: s.structure_id.clone(),
        services: s.services.clone(),
    });
    tracing::info!(user = %s.user_id, sid = %s.sid, need = need.as_str(), "step-up asked");
    start_challenge(&app, &headers, f, &user, lang, opening, &return_to, method).await
}

/// The step-up factor was passed: consume the challenge, replace the session (same
/// structure, `amr` with the factor), audit, and go back to the page.
pub(super) async fn finish(
    app: &AppState,
    headers: &HeaderMap,
    hash: &str,
    c: &Challenge,
    opening: Opening,
    step: StepUp,
) -> Result<Response, HttpError> {
    let mut tx = app
        .db
        .pool
        .begin()
        .await
        .map_err(crate::store::StoreError::from)?;
    if !store::consume_challenge(&mut tx, hash).await? {
        return Ok(super::ended(app, headers, Lang::from_code(&c.lang)));
    }
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    // The session being replaced must still be live: a logout meanwhile ends the step-up.
    let Some(old) = resolve_session(app, headers, false)
        .await?
        .filter(|s| crypto_eq(&s.token_hash, &step.session_hash))
    else {
        return Ok(super::ended(app, headers, Lang::from_code(&c.lang)));
    };
    let (token, session) = app.sessions.open(opening).await?;
    if let Some(structure) = step.structure_id.as_deref() {
        app.sessions
            .set_structure(&session.token_hash, Some(structure), &step.services)
            .await?;
    }
    store::relink_session(&app.db, &old.token_hash, &session.token_hash).await?;
    app.sessions.end(&old.token_hash).await?;
    tracing::info!(user = %session.user_id, old = %old.sid, sid = %session.sid, need = %step.need, "step-up passed");
    app.audit(
        Some(&session.user_id),
        policy::audit::actions::LOGIN,
        &session.user_id,
        step.structure_id.as_deref(),
        session.ip.as_deref(),
        serde_json::json!({
            "sid": session.sid,
            "replaces": old.sid,
            "step_up": step.need,
            "method": c.method,
            "amr": session.amr,
        }),
    )
    .await;
    let mut response = continue_to(headers, &c.return_to);
    let h = response.headers_mut();
    cookies::append(h, app.cookies.set_session(token.expose()));
    cookies::append(h, app.cookies.clear_factor());
    Ok(response)
}

fn crypto_eq(a: &str, b: &str) -> bool {
    crate::crypto::ct_eq(a.as_bytes(), b.as_bytes())
}

/// The answer of the proxy to a request whose session lacks the route's factor: a
/// browser GET goes to the step-up page and comes back; any other client gets 401 JSON
/// naming the missing factor and where to get it.
pub fn required(need: RequiredFactor, browser_get: bool, path_and_query: &str) -> Response {
    let target = url(need, path_and_query);
    if browser_get {
        return Redirect::to(&target).into_response();
    }
    (
        StatusCode::UNAUTHORIZED,
        axum::Json(serde_json::json!({
            "error": "step_up_required",
            "message": "This address needs a second factor the session has not passed.",
            "required_factor": need.as_str(),
            "step_up": target,
        })),
    )
        .into_response()
}

/// The proxy's answer to a session below a route's `min_acr`: a browser GET goes to the
/// page offering to log in again at that level; any other client gets 401 JSON naming it.
pub fn acr_required(min: &str, browser_get: bool, path_and_query: &str) -> Response {
    let target = format!(
        "/auth/step-up?acr={}&return_to={}",
        url::form_urlencoded::byte_serialize(min.as_bytes()).collect::<String>(),
        url::form_urlencoded::byte_serialize(path_and_query.as_bytes()).collect::<String>()
    );
    if browser_get {
        return Redirect::to(&target).into_response();
    }
    (
        StatusCode::UNAUTHORIZED,
        axum::Json(serde_json::json!({
            "error": "step_up_required",
            "message": "This address needs a stronger login than the session's.",
            "required_acr": min,
            "step_up": target,
        })),
    )
        .into_response()
}
