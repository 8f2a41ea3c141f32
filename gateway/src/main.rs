//! `gateway`: serve, migrate, check a configuration, or (with the default feature `demo`)
//! run the demo. The demo crate knows nothing of the gateway: this binary composes them.

use std::path::PathBuf;

#[cfg(feature = "demo")]
use anyhow::Context as _;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

/// mimalloc: less time per request in the allocator than glibc's malloc (measured in
/// docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "gateway",
    version,
    about = "Federated identity and access gateway"
)]
struct Cli {
    /// Log as JSON lines instead of text.
    #[arg(long, global = true)]
    json_logs: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve with a configuration file.
    Serve {
        /// The TOML configuration.
        #[arg(long, short, env = "GATEWAY_CONFIG")]
        config: PathBuf,
    },
    /// Apply the database migrations and exit.
    Migrate {
        /// The TOML configuration.
        #[arg(long, short, env = "GATEWAY_CONFIG")]
        config: PathBuf,
    },
    /// Check a configuration file and exit (non-zero, naming the key, when it is wrong).
    CheckConfig {
        /// The TOML configuration.
        #[arg(long, short, env = "GATEWAY_CONFIG")]
        config: PathBuf,
    },
    /// Run the demonstration: SQLite, a simulated eID provider and both backends.
    #[cfg(feature = "demo")]
    Demo {
        /// Where the demo keeps its data (default: ./gateway-demo-data).
        #[arg(long, default_value = "gateway-demo-data")]
        data_dir: PathBuf,
        /// Address of the gateway.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    if cli.json_logs {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::CheckConfig { config } => {
            let loaded = gateway::Config::load(&config)?;
            for warning in loaded.warnings() {
                println!("warning: {warning}");
            }
            println!("{}: ok", config.display());
            Ok(())
        }
        Command::Migrate { config } => {
            let config = gateway::Config::load(&config)?;
            let db = gateway::store::Db::connect(config.database.url.expose(), 1).await?;
            db.migrate().await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Serve { config } => {
            let config = gateway::Config::load(&config)?;
            config.log_warnings();
            let listen = config.server.listen;
            let state = gateway::AppState::build(config).await?;
            let listener = tokio::net::TcpListener::bind(listen).await?;
            let running = gateway::spawn(state, listener)?;
            #[cfg(unix)]
            gateway::reload::reload_on_hangup(running.state.clone())?;
            tracing::info!(addr = %running.addr, "gateway listening");
            web::shutdown_signal().await;
            tracing::info!("shutting down: finishing in-flight requests");
            running.shutdown().await?;
            Ok(())
        }
        #[cfg(feature = "demo")]
        Command::Demo { data_dir, listen } => run_demo(&data_dir, listen).await,
    }
}

/// The demo: the demo crate starts the simulated provider and the backends and writes the
/// configuration; the gateway is built from it like from a file, its access model seeded,
/// and served until Ctrl-C.
#[cfg(feature = "demo")]
async fn run_demo(data_dir: &std::path::Path, listen: std::net::SocketAddr) -> anyhow::Result<()> {
    let mut demo = demo::Demo::start(data_dir, listen).await?;
    let config = gateway::Config::from_toml(demo.gateway_config()).context("demo configuration")?;
    config.log_warnings();
    let state = gateway::AppState::build(config).await?;
    gateway::demo_data::seed(&state, &demo).await?;
    let listener = demo
        .take_listener()
        .context("the demo's address is already served")?;
    let running = gateway::spawn(state, listener)?;
    println!();
    println!("  Gateway demo running. Open {}", demo.url());
    println!("  Data kept in {}", demo.data_dir().display());
    println!(
        "  Mail (one-time codes on a new device) is delivered as .eml files to {}",
        demo.mail_dir().display()
    );
    println!("  Stop with Ctrl-C.");
    println!();
    web::shutdown_signal().await;
    running.shutdown().await?;
    demo.shutdown();
    Ok(())
}
