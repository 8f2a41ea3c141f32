//! Grants (habilitations): grant, revoke, renew, list; and the catalogue of rights.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use policy::grants::GrantRequest;
use policy::{GrantId, PolicyError, Right, StructureId, Subject};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::caller::{Mutation, Session};
use crate::dto::{GrantDto, GrantInput, RenewInput, RightDto};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::{AdminState, Body, scope_of};

/// The catalogue of rights. Needs a session.
#[utoipa::path(get, path = "/admin/api/rights", tag = "grants",
    responses((status = 200, body = Vec<RightDto>), (status = 401, body = ErrorBody)))]
pub(crate) async fn catalogue(
    State(st): State<AdminState>,
    Session(_): Session,
) -> ApiResult<Json<Vec<RightDto>>> {
    let list = st.policy().catalogue().await?;
    Ok(Json(
        list.into_iter()
            .map(|r| RightDto {
                right: format!("{}/{}", r.application, r.level),
                label: r.label,
            })
            .collect(),
    ))
}

/// Filter of a grant list.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct GrantFilter {
    /// Only the grants of this user id.
    person: Option<String>,
}

/// The valid grants of a structure, as far as the caller manages it. Needs: legal
/// representative or manager of the structure.
#[utoipa::path(get, path = "/admin/api/structures/{id}/grants", tag = "grants",
    params(("id" = String, Path, description = "Structure id"), GrantFilter),
    responses((status = 200, body = Vec<GrantDto>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn list(
    State(st): State<AdminState>,
    Session(caller): Session,
    Path(id): Path<String>,
    Query(filter): Query<GrantFilter>,
) -> ApiResult<Json<Vec<GrantDto>>> {
    let list = st
        .policy()
        .grants_in(&caller.actor(), &StructureId::from(id))
        .await?;
    let wanted = filter.person.map(|p| Subject::User(p.into()));
    Ok(Json(
        list.into_iter()
            .filter(|g| wanted.as_ref().is_none_or(|w| &g.holder == w))
            .map(GrantDto::from)
            .collect(),
    ))
}

async fn right(st: &AdminState, name: &str) -> ApiResult<Right> {
    let Some((application, level)) = name.split_once('/') else {
        return Err(ApiError::invalid(
            "rights",
            "write each right as application/level",
        ));
    };
    st.policy()
        .right_by_name(application, level)
        .await
        .map_err(|e| match e {
            PolicyError::NotFound { .. } => ApiError::invalid("rights", "unknown right"),
            other => other.into(),
        })
}

/// Grant rights to a collaborator (found by user id, national register number or
/// email), on the whole structure or some services, optionally until `valid_until`.
/// Needs: main manager; or local manager inside their services, granting only rights
/// they hold there, valid now and not for longer; and CSRF. All rights are checked
/// before any is granted.
#[utoipa::path(post, path = "/admin/api/structures/{id}/grants", tag = "grants",
    params(("id" = String, Path, description = "Structure id")), request_body = GrantInput,
    responses((status = 201, body = Vec<GrantDto>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub(crate) async fn grant(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(input): Body<GrantInput>,
) -> ApiResult<(StatusCode, Json<Vec<GrantDto>>)> {
    let structure = StructureId::from(id);
    let actor = caller.actor();
    st.policy().may_read(&actor, &structure).await?;
    if input.rights.is_empty() {
        return Err(ApiError::invalid("rights", "give at least one right"));
    }
    if input.valid_until.is_some_and(|v| v <= st.policy().now_ms()) {
        return Err(ApiError::invalid("valid_until", "must be in the future"));
    }
    let scope = scope_of(input.services.as_deref(), "services")?;
    let subject = st.subject(&input.person, "person").await?;
    let mut requests = Vec::with_capacity(input.rights.len());
    for name in &input.rights {
        let r = right(&st, name).await?;
        st.policy()
            .may_grant(&actor, &structure, &r.id, &scope, input.valid_until)
            .await?;
        requests.push(GrantRequest {
            structure: structure.clone(),
            subject: subject.clone(),
            right: r.id,
            scope: scope.clone(),
            valid_until: input.valid_until,
        });
    }
    let mut out = Vec::with_capacity(requests.len());
    for req in &requests {
        out.push(st.policy().grant(&actor, req).await?.into());
    }
    Ok((StatusCode::CREATED, Json(out)))
}

/// Revoke a grant. Needs: main manager; or local manager inside their services; and
/// CSRF.
#[utoipa::path(post, path = "/admin/api/grants/{id}/revoke", tag = "grants",
    params(("id" = String, Path, description = "Grant id")),
    responses((status = 200, body = GrantDto), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub(crate) async fn revoke(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
) -> ApiResult<Json<GrantDto>> {
    let g = st
        .policy()
        .revoke(&caller.actor(), &GrantId::from(id))
        .await?;
    Ok(Json(g.into()))
}

/// Renew a grant with a new end of validity. Needs the same as granting it, and CSRF.
#[utoipa::path(post, path = "/admin/api/grants/{id}/renew", tag = "grants",
    params(("id" = String, Path, description = "Grant id")), request_body = RenewInput,
    responses((status = 200, body = GrantDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn renew(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(input): Body<RenewInput>,
) -> ApiResult<Json<GrantDto>> {
    let g = st
        .policy()
        .renew(&caller.actor(), &GrantId::from(id), input.valid_until)
        .await?;
    Ok(Json(g.into()))
}

/// Change a grant's access level to another level of the same application (`right`:
/// `application/level`). Needs: revoking the grant and granting the new level, and CSRF.
#[utoipa::path(post, path = "/admin/api/grants/{id}/level", tag = "grants",
    params(("id" = String, Path, description = "Grant id")), request_body = LevelInput,
    responses((status = 200, body = GrantDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn level(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(input): Body<LevelInput>,
) -> ApiResult<Json<GrantDto>> {
    let r = right(&st, &input.right).await?;
    let g = st
        .policy()
        .change_level(&caller.actor(), &GrantId::from(id), &r.id)
        .await?;
    Ok(Json(g.into()))
}

/// A grant's new level.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelInput {
    /// The new right, `application/level`, of the grant's application.
    pub right: String,
}
