//! The second factor after the first (the provider's login or a password): device trust
//! with an emailed one-time code, a code from the person's authenticator app (TOTP), or a
//! WebAuthn security key; and the step-up a route may demand of a live session. The
//! person manages their factors in the account area (`crate::account`).
//!
//! [`after_first_factor`] is the one entry point from the login callback. It opens the
//! session at once when no second factor is needed (no `[factors]`, a provider `acr`
//! configured to skip, or a trusted-device cookie of this person); otherwise it stores a
//! pending challenge (server side, keyed by the hash of a short-lived `Strict` cookie,
//! holding the sealed session opening) and sends the browser to `/auth/factor`. A
//! challenge allows `max_attempts` tries in all (counted before each check, so parallel
//! guesses cannot exceed it), lives `code_lifetime_secs`, and accepts a new emailed code
//! at most `max_sends` times, `resend_interval_secs` apart. Success consumes it, trusts
//! the device (a long-lived random cookie, stored hashed), mails a "new device" notice,
//! and opens the session with a fresh token.

mod challenge;
pub mod passkeys;
pub mod step_up;
pub mod store;
pub mod totp;
pub mod webauthn;
pub mod webauthn_store;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::config::FactorsConfig;
use crate::cookies;
use crate::crypto::{self, Secret};
use crate::error::HttpError;
use crate::i18n::{Lang, t, t_args};
use crate::mail::outbox::{self, Outgoing};
use crate::pages::continue_to;
use crate::sessions::Opening;
use crate::state::AppState;
use crate::store::{now_ms, users};
use store::Challenge;

/// Seal context of the session opening kept in a challenge.
const OPENING_SEAL: &str = "factor opening v1";

/// Routes of the second factor at login and at a step-up.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(challenge::routes())
        .merge(webauthn::routes())
        .merge(step_up::routes())
}

/// The session opening as kept (sealed) in a challenge.
#[derive(Serialize, Deserialize)]
struct StoredOpening {
    user_id: String,
    display_name: String,
    provider: Option<String>,
    idp_issuer: Option<String>,
    idp_subject: Option<String>,
    idp_sid: Option<String>,
    acr: String,
    amr: Vec<String>,
    user_agent: Option<String>,
    ip: Option<String>,
    /// Set when the challenge is a step-up of a live session.
    #[serde(default)]
    step_up: Option<StepUp>,
}

/// What a step-up challenge carries over from the session it replaces.
#[derive(Serialize, Deserialize)]
struct StepUp {
    /// Token hash of the session to replace.
    session_hash: String,
    /// The factor demanded (`webauthn`, `totp`, `any`).
    need: String,
    /// Active structure of the session.
    structure_id: Option<String>,
    /// Services of the active structure.
    services: Vec<String>,
}

impl From<Opening> for StoredOpening {
    fn from(o: Opening) -> Self {
        Self {
            user_id: o.user_id,
            display_name: o.display_name,
            provider: o.provider,
            idp_issuer: o.idp_issuer,
            idp_subject: o.idp_subject,
            idp_sid: o.idp_sid,
            acr: o.acr,
            amr: o.amr,
            user_agent: o.user_agent,
            ip: o.ip,
            step_up: None,
        }
    }
}

impl From<StoredOpening> for Opening {
    fn from(o: StoredOpening) -> Self {
        Self {
            user_id: o.user_id,
            display_name: o.display_name,
            provider: o.provider,
            idp_issuer: o.idp_issuer,
            idp_subject: o.idp_subject,
            idp_sid: o.idp_sid,
            acr: o.acr,
            amr: o.amr,
            user_agent: o.user_agent,
            ip: o.ip,
        }
    }
}

/// The origin of password logins in `factors.registered_factor_every_login`.
pub const LOCAL_ORIGIN: &str = "local";

