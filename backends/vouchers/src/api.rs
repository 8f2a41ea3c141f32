//! JSON API of the vouchers backend, under `/api/`, and the `.xlsx` download. `GET`s need
//! the right `read`, changes `modify`; every answer is limited to the caller's agency.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use backend_kit::{ApiError, Caller};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::providers::{ChangeInput, ProviderInput, ProviderQuery, ProviderType};
use crate::userlist::{ListQuery, PrefillQuery};
use crate::users::{ContactInput, RenewInput, UserInput};
use crate::wallet::PurchaseInput;
use crate::work::{ResolveInput, WorkInput};
use crate::{AppState, RIGHT_MODIFY, RIGHT_READ};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/home", get(home))
        .route("/api/users", get(users).post(register))
        .route("/api/users/prefill", get(prefill))
        .route("/api/users/{id}", get(user))
        .route("/api/users/{id}/contact", put(contact))
        .route("/api/users/{id}/authorizations", post(renew))
        .route("/api/users/{id}/purchases", post(purchase))
        .route("/api/providers", get(providers).post(add_provider))
        .route("/api/providers/{id}", get(provider))
        .route("/api/providers/{id}/changes", post(change_provider))
        .route("/api/prestations", get(works).post(record))
        .route("/api/prestations/{id}", get(work))
        .route("/api/prestations/{id}/{action}", post(act))
        .route("/api/invoices", get(invoices))
        .route("/api/invoices/{id}", get(invoice))
        .route("/users.xlsx", get(users_xlsx))
        .route("/api/users/{id}/link-code", post(link_code))
        .route("/api/me", get(me))
        .route("/api/me/link", post(link))
}

/// `POST /api/users/{id}/link-code` — `modify`. A one-time code for a natural person to
/// see their wallet online, shown once.
async fn link_code(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let code = app.agency.link_code(&caller, &id).await?;
    Ok((StatusCode::CREATED, Json(json!(code))))
}

/// `GET /api/me` — `read`, acting as oneself. The person's wallets and prestations.
async fn me(State(app): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    Ok(Json(
        json!({ "wallets": app.agency.my_wallets(&caller).await? }),
    ))
}

#[derive(Debug, Deserialize)]
struct LinkInput {
    code: String,
}

/// `POST /api/me/link` `{"code": "..."}` — `modify`, acting as oneself. Link the user the
/// code was given for.
async fn link(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<LinkInput>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let agency = app.agency.link(&caller, &input.code).await?;
    Ok(Json(json!({ "linked": agency })))
}

/// `GET /api/home` — `read`. Counts of contested and unpaid prestations.
async fn home(State(app): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let (contested, unpaid) = app.agency.counts(&caller).await?;
    Ok(Json(json!({ "contested": contested, "unpaid": unpaid })))
}

/// `GET /api/users?q=&kind=&auth=&before=&sort=&dir=` — `read`.
async fn users(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let rows = app.agency.list_users(&caller, &q).await?;
    Ok(Json(json!({ "count": rows.len(), "users": rows })))
}

