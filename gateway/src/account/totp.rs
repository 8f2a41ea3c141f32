//! The authenticator app (TOTP): set it up with a QR code confirmed by a first code
//! (code entry rate limited on the same per-person budget as at login), or remove it.
//! One app per person.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::security::{audit_change, render};
use crate::error::HttpError;
use crate::extract::{CsrfForm, CurrentSession, csrf_token};
use crate::factors::{store, totp};
use crate::i18n::{Lang, person_lang, t};
use crate::state::AppState;
use crate::store::sessions::Session;
use crate::store::{now_ms, users};

#[derive(Deserialize)]
pub(super) struct StartForm {
    name: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct ConfirmForm {
    code: Option<String>,
}

/// A form with no field but its CSRF token.
#[derive(Deserialize)]
pub(super) struct NoFields {}

/// What an authenticator app shows for this secret: the configured issuer and the
/// person's email (else their name) as the account.
async fn enrollment_of(
    app: &AppState,
    s: &Session,
    secret: &[u8],
) -> Result<totp::Enrollment, HttpError> {
    let issuer = app
        .config
        .factors
        .as_ref()
        .map_or("Gateway", |f| f.totp_issuer.as_str());
    let account = users::get(&app.db, &s.user_id)
        .await?
        .and_then(|u| u.email)
        .unwrap_or_else(|| s.display_name.clone());
    totp::enrollment(secret, issuer, &account)
        .ok_or_else(|| HttpError::internal("TOTP parameters refused"))
}

/// POST /auth/factors/totp (`name`): start setting up an authenticator app. Needs a
/// session and its CSRF token; refused while a confirmed app exists.
pub(super) async fn start(
    State(app): State<AppState>,
    headers: HeaderMap,
    CsrfForm { session: s, form }: CsrfForm<StartForm>,
) -> Result<Response, HttpError> {
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    let name = form.name.unwrap_or_default().trim().to_owned();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        return render(
            &app,
            &headers,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(&t(lang, "totp_bad_name")),
        )
        .await;
    }
    let secret = totp::new_secret();
    let enrollment = enrollment_of(&app, &s, &secret).await?;
    let sealed = app.keys.seal(&totp::seal_context(&s.user_id), &secret);
    if !store::start_totp(&app.db, &s.user_id, &name, &sealed, now_ms()).await? {
        return render(
            &app,
            &headers,
            &s,
            StatusCode::CONFLICT,
            None,
            Some(&t(lang, "totp_exists")),
        )
        .await;
    }
    Ok(enroll_page(
        &app,
        &s,
        lang,
        &enrollment,
        StatusCode::OK,
        None,
    ))
}

/// GET /auth/factors/totp/qr.png: the QR code of the app being set up, as an image of
/// this origin (the pages' Content-Security-Policy loads no `data:` image). Needs a
/// session with an app started and not yet confirmed; never cached.
pub(super) async fn qr(
    State(app): State<AppState>,
    CurrentSession(s): CurrentSession,
) -> Result<Response, HttpError> {
    let not_found = || {
        HttpError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "No authenticator app is being set up.",
        )
    };
    let row = store::totp(&app.db, &s.user_id)
        .await?
        .filter(|r| !r.confirmed)
        .ok_or_else(not_found)?;
    let secret = app
        .keys
        .open(&totp::seal_context(&s.user_id), &row.secret_sealed)
        .map_err(|_| HttpError::internal("sealed TOTP secret cannot be opened"))?;
    let png = enrollment_of(&app, &s, &secret)
        .await?
        .qr_png_base64
        .and_then(|b| base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b).ok())
        .ok_or_else(not_found)?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "image/png"),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        png,
    )
        .into_response())
}

/// The page with the QR code, the key in text and the form for the first code.
fn enroll_page(
    app: &AppState,
    s: &Session,
    lang: Lang,
    e: &totp::Enrollment,
    status: StatusCode,
    error: Option<&str>,
) -> Response {
    let page = crate::pages::render(
        "totp_enroll.html",
        minijinja::context! {
            title => t(lang, "totp_start"),
            lang => lang.code(),
            csrf => csrf_token(app, s),
            uri => e.uri.as_str(),
            key => e.base32.as_str(),
            qr => e.qr_png_base64.is_some(),
            error => error,
        },
    );
    web::no_store((status, Html(page)).into_response())
}

/// POST /auth/factors/totp/confirm (`code`): confirm the app being set up with a first
/// code. Needs a session and its CSRF token.
pub(super) async fn confirm(
    State(app): State<AppState>,
    headers: HeaderMap,
    CsrfForm { session: s, form }: CsrfForm<ConfirmForm>,
) -> Result<Response, HttpError> {
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    let Some(row) = store::totp(&app.db, &s.user_id)
        .await?
        .filter(|r| !r.confirmed)
    else {
        return render(
            &app,
            &headers,
            &s,
            StatusCode::CONFLICT,
            None,
            Some(&t(lang, "totp_exists")),
        )
        .await;
    };
    let secret = app
        .keys
        .open(&totp::seal_context(&s.user_id), &row.secret_sealed)
        .map_err(HttpError::internal)?;
    // Code entry is rate limited here too, on the same per-person budget as at login.
    let cap = app
        .config
        .factors
        .as_ref()
        .map_or(20, |f| i64::from(f.max_failures_per_day));
    if store::recent_failures(&app.db, &s.user_id, now_ms()).await? >= cap {
        return render(
            &app,
            &headers,
            &s,
            StatusCode::TOO_MANY_REQUESTS,
            None,
            Some(&t(lang, "too_many_failures")),
        )
        .await;
    }
    let now_secs = u64::try_from(now_ms() / 1000).unwrap_or(0);
    let code = form.code.unwrap_or_default();
    let step = totp::matching_step(&secret, &code, now_secs).and_then(|st| i64::try_from(st).ok());
    let accepted = match step {
        Some(step) => store::accept_totp_step(&app.db, &s.user_id, step, true).await?,
        None => false,
    };
    if !accepted {
        store::record_failure(&app.db, &s.user_id, now_ms()).await?;
        let e = enrollment_of(&app, &s, &secret).await?;
        return Ok(enroll_page(
            &app,
            &s,
            lang,
            &e,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&t(lang, "totp_wrong")),
        ));
    }
    tracing::info!(user = %s.user_id, "authenticator app set up");
    audit_change(&app, &s, "totp.add", "totp", &row.name).await;
    render(
        &app,
        &headers,
        &s,
        StatusCode::OK,
        Some(&t(lang, "totp_done")),
        None,
    )
    .await
}

/// POST /auth/factors/totp/delete: remove the app. Needs a session and its CSRF token.
pub(super) async fn delete(
    State(app): State<AppState>,
    headers: HeaderMap,
    CsrfForm { session: s, .. }: CsrfForm<NoFields>,
) -> Result<Response, HttpError> {
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    if store::delete_totp(&app.db, &s.user_id).await? {
        audit_change(&app, &s, "totp.remove", "totp", "").await;
    }
    tracing::info!(user = %s.user_id, "authenticator app removed");
    render(
        &app,
        &headers,
        &s,
        StatusCode::OK,
        Some(&t(lang, "totp_removed")),
        None,
    )
    .await
}
