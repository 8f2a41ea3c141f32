//! Attachment requests: ask (comment mandatory), list, approve or reject with a reason;
//! and detaching oneself.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use policy::{Decision, RequestId, RequestStatus, ServiceId, StructureId};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::caller::{Mutation, Session};
use crate::dto::{ApproveInput, DetachInput, RejectInput, RequestDto, RequestInput};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::{AdminState, Body, scope_of};

/// Ask to be attached to a structure or some of its services. Needs a session and CSRF.
#[utoipa::path(post, path = "/admin/api/structures/{id}/attachment-requests", tag = "attachments",
    params(("id" = String, Path, description = "Structure id")), request_body = RequestInput,
    responses((status = 201, body = RequestDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn create(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(input): Body<RequestInput>,
) -> ApiResult<(StatusCode, Json<RequestDto>)> {
    if input.comment.trim().is_empty() {
        return Err(ApiError::invalid("comment", "a comment is mandatory"));
    }
    let scope = scope_of(input.services.as_deref(), "services")?;
    let r = st
        .policy()
        .request_attachment(
            &caller.actor(),
            &StructureId::from(id),
            &scope,
            &input.comment,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

/// Filter of a request list.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct RequestFilter {
    /// `pending` (default), `approved`, `rejected` or `all`.
    status: Option<String>,
}

/// The attachment requests of a structure the caller may decide. Needs: main manager;
/// local manager or `access/manage-attachments` holder (requests inside their services).
#[utoipa::path(get, path = "/admin/api/structures/{id}/attachment-requests", tag = "attachments",
    params(("id" = String, Path, description = "Structure id"), RequestFilter),
    responses((status = 200, body = Vec<RequestDto>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn list(
    State(st): State<AdminState>,
    Session(caller): Session,
    Path(id): Path<String>,
    Query(filter): Query<RequestFilter>,
) -> ApiResult<Json<Vec<RequestDto>>> {
    let status = match filter.status.as_deref().unwrap_or("pending") {
        "pending" => Some(RequestStatus::Pending),
        "approved" => Some(RequestStatus::Approved),
        "rejected" => Some(RequestStatus::Rejected),
        "all" => None,
        _ => {
            return Err(ApiError::invalid(
                "status",
                "one of pending, approved, rejected, all",
            ));
        }
    };
    let list = st
        .policy()
        .attachment_requests(&caller.actor(), &StructureId::from(id), status)
        .await?;
    Ok(Json(list.into_iter().map(RequestDto::from).collect()))
}

/// Approve a pending request (attaching the requester). Needs: may decide it (never
/// one's own), and CSRF.
#[utoipa::path(post, path = "/admin/api/attachment-requests/{id}/approve", tag = "attachments",
    params(("id" = String, Path, description = "Request id")), request_body = ApproveInput,
    responses((status = 200, body = RequestDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn approve(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(input): Body<ApproveInput>,
) -> ApiResult<Json<RequestDto>> {
    let actor = caller.actor();
    let id = RequestId::from(id);
    let r = match input.services {
        None => {
            st.policy()
                .decide_attachment_request(
                    &actor,
                    &id,
                    &Decision::Approve {
                        reason: input.reason,
                    },
                )
                .await?
        }
        Some(list) => {
            st.policy().may_decide_request(&actor, &id).await?;
            let scope = if list.is_empty() {
                policy::Scope::Structure
            } else {
                scope_of(Some(&list), "services")?
            };
            st.policy()
                .approve_attachment_request(&actor, &id, &scope, input.reason)
                .await?
        }
    };
    Ok(Json(r.into()))
}

/// Reject a pending request, saying why. Needs: may decide it, and CSRF.
#[utoipa::path(post, path = "/admin/api/attachment-requests/{id}/reject", tag = "attachments",
    params(("id" = String, Path, description = "Request id")), request_body = RejectInput,
    responses((status = 200, body = RequestDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn reject(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(input): Body<RejectInput>,
) -> ApiResult<Json<RequestDto>> {
    let actor = caller.actor();
    let id = RequestId::from(id);
    st.policy().may_decide_request(&actor, &id).await?;
    if input.reason.trim().is_empty() {
        return Err(ApiError::invalid("reason", "a reason is mandatory"));
    }
    let r = st
        .policy()
        .decide_attachment_request(
            &actor,
            &id,
            &Decision::Reject {
                reason: input.reason,
            },
        )
        .await?;
    Ok(Json(r.into()))
}

/// Detach oneself from a structure, or from some of its services (grants there go too;
/// the last main manager cannot leave). Needs a session and CSRF.
#[utoipa::path(post, path = "/admin/api/structures/{id}/detach", tag = "attachments",
    params(("id" = String, Path, description = "Structure id")), request_body = DetachInput,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub(crate) async fn detach(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(input): Body<DetachInput>,
) -> ApiResult<StatusCode> {
    let services: Option<Vec<ServiceId>> = match input.services {
        None => None,
        Some(list) if list.is_empty() => {
            return Err(ApiError::invalid(
                "services",
                "give at least one service, or leave it out to leave the structure",
            ));
        }
        Some(list) => Some(list.into_iter().map(ServiceId::from).collect()),
    };
    st.policy()
        .detach(&caller.actor(), &StructureId::from(id), services.as_deref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Detach a person from a structure (their grants and manager roles there end). Needs:
/// main manager (anyone but the last main manager), or local manager (people attached
/// within their services); never oneself (see `/detach`); and CSRF.
#[utoipa::path(post, path = "/admin/api/structures/{id}/members/{user}/detach", tag = "attachments",
    params(("id" = String, Path, description = "Structure id"),
        ("user" = String, Path, description = "User id of the person to detach")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn detach_member(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path((id, user)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    st.policy()
        .detach_member(
            &caller.actor(),
            &StructureId::from(id),
            &policy::UserId::from(user),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
