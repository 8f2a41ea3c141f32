//! The challenge pages at login and at a step-up, `/auth/factor`: enter the emailed or
//! TOTP code, or use a security key (`super::webauthn`), or (re)send a code by email.
//! Every try is counted before it is checked; the right answer consumes the challenge,
//! trusts the device and opens the session (at a step-up: replaces the session by a new
//! one that also records this factor).

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::store::{self, Challenge};
use super::{
    OPENING_SEAL, StepUp, StoredOpening, challenge_csrf, code_hash, code_mail, config, ended,
    lifetime_ms, mask_email, new_code, open_session, page_error, totp,
};
use crate::config::FactorsConfig;
use crate::crypto::{self, ct_eq};
use crate::error::HttpError;
use crate::extract::same_site;
use crate::i18n::{Lang, t, t_args};
use crate::mail::outbox::{self, Outgoing};
use crate::sessions::Opening;
use crate::state::AppState;
use crate::store::{now_ms, users};

/// Routes of the challenge pages.
pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(
            "/auth/factor",
            axum::routing::get(code_page).post(submit_code),
        )
        .route("/auth/factor/email", axum::routing::post(send_email_code))
}

/// A challenge's form: sent from this site, with the challenge's CSRF token (bound to
/// the challenge cookie, not to a session: there is none yet). One message for both, as
/// the code page has one place for it.
pub(super) fn check_form(
    app: &AppState,
    headers: &HeaderMap,
    challenge_hash: &str,
    given: Option<&str>,
) -> Result<(), HttpError> {
    let token_ok =
        given.is_some_and(|g| ct_eq(g.as_bytes(), challenge_csrf(app, challenge_hash).as_bytes()));
    if !same_site(app, headers) || !token_ok {
        return Err(page_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            crate::pages::FORM_EXPIRED,
        ));
    }
    Ok(())
}

/// The code-entry page for a challenge, with an optional error or notice.
async fn render_code(
    app: &AppState,
    c: &Challenge,
    status: StatusCode,
    error: Option<String>,
    notice: Option<&str>,
) -> Result<Response, HttpError> {
    let lang = Lang::from_code(&c.lang).unwrap_or(Lang::En);
    let user = users::get(&app.db, &c.user_id).await?;
    let email = user.and_then(|u| u.email).filter(|e| !e.trim().is_empty());
    let intro = match c.method.as_str() {
        "totp" => t(lang, "totp_intro").to_owned(),
        "webauthn" => t(lang, "key_intro").to_owned(),
        _ => t_args(
            lang,
            "email_intro",
            &[(
                "email",
                &email.as_deref().map(mask_email).unwrap_or_default(),
            )],
        ),
    };
    let can_email = email.is_some() && allows_email(app, c);
    let template = if c.method == "webauthn" {
        "factor_webauthn.html"
    } else {
        "factor_code.html"
    };
    let page = crate::pages::render(
        template,
        minijinja::context! {
            title => t(lang, "verify_title"),
            lang => lang.code(),
            intro => intro,
            method => c.method,
            can_email => can_email,
            csrf => challenge_csrf(app, &c.token_hash),
            error => error,
            notice => notice,
        },
    );
    let mut r = (status, Html(page)).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(r)
}

/// Whether an emailed code may answer this challenge: always at login, at a step-up only
/// when any second factor will do.
fn allows_email(app: &AppState, c: &Challenge) -> bool {
    step_up_of(app, c).is_none_or(|s| s.need == crate::config::RequiredFactor::Any.as_str())
}

/// The step-up a challenge serves, if it is one.
fn step_up_of(app: &AppState, c: &Challenge) -> Option<StepUp> {
    let plain = app.keys.open(OPENING_SEAL, &c.opening_sealed).ok()?;
    serde_json::from_slice::<StoredOpening>(&plain)
        .ok()
        .and_then(|o| o.step_up)
}

/// The live challenge of this browser, with its hash.
pub(super) async fn live(
    app: &AppState,
    headers: &HeaderMap,
    f: &FactorsConfig,
) -> Result<Option<(String, Challenge)>, HttpError> {
    let Some(token) = app.cookies.factor_token(headers) else {
        return Ok(None);
    };
    let hash = crypto::token_hash(&token);
    let c = store::get_challenge(&app.db, &hash, now_ms(), i64::from(f.max_attempts)).await?;
    Ok(c.map(|c| (hash, c)))
}

