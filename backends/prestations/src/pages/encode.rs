//! The encoding form. The client (and, for the office, the worker) is picked from a list
//! that a search form fills without JavaScript: a `GET` with a name or a voucher-user
//! number, then radio buttons whose values are voucher-user numbers, never opaque ids. A
//! name is searched among the enterprise's own clients (or workers); a number finds the
//! one person who has it. A refused encoding re-renders the form with the reason next to
//! its field and summarised at the top.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use backend_kit::error::PageError;
use backend_kit::{ApiError, Caller};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{hours, some};
use crate::model::Activity;
use crate::registry::{self, Role};
use crate::service::EncodeInput;
use crate::{AppState, RIGHT_MANAGE, RIGHT_MODIFY};

/// What the search asked.
#[derive(Debug, Default, Deserialize)]
pub(super) struct SearchQuery {
    /// Client: a name or a number.
    #[serde(default)]
    q: String,
    /// Worker (office only): a name or a number; empty: the caller.
    #[serde(default)]
    wq: String,
}

/// The form as posted.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
pub(super) struct EncodeForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    user_number: String,
    #[serde(default)]
    worker_number: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    activity: String,
    #[serde(default)]
    send: Option<String>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    wq: String,
}

/// The field a refusal is about, from its words (the service speaks of the client, the
/// worker, the date, the hours or the activity).
fn field_of(message: &str) -> &'static str {
    let m = message.to_lowercase();
    if m.contains("worker and the user") {
        "general"
    } else if m.contains("client") {
        "user_number"
    } else if m.contains("worker") {
        "worker_number"
    } else if m.contains("date") {
        "date"
    } else if m.contains("hour") {
        "hours"
    } else if m.contains("activity") {
        "activity"
    } else {
        "general"
    }
}

async fn found(
    app: &AppState,
    lang: i18n::Lang,
    structure_id: &str,
    role: Role,
    query: &str,
) -> Result<(Vec<Value>, Option<String>), ApiError> {
    let result = registry::search(&app.svc.pool, structure_id, role, query).await?;
    Ok(match result {
        Ok(people) => (
            people
                .iter()
                .map(|r| json!({ "name": r.person.name, "number": r.shown_number }))
                .collect(),
            None,
        ),
        Err(e) => (Vec::new(), Some(e.text(None).in_lang(lang))),
    })
}

async fn form_page(
    app: &AppState,
    caller: &Caller,
    search: &SearchQuery,
    values: Value,
    error: Option<String>,
) -> Result<Response, ApiError> {
    let structure = caller.structure()?;
    let office = caller.has(RIGHT_MANAGE);
    let (clients, q_error) =
        found(app, caller.lang(), &structure.id, Role::Client, &search.q).await?;
    let (workers, wq_error) = if office && !search.wq.trim().is_empty() {
        found(app, caller.lang(), &structure.id, Role::Worker, &search.wq).await?
    } else {
        (Vec::new(), None)
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
    let field = error.as_deref().map(field_of);
    let page = json!({
        "activities": activities,
        "clients": clients,
        "workers": workers,
        "q": search.q,
        "wq": search.wq,
        "q_error": q_error,
        "wq_error": wq_error,
        "is_office": office,
        "today": app.svc.today().to_string(),
        "v": values,
        "error": error,
        "error_field": field,
    });
    Ok((status, app.templates.render("new.html", caller, page)?).into_response())
}

/// `GET /prestations/new?q=&wq=` — right `modify`, acting for an enterprise. The form with
/// the clients found (all the enterprise's clients when nothing is searched).
pub(super) async fn new_form(
    State(app): State<AppState>,
    caller: Caller,
    Query(search): Query<SearchQuery>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    let today = app.svc.today().to_string();
    let values = json!({ "date": today, "hours": "3" });
    Ok(form_page(&app, &caller, &search, values, None).await?)
}

/// `POST /prestations` (form) — right `modify` (`manage` for another worker).
pub(super) async fn create(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<EncodeForm>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    app.templates.csrf().check(&caller, &headers, &form.csrf)?;
    let input = if form.user_number.trim().is_empty() {
        Err(ApiError::invalid(crate::texts::refusal(
            "prestations_refusal_choose_client",
        )))
    } else {
        hours(&form.hours).map(|h| EncodeInput {
            worker_number: some(&form.worker_number),
            user_number: form.user_number.clone(),
            date: form.date.clone(),
            hours: h,
            activity: form.activity.clone(),
            send: form.send.is_some(),
        })
    };
    let result = match input {
        Ok(input) => app.svc.encode(&caller, input).await.map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => Ok(
            Redirect::to(&format!("{}/prestations/{}", app.templates.base(), p.id)).into_response(),
        ),
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict { .. })) => {
            let values = serde_json::to_value(&form).map_err(ApiError::internal)?;
            let search = SearchQuery {
                q: form.q.clone(),
                wq: form.wq.clone(),
            };
            let message = e.message_in(caller.lang());
            Ok(form_page(&app, &caller, &search, values, Some(message)).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn refusals_land_next_to_their_field() {
        assert_eq!(
            field_of("client: a voucher-user number has 10 digits"),
            "user_number"
        );
        assert_eq!(
            field_of("no worker has the voucher-user number 1"),
            "worker_number"
        );
        assert_eq!(field_of("date must be a date as YYYY-MM-DD"), "date");
        assert_eq!(field_of("a prestation lasts at most 12 hours"), "hours");
        assert_eq!(field_of("unknown activity"), "activity");
        assert_eq!(
            field_of("the worker and the user must be different people"),
            "general"
        );
    }
}
