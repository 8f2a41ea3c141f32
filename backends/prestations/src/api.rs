//! JSON API of prestations, under `/api/`, and the exports. Each handler's doc names the
//! right it needs; the first statement checks it.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use backend_kit::{ApiError, Caller};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::enterprise::{self, office_of};
use crate::model::{Activity, Prestation};
use crate::registry::{self, Role, show_number};
use crate::service::{ActInput, EncodeInput, allowed_actions, roles, seen_as_user};
use crate::status::{Action, Status, USER_AWAITING_VALIDATION};
use crate::store::{self, ListFilter};
use crate::{AppState, OUTBOX, RIGHT_MODIFY, RIGHT_READ};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/prestations", get(list).post(encode))
        .route("/api/prestations/{id}", get(show))
        .route("/api/prestations/{id}/{action}", post(act))
        .route("/api/history", get(history))
        .route("/api/me", get(me).put(set_me))
        .route("/api/legend", get(legend))
        .route("/api/people", get(people))
        .route("/api/enterprise", get(office).put(set_office))
        .route(
            "/api/enterprise/people",
            get(office_people).post(add_office_person),
        )
        .route(
            "/api/enterprise/workers/{number}/email",
            put(set_worker_email),
        )
        .route("/prestations.xlsx", get(export_xlsx))
        .route("/prestations.csv", get(export_csv))
}

/// A status as the caller reads it: a user acting as themselves reads « En attente de
/// validation » for every status of the worker's stage.
pub(crate) fn status_view(caller: &Caller, p: &Prestation) -> Value {
    let as_user = seen_as_user(caller, p);
    let label = if as_user {
        p.status.label_for_user()
    } else {
        p.status.label()
    };
    json!({ "code": p.status.code(), "label": label, "colour": p.status.colour(), "as_user": as_user })
}

/// A prestation as answered, with what the caller can do with it.
pub(crate) fn view(caller: &Caller, p: &Prestation) -> Value {
    json!({
        "id": p.id,
        "enterprise": {
            "id": p.structure_id,
            "enterprise_number": p.enterprise_number,
            "name": p.enterprise_name,
        },
        "worker": { "id": p.worker_id, "name": p.worker_name, "number": p.worker_number.as_deref().map(show_number) },
        "user": { "id": p.user_id, "name": p.user_name, "number": p.user_number.as_deref().map(show_number) },
        "date": p.work_date.to_string(),
        "hours": p.minutes as f64 / 60.0,
        "minutes": p.minutes,
        "activity": { "code": p.activity.code(), "label": p.activity.label() },
        "status": status_view(caller, p),
        "user_confirmed": p.user_confirmed,
        "encoded_by": p.encoded_by.code(),
        "encoded_by_label": encoder_label(p),
        "corrected_by": p.corrected_by.map(|a| a.code()),
        "deadlines": p.deadlines,
        "auto_confirmed": p.auto_confirmed,
        "version": p.version,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "your_roles": roles(caller, p).iter().map(|r| r.code()).collect::<Vec<_>>(),
        "allowed_actions": allowed_actions(caller, p).iter().map(|a| a.code()).collect::<Vec<_>>(),
    })
}

/// "Encoded by the worker" / "encoded by the enterprise, corrected by ...".
pub(crate) fn encoder_label(p: &Prestation) -> String {
    let who = |a: crate::status::Actor| match a {
        crate::status::Actor::Worker => "the worker",
        crate::status::Actor::Enterprise => "the enterprise",
        crate::status::Actor::User => "the user",
        crate::status::Actor::System => "the system",
    };
    match p.corrected_by {
        Some(c) => format!("encoded by {}, corrected by {}", who(p.encoded_by), who(c)),
        None => format!("encoded by {}", who(p.encoded_by)),
    }
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    /// Comma-separated status codes.
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    limit: Option<i64>,
}

pub(crate) fn parse_statuses(text: Option<&str>) -> Result<Vec<Status>, ApiError> {
    text.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Status::parse(s).ok_or_else(|| ApiError::invalid(format!("unknown status {s:?}"))))
        .collect()
}

/// `GET /api/prestations?status=a,b&limit=n` — right `read`. The prestations the caller is
/// party to (all of the structure's for its office), newest work date first.
async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let filter = ListFilter {
        statuses: parse_statuses(q.status.as_deref())?,
        limit: q.limit.unwrap_or(200).clamp(1, 1000),
        ..ListFilter::default()
    };
    let items = app.svc.list(&caller, &filter).await?;
    let items: Vec<Value> = items.iter().map(|p| view(&caller, p)).collect();
    Ok(Json(json!({ "count": items.len(), "prestations": items })))
}

/// `POST /api/prestations` — right `modify` (and `manage` to encode for another worker).
async fn encode(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<EncodeInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let p = app.svc.encode(&caller, input).await?;
    Ok((StatusCode::CREATED, Json(view(&caller, &p))))
}

