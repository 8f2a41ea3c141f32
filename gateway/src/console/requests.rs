//! The managers' side of requests (`/admin/structures/{id}/requests`): the pending
//! attachment requests of a structure (approve with the services and rights to give at
//! once, or reject with a reason), the pending access requests (grant with one click, or
//! refuse), and the people attached (detach one). Every decision goes through the
//! policy's methods, the same the JSON API calls; the requester is mailed either way.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use policy::access::AccessRequestId;
use policy::grants::GrantRequest;
use policy::{
    Actor, Decision, PolicyError, RequestId, RequestStatus, RightId, Scope, ServiceId, StructureId,
    Subject, UserId,
};
use serde::{Deserialize, Serialize};

use super::view::{actor, date, mail_person, person_name, respond};
use crate::error::{HttpError, from_policy};
use crate::extract::{ClientIp, CsrfForm, CurrentSession};
use crate::i18n::{Lang, t, t_args};
use crate::state::AppState;

/// Days a right granted from an access request lasts unless the manager says otherwise.
const DEFAULT_GRANT_DAYS: i64 = 365;
const DAY_MS: i64 = 86_400_000;

/// The routes of the managers' side.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/structures/{id}/requests", get(page))
        .route("/admin/attachment-requests/{id}/approve", post(approve))
        .route("/admin/attachment-requests/{id}/reject", post(reject))
        .route("/admin/access-requests/{id}/grant", post(grant))
        .route("/admin/access-requests/{id}/refuse", post(refuse))
        .route(
            "/admin/structures/{id}/members/{user}/detach",
            post(detach_member),
        )
}

#[derive(Debug, Serialize)]
struct ServiceChoice {
    id: String,
    label: String,
    asked: bool,
}

#[derive(Debug, Serialize)]
struct AttachmentRow {
    id: String,
    requester: String,
    comment: String,
    asked: String,
    whole: bool,
    services: Vec<ServiceChoice>,
}

#[derive(Debug, Serialize)]
struct AccessRow {
    id: String,
    requester: String,
    right: String,
    comment: Option<String>,
    asked: String,
    scope: String,
}

#[derive(Debug, Serialize)]
struct MemberRow {
    id: String,
    name: String,
    scope: String,
    since: String,
}

#[derive(Debug, Serialize)]
struct RightChoice {
    id: String,
    label: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct DoneQuery {
    done: Option<String>,
}

fn notice(lang: Lang, done: Option<&str>) -> Option<String> {
    match done? {
        "approved" => Some(t(lang, "req_done_approved")),
        "rejected" => Some(t(lang, "req_done_rejected")),
        "granted" => Some(t(lang, "req_done_granted")),
        "refused" => Some(t(lang, "req_done_refused")),
        "detached" => Some(t(lang, "req_done_detached")),
        _ => None,
    }
}

/// A scope as people read it: the whole organisation, or the services' labels.
async fn scope_text(
    app: &AppState,
    lang: Lang,
    structure: &StructureId,
    scope: &Scope,
) -> Result<String, HttpError> {
    match scope {
        Scope::Structure => Ok(t(lang, "req_whole")),
        Scope::Services(ids) => Ok(app
            .policy
            .services(structure)
            .await
            .map_err(from_policy)?
            .into_iter()
            .filter(|s| ids.contains(&s.id))
            .map(|s| s.label)
            .collect::<Vec<_>>()
            .join(", ")),
    }
}

/// GET /admin/structures/{id}/requests. Needs: a manager of the structure (main
/// managers see everything; local managers and manage-attachments holders what is
/// inside their services); others get 403.
async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CurrentSession(s): CurrentSession,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let r = render(
        &app,
        &headers,
        ip,
        &s,
        &StructureId::from(id),
        q.done.as_deref(),
    )
    .await;
    respond(&headers, r)
}

