//! `[database]`: SQLite for one node, PostgreSQL for several. The URL may carry a
//! password, so it is a [`SecretUrl`] that prints without it.

use serde::Deserialize;

use super::error::{ConfigError, invalid};
use super::secret::SecretUrl;

/// `[database]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://path/file.db` (embedded default) or `postgres://user@host/db` (several
    /// nodes). Overridden by `GATEWAY_DATABASE_URL`.
    pub url: SecretUrl,
    /// Connections in the pool.
    #[serde(default = "default_max_connections")]
    pub max_connections: u32,
    /// Session-store errors in a row after which the circuit opens: requests needing a
    /// session are answered 503 at once instead of each waiting for the database.
    #[serde(default = "default_breaker_failures")]
    pub breaker_failures: u32,
    /// Seconds the circuit stays open before one request probes the database again.
    #[serde(default = "default_breaker_open")]
    pub breaker_open_secs: u64,
}

fn default_max_connections() -> u32 {
    16
}

fn default_breaker_failures() -> u32 {
    3
}

fn default_breaker_open() -> u64 {
    5
}

impl DatabaseConfig {
    /// Check the URL's scheme and the pool size.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let db = self.url.expose();
        if !(db.starts_with("sqlite:")
            || db.starts_with("postgres://")
            || db.starts_with("postgresql://"))
        {
            return Err(invalid(
                "database.url",
                "must start with sqlite: or postgres://",
            ));
        }
        if self.max_connections == 0 {
            return Err(invalid("database.max_connections", "must be at least 1"));
        }
        if !(1..=100).contains(&self.breaker_failures) {
            return Err(invalid("database.breaker_failures", "must be 1 to 100"));
        }
        if !(1..=300).contains(&self.breaker_open_secs) {
            return Err(invalid("database.breaker_open_secs", "must be 1 to 300"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{
        assert_base_refused, assert_section_accepted, assert_section_refused, section,
    };
    use super::*;

    #[test]
    fn sqlite_and_postgres_are_accepted() {
        for url in [
            "sqlite://gw.db",
            "sqlite:gw.db",
            "postgres://gw@db/gw",
            "postgresql://gw:pw@db/gw",
        ] {
            assert_section_accepted(&format!("url = \"{url}\""), DatabaseConfig::validate);
        }
        let d: DatabaseConfig = section("url = \"sqlite://gw.db\"");
        assert_eq!(d.max_connections, 16);
    }

    #[test]
    fn each_bad_value_is_refused_with_its_key() {
        assert_base_refused("sqlite://gw.db", "mysql://x", "database.url");
        for url in ["mysql://x", "postgres:gw", "", "gw.db"] {
            assert_section_refused(
                &format!("url = \"{url}\""),
                DatabaseConfig::validate,
                "database.url",
            );
        }
        assert_section_refused(
            "url = \"sqlite://gw.db\"\nmax_connections = 0",
            DatabaseConfig::validate,
            "database.max_connections",
        );
    }
}
