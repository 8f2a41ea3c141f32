//! `GET /auth/callback`: the provider sends the browser back with a code. Each step is a
//! named function, in the order they run; any refusal answers a page, counts in the
//! login metrics and, when it is the client's fault, is an audit line:
//!
//! 1. [`take_flow`]: the `state` names a stored login flow (consumed: a state works once);
//! 2. [`check_answer`]: started in this browser, in time, not refused by the provider,
//!    from the expected issuer (`iss`, RFC 9207), with a code;
//! 3. [`verify`]: the code exchanged (PKCE) and the ID token verified;
//! 4. [`national_number`]: the national register number claim, validated, kept only as
//!    a keyed hash and a masked form;
//! 5. [`link_person`]: the person linked to this login, designations waiting for them
//!    applied;
//! 6. the session opening handed to [`crate::factors::after_first_factor`].

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::crypto::{self, ct_eq};
use crate::error::HttpError;
use crate::extract::ClientIp;
use crate::oidc::{LoginError, Provider, VerifiedLogin};
use crate::sessions::Opening;
use crate::state::AppState;
use crate::store::login_flows::{self, LoginFlow};
use crate::store::now_ms;
use crate::store::users::{self, LoginIdentity, User};

#[derive(Debug, Deserialize)]
pub(super) struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
}

/// GET /auth/callback. Public: the login flow's `state` and this browser's login cookie
/// are the credentials.
pub(super) async fn callback(
    State(app): State<AppState>,
    ClientIp(ip): ClientIp,
    Query(q): Query<CallbackQuery>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let result = finish_login(&app, ip, &q, &headers).await;
    if let Err(e) = &result
        && e.status.is_client_error()
    {
        app.audit(
            None,
            policy::audit::actions::LOGIN_FAILED,
            "oidc",
            None,
            Some(&ip.to_string()),
            json!({ "reason": e.message }),
        )
        .await;
    }
    result
}

/// The steps, in order.
async fn finish_login(
    app: &AppState,
    ip: IpAddr,
    q: &CallbackQuery,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    let (flow, p) = take_flow(app, q).await?;
    let code = check_answer(app, &p, &flow, q, headers).await?;
    let verified = verify(app, &p, &flow, code).await?;
    let national_number = national_number(app, &p, &verified)?;
    let user = link_person(app, &p, &verified, national_number, headers).await?;
    let opening = opening(&p, verified, &user, headers, ip);
    app.metrics.login(&p.config.id, "ok");
    crate::factors::after_first_factor(app, headers, opening, &flow.return_to).await
}

/// A refused login: a page, whatever the browser accepts (it came back from the provider).
fn login_failed(message: &str) -> HttpError {
    HttpError::bad_request("login_failed", message).page()
}

/// A refused login at `p`, counted under `outcome`.
fn refused(app: &AppState, p: &Provider, outcome: &'static str, message: &str) -> HttpError {
    app.metrics.login(&p.config.id, outcome);
    login_failed(message)
}

/// Step 1: the login flow the `state` names, consumed whatever happens next, and its
/// provider.
async fn take_flow(
    app: &AppState,
    q: &CallbackQuery,
) -> Result<(LoginFlow, Arc<Provider>), HttpError> {
    let Some(state) = q.state.as_deref() else {
        return Err(login_failed(
            "The login answer is incomplete. Please start again.",
        ));
    };
    let Some(flow) = login_flows::take(&app.db, &crypto::token_hash(state)).await? else {
        app.metrics.login("unknown", "bad_state");
        return Err(login_failed(
            "This login is unknown or was already used. Please start again.",
        ));
    };
    let p = app
        .provider(&flow.provider)
        .ok_or_else(|| login_failed("This way to log in is no longer available."))?;
    Ok((flow, p))
}

/// Step 2: the answer belongs to this browser's flow, in time, and carries a code from
/// the expected issuer.
async fn check_answer<'q>(
    app: &AppState,
    p: &Provider,
    flow: &LoginFlow,
    q: &'q CallbackQuery,
    headers: &HeaderMap,
) -> Result<&'q str, HttpError> {
    let bound = app.cookies.login_token(headers).is_some_and(|t| {
        ct_eq(
            crypto::token_hash(&t).as_bytes(),
            flow.browser_hash.as_bytes(),
        )
    });
    if !bound {
        return Err(refused(
            app,
            p,
            "browser_mismatch",
            "This login was started in another browser or tab. Please start again.",
        ));
    }
    if now_ms() >= flow.expires_at {
        return Err(refused(
            app,
            p,
            "expired",
            "The login took too long. Please start again.",
        ));
    }
    if let Some(err) = q.error.as_deref() {
        tracing::info!(provider = %p.config.id, error = %err.chars().take(64).collect::<String>(), "provider refused login");
        return Err(refused(
            app,
            p,
            "provider_refused",
            "The identity provider did not complete the login.",
        ));
    }
    match q.iss.as_deref() {
        Some(iss) if iss.trim_end_matches('/') != p.issuer() => {
            return Err(refused(
                app,
                p,
                "wrong_iss",
                "The login answer came from an unexpected provider.",
            ));
        }
        None if p.expects_iss().await => {
            return Err(refused(
                app,
                p,
                "missing_iss",
                "The login answer is incomplete. Please start again.",
            ));
        }
        _ => {}
    }
    q.code.as_deref().ok_or_else(|| {
        refused(
            app,
            p,
            "no_code",
            "The login answer is incomplete. Please start again.",
        )
    })
}

