//! A local account's login email, changed through a link mailed to the new address
//! (valid `email_link_secs`, 24 hours by default; until the link is used the old address
//! stays the login). One change is pending at a time: while a link is live, a new
//! request is refused with the time left (as Chorus Pro does: "il faudra aller à son
//! terme pour effectuer une nouvelle demande"). Opening the link changes nothing (mail scanners fetch
//! links): its page has a button that does.

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::security::render;
use crate::crypto;
use crate::error::HttpError;
use crate::extract::{CsrfForm, same_site};
use crate::i18n::{person_lang, t, t_args};
use crate::local::rules::valid_email;
use crate::local::{LocalAccounts, refused_cross_site, store};
use crate::mail::outbox::{self, Outgoing};
use crate::state::AppState;
use crate::store::{StoreError, now_ms};

#[derive(Deserialize)]
pub(super) struct EmailForm {
    email: Option<String>,
}

/// POST /auth/local/email: mail a confirmation link to the new address. Needs local
/// accounts configured, a session with a local account and its CSRF token.
pub(super) async fn change(
    State(app): State<AppState>,
    LocalAccounts(c, _): LocalAccounts,
    headers: HeaderMap,
    CsrfForm { session: s, form }: CsrfForm<EmailForm>,
) -> Result<Response, HttpError> {
    let lang = person_lang(&app, &headers, &s.user_id).await?;
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
        return render(
            &app,
            &headers,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(&t(lang, "bad_email")),
        )
        .await;
    }
    if email == account.login_email || store::by_email(&app.db, &email).await?.is_some() {
        return render(
            &app,
            &headers,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(&t(lang, "email_taken")),
        )
        .await;
    }
    let now = now_ms();
    if let Some((pending, until)) = store::pending_link(&app.db, &s.user_id, "email", now).await? {
        let minutes_left = ((until - now).max(0) + 59_999) / 60_000;
        let refusal = t_args(
            lang,
            "email_change_pending",
            &[
                ("email", pending.as_deref().unwrap_or("")),
                ("hours", &(minutes_left / 60).to_string()),
                ("minutes", &(minutes_left % 60).to_string()),
            ],
        );
        return render(
            &app,
            &headers,
            &s,
            StatusCode::CONFLICT,
            None,
            Some(&refusal),
        )
        .await;
    }
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
        expires_at: Some(now + lifetime),
        to: email.clone(),
        subject: t(lang, "email_subject").to_owned(),
        body: t_args(
            lang,
            "email_body",
            &[
                ("name", &s.display_name),
                ("minutes", &(c.email_link_secs / 60).to_string()),
                ("link", link.as_str()),
            ],
        ),
    };
    let mut tx = app.db.pool.begin().await.map_err(StoreError::from)?;
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
    tx.commit().await.map_err(StoreError::from)?;
    app.mailer.wake();
    tracing::info!(user = %s.user_id, "login email change asked");
    let notice = t_args(lang, "email_link_sent", &[("email", &account.login_email)]);
    render(&app, &headers, &s, StatusCode::OK, Some(&notice), None).await
}

#[derive(Deserialize)]
pub(super) struct TokenQuery {
    token: Option<String>,
}

/// GET /auth/local/email/confirm?token=: a button confirming the change. No permission
/// needed but the link.
pub(super) async fn confirm_page(
    State(app): State<AppState>,
    _: LocalAccounts,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Result<Response, HttpError> {
    let token = q.token.unwrap_or_default();
    let link = store::peek_link(&app.db, &crypto::token_hash(&token), "email", now_ms()).await?;
    let (lang, email) = match &link {
        Some((user_id, email)) => (person_lang(&app, &headers, user_id).await?, email.clone()),
        None => (crate::i18n::pick(&app, None, &headers), None),
    };
    let status = if link.is_some() {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    let button = email
        .as_deref()
        .map(|e| t_args(lang, "email_confirm_button", &[("email", e)]));
    Ok(crate::pages::page(
        "local_email_confirm.html",
        status,
        lang,
        minijinja::context! { title => t(lang, "email_confirm_title"), token => link.is_some().then_some(token), button => button },
    ))
}

#[derive(Deserialize)]
pub(super) struct ConfirmForm {
    token: Option<String>,
}

/// POST /auth/local/email/confirm: make the new address the login. No permission
/// needed but the link (the form must come from this site).
pub(super) async fn confirm(
    State(app): State<AppState>,
    _: LocalAccounts,
    headers: HeaderMap,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, HttpError> {
    if !same_site(&app, &headers) {
        return Err(refused_cross_site());
    }
    let hash = crypto::token_hash(&form.token.unwrap_or_default());
    let now = now_ms();
    let gone = |lang| {
        crate::pages::page(
            "local_email_confirm.html",
            StatusCode::GONE,
            lang,
            minijinja::context! { title => t(lang, "email_confirm_title") },
        )
    };
    let Some((user_id, Some(email))) = store::peek_link(&app.db, &hash, "email", now).await? else {
        return Ok(gone(crate::i18n::pick(&app, None, &headers)));
    };
    let lang = person_lang(&app, &headers, &user_id).await?;
    let mut tx = app.db.pool.begin().await.map_err(StoreError::from)?;
    if !store::take_link(&mut tx, &hash, "email", now).await? {
        return Ok(gone(lang));
    }
    if !store::set_login_email(&mut tx, &user_id, &email, now).await? {
        return Ok(crate::pages::page(
            "local_email_confirm.html",
            StatusCode::CONFLICT,
            lang,
            minijinja::context! { title => t(lang, "email_confirm_title"), error => t(lang, "email_taken") },
        ));
    }
    tx.commit().await.map_err(StoreError::from)?;
    tracing::info!(user = %user_id, "login email changed");
    Ok(crate::pages::page(
        "local_email_confirm.html",
        StatusCode::OK,
        lang,
        minijinja::context! { title => t(lang, "email_confirm_title"), notice => t(lang, "email_confirmed") },
    ))
}
