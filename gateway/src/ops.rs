//! The gateway's own small endpoints for operators and backends: liveness, readiness
//! (the database answers), Prometheus metrics (with its token, or to loopback when no
//! token is set and no trusted proxy could stand for every client), and the JWKS that
//! backends verify assertions with.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq as _;

use crate::state::AppState;

/// GET /healthz: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// GET /readyz: the database answers (else 503: take this node out of rotation).
pub async fn readyz(State(app): State<AppState>) -> Response {
    match app.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// GET /metrics: OpenMetrics text when `server.metrics` is on, to a client presenting
/// `server.metrics_token` as a bearer token (compared in constant time), or, when no
/// token is configured, to a TCP peer on loopback that is not a trusted proxy (the peer
/// itself: a forwarded address never opens it). 404 otherwise (the path does not exist
/// for anyone else).
pub async fn metrics(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let server = &app.config.server;
    let allowed = server.metrics
        && match &server.metrics_token {
            Some(token) => headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "))
                .is_some_and(|given| bool::from(given.ct_eq(token.expose().as_bytes()))),
            None => {
                let ip = peer.ip();
                ip.is_loopback() && !server.trusted_proxies.iter().any(|n| n.contains(&ip))
            }
        };
    if !allowed {
        return StatusCode::NOT_FOUND.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        app.metrics.render(),
    )
        .into_response()
}

/// GET /.well-known/jwks.json: the assertion signing keys (public), cacheable a minute.
pub async fn jwks(State(app): State<AppState>) -> Response {
    (
        [(header::CACHE_CONTROL, "public, max-age=60")],
        Json(app.assertions.jwks().await),
    )
        .into_response()
}
