//! Structures: search and directory information (open to any logged-in person: it is
//! how they find where to ask for an attachment), members and legal representatives
//! (their managers only), and the register import (operators only).

use axum::Json;
use axum::extract::{Path, Query, State};
use policy::{Actor, StructureId};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AdminState;
use crate::caller::{Mutation, Session};
use crate::dto::{ImportReportDto, MemberDto, RepresentativeDto, ServiceDto, StructureDto};
use crate::error::{ApiError, ApiResult, ErrorBody};

/// Search text.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct SearchQuery {
    /// Enterprise number (full or at least 3 digits), legal or common name (2 to 100
    /// characters).
    q: String,
    /// At most this many (1 to 100, default 20).
    limit: Option<u32>,
}

/// Search structures by number, legal name or common name. Needs a session.
#[utoipa::path(get, path = "/admin/api/structures", tag = "structures", params(SearchQuery),
    responses((status = 200, body = Vec<StructureDto>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub(crate) async fn search(
    State(st): State<AdminState>,
    Session(_): Session,
    Query(q): Query<SearchQuery>,
) -> ApiResult<Json<Vec<StructureDto>>> {
    let list = st
        .policy()
        .search_structures(&q.q, q.limit.unwrap_or(20))
        .await
        .map_err(|e| match e {
            policy::PolicyError::Invalid(m) => ApiError::invalid("q", m),
            other => other.into(),
        })?;
    Ok(Json(list.into_iter().map(StructureDto::from).collect()))
}

/// One structure. Needs a session.
#[utoipa::path(get, path = "/admin/api/structures/{id}", tag = "structures",
    params(("id" = String, Path, description = "Structure id")),
    responses((status = 200, body = StructureDto), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub(crate) async fn get_one(
    State(st): State<AdminState>,
    Session(_): Session,
    Path(id): Path<String>,
) -> ApiResult<Json<StructureDto>> {
    let s = st.policy().structure(&StructureId::from(id)).await?;
    Ok(Json(s.into()))
}

/// The services of a structure. Needs a session.
#[utoipa::path(get, path = "/admin/api/structures/{id}/services", tag = "structures",
    params(("id" = String, Path, description = "Structure id")),
    responses((status = 200, body = Vec<ServiceDto>), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub(crate) async fn services(
    State(st): State<AdminState>,
    Session(_): Session,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ServiceDto>>> {
    let id = StructureId::from(id);
    st.policy().structure(&id).await?;
    let list = st.policy().services(&id).await?;
    Ok(Json(list.into_iter().map(ServiceDto::from).collect()))
}

/// The people attached to a structure. Needs: legal representative or main manager;
/// a local manager sees the people of their services.
#[utoipa::path(get, path = "/admin/api/structures/{id}/members", tag = "structures",
    params(("id" = String, Path, description = "Structure id")),
    responses((status = 200, body = Vec<MemberDto>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn members(
    State(st): State<AdminState>,
    Session(caller): Session,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<MemberDto>>> {
    let list = st
        .policy()
        .members(&caller.actor(), &StructureId::from(id))
        .await?;
    Ok(Json(list.into_iter().map(MemberDto::from).collect()))
}

/// The legal representatives of a structure. Needs: legal representative or manager of
/// the structure.
#[utoipa::path(get, path = "/admin/api/structures/{id}/representatives", tag = "representatives",
    params(("id" = String, Path, description = "Structure id")),
    responses((status = 200, body = Vec<RepresentativeDto>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn representatives(
    State(st): State<AdminState>,
    Session(caller): Session,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<RepresentativeDto>>> {
    let list = st
        .policy()
        .representatives(&caller.actor(), &StructureId::from(id))
        .await?;
    Ok(Json(
        list.into_iter().map(RepresentativeDto::from).collect(),
    ))
}

/// Import legal representatives from a company-register extract (CSV, `;`-separated:
/// `enterprise_number;organisation_name;function;national_number;start_date`). Needs: operator
/// (`[admin] operators`) and CSRF.
#[utoipa::path(post, path = "/admin/api/representatives/import", tag = "representatives",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReportDto), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub(crate) async fn import(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    body: String,
) -> ApiResult<Json<ImportReportDto>> {
    if !caller.operator {
        return Err(ApiError::forbidden(
            "only a platform operator imports the company register",
        ));
    }
    if body.trim().is_empty() {
        return Err(ApiError::invalid("body", "the extract is empty"));
    }
    let report =
        import_register(st.policy(), &st.inner.nrn_key, &caller, &body, "admin_api").await?;
    Ok(Json(ImportReportDto {
        lines: report.lines,
        inserted: report.inserted,
        updated: report.updated,
        unchanged: report.unchanged,
        structures_created: report.structures_created,
        errors: report
            .errors
            .into_iter()
            .map(|e| format!("{}: {}", e.line, e.reason))
            .collect(),
    }))
}

/// Import a register extract for an operator `caller` (the API's handler and the
/// host's console page both call this): the policy's import as the operator actor
/// with the request's address, then one audit event naming the operator and where the
/// import came from (`via`). The caller must have checked that `caller` is an operator.
pub async fn import_register(
    policy: &policy::Policy,
    nrn_key: &[u8],
    caller: &crate::Caller,
    body: &str,
    via: &str,
) -> Result<policy::representatives::ImportReport, policy::PolicyError> {
    if body.trim().is_empty() {
        return Err(policy::PolicyError::Invalid(
            "the extract is empty".to_owned(),
        ));
    }
    // The policy's operator actor, with the request's address; who the operator is goes
    // in the audit event written below.
    let op = Actor {
        user_id: None,
        ip: caller.ip.clone(),
    };
    let report = policy.import_representatives(&op, body, nrn_key).await?;
    policy
        .audit()
        .record(policy::AuditEvent {
            actor: Some(caller.user_id.as_str().into()),
            action: policy::audit::actions::REPRESENTATIVE_IMPORT.to_owned(),
            target: "register".to_owned(),
            structure: None,
            ip: caller.ip.clone(),
            detail: serde_json::json!({
                "via": via, "session": caller.session_id, "lines": report.lines,
                "inserted": report.inserted, "updated": report.updated,
                "errors": report.errors.len(),
            }),
        })
        .await?;
    Ok(report)
}
