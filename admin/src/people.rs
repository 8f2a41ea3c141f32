//! People's accounts as an operator sees them: reactivating an account its person
//! deactivated (operators only).

use axum::Json;
use axum::extract::{Path, State};

use crate::AdminState;
use crate::caller::Mutation;
use crate::dto::ReactivatedDto;
use crate::error::{ApiError, ApiResult, ErrorBody};

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