async fn render(
    app: &AppState,
    headers: &HeaderMap,
    ip: std::net::IpAddr,
    s: &crate::store::sessions::Session,
    structure: &StructureId,
    done: Option<&str>,
) -> Result<Response, HttpError> {
    let who = actor(s, ip);
    let attachment_requests = app
        .policy
        .attachment_requests(&who, structure, Some(RequestStatus::Pending))
        .await
        .map_err(from_policy)?;
    let lang = crate::i18n::person_lang(app, headers, &s.user_id).await?;
    let st = app.policy.structure(structure).await.map_err(from_policy)?;
    let services = app.policy.services(structure).await.map_err(from_policy)?;
    let mut attachments = Vec::new();
    for r in attachment_requests {
        let asked: &[ServiceId] = match &r.scope {
            Scope::Structure => &[],
            Scope::Services(list) => list,
        };
        attachments.push(AttachmentRow {
            id: r.id.0.clone(),
            requester: person_name(app, r.user_id.as_str()).await?,
            comment: r.comment.clone(),
            asked: date(r.requested_at),
            whole: matches!(r.scope, Scope::Structure),
            services: services
                .iter()
                .map(|v| ServiceChoice {
                    id: v.id.0.clone(),
                    label: v.label.clone(),
                    asked: asked.contains(&v.id),
                })
                .collect(),
        });
    }
    // Holders of the manage-attachments right see attachment requests only.
    let (access, members) = match app.policy.access_requests(&who, structure).await {
        Ok(list) => {
            let mut rows = Vec::new();
            for r in list {
                let scope = match app
                    .policy
                    .attachment(structure, &r.user_id)
                    .await
                    .map_err(from_policy)?
                {
                    Some(a) => scope_text(app, lang, structure, &a.scope).await?,
                    None => String::new(),
                };
                rows.push(AccessRow {
                    id: r.id.0.clone(),
                    requester: person_name(app, r.user_id.as_str()).await?,
                    right: r.right.label.clone(),
                    comment: r.comment.clone(),
                    asked: date(r.requested_at),
                    scope,
                });
            }
            let mut members = Vec::new();
            for m in app
                .policy
                .members(&who, structure)
                .await
                .map_err(from_policy)?
            {
                if m.user_id.as_str() == s.user_id {
                    continue;
                }
                members.push(MemberRow {
                    id: m.user_id.0.clone(),
                    name: person_name(app, m.user_id.as_str()).await?,
                    scope: scope_text(app, lang, structure, &m.scope).await?,
                    since: date(m.created_at),
                });
            }
            (rows, members)
        }
        Err(PolicyError::Forbidden { .. }) => (Vec::new(), Vec::new()),
        Err(e) => return Err(from_policy(e)),
    };
    let rights: Vec<RightChoice> = app
        .policy
        .catalogue()
        .await
        .map_err(from_policy)?
        .into_iter()
        .map(|r| RightChoice {
            id: r.id.0,
            label: r.label,
        })
        .collect();
    let default_until = date(app.clock.now_ms() + DEFAULT_GRANT_DAYS * DAY_MS);
    let path = format!("/admin/structures/{}/requests", structure.as_str());
    crate::shell::person_page(
        app,
        headers,
        s,
        crate::shell::Place::new("console/requests.html", "admin", &path),
        StatusCode::OK,
        minijinja::context! {
            title_key => "req_title",
            organisation => st.common_name,
            number => st.enterprise_number,
            structure_id => structure.as_str(),
            attachments => attachments,
            access => access,
            members => members,
            rights => rights,
            default_until => default_until,
            notice => notice(lang, done),
        },
    )
    .await
}

/// A date typed as `YYYY-MM-DD`: the end of validity at the start of the next day
/// (UTC), so that the right holds on the whole day chosen. Empty: `None`.
fn end_of_day(text: &str) -> Result<Option<i64>, HttpError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| HttpError::bad_request("invalid_input", "The end date is not a date."))?;
    let next = day
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .ok_or_else(|| HttpError::bad_request("invalid_input", "The end date is not a date."))?;
    Ok(Some(next.and_utc().timestamp_millis()))
}

/// POST /admin/attachment-requests/{id}/approve: `scope` (`whole` or `services`),
/// `svc_<service id>` for each service chosen, `right_<right id>` for each right to
/// give at once, `valid_until` (date, optional), `reason` (optional). Needs: may decide
/// the request (never one's own), and the CSRF token. Every right is checked before
/// anything changes.
async fn approve(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    CsrfForm { session: s, form }: CsrfForm<HashMap<String, String>>,
) -> Response {
    let r = approve_inner(&app, ip, &s.user_id, &RequestId::from(id), &form).await;
    respond(&headers, r)
}

