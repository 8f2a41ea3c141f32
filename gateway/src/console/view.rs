//! What the console's pages share: the caller as a policy actor, opening a structure
//! under the policy's read check, people's names, dates, the confirmation after a change,
//! a refusal shown on the page, the 403 page with the shell, a handler's answer as a page
//! or JSON, and a notice mailed to a person in their own language through the outbox.

use std::collections::HashMap;
use std::net::IpAddr;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use policy::{Actor, ManagerScope, PolicyError, Structure, StructureId, Subject, UserId};
use serde::Serialize;

use crate::error::{HttpError, from_policy};
use crate::i18n::Lang;
use crate::mail::outbox::{self, Outgoing};
use crate::shell::{Place, person_page};
use crate::state::AppState;
use crate::store::sessions::Session;
use crate::store::{StoreError, users};

/// One request on a structure's page: who asks, about which structure.
pub(super) struct Ctx<'a> {
    pub app: &'a AppState,
    pub headers: &'a HeaderMap,
    pub session: &'a Session,
    pub actor: Actor,
    pub id: StructureId,
}

impl<'a> Ctx<'a> {
    pub fn new(
        app: &'a AppState,
        headers: &'a HeaderMap,
        session: &'a Session,
        ip: IpAddr,
        id: String,
    ) -> Self {
        Self {
            app,
            headers,
            session,
            actor: actor(session, ip),
            id: StructureId::from(id),
        }
    }

    /// A text of the catalogue in the person's language.
    pub async fn t(&self, key: &str) -> String {
        let lang = crate::i18n::person_lang(self.app, self.headers, &self.session.user_id)
            .await
            .unwrap_or(crate::i18n::Lang::En);
        crate::i18n::t(lang, key)
    }
}

/// The person of `session` acting from `ip`: never the operator.
pub(super) fn actor(session: &Session, ip: IpAddr) -> Actor {
    Actor::user(session.user_id.as_str(), Some(ip.to_string()))
}

/// The structure, if the actor may read its administration (the policy's read check),
/// with how much of it they see.
pub(super) async fn open(
    app: &AppState,
    actor: &Actor,
    id: &StructureId,
) -> Result<(Structure, ManagerScope), PolicyError> {
    let scope = app.policy.may_read(actor, id).await?;
    let structure = app.policy.structure(id).await?;
    Ok((structure, scope))
}

/// The structure as its pages show it, with what of it the reader may open (the
/// navigation's links).
#[derive(Debug, Serialize)]
pub(super) struct StructureView {
    pub id: String,
    pub number: String,
    pub legal_name: String,
    pub common_name: String,
    /// The reader may read its audit log.
    pub audit: bool,
}

impl StructureView {
    /// The structure as a reader with this view of it sees it.
    pub fn new(s: &Structure, scope: &ManagerScope) -> Self {
        Self {
            id: s.id.0.clone(),
            number: s.enterprise_number.clone(),
            legal_name: s.legal_name.clone(),
            common_name: s.common_name.clone(),
            audit: scope.reads_audit(),
        }
    }
}

/// A refused change, shown on the page it came from: the status answered, the policy's
/// message, and which form it concerns (its field points to the message).
#[derive(Debug, Clone, Serialize)]
pub(super) struct Notice {
    #[serde(skip)]
    pub status: StatusCode,
    pub message: String,
    pub form: &'static str,
    /// A catalogue text saying the same in the person's language, where the console
    /// has one.
    pub key: Option<&'static str>,
}

/// The notice of a refusal by the policy; a failure of the store stays an error (503).
pub(super) fn notice(e: PolicyError, form: &'static str) -> Result<Notice, HttpError> {
    let key = refusal_key(&e);
    let e = from_policy(e);
    if e.status.is_server_error() {
        return Err(e);
    }
    Ok(Notice {
        status: e.status,
        message: e.message,
        form,
        key,
    })
}

