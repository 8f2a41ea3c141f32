//! Dossier routes: JSON under `/api/dossiers` and `/api/cheques`, pages under `/dossiers`
//! (with the competence matrix at `/dossiers/cheques`). Reads need `read`, changes
//! `modify`; taking, accepting and refusing also need `process`. The organisation records
//! and the regularisations have their own modules.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use backend_kit::error::PageError;
use backend_kit::{ApiError, Caller};
use serde::Deserialize;
use serde_json::{Value, json};

use super::service::DossierError;
use super::store::Dossier;
use super::{Competence, DossierAction, DossierInput, DossierStatus, dossier_transition};
use crate::{AppState, RIGHT_MODIFY, RIGHT_PROCESS, RIGHT_READ};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .merge(super::records_http::router())
        .merge(super::regularisation_http::router())
        .route("/dossiers/cheques", get(matrix_page))
        .route("/api/cheques", get(cheques))
        .route("/api/dossiers", get(list).post(create))
        .route("/api/dossiers/{id}", get(show).put(edit).delete(delete))
        .route("/api/dossiers/{id}/{action}", post(act))
        .route("/dossiers", get(list_page).post(create_page))
        .route("/dossiers/new", get(new_page))
        .route("/dossiers/{id}", get(detail_page))
        .route("/dossiers/{id}/edit", get(edit_page).post(edit_submit))
        .route("/dossiers/{id}/{action}", post(act_page))
}

/// A dossier as answered, with what the caller can do with it.
pub(crate) fn view(app: &AppState, caller: &Caller, d: &Dossier) -> Value {
    let cat = app.dossiers.catalogue();
    let cheque = cat.cheque(&d.cheque_code);
    let provider = super::service::is_provider(caller, d);
    let allowed: Vec<&str> = DossierAction::ALL
        .into_iter()
        .filter(|a| {
            let role = if a.by_administration() {
                caller.has(RIGHT_PROCESS)
            } else {
                provider
            };
            role && dossier_transition(d.status, *a).is_ok()
        })
        .map(DossierAction::code)
        .collect();
    json!({
        "id": d.id,
        "reference": d.reference,
        "provider": { "structure_id": d.provider_structure_id, "enterprise_number": d.provider_number, "name": d.provider_name },
        "beneficiary": { "enterprise_number": d.beneficiary_number, "name": d.beneficiary_name },
        "cheque": { "code": d.cheque_code, "label": cheque.map(|c| c.label.as_str()), "theme": cheque.map(|c| cat.theme_label(&c.theme)), "energy": cheque.is_some_and(|c| c.energy) },
        "status": { "code": d.status.code(), "label": d.status.label(), "colour": d.status.colour() },
        "competences": d.competences,
        "start_date": d.start_date.map(|x| x.to_string()),
        "submit_by": d.submit_by.map(|x| x.to_string()),
        "submit_late": d.submit_by.is_some_and(|by| app.dossiers.today() > by) && d.status == DossierStatus::BeingIntroduced,
        "subcontractor": d.subcontractor_number.as_ref().map(|n| json!({
            "enterprise_number": backend_kit::ids::format_enterprise_number(n),
            "name": d.subcontractor_name,
            "known": d.subcontractor_known,
        })),
        "is_provider": provider,
        "duplicated_from": d.duplicated_from,
        "decision_note": d.decision_note,
        "version": d.version,
        "created_at": d.created_at,
        "updated_at": d.updated_at,
        "allowed_actions": allowed,
    })
}

/// `GET /dossiers/cheques` — right `read`. The competence matrix.
async fn matrix_page(State(app): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    let page = json!({ "rows": app.dossiers.catalogue().matrix() });
    Ok(app
        .templates
        .render("cheques.html", &caller, page)?
        .into_response())
}

/// `GET /api/cheques` — right `read`. The catalogue.
async fn cheques(State(app): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    Ok(Json(json!(app.dossiers.catalogue())))
}

/// `GET /api/dossiers` — right `read`.
async fn list(State(app): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let items = app.dossiers.list(&caller).await?;
    let items: Vec<Value> = items.iter().map(|d| view(&app, &caller, d)).collect();
    Ok(Json(json!({ "count": items.len(), "dossiers": items })))
}

