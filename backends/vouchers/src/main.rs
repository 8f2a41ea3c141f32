//! `vouchers` binary: read the `VOUCHERS_*` environment (see [`vouchers::config`]), migrate,
//! start the mail sender, and serve until SIGINT or SIGTERM; then finish in-flight
//! requests and the mail pass in progress.

use anyhow::Context as _;
use vouchers::Config;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let config = Config::from_env()?;
    let listen = std::env::var("VOUCHERS_LISTEN").unwrap_or_else(|_| "127.0.0.1:9101".to_owned());
    tracing::info!(?config, %listen, "starting vouchers");
    let app = vouchers::build(config).await?;
    app.start();
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("VOUCHERS_LISTEN: cannot listen on {listen}"))?;
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "listening");
    }
    axum::serve(listener, app.router())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    app.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
