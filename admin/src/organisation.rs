//! What main managers change in their organisation: the common name, services (create,
//! relabel, close). The policy authorises and audits each change.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use policy::{ServiceId, StructureId};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::caller::Mutation;
use crate::dto::{ServiceDto, StructureDto};
use crate::error::{ApiResult, ErrorBody};
use crate::{AdminState, Body};

/// A new common name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommonNameInput {
    /// The common (trade) name shown wherever the structure is shown (1 to 200
    /// characters, not starting like a spreadsheet formula).
    pub common_name: String,
}

/// A new service.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceInput {
    /// Short code, unique in the structure (letters, digits, `-`, `_`, `.`).
    pub code: String,
    /// Label shown to people.
    pub label: String,
}

/// A service's new label.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelInput {
    /// Label shown to people.
    pub label: String,
}

/// Change the structure's common name. Needs: main manager of the structure, and CSRF.
#[utoipa::path(post, path = "/admin/api/structures/{id}/common-name", tag = "structures",
    params(("id" = String, Path, description = "Structure id")), request_body = CommonNameInput,
    responses((status = 200, body = StructureDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub(crate) async fn rename(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(input): Body<CommonNameInput>,
) -> ApiResult<Json<StructureDto>> {
    let s = st
        .policy()
        .rename_structure(&caller.actor(), &StructureId::from(id), &input.common_name)
        .await?;
    Ok(Json(s.into()))
}

/// Create a service. Needs: main manager of the structure, and CSRF.
#[utoipa::path(post, path = "/admin/api/structures/{id}/services", tag = "structures",
    params(("id" = String, Path, description = "Structure id")), request_body = ServiceInput,
    responses((status = 201, body = ServiceDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn create_service(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(input): Body<ServiceInput>,
) -> ApiResult<(StatusCode, Json<ServiceDto>)> {
    let structure = StructureId::from(id);
    let actor = caller.actor();
    // Read access first, so that a stranger learns nothing from the input's checks.
    st.policy().may_read(&actor, &structure).await?;
    let s = st
        .policy()
        .create_service(&actor, &structure, &input.code, &input.label)
        .await?;
    Ok((StatusCode::CREATED, Json(s.into())))
}

/// Change a service's label. Needs: main manager of the structure, and CSRF.
#[utoipa::path(post, path = "/admin/api/structures/{id}/services/{service}/label", tag = "structures",
    params(("id" = String, Path, description = "Structure id"),
        ("service" = String, Path, description = "Service id")), request_body = LabelInput,
    responses((status = 200, body = ServiceDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub(crate) async fn rename_service(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path((id, service)): Path<(String, String)>,
    Body(input): Body<LabelInput>,
) -> ApiResult<Json<ServiceDto>> {
    let s = st
        .policy()
        .rename_service(
            &caller.actor(),
            &StructureId::from(id),
            &ServiceId::from(service),
            &input.label,
        )
        .await?;
    Ok(Json(s.into()))
}

/// Close a service: refused (409) while anyone holds a valid grant naming it or is its
/// local manager. Needs: main manager of the structure, and CSRF.
#[utoipa::path(post, path = "/admin/api/structures/{id}/services/{service}/close", tag = "structures",
    params(("id" = String, Path, description = "Structure id"),
        ("service" = String, Path, description = "Service id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn close_service(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path((id, service)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    st.policy()
        .close_service(
            &caller.actor(),
            &StructureId::from(id),
            &ServiceId::from(service),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
