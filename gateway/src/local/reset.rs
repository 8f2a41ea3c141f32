//! A forgotten password: `/auth/local/forgot` mails a one-time link (the answer is the
//! same whether the address is a login or not); `/auth/local/reset` sets the new password
//! with it, uses it up and ends the person's sessions. Opening the link changes nothing
//! (mail scanners fetch links).

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::rules::{check_policy, weakness_text};
use super::{LocalAccounts, refused_cross_site, store};
use crate::config::LocalConfig;
use crate::crypto;
use crate::error::HttpError;
use crate::extract::same_site;
use crate::i18n::{Lang, t, t_args};
use crate::mail::outbox::{self, Outgoing};
use crate::state::AppState;
use crate::store::{StoreError, now_ms, users};

/// GET /auth/local/forgot: ask for a reset link. No permission needed.
pub(super) async fn forgot_page(
    _: LocalAccounts,
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Response {
    let lang = crate::i18n::pick(&app, None, &headers);
    crate::pages::page(
        "local_forgot.html",
        StatusCode::OK,
        lang,
        minijinja::context! { title => t(lang, "forgot_title") },
    )
}

#[derive(Deserialize)]
pub(super) struct ForgotForm {
    email: Option<String>,
}

/// POST /auth/local/forgot: mail a reset link if the address is a login; the answer
/// is the same either way. No permission needed.
pub(super) async fn forgot(
    State(app): State<AppState>,
    LocalAccounts(c, _): LocalAccounts,
    headers: HeaderMap,
    Form(form): Form<ForgotForm>,
) -> Result<Response, HttpError> {
    if !same_site(&app, &headers) {
        return Err(refused_cross_site());
    }
    let email = form.email.unwrap_or_default();
    let now = now_ms();
    if let Some(a) = store::by_email(&app.db, &email).await? {
        let user = users::get(&app.db, &a.user_id).await?;
        let lang = crate::i18n::pick(
            &app,
            user.as_ref().and_then(|u| u.locale.as_deref()),
            &headers,
        );
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
            expires_at: Some(now + lifetime),
            to: a.login_email.clone(),
            subject: t(lang, "reset_subject").to_owned(),
            body: t_args(
                lang,
                "reset_body",
                &[
                    ("name", &name),
                    ("minutes", &(c.reset_link_secs / 60).to_string()),
                    ("link", link.as_str()),
                ],
            ),
        };
        let mut tx = app.db.pool.begin().await.map_err(StoreError::from)?;
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
        tx.commit().await.map_err(StoreError::from)?;
        app.mailer.wake();
        tracing::info!(user = %a.user_id, "password reset link sent");
    }
    let lang = crate::i18n::pick(&app, None, &headers);
    let notice = t_args(
        lang,
        "forgot_sent",
        &[("minutes", &(c.reset_link_secs / 60).to_string())],
    );
    Ok(crate::pages::page(
        "local_forgot.html",
        StatusCode::OK,
        lang,
        minijinja::context! { title => t(lang, "forgot_title"), notice => notice },
    ))
}

#[derive(Deserialize)]
pub(super) struct TokenQuery {
    token: Option<String>,
}

/// GET /auth/local/reset?token=: the new-password form (the link is not used up by
/// opening it: mail scanners fetch links). No permission needed but the link.
pub(super) async fn reset_page(
    State(app): State<AppState>,
    LocalAccounts(c, _): LocalAccounts,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Result<Response, HttpError> {
    let lang = crate::i18n::pick(&app, None, &headers);
    let token = q.token.unwrap_or_default();
    let live = store::peek_link(&app.db, &crypto::token_hash(&token), "reset", now_ms())
        .await?
        .is_some();
    Ok(reset_form(
        &c,
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
    crate::pages::page(
        "local_reset.html",
        status,
        lang,
        minijinja::context! {
            title => t(lang, "reset_title"),
            token => token,
            error => error,
            rules => t_args(lang, "password_rules", &[("min", &c.min_length.to_string())]),
        },
    )
}

#[derive(Deserialize)]
pub(super) struct ResetForm {
    token: Option<String>,
    password: Option<String>,
}

/// POST /auth/local/reset: set the new password, use the link up, and end the
/// person's sessions. No permission needed but the link.
pub(super) async fn reset(
    State(app): State<AppState>,
    LocalAccounts(c, hasher): LocalAccounts,
    headers: HeaderMap,
    Form(form): Form<ResetForm>,
) -> Result<Response, HttpError> {
    if !same_site(&app, &headers) {
        return Err(refused_cross_site());
    }
    let c = &c;
    let lang = crate::i18n::pick(&app, None, &headers);
    let token = form.token.unwrap_or_default();
    let hash = crypto::token_hash(&token);
    let now = now_ms();
    let Some((user_id, _)) = store::peek_link(&app.db, &hash, "reset", now).await? else {
        return Ok(reset_form(c, lang, StatusCode::GONE, None, None));
    };
    let password = zeroize::Zeroizing::new(form.password.unwrap_or_default());
    if let Err(w) = check_policy(c, &password) {
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
    let mut tx = app.db.pool.begin().await.map_err(StoreError::from)?;
    if !store::take_link(&mut tx, &hash, "reset", now).await? {
        return Ok(reset_form(c, lang, StatusCode::GONE, None, None));
    }
    store::set_password(&mut tx, &user_id, &new_hash, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    for s in crate::store::sessions::list_for_user(&app.db, &user_id).await? {
        app.sessions.end(&s.token_hash).await?;
    }
    tracing::info!(user = %user_id, "password reset");
    Ok(crate::pages::page(
        "local_forgot.html",
        StatusCode::OK,
        lang,
        minijinja::context! { title => t(lang, "reset_title"), notice => t(lang, "reset_done"), done => true },
    ))
}
