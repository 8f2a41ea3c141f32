//! Local password accounts, for people without eID or company SSO: the email is the
//! login, the password is hashed with Argon2id ([`password`]). A wrong password counts
//! towards a lockout; every failure (unknown email, wrong password, locked account)
//! gets the same answer after the same work. A forgotten password is reset through a
//! mailed one-time link; the login email is changed through a link mailed to the new
//! address ([`account`]). After the password, the login goes through
//! [`crate::factors::after_first_factor`] like any other.

pub mod account;
pub mod password;
pub mod store;

use axum::Router;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::config::LocalConfig;
use crate::cookies;
use crate::crypto::{self, ct_eq};
use crate::error::HttpError;
use crate::factors::i18n::{self, Lang, t};
use crate::mail::outbox::{self, Outgoing};
use crate::sessions::Opening;
use crate::state::AppState;
use crate::store::{now_ms, users};
use password::{Hasher, Weakness};

/// Routes of local accounts.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/local", get(login_page).post(login))
        .route("/auth/local/forgot", get(forgot_page).post(forgot))
        .route("/auth/local/reset", get(reset_page).post(reset))
        .merge(account::router())
}

/// Why an account cannot be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// No `[local]` section.
    #[error("local accounts are not configured")]
    NotConfigured,
    /// Not an email address.
    #[error("not an email address")]
    BadEmail,
    /// The password breaks the policy.
    #[error("password refused: {0:?}")]
    Weak(Weakness),
    /// The email is already a login.
    #[error("email already used")]
    Taken,
    /// Storage or hashing failed.
    #[error("internal: {0}")]
    Internal(String),
}

/// Create a person with a local account (for administrators and the demo); returns
/// the person's id.
pub async fn create_account(
    app: &AppState,
    email: &str,
    name: &str,
    password: &str,
) -> Result<String, CreateError> {
    let (Some(c), Some(h)) = (app.config.local.as_ref(), app.passwords.as_ref()) else {
        return Err(CreateError::NotConfigured);
    };
    if !valid_email(email) {
        return Err(CreateError::BadEmail);
    }
    password::check_policy(c, password).map_err(CreateError::Weak)?;
    let hash = h
        .hash(password)
        .await
        .map_err(|e| CreateError::Internal(e.to_string()))?;
    let id = uuid::Uuid::new_v4().to_string();
    match store::create(&app.db, &id, email, name, &hash, now_ms()).await {
        Ok(true) => Ok(id),
        Ok(false) => Err(CreateError::Taken),
        Err(e) => Err(CreateError::Internal(e.to_string())),
    }
}

/// A plausible address: one `@`, something on each side, a dot in the domain, no
/// spaces or control characters, at most 254 characters.
pub fn valid_email(email: &str) -> bool {
    let e = email.trim();
    match e.split_once('@') {
        Some((local, domain)) => {
            e.len() <= 254
                && !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !e.chars().any(|c| c.is_whitespace() || c.is_control())
                && e.parse::<lettre::Address>().is_ok()
        }
        None => false,
    }
}

fn not_found() -> HttpError {
    let mut e = HttpError::new(StatusCode::NOT_FOUND, "not_found", "Not found.");
    e.html = true;
    e
}

fn enabled(app: &AppState) -> Result<(&LocalConfig, &Hasher), HttpError> {
    match (app.config.local.as_ref(), app.passwords.as_ref()) {
        (Some(c), Some(h)) => Ok((c, h)),
        _ => Err(not_found()),
    }
}

/// Same-origin fetch metadata (forms before any session).
fn same_origin(app: &AppState, headers: &HeaderMap) -> Result<(), HttpError> {
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin_ok = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|o| o == app.config.server.public_url.origin().ascii_serialization());
    if matches!(site, Some("cross-site" | "same-site")) || !origin_ok {
        let mut e = HttpError::forbidden("This form must be sent from this site.");
        e.html = true;
        return Err(e);
    }
    Ok(())
}

/// The message for a policy refusal.
pub fn weakness_text(lang: Lang, c: &LocalConfig, w: Weakness) -> String {
    t(lang, w.key()).replace("{min}", &c.min_length.to_string())
}

fn page(name: &str, status: StatusCode, lang: Lang, extra: minijinja::Value) -> Response {
    let ctx = minijinja::context! { lang => lang.code(), t => i18n::all(lang), ..extra };
    let mut r = (status, Html(crate::pages::render(name, ctx))).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r
}

#[derive(Deserialize)]
struct LoginQuery {
    return_to: Option<String>,
}

