//! `/account/preferences`: the language and the display (larger text, reduced motion,
//! high contrast: classes the shell puts on every page's `<html>`, the backends' pages
//! included through the assertion), the notifications of each application the person
//! may use, and, for a manager of an organisation, the weekly digest. Two forms, each
//! stating its whole section: a box left unticked is off.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::audit_person;
use crate::error::{HttpError, from_policy};
use crate::extract::{ClientIp, CsrfForm, CurrentSession, csrf_token};
use crate::i18n::{Lang, person_lang, t};
use crate::shell::{Place, person_page, usable_applications};
use crate::state::AppState;
use crate::store::account::{self, Preferences};
use crate::store::now_ms;
use crate::store::sessions::Session;

#[derive(Deserialize)]
pub(super) struct PageQuery {
    done: Option<String>,
}

/// GET /account/preferences (`done=display|notifications` after a change). Needs a
/// session.
pub(super) async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    CurrentSession(s): CurrentSession,
    Query(q): Query<PageQuery>,
) -> Result<Response, HttpError> {
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    let notice = match q.done.as_deref() {
        Some("display") => Some(t(lang, "prefs_display_saved")),
        Some("notifications") => Some(t(lang, "prefs_notifications_saved")),
        _ => None,
    };
    let prefs = account::preferences(&app.db, &s.user_id).await?;
    let muted = account::muted_applications(&app.db, &s.user_id).await?;
    let apps: Vec<_> = usable_applications(&app, &s)
        .into_iter()
        .map(|a| {
            minijinja::context! {
                on => !muted.contains(&a.id),
                id => a.id,
                name => a.name,
            }
        })
        .collect();
    let manager = manages(&app, &s).await?;
    person_page(
        &app,
        &headers,
        &s,
        Place::new(
            "account/preferences.html",
            "account",
            "/account/preferences",
        ),
        StatusCode::OK,
        minijinja::context! {
            title_key => "prefs_title",
            csrf => csrf_token(&app, &s),
            notice => notice,
            languages => Lang::ALL.iter().map(|l| minijinja::context! {
                code => l.code(), name => l.native_name(), current => *l == lang,
            }).collect::<Vec<_>>(),
            prefs => minijinja::context! {
                large_text => prefs.large_text,
                reduced_motion => prefs.reduced_motion,
                high_contrast => prefs.high_contrast,
                weekly_digest => prefs.weekly_digest,
            },
            apps => apps,
            manager => manager,
        },
    )
    .await
}

/// Whether the person manages an organisation (main or local access manager).
async fn manages(app: &AppState, s: &Session) -> Result<bool, HttpError> {
    let user = policy::UserId::from(s.user_id.as_str());
    Ok(!app
        .policy
        .managed_structures(&user)
        .await
        .map_err(from_policy)?
        .is_empty())
}

#[derive(Deserialize)]
pub(super) struct DisplayForm {
    lang: Option<String>,
    large_text: Option<String>,
    reduced_motion: Option<String>,
    high_contrast: Option<String>,
}

/// POST /account/preferences/display (`lang`, and a box per display preference, absent
/// when off). Needs a session and its CSRF token.
pub(super) async fn save_display(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CsrfForm { session: s, form }: CsrfForm<DisplayForm>,
) -> Result<Response, HttpError> {
    let lang = match form.lang.as_deref() {
        None => None,
        Some(code) => match Lang::from_code(code).filter(|l| l.code() == code) {
            Some(l) => Some(l),
            None => {
                return Err(HttpError::bad_request("bad_language", "Unknown language.")
                    .for_request(&headers));
            }
        },
    };
    let now = now_ms();
    let before = account::preferences(&app.db, &s.user_id).await?;
    let after = Preferences {
        large_text: form.large_text.is_some(),
        reduced_motion: form.reduced_motion.is_some(),
        high_contrast: form.high_contrast.is_some(),
        ..before
    };
    let old_lang = person_lang(&app, &headers, &s.user_id).await?;
    let mut changed: Vec<&str> = Vec::new();
    for (name, was, is) in [
        ("large_text", before.large_text, after.large_text),
        (
            "reduced_motion",
            before.reduced_motion,
            after.reduced_motion,
        ),
        ("high_contrast", before.high_contrast, after.high_contrast),
    ] {
        if was != is {
            changed.push(name);
        }
    }
    if after != before {
        account::set_preferences(&app.db, &s.user_id, after, now).await?;
    }
    if let Some(l) = lang.filter(|l| *l != old_lang) {
        crate::factors::store::set_locale(&app.db, &s.user_id, l.code(), now).await?;
        changed.push("language");
    }
    if !changed.is_empty() {
        // The backends draw the shell from the assertion: the next one carries the change.
        app.assertions.forget_session(&s.sid);
        audit_person(
            &app,
            &s,
            ip,
            policy::audit::actions::PREFERENCES_CHANGE,
            serde_json::json!({ "changed": changed }),
        )
        .await;
    }
    Ok(Redirect::to("/account/preferences?done=display").into_response())
}

/// POST /account/preferences/notifications (`app` once per application whose
/// notifications are on, `weekly_digest` for a manager who wants it). Needs a session and
/// its CSRF token. Only the applications the person may use count; the digest is stored
/// only for a manager.
pub(super) async fn save_notifications(
    State(app): State<AppState>,
    ClientIp(ip): ClientIp,
    CsrfForm { session: s, form }: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let now = now_ms();
    let wanted: Vec<&str> = form
        .iter()
        .filter(|(k, _)| k == "app")
        .map(|(_, v)| v.as_str())
        .collect();
    let muted = account::muted_applications(&app.db, &s.user_id).await?;
    let mut changed: Vec<String> = Vec::new();
    for a in usable_applications(&app, &s) {
        let on = wanted.contains(&a.id.as_str());
        if on == muted.contains(&a.id) {
            account::set_notifications(&app.db, &s.user_id, &a.id, on, now).await?;
            changed.push(format!("{}:{}", a.id, if on { "on" } else { "off" }));
        }
    }
    if manages(&app, &s).await? {
        let digest = form.iter().any(|(k, _)| k == "weekly_digest");
        let before = account::preferences(&app.db, &s.user_id).await?;
        if before.weekly_digest != digest {
            let after = Preferences {
                weekly_digest: digest,
                ..before
            };
            account::set_preferences(&app.db, &s.user_id, after, now).await?;
            changed.push(format!(
                "weekly_digest:{}",
                if digest { "on" } else { "off" }
            ));
        }
    }
    if !changed.is_empty() {
        audit_person(
            &app,
            &s,
            ip,
            policy::audit::actions::PREFERENCES_CHANGE,
            serde_json::json!({ "changed": changed }),
        )
        .await;
    }
    Ok(Redirect::to("/account/preferences?done=notifications").into_response())
}
