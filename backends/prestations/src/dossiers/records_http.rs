//! Routes of the organisation records: the provider's own (`/organisation`) and its
//! beneficiaries (`/beneficiaries`), as pages and as JSON under `/api/`. Reads need
//! `read`, changes `modify`; everything is the acting provider's own.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use backend_kit::error::PageError;
use backend_kit::{ApiError, Caller};
use serde_json::{Value, json};

use super::records::{Organisation, OrganisationInput};
use super::service::DossierError;
use crate::{AppState, RIGHT_MODIFY, RIGHT_READ};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/organisation", get(api_own).put(api_update_own))
        .route(
            "/api/beneficiaries",
            get(api_beneficiaries).post(api_create_beneficiary),
        )
        .route(
            "/api/beneficiaries/{id}",
            get(api_beneficiary).put(api_update_beneficiary),
        )
        .route("/organisation", get(own_page).post(update_own_page))
        .route(
            "/beneficiaries",
            get(beneficiaries_page).post(create_beneficiary_page),
        )
        .route(
            "/beneficiaries/{id}",
            get(beneficiary_page).post(update_beneficiary_page),
        )
}

fn view(o: &Organisation) -> Value {
    let mut v = json!(o);
    v["shown_number"] = json!(backend_kit::ids::format_enterprise_number(
        &o.enterprise_number
    ));
    v
}

/// `GET /api/organisation` — right `read`. The provider's own record.
async fn api_own(State(app): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    Ok(Json(view(&app.dossiers.own_organisation(&caller).await?)))
}

/// `PUT /api/organisation` — right `modify`. Modify the provider's own record.
async fn api_update_own(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<OrganisationInput>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let o = app
        .dossiers
        .update_own_organisation(&caller, &input)
        .await?;
    Ok(Json(view(&o)))
}

/// `GET /api/beneficiaries` — right `read`.
async fn api_beneficiaries(
    State(app): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let all = app.dossiers.beneficiaries(&caller).await?;
    Ok(Json(
        json!({ "beneficiaries": all.iter().map(view).collect::<Vec<_>>() }),
    ))
}

/// `POST /api/beneficiaries` — right `modify`. Create a beneficiary record.
async fn api_create_beneficiary(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<OrganisationInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let o = app.dossiers.create_beneficiary(&caller, &input).await?;
    Ok((StatusCode::CREATED, Json(view(&o))))
}

async fn record_with_dossiers(
    app: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Value, ApiError> {
    let o = app.dossiers.beneficiary(caller, id).await?;
    let dossiers: Vec<Value> = app
        .dossiers
        .dossiers_of(caller, &o)
        .await?
        .iter()
        .map(|d| super::http::view(app, caller, d))
        .collect();
    let mut v = view(&o);
    v["dossiers"] = json!(dossiers);
    Ok(v)
}

/// `GET /api/beneficiaries/{id}` — right `read`. The record with its dossiers.
async fn api_beneficiary(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    Ok(Json(record_with_dossiers(&app, &caller, &id).await?))
}

/// `PUT /api/beneficiaries/{id}` — right `modify`. Modify a beneficiary record.
async fn api_update_beneficiary(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<OrganisationInput>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let o = app
        .dossiers
        .update_beneficiary(&caller, &id, &input)
        .await?;
    Ok(Json(view(&o)))
}

type Fields = HashMap<String, String>;

fn input_of(f: &Fields) -> OrganisationInput {
    let get = |k: &str| f.get(k).cloned();
    OrganisationInput {
        enterprise_number: get("enterprise_number"),
        name: get("name"),
        street: get("street"),
        postcode: get("postcode"),
        city: get("city"),
        email: get("email"),
        phone: get("phone"),
    }
}

fn check(app: &AppState, caller: &Caller, headers: &HeaderMap, f: &Fields) -> Result<(), ApiError> {
    let token = f.get("_csrf").map(String::as_str).unwrap_or_default();
    app.templates.csrf().check(caller, headers, token)
}

/// A refusal of the form's content is shown next to its field (the message starts with
/// the field's name); anything else is an error page.
fn shown(e: DossierError, lang: i18n::Lang) -> Result<(String, String), PageError> {
    match ApiError::from(e) {
        e @ (ApiError::Invalid(_) | ApiError::Conflict { .. }) => {
            // The field is named at the start of the English text.
            let message = e.public_message();
            let field = message
                .split(':')
                .next()
                .filter(|f| {
                    [
                        "enterprise_number",
                        "name",
                        "email",
                        "street",
                        "postcode",
                        "city",
                        "phone",
                    ]
                    .contains(f)
                })
                .unwrap_or("general")
                .to_owned();
            Ok((field, e.message_in(lang)))
        }
        other => Err(PageError(other)),
    }
}

fn render(
    app: &AppState,
    caller: &Caller,
    name: &str,
    mut page: Value,
    error: Option<(String, String)>,
) -> Result<Response, ApiError> {
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    if let Some((field, message)) = error {
        page["error"] = json!(message);
        page["error_field"] = json!(field);
    }
    Ok((status, app.templates.render(name, caller, page)?).into_response())
}

/// `GET /organisation` — right `read`. The provider's own record and its form.
async fn own_page(State(app): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    let o = app.dossiers.own_organisation(&caller).await?;
    let page = json!({ "o": view(&o), "v": view(&o), "own": true });
    Ok(render(&app, &caller, "organisation.html", page, None)?)
}

/// `POST /organisation` (form) — right `modify`.
async fn update_own_page(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    check(&app, &caller, &headers, &f)?;
    match app
        .dossiers
        .update_own_organisation(&caller, &input_of(&f))
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("{}/organisation", app.templates.base())).into_response())
        }
        Err(e) => {
            let error = shown(e, caller.lang())?;
            let o = app.dossiers.own_organisation(&caller).await?;
            let page = json!({ "o": view(&o), "v": f, "own": true });
            Ok(render(
                &app,
                &caller,
                "organisation.html",
                page,
                Some(error),
            )?)
        }
    }
}