/// `POST /api/dossiers` — right `modify`. A new dossier in 01.
async fn create(
    State(app): State<AppState>,
    caller: Caller,
    Json(input): Json<DossierInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let d = app.dossiers.create(&caller, &input).await?;
    Ok((StatusCode::CREATED, Json(view(&app, &caller, &d))))
}

/// `GET /api/dossiers/{id}` — right `read`. With its history.
async fn show(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let d = app.dossiers.get(&caller, &id).await?;
    let mut body = view(&app, &caller, &d);
    body["history"] = json!(app.dossiers.events(&caller, &id).await?);
    Ok(Json(body))
}

/// `PUT /api/dossiers/{id}` — right `modify`. Change a dossier in 01.
async fn edit(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(input): Json<DossierInput>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let d = app.dossiers.edit(&caller, &id, &input).await?;
    Ok(Json(view(&app, &caller, &d)))
}

/// `DELETE /api/dossiers/{id}` — right `modify`. Only in 01.
async fn delete(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require(RIGHT_MODIFY)?;
    app.dossiers.delete(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize)]
struct Reason {
    #[serde(default)]
    reason: Option<String>,
}

/// `POST /api/dossiers/{id}/{action}` — right `modify` (`process` for take, accept,
/// refuse). `duplicate` answers the new dossier (201).
async fn act(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    body: Option<Json<Reason>>,
) -> Result<Response, ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let action = DossierAction::parse(&action).ok_or_else(|| {
        ApiError::not_found(backend_kit::texts::t(caller.lang(), "kit_unknown_action"))
    })?;
    let reason = body.map(|Json(r)| r).unwrap_or_default().reason;
    let (status, d) = match action {
        DossierAction::Duplicate => (
            StatusCode::CREATED,
            app.dossiers.duplicate(&caller, &id).await?,
        ),
        DossierAction::Delete => {
            app.dossiers.delete(&caller, &id).await?;
            return Ok(StatusCode::NO_CONTENT.into_response());
        }
        other => (
            StatusCode::OK,
            app.dossiers
                .act(&caller, &id, other, reason.as_deref())
                .await?,
        ),
    };
    Ok((status, Json(view(&app, &caller, &d))).into_response())
}

/// `GET /dossiers` — right `read`.
async fn list_page(State(app): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    let items = app.dossiers.list(&caller).await?;
    let items: Vec<Value> = items.iter().map(|d| view(&app, &caller, d)).collect();
    let statuses: Vec<Value> = DossierStatus::ALL
        .iter()
        .map(|s| json!({ "code": s.code(), "label": s.label(), "colour": s.colour() }))
        .collect();
    let pending: Vec<Value> = app
        .dossiers
        .pending_regularisations(&caller)
        .await?
        .into_iter()
        .map(|(r, reference)| json!({ "r": r, "reference": reference }))
        .collect();
    let page = json!({ "dossiers": items, "statuses": statuses, "pending": pending });
    Ok(app
        .templates
        .render("dossiers.html", &caller, page)?
        .into_response())
}

#[derive(Debug, Deserialize)]
struct NewQuery {
    #[serde(default)]
    cheque: Option<String>,
    #[serde(default)]
    beneficiary: Option<String>,
}

async fn form_response(
    app: &AppState,
    caller: &Caller,
    action: &str,
    values: Value,
    error: Option<String>,
) -> Result<Response, ApiError> {
    let cat = app.dossiers.catalogue();
    let chosen = values["cheque"].as_str().and_then(|c| cat.cheque(c));
    let own = super::acting_provider(caller).map(|s| s.enterprise_number);
    let known: Vec<Value> = super::records::known_providers(&app.dossiers.pool)
        .await?
        .into_iter()
        .filter(|(n, _)| Some(n) != own.as_ref())
        .map(|(n, name)| json!({ "number": n, "shown": backend_kit::ids::format_enterprise_number(&n), "name": name }))
        .collect();
    let beneficiaries: Vec<Value> = match app.dossiers.beneficiaries(caller).await {
        Ok(all) => all
            .iter()
            .map(|b| json!({ "number": b.enterprise_number, "name": b.name }))
            .collect(),
        Err(_) => Vec::new(),
    };
    let page = json!({
        "catalogue": cat,
        "chosen": chosen,
        "action": action,
        "v": values,
        "known_providers": known,
        "beneficiaries": beneficiaries,
        "today": app.dossiers.today().to_string(),
        "error": error,
    });
    let status = if page["error"].is_null() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok((
        status,
        app.templates.render("dossier_form.html", caller, page)?,
    )
        .into_response())
}