/// Step 3: exchange the code (with the flow's PKCE verifier) and verify the ID token
/// (signature, `iss`, `aud`, `azp`, times, nonce, `acr`). The provider down is 503.
async fn verify(
    app: &AppState,
    p: &Provider,
    flow: &LoginFlow,
    code: &str,
) -> Result<VerifiedLogin, HttpError> {
    let verifier = app
        .keys
        .open("pkce", &flow.pkce_verifier_sealed)
        .map_err(HttpError::internal)?;
    let verifier = String::from_utf8_lossy(&verifier).into_owned();
    match p.finish(code, &verifier, &flow.nonce).await {
        Ok(v) => Ok(v),
        Err(e @ LoginError::Unavailable(_)) => {
            app.metrics.login(&p.config.id, "provider_down");
            Err(HttpError::upstream(
                StatusCode::SERVICE_UNAVAILABLE,
                "provider_unavailable",
                &format!(
                    "{} is unavailable at the moment. Please try again in a few minutes.",
                    p.config.label
                ),
                e.to_string(),
            )
            .page())
        }
        Err(e) => {
            tracing::warn!(provider = %p.config.id, error = %e, "login refused");
            Err(refused(
                app,
                p,
                "refused",
                "The login could not be verified. Please start again.",
            ))
        }
    }
}

/// What is kept of a national register number: its keyed hash and its masked form.
struct NationalNumber {
    hash: policy::ids::NrnHash,
    masked: String,
}

/// Step 4: the national register number claim, if the provider sent one, validated (11
/// digits, mod 97). The number itself is never stored nor logged.
fn national_number(
    app: &AppState,
    p: &Provider,
    verified: &VerifiedLogin,
) -> Result<Option<NationalNumber>, HttpError> {
    let Some(raw) = verified.national_number.as_deref() else {
        return Ok(None);
    };
    match policy::ids::NationalNumber::parse(raw) {
        Ok(n) => Ok(Some(NationalNumber {
            hash: n.keyed_hash(app.keys.nrn_key()),
            masked: n.masked(),
        })),
        Err(e) => {
            tracing::warn!(provider = %p.config.id, error = %e, "national register number claim refused");
            Err(refused(
                app,
                p,
                "bad_national_number",
                "The identity provider sent an invalid national register number.",
            ))
        }
    }
}

/// Step 5: the person behind this login (created at the first one), refused when
/// disabled (saying so when they deactivated their account themselves); designations
/// waiting for their national register number take effect now.
async fn link_person(
    app: &AppState,
    p: &Provider,
    verified: &VerifiedLogin,
    national_number: Option<NationalNumber>,
    headers: &HeaderMap,
) -> Result<User, HttpError> {
    let nrn_hash = national_number.as_ref().map(|n| n.hash.clone());
    let user = users::link_login(
        &app.db,
        &LoginIdentity {
            issuer: verified.issuer.clone(),
            subject: verified.subject.clone(),
            provider: p.config.id.clone(),
            display_name: verified.name.clone(),
            email: verified.email.clone(),
            given_name: verified.given_name.clone(),
            family_name: verified.family_name.clone(),
            nrn_hash: nrn_hash.clone(),
            nrn_masked: national_number.map(|n| n.masked),
        },
        now_ms(),
    )
    .await?;
    if user.disabled {
        if crate::store::account::deactivated(&app.db, &user.id).await? {
            app.metrics.login(&p.config.id, "deactivated");
            let lang = crate::i18n::pick(app, user.locale.as_deref(), headers);
            return Err(HttpError::new(
                StatusCode::FORBIDDEN,
                "account_deactivated",
                crate::i18n::t(lang, "deactivated_login_refused"),
            )
            .page());
        }
        return Err(refused(app, p, "disabled", "This account is disabled."));
    }
    if let Err(e) = app
        .policy
        .on_login(&policy::UserId::from(user.id.as_str()), nrn_hash.as_ref())
        .await
    {
        tracing::warn!(error = %e, "pending designations could not be applied at login");
    }
    Ok(user)
}

/// Step 6: what the session will record of this login.
fn opening(
    p: &Provider,
    verified: VerifiedLogin,
    user: &User,
    headers: &HeaderMap,
    ip: IpAddr,
) -> Opening {
    let amr = if verified.amr.is_empty() {
        vec!["fed".to_owned()]
    } else {
        verified.amr
    };
    Opening {
        user_id: user.id.clone(),
        display_name: user.display_name.clone(),
        provider: Some(p.config.id.clone()),
        idp_issuer: Some(verified.issuer),
        idp_subject: Some(verified.subject),
        idp_sid: verified.sid,
        acr: verified.acr.unwrap_or_default(),
        amr,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(256).collect()),
        ip: Some(ip.to_string()),
    }
}
