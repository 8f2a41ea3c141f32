//! The demo's backends (vouchers, prestations) started in-process, and the demo's access
//! model seed.

use std::path::Path;

use crate::app::AppState;

/// What the demo needs from its backends.
pub struct Backends {
    /// `[[routes]]` entries for the gateway's configuration.
    pub routes_toml: String,
    /// Stoppers.
    pub stop: Vec<Box<dyn FnOnce() + Send>>,
}

/// Start both backends on ephemeral loopback ports.
pub async fn start(_data_dir: &Path, _gateway_url: &str) -> anyhow::Result<Backends> {
    Ok(Backends {
        routes_toml: String::new(),
        stop: Vec::new(),
    })
}

/// Seed the demo's structures and rights.
pub async fn seed(_state: &AppState) -> anyhow::Result<()> {
    Ok(())
}