/// The catalogue text of a refusal the console's forms meet, by the policy's reason (its
/// messages are the API's, in English); `None` shows the policy's message.
fn refusal_key(e: &PolicyError) -> Option<&'static str> {
    Some(match e {
        PolicyError::LastMainManager => "console_mains_last_rule",
        PolicyError::Forbidden { reason } => match *reason {
            "not a manager of this structure" => "console_refusal_not_manager",
            "only a main manager of this structure may do this" => "console_refusal_main_only",
            "only a legal representative or a main manager of this structure may designate its main managers" => {
                "console_refusal_designate"
            }
            "a local manager may only grant within their own services"
            | "a local manager may only revoke within their own services" => {
                "console_refusal_outside_services"
            }
            "nobody may grant a right they could not exercise" => "console_refusal_not_held",
            "a grant may not last longer than the granter's own right" => {
                "console_refusal_too_long"
            }
            _ => return None,
        },
        PolicyError::Conflict(m) => match *m {
            "the service still has valid grants or local managers: revoke and remove them first" => {
                "console_service_close_rule"
            }
            "a service with this code exists in the structure" => "console_refusal_code_taken",
            "already a main manager of this structure" => "console_refusal_already_main",
            "already a local manager of this service" => "console_refusal_already_local",
            "the grant already has this level" => "console_refusal_same_level",
            "the grant is revoked" | "the grant is already revoked" => "console_refusal_revoked",
            _ => return None,
        },
        _ => return None,
    })
}

/// A notice for input the page itself refuses (before the policy is asked).
pub(super) fn invalid(message: String, form: &'static str) -> Notice {
    Notice {
        status: StatusCode::BAD_REQUEST,
        message,
        form,
        key: None,
    }
}

/// The page of a person who may not read this structure: 403 with the shell (a
/// structure that does not exist answers the same, so that ids reveal nothing).
pub(super) async fn refused(
    app: &AppState,
    headers: &HeaderMap,
    session: &Session,
    e: PolicyError,
) -> Result<Response, HttpError> {
    match e {
        PolicyError::Forbidden { .. } | PolicyError::NotFound { .. } => {
            forbidden(app, headers, session).await
        }
        other => Err(from_policy(other)),
    }
}

/// The 403 page with the shell.
pub(super) async fn forbidden(
    app: &AppState,
    headers: &HeaderMap,
    session: &Session,
) -> Result<Response, HttpError> {
    person_page(
        app,
        headers,
        session,
        Place::new("console/forbidden.html", "admin", "/admin/"),
        StatusCode::FORBIDDEN,
        minijinja::context! { title_key => "console_forbidden_title" },
    )
    .await
}

/// After a change: back to `path` with a confirmation code (post/redirect/get).
pub(super) fn done(path: &str, code: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}done={code}")).into_response()
}

/// The catalogue key confirming a change, from the `done` code of the address; an
/// unknown code shows nothing.
pub(super) fn done_key(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "renamed" => "console_done_renamed",
        "service_created" => "console_done_service_created",
        "service_renamed" => "console_done_service_renamed",
        "service_closed" => "console_done_service_closed",
        "main_designated" => "console_done_main_designated",
        "main_removed" => "console_done_main_removed",
        "local_designated" => "console_done_local_designated",
        "local_removed" => "console_done_local_removed",
        "granted" => "console_done_granted",
        "level_changed" => "console_done_level_changed",
        "renewed" => "console_done_renewed",
        "revoked" => "console_done_revoked",
        _ => return None,
    })
}

/// Display names of these people (those the gateway no longer knows are left out).
pub(super) async fn names(
    app: &AppState,
    ids: Vec<UserId>,
) -> Result<HashMap<String, String>, HttpError> {
    let mut out = HashMap::new();
    for id in &ids {
        if out.contains_key(id.as_str()) {
            continue;
        }
        if let Some(u) = users::get(&app.db, id.as_str()).await? {
            out.insert(u.id, u.display_name);
        }
    }
    Ok(out)
}

/// How a subject is shown: their name, or the masked number a pending designation
/// waits for (never a hash, never a full number).
pub(super) fn subject_label(
    subject: &Subject,
    names: &HashMap<String, String>,
    masks: &HashMap<policy::ids::NrnHash, String>,
) -> (String, bool) {
    match subject {
        Subject::User(u) => (
            names
                .get(u.as_str())
                .cloned()
                .unwrap_or_else(|| u.0.clone()),
            false,
        ),
        Subject::Pending(h) => (
            masks
                .get(h)
                .cloned()
                .unwrap_or_else(|| "**.**.**-***.**".to_owned()),
            true,
        ),
    }
}

