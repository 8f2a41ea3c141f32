//! JSON API of prestations, under `/api/`. Each handler's doc names the right it needs;
//! the first statement checks it.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use backend_kit::{ApiError, Caller};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::model::{Activity, Prestation};
use crate::service::{ActInput, EncodeInput, allowed_actions, roles};
use crate::status::{Action, Status};
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
        "worker": { "id": p.worker_id, "name": p.worker_name },
        "user": { "id": p.user_id, "name": p.user_name },
        "date": p.work_date.to_string(),
        "hours": p.minutes as f64 / 60.0,
        "minutes": p.minutes,
        "activity": { "code": p.activity.code(), "label": p.activity.label() },
        "status": { "code": p.status.code(), "label": p.status.label(), "colour": p.status.colour() },
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

/// `GET /api/me` — right `read`. The caller's email and notices.
async fn me(State(app): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let mut conn = app.svc.pool.acquire().await?;
    let person = store::person(&mut conn, caller.sub()).await?;
    drop(conn);
    let notices = OUTBOX.about(&app.svc.pool, caller.sub(), 100).await?;
    Ok(Json(json!({
        "sub": caller.sub(),
        "name": caller.name(),
        "email": person.and_then(|p| p.email),
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
    let mut conn = app.svc.pool.acquire().await?;
    store::set_email(
        &mut conn,
        caller.sub(),
        caller.name(),
        email,
        app.svc.clock.now_ms(),
    )
    .await?;
    Ok(Json(json!({ "sub": caller.sub(), "email": email })))
}

/// `GET /api/legend` — right `read`. Statuses with their colours, activities.
async fn legend(caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let statuses: Vec<Value> = Status::ALL
        .iter()
        .map(|s| json!({ "code": s.code(), "label": s.label(), "colour": s.colour() }))
        .collect();
    let activities: Vec<Value> = Activity::ALL
        .iter()
        .map(|a| json!({ "code": a.code(), "label": a.label() }))
        .collect();
    Ok(Json(
        json!({ "statuses": statuses, "activities": activities }),
    ))
}