/// After the first factor: open the session, or ask for a second factor first.
/// Returns the response to send (cookies included; the login cookie is cleared).
pub async fn after_first_factor(
    app: &AppState,
    headers: &HeaderMap,
    opening: Opening,
    return_to: &str,
) -> Result<Response, HttpError> {
    let now = now_ms();
    let Some(f) = app.config.factors.as_ref() else {
        return open_session(app, headers, opening, return_to, None, None).await;
    };
    // Where the rule applies (by default to password accounts), a person who registered
    // an authenticator app or a security key uses it at every login, on a trusted
    // device too; the emailed code stays the way out ("sign in another way").
    let origin = opening.provider.as_deref().unwrap_or(LOCAL_ORIGIN);
    let every_login = f.registered_factor_every_login.iter().any(|p| p == origin);
    let registered = if every_login {
        let user = users::get(&app.db, &opening.user_id)
            .await?
            .ok_or_else(|| HttpError::internal("person vanished during login"))?;
        let a = Available::of(app, &user).await?;
        a.webauthn || a.totp
    } else {
        false
    };
    if !registered {
        if !f.device_trust {
            return open_session(app, headers, opening, return_to, None, None).await;
        }
        let skip = opening
            .provider
            .as_ref()
            .and_then(|p| f.skip_device_check.get(p))
            .is_some_and(|acrs| acrs.contains(&opening.acr));
        if skip {
            return open_session(app, headers, opening, return_to, None, None).await;
        }
        if let Some(token) = app.cookies.device_token(headers) {
            let hash = crypto::token_hash(&token);
            if let Some(device) = store::use_device(&app.db, &hash, &opening.user_id, now).await? {
                return open_session(app, headers, opening, return_to, Some(&device), None).await;
            }
        }
    }
    let user = users::get(&app.db, &opening.user_id)
        .await?
        .ok_or_else(|| HttpError::internal("person vanished during login"))?;
    let lang = crate::i18n::pick(app, user.locale.as_deref(), headers);
    if store::recent_failures(&app.db, &user.id, now).await? >= i64::from(f.max_failures_per_day) {
        tracing::warn!(user = %user.id, "second factor refused: too many wrong codes in 24 hours");
        return Err(page_error(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_failures",
            &t(lang, "too_many_failures"),
        ));
    }
    let available = Available::of(app, &user).await?;
    let method = if available.webauthn {
        "webauthn"
    } else if available.totp {
        "totp"
    } else if available.email {
        "email"
    } else {
        tracing::warn!(user = %user.id, "new device cannot be confirmed: no email address");
        return Err(page_error(
            StatusCode::FORBIDDEN,
            "no_email",
            &t(lang, "no_email"),
        ));
    };
    start_challenge(
        app,
        headers,
        f,
        &user,
        lang,
        StoredOpening::from(opening),
        return_to,
        method,
    )
    .await
}

/// The second factors a person can use now.
struct Available {
    webauthn: bool,
    totp: bool,
    email: bool,
}

impl Available {
    async fn of(app: &AppState, user: &users::User) -> Result<Self, HttpError> {
        let webauthn =
            app.webauthn.is_some() && webauthn_store::has_keys(&app.db, &user.id).await?;
        let totp = store::totp(&app.db, &user.id)
            .await?
            .is_some_and(|t| t.confirmed);
        let email = user.email.as_deref().is_some_and(|e| !e.trim().is_empty());
        Ok(Self {
            webauthn,
            totp,
            email,
        })
    }
}

/// Store a pending challenge answered with `method` (an emailed code is sent at once),
/// set its cookie and send the browser to `/auth/factor`.
#[allow(clippy::too_many_arguments)]
async fn start_challenge(
    app: &AppState,
    headers: &HeaderMap,
    f: &FactorsConfig,
    user: &users::User,
    lang: Lang,
    opening: StoredOpening,
    return_to: &str,
    method: &str,
) -> Result<Response, HttpError> {
    let now = now_ms();
    let token = crypto::random_token(32);
    let token_hash = crypto::token_hash(token.expose());
    let opening_json = serde_json::to_vec(&opening).map_err(HttpError::internal)?;
    let mut challenge = Challenge {
        token_hash: token_hash.clone(),
        user_id: user.id.clone(),
        opening_sealed: app.keys.seal(OPENING_SEAL, &opening_json),
        return_to: return_to.to_owned(),
        lang: lang.code().to_owned(),
        method: method.to_owned(),
        code_hash: None,
        attempts: 0,
        sends: 0,
        last_sent_at: 0,
        expires_at: now + lifetime_ms(f),
    };
    let mut tx = app
        .db
        .pool
        .begin()
        .await
        .map_err(crate::store::StoreError::from)?;
    if let ("email", Some(email)) = (method, user.email.as_deref()) {
        let code = new_code(f.code_digits);
        challenge.code_hash = Some(code_hash(app, &token_hash, code.expose()));
        challenge.sends = 1;
        challenge.last_sent_at = now;
        let mail = code_mail(lang, email, &user.display_name, &code, f, now);
        outbox::enqueue(&mut tx, &app.keys, &mail, now).await?;
    }
    store::insert_challenge(&mut tx, &challenge, now).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    app.mailer.wake();
    tracing::info!(user = %user.id, method = %challenge.method, "second factor asked");
    let mut response = continue_to(headers, "/auth/factor");
    let cookie_age =
        i64::try_from(f.code_lifetime_secs * (u64::from(f.max_sends) + 1)).unwrap_or(3600);
    cookies::append(
        response.headers_mut(),
        app.cookies.set_factor(token.expose(), cookie_age),
    );
    cookies::append(response.headers_mut(), app.cookies.clear_login());
    Ok(response)
}

