//! The enterprise's office pages (rights `read`/`modify` and `manage`, acting for the
//! enterprise): where its notices go, the prestations its workers must still validate and
//! the contested ones, the mails it was sent; its clients and workers, added by
//! voucher-user number, with the email it may set for a worker who has not set their own.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use backend_kit::error::PageError;
use backend_kit::{ApiError, Caller};
use serde_json::{Value, json};

use crate::api::{PeopleQuery, role_of, view};
use crate::enterprise::{self, office_of};
use crate::registry::Role;
use crate::{AppState, OUTBOX, RIGHT_MODIFY, RIGHT_READ};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprise", get(office).post(set_email))
        .route("/enterprise/people", get(people).post(add_person))
        .route("/enterprise/workers/{number}/email", post(set_worker_email))
}

type Fields = HashMap<String, String>;

fn text(f: &Fields, k: &str) -> Option<String> {
    f.get(k)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

fn check(app: &AppState, caller: &Caller, headers: &HeaderMap, f: &Fields) -> Result<(), ApiError> {
    let token = f.get("_csrf").map(String::as_str).unwrap_or_default();
    app.templates.csrf().check(caller, headers, token)
}

async fn office_page(
    app: &AppState,
    caller: &Caller,
    notice: Option<&str>,
    error: Option<String>,
) -> Result<Response, ApiError> {
    let structure = office_of(caller)?;
    let settings = enterprise::settings(&app.svc.pool, structure).await?;
    let pending = enterprise::pending(&app.svc.pool, &structure.id).await?;
    let notices = OUTBOX
        .about(&app.svc.pool, &enterprise::about(&structure.id), 50)
        .await?;
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = json!({
        "settings": settings,
        "to_validate": pending.to_validate.iter().map(|p| view(caller, p)).collect::<Vec<_>>(),
        "contested": pending.contested.iter().map(|p| view(caller, p)).collect::<Vec<_>>(),
        "notices": notices,
        "notice": notice,
        "error": error,
    });
    Ok((status, app.templates.render("office.html", caller, page)?).into_response())
}

/// `GET /enterprise` — rights `read` and `manage`.
async fn office(State(app): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    Ok(office_page(&app, &caller, None, None).await?)
}

/// `POST /enterprise` (form: `email`) — rights `modify` and `manage`.
async fn set_email(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    check(&app, &caller, &headers, &f)?;
    let structure = office_of(&caller).map_err(ApiError::from)?;
    let email = text(&f, "email");
    if let Some(e) = &email
        && !backend_kit::outbox::is_mail_address(e)
    {
        let message = crate::texts::t(caller.lang(), "prestations_error_not_mail_address");
        return Ok(office_page(&app, &caller, None, Some(message)).await?);
    }
    enterprise::set_email(
        &app.svc.pool,
        structure,
        email.as_deref(),
        caller.lang(),
        app.svc.clock.now_ms(),
    )
    .await?;
    Ok(office_page(
        &app,
        &caller,
        Some(&crate::texts::t(caller.lang(), "prestations_saved")),
        None,
    )
    .await?)
}

async fn people_page(
    app: &AppState,
    caller: &Caller,
    role: Role,
    query: &str,
    error: Option<(&str, String)>,
) -> Result<Response, ApiError> {
    let (found, search_error) = match enterprise::people(&app.svc.pool, caller, role, query).await {
        Ok(found) => (found, None),
        Err(crate::service::ServiceError::Invalid(m)) => {
            (Vec::new(), Some(m.in_lang(caller.lang())))
        }
        Err(e) => return Err(e.into()),
    };
    let rows: Vec<Value> = found
        .iter()
        .map(|r| {
            json!({
                "name": r.person.name,
                "number": r.shown_number,
                "enterprise_email": r.enterprise_email,
                "email_self_set": r.person.email_self_set,
            })
        })
        .collect();
    let status = error
        .as_ref()
        .map_or(StatusCode::OK, |_| StatusCode::BAD_REQUEST);
    let (error_field, error) = match error {
        Some((field, message)) => (Some(field), Some(message)),
        None => (None, None),
    };
    let page = json!({
        "role": role,
        "q": query,
        "rows": rows,
        "search_error": search_error,
        "error": error,
        "error_field": error_field,
    });
    Ok((
        status,
        app.templates.render("office_people.html", caller, page)?,
    )
        .into_response())
}

/// `GET /enterprise/people?role=client|worker&q=` — rights `read` and `manage`.
async fn people(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<PeopleQuery>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    office_of(&caller).map_err(ApiError::from)?;
    let role = role_of(q.role.as_deref())?;
    Ok(people_page(
        &app,
        &caller,
        role,
        q.q.as_deref().unwrap_or_default(),
        None,
    )
    .await?)
}

fn back_to(app: &AppState, role: Role) -> Response {
    Redirect::to(&format!(
        "{}/enterprise/people?role={}",
        app.templates.base(),
        role.code()
    ))
    .into_response()
}

/// `POST /enterprise/people` (form: `number`, `role`) — rights `modify` and `manage`.
async fn add_person(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    check(&app, &caller, &headers, &f)?;
    let role = role_of(f.get("role").map(String::as_str))?;
    let number = text(&f, "number").unwrap_or_default();
    match enterprise::add_person(
        &app.svc.pool,
        &caller,
        &number,
        role,
        app.svc.clock.now_ms(),
    )
    .await
    {
        Ok(_) => Ok(back_to(&app, role)),
        Err(crate::service::ServiceError::Invalid(m)) => {
            let m = m.in_lang(caller.lang());
            Ok(people_page(&app, &caller, role, "", Some(("number", m))).await?)
        }
        Err(e) => Err(ApiError::from(e).into()),
    }
}

/// `POST /enterprise/workers/{number}/email` (form: `email`) — rights `modify` and
/// `manage`; refused once the worker set their own email.
async fn set_worker_email(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(number): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    check(&app, &caller, &headers, &f)?;
    let email = text(&f, "email");
    match enterprise::set_worker_email(
        &app.svc.pool,
        &caller,
        &number,
        email.as_deref(),
        app.svc.clock.now_ms(),
    )
    .await
    {
        Ok(_) => Ok(back_to(&app, Role::Worker)),
        Err(crate::service::ServiceError::Invalid(m)) => {
            let m = m.in_lang(caller.lang());
            Ok(people_page(&app, &caller, Role::Worker, "", Some(("email", m))).await?)
        }
        Err(e) => Err(ApiError::from(e).into()),
    }
}