/// Where a grant or an attachment holds: the whole structure, or its services' codes.
pub(super) fn scope_text(
    scope: &policy::Scope,
    names: &HashMap<policy::ServiceId, policy::Service>,
    lang: Lang,
) -> String {
    match scope {
        policy::Scope::Structure => crate::i18n::t(lang, "console_scope_whole"),
        policy::Scope::Services(list) => list
            .iter()
            .map(|s| {
                names
                    .get(s)
                    .map_or_else(|| s.0.clone(), |sv| sv.code.clone())
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// A subject as a form field value: `user:<id>` or `nrn:<hash>` (a hash is no secret:
/// it is keyed, and only sent back to people who may read the structure).
pub(super) fn subject_key(subject: &Subject) -> String {
    match subject {
        Subject::User(u) => format!("user:{}", u.0),
        Subject::Pending(h) => format!("nrn:{}", h.0),
    }
}

/// The subject of a form field written by [`subject_key`].
pub(super) fn subject_of_key(key: &str) -> Option<Subject> {
    match key.split_once(':')? {
        ("user", id) if !id.is_empty() => Some(Subject::User(UserId::from(id))),
        ("nrn", h) if h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()) => {
            Some(Subject::Pending(policy::ids::NrnHash(h.to_owned())))
        }
        _ => None,
    }
}

/// A day (`YYYY-MM-DD`) as the end of validity it stands for: the end of that day
/// (UTC), exclusive.
pub(super) fn end_of_day(date: &str) -> Option<i64> {
    let d = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    let next = d.succ_opt()?.and_hms_opt(0, 0, 0)?;
    Some(next.and_utc().timestamp_millis())
}

/// A day (`YYYY-MM-DD`) as the time it begins (UTC, as [`end_of_day`] reads it).
pub(super) fn start_of_day(date: &str) -> Option<i64> {
    let d = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

/// The last day (`YYYY-MM-DD`) of a validity ending at `until_ms` (exclusive).
pub(super) fn last_day(until_ms: i64) -> String {
    date(until_ms - 1)
}

/// A refusal of the policy as a notice; a store failure as a 503 notice (never its
/// detail).
pub(super) fn policy_notice(e: PolicyError, form: &'static str) -> Notice {
    notice(e, form).unwrap_or_else(|err| Notice {
        status: err.status,
        message: err.message,
        form,
        key: None,
    })
}

/// Read access first (as the API does), so that a stranger learns nothing from the
/// input's checks: their answer is the 403 page.
pub(super) async fn stranger(cx: &Ctx<'_>) -> Option<Result<Response, HttpError>> {
    match cx.app.policy.may_read(&cx.actor, &cx.id).await {
        Ok(_) => None,
        Err(e) => Some(refused(cx.app, cx.headers, cx.session, e).await),
    }
}

/// A unix-ms time as a calendar date (`2026-12-01`, UTC).
pub(super) fn date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// A unix-ms time as a date and minute (`2026-12-01 14:05`, UTC like [`date`]).
pub(super) fn moment(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// A file to download: its type, its name, never stored by caches.
pub(super) fn download(
    content_type: &'static str,
    name: &str,
    body: impl Into<axum::body::Body>,
) -> Response {
    use axum::http::{HeaderValue, header};
    let mut r = body.into().into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    web::no_store(r)
}

/// A person's name as the gateway knows it (their id when the account is gone).
pub(super) async fn person_name(app: &AppState, user_id: &str) -> Result<String, HttpError> {
    Ok(users::get(&app.db, user_id)
        .await?
        .map_or_else(|| user_id.to_owned(), |u| u.display_name))
}

/// Queue a mail for the person `user_id`, in their language (their choice on their
/// account, else the platform's default): `write` gets the language and the person's
/// name and returns the subject and the body. Nothing when they have no address.
/// Returns whether a mail was queued.
pub(super) async fn mail_person(
    app: &AppState,
    user_id: &str,
    write: impl FnOnce(Lang, &str) -> (String, String),
) -> Result<bool, HttpError> {
    let Some(user) = users::get(&app.db, user_id).await? else {
        return Ok(false);
    };
    let Some(to) = user.email.clone() else {
        return Ok(false);
    };
    let lang = user
        .locale
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_else(|| app.config.server.default_lang());
    let (subject, body) = write(lang, &user.display_name);
    let mail = Outgoing {
        to,
        subject,
        body,
        expires_at: None,
    };
    let now = crate::store::now_ms();
    let mut tx = app.db.pool.begin().await.map_err(StoreError::from)?;
    outbox::enqueue(&mut tx, &app.keys, &mail, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    app.mailer.wake();
    Ok(true)
}

/// A handler's answer: its response, or its error as a page for a browser (JSON for
/// other clients).
pub(super) fn respond(
    headers: &axum::http::HeaderMap,
    r: Result<axum::response::Response, HttpError>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match r {
        Ok(response) => response,
        Err(e) => e.for_request(headers).into_response(),
    }
}
