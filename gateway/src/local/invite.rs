//! Invitations to a local password account: an operator names a person (email, name,
//! language); a single-use link valid [`LIFETIME_MS`] is mailed to them through the
//! outbox, stored hashed like the reset links (`local_links`, purpose `invite`); the
//! link opens `/auth/local/invitation`, where they choose a password under the policy
//! of [`super::rules`]; the account is created then, and they log in as usual. Both
//! the invitation and the creation are audited. Opening the link changes nothing (mail
//! scanners fetch links).

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::rules::{check_policy, valid_email, weakness_text};
use super::{LocalAccounts, refused_cross_site, store};
use crate::config::LocalConfig;
use crate::crypto;
use crate::error::HttpError;
use crate::extract::{ClientIp, same_site};
use crate::i18n::{Lang, t, t_args};
use crate::mail::outbox::{self, Outgoing};
use crate::state::AppState;
use crate::store::{StoreError, now_ms};
use admin::{Caller, Invitation, InviteRefusal};
use policy::audit::{Audit, AuditEvent, actions};

/// How long an invitation's link is valid: 24 hours.
pub const LIFETIME_MS: i64 = 24 * 3600 * 1000;

/// Invite a person to a local password account, for the operator `by` (the caller
/// checked that they are one): refused when local accounts are off, the address is not
/// one or is already a login, or the name is empty or too long. Returns until when the
/// mailed link is valid. The link, the mail and the audit event commit together.
pub async fn invite(
    app: &AppState,
    by: &Caller,
    invitation: &Invitation,
) -> Result<Result<i64, InviteRefusal>, HttpError> {
    if app.config.local.is_none() || app.passwords.is_none() {
        return Ok(Err(InviteRefusal::Off));
    }
    let email = invitation.email.trim().to_lowercase();
    if !valid_email(&email) {
        return Ok(Err(InviteRefusal::BadEmail));
    }
    let name = invitation.name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Ok(Err(InviteRefusal::BadName));
    }
    if store::by_email(&app.db, &email).await?.is_some() {
        return Ok(Err(InviteRefusal::Taken));
    }
    let lang = invitation
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_else(|| app.config.server.default_lang());
    let token = crypto::random_token(32);
    let link = app
        .config
        .server
        .public_url
        .join(&format!("/auth/local/invitation?token={}", token.expose()))
        .map_err(HttpError::internal)?;
    let now = now_ms();
    let expires_at = now + LIFETIME_MS;
    let mail = Outgoing {
        expires_at: Some(expires_at),
        to: email.clone(),
        subject: t(lang, "invite_subject"),
        body: t_args(
            lang,
            "invite_body",
            &[
                ("name", name),
                ("hours", &(LIFETIME_MS / 3_600_000).to_string()),
                ("link", link.as_str()),
            ],
        ),
    };
    let mut tx = app.db.pool.begin().await.map_err(StoreError::from)?;
    store::insert_invitation(
        &mut tx,
        &crypto::token_hash(token.expose()),
        &email,
        name,
        lang.code(),
        now,
        expires_at,
    )
    .await?;
    outbox::enqueue(&mut tx, &app.keys, &mail, now).await?;
    let event = AuditEvent {
        actor: Some(by.user_id.as_str().into()),
        action: actions::ACCOUNT_INVITE.to_owned(),
        target: format!("email:{email}"),
        structure: None,
        ip: by.ip.clone(),
        detail: serde_json::json!({
            "session": by.session_id, "name": name, "lang": lang.code(), "expires_at": expires_at,
        }),
    };
    Audit::record_in(&mut tx, &event, now)
        .await
        .map_err(crate::error::from_policy)?;
    tx.commit().await.map_err(StoreError::from)?;
    app.mailer.wake();
    tracing::info!(by = %by.user_id, "invitation to a password account sent");
    Ok(Ok(expires_at))
}

#[derive(Deserialize)]
pub(super) struct TokenQuery {
    token: Option<String>,
}

