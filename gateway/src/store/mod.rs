//! Durable state of the gateway: one `sqlx::AnyPool` over SQLite (embedded default) or
//! PostgreSQL (several nodes), chosen by the database URL. SQL is portable (`$1`
//! placeholders, integers for times and flags); migrations live per database under
//! `migrations/gateway/` (the policy crate's tables, in the same database, under
//! `migrations/policy/`). Each submodule owns its tables.

pub mod account;
pub mod keys;
pub mod login_flows;
pub mod sessions;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::AnyPool;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};

/// Which database engine is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// One node, embedded file.
    Sqlite,
    /// Shared by several nodes.
    Postgres,
}

/// Storage failure. The text never contains data values.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached or refused the statement.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The policy crate's migrations failed.
    #[error("policy migrations failed")]
    PolicyMigrate(#[source] policy::PolicyError),
    /// A stored value could not be decoded.
    #[error("corrupt stored value in {0}")]
    Corrupt(&'static str),
    /// The store failed repeatedly and is not asked for a while.
    #[error(transparent)]
    CircuitOpen(#[from] crate::breaker::Open),
}

/// The pool and what it runs on. Its `Debug` leaves the URL out: it may hold a password.
#[derive(Clone)]
pub struct Db {
    /// The pool.
    pub pool: AnyPool,
    /// The engine.
    pub engine: Engine,
    /// The URL (for LISTEN/NOTIFY connections on PostgreSQL).
    pub url: String,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("pool", &self.pool)
            .field("engine", &self.engine)
            .field("url", &"<redacted>")
            .finish()
    }
}

impl Db {
    /// Connect (creating the SQLite file if missing). Does not migrate.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else {
            Engine::Postgres
        };
        let url = match engine {
            Engine::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(3))
            .connect_lazy_with(options);
        Ok(Self { pool, engine, url })
    }

    /// Apply the migrations of this engine: the gateway's own set, then the policy
    /// crate's (its tables share this database). Both sets record their versions in
    /// sqlx's one `_sqlx_migrations` table, so each ignores the versions of the other.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let mut own = match self.engine {
            Engine::Sqlite => sqlx::migrate!("../migrations/gateway/sqlite"),
            Engine::Postgres => sqlx::migrate!("../migrations/gateway/postgres"),
        };
        own.set_ignore_missing(true);
        own.run(&self.pool).await?;
        policy::migrate(&self.pool)
            .await
            .map_err(StoreError::PolicyMigrate)?;
        Ok(())
    }

    /// A cheap round trip, for `/readyz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn debug_never_prints_the_url() {
        let db = Db::connect("postgres://gateway:hunter2@127.0.0.1:1/gateway", 1)
            .await
            .expect("a lazy pool connects to nothing");
        let printed = format!("{db:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("<redacted>"), "{printed}");
    }
}
