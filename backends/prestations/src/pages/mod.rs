//! HTML pages of prestations (no JavaScript): the to-do page, lists, the encoding form,
//! a prestation with its history and its action buttons, the 3-month history, the
//! person's notices. Forms post with a CSRF token and redirect (303) to the result; a
//! refused action re-renders the page with the reason.

use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use backend_kit::error::PageError;
use backend_kit::{ApiError, Caller};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::{parse_statuses, view};
use crate::model::Activity;
use crate::service::{ActInput, EncodeInput, scope_of};
use crate::status::{Action, Status};
use crate::store::{self, ListFilter};
use crate::{AppState, OUTBOX, RIGHT_MANAGE, RIGHT_MODIFY, RIGHT_READ};

pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    ("table.html", include_str!("../templates/table.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("list.html", include_str!("../templates/list.html")),
    ("new.html", include_str!("../templates/new.html")),
    ("detail.html", include_str!("../templates/detail.html")),
    ("history.html", include_str!("../templates/history.html")),
    ("me.html", include_str!("../templates/me.html")),
    ("dossiers.html", include_str!("../templates/dossiers.html")),
    (
        "dossier_form.html",
        include_str!("../templates/dossier_form.html"),
    ),
    ("dossier.html", include_str!("../templates/dossier.html")),
];

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/prestations", get(list).post(create))
        .route("/prestations/new", get(new_form))
        .route("/prestations/{id}", get(detail))
        .route("/prestations/{id}/{action}", post(act))
        .route("/history", get(history))
        .route("/me", get(me).post(set_me))
}

fn views(caller: &Caller, items: &[crate::model::Prestation]) -> Vec<Value> {
    items.iter().map(|p| view(caller, p)).collect()
}

/// `GET /` — right `read`. What waits for the caller, by role.
async fn home(State(app): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    let scope = scope_of(&caller);
    let pick = |statuses: Vec<Status>| ListFilter {
        statuses,
        limit: 100,
        ..ListFilter::default()
    };
    let mut mine = store::list(&app.svc.pool, &scope, &pick(vec![])).await?;
    mine.retain(|p| !p.status.is_final());
    let me = caller.sub();
    let to_validate: Vec<_> = mine
        .iter()
        .filter(|p| p.worker_id == me && p.status == Status::ToValidate)
        .cloned()
        .collect();
    let drafts: Vec<_> = mine
        .iter()
        .filter(|p| p.worker_id == me && p.status == Status::Encoded)
        .cloned()
        .collect();
    let to_confirm: Vec<_> = mine
        .iter()
        .filter(|p| p.user_id == me && p.status.in_user_stage())
        .cloned()
        .collect();
    let office: Vec<_> = if caller.has(RIGHT_MANAGE) {
        mine.iter()
            .filter(|p| matches!(p.status, Status::ContestedByWorker | Status::Contested))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let page = json!({
        "to_validate": views(&caller, &to_validate),
        "drafts": views(&caller, &drafts),
        "to_confirm": views(&caller, &to_confirm),
        "office": views(&caller, &office),
        "is_office": caller.has(RIGHT_MANAGE),
        "today": app.svc.today().to_string(),
    });
    Ok(app
        .templates
        .render("home.html", &caller, page)?
        .into_response())
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    #[serde(default)]
    status: Option<String>,
}

/// `GET /prestations?status=...` — right `read`.
async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    let filter = ListFilter {
        statuses: parse_statuses(q.status.as_deref())?,
        limit: 500,
        ..ListFilter::default()
    };
    let items = app.svc.list(&caller, &filter).await?;
    let statuses: Vec<Value> = Status::ALL
        .iter()
        .map(|s| json!({ "code": s.code(), "label": s.label(), "colour": s.colour() }))
        .collect();
    let page = json!({
        "prestations": views(&caller, &items),
        "statuses": statuses,
        "selected": q.status.unwrap_or_default(),
    });
    Ok(app
        .templates
        .render("list.html", &caller, page)?
        .into_response())
}

async fn form_page(
    app: &AppState,
    caller: &Caller,
    values: Value,
    error: Option<String>,
) -> Result<Response, ApiError> {
    let (workers, users) = match caller.0.structure.as_ref() {
        Some(s) => store::parties_of(&app.svc.pool, &s.id).await?,
        None => (Vec::new(), Vec::new()),
    };
    let activities: Vec<Value> = Activity::ALL
        .iter()
        .map(|a| json!({ "code": a.code(), "label": a.label() }))
        .collect();
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = json!({
        "activities": activities,
        "workers": workers,
        "users": users,
        "is_office": caller.has(RIGHT_MANAGE),
        "today": app.svc.today().to_string(),
        "scheme_start": app.svc.scheme_start.to_string(),
        "v": values,
        "error": error,
    });
    Ok((status, app.templates.render("new.html", caller, page)?).into_response())
}

/// `GET /prestations/new` — right `modify`.
async fn new_form(State(app): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    let today = app.svc.today().to_string();
    Ok(form_page(&app, &caller, json!({ "date": today, "hours": "3" }), None).await?)
}

#[derive(Debug, Deserialize, serde::Serialize)]
struct EncodeForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    worker_id: String,
    #[serde(default)]
    worker_name: String,
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    user_name: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    activity: String,
    #[serde(default)]
    send: Option<String>,
}