async fn approve_inner(
    app: &AppState,
    ip: std::net::IpAddr,
    user: &str,
    id: &RequestId,
    form: &HashMap<String, String>,
) -> Result<Response, HttpError> {
    let who = Actor::user(user, Some(ip.to_string()));
    app.policy
        .may_decide_request(&who, id)
        .await
        .map_err(from_policy)?;
    let chosen: Vec<ServiceId> = form
        .keys()
        .filter_map(|k| k.strip_prefix("svc_"))
        .map(ServiceId::from)
        .collect();
    let scope = match form.get("scope").map(String::as_str) {
        Some("services") if chosen.is_empty() => {
            return Err(HttpError::bad_request(
                "invalid_input",
                "Choose at least one service, or the whole organisation.",
            ));
        }
        Some("services") => Scope::Services(chosen),
        _ => Scope::Structure,
    };
    let rights: Vec<RightId> = form
        .keys()
        .filter_map(|k| k.strip_prefix("right_"))
        .map(RightId::from)
        .collect();
    let until = end_of_day(form.get("valid_until").map_or("", String::as_str))?;
    let request = app
        .policy
        .attachment_request(&who, id)
        .await
        .map_err(from_policy)?;
    let catalogue = app.policy.catalogue().await.map_err(from_policy)?;
    for right in &rights {
        if !catalogue.iter().any(|r| &r.id == right) {
            return Err(HttpError::bad_request(
                "invalid_input",
                "One of the rights chosen is not in the catalogue.",
            ));
        }
        app.policy
            .may_grant(&who, &request.structure_id, right, &scope, until)
            .await
            .map_err(from_policy)?;
    }
    let reason = form.get("reason").cloned();
    let decided = app
        .policy
        .approve_attachment_request(&who, id, &scope, reason)
        .await
        .map_err(from_policy)?;
    for right in rights {
        app.policy
            .grant(
                &who,
                &GrantRequest {
                    structure: decided.structure_id.clone(),
                    subject: Subject::User(decided.user_id.clone()),
                    right,
                    scope: scope.clone(),
                    valid_until: until,
                },
            )
            .await
            .map_err(from_policy)?;
    }
    let st = app
        .policy
        .structure(&decided.structure_id)
        .await
        .map_err(from_policy)?;
    mail_person(app, decided.user_id.as_str(), |lang, name| {
        (
            t_args(
                lang,
                "req_mail_approved_subject",
                &[("organisation", &st.common_name)],
            ),
            t_args(
                lang,
                "req_mail_approved_body",
                &[("name", name), ("organisation", &st.common_name)],
            ),
        )
    })
    .await?;
    Ok(Redirect::to(&format!(
        "/admin/structures/{}/requests?done=approved",
        decided.structure_id.as_str()
    ))
    .into_response())
}

#[derive(Debug, Deserialize)]
pub(super) struct ReasonForm {
    #[serde(default)]
    reason: String,
}

/// POST /admin/attachment-requests/{id}/reject (`reason`, mandatory). Needs: may decide
/// the request, and the CSRF token.
async fn reject(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    CsrfForm { session: s, form }: CsrfForm<ReasonForm>,
) -> Response {
    let r = async {
        let who = actor(&s, ip);
        let id = RequestId::from(id);
        app.policy
            .may_decide_request(&who, &id)
            .await
            .map_err(from_policy)?;
        if form.reason.trim().is_empty() {
            return Err(HttpError::bad_request(
                "invalid_input",
                "A reason is mandatory to reject a request.",
            ));
        }
        let decided = app
            .policy
            .decide_attachment_request(
                &who,
                &id,
                &Decision::Reject {
                    reason: form.reason.clone(),
                },
            )
            .await
            .map_err(from_policy)?;
        let st = app
            .policy
            .structure(&decided.structure_id)
            .await
            .map_err(from_policy)?;
        let reason = decided.reason.clone().unwrap_or_default();
        mail_person(&app, decided.user_id.as_str(), |lang, name| {
            (
                t_args(
                    lang,
                    "req_mail_rejected_subject",
                    &[("organisation", &st.common_name)],
                ),
                t_args(
                    lang,
                    "req_mail_rejected_body",
                    &[
                        ("name", name),
                        ("organisation", &st.common_name),
                        ("reason", &reason),
                    ],
                ),
            )
        })
        .await?;
        Ok(Redirect::to(&format!(
            "/admin/structures/{}/requests?done=rejected",
            decided.structure_id.as_str()
        ))
        .into_response())
    }
    .await;
    respond(&headers, r)
}

#[derive(Debug, Deserialize)]
pub(super) struct GrantForm {
    #[serde(default)]
    valid_until: String,
}

