//! The delegated-administration console (`/admin/`): server-rendered pages over the same
//! management methods of [`policy::Policy`] that the JSON API (`/admin/api/`) calls, so
//! a form can never do what the API refuses; the policy authorises and audits each
//! change in its own transaction. Every page carries the portal shell; every form is
//! checked for CSRF ([`crate::extract::CsrfForm`]).

pub mod access;
mod audit;
mod audit_labels;
mod catalogue;
mod check;
mod habilitations;
mod index;
mod managers;
mod mine;
mod operator;
mod people;
mod requests;
mod structure;
mod view;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// The console's routes (under `/admin/`, beside the API under `/admin/api/`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/", get(index::page))
        .merge(mine::router())
        .merge(habilitations::router())
        .merge(requests::router())
        .merge(access::router())
        .merge(structure::router())
        .merge(managers::router())
        .merge(people::router())
        .merge(catalogue::router())
        .merge(audit::router())
        .merge(check::router())
        .merge(operator::router())
}
