//! A backend binary's life ([`run`]): its command line (`serve`, the default; `migrate`;
//! `check-config`; `--help` listing every environment variable), read the environment,
//! build (which migrates), start the background work, serve until SIGINT or SIGTERM, then
//! finish in-flight requests and the pass in progress and close the database.

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

/// What the command line asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Migrate, then serve (the default).
    Serve,
    /// Apply the migrations and exit.
    Migrate,
    /// Read and check the configuration and exit.
    CheckConfig,
}

/// The command line of backend `name`: `--help` shows `about` and the environment
/// variables of `env_help`.
pub fn command_line(name: &'static str, about: &'static str, env_help: &'static str) -> Action {
    let cmd = clap::Command::new(name)
        .version(env!("CARGO_PKG_VERSION"))
        .about(about)
        .after_help(env_help)
        .subcommand(
            clap::Command::new("serve").about("Migrate the database, then serve (the default)"),
        )
        .subcommand(clap::Command::new("migrate").about("Apply the database migrations and exit"))
        .subcommand(
            clap::Command::new("check-config").about(
                "Check the configuration (environment) and exit, naming the variable at fault",
            ),
        );
    match cmd.get_matches().subcommand_name() {
        Some("migrate") => Action::Migrate,
        Some("check-config") => Action::CheckConfig,
        _ => Action::Serve,
    }
}

/// Run the binary of backend `name`: its configuration from `from_env`, the address from
/// `{prefix}_LISTEN` (`default_listen` when unset), [`Backend::start`], serve, and on
/// SIGINT or SIGTERM a graceful shutdown then [`Backend::close`]. `action` is what
/// [`command_line`] returned: `migrate` builds (which migrates) and closes, and
/// `check-config` only reads the configuration.
pub async fn run<C, A, Fut>(
    name: &str,
    action: Action,
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
    if listen.parse::<std::net::SocketAddr>().is_err() {
        anyhow::bail!("{listen_key}: must be an address and port, e.g. 127.0.0.1:9101");
    }
    match action {
        Action::CheckConfig => {
            println!("{name}: configuration ok");
            return Ok(());
        }
        Action::Migrate => {
            let app = build(config).await?;
            app.close().await;
            println!("{name}: migrations applied");
            return Ok(());
        }
        Action::Serve => {}
    }
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
