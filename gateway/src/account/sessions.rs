//! `/account/sessions`: the person's active sessions (started, last activity, browser and
//! system from the User-Agent kept at login, client address masked to its network), this
//! one marked; ending one (in the session store: every node refuses it at once; ending
//! this one logs out) or all the others.

use std::net::IpAddr;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::audit_person;
use crate::crypto;
use crate::error::HttpError;
use crate::extract::{ClientIp, CsrfForm, CurrentSession, csrf_token};
use crate::i18n::{Lang, person_lang, t, t_args};
use crate::shell::{Place, person_page};
use crate::state::AppState;
use crate::store::sessions::{self as store, Session};

#[derive(Deserialize)]
pub(super) struct PageQuery {
    done: Option<String>,
}

#[derive(Serialize)]
struct Row {
    sid: String,
    started: String,
    last: String,
    device: String,
    address: String,
    this: bool,
}

/// GET /account/sessions (`done=ended|others` after a change). Needs a session.
pub(super) async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    CurrentSession(s): CurrentSession,
    Query(q): Query<PageQuery>,
) -> Result<Response, HttpError> {
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    let notice = match q.done.as_deref() {
        Some("ended") => Some(t(lang, "sessions_ended")),
        Some("others") => Some(t(lang, "sessions_others_ended")),
        _ => None,
    };
    let rows: Vec<Row> = live(&app, &s.user_id)
        .await?
        .into_iter()
        .map(|o| Row {
            this: crypto::ct_eq(o.token_hash.as_bytes(), s.token_hash.as_bytes()),
            started: when(o.created_at),
            last: when(app.sessions.last_seen(&o)),
            device: device(lang, o.user_agent.as_deref()),
            address: o
                .ip
                .as_deref()
                .and_then(|ip| ip.parse().ok())
                .map_or_else(|| t(lang, "sessions_unknown"), mask),
            sid: o.sid,
        })
        .collect();
    let others = rows.iter().filter(|r| !r.this).count();
    person_page(
        &app,
        &headers,
        &s,
        Place::new("account/sessions.html", "account", "/account/sessions"),
        StatusCode::OK,
        minijinja::context! {
            title_key => "sessions_title",
            csrf => csrf_token(&app, &s),
            notice => notice,
            rows => rows,
            others => others,
        },
    )
    .await
}

/// The person's sessions that have not ended (idle or absolute), newest first.
async fn live(app: &AppState, user_id: &str) -> Result<Vec<Session>, HttpError> {
    let now = app.clock.now_ms();
    let idle = app.sessions.idle_ms();
    Ok(store::list_for_user(&app.db, user_id)
        .await?
        .into_iter()
        .filter(|o| now < o.expires_at && now < app.sessions.last_seen(o).saturating_add(idle))
        .collect())
}

#[derive(Deserialize)]
pub(super) struct EndForm {
    sid: Option<String>,
}

/// POST /account/sessions/end (`sid`): end one of the person's own sessions; ending this
/// one logs out. Needs a session and its CSRF token; another person's session is 404,
/// as an unknown one.
pub(super) async fn end(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CsrfForm { session: s, form }: CsrfForm<EndForm>,
) -> Result<Response, HttpError> {
    let sid = form.sid.unwrap_or_default();
    let Some(hash) = store::hash_of(&app.db, &s.user_id, &sid).await? else {
        let lang = person_lang(&app, &headers, &s.user_id).await?;
        return Err(HttpError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            t(lang, "sessions_not_found"),
        )
        .for_request(&headers));
    };
    app.sessions.end(&hash).await?;
    app.assertions.forget_session(&sid);
    tracing::info!(user = %s.user_id, session = %sid, "session ended by its person");
    audit_person(
        &app,
        &s,
        ip,
        policy::audit::actions::SESSION_END,
        serde_json::json!({ "ended": [sid] }),
    )
    .await;
    if crypto::ct_eq(hash.as_bytes(), s.token_hash.as_bytes()) {
        let mut r = Redirect::to("/auth/logged-out").into_response();
        crate::cookies::append(r.headers_mut(), app.cookies.clear_session());
        return Ok(r);
    }
    Ok(Redirect::to("/account/sessions?done=ended").into_response())
}

#[derive(Deserialize)]
pub(super) struct NoFields {}

/// POST /account/sessions/end-others: end every session of the person but this one.
/// Needs a session and its CSRF token.
pub(super) async fn end_others(
    State(app): State<AppState>,
    ClientIp(ip): ClientIp,
    CsrfForm { session: s, .. }: CsrfForm<NoFields>,
) -> Result<Response, HttpError> {
    let ended = end_all(&app, &s.user_id, Some(&s.token_hash)).await?;
    if !ended.is_empty() {
        tracing::info!(user = %s.user_id, sessions = ended.len(), "other sessions ended by their person");
        audit_person(
            &app,
            &s,
            ip,
            policy::audit::actions::SESSION_END,
            serde_json::json!({ "ended": ended }),
        )
        .await;
    }
    Ok(Redirect::to("/account/sessions?done=others").into_response())
}

/// End every session of `user_id` but `keep` (a token hash); returns the ended sids.
pub(super) async fn end_all(
    app: &AppState,
    user_id: &str,
    keep: Option<&str>,
) -> Result<Vec<String>, HttpError> {
    let mut ended = Vec::new();
    for o in store::list_for_user(&app.db, user_id).await? {
        if keep.is_some_and(|k| crypto::ct_eq(k.as_bytes(), o.token_hash.as_bytes())) {
            continue;
        }
        app.sessions.end(&o.token_hash).await?;
        app.assertions.forget_session(&o.sid);
        ended.push(o.sid);
    }
    Ok(ended)
}

fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// An address shown only as its network: IPv4 to /24, IPv6 to /48.
fn mask(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
    }
}

/// "Browser on system" from a User-Agent, as people name them.
fn device(lang: Lang, agent: Option<&str>) -> String {
    let Some(ua) = agent.filter(|a| !a.trim().is_empty()) else {
        return t(lang, "sessions_unknown");
    };
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("OPR/") || ua.contains("Opera") {
        "Opera"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        ""
    };
    let system = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "macOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    match (browser, system) {
        ("", "") => {
            // Something else (a script, an app): its first word, kept short.
            let first: String = ua
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_control())
                .take(40)
                .collect();
            first
        }
        (b, "") => b.to_owned(),
        ("", s) => s.to_owned(),
        (b, s) => t_args(lang, "sessions_device", &[("browser", b), ("system", s)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_masked_and_agents_named() {
        assert_eq!(mask("192.0.2.77".parse().expect("ip")), "192.0.2.0/24");
        assert_eq!(
            mask("2001:db8:1:2::9".parse().expect("ip")),
            "2001:db8:1::/48"
        );
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(device(Lang::En, Some(firefox)), "Firefox on Linux");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0";
        assert_eq!(device(Lang::Fr, Some(edge)), "Edge sous Windows");
        assert_eq!(device(Lang::En, Some("curl/8.5.0")), "curl/8.5.0");
        assert_eq!(device(Lang::En, None), "Unknown");
    }
}