/// `GET /users.xlsx?...` — `read`. The same list as an Excel workbook.
async fn users_xlsx(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Response, ApiError> {
    caller.require(RIGHT_READ)?;
    let rows = app.agency.list_users(&caller, &q).await?;
    let bytes = crate::export::users_xlsx(&rows, caller.lang()).map_err(ApiError::internal)?;
    let name = format!("users-{}.xlsx", app.agency.today());
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /api/users/prefill?kind=&enterprise_number=&email=` — `modify` (it prepares a
/// registration).
async fn prefill(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<PrefillQuery>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_MODIFY)?;
    Ok(Json(json!(app.agency.prefill(&caller, &q).await?)))
}

/// `POST /api/users` — `modify`. Register with a first authorization.
async fn register(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<UserInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let u = app.agency.register(&caller, &input).await?;
    let mut body = json!(u);
    body["display_name"] = json!(u.display_name());
    Ok((StatusCode::CREATED, Json(body)))
}

/// A user with wallet, vouchers, authorizations and invoices.
pub(crate) async fn user_view(
    app: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Value, ApiError> {
    let u = app.agency.user(caller, id).await?;
    let holder = u.display_name();
    let vouchers: Vec<Value> = app
        .agency
        .vouchers(&u.id)
        .await?
        .into_iter()
        .map(|v| {
            let mut v = json!(v);
            v["holder"] = json!(holder);
            v
        })
        .collect();
    Ok(json!({
        "user": u,
        "display_name": holder,
        "authorized_today": app.agency.authorized_on(&u.id, app.agency.today()).await?,
        "authorizations": app.agency.authorizations(&u.id).await?,
        "balance": app.agency.balance(&u.id).await?,
        "vouchers": vouchers,
        "invoices": app.agency.invoices(caller, Some(&u.id)).await?,
        "prestations": app.agency.list_work(caller, None, Some(&u.id)).await?,
    }))
}

/// `GET /api/users/{id}` — `read`.
async fn user(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    Ok(Json(user_view(&app, &caller, &id).await?))
}

/// `PUT /api/users/{id}/contact` — `modify`.
async fn contact(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<ContactInput>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_MODIFY)?;
    Ok(Json(json!(
        app.agency.update_contact(&caller, &id, &input).await?
    )))
}

/// `POST /api/users/{id}/authorizations` — `modify`. Renewal.
async fn renew(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<RenewInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(RIGHT_MODIFY)?;
    Ok((
        StatusCode::CREATED,
        Json(json!(app.agency.renew(&caller, &id, &input).await?)),
    ))
}

/// `POST /api/users/{id}/purchases` `{"quantity": n}` — `modify`.
async fn purchase(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<PurchaseInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(RIGHT_MODIFY)?;
    Ok((
        StatusCode::CREATED,
        Json(json!(app.agency.purchase(&caller, &id, &input).await?)),
    ))
}

/// `GET /api/providers?q=&type=&cpas=&on=&sort=&dir=` — `read`. Filtered and sorted,
/// with each one's type and centre on the day (`today` is that state).
async fn providers(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<ProviderQuery>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let out: Vec<Value> = app
        .agency
        .list_providers(&caller, &q)
        .await?
        .into_iter()
        .map(|r| json!({ "provider": r.provider, "today": r.state }))
        .collect();
    let types: Vec<Value> = ProviderType::ALL
        .iter()
        .map(|t| json!({ "code": t.code(), "label": t.label(), "monthly_hours": t.monthly_hours(), "needs_cpas": t.needs_cpas() }))
        .collect();
    Ok(Json(json!({ "providers": out, "types": types })))
}

/// `POST /api/providers` — `modify`.
async fn add_provider(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<ProviderInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(RIGHT_MODIFY)?;
    Ok((
        StatusCode::CREATED,
        Json(json!(app.agency.add_provider(&caller, &input).await?)),
    ))
}

#[derive(Debug, Deserialize)]
struct OnQuery {
    #[serde(default)]
    on: Option<String>,
}

/// `GET /api/providers/{id}?on=YYYY-MM-DD` — `read`. History and the state on a date.
async fn provider(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<OnQuery>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let p = app.agency.provider(&caller, &id).await?;
    let on = match q.on.as_deref() {
        Some(d) => crate::agency::date(d, "on")?,
        None => app.agency.today(),
    };
    let state = app.agency.provider_state_on(&p.id, on).await?;
    let history = app.agency.provider_history(&p.id).await?;
    Ok(Json(
        json!({ "provider": p, "on": on.to_string(), "state": state, "history": history }),
    ))
}

/// `POST /api/providers/{id}/changes` — `modify`. Type and/or centre from a date.
async fn change_provider(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<ChangeInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(RIGHT_MODIFY)?;
    Ok((
        StatusCode::CREATED,
        Json(json!(
            app.agency.change_provider(&caller, &id, &input).await?
        )),
    ))
}

#[derive(Debug, Deserialize)]
struct WorkQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
}

/// `GET /api/prestations?status=contested|unpaid|paid|cancelled&user_id=` — `read`.
async fn works(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<WorkQuery>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let rows = app
        .agency
        .list_work(
            &caller,
            q.status.as_deref().filter(|s| !s.is_empty()),
            q.user_id.as_deref(),
        )
        .await?;
    Ok(Json(json!({ "count": rows.len(), "prestations": rows })))
}

/// `POST /api/prestations` — `modify`.
async fn record(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<WorkInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let w = app.agency.record_work(&caller, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!(app.agency.view_work(&caller, w).await?)),
    ))
}

/// `GET /api/prestations/{id}` — `read`.
async fn work(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let w = app.agency.work(&caller, &id).await?;
    Ok(Json(json!(app.agency.view_work(&caller, w).await?)))
}

#[derive(Debug, Default, Deserialize)]
struct ActBody {
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    outcome: Option<String>,
    #[serde(default)]
    hours: Option<i64>,
    #[serde(default)]
    note: Option<String>,
}

/// `POST /api/prestations/{id}/{pay|contest|resolve|cancel}` — `modify`.
async fn act(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    body: Option<Json<ActBody>>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let body = body.map(|Json(b)| b).unwrap_or_default();
    let w = match action.as_str() {
        "pay" => app.agency.pay_work(&caller, &id).await?,
        "contest" => {
            app.agency
                .contest_work(&caller, &id, body.reason.as_deref())
                .await?
        }
        "resolve" => {
            let input = ResolveInput {
                outcome: body.outcome.unwrap_or_default(),
                hours: body.hours,
                note: body.note,
            };
            app.agency.resolve_work(&caller, &id, &input).await?
        }
        "cancel" => app.agency.cancel_work(&caller, &id).await?,
        _ => return Err(ApiError::not_found("unknown action")),
    };
    Ok(Json(json!(app.agency.view_work(&caller, w).await?)))
}

#[derive(Debug, Deserialize)]
struct InvoiceQuery {
    #[serde(default)]
    user_id: Option<String>,
}

/// `GET /api/invoices?user_id=` — `read`.
async fn invoices(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<InvoiceQuery>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    Ok(Json(
        json!({ "invoices": app.agency.invoices(&caller, q.user_id.as_deref()).await? }),
    ))
}

/// `GET /api/invoices/{id}` — `read`.
async fn invoice(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    Ok(Json(json!(app.agency.invoice(&caller, &id).await?)))
}
