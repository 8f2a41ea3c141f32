//! "My organisations" (`/admin/mine`): the organisations the person is attached to
//! (services, since when) with "detach myself", their attachment requests and how they
//! were answered, and the form to ask to be attached to an organisation by its number
//! (an organisation new to the platform is created pending, for the operator to see).

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use policy::ids::OrgNumber;
use policy::{Actor, PolicyError, RequestStatus, Scope, ServiceId, StructureId, UserId};
use serde::{Deserialize, Serialize};

use super::view::{date, person_name, respond};
use crate::error::{HttpError, from_policy};
use crate::extract::{ClientIp, CsrfForm, CurrentSession};
use crate::i18n::{Lang, t, t_args};
use crate::state::AppState;
use crate::store::sessions::Session;

/// `GET /admin/mine`, `POST /admin/mine/attachment-requests`, `POST /admin/mine/detach`.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/mine", get(page))
        .route("/admin/mine/attachment-requests", post(ask))
        .route("/admin/mine/detach", post(detach))
}

#[derive(Debug, Serialize)]
struct AttachmentRow {
    id: String,
    name: String,
    number: String,
    whole: bool,
    services: Vec<String>,
    since: String,
}

#[derive(Debug, Serialize)]
struct RequestRow {
    organisation: String,
    number: String,
    services: Vec<String>,
    comment: String,
    asked: String,
    status: String,
    reason: Option<String>,
    decided_by: Option<String>,
}

/// What the form holds (kept when it comes back with an error).
#[derive(Debug, Default, Deserialize, Serialize)]
pub(super) struct AskForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    services: String,
}

/// The form's errors, one per field, each a text for the person.
#[derive(Debug, Default, Serialize)]
struct AskErrors {
    number: Option<String>,
    comment: Option<String>,
    services: Option<String>,
    other: Option<String>,
}

