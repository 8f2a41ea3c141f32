//! A backend binary's life ([`run`]): read the environment, build, start the background
//! work, serve until SIGINT or SIGTERM, then finish in-flight requests and the pass in
//! progress and close the database.

use std::fmt::Debug;
use std::future::Future;

use anyhow::Context as _;
use axum::Router;

use crate::config::{ConfigError, Env};

/// A built backend as its binary runs it.
pub trait Backend {
    /// Start the background work.
    fn start(&self);
    /// All routes.
    fn router(&self) -> Router;
    /// Stop background work and close the database.
    fn close(&self) -> impl Future<Output = ()>;
}

/// Run the binary of backend `name`: its configuration from `from_env`, the address from
/// `{prefix}_LISTEN` (`default_listen` when unset), [`Backend::start`], serve, and on
/// SIGINT or SIGTERM a graceful shutdown then [`Backend::close`].
pub async fn run<C, A, Fut>(
    name: &str,
    env: Env,
    default_listen: &str,
    from_env: impl FnOnce() -> Result<C, ConfigError>,
    build: impl FnOnce(C) -> Fut,
) -> anyhow::Result<()>
where
    C: Debug,
    A: Backend,
    Fut: Future<Output = anyhow::Result<A>>,
{
    let config = from_env()?;
    let listen_key = env.key("LISTEN");
    let listen = std::env::var(&listen_key).unwrap_or_else(|_| default_listen.to_owned());
    tracing::info!(?config, %listen, "starting {name}");
    let app = build(config).await?;
    app.start();
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("{listen_key}: cannot listen on {listen}"))?;
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "listening");
    }
    axum::serve(listener, app.router())
        .with_graceful_shutdown(web::shutdown_signal())
        .await?;
    app.close().await;
    Ok(())
}
