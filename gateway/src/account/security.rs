//! The security page, `/auth/factors`: trusted devices, the authenticator app, the
//! security keys, the language and (for a local account) the password and login email.
//! Every form of the account area answers with this page and a notice or an error;
//! every factor change is audited from here.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::crypto;
use crate::error::HttpError;
use crate::extract::{CurrentSession, csrf_token};
use crate::factors::{store, webauthn_store};
use crate::i18n::{person_lang, t, t_args};
use crate::state::AppState;
use crate::store::now_ms;
use crate::store::sessions::Session;

#[derive(Deserialize)]
pub(super) struct PageQuery {
    done: Option<String>,
}

/// GET /auth/factors (`done=key_added` after a script registered a key). Needs a
/// session.
pub(super) async fn page(
    State(app): State<AppState>,
    CurrentSession(s): CurrentSession,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Result<Response, HttpError> {
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    let notice = (q.done.as_deref() == Some("key_added")).then(|| t(lang, "key_added"));
    render(&app, &headers, &s, StatusCode::OK, notice.as_deref(), None).await
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

fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// Render the security page with an optional notice or error.
pub(super) async fn render(
    app: &AppState,
    headers: &HeaderMap,
    s: &Session,
    status: StatusCode,
    notice: Option<&str>,
    error: Option<&str>,
) -> Result<Response, HttpError> {
    let lang = person_lang(app, headers, &s.user_id).await?;
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
    let totp_text = app_row.map(|r| t_args(lang, "totp_active", &[("name", &r.name)]));
    let keys: Vec<_> = if app.webauthn.is_some() {
        webauthn_store::keys(&app.db, &s.user_id)
            .await?
            .into_iter()
            .map(|k| {
                minijinja::context! {
                    id => k.id,
                    name => k.name,
                    added => when(k.created_at),
                    used => k.last_used_at.map(when),
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
                    current => t_args(lang, "email_current", &[("email", &a.login_email)]),
                    rules => t_args(lang, "password_rules", &[("min", &c.min_length.to_string())]),
                }
            }),
        None => None,
    };
    let shell = crate::shell::for_session(app, s, lang, "/auth/factors", "account").await;
    let page = crate::pages::render(
        "factors.html",
        minijinja::context! {
            shell => shell,
            title => t(lang, "factors_title"),
            lang => lang.code(),
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
    Ok(web::no_store((status, Html(page)).into_response()))
}