fn hours(text: &str) -> Result<f64, ApiError> {
    text.trim()
        .replace(',', ".")
        .parse::<f64>()
        .map_err(|_| ApiError::invalid("hours must be a number, e.g. 3 or 2.5"))
}

fn some(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// `POST /prestations` (form) — right `modify` (`manage` for another worker).
async fn create(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<EncodeForm>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    app.templates.csrf().check(&caller, &headers, &form.csrf)?;
    let input = hours(&form.hours).map(|h| EncodeInput {
        worker_id: some(&form.worker_id),
        worker_name: some(&form.worker_name),
        user_id: form.user_id.clone(),
        user_name: some(&form.user_name),
        date: form.date.clone(),
        hours: h,
        activity: form.activity.clone(),
        send: form.send.is_some(),
    });
    let result = match input {
        Ok(input) => app.svc.encode(&caller, input).await.map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => Ok(
            Redirect::to(&format!("{}/prestations/{}", app.templates.base(), p.id)).into_response(),
        ),
        Err(e @ (ApiError::Invalid(_) | ApiError::Forbidden(_) | ApiError::Conflict { .. })) => {
            let values = serde_json::to_value(&form).map_err(ApiError::internal)?;
            Ok(form_page(&app, &caller, values, Some(e.public_message())).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn detail_page(
    app: &AppState,
    caller: &Caller,
    id: &str,
    error: Option<(StatusCode, String)>,
) -> Result<Response, ApiError> {
    let p = app.svc.get(caller, id).await?;
    let history = store::events(&app.svc.pool, &p.id).await?;
    let activities: Vec<Value> = Activity::ALL
        .iter()
        .map(|a| json!({ "code": a.code(), "label": a.label() }))
        .collect();
    let (status, message) = match error {
        Some((s, m)) => (s, Some(m)),
        None => (StatusCode::OK, None),
    };
    let page = json!({
        "p": view(caller, &p),
        "history": history,
        "activities": activities,
        "error": message,
    });
    Ok((status, app.templates.render("detail.html", caller, page)?).into_response())
}

/// `GET /prestations/{id}` — right `read`.
async fn detail(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    Ok(detail_page(&app, &caller, &id, None).await?)
}

#[derive(Debug, Deserialize)]
struct ActForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    activity: String,
}

/// `POST /prestations/{id}/{action}` (form) — right `modify`.
async fn act(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ActForm>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    app.templates.csrf().check(&caller, &headers, &form.csrf)?;
    let action = Action::parse(&action).ok_or_else(|| ApiError::not_found("unknown action"))?;
    let hours_value = match some(&form.hours) {
        Some(h) => Some(hours(&h)?),
        None => None,
    };
    let input = ActInput {
        reason: some(&form.reason),
        date: some(&form.date),
        hours: hours_value,
        activity: some(&form.activity),
    };
    match app
        .svc
        .act(&caller, &id, action, input)
        .await
        .map_err(ApiError::from)
    {
        Ok(p) => Ok(
            Redirect::to(&format!("{}/prestations/{}", app.templates.base(), p.id)).into_response(),
        ),
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict { .. })) => Ok(detail_page(
            &app,
            &caller,
            &id,
            Some((e.status_code(), e.public_message())),
        )
        .await?),
        Err(e) => Err(e.into()),
    }
}

/// `GET /history` — right `read`. The last 3 months, cancelled prestations excluded.
async fn history(State(app): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    let items = app.svc.history(&caller).await?;
    let page =
        json!({ "prestations": views(&caller, &items), "today": app.svc.today().to_string() });
    Ok(app
        .templates
        .render("history.html", &caller, page)?
        .into_response())
}

async fn me_page(
    app: &AppState,
    caller: &Caller,
    notice: Option<&str>,
    error: Option<String>,
) -> Result<Response, ApiError> {
    let mut conn = app.svc.pool.acquire().await?;
    let person = store::person(&mut conn, caller.sub()).await?;
    drop(conn);
    let notices = OUTBOX.about(&app.svc.pool, caller.sub(), 100).await?;
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = json!({
        "email": person.and_then(|p| p.email),
        "notices": notices,
        "notice": notice,
        "error": error,
    });
    Ok((status, app.templates.render("me.html", caller, page)?).into_response())
}

/// `GET /me` — right `read`. Email and notices.
async fn me(State(app): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    Ok(me_page(&app, &caller, None, None).await?)
}

#[derive(Debug, Deserialize)]
struct MeForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

/// `POST /me` (form) — right `modify`.
async fn set_me(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<MeForm>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    app.templates.csrf().check(&caller, &headers, &form.csrf)?;
    let email = some(&form.email);
    if let Some(e) = &email
        && !backend_kit::outbox::is_mail_address(e)
    {
        return Ok(me_page(
            &app,
            &caller,
            None,
            Some("this is not a mail address".to_owned()),
        )
        .await?);
    }
    let mut conn = app.svc.pool.acquire().await?;
    store::set_email(
        &mut conn,
        caller.sub(),
        caller.name(),
        email.as_deref(),
        app.svc.clock.now_ms(),
    )
    .await?;
    drop(conn);
    Ok(me_page(&app, &caller, Some("Saved."), None).await?)
}