/// `GET /api/prestations/{id}` — right `read`. The prestation with its history.
async fn show(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let p = app.svc.get(&caller, &id).await?;
    let history = store::events(&app.svc.pool, &p.id).await?;
    let mut body = view(&caller, &p);
    body["history"] = json!(history);
    Ok(Json(body))
}

/// `POST /api/prestations/{id}/{action}` — right `modify`. Actions: `send`, `correct`
/// (date, hours, activity), `validate`, `contest` (reason), `confirm`, `cancel`.
async fn act(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    body: Option<Json<ActInput>>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let action = Action::parse(&action).ok_or_else(|| ApiError::not_found("unknown action"))?;
    let input = body.map(|Json(b)| b).unwrap_or_default();
    let p = app.svc.act(&caller, &id, action, input).await?;
    Ok(Json(view(&caller, &p)))
}

/// `GET /api/history` — right `read`. The last 3 months, cancelled prestations excluded.
async fn history(State(app): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let since = app.svc.today();
    let items = app.svc.history(&caller).await?;
    let items: Vec<Value> = items.iter().map(|p| view(&caller, p)).collect();
    Ok(Json(
        json!({ "today": since.to_string(), "count": items.len(), "prestations": items }),
    ))
}

/// `GET /api/me` — right `read`. The caller's voucher-user number, email and notices.
async fn me(State(app): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let person = registry::visit(&app.svc.pool, &caller, app.svc.clock.now_ms()).await?;
    let notices = OUTBOX.about(&app.svc.pool, caller.sub(), 100).await?;
    Ok(Json(json!({
        "sub": caller.sub(),
        "name": caller.name(),
        "acting": caller.0.acting,
        "number": person.shown_number(),
        "email": person.email,
        "notices": notices,
    })))
}

#[derive(Debug, Deserialize)]
struct MeInput {
    email: Option<String>,
}

/// `PUT /api/me` `{"email": "..."|null}` — right `modify`. The address notices go to.
async fn set_me(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<MeInput>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let email = input
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if let Some(e) = email
        && !backend_kit::outbox::is_mail_address(e)
    {
        return Err(ApiError::invalid("email is not a mail address"));
    }
    let now = app.svc.clock.now_ms();
    let mut tx = app.svc.pool.begin().await?;
    registry::ensure(&mut tx, caller.sub(), caller.name(), now).await?;
    registry::set_own_email(&mut tx, caller.sub(), email, now).await?;
    tx.commit().await?;
    Ok(Json(json!({ "sub": caller.sub(), "email": email })))
}

/// Every status with its label, the seed's name, what a user reads and its colour.
pub(crate) fn legend_rows() -> Vec<Value> {
    Status::ALL
        .iter()
        .map(|s| {
            json!({
                "code": s.code(),
                "label": s.label(),
                "seed_name": s.seed_name(),
                "label_for_user": s.label_for_user(),
                "colour": s.colour(),
            })
        })
        .collect()
}

/// `GET /api/legend` — right `read`. Statuses with their colours, activities.
async fn legend(caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let statuses = legend_rows();
    let activities: Vec<Value> = Activity::ALL
        .iter()
        .map(|a| json!({ "code": a.code(), "label": a.label() }))
        .collect();
    Ok(Json(json!({
        "statuses": statuses,
        "user_awaiting_validation": USER_AWAITING_VALIDATION,
        "activities": activities,
    })))
}

#[derive(Debug, Deserialize)]
pub(crate) struct PeopleQuery {
    /// `client` (default) or `worker`.
    #[serde(default)]
    pub(crate) role: Option<String>,
    /// A name (searched among the enterprise's people) or a voucher-user number.
    #[serde(default)]
    pub(crate) q: Option<String>,
}

pub(crate) fn role_of(text: Option<&str>) -> Result<Role, ApiError> {
    match text.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(Role::Client),
        Some(r) => Role::parse(r).ok_or_else(|| ApiError::invalid("role must be client or worker")),
    }
}

fn people_view(found: &[registry::Related]) -> Vec<Value> {
    found
        .iter()
        .map(|r| {
            json!({
                "name": r.person.name,
                "number": r.shown_number,
                "enterprise_email": r.enterprise_email,
                "email_self_set": r.person.email_self_set,
            })
        })
        .collect()
}

/// `GET /api/people?role=client|worker&q=` — right `read`, acting for an enterprise. The
/// people to pick when encoding: by name among the enterprise's clients (or workers), or
/// the one person with a voucher-user number.
async fn people(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<PeopleQuery>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let structure = caller.structure()?;
    let role = role_of(q.role.as_deref())?;
    let found = registry::search(
        &app.svc.pool,
        &structure.id,
        role,
        q.q.as_deref().unwrap_or_default(),
    )
    .await?
    .map_err(|e| ApiError::invalid(e.to_string()))?;
    Ok(Json(json!({ "people": people_view(&found) })))
}

