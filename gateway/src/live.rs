//! The part of the configuration a reload swaps while the gateway serves: the route
//! table and the rights catalogue (`[[routes]]`, `[[applications]]`). Every request
//! takes one snapshot at its start ([`crate::state::AppState::live`], one atomic load)
//! and keeps it to its end, so a reload never shows a request half of the old
//! configuration and half of the new one; the next request sees the new one.

use crate::config::{ApplicationConfig, Config};
use crate::routes::RouteTable;

/// One consistent view of the routes and the catalogue.
#[derive(Debug, Default)]
pub struct Live {
    /// The routes, longest prefix first.
    pub routes: RouteTable,
    /// The applications of the rights catalogue, as the file declares them.
    pub applications: Vec<ApplicationConfig>,
}

impl Live {
    /// The reloadable part of a validated configuration.
    pub fn new(config: &Config) -> Self {
        Self {
            routes: RouteTable::new(&config.routes),
            applications: config.applications.clone(),
        }
    }

    /// The application with this id.
    pub fn application(&self, id: &str) -> Option<&ApplicationConfig> {
        self.applications.iter().find(|a| a.id == id)
    }

    /// The longest idle timeout of any route (ms), or `default`.
    pub fn longest_idle_ms(&self, default: i64) -> i64 {
        self.routes.longest_idle_ms(default)
    }
}