/// `GET /dossiers/new?cheque=CODE&beneficiary=NUMBER` — right `modify`. Pick a cheque,
/// then fill it in (the beneficiary pre-filled from its record when given).
async fn new_page(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    let mut values = json!({ "cheque": q.cheque.unwrap_or_default() });
    if let Some(number) = q.beneficiary.as_deref().filter(|n| !n.is_empty())
        && let Ok(all) = app.dossiers.beneficiaries(&caller).await
        && let Some(b) = all.iter().find(|b| b.enterprise_number == number)
    {
        values["beneficiary_number"] = json!(b.enterprise_number);
        values["beneficiary_name"] = json!(b.name);
    }
    Ok(form_response(&app, &caller, "/dossiers", values, None).await?)
}

/// The form's fields into an input: `description`, or `weight_CODE`/`description_CODE`.
fn input_from_form(app: &AppState, form: &HashMap<String, String>) -> DossierInput {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let cheque = get("cheque");
    let competences = app
        .dossiers
        .catalogue()
        .cheque(&cheque)
        .filter(|c| c.energy)
        .map(|c| {
            c.competences
                .iter()
                .filter_map(|def| {
                    let weight = get(&format!("weight_{}", def.code));
                    let weight: i64 = weight.trim().parse().ok()?;
                    (weight != 0).then(|| Competence {
                        code: def.code.clone(),
                        weight,
                        description: get(&format!("description_{}", def.code)),
                    })
                })
                .collect()
        });
    // A subcontractor known to the platform is picked from a list; one it does not know
    // yet is typed (number and name).
    let known = get("subcontractor_known_number");
    let (subcontractor_number, subcontractor_name) = if known.trim().is_empty() {
        (get("subcontractor_number"), get("subcontractor_name"))
    } else {
        (known, String::new())
    };
    DossierInput {
        beneficiary_number: get("beneficiary_number"),
        beneficiary_name: get("beneficiary_name"),
        cheque,
        description: Some(get("description")),
        competences,
        start_date: Some(get("start_date")),
        subcontractor_number: Some(subcontractor_number),
        subcontractor_name: Some(subcontractor_name),
    }
}

