//! The whole HTTP surface in one place. [`Gateway::serve`] answers every request: phase 1
//! of the proxy first ([`crate::proxy::phase_one`]: `Host` checked, the client's address
//! settled, client-sent identity headers stripped), then the gateway's own paths (the
//! prefixes no route may take, see [`owns`]) go to the axum router of its pages and
//! endpoints ([`app`]), and every other path straight to the proxy, without the router's
//! per-request machinery on the hot path. Both add the security headers of the gateway's
//! own answers ([`crate::page_headers`]); a backend's answer keeps its own.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::Request;
use axum::response::Response;
use axum::routing::get;
use tower::ServiceExt as _;

use crate::state::AppState;

/// The gateway's own pages and endpoints, with `state`: login, structures, the shell's
/// actions, factors, "My account", local accounts, the console and the administration
/// API. A path under the gateway's prefixes that none of them serves is answered by the
/// proxy's fallback (404).
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
        .fallback(crate::proxy::fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::shell::localise_errors,
        ))
        .layer(axum::middleware::from_fn(crate::page_headers::add))
        .with_state(state)
}

/// Whether `path` is the gateway's own (the home page, or under one of the prefixes
/// that `[[routes]]` may not take: [`crate::config::RESERVED_PREFIXES`]).
pub fn owns(path: &str) -> bool {
    path == "/"
        || crate::config::RESERVED_PREFIXES.iter().any(|p| {
            path.strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
}

/// Every request's handler: cheap to clone (one per connection).
#[derive(Clone)]
pub struct Gateway {
    state: AppState,
    own: Router,
}

impl Gateway {
    /// The gateway serving `state`.
    pub fn new(state: AppState) -> Self {
        let own = app(state.clone());
        Self { state, own }
    }

    /// Answer `request` from the TCP peer `peer`.
    pub async fn serve(&self, mut request: Request, peer: SocketAddr) -> Response {
        let ip = match crate::proxy::phase_one(&self.state, &mut request, peer) {
            Ok(ip) => ip,
            Err(refused) => {
                let mut refused = *refused;
                crate::page_headers::apply(&mut refused);
                return refused;
            }
        };
        if owns(request.uri().path()) {
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            let answered: Result<Response, Infallible> = self.own.clone().oneshot(request).await;
            return answered.unwrap_or_else(|never| match never {});
        }
        let mut response = crate::proxy::handle(&self.state, ip, request).await;
        crate::page_headers::apply(&mut response);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::owns;

    #[test]
    fn the_gateway_owns_its_prefixes_and_nothing_else() {
        for own in [
            "/",
            "/auth/login",
            "/auth",
            "/admin/",
            "/admin/api/me",
            "/account/",
            "/healthz",
            "/.well-known/jwks.json",
        ] {
            assert!(owns(own), "{own}");
        }
        for other in [
            "/vouchers/",
            "/authx",
            "/administration",
            "/accounts",
            "/x/auth",
        ] {
            assert!(!owns(other), "{other}");
        }
    }
}
