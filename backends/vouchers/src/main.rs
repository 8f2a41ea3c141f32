//! `vouchers` binary: read the `VOUCHERS_*` environment (see [`vouchers::config`]), migrate,
//! start the mail sender, and serve until SIGINT or SIGTERM; then finish in-flight
//! requests and the mail pass in progress ([`backend_kit::serve::run`]).

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    backend_kit::serve::run(
        "vouchers",
        vouchers::config::ENV,
        "127.0.0.1:9101",
        vouchers::Config::from_env,
        vouchers::build,
    )
    .await
}
