//! The person's own security page, `/auth/factors`: trusted devices (list, remove:
//! removing one ends the sessions it opened), the authenticator app (set up with a
//! QR code confirmed by a first code, remove) and the security keys (`super::webauthn`).
//! Every form needs the session's CSRF token; every factor change is audited.

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::i18n::{self, Lang, t};
use super::{store, totp};
use crate::auth::{check_form, csrf_token, current_session};
use crate::crypto;
use crate::error::HttpError;
use crate::state::AppState;
use crate::store::sessions::Session;
use crate::store::{now_ms, users};

/// Routes of the security page.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/factors", get(page))
        .route("/auth/factors/devices/revoke", post(revoke_device))
        .route("/auth/factors/totp", post(start_totp))
        .route("/auth/factors/totp/confirm", post(confirm_totp))
        .route("/auth/factors/totp/delete", post(delete_totp))
        .route("/auth/factors/language", post(set_language))
}

#[derive(Deserialize)]
struct ManageForm {
    csrf: Option<String>,
    id: Option<String>,
    name: Option<String>,
    code: Option<String>,
    lang: Option<String>,
}

/// The session, or a redirect to the login page.
async fn session(
    app: &AppState,
    headers: &HeaderMap,
) -> Result<Result<std::sync::Arc<Session>, Response>, HttpError> {
    Ok(match current_session(app, headers, true).await? {
        Some(s) => Ok(s),
        None => Err(Redirect::to("/auth/login").into_response()),
    })
}

/// The session behind a form posted from the security page, its CSRF token checked; or
/// the redirect that sends the browser to log in.
async fn form_session(
    app: &AppState,
    headers: &HeaderMap,
    csrf: Option<&str>,
) -> Result<Result<std::sync::Arc<Session>, Response>, HttpError> {
    let s = match session(app, headers).await? {
        Ok(s) => s,
        Err(r) => return Ok(Err(r)),
    };
    check_form(app, headers, &s, csrf).map_err(|e| e.for_request(headers))?;
    Ok(Ok(s))
}

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

/// A factor added or removed, in the audit log.
pub(super) async fn audit_change(app: &AppState, s: &Session, change: &str, id: &str, name: &str) {
    app.audit(
        Some(&s.user_id),
        policy::audit::actions::FACTOR_CHANGE,
        &s.user_id,
        None,
        s.ip.as_deref(),
        serde_json::json!({ "sid": s.sid, "change": change, "id": id, "name": name }),
    )
    .await;
}

/// The person's language, else the browser's.
pub(crate) async fn lang_of(
    app: &AppState,
    headers: &HeaderMap,
    user_id: &str,
) -> Result<Lang, HttpError> {
    let user = users::get(&app.db, user_id).await?;
    Ok(Lang::pick(user.and_then(|u| u.locale).as_deref(), headers))
}

fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// Render the security page with an optional notice or error.
pub(crate) async fn render(
    app: &AppState,
    headers: &HeaderMap,
    s: &Session,
    status: StatusCode,
    notice: Option<&str>,
    error: Option<&str>,
) -> Result<Response, HttpError> {
    let lang = lang_of(app, headers, &s.user_id).await?;
    let current = app
        .cookies
        .device_token(headers)
        .map(|t| crypto::token_hash(&t));
    let devices: Vec<_> = store::devices(&app.db, &s.user_id, now_ms())
        .await?
        .into_iter()
        .map(|d| {
            let this = current
                .as_deref()
                .is_some_and(|c| crypto::ct_eq(c.as_bytes(), d.token_hash.as_bytes()));
            minijinja::context! {
                id => d.id,
                agent => d.user_agent.unwrap_or_else(|| "?".to_owned()),
                first => when(d.created_at),
                last => when(d.last_seen_at),
                this => this,
            }
        })
        .collect();
    let app_row = store::totp(&app.db, &s.user_id)
        .await?
        .filter(|r| r.confirmed);
    let totp_text = app_row.map(|r| t(lang, "totp_active").replace("{name}", &r.name));
    let keys: Vec<_> = if app.webauthn.is_some() {
        super::webauthn::listed(app, &s.user_id)
            .await?
            .into_iter()
            .map(|(id, name, added, used)| {
                minijinja::context! {
                    id => id,
                    name => name,
                    added => when(added),
                    used => used.map(when),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let local = match app.config.local.as_ref() {
        Some(c) => crate::local::store::by_user(&app.db, &s.user_id)
            .await?
            .map(|a| {
                minijinja::context! {
                    current => t(lang, "email_current").replace("{email}", &a.login_email),
                    rules => t(lang, "password_rules").replace("{min}", &c.min_length.to_string()),
                }
            }),
        None => None,
    };
    let page = crate::pages::render(
        "factors.html",
        minijinja::context! {
            title => t(lang, "factors_title"),
            lang => lang.code(),
            t => i18n::all(lang),
            csrf => csrf_token(app, s),
            devices => devices,
            totp => totp_text,
            webauthn => app.webauthn.is_some(),
            keys => keys,
            notice => notice,
            error => error,
            languages => [("fr", "Français"), ("nl", "Nederlands"), ("en", "English")],
            local => local,
        },
    );
    let mut r = (status, Html(page)).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(r)
}

/// POST /auth/factors/language (`lang`): the person's language for pages and mails.
/// Needs a session and its CSRF token.
async fn set_language(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ManageForm>,
) -> Result<Response, HttpError> {
    let s = match form_session(&app, &headers, form.csrf.as_deref()).await? {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    let Some(lang) = form
        .lang
        .as_deref()
        .filter(|l| l.len() == 2)
        .and_then(Lang::from_code)
    else {
        return Err(
            HttpError::bad_request("bad_language", "Unknown language.").for_request(&headers)
        );
    };
    store::set_locale(&app.db, &s.user_id, lang.code(), now_ms()).await?;
    render(
        &app,
        &headers,
        &s,
        StatusCode::OK,
        Some(t(lang, "language_saved")),
        None,
    )
    .await
}

#[derive(Deserialize)]
struct PageQuery {
    done: Option<String>,
}

/// GET /auth/factors (`done=key_added` after a script registered a key). Needs a
/// session.
async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Result<Response, HttpError> {
    let s = match session(&app, &headers).await? {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    let lang = lang_of(&app, &headers, &s.user_id).await?;
    let notice = (q.done.as_deref() == Some("key_added")).then(|| t(lang, "key_added"));
    render(&app, &headers, &s, StatusCode::OK, notice, None).await
}

/// POST /auth/factors/devices/revoke (`id`). Needs a session and its CSRF token; only
/// the person's own devices.
async fn revoke_device(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ManageForm>,
) -> Result<Response, HttpError> {
    let s = match form_session(&app, &headers, form.csrf.as_deref()).await? {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    let lang = lang_of(&app, &headers, &s.user_id).await?;
    let id = form.id.unwrap_or_default();
    let Some(sessions) = store::revoke_device(&app.db, &s.user_id, &id).await? else {
        return Err(
            HttpError::new(StatusCode::NOT_FOUND, "not_found", "No such device.")
                .for_request(&headers),
        );
    };
    let mut ended_own = false;
    for hash in &sessions {
        app.sessions.end(hash).await?;
        ended_own |= crypto::ct_eq(hash.as_bytes(), s.token_hash.as_bytes());
    }
    tracing::info!(user = %s.user_id, device = %id, sessions = sessions.len(), "trusted device removed");
    audit_change(&app, &s, "device.remove", &id, "").await;
    if ended_own {
        let mut r = Redirect::to("/auth/logged-out").into_response();
        crate::cookies::append(r.headers_mut(), app.cookies.clear_session());
        return Ok(r);
    }
    render(
        &app,
        &headers,
        &s,
        StatusCode::OK,
        Some(t(lang, "device_revoked")),
        None,
    )
    .await
}

/// POST /auth/factors/totp (`name`): start setting up an authenticator app. Needs a
/// session and its CSRF token; refused while a confirmed app exists.
async fn start_totp(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ManageForm>,
) -> Result<Response, HttpError> {
    let s = match form_session(&app, &headers, form.csrf.as_deref()).await? {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    let lang = lang_of(&app, &headers, &s.user_id).await?;
    let name = form.name.unwrap_or_default().trim().to_owned();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        return render(
            &app,
            &headers,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(t(lang, "totp_bad_name")),
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
            Some(t(lang, "totp_exists")),
        )
        .await;
    }
    enroll_page(&app, &s, lang, &enrollment, StatusCode::OK, None)
}

fn enroll_page(
    app: &AppState,
    s: &Session,
    lang: Lang,
    e: &totp::Enrollment,
    status: StatusCode,
    error: Option<&str>,
) -> Result<Response, HttpError> {
    let page = crate::pages::render(
        "totp_enroll.html",
        minijinja::context! {
            title => t(lang, "totp_start"),
            lang => lang.code(),
            t => i18n::all(lang),
            csrf => csrf_token(app, s),
            uri => e.uri.as_str(),
            key => e.base32.as_str(),
            qr => e.qr_png_base64,
            error => error,
        },
    );
    let mut r = (status, Html(page)).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(r)
}

/// POST /auth/factors/totp/confirm (`code`): confirm the app being set up with a first
/// code. Needs a session and its CSRF token.
async fn confirm_totp(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ManageForm>,
) -> Result<Response, HttpError> {
    let s = match form_session(&app, &headers, form.csrf.as_deref()).await? {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    let lang = lang_of(&app, &headers, &s.user_id).await?;
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
            Some(t(lang, "totp_exists")),
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
            Some(t(lang, "too_many_failures")),
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
        return enroll_page(
            &app,
            &s,
            lang,
            &e,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(t(lang, "totp_wrong")),
        );
    }
    tracing::info!(user = %s.user_id, "authenticator app set up");
    audit_change(&app, &s, "totp.add", "totp", &row.name).await;
    render(
        &app,
        &headers,
        &s,
        StatusCode::OK,
        Some(t(lang, "totp_done")),
        None,
    )
    .await
}

/// POST /auth/factors/totp/delete: remove the app. Needs a session and its CSRF token.
async fn delete_totp(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ManageForm>,
) -> Result<Response, HttpError> {
    let s = match form_session(&app, &headers, form.csrf.as_deref()).await? {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    let lang = lang_of(&app, &headers, &s.user_id).await?;
    if store::delete_totp(&app.db, &s.user_id).await? {
        audit_change(&app, &s, "totp.remove", "totp", "").await;
    }
    tracing::info!(user = %s.user_id, "authenticator app removed");
    render(
        &app,
        &headers,
        &s,
        StatusCode::OK,
        Some(t(lang, "totp_removed")),
        None,
    )
    .await
}
