//! A logged-in person's local account: change the password (with the current one),
//! change the login email (a link to the new address, valid `email_link_secs`; one
//! change pending at a time; until it is opened the old address stays the login).

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{enabled, page, same_origin, store, valid_email, weakness_text};
use crate::auth::{check_form, current_session};
use crate::crypto;
use crate::error::HttpError;
use crate::factors::i18n::{Lang, t};
use crate::factors::manage;
use crate::mail::outbox::{self, Outgoing};
use crate::state::AppState;
use crate::store::now_ms;

/// Routes of the account's password and login email.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/local/password", post(change_password))
        .route("/auth/local/email", post(change_email))
        .route("/auth/local/email/confirm", get(confirm_page).post(confirm))
}

#[derive(Deserialize)]
struct AccountForm {
    csrf: Option<String>,
    current: Option<String>,
    password: Option<String>,
    email: Option<String>,
}

/// POST /auth/local/password: needs a session with a local account, its CSRF token and
/// the current password.
async fn change_password(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<AccountForm>,
) -> Result<Response, HttpError> {
    let (c, hasher) = enabled(&app)?;
    let Some(s) = current_session(&app, &headers, true).await? else {
        return Ok(Redirect::to("/auth/login").into_response());
    };
    check_form(&app, &headers, &s, form.csrf.as_deref()).map_err(|e| e.for_request(&headers))?;
    let lang = manage::lang_of(&app, &headers, &s.user_id).await?;
    let Some(account) = store::by_user(&app.db, &s.user_id).await? else {
        return Err(HttpError::new(
            StatusCode::NOT_FOUND,
            "no_local_account",
            "This account has no password.",
        )
        .for_request(&headers));
    };
    let current = zeroize::Zeroizing::new(form.current.unwrap_or_default());
    let right = hasher
        .verify(&current, Some(&account.password_hash))
        .await
        .map_err(HttpError::internal)?;
    if !right {
        let now = now_ms();
        let lock_ms = i64::try_from(c.lockout_secs * 1000).unwrap_or(900_000);
        store::record_failure(&app.db, &s.user_id, now, i64::from(c.max_failures), lock_ms).await?;
        return manage::render(
            &app,
            &headers,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(t(lang, "current_wrong")),
        )
        .await;
    }
    let new = zeroize::Zeroizing::new(form.password.unwrap_or_default());
    if let Err(w) = super::password::check_policy(c, &new) {
        let msg = weakness_text(lang, c, w);
        return manage::render(
            &app,
            &headers,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(&msg),
        )
        .await;
    }
    let hash = hasher.hash(&new).await.map_err(HttpError::internal)?;
    let mut conn = app
        .db
        .pool
        .acquire()
        .await
        .map_err(crate::store::StoreError::from)?;
    store::set_password(&mut conn, &s.user_id, &hash, now_ms()).await?;
    tracing::info!(user = %s.user_id, "password changed");
    manage::render(
        &app,
        &headers,
        &s,
        StatusCode::OK,
        Some(t(lang, "password_changed")),
        None,
    )
    .await
}

