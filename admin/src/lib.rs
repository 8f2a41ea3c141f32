//! Delegated administration as a JSON API under `/admin/api/`, mounted by the gateway.
//!
//! Every call goes through the management methods of [`policy::Policy`], which authorise
//! against the access model and audit in the same transaction; this crate adds HTTP,
//! input validation, CSRF and the OpenAPI document (`/admin/api/openapi.json`). The host
//! resolves its session into a [`Caller`] request extension and lends a [`Directory`]
//! of people: the admin crate depends on no gateway type.

pub mod caller;
pub mod dto;
pub mod error;

mod access;
mod audit;
mod catalogue;
mod grants;
mod managers;
mod me;
mod openapi;
mod organisation;
mod people;
mod requests;
mod structures;

use std::sync::Arc;

use axum::extract::{FromRequest, Request};
use axum::routing::{get, post};
use axum::{Json, Router};
use policy::ids::NationalNumber;
use policy::{Policy, Scope, ServiceId, Subject};

pub use caller::{BoxFuture, Caller, Catalogue, Directory, Invitation, InviteRefusal, Person};
pub use error::{ApiError, ApiResult};
pub use openapi::ApiDoc;
pub use structures::import_register;

use crate::dto::PersonRef;

/// Prefix of every route of this crate.
pub const PREFIX: &str = "/admin/api";

/// The largest request body the API reads (the register extract included): 2 MiB. A
/// larger one is answered 413 with the JSON error.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// What the API needs from its host. Cheap to clone.
#[derive(Clone)]
pub struct AdminState {
    inner: Arc<Inner>,
}

struct Inner {
    policy: Policy,
    directory: Arc<dyn Directory>,
    catalogue: Option<Arc<dyn Catalogue>>,
    public_origin: String,
    nrn_key: Vec<u8>,
}

impl AdminState {
    /// `public_origin` is the host's public origin (`https://gw.example.be`), checked
    /// against `Origin`; `nrn_key` the deployment's key for national-number hashes;
    /// `catalogue` what reloads the host's configuration (`None`: the reload answers
    /// 404).
    pub fn new(
        policy: Policy,
        directory: Arc<dyn Directory>,
        catalogue: Option<Arc<dyn Catalogue>>,
        public_origin: String,
        nrn_key: &[u8],
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                policy,
                directory,
                catalogue,
                public_origin,
                nrn_key: nrn_key.to_vec(),
            }),
        }
    }

    fn policy(&self) -> &Policy {
        &self.inner.policy
    }

    /// The subject named by `p` (field name `field` in errors).
    async fn subject(&self, p: &PersonRef, field: &str) -> ApiResult<Subject> {
        let given = [
            p.user_id.is_some(),
            p.national_number.is_some(),
            p.email.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if given != 1 {
            return Err(ApiError::invalid(
                field,
                "give exactly one of user_id, national_number, email",
            ));
        }
        if let Some(raw) = &p.national_number {
            let n = NationalNumber::parse(raw)
                .map_err(|e| ApiError::invalid(&format!("{field}.national_number"), e))?;
            // The masked form, so that a list of pending designations can say whom.
            let hash = self
                .policy()
                .remember_masked_number(&n, &self.inner.nrn_key)
                .await?;
            return Ok(Subject::Pending(hash));
        }
        if let Some(id) = &p.user_id {
            let found = self
                .inner
                .directory
                .person(id)
                .await
                .map_err(|e| ApiError::internal(&e))?;
            return match found {
                Some(person) => Ok(Subject::User(person.user_id.into())),
                None => Err(ApiError::not_found("person")),
            };
        }
        let email = p.email.as_deref().unwrap_or_default();
        if !email.contains('@') || email.len() > 254 {
            return Err(ApiError::invalid(
                &format!("{field}.email"),
                "not an email address",
            ));
        }
        let mut found = self
            .inner
            .directory
            .find_by_email(email)
            .await
            .map_err(|e| ApiError::internal(&e))?;
        match found.len() {
            0 => Err(ApiError::not_found("person")),
            1 => Ok(Subject::User(found.remove(0).user_id.into())),
            _ => Err(ApiError::conflict(
                "several people share this email address: use the national register number",
            )),
        }
    }
}