/// `GET /api/enterprise` — rights `read` and `manage`. The office's settings and what it
/// follows: prestations its workers must still validate, contested ones.
async fn office(State(app): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let structure = office_of(&caller).map_err(ApiError::from)?;
    let settings = enterprise::settings(&app.svc.pool, structure).await?;
    let pending = enterprise::pending(&app.svc.pool, &structure.id).await?;
    let notices = OUTBOX
        .about(&app.svc.pool, &enterprise::about(&structure.id), 100)
        .await?;
    Ok(Json(json!({
        "settings": settings,
        "to_validate": pending.to_validate.iter().map(|p| view(&caller, p)).collect::<Vec<_>>(),
        "contested": pending.contested.iter().map(|p| view(&caller, p)).collect::<Vec<_>>(),
        "notices": notices,
    })))
}

#[derive(Debug, Deserialize)]
struct EmailInput {
    email: Option<String>,
}

fn email_of(input: Option<&str>) -> Result<Option<String>, ApiError> {
    match input.map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) if !backend_kit::outbox::is_mail_address(e) => {
            Err(ApiError::invalid("email is not a mail address"))
        }
        other => Ok(other.map(str::to_owned)),
    }
}

/// `PUT /api/enterprise` `{"email": ...}` — rights `modify` and `manage`. Where the
/// enterprise's notices go.
async fn set_office(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<EmailInput>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let structure = office_of(&caller).map_err(ApiError::from)?;
    let email = email_of(input.email.as_deref())?;
    enterprise::set_email(
        &app.svc.pool,
        structure,
        email.as_deref(),
        caller.lang(),
        app.svc.clock.now_ms(),
    )
    .await?;
    Ok(Json(json!({ "email": email })))
}

/// `GET /api/enterprise/people?role=&q=` — rights `read` and `manage`.
async fn office_people(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<PeopleQuery>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let role = role_of(q.role.as_deref())?;
    let found = enterprise::people(
        &app.svc.pool,
        &caller,
        role,
        q.q.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok(Json(json!({ "people": people_view(&found) })))
}

#[derive(Debug, Deserialize)]
struct AddPersonInput {
    number: String,
    #[serde(default)]
    role: Option<String>,
}

/// `POST /api/enterprise/people` `{"number", "role"}` — rights `modify` and `manage`. Add
/// a person to the enterprise's clients or workers by voucher-user number.
async fn add_office_person(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<AddPersonInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let role = role_of(input.role.as_deref())?;
    let person = enterprise::add_person(
        &app.svc.pool,
        &caller,
        &input.number,
        role,
        app.svc.clock.now_ms(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "name": person.name, "number": person.shown_number(), "role": role })),
    ))
}

/// `PUT /api/enterprise/workers/{number}/email` `{"email": ...}` — rights `modify` and
/// `manage`. Refused (403) once the worker set their own email.
async fn set_worker_email(
    State(app): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
    Json(input): Json<EmailInput>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let email = email_of(input.email.as_deref())?;
    let person = enterprise::set_worker_email(
        &app.svc.pool,
        &caller,
        &number,
        email.as_deref(),
        app.svc.clock.now_ms(),
    )
    .await?;
    Ok(Json(
        json!({ "number": person.shown_number(), "enterprise_email": email }),
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct ExportQuery {
    #[serde(default)]
    status: Option<String>,
}

async fn export_rows(
    app: &AppState,
    caller: &Caller,
    q: &ExportQuery,
) -> Result<Vec<Prestation>, ApiError> {
    let filter = ListFilter {
        statuses: parse_statuses(q.status.as_deref())?,
        limit: 10_000,
        ..ListFilter::default()
    };
    Ok(app.svc.list(caller, &filter).await?)
}

fn download(content_type: &str, name: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /prestations.xlsx?status=a,b` — right `read`. The list as an Excel workbook.
async fn export_xlsx(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    caller.require(RIGHT_READ)?;
    let rows = export_rows(&app, &caller, &q).await?;
    let bytes = crate::export::xlsx(&caller, &rows).map_err(ApiError::internal)?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("prestations-{}.xlsx", app.svc.today()),
        bytes,
    ))
}

/// `GET /prestations.csv?status=a,b` — right `read`. The list as CSV.
async fn export_csv(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    caller.require(RIGHT_READ)?;
    let rows = export_rows(&app, &caller, &q).await?;
    let bytes = crate::export::csv(&caller, &rows).map_err(ApiError::internal)?;
    Ok(download(
        "text/csv; charset=utf-8",
        format!("prestations-{}.csv", app.svc.today()),
        bytes,
    ))
}