/// GET /auth/local/invitation?token=: the form to choose a password, or the page of a
/// link expired or used. No permission needed but the link.
pub(super) async fn page(
    State(app): State<AppState>,
    LocalAccounts(c, _): LocalAccounts,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Result<Response, HttpError> {
    let token = q.token.unwrap_or_default();
    let live = store::live_invitation(&app.db, &crypto::token_hash(&token), now_ms()).await?;
    let Some((email, name, lang)) = live else {
        let lang = crate::i18n::pick(&app, None, &headers);
        return Ok(dead(lang));
    };
    let lang = crate::i18n::pick(&app, lang.as_deref(), &headers);
    Ok(form(&c, lang, StatusCode::OK, &token, &email, &name, None))
}

fn form(
    c: &LocalConfig,
    lang: Lang,
    status: StatusCode,
    token: &str,
    email: &str,
    name: &str,
    error: Option<&str>,
) -> Response {
    crate::pages::page(
        "local_invitation.html",
        status,
        lang,
        minijinja::context! {
            title => t(lang, "invite_title"),
            token => token,
            email => email,
            name => name,
            error => error,
            rules => t_args(lang, "password_rules", &[("min", &c.min_length.to_string())]),
        },
    )
}

/// The page of a link that is not (or no longer) an invitation: 410.
fn dead(lang: Lang) -> Response {
    crate::pages::page(
        "local_invitation.html",
        StatusCode::GONE,
        lang,
        minijinja::context! { title => t(lang, "invite_title"), dead => true },
    )
}

#[derive(Deserialize)]
pub(super) struct AcceptForm {
    token: Option<String>,
    password: Option<String>,
}

/// POST /auth/local/invitation: create the account with the chosen password and use
/// the link up. No permission needed but the link.
pub(super) async fn accept(
    State(app): State<AppState>,
    LocalAccounts(c, hasher): LocalAccounts,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(f): Form<AcceptForm>,
) -> Result<Response, HttpError> {
    if !same_site(&app, &headers) {
        return Err(refused_cross_site());
    }
    let token = f.token.unwrap_or_default();
    let hash = crypto::token_hash(&token);
    let now = now_ms();
    let Some((email, name, lang)) = store::live_invitation(&app.db, &hash, now).await? else {
        return Ok(dead(crate::i18n::pick(&app, None, &headers)));
    };
    let lang = crate::i18n::pick(&app, lang.as_deref(), &headers);
    let password = zeroize::Zeroizing::new(f.password.unwrap_or_default());
    if let Err(w) = check_policy(&c, &password) {
        let msg = weakness_text(lang, &c, w);
        return Ok(form(
            &c,
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            &token,
            &email,
            &name,
            Some(&msg),
        ));
    }
    let password_hash = hasher.hash(&password).await.map_err(HttpError::internal)?;
    let user_id = uuid::Uuid::new_v4().to_string();
    let mut tx = app.db.pool.begin().await.map_err(StoreError::from)?;
    if !store::take_link(&mut tx, &hash, store::INVITE, now).await? {
        return Ok(dead(lang));
    }
    if !store::create_on(&mut tx, &user_id, &email, &name, &password_hash, now).await? {
        // Someone made this address a login since the invitation: nothing is created
        // (the transaction rolls back, the link stays as it was).
        return Ok(crate::pages::page(
            "local_invitation.html",
            StatusCode::CONFLICT,
            lang,
            minijinja::context! { title => t(lang, "invite_title"), taken => true },
        ));
    }
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
        .bind(lang.code())
        .bind(&user_id)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
    let event = AuditEvent {
        actor: Some(user_id.as_str().into()),
        action: actions::ACCOUNT_CREATE.to_owned(),
        target: user_id.clone(),
        structure: None,
        ip: Some(ip.to_string()),
        detail: serde_json::json!({ "via": "invitation", "email": email }),
    };
    Audit::record_in(&mut tx, &event, now)
        .await
        .map_err(crate::error::from_policy)?;
    tx.commit().await.map_err(StoreError::from)?;
    tracing::info!(user = %user_id, "password account created by invitation");
    Ok(crate::pages::page(
        "local_invitation.html",
        StatusCode::OK,
        lang,
        minijinja::context! { title => t(lang, "invite_title"), created => true },
    ))
}
