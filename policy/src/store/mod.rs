//! The storage layer: the SQL of every policy table, one module per table or group of
//! tables, and the plumbing they share (which database a pool talks to, placeholders,
//! unique violations). Nothing here decides who may do what nor writes the audit log;
//! the operations above compose these reads and writes inside their transactions.

pub(crate) mod attachments;
pub(crate) mod changes;
pub(crate) mod enforcement;
pub(crate) mod grants;
pub(crate) mod managers;
mod migrations;
pub(crate) mod representatives;
pub(crate) mod requests;
pub(crate) mod rights;
pub(crate) mod structures;
pub(crate) mod subjects;

use sqlx::AnyPool;

use crate::error::Result;

pub use migrations::migrate;

/// The two supported databases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// Which database the pool talks to.
pub(crate) async fn backend_of(pool: &AnyPool) -> Result<Backend> {
    let conn = pool.acquire().await?;
    Ok(if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    })
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