async fn list_page(
    app: &AppState,
    caller: &Caller,
    values: Value,
    error: Option<(String, String)>,
) -> Result<Response, PageError> {
    let all = app.dossiers.beneficiaries(caller).await?;
    let page = json!({ "rows": all.iter().map(view).collect::<Vec<_>>(), "v": values });
    Ok(render(app, caller, "beneficiaries.html", page, error)?)
}

/// `GET /beneficiaries` — right `read`. The records and the creation form.
async fn beneficiaries_page(
    State(app): State<AppState>,
    caller: Caller,
) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    list_page(&app, &caller, json!({}), None).await
}

/// `POST /beneficiaries` (form) — right `modify`. Create a record.
async fn create_beneficiary_page(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    check(&app, &caller, &headers, &f)?;
    match app
        .dossiers
        .create_beneficiary(&caller, &input_of(&f))
        .await
    {
        Ok(o) => Ok(
            Redirect::to(&format!("{}/beneficiaries/{}", app.templates.base(), o.id))
                .into_response(),
        ),
        Err(e) => {
            let error = shown(e, caller.lang())?;
            list_page(&app, &caller, json!(f), Some(error)).await
        }
    }
}

async fn record_page(
    app: &AppState,
    caller: &Caller,
    id: &str,
    values: Option<Value>,
    error: Option<(String, String)>,
) -> Result<Response, PageError> {
    let record = record_with_dossiers(app, caller, id).await?;
    let v = values.unwrap_or_else(|| record.clone());
    let page = json!({ "o": record, "v": v, "own": false });
    Ok(render(app, caller, "organisation.html", page, error)?)
}

/// `GET /beneficiaries/{id}` — right `read`. The record, its dossiers, its form.
async fn beneficiary_page(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    record_page(&app, &caller, &id, None, None).await
}

/// `POST /beneficiaries/{id}` (form) — right `modify`. Modify the record.
async fn update_beneficiary_page(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    check(&app, &caller, &headers, &f)?;
    match app
        .dossiers
        .update_beneficiary(&caller, &id, &input_of(&f))
        .await
    {
        Ok(o) => Ok(
            Redirect::to(&format!("{}/beneficiaries/{}", app.templates.base(), o.id))
                .into_response(),
        ),
        Err(e) => {
            let error = shown(e, caller.lang())?;
            record_page(&app, &caller, &id, Some(json!(f)), Some(error)).await
        }
    }
}
