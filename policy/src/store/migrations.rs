//! The policy tables' migrations, `migrations/policy/<database>/`, embedded in this crate
//! (`build.rs` rebuilds it when they change).
//!
//! They live in a database whose other tables come from the gateway's own set, and both
//! sets record their versions in sqlx's one `_sqlx_migrations` table: a version applied
//! by the other set is not "missing" here, so the migrator ignores it. No policy table
//! refers to a table of another set, nor the reverse, so the sets may run in either order
//! and a fresh database comes out the same as one migrated when both were one folder.

use sqlx::AnyPool;

use super::{Backend, backend_of};
use crate::error::Result;

/// Apply the policy tables' migrations not yet applied to the database behind `pool`.
/// The gateway runs this after its own set; tools and tests may run it alone.
pub async fn migrate(pool: &AnyPool) -> Result<()> {
    let mut migrator = match backend_of(pool).await? {
        Backend::Sqlite => sqlx::migrate!("../migrations/policy/sqlite"),
        Backend::Postgres => sqlx::migrate!("../migrations/policy/postgres"),
    };
    migrator.set_ignore_missing(true);
    migrator.run(pool).await?;
    Ok(())
}
