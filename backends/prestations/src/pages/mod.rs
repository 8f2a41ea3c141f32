//! HTML pages of prestations (no JavaScript): the to-do page, lists with the exports, a
//! prestation with its history and its action buttons, the 3-month history with the
//! colour legend, the person's number and notices; the encoding form ([`encode`]) and the
//! enterprise's office ([`office`]). Forms post with a CSRF token and redirect (303) to the
//! result; a refused action re-renders the page with the reason next to the form.

mod encode;
mod office;

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

use crate::api::{legend_rows, parse_statuses, view};
use crate::model::Activity;
use crate::registry;
use crate::service::{ActInput, scope_of};
use crate::status::{Action, Status};
use crate::store::{self, ListFilter};
use crate::{AppState, OUTBOX, RIGHT_MANAGE, RIGHT_MODIFY, RIGHT_READ};

pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    ("table.html", include_str!("../../templates/table.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("list.html", include_str!("../../templates/list.html")),
    ("new.html", include_str!("../../templates/new.html")),
    ("detail.html", include_str!("../../templates/detail.html")),
    ("history.html", include_str!("../../templates/history.html")),
    ("me.html", include_str!("../../templates/me.html")),
    ("legend.html", include_str!("../../templates/legend.html")),
    ("labels.html", include_str!("../../templates/labels.html")),
    ("office.html", include_str!("../../templates/office.html")),
    (
        "office_people.html",
        include_str!("../../templates/office_people.html"),
    ),
    (
        "dossiers.html",
        include_str!("../../templates/dossiers.html"),
    ),
    (
        "dossier_form.html",
        include_str!("../../templates/dossier_form.html"),
    ),
    ("dossier.html", include_str!("../../templates/dossier.html")),
    ("cheques.html", include_str!("../../templates/cheques.html")),
    (
        "organisation.html",
        include_str!("../../templates/organisation.html"),
    ),
    (
        "beneficiaries.html",
        include_str!("../../templates/beneficiaries.html"),
    ),
    (
        "organisation_fields.html",
        include_str!("../../templates/organisation_fields.html"),
    ),
];

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/prestations", get(list).post(encode::create))
        .route("/prestations/new", get(encode::new_form))
        .route("/prestations/{id}", get(detail))
        .route("/prestations/{id}/{action}", post(act))
        .route("/history", get(history))
        .route("/me", get(me).post(set_me))
        .merge(office::router())
}

fn views(caller: &Caller, items: &[crate::model::Prestation]) -> Vec<Value> {
    items.iter().map(|p| view(caller, p)).collect()
}

/// `GET /` — right `read`. What waits for the caller, by role: acting as themselves, the
/// prestations performed for them (those still with the worker may be confirmed
/// already); for an enterprise, what they must validate as its worker, and with `manage`
/// what its workers must still validate and what was contested.
async fn home(State(app): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    let me = registry::visit(&app.svc.pool, &caller, app.svc.clock.now_ms()).await?;
    let scope = scope_of(&caller);
    let pick = |statuses: Vec<Status>| ListFilter {
        statuses,
        limit: 200,
        ..ListFilter::default()
    };
    let mut mine = store::list(&app.svc.pool, &scope, &pick(vec![])).await?;
    mine.retain(|p| !p.status.is_final());
    let of = |keep: &dyn Fn(&crate::model::Prestation) -> bool| -> Vec<Value> {
        mine.iter()
            .filter(|p| keep(p))
            .map(|p| view(&caller, p))
            .collect()
    };
    let as_self = caller.0.acts_as_self();
    let sub = caller.sub();
    let office = caller.0.organisation().is_some() && caller.has(RIGHT_MANAGE);
    let page = json!({
        "as_self": as_self,
        "number": me.shown_number(),
        "awaiting_validation": if as_self { of(&|p| p.status.with_the_worker()) } else { vec![] },
        "to_confirm": if as_self { of(&|p| p.status.in_user_stage()) } else { vec![] },
        "to_validate": if as_self { vec![] } else { of(&|p| p.worker_id == sub && p.status == Status::ToValidate) },
        "drafts": if as_self { vec![] } else { of(&|p| p.worker_id == sub && p.status == Status::Encoded) },
        "office_to_validate": if office { of(&|p| p.status == Status::ToValidate) } else { vec![] },
        "office_contested": if office { of(&|p| matches!(p.status, Status::ContestedByWorker | Status::Contested)) } else { vec![] },
        "is_office": office,
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
    let page = json!({
        "prestations": views(&caller, &items),
        "statuses": legend_rows(),
        "as_self": caller.0.acts_as_self(),
        "selected": q.status.unwrap_or_default(),
    });
    Ok(app
        .templates
        .render("list.html", &caller, page)?
        .into_response())
}

pub(crate) fn hours(text: &str) -> Result<f64, ApiError> {
    text.trim()
        .replace(',', ".")
        .parse::<f64>()
        .map_err(|_| ApiError::invalid(crate::texts::refusal("prestations_refusal_hours_number")))
}

pub(crate) fn some(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
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
        "as_user": crate::service::seen_as_user(caller, &p),
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
    let action = Action::parse(&action).ok_or_else(|| {
        ApiError::not_found(backend_kit::texts::t(caller.lang(), "kit_unknown_action"))
    })?;
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
        .map_err(|e| refusal_in(&caller, e))
    {
        Ok(p) => Ok(
            Redirect::to(&format!("{}/prestations/{}", app.templates.base(), p.id)).into_response(),
        ),
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict { .. })) => Ok(detail_page(
            &app,
            &caller,
            &id,
            Some((e.status_code(), e.message_in(caller.lang()))),
        )
        .await?),
        Err(e) => Err(e.into()),
    }
}

/// A refused action as the person reads it: a transition's reason in their language.
fn refusal_in(caller: &Caller, e: crate::service::ServiceError) -> ApiError {
    match e {
        crate::service::ServiceError::Transition(t) => {
            let reason = crate::texts::t(caller.lang(), t.reason_key());
            ApiError::conflict(
                "illegal_transition",
                crate::texts::t_args(caller.lang(), "prestations_refusal", &[("reason", &reason)]),
            )
        }
        other => ApiError::from(other),
    }
}

/// `GET /history` — right `read`. The last 3 months, cancelled prestations excluded.
async fn history(State(app): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    let items = app.svc.history(&caller).await?;
    let page = json!({
        "prestations": views(&caller, &items),
        "statuses": legend_rows(),
        "as_self": caller.0.acts_as_self(),
        "today": app.svc.today().to_string(),
    });
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
    let person = registry::visit(&app.svc.pool, caller, app.svc.clock.now_ms()).await?;
    let notices = OUTBOX.about(&app.svc.pool, caller.sub(), 100).await?;
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = json!({
        "number": person.shown_number(),
        "email": person.email,
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
            Some(crate::texts::t(
                caller.lang(),
                "prestations_error_not_mail_address",
            )),
        )
        .await?);
    }
    let now = app.svc.clock.now_ms();
    let mut tx = app.svc.pool.begin().await?;
    registry::ensure(&mut tx, caller.sub(), caller.name(), now).await?;
    registry::set_own_email(&mut tx, caller.sub(), email.as_deref(), now).await?;
    tx.commit().await?;
    Ok(me_page(
        &app,
        &caller,
        Some(&crate::texts::t(caller.lang(), "prestations_saved")),
        None,
    )
    .await?)
}
