//! Main and local access managers of a structure: designate, remove, list.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use policy::{ServiceId, StructureId};

use crate::caller::{Mutation, Session};
use crate::dto::{DesignationDto, LocalManagerInput, PersonRef};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::{AdminState, Body};

/// The main managers of a structure (pending ones included). Needs: legal
/// representative or manager of the structure.
#[utoipa::path(get, path = "/admin/api/structures/{id}/main-managers", tag = "managers",
    params(("id" = String, Path, description = "Structure id")),
    responses((status = 200, body = Vec<DesignationDto>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn main_list(
    State(st): State<AdminState>,
    Session(caller): Session,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<DesignationDto>>> {
    let list = st
        .policy()
        .main_managers(&caller.actor(), &StructureId::from(id))
        .await?;
    Ok(Json(list.into_iter().map(DesignationDto::from).collect()))
}

/// Designate a main manager (by national register number when they never logged in:
/// effective at their first login). Needs: legal representative or main manager of the
/// structure, and CSRF.
#[utoipa::path(post, path = "/admin/api/structures/{id}/main-managers", tag = "managers",
    params(("id" = String, Path, description = "Structure id")), request_body = PersonRef,
    responses((status = 201, body = DesignationDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn main_designate(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(person): Body<PersonRef>,
) -> ApiResult<(StatusCode, Json<DesignationDto>)> {
    let structure = StructureId::from(id);
    let actor = caller.actor();
    st.policy().may_designate(&actor, &structure).await?;
    let subject = st.subject(&person, "person").await?;
    let d = st
        .policy()
        .designate_main_manager(&actor, &structure, &subject)
        .await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

/// Remove a main manager (never the last one). Needs: legal representative or main
/// manager of the structure (or the manager resigning), and CSRF.
#[utoipa::path(post, path = "/admin/api/structures/{id}/main-managers/remove", tag = "managers",
    params(("id" = String, Path, description = "Structure id")), request_body = PersonRef,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub(crate) async fn main_remove(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(person): Body<PersonRef>,
) -> ApiResult<StatusCode> {
    let structure = StructureId::from(id);
    let actor = caller.actor();
    // Read access first, so that a stranger learns nothing about who exists.
    st.policy().may_read(&actor, &structure).await?;
    let subject = st.subject(&person, "person").await?;
    st.policy()
        .remove_main_manager(&actor, &structure, &subject)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The local managers of a structure, as far as the caller manages it. Needs: legal
/// representative or manager of the structure.
#[utoipa::path(get, path = "/admin/api/structures/{id}/local-managers", tag = "managers",
    params(("id" = String, Path, description = "Structure id")),
    responses((status = 200, body = Vec<DesignationDto>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn local_list(
    State(st): State<AdminState>,
    Session(caller): Session,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<DesignationDto>>> {
    let list = st
        .policy()
        .local_managers(&caller.actor(), &StructureId::from(id))
        .await?;
    Ok(Json(list.into_iter().map(DesignationDto::from).collect()))
}

fn services(list: &[String]) -> ApiResult<Vec<ServiceId>> {
    if list.is_empty() {
        return Err(ApiError::invalid("services", "give at least one service"));
    }
    Ok(list.iter().map(|s| ServiceId::from(s.as_str())).collect())
}

/// Name a local manager of some services. Needs: main manager of the structure, and
/// CSRF.
#[utoipa::path(post, path = "/admin/api/structures/{id}/local-managers", tag = "managers",
    params(("id" = String, Path, description = "Structure id")), request_body = LocalManagerInput,
    responses((status = 201, body = Vec<DesignationDto>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn local_designate(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(input): Body<LocalManagerInput>,
) -> ApiResult<(StatusCode, Json<Vec<DesignationDto>>)> {
    let structure = StructureId::from(id);
    let actor = caller.actor();
    st.policy().may_read(&actor, &structure).await?;
    let services = services(&input.services)?;
    let subject = st.subject(&input.person, "person").await?;
    let mut out = Vec::with_capacity(services.len());
    for service in &services {
        let d = st
            .policy()
            .designate_local_manager(&actor, &structure, service, &subject)
            .await?;
        out.push(d.into());
    }
    Ok((StatusCode::CREATED, Json(out)))
}

/// Remove a local manager from some services. Needs: main manager of the structure (or
/// the local manager resigning), and CSRF.
#[utoipa::path(post, path = "/admin/api/structures/{id}/local-managers/remove", tag = "managers",
    params(("id" = String, Path, description = "Structure id")), request_body = LocalManagerInput,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn local_remove(
    State(st): State<AdminState>,
    Mutation(caller): Mutation,
    Path(id): Path<String>,
    Body(input): Body<LocalManagerInput>,
) -> ApiResult<StatusCode> {
    let structure = StructureId::from(id);
    let actor = caller.actor();
    st.policy().may_read(&actor, &structure).await?;
    let services = services(&input.services)?;
    let subject = st.subject(&input.person, "person").await?;
    for service in &services {
        st.policy()
            .remove_local_manager(&actor, &structure, service, &subject)
            .await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
