//! The gateway's own small endpoints for operators and backends: liveness, readiness
//! (the database answers), Prometheus metrics (loopback only, when enabled), and the JWKS
//! that backends verify assertions with.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::extract::ClientIp;
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

/// GET /metrics: OpenMetrics text, from loopback only and when `server.metrics` is on;
/// 404 otherwise (the path does not exist for anyone else).
pub async fn metrics(State(app): State<AppState>, ClientIp(ip): ClientIp) -> Response {
    if !app.config.server.metrics || !ip.is_loopback() {
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
        Json(app.assertions.jwks()),
    )
        .into_response()
}
