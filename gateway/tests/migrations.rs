//! The gateway database holds two migration sets, each owned by its crate:
//! `migrations/gateway/` (embedded here) and `migrations/policy/` (embedded by the policy
//! crate), both recorded in sqlx's one `_sqlx_migrations` table; `Db::migrate` runs the
//! first, then the second. Before, both were one folder applied by one migrator. On
//! SQLite and PostgreSQL:
//!
//! - a database migrated by that earlier layout is accepted as it is: nothing re-run,
//!   nothing added;
//! - a fresh database gets every table of both sets and comes out the same, table for
//!   table, index for index, trigger for trigger, as one migrated by the earlier layout,
//!   with the same versions and checksums.

#[path = "support/pg.rs"]
#[allow(dead_code)]
mod pg;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gateway::store::{Db, Engine};
use sqlx::AnyPool;
use sqlx::migrate::Migrator;

/// What keeps a fresh database alive: its SQLite folder or its PostgreSQL database.
struct Keep {
    _dir: Option<tempfile::TempDir>,
    _pg: Option<pg::FreshDb>,
}

/// A fresh, empty database of `engine`.
async fn fresh(engine: Engine) -> (Db, Keep) {
    match engine {
        Engine::Sqlite => {
            let dir = tempfile::tempdir().expect("dir");
            let url = format!("sqlite://{}", dir.path().join("m.db").display());
            let db = Db::connect(&url, 4).await.expect("db");
            let keep = Keep {
                _dir: Some(dir),
                _pg: None,
            };
            (db, keep)
        }
        Engine::Postgres => {
            let fresh = pg::FreshDb::create().await;
            let db = Db::connect(&fresh.url, 4).await.expect("db");
            let keep = Keep {
                _dir: None,
                _pg: Some(fresh),
            };
            (db, keep)
        }
    }
}

/// `migrations/<owner>/<database>/` of this repository.
fn folder(owner: &str, engine: Engine) -> PathBuf {
    let db = match engine {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgres",
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

/// The migrator of the earlier layout: the gateway's and the policy's files in one
/// folder, applied in version order, with sqlx's defaults.
async fn earlier_layout(engine: Engine) -> Migrator {
    let dir = tempfile::tempdir().expect("tempdir");
    for owner in ["gateway", "policy"] {
        for f in sql_files(&folder(owner, engine)) {
            let name = f.file_name().expect("file name");
            std::fs::copy(&f, dir.path().join(name)).expect("copy migration");
        }
    }
    Migrator::new(dir.path()).await.expect("earlier migrator")
}

/// The tables the files of both sets create.
fn tables_created(engine: Engine) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for owner in ["gateway", "policy"] {
        for f in sql_files(&folder(owner, engine)) {
            let text = std::fs::read_to_string(&f).expect("read migration");
            for line in text.lines() {
                if let Some(rest) = line.trim_start().strip_prefix("CREATE TABLE ") {
                    out.insert(
                        rest.chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect(),
                    );
                }
            }
        }
    }
    out
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

/// What was applied, without when and how long: version, description, checksum.
async fn versions(pool: &AnyPool) -> Vec<(i64, String, Vec<u8>)> {
    applied(pool)
        .await
        .into_iter()
        .map(|(v, d, c, ..)| (v, d, c))
        .collect()
}

async fn tables(pool: &AnyPool, engine: Engine) -> BTreeSet<String> {
    let sql = match engine {
        Engine::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'"
        }
        Engine::Postgres => {
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

/// The schema as text, one line per object, sorted: tables, columns, indexes,
/// constraints, triggers and functions (not where sqlx keeps its own records).
async fn schema(pool: &AnyPool, engine: Engine) -> Vec<String> {
    let queries: &[&str] = match engine {
        Engine::Sqlite => &["SELECT type || ' ' || name || ' ' || tbl_name || ' ' || \
             COALESCE(sql, '') FROM sqlite_master WHERE name <> '_sqlx_migrations' \
             AND tbl_name <> '_sqlx_migrations'"],
        Engine::Postgres => &[
            "SELECT CAST(table_name || '.' || column_name || ' ' || data_type || ' ' || \
             is_nullable || ' ' || COALESCE(column_default, '') AS TEXT) \
             FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
            "SELECT indexdef FROM pg_indexes \
             WHERE schemaname = 'public' AND tablename <> '_sqlx_migrations'",
            "SELECT CAST(conrelid::regclass AS TEXT) || ' ' || CAST(conname AS TEXT) || ' ' || \
             pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE connamespace = 'public'::regnamespace \
             AND conrelid <> '_sqlx_migrations'::regclass",
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal",
            "SELECT CAST(proname AS TEXT) || ' ' || prosrc FROM pg_proc \
             WHERE pronamespace = 'public'::regnamespace",
        ],
    };
    let mut out = Vec::new();
    for sql in queries {
        let rows: Vec<(String,)> = sqlx::query_as(sql)
            .fetch_all(pool)
            .await
            .expect("read schema");
        out.extend(rows.into_iter().map(|(line,)| line));
    }
    out.sort();
    out
}

async fn earlier_layout_database_is_accepted(engine: Engine) {
    let (db, _keep) = fresh(engine).await;
    earlier_layout(engine)
        .await
        .run(&db.pool)
        .await
        .expect("earlier layout");
    let before = applied(&db.pool).await;
    let schema_before = schema(&db.pool, engine).await;
    assert_eq!(
        before.len(),
        sql_files(&folder("gateway", engine)).len() + sql_files(&folder("policy", engine)).len()
    );
    db.migrate()
        .await
        .expect("the two sets accept the earlier layout's database");
    assert_eq!(applied(&db.pool).await, before, "nothing may be re-run");
    assert_eq!(schema(&db.pool, engine).await, schema_before);
    db.pool.close().await;
}

async fn fresh_database_matches_the_earlier_layout(engine: Engine) {
    let (now, _keep_now) = fresh(engine).await;
    now.migrate().await.expect("migrate");
    let expected = tables_created(engine);
    assert!(expected.contains("users") && expected.contains("policy_grants"));
    assert_eq!(tables(&now.pool, engine).await, expected);

    let (before, _keep_before) = fresh(engine).await;
    earlier_layout(engine)
        .await
        .run(&before.pool)
        .await
        .expect("earlier layout");
    assert_eq!(versions(&now.pool).await, versions(&before.pool).await);
    let schema_now = schema(&now.pool, engine).await;
    assert!(schema_now.len() > expected.len());
    assert_eq!(schema_now, schema(&before.pool, engine).await);

    // Running again finds everything applied.
    let applied_now = applied(&now.pool).await;
    now.migrate().await.expect("migrate again");
    assert_eq!(applied(&now.pool).await, applied_now);
    now.pool.close().await;
    before.pool.close().await;
}

#[tokio::test]
async fn sqlite_earlier_layout_database_is_accepted() {
    earlier_layout_database_is_accepted(Engine::Sqlite).await;
}

#[tokio::test]
async fn postgres_earlier_layout_database_is_accepted() {
    earlier_layout_database_is_accepted(Engine::Postgres).await;
}

#[tokio::test]
async fn sqlite_fresh_database_matches_the_earlier_layout() {
    fresh_database_matches_the_earlier_layout(Engine::Sqlite).await;
}

#[tokio::test]
async fn postgres_fresh_database_matches_the_earlier_layout() {
    fresh_database_matches_the_earlier_layout(Engine::Postgres).await;
}