/// POST /auth/local/email: mail a confirmation link to the new address. Needs a
/// session with a local account and its CSRF token.
async fn change_email(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<AccountForm>,
) -> Result<Response, HttpError> {
    let (c, _) = enabled(&app)?;
    let Some(s) = current_session(&app, &headers, true).await? else {
        return Ok(Redirect::to("/auth/login").into_response());
    };
    check_form(&app, &headers, &s, form.csrf.as_deref()).map_err(|e| e.for_request(&headers))?;
    let lang = manage::lang_of(&app, &headers, &s.user_id).await?;
    let Some(account) = store::by_user(&app.db, &s.user_id).await? else {
        return Err(HttpError::new(
            StatusCode::NOT_FOUND,
            "no_local_account",
            "This account has no password.",
        )
        .for_request(&headers));
    };
    let email = form.email.unwrap_or_default().trim().to_lowercase();
    if !valid_email(&email) {
        return manage::render(
            &app,
            &headers,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(t(lang, "bad_email")),
        )
        .await;
    }
    if email == account.login_email || store::by_email(&app.db, &email).await?.is_some() {
        return manage::render(
            &app,
            &headers,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(t(lang, "email_taken")),
        )
        .await;
    }
    let now = now_ms();
    let token = crypto::random_token(32);
    let link = app
        .config
        .server
        .public_url
        .join(&format!(
            "/auth/local/email/confirm?token={}",
            token.expose()
        ))
        .map_err(HttpError::internal)?;
    let lifetime = i64::try_from(c.email_link_secs * 1000).unwrap_or(86_400_000);
    let mail = Outgoing {
        to: email.clone(),
        subject: t(lang, "email_subject").to_owned(),
        body: t(lang, "email_body")
            .replace("{name}", &s.display_name)
            .replace("{minutes}", &(c.email_link_secs / 60).to_string())
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
        &s.user_id,
        "email",
        Some(&email),
        now,
        now + lifetime,
    )
    .await?;
    outbox::enqueue(&mut tx, &app.keys, &mail, now).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    app.mailer.wake();
    tracing::info!(user = %s.user_id, "login email change asked");
    let notice = t(lang, "email_link_sent").replace("{email}", &account.login_email);
    manage::render(&app, &headers, &s, StatusCode::OK, Some(&notice), None).await
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// GET /auth/local/email/confirm?token=: a button confirming the change (opening the
/// link changes nothing: mail scanners fetch links). No permission needed but the link.
async fn confirm_page(
    State(app): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Result<Response, HttpError> {
    enabled(&app)?;
    let token = q.token.unwrap_or_default();
    let link = store::peek_link(&app.db, &crypto::token_hash(&token), "email", now_ms()).await?;
    let (lang, email) = match &link {
        Some((user_id, email)) => (
            manage::lang_of(&app, &headers, user_id).await?,
            email.clone(),
        ),
        None => (Lang::pick(None, &headers), None),
    };
    let status = if link.is_some() {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    let button = email
        .as_deref()
        .map(|e| t(lang, "email_confirm_button").replace("{email}", e));
    Ok(page(
        "local_email_confirm.html",
        status,
        lang,
        minijinja::context! { title => t(lang, "email_confirm_title"), token => link.is_some().then_some(token), button => button },
    ))
}

#[derive(Deserialize)]
struct ConfirmForm {
    token: Option<String>,
}

/// POST /auth/local/email/confirm: make the new address the login. No permission
/// needed but the link.
async fn confirm(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, HttpError> {
    enabled(&app)?;
    same_origin(&app, &headers)?;
    let hash = crypto::token_hash(&form.token.unwrap_or_default());
    let now = now_ms();
    let gone = |lang| {
        page(
            "local_email_confirm.html",
            StatusCode::GONE,
            lang,
            minijinja::context! { title => t(lang, "email_confirm_title") },
        )
    };
    let Some((user_id, Some(email))) = store::peek_link(&app.db, &hash, "email", now).await? else {
        return Ok(gone(Lang::pick(None, &headers)));
    };
    let lang = manage::lang_of(&app, &headers, &user_id).await?;
    let mut tx = app
        .db
        .pool
        .begin()
        .await
        .map_err(crate::store::StoreError::from)?;
    if !store::take_link(&mut tx, &hash, "email", now).await? {
        return Ok(gone(lang));
    }
    if !store::set_login_email(&mut tx, &user_id, &email, now).await? {
        return Ok(page(
            "local_email_confirm.html",
            StatusCode::CONFLICT,
            lang,
            minijinja::context! { title => t(lang, "email_confirm_title"), error => t(lang, "email_taken") },
        ));
    }
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    tracing::info!(user = %user_id, "login email changed");
    Ok(page(
        "local_email_confirm.html",
        StatusCode::OK,
        lang,
        minijinja::context! { title => t(lang, "email_confirm_title"), notice => t(lang, "email_confirmed") },
    ))
}