/// POST /admin/access-requests/{id}/grant (`valid_until`, a date; empty: until
/// revoked). Grants the right asked for over the requester's attachment through the
/// ordinary grant (a manager outside the requester's services is refused), closes the
/// request, mails the requester. Needs the CSRF token.
async fn grant(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    CsrfForm { session: s, form }: CsrfForm<GrantForm>,
) -> Response {
    let r = async {
        let who = actor(&s, ip);
        let id = AccessRequestId::from(id);
        let request = app
            .policy
            .access_request(&who, &id)
            .await
            .map_err(from_policy)?;
        let until = end_of_day(&form.valid_until)?;
        let scope = app
            .policy
            .attachment(&request.structure_id, &request.user_id)
            .await
            .map_err(from_policy)?
            .map_or(Scope::Structure, |a| a.scope);
        let (done, _) = app
            .policy
            .grant_access_request(&who, &id, &scope, until)
            .await
            .map_err(from_policy)?;
        let st = app
            .policy
            .structure(&done.structure_id)
            .await
            .map_err(from_policy)?;
        let until_text = until.map(|u| date(u - DAY_MS)).unwrap_or_default();
        mail_person(&app, done.user_id.as_str(), |lang, name| {
            let until_text = if until_text.is_empty() {
                t(lang, "req_mail_no_end")
            } else {
                until_text.clone()
            };
            (
                t_args(
                    lang,
                    "req_mail_granted_subject",
                    &[("right", &done.right.label)],
                ),
                t_args(
                    lang,
                    "req_mail_granted_body",
                    &[
                        ("name", name),
                        ("right", &done.right.label),
                        ("organisation", &st.common_name),
                        ("until", &until_text),
                    ],
                ),
            )
        })
        .await?;
        Ok(Redirect::to(&format!(
            "/admin/structures/{}/requests?done=granted",
            done.structure_id.as_str()
        ))
        .into_response())
    }
    .await;
    respond(&headers, r)
}

/// POST /admin/access-requests/{id}/refuse (`reason`, mandatory). Needs: a manager who
/// may decide it, and the CSRF token. The requester is mailed.
async fn refuse(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    CsrfForm { session: s, form }: CsrfForm<ReasonForm>,
) -> Response {
    let r = async {
        let who = actor(&s, ip);
        let id = AccessRequestId::from(id);
        app.policy
            .access_request(&who, &id)
            .await
            .map_err(from_policy)?;
        if form.reason.trim().is_empty() {
            return Err(HttpError::bad_request(
                "invalid_input",
                "A reason is mandatory to refuse a request.",
            ));
        }
        let done = app
            .policy
            .refuse_access_request(&who, &id, &form.reason)
            .await
            .map_err(from_policy)?;
        let st = app
            .policy
            .structure(&done.structure_id)
            .await
            .map_err(from_policy)?;
        let reason = done.reason.clone().unwrap_or_default();
        mail_person(&app, done.user_id.as_str(), |lang, name| {
            (
                t_args(
                    lang,
                    "req_mail_refused_subject",
                    &[("right", &done.right.label)],
                ),
                t_args(
                    lang,
                    "req_mail_refused_body",
                    &[
                        ("name", name),
                        ("right", &done.right.label),
                        ("organisation", &st.common_name),
                        ("reason", &reason),
                    ],
                ),
            )
        })
        .await?;
        Ok(Redirect::to(&format!(
            "/admin/structures/{}/requests?done=refused",
            done.structure_id.as_str()
        ))
        .into_response())
    }
    .await;
    respond(&headers, r)
}

#[derive(Debug, Deserialize)]
pub(super) struct Empty {}

/// POST /admin/structures/{id}/members/{user}/detach: a manager detaches a person
/// (main managers anyone but the last main manager; local managers people attached
/// within their services). Needs the CSRF token.
async fn detach_member(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path((id, user)): Path<(String, String)>,
    CsrfForm { session: s, .. }: CsrfForm<Empty>,
) -> Response {
    let structure = StructureId::from(id);
    let r = app
        .policy
        .detach_member(&actor(&s, ip), &structure, &UserId::from(user))
        .await
        .map_err(from_policy)
        .map(|()| {
            Redirect::to(&format!(
                "/admin/structures/{}/requests?done=detached",
                structure.as_str()
            ))
            .into_response()
        });
    respond(&headers, r)
}
