//! The OpenAPI document of the API, served at `/admin/api/openapi.json`.

use axum::Json;
use utoipa::OpenApi;

use crate::{
    access, audit, catalogue, grants, managers, me, organisation, people, requests, structures,
};

/// The API description (every path of [`crate::router`] but the document itself).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Delegated administration API",
        description = "Structures, legal representatives, managers, grants, attachment \
            requests, access requests and audit. Authentication: the gateway session cookie. Every \
            state-changing call needs the `X-CSRF-Token` header (from `GET /admin/api/me`)."
    ),
    paths(
        me::me, me::my_grants, me::my_requests,
        grants::catalogue,
        structures::search, structures::get_one, structures::services, structures::members,
        structures::representatives, structures::import,
        organisation::rename, organisation::create_service, organisation::rename_service,
        organisation::close_service,
        managers::main_list, managers::main_designate, managers::main_remove,
        managers::local_list, managers::local_designate, managers::local_remove,
        grants::list, grants::grant, grants::revoke, grants::renew, grants::level,
        requests::create, requests::list, requests::approve, requests::reject, requests::detach,
        requests::detach_member,
        access::create, access::list, access::grant, access::refuse,
        people::reactivate,
        catalogue::reload,
        people::invite,
        audit::query, audit::export,
    ),
    tags(
        (name = "me", description = "The caller"),
        (name = "structures", description = "Structures and services"),
        (name = "representatives", description = "Legal representatives"),
        (name = "managers", description = "Main and local access managers"),
        (name = "grants", description = "Rights (habilitations)"),
        (name = "attachments", description = "Attachment requests and detaching"),
        (name = "access", description = "Access requests: a right asked for, granted or refused"),
        (name = "people", description = "People's accounts (operators)"),
        (name = "catalogue", description = "The rights catalogue and the routes (operators)"),
        (name = "audit", description = "Audit log"),
    )
)]
pub struct ApiDoc;

/// `GET /admin/api/openapi.json` (public: it describes, it reveals no data).
pub(crate) async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
