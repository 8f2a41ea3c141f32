//! Access requests: a person attached to a structure asks for a right; the structure's
//! managers list them, grant them (the ordinary grant decides) or refuse with a reason.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use policy::access::AccessRequestId;
use policy::{PolicyError, StructureId};

use crate::caller::{Mutation, Session};
use crate::dto::{AccessGrantInput, AccessRequestDto, AccessRequestInput, RejectInput};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::{AdminState, Body};

/// Ask for a right (`application/level`) in a structure one is attached to; one
/// pending request per person, structure and right. Needs a session and CSRF.
#[utoipa::path(post, path = "/admin/api/structures/{id}/access-requests", tag = "access",
    params(("id" = String, Path, description = "Structure id")), request_body = AccessRequestInput,
    responses((status = 201, body = AccessRequestDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn create(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(input): Body<AccessRequestInput>,
) -> ApiResult<(StatusCode, Json<AccessRequestDto>)> {
    let Some((application, level)) = input.right.split_once('/') else {
        return Err(ApiError::invalid(
            "right",
            "write the right as application/level",
        ));
    };
    let r = st
        .policy()
        .request_access(
            &caller.actor(),
            &StructureId::from(id),
            application,
            level,
            input.comment.as_deref(),
        )
        .await
        .map_err(|e| match e {
            PolicyError::NotFound { what: "right" } => ApiError::invalid("right", "unknown right"),
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

/// The pending access requests of a structure the caller may decide. Needs: main
/// manager; local manager (requests of people attached within their services).
#[utoipa::path(get, path = "/admin/api/structures/{id}/access-requests", tag = "access",
    params(("id" = String, Path, description = "Structure id")),
    responses((status = 200, body = Vec<AccessRequestDto>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn list(
    State(st): State<AdminState>,
    Session(caller): Session,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<AccessRequestDto>>> {
    let list = st
        .policy()
        .access_requests(&caller.actor(), &StructureId::from(id))
        .await?;
    Ok(Json(list.into_iter().map(AccessRequestDto::from).collect()))
}

/// Grant a pending access request: the right asked for, to the requester, over their
/// attachment, until `valid_until`; the ordinary grant rules apply. Needs: may decide
/// it (never one's own), and CSRF.
#[utoipa::path(post, path = "/admin/api/access-requests/{id}/grant", tag = "access",
    params(("id" = String, Path, description = "Access request id")), request_body = AccessGrantInput,
    responses((status = 200, body = AccessRequestDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn grant(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(input): Body<AccessGrantInput>,
) -> ApiResult<Json<AccessRequestDto>> {
    let actor = caller.actor();
    let id = AccessRequestId::from(id);
    let request = st.policy().access_request(&actor, &id).await?;
    let scope = st
        .policy()
        .attachment(&request.structure_id, &request.user_id)
        .await?
        .map_or(policy::Scope::Structure, |a| a.scope);
    let (done, _) = st
        .policy()
        .grant_access_request(&actor, &id, &scope, input.valid_until)
        .await?;
    Ok(Json(done.into()))
}

/// Refuse a pending access request, saying why. Needs: may decide it, and CSRF.
#[utoipa::path(post, path = "/admin/api/access-requests/{id}/refuse", tag = "access",
    params(("id" = String, Path, description = "Access request id")), request_body = RejectInput,
    responses((status = 200, body = AccessRequestDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn refuse(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(input): Body<RejectInput>,
) -> ApiResult<Json<AccessRequestDto>> {
    let actor = caller.actor();
    let id = AccessRequestId::from(id);
    st.policy().access_request(&actor, &id).await?;
    if input.reason.trim().is_empty() {
        return Err(ApiError::invalid("reason", "a reason is mandatory"));
    }
    let done = st
        .policy()
        .refuse_access_request(&actor, &id, &input.reason)
        .await?;
    Ok(Json(done.into()))
}
