//! The client's address: settled once per request by the proxy's first phase (the TCP
//! peer, or what a configured trusted proxy says in `Forwarded`/`X-Forwarded-For`), read
//! here by every handler.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

/// The address of the client that sent the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    /// Served without connection information (a wiring mistake): 500, fail closed.
    type Rejection = <ConnectInfo<SocketAddr> as FromRequestParts<S>>::Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(settled) = parts.extensions.get::<ClientIp>() {
            return Ok(*settled);
        }
        let ConnectInfo(peer) = ConnectInfo::<SocketAddr>::from_request_parts(parts, state).await?;
        Ok(Self(peer.ip()))
    }
}