/// `None`: the whole structure; otherwise these (non-empty) services.
fn scope_of(services: Option<&[String]>, field: &str) -> ApiResult<Scope> {
    match services {
        None => Ok(Scope::Structure),
        Some([]) => Err(ApiError::invalid(
            field,
            "give at least one service, or leave it out for the whole structure",
        )),
        Some(list) => Ok(Scope::Services(
            list.iter().map(|s| ServiceId::from(s.as_str())).collect(),
        )),
    }
}

/// A JSON body whose refusal answers 400 naming the field (415 without the JSON
/// content type).
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T, S> FromRequest<S> for Body<T>
where
    Json<T>: FromRequest<S, Rejection = axum::extract::rejection::JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let Json(v) = Json::<T>::from_request(req, state).await?;
        Ok(Body(v))
    }
}

/// The API's router, with every path under [`PREFIX`]; mount it before any fallback.
/// The host must insert a [`Caller`] extension on requests with a live session.
pub fn router<S: Clone + Send + Sync + 'static>(state: AdminState) -> Router<S> {
    let api = Router::new()
        .route("/openapi.json", get(openapi::serve))
        .route("/me", get(me::me))
        .route("/me/grants", get(me::my_grants))
        .route("/me/attachment-requests", get(me::my_requests))
        .route("/rights", get(grants::catalogue))
        .route("/structures", get(structures::search))
        .route("/structures/{id}", get(structures::get_one))
        .route(
            "/structures/{id}/services",
            get(structures::services).post(organisation::create_service),
        )
        .route(
            "/structures/{id}/services/{service}/label",
            post(organisation::rename_service),
        )
        .route(
            "/structures/{id}/services/{service}/close",
            post(organisation::close_service),
        )
        .route("/structures/{id}/common-name", post(organisation::rename))
        .route("/structures/{id}/members", get(structures::members))
        .route(
            "/structures/{id}/representatives",
            get(structures::representatives),
        )
        .route("/representatives/import", post(structures::import))
        .route(
            "/structures/{id}/main-managers",
            get(managers::main_list).post(managers::main_designate),
        )
        .route(
            "/structures/{id}/main-managers/remove",
            post(managers::main_remove),
        )
        .route(
            "/structures/{id}/local-managers",
            get(managers::local_list).post(managers::local_designate),
        )
        .route(
            "/structures/{id}/local-managers/remove",
            post(managers::local_remove),
        )
        .route(
            "/structures/{id}/grants",
            get(grants::list).post(grants::grant),
        )
        .route("/grants/{id}/revoke", post(grants::revoke))
        .route("/grants/{id}/renew", post(grants::renew))
        .route("/grants/{id}/level", post(grants::level))
        .route(
            "/structures/{id}/attachment-requests",
            get(requests::list).post(requests::create),
        )
        .route("/attachment-requests/{id}/approve", post(requests::approve))
        .route("/attachment-requests/{id}/reject", post(requests::reject))
        .route("/structures/{id}/detach", post(requests::detach))
        .route(
            "/structures/{id}/members/{user}/detach",
            post(requests::detach_member),
        )
        .route(
            "/structures/{id}/access-requests",
            get(access::list).post(access::create),
        )
        .route("/access-requests/{id}/grant", post(access::grant))
        .route("/access-requests/{id}/refuse", post(access::refuse))
        .route("/people/{id}/reactivate", post(people::reactivate))
        .route("/catalogue/reload", post(catalogue::reload))
        .route("/accounts/invitations", post(people::invite))
        .route("/audit", get(audit::query))
        .route("/audit/export", get(audit::export))
        .fallback(|| async { ApiError::not_found("API path") })
        .layer(axum::middleware::from_fn(error::json_errors))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES));
    Router::new().nest(PREFIX, api).with_state(state)
}