/// GET /auth/local: the login form. Binds a CSRF token to this browser through the
/// login cookie. No permission needed.
async fn login_page(
    State(app): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Result<Response, HttpError> {
    let (c, _) = enabled(&app)?;
    Ok(login_form(
        &app,
        &headers,
        c,
        StatusCode::OK,
        q.return_to.as_deref(),
        None,
    ))
}

fn login_form(
    app: &AppState,
    headers: &HeaderMap,
    c: &LocalConfig,
    status: StatusCode,
    return_to: Option<&str>,
    error: Option<&str>,
) -> Response {
    let lang = Lang::pick(None, headers);
    let browser = crypto::random_token(32);
    let csrf = app.keys.csrf_tag(&format!(
        "local-login:{}",
        crypto::token_hash(browser.expose())
    ));
    let mut r = page(
        "local_login.html",
        status,
        lang,
        minijinja::context! {
            title => t(lang, "local_title"),
            csrf => csrf,
            return_to => crate::auth::safe_return_to(return_to),
            error => error,
            rules => t(lang, "password_rules").replace("{min}", &c.min_length.to_string()),
        },
    );
    let ttl = i64::try_from(app.config.session.login_timeout_secs).unwrap_or(600);
    cookies::append(
        r.headers_mut(),
        app.cookies.set_login(browser.expose(), ttl),
    );
    r
}

#[derive(Deserialize)]
struct LoginForm {
    email: Option<String>,
    password: Option<String>,
    csrf: Option<String>,
    return_to: Option<String>,
}

/// POST /auth/local: check email and password. No permission needed; the form's CSRF
/// token must match this browser's login cookie.
async fn login(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, HttpError> {
    let (c, hasher) = enabled(&app)?;
    same_origin(&app, &headers)?;
    let bound = app.cookies.login_token(&headers).is_some_and(|b| {
        let expected = app
            .keys
            .csrf_tag(&format!("local-login:{}", crypto::token_hash(&b)));
        form.csrf
            .as_deref()
            .is_some_and(|g| ct_eq(g.as_bytes(), expected.as_bytes()))
    });
    if !bound {
        let mut e =
            HttpError::forbidden("This form has expired. Please reload the page and try again.");
        e.html = true;
        return Err(e);
    }
    let lang = Lang::pick(None, &headers);
    let email = form.email.unwrap_or_default();
    let password = zeroize::Zeroizing::new(form.password.unwrap_or_default());
    let now = now_ms();
    let account = if password.len() <= 1024 {
        store::by_email(&app.db, &email).await?
    } else {
        None
    };
    let locked = account.as_ref().is_some_and(|a| a.locked_until > now);
    // The same Argon2 work whether the account exists, is locked, or not.
    let right = hasher
        .verify(
            &password,
            account.as_ref().map(|a| a.password_hash.as_str()),
        )
        .await
        .map_err(HttpError::internal)?;
    let return_to = form.return_to.as_deref();
    let Some(account) = account.filter(|_| right && !locked) else {
        if let Some(a) = store::by_email(&app.db, &email)
            .await?
            .filter(|a| a.locked_until <= now)
        {
            let lock_ms = i64::try_from(c.lockout_secs * 1000).unwrap_or(900_000);
            store::record_failure(&app.db, &a.user_id, now, i64::from(c.max_failures), lock_ms)
                .await?;
        }
        tracing::info!(locked, "local login refused");
        return Ok(login_form(
            &app,
            &headers,
            c,
            StatusCode::UNAUTHORIZED,
            return_to,
            Some(t(lang, "login_failed")),
        ));
    };
    store::record_success(&app.db, &account.user_id).await?;
    let Some(user) = users::get(&app.db, &account.user_id)
        .await?
        .filter(|u| !u.disabled)
    else {
        return Ok(login_form(
            &app,
            &headers,
            c,
            StatusCode::UNAUTHORIZED,
            return_to,
            Some(t(lang, "login_failed")),
        ));
    };
    let opening = Opening {
        user_id: user.id.clone(),
        display_name: user.display_name.clone(),
        provider: None,
        acr: "local-password".to_owned(),
        amr: vec!["pwd".to_owned()],
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(256).collect()),
        ip: Some(peer.ip().to_string()),
        ..Opening::default()
    };
    let target = crate::auth::safe_return_to(return_to);
    crate::factors::after_first_factor(&app, &headers, opening, &target).await
}

/// GET /auth/local/forgot: ask for a reset link. No permission needed.
async fn forgot_page(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    enabled(&app)?;
    let lang = Lang::pick(None, &headers);
    Ok(page(
        "local_forgot.html",
        StatusCode::OK,
        lang,
        minijinja::context! { title => t(lang, "forgot_title") },
    ))
}

#[derive(Deserialize)]
struct ForgotForm {
    email: Option<String>,
}

/// POST /auth/local/forgot: mail a reset link if the address is a login; the answer
/// is the same either way. No permission needed.
async fn forgot(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ForgotForm>,
) -> Result<Response, HttpError> {
    let (c, _) = enabled(&app)?;
    same_origin(&app, &headers)?;
    let email = form.email.unwrap_or_default();
    let now = now_ms();
    if let Some(a) = store::by_email(&app.db, &email).await? {
        let user = users::get(&app.db, &a.user_id).await?;
        let lang = Lang::pick(user.as_ref().and_then(|u| u.locale.as_deref()), &headers);
        let name = user.map(|u| u.display_name).unwrap_or_default();
        let token = crypto::random_token(32);
        let lifetime = i64::try_from(c.reset_link_secs * 1000).unwrap_or(3_600_000);
        let link = app
            .config
            .server
            .public_url
            .join(&format!("/auth/local/reset?token={}", token.expose()))
            .map_err(HttpError::internal)?;
        let mail = Outgoing {
            to: a.login_email.clone(),
            subject: t(lang, "reset_subject").to_owned(),
            body: t(lang, "reset_body")
                .replace("{name}", &name)
                .replace("{minutes}", &(c.reset_link_secs / 60).to_string())
                .replace("{link}", link.as_str()),
        };
        let mut tx = app
            .db
            .pool
            .begin()
            .await
            .map_err(crate::store::StoreError::from)?;
        store::insert_link(
            &mut tx,
            &crypto::token_hash(token.expose()),
            &a.user_id,
            "reset",
            None,
            now,
            now + lifetime,
        )
        .await?;
        outbox::enqueue(&mut tx, &app.keys, &mail, now).await?;
        tx.commit().await.map_err(crate::store::StoreError::from)?;
        app.mailer.wake();
        tracing::info!(user = %a.user_id, "password reset link sent");
    }
    let lang = Lang::pick(None, &headers);
    let notice = t(lang, "forgot_sent").replace("{minutes}", &(c.reset_link_secs / 60).to_string());
    Ok(page(
        "local_forgot.html",
        StatusCode::OK,
        lang,
        minijinja::context! { title => t(lang, "forgot_title"), notice => notice },
    ))
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// GET /auth/local/reset?token=: the new-password form (the link is not used up by
/// opening it: mail scanners fetch links). No permission needed but the link.
async fn reset_page(
    State(app): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Result<Response, HttpError> {
    let (c, _) = enabled(&app)?;
    let lang = Lang::pick(None, &headers);
    let token = q.token.unwrap_or_default();
    let live = store::peek_link(&app.db, &crypto::token_hash(&token), "reset", now_ms())
        .await?
        .is_some();
    Ok(reset_form(
        c,
        lang,
        if live {
            StatusCode::OK
        } else {
            StatusCode::GONE
        },
        live.then_some(token.as_str()),
        None,
    ))
}

fn reset_form(
    c: &LocalConfig,
    lang: Lang,
    status: StatusCode,
    token: Option<&str>,
    error: Option<&str>,
) -> Response {
    page(
        "local_reset.html",
        status,
        lang,
        minijinja::context! {
            title => t(lang, "reset_title"),
            token => token,
            error => error,
            rules => t(lang, "password_rules").replace("{min}", &c.min_length.to_string()),
        },
    )
}

#[derive(Deserialize)]
struct ResetForm {
    token: Option<String>,
    password: Option<String>,
}

/// POST /auth/local/reset: set the new password, use the link up, and end the
/// person's sessions. No permission needed but the link.
async fn reset(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ResetForm>,
) -> Result<Response, HttpError> {
    let (c, hasher) = enabled(&app)?;
    same_origin(&app, &headers)?;
    let lang = Lang::pick(None, &headers);
    let token = form.token.unwrap_or_default();
    let hash = crypto::token_hash(&token);
    let now = now_ms();
    let Some((user_id, _)) = store::peek_link(&app.db, &hash, "reset", now).await? else {
        return Ok(reset_form(c, lang, StatusCode::GONE, None, None));
    };
    let password = zeroize::Zeroizing::new(form.password.unwrap_or_default());
    if let Err(w) = password::check_policy(c, &password) {
        let msg = weakness_text(lang, c, w);
        return Ok(reset_form(
            c,
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&token),
            Some(&msg),
        ));
    }
    let new_hash = hasher.hash(&password).await.map_err(HttpError::internal)?;
    let mut tx = app
        .db
        .pool
        .begin()
        .await
        .map_err(crate::store::StoreError::from)?;
    if !store::take_link(&mut tx, &hash, "reset", now).await? {
        return Ok(reset_form(c, lang, StatusCode::GONE, None, None));
    }
    store::set_password(&mut tx, &user_id, &new_hash, now).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    for s in crate::store::sessions::list_for_user(&app.db, &user_id).await? {
        app.sessions.end(&s.token_hash).await?;
    }
    tracing::info!(user = %user_id, "password reset");
    Ok(page(
        "local_forgot.html",
        StatusCode::OK,
        lang,
        minijinja::context! { title => t(lang, "reset_title"), notice => t(lang, "reset_done"), done => true },
    ))
}
