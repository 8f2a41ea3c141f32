//! `GET /admin/api/me`: the caller, the structures they act for and their roles there,
//! and the CSRF token the other calls need; their own grants and requests.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use policy::{Subject, UserId};

use crate::AdminState;
use crate::caller::Session;
use crate::dto::{GrantDto, Me, MyStructure, RequestDto, StructureDto};
use crate::error::{ApiResult, ErrorBody};

/// The caller. Needs a session.
#[utoipa::path(get, path = "/admin/api/me", tag = "me",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub(crate) async fn me(
    State(st): State<AdminState>,
    Session(caller): Session,
) -> ApiResult<Json<Me>> {
    let p = st.policy();
    let user = UserId::from(caller.user_id.as_str());
    let actor = caller.actor();
    let mut by_id: BTreeMap<String, MyStructure> = BTreeMap::new();
    let mut entry = |s: StructureDto| {
        by_id.entry(s.id.clone()).or_insert_with(|| MyStructure {
            structure: s,
            roles: Vec::new(),
            managed_services: Vec::new(),
            attached_services: Vec::new(),
            whole_structure: false,
        });
    };
    let represented = p.represented_structures(&user).await?;
    for s in represented.iter().cloned() {
        entry(s.into());
    }
    for s in p.managed_structures(&user).await? {
        entry(s.into());
    }
    let attached = p.structures_of(&caller.user_id).await?;
    for s in &attached {
        entry(StructureDto {
            id: s.id.0.clone(),
            enterprise_number: s.enterprise_number.clone(),
            legal_name: s.legal_name.clone(),
            common_name: s.common_name.clone(),
        });
    }
    let me_subject = Subject::User(user.clone());
    for (id, mine) in &mut by_id {
        let sid = policy::StructureId::from(id.as_str());
        if represented.iter().any(|s| s.id == sid) {
            mine.roles.push("legal_representative".to_owned());
        }
        if let Ok(list) = p.main_managers(&actor, &sid).await
            && list.iter().any(|d| d.subject == me_subject)
        {
            mine.roles.push("main_manager".to_owned());
        }
        if let Ok(list) = p.local_managers(&actor, &sid).await {
            for d in list.iter().filter(|d| d.subject == me_subject) {
                if let Some(service) = &d.service_id {
                    mine.managed_services.push(service.0.clone());
                }
            }
            if !mine.managed_services.is_empty() {
                mine.roles.push("local_manager".to_owned());
            }
        }
        if let Some(a) = attached.iter().find(|a| a.id == sid) {
            mine.roles.push("member".to_owned());
            mine.whole_structure = a.whole_structure;
            if !a.whole_structure {
                mine.attached_services = a.services.iter().map(|v| v.id.0.clone()).collect();
            }
        }
    }
    Ok(Json(Me {
        user_id: caller.user_id,
        display_name: caller.display_name,
        csrf_token: caller.csrf_token,
        operator: caller.operator,
        structures: by_id.into_values().collect(),
    }))
}

/// The caller's own valid grants. Needs a session.
#[utoipa::path(get, path = "/admin/api/me/grants", tag = "me",
    responses((status = 200, body = Vec<GrantDto>), (status = 401, body = ErrorBody)))]
pub(crate) async fn my_grants(
    State(st): State<AdminState>,
    Session(caller): Session,
) -> ApiResult<Json<Vec<GrantDto>>> {
    let list = st
        .policy()
        .grants_of(&caller.user_id.as_str().into())
        .await?;
    Ok(Json(list.into_iter().map(GrantDto::from).collect()))
}

/// The caller's own attachment requests, newest first. Needs a session.
#[utoipa::path(get, path = "/admin/api/me/attachment-requests", tag = "me",
    responses((status = 200, body = Vec<RequestDto>), (status = 401, body = ErrorBody)))]
pub(crate) async fn my_requests(
    State(st): State<AdminState>,
    Session(caller): Session,
) -> ApiResult<Json<Vec<RequestDto>>> {
    let list = st
        .policy()
        .my_attachment_requests(&caller.user_id.as_str().into())
        .await?;
    Ok(Json(list.into_iter().map(RequestDto::from).collect()))
}
