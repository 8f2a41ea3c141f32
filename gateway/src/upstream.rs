//! The pooled HTTP client to the backends, and the body type it sends: built once with
//! the state, used by the proxy's forward phase.

use std::time::Duration;

use axum::body::{Body, Bytes};
use http_body::Frame;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// Request body sent upstream: the client's body with identity headers removed from its
/// trailers.
pub type UpstreamBody =
    http_body_util::combinators::MapFrame<Body, fn(Frame<Bytes>) -> Frame<Bytes>>;

/// The pooled client to upstreams.
pub type UpstreamClient = hyper_util::client::legacy::Client<HttpConnector, UpstreamBody>;

/// A client that keeps connections to upstreams open (a minute idle, 256 per host),
/// gives up connecting after 5 s, and speaks plain HTTP only (routes name `http://`
/// upstreams; TLS ends at the gateway).
pub fn client() -> UpstreamClient {
    let mut connector = HttpConnector::new();
    connector.set_connect_timeout(Some(Duration::from_secs(5)));
    connector.set_nodelay(true);
    connector.enforce_http(true);
    hyper_util::client::legacy::Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(256)
        .build(connector)
}
