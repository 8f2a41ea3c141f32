//! The whole HTTP surface in one place, `app(state) -> Router`: the gateway's own pages
//! and endpoints, the mounted administration API, and the proxy as the fallback for
//! every other path. The outermost layers add the security headers of the gateway's own
//! answers ([`crate::page_headers`]) and, before any handler runs, check `Host`, settle
//! the client's address and strip client-sent identity headers (the proxy's phase 1).

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// Every route of the gateway, with `state`.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(crate::ops::healthz))
        .route("/readyz", get(crate::ops::readyz))
        .route("/metrics", get(crate::ops::metrics))
        .route(assertion::JWKS_PATH, get(crate::ops::jwks))
        .merge(crate::login::router())
        .merge(crate::structures::router())
        .merge(crate::shell::router())
        .merge(crate::factors::router())
        .merge(crate::account::router())
        .merge(crate::console::router())
        .merge(crate::local::router())
        .merge(crate::admin_api::router(&state))
        .fallback(crate::proxy::handle)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::proxy::strip_identity_headers,
        ))
        .layer(axum::middleware::from_fn(crate::page_headers::add))
        .with_state(state)
}
