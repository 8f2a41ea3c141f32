//! People's accounts as an operator sees them: reactivating an account its person
//! deactivated, inviting a person to a local password account (operators only).

use axum::Json;
use axum::extract::{Path, State};

use crate::AdminState;
use crate::caller::Mutation;
use crate::dto::{InvitationDto, InvitedDto, ReactivatedDto};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::{Body, Invitation, InviteRefusal};

/// Reactivate the account of a person who deactivated it: they may log in again.
/// Needs: operator (`[admin] operators`) and CSRF. Audited.
#[utoipa::path(post, path = "/admin/api/people/{id}/reactivate", tag = "people",
    params(("id" = String, Path, description = "The person's user id")),
    responses((status = 200, body = ReactivatedDto), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub(crate) async fn reactivate(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
) -> ApiResult<Json<ReactivatedDto>> {
    if !caller.operator {
        return Err(ApiError::forbidden(
            "only a platform operator reactivates an account",
        ));
    }
    let done = st
        .inner
        .directory
        .reactivate(&id)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    match done {
        None => return Err(ApiError::not_found("person")),
        Some(false) => return Err(ApiError::conflict("this account is active")),
        Some(true) => {}
    }
    st.policy()
        .audit()
        .record(policy::AuditEvent {
            actor: Some(caller.user_id.as_str().into()),
            action: policy::audit::actions::ACCOUNT_REACTIVATE.to_owned(),
            target: id.clone(),
            structure: None,
            ip: caller.ip.clone(),
            detail: serde_json::json!({ "via": "admin_api", "session": caller.session_id }),
        })
        .await?;
    Ok(Json(ReactivatedDto {
        user_id: id,
        reactivated: true,
    }))
}

/// Invite a person to a local password account: a single-use link, valid 24 hours, is
/// mailed to them in their language; they choose their password there. Needs: operator
/// (`[admin] operators`) and CSRF. Audited. 404 when local accounts are not configured.
#[utoipa::path(post, path = "/admin/api/accounts/invitations", tag = "people",
    request_body = InvitationDto,
    responses((status = 201, body = InvitedDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn invite(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Body(body): Body<InvitationDto>,
) -> ApiResult<(axum::http::StatusCode, Json<InvitedDto>)> {
    if !caller.operator {
        return Err(ApiError::forbidden(
            "only a platform operator invites a person to a password account",
        ));
    }
    let invitation = Invitation {
        email: body.email.trim().to_owned(),
        name: body.name,
        lang: body.lang,
    };
    let done = st
        .inner
        .directory
        .invite(&caller, &invitation)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    match done {
        Ok(expires_at) => Ok((
            axum::http::StatusCode::CREATED,
            Json(InvitedDto {
                email: invitation.email,
                expires_at,
            }),
        )),
        Err(InviteRefusal::Off) => Err(ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "not_found",
            "local password accounts are not configured",
        )),
        Err(InviteRefusal::BadEmail) => Err(ApiError::invalid("email", "not an email address")),
        Err(InviteRefusal::BadName) => Err(ApiError::invalid(
            "name",
            "give the person's name (1 to 200 characters)",
        )),
        Err(InviteRefusal::Taken) => Err(ApiError::conflict(
            "this email address is already the login of an account",
        )),
    }
}
