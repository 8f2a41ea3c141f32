//! The audit log of a structure: query and export (CSV or JSON lines).

use axum::Json;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use policy::{Actor, AuditQuery, StructureId, UserId};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AdminState;
use crate::caller::{Caller, Session};
use crate::dto::AuditDto;
use crate::error::{ApiError, ApiResult, ErrorBody};

/// Which events.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct AuditFilter {
    /// Structure id (required unless the caller is an operator).
    structure: Option<String>,
    /// Only events by or about this user id.
    person: Option<String>,
    /// Only events of this action (e.g. `grant.create`).
    action: Option<String>,
    /// From this time (unix ms, inclusive).
    from: Option<i64>,
    /// Until this time (unix ms, exclusive).
    to: Option<i64>,
    /// After this event id (paging).
    after_id: Option<i64>,
    /// At most this many (query only; default 100, at most 1000).
    limit: Option<u32>,
    /// Export format: `csv` (default) or `jsonl`.
    format: Option<String>,
}

/// Who may read which part of the log: the policy's rule
/// ([`policy::Policy::may_read_audit`]): an operator all of it; otherwise the legal
/// representatives and main managers of the structure named.
async fn authorise(st: &AdminState, caller: &Caller, f: &AuditFilter) -> ApiResult<AuditQuery> {
    let structure = f.structure.clone().map(StructureId::from);
    let actor = if caller.operator {
        Actor::operator()
    } else {
        caller.actor()
    };
    st.policy()
        .may_read_audit(&actor, structure.as_ref())
        .await?;
    if let (Some(a), Some(b)) = (f.from, f.to)
        && a > b
    {
        return Err(ApiError::invalid("from", "must not be after `to`"));
    }
    Ok(AuditQuery {
        structure,
        people: f.person.clone().map(|p| vec![UserId::from(p)]),
        action: f.action.clone(),
        from_ms: f.from,
        to_ms: f.to,
        after_id: f.after_id,
        limit: Some(f.limit.unwrap_or(100).clamp(1, 1000)),
    })
}

/// Query the audit log. Needs: operator, or legal representative / main manager of
/// `structure`.
#[utoipa::path(get, path = "/admin/api/audit", tag = "audit", params(AuditFilter),
    responses((status = 200, body = Vec<AuditDto>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn query(
    State(st): State<AdminState>,
    Session(caller): Session,
    Query(f): Query<AuditFilter>,
) -> ApiResult<Json<Vec<AuditDto>>> {
    let q = authorise(&st, &caller, &f).await?;
    let list = st.policy().audit().query(&q).await?;
    Ok(Json(list.into_iter().map(AuditDto::from).collect()))
}

/// Export the audit log (every matching event) as CSV or JSON lines, streamed: the body
/// is read from the database one page at a time as the client takes it. Needs the same
/// as the query.
#[utoipa::path(get, path = "/admin/api/audit/export", tag = "audit", params(AuditFilter),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub(crate) async fn export(
    State(st): State<AdminState>,
    Session(caller): Session,
    Query(f): Query<AuditFilter>,
) -> ApiResult<Response> {
    let mut q = authorise(&st, &caller, &f).await?;
    q.limit = None;
    let log = st.policy().audit();
    let (body, content_type, ext) = match f.format.as_deref().unwrap_or("csv") {
        "csv" => (
            Body::from_stream(log.export_csv(&q)),
            "text/csv; charset=utf-8",
            "csv",
        ),
        "jsonl" => (
            Body::from_stream(log.export_jsonl(&q)),
            "application/x-ndjson",
            "jsonl",
        ),
        _ => return Err(ApiError::invalid("format", "one of csv, jsonl")),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"audit.{ext}\""),
            ),
        ],
        body,
    )
        .into_response())
}