fn check_csrf(
    app: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(), ApiError> {
    let token = form.get("_csrf").map(String::as_str).unwrap_or_default();
    app.templates.csrf().check(caller, headers, token)
}

/// `POST /dossiers` (form) — right `modify`.
async fn create_page(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    check_csrf(&app, &caller, &headers, &form)?;
    let input = input_from_form(&app, &form);
    match app
        .dossiers
        .create(&caller, &input)
        .await
        .map_err(ApiError::from)
    {
        Ok(d) => Ok(
            Redirect::to(&format!("{}/dossiers/{}", app.templates.base(), d.id)).into_response(),
        ),
        Err(e @ (ApiError::Invalid(_) | ApiError::Forbidden(_))) => Ok(form_response(
            &app,
            &caller,
            "/dossiers",
            json!(form),
            Some(e.message_in(caller.lang())),
        )
        .await?),
        Err(e) => Err(e.into()),
    }
}

/// The dossier's page, with an error of the last form next to it.
pub(crate) async fn detail_response(
    app: &AppState,
    caller: &Caller,
    id: &str,
    error: Option<ApiError>,
) -> Result<Response, ApiError> {
    let d = app.dossiers.get(caller, id).await?;
    let history = app.dossiers.events(caller, id).await?;
    let regularisations = app.dossiers.regularisations(caller, id).await?;
    let status = error.as_ref().map_or(StatusCode::OK, ApiError::status_code);
    let page = json!({
        "d": view(app, caller, &d),
        "history": history,
        "regularisations": regularisations,
        "operator": caller.has(RIGHT_PROCESS) && !super::service::is_provider(caller, &d),
        "today": app.dossiers.today().to_string(),
        "error": error.map(|e| e.message_in(caller.lang())),
    });
    Ok((status, app.templates.render("dossier.html", caller, page)?).into_response())
}

/// `GET /dossiers/{id}` — right `read`.
async fn detail_page(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    Ok(detail_response(&app, &caller, &id, None).await?)
}

/// `GET /dossiers/{id}/edit` — right `modify`.
async fn edit_page(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    let d = app.dossiers.get(&caller, &id).await?;
    let mut values = json!({
        "cheque": d.cheque_code,
        "beneficiary_number": d.beneficiary_number,
        "beneficiary_name": d.beneficiary_name,
        "start_date": d.start_date.map(|x| x.to_string()),
    });
    if d.subcontractor_known {
        values["subcontractor_known_number"] = json!(d.subcontractor_number);
    } else {
        values["subcontractor_number"] = json!(d.subcontractor_number);
        values["subcontractor_name"] = json!(d.subcontractor_name);
    }
    for c in &d.competences {
        values["description"] = json!(c.description);
        values[format!("weight_{}", c.code)] = json!(c.weight.to_string());
        values[format!("description_{}", c.code)] = json!(c.description);
    }
    Ok(form_response(&app, &caller, &format!("/dossiers/{id}/edit"), values, None).await?)
}

/// `POST /dossiers/{id}/edit` (form) — right `modify`.
async fn edit_submit(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    check_csrf(&app, &caller, &headers, &form)?;
    let input = input_from_form(&app, &form);
    match app
        .dossiers
        .edit(&caller, &id, &input)
        .await
        .map_err(ApiError::from)
    {
        Ok(d) => Ok(
            Redirect::to(&format!("{}/dossiers/{}", app.templates.base(), d.id)).into_response(),
        ),
        Err(e @ ApiError::Invalid(_)) => Ok(form_response(
            &app,
            &caller,
            &format!("/dossiers/{id}/edit"),
            json!(form),
            Some(e.message_in(caller.lang())),
        )
        .await?),
        Err(e @ ApiError::Conflict { .. }) => {
            Ok(detail_response(&app, &caller, &id, Some(e)).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /dossiers/{id}/{action}` (form) — right `modify` (`process` for take, accept,
/// refuse).
async fn act_page(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    check_csrf(&app, &caller, &headers, &form)?;
    let action = DossierAction::parse(&action).ok_or_else(|| {
        ApiError::not_found(backend_kit::texts::t(caller.lang(), "kit_unknown_action"))
    })?;
    let base = app.templates.base().to_owned();
    let result = match action {
        DossierAction::Delete => app
            .dossiers
            .delete(&caller, &id)
            .await
            .map(|()| format!("{base}/dossiers")),
        DossierAction::Duplicate => app
            .dossiers
            .duplicate(&caller, &id)
            .await
            .map(|d| format!("{base}/dossiers/{}", d.id)),
        other => app
            .dossiers
            .act(&caller, &id, other, form.get("reason").map(String::as_str))
            .await
            .map(|d| format!("{base}/dossiers/{}", d.id)),
    };
    let refusal_in = |e: DossierError| match e {
        DossierError::Transition(t) => {
            let reason = crate::texts::t(caller.lang(), t.reason_key());
            ApiError::conflict(
                "illegal_transition",
                crate::texts::t_args(caller.lang(), "prestations_refusal", &[("reason", &reason)]),
            )
        }
        other => ApiError::from(other),
    };
    match result.map_err(refusal_in) {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict { .. } | ApiError::Forbidden(_))) => {
            Ok(detail_response(&app, &caller, &id, Some(e)).await?)
        }
        Err(e) => Err(e.into()),
    }
}
