//! Routes of the regularisations: the provider's request (a `multipart/form-data` form
//! with the CSRF token, the reason and the proof file, or the same body from an API
//! client), the proof's download, and the operator's decision (a form or JSON).

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use backend_kit::error::PageError;
use backend_kit::{ApiError, Caller};
use serde_json::{Value, json};

use super::regularisation::{Decision, MAX_PROOF_BYTES, Proof};
use crate::{AppState, RIGHT_MODIFY, RIGHT_READ};

pub(crate) fn router() -> Router<AppState> {
    // The proof may be larger than the default body limit; a little room for the fields.
    let limit = DefaultBodyLimit::max(MAX_PROOF_BYTES + 64 * 1024);
    Router::new()
        .route(
            "/api/dossiers/{id}/regularisations",
            get(list).post(api_request).layer(limit),
        )
        .route(
            "/api/dossiers/{id}/regularisations/{rid}/decide",
            post(api_decide),
        )
        .route(
            "/dossiers/{id}/regularisations",
            post(page_request).layer(limit),
        )
        .route("/dossiers/{id}/regularisations/{rid}/proof", get(proof))
        .route(
            "/dossiers/{id}/regularisations/{rid}/decide",
            post(page_decide),
        )
}

/// The fields of a request: CSRF token, reason and proof.
#[derive(Default)]
struct RequestForm {
    csrf: String,
    reason: Option<String>,
    proof: Option<Proof>,
}

async fn read_form(mut multipart: Multipart) -> Result<RequestForm, ApiError> {
    let bad = |_| ApiError::invalid(crate::texts::refusal("prestations_refusal_form_unreadable"));
    let mut form = RequestForm::default();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "_csrf" => form.csrf = field.text().await.map_err(bad)?,
            "reason" => form.reason = Some(field.text().await.map_err(bad)?),
            "proof" => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(bad)?;
                form.proof = Some(Proof {
                    name,
                    bytes: bytes.to_vec(),
                });
            }
            _ => {}
        }
    }
    Ok(form)
}

/// `GET /api/dossiers/{id}/regularisations` — right `read`.
async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_READ)?;
    let all = app.dossiers.regularisations(&caller, &id).await?;
    Ok(Json(json!({ "regularisations": all })))
}

/// `POST /api/dossiers/{id}/regularisations` (multipart: `reason`, `proof`) — right
/// `modify`, the dossier's provider.
async fn api_request(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let form = read_form(multipart).await?;
    let r = app
        .dossiers
        .request_regularisation(&caller, &id, form.reason.as_deref(), form.proof)
        .await?;
    Ok((StatusCode::CREATED, Json(json!(r))))
}

/// `POST /dossiers/{id}/regularisations` (multipart form: `_csrf`, `reason`, `proof`) —
/// right `modify`, the dossier's provider.
async fn page_request(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    let form = read_form(multipart).await?;
    app.templates.csrf().check(&caller, &headers, &form.csrf)?;
    match app
        .dossiers
        .request_regularisation(&caller, &id, form.reason.as_deref(), form.proof)
        .await
        .map_err(ApiError::from)
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("{}/dossiers/{id}", app.templates.base())).into_response())
        }
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict { .. } | ApiError::Forbidden(_))) => {
            Ok(super::http::detail_response(&app, &caller, &id, Some(e)).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /dossiers/{id}/regularisations/{rid}/proof` — right `read`, the dossier's
/// provider or an operator. Always a download, never shown inline.
async fn proof(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, rid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    caller.require(RIGHT_READ)?;
    let (name, kind, bytes) = app.dossiers.proof(&caller, &id, &rid).await?;
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&kind)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CONTENT_DISPOSITION, disposition);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

/// `POST /api/dossiers/{id}/regularisations/{rid}/decide` `{"decision": "grant"|"refuse",
/// "until", "note"}` — rights `modify` and `process`.
async fn api_decide(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, rid)): Path<(String, String)>,
    Json(decision): Json<Decision>,
) -> Result<Json<Value>, ApiError> {
    caller.require(RIGHT_MODIFY)?;
    let r = app
        .dossiers
        .decide_regularisation(&caller, &id, &rid, &decision)
        .await?;
    Ok(Json(json!(r)))
}

#[derive(Debug, Default, serde::Deserialize)]
struct DecideForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    until: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// `POST /dossiers/{id}/regularisations/{rid}/decide` (form: `decision`, `until`, `note`)
/// — rights `modify` and `process`.
async fn page_decide(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, rid)): Path<(String, String)>,
    Form(f): Form<DecideForm>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    app.templates.csrf().check(&caller, &headers, &f.csrf)?;
    let decision = Decision {
        decision: f.decision,
        until: f.until,
        note: f.note,
    };
    match app
        .dossiers
        .decide_regularisation(&caller, &id, &rid, &decision)
        .await
        .map_err(ApiError::from)
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("{}/dossiers/{id}", app.templates.base())).into_response())
        }
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict { .. } | ApiError::Forbidden(_))) => {
            Ok(super::http::detail_response(&app, &caller, &id, Some(e)).await?)
        }
        Err(e) => Err(e.into()),
    }
}