/// GET /auth/factor: the code-entry page. Needs a live challenge cookie.
async fn code_page(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, HttpError> {
    let f = config(&app)?;
    match live(&app, &headers, f).await? {
        Some((_, c)) => render_code(&app, &c, StatusCode::OK, None, None).await,
        None => Ok(ended(&app, &headers, None)),
    }
}

#[derive(Deserialize)]
struct CodeForm {
    code: Option<String>,
    csrf: Option<String>,
}

/// POST /auth/factor: check a code. Needs a live challenge cookie and its CSRF token.
async fn submit_code(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, HttpError> {
    let f = config(&app)?;
    let Some((hash, c)) = live(&app, &headers, f).await? else {
        return Ok(ended(&app, &headers, None));
    };
    check_form(&app, &headers, &hash, form.csrf.as_deref())?;
    let lang = Lang::from_code(&c.lang);
    let max = i64::from(f.max_attempts);
    let now = now_ms();
    if store::recent_failures(&app.db, &c.user_id, now).await? >= i64::from(f.max_failures_per_day)
    {
        tracing::warn!(user = %c.user_id, "code refused: too many wrong codes in 24 hours");
        return Ok(ended(&app, &headers, lang));
    }
    let Some(spent) = store::spend_attempt(&app.db, &hash, now, max).await? else {
        return Ok(ended(&app, &headers, lang));
    };
    let code: String = form
        .code
        .unwrap_or_default()
        .chars()
        .filter(|ch| !ch.is_whitespace() && *ch != '-')
        .take(16)
        .collect();
    let right = match c.method.as_str() {
        "totp" => check_totp(&app, &c.user_id, &code, now).await?,
        _ => c.code_hash.as_deref().is_some_and(|stored| {
            ct_eq(code_hash(&app, &hash, &code).as_bytes(), stored.as_bytes())
        }),
    };
    if !right {
        store::record_failure(&app.db, &c.user_id, now).await?;
        let left = max - spent;
        tracing::info!(user = %c.user_id, method = %c.method, left, "wrong second-factor code");
        if left <= 0 {
            return Ok(ended(&app, &headers, lang));
        }
        let message = t_args(
            lang.unwrap_or(Lang::En),
            "wrong_code",
            &[("left", &left.to_string())],
        );
        return render_code(
            &app,
            &c,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(message),
            None,
        )
        .await;
    }
    finish(&app, &headers, f, &hash, c).await
}

/// Whether `code` is the person's TOTP code now, never accepted before.
async fn check_totp(
    app: &AppState,
    user_id: &str,
    code: &str,
    now: i64,
) -> Result<bool, HttpError> {
    let Some(row) = store::totp(&app.db, user_id).await?.filter(|r| r.confirmed) else {
        return Ok(false);
    };
    let secret = app
        .keys
        .open(&totp::seal_context(user_id), &row.secret_sealed)
        .map_err(HttpError::internal)?;
    let now_secs = u64::try_from(now / 1000).unwrap_or(0);
    let Some(step) = totp::matching_step(&secret, code, now_secs) else {
        return Ok(false);
    };
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let fresh = store::accept_totp_step(&app.db, user_id, step, false).await?;
    if !fresh {
        tracing::warn!(user = %user_id, "TOTP code replayed");
    }
    Ok(fresh)
}

/// The right answer was given: consume the challenge, trust the device, mail the notice,
/// open the session (at a step-up: replace the session).
pub(super) async fn finish(
    app: &AppState,
    headers: &HeaderMap,
    f: &FactorsConfig,
    hash: &str,
    c: Challenge,
) -> Result<Response, HttpError> {
    let lang = Lang::from_code(&c.lang).unwrap_or(Lang::En);
    let plain = app
        .keys
        .open(OPENING_SEAL, &c.opening_sealed)
        .map_err(HttpError::internal)?;
    let mut stored: StoredOpening = serde_json::from_slice(&plain).map_err(HttpError::internal)?;
    let step_up = stored.step_up.take();
    let mut opening = Opening::from(stored);
    let amr = match c.method.as_str() {
        "totp" => "otp",
        "webauthn" => "hwk",
        _ => "mail",
    };
    if !opening.amr.iter().any(|a| a == amr) {
        opening.amr.push(amr.to_owned());
    }
    if let Some(step) = step_up {
        return super::step_up::finish(app, headers, hash, &c, opening, step).await;
    }
    let user = users::get(&app.db, &c.user_id).await?;
    let now = now_ms();
    let device_token = crypto::random_token(32);
    let device_id = crypto::random_id();
    let agent: Option<String> = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(256).collect());
    let until = now + i64::try_from(f.device_trust_days * 86_400_000).unwrap_or(i64::MAX / 2);
    let mut tx = app
        .db
        .pool
        .begin()
        .await
        .map_err(crate::store::StoreError::from)?;
    if !store::consume_challenge(&mut tx, hash).await? {
        return Ok(ended(app, headers, Some(lang)));
    }
    store::insert_device(
        &mut tx,
        &device_id,
        &crypto::token_hash(device_token.expose()),
        &c.user_id,
        agent.as_deref(),
        now,
        until,
    )
    .await?;
    if let Some(u) = user
        .as_ref()
        .filter(|u| u.email.as_deref().is_some_and(|e| !e.trim().is_empty()))
    {
        let when = chrono::DateTime::from_timestamp_millis(now)
            .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        let notice = Outgoing {
            expires_at: None,
            to: u.email.clone().unwrap_or_default(),
            subject: t(lang, "device_subject").to_owned(),
            body: t_args(
                lang,
                "device_body",
                &[
                    ("name", &u.display_name),
                    ("when", &when),
                    ("agent", agent.as_deref().unwrap_or("?")),
                ],
            ),
        };
        outbox::enqueue(&mut tx, &app.keys, &notice, now).await?;
    }
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    app.mailer.wake();
    tracing::info!(user = %c.user_id, device = %device_id, method = %c.method, "device trusted");
    open_session(
        app,
        headers,
        opening,
        &c.return_to,
        Some(&device_id),
        Some((&device_token, f)),
    )
    .await
}

/// POST /auth/factor/email: send a (new) code by email, throttled; also the "sign in
/// another way" of a person with an authenticator app. Needs a live challenge cookie.
async fn send_email_code(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, HttpError> {
    let f = config(&app)?;
    let Some((hash, c)) = live(&app, &headers, f).await? else {
        return Ok(ended(&app, &headers, None));
    };
    check_form(&app, &headers, &hash, form.csrf.as_deref())?;
    let lang = Lang::from_code(&c.lang).unwrap_or(Lang::En);
    if !allows_email(&app, &c) {
        return render_code(
            &app,
            &c,
            StatusCode::FORBIDDEN,
            Some(t(lang, "step_up_no_email").to_owned()),
            None,
        )
        .await;
    }
    let user = users::get(&app.db, &c.user_id).await?;
    let Some((email, name)) = user.and_then(|u| {
        u.email
            .filter(|e| !e.trim().is_empty())
            .map(|e| (e, u.display_name))
    }) else {
        return render_code(
            &app,
            &c,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(t(lang, "no_email").to_owned()),
            None,
        )
        .await;
    };
    let now = now_ms();
    let code = new_code(f.code_digits);
    let interval = i64::try_from(f.resend_interval_secs * 1000).unwrap_or(60_000);
    let mut tx = app
        .db
        .pool
        .begin()
        .await
        .map_err(crate::store::StoreError::from)?;
    let replaced = store::replace_code(
        &mut tx,
        &hash,
        &code_hash(&app, &hash, code.expose()),
        now,
        interval,
        i64::from(f.max_sends),
        i64::from(f.max_attempts),
        now + lifetime_ms(f),
    )
    .await?;
    if !replaced {
        drop(tx);
        tracing::info!(user = %c.user_id, "code resend throttled");
        return render_code(
            &app,
            &c,
            StatusCode::TOO_MANY_REQUESTS,
            Some(t(lang, "resend_wait").to_owned()),
            None,
        )
        .await;
    }
    outbox::enqueue(
        &mut tx,
        &app.keys,
        &code_mail(lang, &email, &name, &code, f, now),
        now,
    )
    .await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    app.mailer.wake();
    let mut c = c;
    c.method = "email".to_owned();
    render_code(&app, &c, StatusCode::OK, None, Some(&t(lang, "resent"))).await
}
