//! Pages for providers (history, changes effective at a date), prestations (record, pay,
//! contest, resolve; the contested and unpaid views) and invoices.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use backend_kit::error::PageError;
use backend_kit::{ApiError, Caller};
use serde_json::{Value, json};

use super::{Fields, csrf, field, page, shown, to};
use crate::agency::AgencyError;
use crate::providers::{ChangeInput, ProviderInput, ProviderQuery, ProviderType};
use crate::userlist::ListQuery;
use crate::work::{ACTIVITIES, ResolveInput, WorkInput};
use crate::{AppState, RIGHT_MODIFY, RIGHT_READ, euros};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/providers", get(providers).post(add_provider))
        .route("/providers/{id}", get(provider))
        .route("/providers/{id}/change", post(change_provider))
        .route("/prestations", get(works).post(record))
        .route("/prestations/new", get(new_work))
        .route("/prestations/{id}", get(work))
        .route("/prestations/{id}/{action}", post(work_action))
        .route("/invoices", get(invoices))
        .route("/invoices/{id}", get(invoice))
}

fn types() -> Vec<Value> {
    ProviderType::ALL
        .iter()
        .map(|t| json!({ "code": t.code(), "needs_cpas": t.needs_cpas() }))
        .collect()
}

async fn providers_page(
    app: &AppState,
    caller: &Caller,
    query: &ProviderQuery,
    error: Option<ApiError>,
) -> Result<Response, PageError> {
    // A refused filter is answered next to the filters, with the unfiltered list.
    let (rows, filter_error) = match app.agency.list_providers(caller, query).await {
        Ok(rows) => (rows, None),
        Err(e) => {
            let e = shown(e)?;
            let all = app
                .agency
                .list_providers(caller, &ProviderQuery::default())
                .await?;
            (all, Some(e.message_in(caller.lang())))
        }
    };
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "p": r.provider,
                "name": r.name,
                "type": r.state.as_ref().map(|s| s.provider_type.code()),
                "cpas": r.state.as_ref().and_then(|s| s.cpas.clone()),
                "since": r.state.as_ref().map(|s| s.effective_from.clone()),
            })
        })
        .collect();
    let refused = filter_error.is_some();
    let ctx = json!({
        "rows": rows,
        "types": types(),
        "f": query,
        "filter_error": filter_error,
        "today": app.agency.today().to_string(),
    });
    let mut response = page(app, caller, "providers.html", ctx, error)?;
    if refused {
        *response.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

/// `GET /providers?q=&type=&cpas=&on=&sort=&dir=` — `read`. Filtered and sorted.
async fn providers(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<ProviderQuery>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    providers_page(&app, &caller, &q, None).await
}

fn change_input(f: &Fields) -> ChangeInput {
    ChangeInput {
        effective_from: field(f, "effective_from"),
        provider_type: field(f, "provider_type").unwrap_or_default(),
        cpas: field(f, "cpas"),
        note: field(f, "note"),
    }
}

/// `POST /providers` (form) — `modify`.
async fn add_provider(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    csrf(&app, &caller, &headers, &f)?;
    let input = ProviderInput {
        first_name: field(&f, "first_name").unwrap_or_default(),
        last_name: field(&f, "last_name").unwrap_or_default(),
        email: field(&f, "email"),
        change: change_input(&f),
    };
    match app.agency.add_provider(&caller, &input).await {
        Ok(p) => Ok(to(&app, &format!("/providers/{}", p.id))),
        Err(e) => {
            let e = shown(e)?;
            providers_page(&app, &caller, &ProviderQuery::default(), Some(e)).await
        }
    }
}

async fn provider_page(
    app: &AppState,
    caller: &Caller,
    id: &str,
    on: Option<&str>,
    error: Option<ApiError>,
) -> Result<Response, PageError> {
    let p = app.agency.provider(caller, id).await?;
    let day = match on {
        Some(d) => crate::agency::date(d, "on").map_err(ApiError::from)?,
        None => app.agency.today(),
    };
    let state = app.agency.provider_state_on(&p.id, day).await?;
    let history: Vec<Value> = app
        .agency
        .provider_history(&p.id)
        .await?
        .into_iter()
        .map(|c| json!({ "c": c }))
        .collect();
    let ctx = json!({
        "p": p,
        "name": p.name(),
        "on": day.to_string(),
        "state": state,
        "history": history,
        "types": types(),
    });
    Ok(page(app, caller, "provider.html", ctx, error)?)
}

#[derive(Debug, serde::Deserialize)]
struct OnQuery {
    #[serde(default)]
    on: Option<String>,
}

/// `GET /providers/{id}?on=YYYY-MM-DD` — `read`.
async fn provider(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<OnQuery>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    provider_page(
        &app,
        &caller,
        &id,
        q.on.as_deref().filter(|d| !d.is_empty()),
        None,
    )
    .await
}

/// `POST /providers/{id}/change` (form) — `modify`.
async fn change_provider(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    csrf(&app, &caller, &headers, &f)?;
    match app
        .agency
        .change_provider(&caller, &id, &change_input(&f))
        .await
    {
        Ok(_) => Ok(to(&app, &format!("/providers/{id}"))),
        Err(e) => {
            let e = shown(e)?;
            provider_page(&app, &caller, &id, None, Some(e)).await
        }
    }
}

#[derive(Debug, serde::Deserialize)]
struct StatusQuery {
    #[serde(default)]
    status: Option<String>,
}

/// `GET /prestations?status=contested|unpaid|...` — `read`. The contested and unpaid views.
async fn works(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<StatusQuery>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    let status = q.status.as_deref().filter(|s| !s.is_empty());
    let rows = app.agency.list_work(&caller, status, None).await?;
    let (contested, unpaid) = app.agency.counts(&caller).await?;
    let ctx = json!({ "rows": rows, "status": status, "contested": contested, "unpaid": unpaid });
    Ok(page(&app, &caller, "works.html", ctx, None)?)
}

async fn work_form(
    app: &AppState,
    caller: &Caller,
    values: Value,
    error: Option<ApiError>,
) -> Result<Response, PageError> {
    let users = app
        .agency
        .list_users(
            caller,
            &ListQuery {
                auth: Some("valid".to_owned()),
                ..ListQuery::default()
            },
        )
        .await?;
    let users: Vec<Value> = users
        .iter()
        .map(|r| json!({ "id": r.user.id, "name": r.display_name }))
        .collect();
    let providers: Vec<Value> = app
        .agency
        .providers(caller)
        .await?
        .iter()
        .map(|p| json!({ "id": p.id, "name": p.name() }))
        .collect();
    // A refusal about one field (the message starts with its name) is shown next to it.
    let error_field = error.as_ref().and_then(|e| {
        let message = e.public_message();
        ["date", "hours", "activity"]
            .into_iter()
            .find(|f| message.starts_with(&format!("{f}:")))
    });
    let ctx = json!({
        "users": users,
        "providers": providers,
        "activities": ACTIVITIES.iter().map(|(c, _)| json!({ "code": c })).collect::<Vec<_>>(),
        "today": app.agency.today().to_string(),
        "electronic_start": app.agency.electronic_start.to_string(),
        "error_field": error_field,
        "v": values,
    });
    Ok(page(app, caller, "work_form.html", ctx, error)?)
}

/// `GET /prestations/new` — `modify`.
async fn new_work(State(app): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    let today = app.agency.today().to_string();
    work_form(&app, &caller, json!({ "date": today, "hours": "2" }), None).await
}

/// `POST /prestations` (form) — `modify`.
async fn record(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    csrf(&app, &caller, &headers, &f)?;
    let input = WorkInput {
        user_id: field(&f, "user_id").unwrap_or_default(),
        provider_id: field(&f, "provider_id").unwrap_or_default(),
        date: field(&f, "date").unwrap_or_default(),
        hours: field(&f, "hours").and_then(|h| h.parse().ok()).unwrap_or(0),
        activity: field(&f, "activity").unwrap_or_default(),
    };
    match app.agency.record_work(&caller, &input).await {
        Ok(w) => Ok(to(&app, &format!("/prestations/{}", w.id))),
        Err(AgencyError::NotFound(what)) => {
            work_form(
                &app,
                &caller,
                json!(f),
                Some(ApiError::invalid(crate::agency::choose(what))),
            )
            .await
        }
        Err(e) => {
            let e = shown(e)?;
            work_form(&app, &caller, json!(f), Some(e)).await
        }
    }
}

async fn work_page(
    app: &AppState,
    caller: &Caller,
    id: &str,
    error: Option<ApiError>,
) -> Result<Response, PageError> {
    let w = app.agency.work(caller, id).await?;
    let balance = app.agency.balance(&w.user_id).await?;
    let view = app.agency.view_work(caller, w).await?;
    Ok(page(
        app,
        caller,
        "work.html",
        json!({ "w": view, "balance": balance }),
        error,
    )?)
}

/// `GET /prestations/{id}` — `read`.
async fn work(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    work_page(&app, &caller, &id, None).await
}

/// `POST /prestations/{id}/{pay|contest|resolve|cancel}` (form) — `modify`.
async fn work_action(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    csrf(&app, &caller, &headers, &f)?;
    let result = match action.as_str() {
        "pay" => app.agency.pay_work(&caller, &id).await,
        "contest" => {
            app.agency
                .contest_work(&caller, &id, field(&f, "reason").as_deref())
                .await
        }
        "resolve" => {
            let input = ResolveInput {
                outcome: field(&f, "outcome").unwrap_or_default(),
                hours: field(&f, "hours").and_then(|h| h.parse().ok()),
                note: field(&f, "note"),
            };
            app.agency.resolve_work(&caller, &id, &input).await
        }
        "cancel" => app.agency.cancel_work(&caller, &id).await,
        _ => {
            return Err(ApiError::not_found(backend_kit::texts::t(
                caller.lang(),
                "kit_unknown_action",
            ))
            .into());
        }
    };
    match result {
        Ok(_) => Ok(to(&app, &format!("/prestations/{id}"))),
        Err(e) => {
            let e = shown(e)?;
            work_page(&app, &caller, &id, Some(e)).await
        }
    }
}

/// `GET /invoices` — `read`.
async fn invoices(State(app): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    let rows: Vec<Value> = app
        .agency
        .invoices(&caller, None)
        .await?
        .into_iter()
        .map(|i| json!({ "i": i, "total": euros(i.total_cents) }))
        .collect();
    Ok(page(
        &app,
        &caller,
        "invoices.html",
        json!({ "rows": rows }),
        None,
    )?)
}

/// `GET /invoices/{id}` — `read`. Printable.
async fn invoice(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    let i = app.agency.invoice(&caller, &id).await?;
    let ctx = json!({
        "i": i,
        "unit": euros(i.unit_price_cents),
        "total": euros(i.total_cents),
        "number": backend_kit::ids::format_enterprise_number(&i.enterprise_number),
    });
    Ok(page(&app, &caller, "invoice.html", ctx, None)?)
}
