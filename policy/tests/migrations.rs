//! The policy crate owns its migrations (`migrations/policy/<database>/`), applied to a
//! database whose other tables come from the gateway's set (`migrations/gateway/`), both
//! recorded in sqlx's one `_sqlx_migrations` table. On SQLite and PostgreSQL:
//!
//! - a fresh database gets every policy table, and only those, from `policy::migrate`;
//! - a database migrated by the earlier layout, where both sets were one folder applied
//!   by one migrator, is accepted as it is: nothing re-run, nothing added.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{Ctx, Kind, run_unmigrated};
use sqlx::AnyPool;
use sqlx::migrate::Migrator;

/// `migrations/<owner>/<database>/` of this repository.
fn folder(owner: &str, kind: Kind) -> PathBuf {
    let db = match kind {
        Kind::Sqlite => "sqlite",
        Kind::Postgres => "postgres",
    };
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(owner)
        .join(db)
}

fn sql_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("migrations folder")
        .map(|e| e.expect("folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    files
}

/// The tables the files of `dir` create.
fn tables_created_in(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for f in sql_files(dir) {
        let text = std::fs::read_to_string(&f).expect("read migration");
        for line in text.lines() {
            if let Some(rest) = line.trim_start().strip_prefix("CREATE TABLE ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                out.insert(name);
            }
        }
    }
    out
}

/// The migrator of the earlier layout: the gateway's and the policy's files in one
/// folder, applied in version order, with sqlx's defaults.
async fn earlier_layout(kind: Kind) -> (Migrator, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    for owner in ["gateway", "policy"] {
        for f in sql_files(&folder(owner, kind)) {
            let name = f.file_name().expect("file name");
            std::fs::copy(&f, dir.path().join(name)).expect("copy migration");
        }
    }
    let migrator = Migrator::new(dir.path()).await.expect("earlier migrator");
    (migrator, dir)
}

/// Every row of `_sqlx_migrations`: applying anything again would change it.
async fn applied(pool: &AnyPool) -> Vec<(i64, String, Vec<u8>, i64, String, i64)> {
    sqlx::query_as(
        "SELECT version, description, checksum, CAST(success AS INTEGER), \
         CAST(installed_on AS TEXT), execution_time FROM _sqlx_migrations ORDER BY version",
    )
    .fetch_all(pool)
    .await
    .expect("applied migrations")
}

/// The user tables of the database.
async fn tables(pool: &AnyPool, kind: Kind) -> BTreeSet<String> {
    let sql = match kind {
        Kind::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'"
        }
        Kind::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'"
        }
    };
    let rows: Vec<(String,)> = sqlx::query_as(sql)
        .fetch_all(pool)
        .await
        .expect("list tables");
    rows.into_iter().map(|(t,)| t).collect()
}

/// The migration versions of the files of `dir`.
fn versions_in(dir: &Path) -> Vec<i64> {
    sql_files(dir)
        .iter()
        .map(|f| {
            let name = f.file_name().and_then(|n| n.to_str()).expect("file name");
            name.split('_')
                .next()
                .and_then(|v| v.parse().ok())
                .expect("versioned file name")
        })
        .collect()
}

async fn fresh_database_gets_every_policy_table(ctx: Ctx) {
    let (kind, pool) = (ctx.kind, &ctx.pool);
    policy::migrate(pool).await.expect("migrate");
    let expected = tables_created_in(&folder("policy", kind));
    assert!(expected.contains("policy_grants") && expected.contains("audit_log"));
    assert_eq!(tables(pool, kind).await, expected);
    let versions: Vec<i64> = applied(pool).await.iter().map(|r| r.0).collect();
    assert_eq!(versions, versions_in(&folder("policy", kind)));
    // A second run finds everything applied.
    let before = applied(pool).await;
    policy::migrate(pool).await.expect("migrate again");
    assert_eq!(applied(pool).await, before);
}

async fn earlier_layout_database_is_accepted(ctx: Ctx) {
    let (kind, pool) = (ctx.kind, &ctx.pool);
    let (earlier, _files) = earlier_layout(kind).await;
    earlier.run(pool).await.expect("earlier layout");
    let before = applied(pool).await;
    let tables_before = tables(pool, kind).await;
    assert!(before.len() > versions_in(&folder("policy", kind)).len());
    policy::migrate(pool)
        .await
        .expect("the policy set accepts the earlier layout's database");
    assert_eq!(applied(pool).await, before, "nothing may be re-run");
    assert_eq!(tables(pool, kind).await, tables_before);
}

mod sqlite {
    use super::*;

    #[tokio::test]
    async fn fresh_database_gets_every_policy_table() {
        run_unmigrated(Kind::Sqlite, super::fresh_database_gets_every_policy_table).await;
    }

    #[tokio::test]
    async fn earlier_layout_database_is_accepted() {
        run_unmigrated(Kind::Sqlite, super::earlier_layout_database_is_accepted).await;
    }
}

mod postgres {
    use super::*;

    #[tokio::test]
    async fn fresh_database_gets_every_policy_table() {
        run_unmigrated(
            Kind::Postgres,
            super::fresh_database_gets_every_policy_table,
        )
        .await;
    }

    #[tokio::test]
    async fn earlier_layout_database_is_accepted() {
        run_unmigrated(Kind::Postgres, super::earlier_layout_database_is_accepted).await;
    }
}
