//! Database plumbing shared by the storage modules: migrations, which backend a pool
//! talks to, the change log every node's enforcer follows, and small SQL helpers.

use sqlx::{AnyConnection, AnyPool};

use crate::{Result, UserId};

/// The two supported databases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// Which database the pool talks to.
pub(crate) async fn backend_of(pool: &AnyPool) -> Result<Backend> {
    let conn = pool.acquire().await?;
    Ok(backend_of_conn(&conn))
}

pub(crate) fn backend_of_conn(conn: &AnyConnection) -> Backend {
    if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// Apply the policy tables' migrations (`migrations/policy/<backend>/`, embedded in this
/// crate). They share sqlx's `_sqlx_migrations` table with the other sets of the same
/// database (the gateway's), so versions applied by another set are not "missing". No
/// policy table refers to a table of another set, nor the reverse: the sets may run in
/// either order and a fresh database comes out the same.
pub async fn migrate(pool: &AnyPool) -> Result<()> {
    let mut migrator = match backend_of(pool).await? {
        Backend::Sqlite => sqlx::migrate!("../migrations/policy/sqlite"),
        Backend::Postgres => sqlx::migrate!("../migrations/policy/postgres"),
    };
    migrator.set_ignore_missing(true);
    migrator.run(pool).await?;
    Ok(())
}

/// Record that the rights of `user` changed (`None`: the catalogue or the structures,
/// which every node re-reads). Call it as the last statement before commit: on PostgreSQL it
/// takes the lock that orders change numbers by commit.
pub(crate) async fn record_change(
    conn: &mut AnyConnection,
    user: Option<&UserId>,
    at: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO policy_changes (user_id, at) VALUES ($1, $2)")
        .bind(user.map(UserId::as_str))
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// `$first, $first+1, ...` for `n` parameters.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    let mut s = String::with_capacity(n * 4);
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('$');
        s.push_str(&(first + i).to_string());
    }
    s
}

/// Escape `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub(crate) fn like_escape(input: &str) -> String {
    let mut s = String::with_capacity(input.len() + 2);
    for c in input.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

/// True when the error is a unique-constraint violation (on either database).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.is_unique_violation()
                || d.code().as_deref() == Some("23505")
                || d.message().contains("UNIQUE constraint failed")
        }
        _ => false,
    }
}
