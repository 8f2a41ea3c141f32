//! Password login, `/auth/local`: the form binds a CSRF token to this browser through
//! the login cookie; every failure (unknown email, wrong password, locked account) gets
//! the same answer after the same Argon2 work; a wrong password counts towards the
//! lockout. After the password, the login goes on like any other through
//! [`crate::factors::after_first_factor`].

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;

use super::{LocalAccounts, refused_cross_site, store};
use crate::config::LocalConfig;
use crate::cookies;
use crate::crypto::{self, ct_eq};
use crate::error::HttpError;
use crate::extract::{ClientIp, same_site};
use crate::i18n::{t, t_args};
use crate::pages::safe_return_to;
use crate::sessions::Opening;
use crate::state::AppState;
use crate::store::{now_ms, users};

#[derive(Deserialize)]
pub(super) struct LoginQuery {
    return_to: Option<String>,
}

/// GET /auth/local: the login form. Binds a CSRF token to this browser through the
/// login cookie. No permission needed.
pub(super) async fn page(
    State(app): State<AppState>,
    LocalAccounts(c, _): LocalAccounts,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Result<Response, HttpError> {
    Ok(login_form(
        &app,
        &headers,
        &c,
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
    let lang = crate::i18n::pick(app, None, headers);
    let browser = crypto::random_token(32);
    let csrf = app.keys.csrf_tag(&format!(
        "local-login:{}",
        crypto::token_hash(browser.expose())
    ));
    let mut r = crate::pages::page(
        "local_login.html",
        status,
        lang,
        minijinja::context! {
            title => t(lang, "local_title"),
            csrf => csrf,
            return_to => safe_return_to(return_to),
            error => error,
            rules => t_args(lang, "password_rules", &[("min", &c.min_length.to_string())]),
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
pub(super) struct LoginForm {
    email: Option<String>,
    password: Option<String>,
    csrf: Option<String>,
    return_to: Option<String>,
}

/// POST /auth/local: check email and password. No permission needed; the form's CSRF
/// token must match this browser's login cookie.
pub(super) async fn login(
    State(app): State<AppState>,
    LocalAccounts(c, hasher): LocalAccounts,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, HttpError> {
    if !same_site(&app, &headers) {
        return Err(refused_cross_site());
    }
    let bound = app.cookies.login_token(&headers).is_some_and(|b| {
        let expected = app
            .keys
            .csrf_tag(&format!("local-login:{}", crypto::token_hash(&b)));
        form.csrf
            .as_deref()
            .is_some_and(|g| ct_eq(g.as_bytes(), expected.as_bytes()))
    });
    if !bound {
        return Err(HttpError::forbidden(crate::pages::FORM_EXPIRED).page());
    }
    let lang = crate::i18n::pick(&app, None, &headers);
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
            &c,
            StatusCode::UNAUTHORIZED,
            return_to,
            Some(&t(lang, "login_failed")),
        ));
    };
    store::record_success(&app.db, &account.user_id).await?;
    let Some(user) = users::get(&app.db, &account.user_id)
        .await?
        .filter(|u| !u.disabled)
    else {
        // The right password of an account its person deactivated: say so.
        let (status, message) =
            if crate::store::account::deactivated(&app.db, &account.user_id).await? {
                (StatusCode::FORBIDDEN, t(lang, "deactivated_login_refused"))
            } else {
                (StatusCode::UNAUTHORIZED, t(lang, "login_failed"))
            };
        return Ok(login_form(
            &app,
            &headers,
            &c,
            status,
            return_to,
            Some(&message),
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
        ip: Some(ip.to_string()),
        ..Opening::default()
    };
    let target = safe_return_to(return_to);
    crate::factors::after_first_factor(&app, &headers, opening, &target).await
}