/// Open the session and answer with its cookie. `device`: the trusted device used (its
/// sessions end when it is revoked); `new_device`: a device token to set as cookie.
async fn open_session(
    app: &AppState,
    headers: &HeaderMap,
    opening: Opening,
    return_to: &str,
    device: Option<&str>,
    new_device: Option<(&Secret, &FactorsConfig)>,
) -> Result<Response, HttpError> {
    let (token, session) = app.sessions.open(opening).await?;
    crate::structures::choose_at_login(app, &session).await;
    if let Some(device) = device {
        store::link_session(&app.db, device, &session.token_hash, session.created_at).await?;
    }
    tracing::info!(sid = %session.sid, user = %session.user_id, provider = session.provider.as_deref().unwrap_or("local"), "login");
    app.audit(
        Some(&session.user_id),
        policy::audit::actions::LOGIN,
        &session.user_id,
        None,
        session.ip.as_deref(),
        serde_json::json!({
            "sid": session.sid,
            "provider": session.provider,
            "acr": session.acr,
            "amr": session.amr,
        }),
    )
    .await;
    let mut response = continue_to(headers, return_to);
    let h = response.headers_mut();
    cookies::append(h, app.cookies.set_session(token.expose()));
    cookies::append(h, app.cookies.clear_login());
    if app.cookies.factor_token(headers).is_some() {
        cookies::append(h, app.cookies.clear_factor());
    }
    if let Some((device_token, f)) = new_device {
        let age = i64::try_from(f.device_trust_days * 86_400).unwrap_or(86_400);
        cookies::append(h, app.cookies.set_device(device_token.expose(), age));
    }
    Ok(response)
}

/// The "verification ended" page: too many tries, too late, or no challenge at all.
fn ended(app: &AppState, headers: &HeaderMap, lang: Option<Lang>) -> Response {
    let lang = lang.unwrap_or_else(|| crate::i18n::pick(app, None, headers));
    let mut r = (
        StatusCode::GONE,
        Html(crate::pages::render(
            "factor_ended.html",
            minijinja::context! { title => t(lang, "verify_title"), lang => lang.code() },
        )),
    )
        .into_response();
    cookies::append(r.headers_mut(), app.cookies.clear_factor());
    r
}

fn lifetime_ms(f: &FactorsConfig) -> i64 {
    i64::try_from(f.code_lifetime_secs * 1000).unwrap_or(600_000)
}

/// A random code of `digits` digits, uniformly drawn.
fn new_code(digits: u32) -> Secret {
    let n = rand::rngs::OsRng.gen_range(0..10u64.pow(digits));
    Secret::new(format!("{n:0width$}", width = digits as usize))
}

/// What is stored of an emailed code: an HMAC under a key of the master secret, bound
/// to the challenge (a stolen table gives nothing to brute-force offline).
fn code_hash(app: &AppState, challenge_hash: &str, code: &str) -> String {
    app.keys
        .csrf_tag(&format!("factor-code:{challenge_hash}:{code}"))
}

fn challenge_csrf(app: &AppState, challenge_hash: &str) -> String {
    app.keys.csrf_tag(&format!("factor-csrf:{challenge_hash}"))
}

/// The mail carrying a one-time code made at `now`: never sent once the code expired.
fn code_mail(
    lang: Lang,
    to: &str,
    name: &str,
    code: &Secret,
    f: &FactorsConfig,
    now: i64,
) -> Outgoing {
    let lifetime_ms = i64::try_from(f.code_lifetime_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    Outgoing {
        expires_at: Some(now.saturating_add(lifetime_ms)),
        to: to.to_owned(),
        subject: t(lang, "code_subject").to_owned(),
        body: t_args(
            lang,
            "code_body",
            &[
                ("name", name),
                ("code", code.expose()),
                ("minutes", &(f.code_lifetime_secs / 60).to_string()),
            ],
        ),
    }
}

/// `alice@example.be` -> `a***@example.be`.
fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

fn page_error(status: StatusCode, code: &'static str, message: &str) -> HttpError {
    HttpError::new(status, code, message).page()
}

fn config(app: &AppState) -> Result<&FactorsConfig, HttpError> {
    app.config
        .factors
        .as_ref()
        .ok_or_else(|| page_error(StatusCode::NOT_FOUND, "not_found", "Not found."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_configured_digits() {
        for digits in 6..=8 {
            for _ in 0..200 {
                let c = new_code(digits);
                assert_eq!(c.expose().len(), digits as usize);
                assert!(c.expose().bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }

    #[test]
    fn emails_are_masked() {
        assert_eq!(mask_email("alice@example.be"), "a***@example.be");
        assert_eq!(mask_email("nope"), "***");
    }
}