impl AskErrors {
    fn any(&self) -> bool {
        self.number.is_some()
            || self.comment.is_some()
            || self.services.is_some()
            || self.other.is_some()
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct DoneQuery {
    done: Option<String>,
}

fn notice(lang: Lang, done: Option<&str>) -> Option<String> {
    match done? {
        "asked" => Some(t(lang, "mine_done_asked")),
        "asked_new" => Some(t(lang, "mine_done_asked_new")),
        "detached" => Some(t(lang, "mine_done_detached")),
        _ => None,
    }
}

/// GET /admin/mine. Needs a session (any logged-in person).
pub(super) async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    CurrentSession(s): CurrentSession,
    Query(q): Query<DoneQuery>,
) -> Response {
    let r = render(
        &app,
        &headers,
        &s,
        StatusCode::OK,
        q.done.as_deref(),
        &AskForm::default(),
        &AskErrors::default(),
    )
    .await;
    respond(&headers, r)
}

async fn render(
    app: &AppState,
    headers: &HeaderMap,
    s: &Session,
    status: StatusCode,
    done: Option<&str>,
    form: &AskForm,
    errors: &AskErrors,
) -> Result<Response, HttpError> {
    let lang = crate::i18n::person_lang(app, headers, &s.user_id).await?;
    let user = UserId::from(s.user_id.as_str());
    let mut attachments = Vec::new();
    for st in app
        .policy
        .structures_of(&s.user_id)
        .await
        .map_err(from_policy)?
    {
        let since = app
            .policy
            .attachment(&st.id, &user)
            .await
            .map_err(from_policy)?
            .map(|a| date(a.created_at))
            .unwrap_or_default();
        attachments.push(AttachmentRow {
            id: st.id.0.clone(),
            name: st.common_name,
            number: st.enterprise_number,
            whole: st.whole_structure,
            services: st.services.into_iter().map(|v| v.label).collect(),
            since,
        });
    }
    let mut requests = Vec::new();
    for r in app
        .policy
        .my_attachment_requests(&user)
        .await
        .map_err(from_policy)?
    {
        let st = app
            .policy
            .structure(&r.structure_id)
            .await
            .map_err(from_policy)?;
        let services = match &r.scope {
            Scope::Structure => Vec::new(),
            Scope::Services(list) => service_labels(app, &r.structure_id, list).await?,
        };
        let decided_by = match &r.decided_by {
            Some(u) => Some(person_name(app, u.as_str()).await?),
            None => None,
        };
        requests.push(RequestRow {
            organisation: st.common_name,
            number: st.enterprise_number,
            services,
            comment: r.comment,
            asked: date(r.requested_at),
            status: match r.status {
                RequestStatus::Pending => t(lang, "mine_status_pending"),
                RequestStatus::Approved => t(lang, "mine_status_approved"),
                RequestStatus::Rejected => t(lang, "mine_status_rejected"),
            },
            reason: r.reason,
            decided_by,
        });
    }
    crate::shell::person_page(
        app,
        headers,
        s,
        crate::shell::Place::new("console/mine.html", "admin", "/admin/mine"),
        status,
        minijinja::context! {
            title_key => "mine_title",
            attachments => attachments,
            requests => requests,
            form => form,
            errors => errors,
            has_errors => errors.any(),
            notice => notice(lang, done),
        },
    )
    .await
}

async fn service_labels(
    app: &AppState,
    structure: &StructureId,
    ids: &[ServiceId],
) -> Result<Vec<String>, HttpError> {
    let all = app.policy.services(structure).await.map_err(from_policy)?;
    Ok(all
        .into_iter()
        .filter(|v| ids.contains(&v.id))
        .map(|v| v.label)
        .collect())
}

/// POST /admin/mine/attachment-requests (`number`, `comment`, `services`: service codes
/// separated by commas, optional). Needs a session and the CSRF token. A bad number, a
/// missing comment or an unknown service code comes back on the form (400), nothing
/// stored; a refusal of the model (already attached, already asked) too (409).
pub(super) async fn ask(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CsrfForm { session: s, form }: CsrfForm<AskForm>,
) -> Response {
    let r = ask_inner(&app, &headers, ip, &s, form).await;
    respond(&headers, r)
}

async fn ask_inner(
    app: &AppState,
    headers: &HeaderMap,
    ip: std::net::IpAddr,
    s: &Session,
    form: AskForm,
) -> Result<Response, HttpError> {
    let lang = crate::i18n::person_lang(app, headers, &s.user_id).await?;
    let mut errors = AskErrors::default();
    let number = match OrgNumber::parse(form.number.trim()) {
        Ok(n) => Some(n),
        Err(_) => {
            errors.number = Some(t(lang, "mine_error_number"));
            None
        }
    };
    if form.comment.trim().is_empty() {
        errors.comment = Some(t(lang, "mine_error_comment"));
    }
    let codes: Vec<String> = form
        .services
        .split([',', ';'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    let mut services: Vec<ServiceId> = Vec::new();
    if let Some(n) = &number
        && !codes.is_empty()
    {
        let known = match app
            .policy
            .structure_by_number(n)
            .await
            .map_err(from_policy)?
        {
            Some(st) => app.policy.services(&st.id).await.map_err(from_policy)?,
            None => Vec::new(),
        };
        for code in &codes {
            match known.iter().find(|v| v.code.eq_ignore_ascii_case(code)) {
                Some(v) => services.push(v.id.clone()),
                None => {
                    errors.services = Some(t(lang, "mine_error_services"));
                    break;
                }
            }
        }
    }
    let Some(number) = number.filter(|_| !errors.any()) else {
        return render(
            app,
            headers,
            s,
            StatusCode::BAD_REQUEST,
            None,
            &form,
            &errors,
        )
        .await;
    };
    let actor = Actor::user(s.user_id.as_str(), Some(ip.to_string()));
    match app
        .policy
        .request_attachment_by_number(&actor, &number, &services, &form.comment)
        .await
    {
        Ok((request, created)) => {
            notify_managers(app, &request, &form.comment).await?;
            let done = if created { "asked_new" } else { "asked" };
            Ok(Redirect::to(&format!("/admin/mine?done={done}")).into_response())
        }
        Err(e @ (PolicyError::Conflict(_) | PolicyError::Invalid(_))) => {
            let status = if matches!(e, PolicyError::Conflict(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::BAD_REQUEST
            };
            errors.other = Some(match e {
                PolicyError::Conflict(_) => t(lang, "mine_error_conflict"),
                other => other.to_string(),
            });
            render(app, headers, s, status, None, &form, &errors).await
        }
        Err(e) => Err(from_policy(e)),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct DetachForm {
    structure: String,
}

/// POST /admin/mine/detach (`structure`): detach oneself from a whole organisation
/// (grants and manager roles there go too; the last main manager cannot leave). Needs a
/// session and the CSRF token; the model decides.
pub(super) async fn detach(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CsrfForm { session: s, form }: CsrfForm<DetachForm>,
) -> Response {
    let actor = Actor::user(s.user_id.as_str(), Some(ip.to_string()));
    let r = app
        .policy
        .detach(&actor, &StructureId::from(form.structure), None)
        .await
        .map_err(from_policy)
        .map(|()| Redirect::to("/admin/mine?done=detached").into_response());
    respond(&headers, r)
}

/// An organisation created by an attachment request, as the operator's console lists it.
#[derive(Debug, Serialize)]
pub(super) struct PendingRow {
    number: String,
    since: String,
}

/// The organisations waiting for the register (for the operator's console).
pub(super) async fn pending_structures(app: &AppState) -> Result<Vec<PendingRow>, HttpError> {
    Ok(app
        .policy
        .pending_structures()
        .await
        .map_err(from_policy)?
        .into_iter()
        .map(|(st, since)| PendingRow {
            number: st.enterprise_number,
            since: date(since),
        })
        .collect())
}

/// Mail the organisation's main managers that someone asks to be attached.
async fn notify_managers(
    app: &AppState,
    request: &policy::AttachmentRequest,
    comment: &str,
) -> Result<(), HttpError> {
    let st = app
        .policy
        .structure(&request.structure_id)
        .await
        .map_err(from_policy)?;
    let requester = person_name(app, request.user_id.as_str()).await?;
    let link = app
        .config
        .server
        .public_url
        .join(&format!(
            "/admin/structures/{}/requests",
            request.structure_id.as_str()
        ))
        .map_err(HttpError::internal)?;
    for manager in app
        .policy
        .access_granters(&request.structure_id, &request.user_id)
        .await
        .map_err(from_policy)?
    {
        super::view::mail_person(app, manager.as_str(), |lang, name| {
            (
                t_args(lang, "mine_mail_subject", &[("requester", &requester)]),
                t_args(
                    lang,
                    "mine_mail_body",
                    &[
                        ("name", name),
                        ("requester", &requester),
                        ("organisation", &st.common_name),
                        ("comment", comment.trim()),
                        ("link", link.as_str()),
                    ],
                ),
            )
        })
        .await?;
    }
    Ok(())
}
