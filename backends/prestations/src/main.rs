//! `prestations` binary (`prestations --help`): read the `PRESTATIONS_*` environment (see [`prestations::config`]),
//! migrate, start the deadline scheduler and the mail sender, and serve until SIGINT or
//! SIGTERM; then finish in-flight requests and the pass in progress
//! ([`backend_kit::serve::run`]).

const ABOUT: &str = "The prestations backend. Trusts nothing but the gateway's signed assertion \
                     (checked against the gateway's JWKS, issuer and audience). Configured by \
                     PRESTATIONS_* environment variables; migrates its database at start.";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let action =
        backend_kit::serve::command_line("prestations", ABOUT, prestations::config::ENV_HELP);
    backend_kit::serve::run(
        "prestations",
        action,
        prestations::config::ENV,
        "127.0.0.1:9102",
        prestations::Config::from_env,
        prestations::build,
    )
    .await
}
