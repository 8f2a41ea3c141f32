//! `vouchers` binary (`vouchers --help`): read the `VOUCHERS_*` environment (see [`vouchers::config`]), migrate,
//! start the mail sender, and serve until SIGINT or SIGTERM; then finish in-flight
//! requests and the mail pass in progress ([`backend_kit::serve::run`]).

const ABOUT: &str = "The vouchers backend. Trusts nothing but the gateway's signed assertion \
                     (checked against the gateway's JWKS, issuer and audience). Configured by \
                     VOUCHERS_* environment variables; migrates its database at start.";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let action = backend_kit::serve::command_line("vouchers", ABOUT, vouchers::config::ENV_HELP);
    backend_kit::serve::run(
        "vouchers",
        action,
        vouchers::config::ENV,
        "127.0.0.1:9101",
        vouchers::Config::from_env,
        vouchers::build,
    )
    .await
}
