//! The backend's own database: SQLite (embedded default, WAL) or PostgreSQL, chosen by the
//! URL scheme, reached through sqlx's `AnyPool` with portable SQL (`$1` placeholders,
//! times as unix milliseconds, dates as `YYYY-MM-DD` text, booleans as 0/1 integers).

use std::str::FromStr;
use std::sync::Once;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

/// Why the database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL is neither `sqlite:` nor `postgres:`/`postgresql:`.
    #[error("database URL must start with sqlite: or postgres:")]
    Scheme,
    /// Connecting failed.
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Which SQL engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite file (or memory).
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl Dialect {
    /// The dialect of `url`, from its scheme.
    pub fn of(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Self::Postgres)
        } else {
            Err(DbError::Scheme)
        }
    }
}

static DRIVERS: Once = Once::new();

/// Open a pool on `url`. A SQLite file is created when missing and switched to WAL.
pub async fn connect(url: &str, max_connections: u32) -> Result<AnyPool, DbError> {
    DRIVERS.call_once(sqlx::any::install_default_drivers);
    let dialect = Dialect::of(url)?;
    let url = if dialect == Dialect::Sqlite && !url.contains("mode=") && !url.contains(":memory:") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}mode=rwc")
    } else {
        url.to_owned()
    };
    let options = AnyConnectOptions::from_str(&url).map_err(DbError::Connect)?;
    let pool = AnyPoolOptions::new()
        .max_connections(max_connections.max(1))
        .connect_with(options)
        .await
        .map_err(DbError::Connect)?;
    if dialect == Dialect::Sqlite {
        // WAL lets readers work while the scheduler writes; the mode is stored in the file.
        pool.execute("PRAGMA journal_mode=WAL")
            .await
            .map_err(DbError::Connect)?;
    }
    Ok(pool)
}

/// Run the migrations of the dialect of `url`. Migrations applied by another owner of the
/// same database (when an operator puts both backends in one database) are ignored.
pub async fn migrate(
    pool: &AnyPool,
    url: &str,
    sqlite: Migrator,
    postgres: Migrator,
) -> Result<(), DbError> {
    let mut migrator = match Dialect::of(url)? {
        Dialect::Sqlite => sqlite,
        Dialect::Postgres => postgres,
    };
    migrator.set_ignore_missing(true);
    migrator.run(pool).await?;
    Ok(())
}

/// A new random id (UUID v4, as text).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
