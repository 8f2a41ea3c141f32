//! `GET /admin/structures/{id}`: the organisation as its legal representatives and
//! managers see it (number, legal and common name, legal representatives from the
//! register, services), and the changes its main managers make there: the common name,
//! creating, relabelling and closing services. Reading needs the policy's read check;
//! every change is authorised and audited by the policy.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use policy::{ServiceId, Subject, UserId};
use serde::{Deserialize, Serialize};

use super::view::{self, Ctx, Notice, StructureView};
use crate::error::HttpError;
use crate::extract::{ClientIp, CsrfForm, CurrentSession};
use crate::shell::{Place, person_page};
use crate::state::AppState;

/// This page's routes.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/structures/{id}", get(page))
        .route("/admin/structures/{id}/name", post(rename))
        .route("/admin/structures/{id}/services", post(create_service))
        .route(
            "/admin/structures/{id}/services/{service}/label",
            post(rename_service),
        )
        .route(
            "/admin/structures/{id}/services/{service}/close",
            post(close_service),
        )
}

/// The confirmation code of the address.
#[derive(Debug, Deserialize)]
pub(super) struct Done {
    done: Option<String>,
}

impl Done {
    /// The code, if any.
    pub(super) fn done(&self) -> Option<&str> {
        self.done.as_deref()
    }
}

#[derive(Debug, Serialize)]
struct Representative {
    name: Option<String>,
    function: String,
    start_date: String,
}

#[derive(Debug, Serialize)]
struct ServiceRow {
    id: String,
    code: String,
    label: String,
}

/// GET /admin/structures/{id}. Needs: legal representative or manager of the structure.
async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CurrentSession(s): CurrentSession,
    Path(id): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &s, ip, id);
    render(&cx, view::done_key(q.done.as_deref()), None).await
}

async fn render(
    cx: &Ctx<'_>,
    done: Option<&'static str>,
    notice: Option<Notice>,
) -> Result<Response, HttpError> {
    let (app, headers, s, actor, id) = (cx.app, cx.headers, cx.session, &cx.actor, &cx.id);
    let (structure, scope) = match view::open(app, actor, id).await {
        Ok(v) => v,
        Err(e) => return view::refused(app, headers, s, e).await,
    };
    let policy = &app.policy;
    let me = Subject::User(s.user_id.as_str().into());
    let mains = policy
        .main_managers(actor, id)
        .await
        .map_err(crate::error::from_policy)?;
    let main_manager = mains.iter().any(|d| d.subject == me);
    let reps = policy
        .representatives(actor, id)
        .await
        .map_err(crate::error::from_policy)?;
    let ids: Vec<UserId> = reps.iter().filter_map(|r| r.user_id.clone()).collect();
    let names = view::names(app, ids).await?;
    let representatives: Vec<Representative> = reps
        .iter()
        .map(|r| Representative {
            name: r
                .user_id
                .as_ref()
                .and_then(|u| names.get(u.as_str()).cloned()),
            function: r.function.clone(),
            start_date: r.start_date.clone(),
        })
        .collect();
    let services: Vec<ServiceRow> = policy
        .services(id)
        .await
        .map_err(crate::error::from_policy)?
        .into_iter()
        .map(|sv| ServiceRow {
            id: sv.id.0,
            code: sv.code,
            label: sv.label,
        })
        .collect();
    let status = notice.as_ref().map_or(StatusCode::OK, |n| n.status);
    let path = format!("/admin/structures/{id}");
    person_page(
        app,
        headers,
        s,
        Place::new("console/structure.html", "admin", &path),
        status,
        minijinja::context! {
            title_key => "console_structure_title",
            structure => StructureView::new(&structure, &scope),
            section => "organisation",
            main_manager => main_manager,
            representatives => representatives,
            services => services,
            done => done,
            notice => notice,
        },
    )
    .await
}

/// Answer a change: back to the page with a confirmation, or the page again with the
/// policy's refusal.
async fn answer<T>(
    cx: &Ctx<'_>,
    outcome: Result<T, policy::PolicyError>,
    code: &str,
    form: &'static str,
) -> Result<Response, HttpError> {
    match outcome {
        Ok(_) => Ok(view::done(&format!("/admin/structures/{}", cx.id), code)),
        Err(e) => {
            let n = view::notice(e, form)?;
            render(cx, None, Some(n)).await
        }
    }
}

#[derive(Debug, Deserialize)]
struct NameForm {
    common_name: String,
}

/// POST /admin/structures/{id}/name. Needs: main manager, CSRF.
async fn rename(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    CsrfForm { session, form }: CsrfForm<NameForm>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    let outcome = app
        .policy
        .rename_structure(&cx.actor, &cx.id, &form.common_name)
        .await;
    answer(&cx, outcome, "renamed", "name").await
}

#[derive(Debug, Deserialize)]
struct ServiceForm {
    code: String,
    label: String,
}

/// POST /admin/structures/{id}/services. Needs: main manager, CSRF.
async fn create_service(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    CsrfForm { session, form }: CsrfForm<ServiceForm>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    let outcome = app
        .policy
        .create_service(&cx.actor, &cx.id, &form.code, &form.label)
        .await;
    let code = "service_created";
    answer(&cx, outcome, code, "new_service").await
}

#[derive(Debug, Deserialize)]
struct LabelForm {
    label: String,
}

/// POST /admin/structures/{id}/services/{service}/label. Needs: main manager, CSRF.
async fn rename_service(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path((id, service)): Path<(String, String)>,
    CsrfForm { session, form }: CsrfForm<LabelForm>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    let outcome = app
        .policy
        .rename_service(&cx.actor, &cx.id, &ServiceId::from(service), &form.label)
        .await;
    let code = "service_renamed";
    answer(&cx, outcome, code, "services").await
}

/// Nothing but the CSRF token.
#[derive(Debug, Deserialize)]
pub(super) struct Empty {}

/// POST /admin/structures/{id}/services/{service}/close. Needs: main manager, CSRF;
/// refused (409) while anyone holds a valid right there or manages it.
async fn close_service(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path((id, service)): Path<(String, String)>,
    CsrfForm { session, .. }: CsrfForm<Empty>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    let outcome = app
        .policy
        .close_service(&cx.actor, &cx.id, &ServiceId::from(service))
        .await;
    let code = "service_closed";
    answer(&cx, outcome, code, "services").await
}
