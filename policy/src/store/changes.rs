//! The change log (`policy_changes`) every node's decision index follows: one row per
//! committed change, naming the person whose rights changed (`NULL`: the catalogue or
//! the structures, which every node re-reads whole).

use sqlx::AnyConnection;

use crate::error::Result;
use crate::model::UserId;

/// Record that the rights of `user` changed (`None`: the catalogue or the structures).
/// Call it as the last statement before commit: on PostgreSQL it takes the lock that
/// orders change numbers by commit.
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

/// The last change number (0 when none).
pub(crate) async fn latest(conn: &mut AnyConnection) -> Result<i64> {
    let (seq,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM policy_changes")
        .fetch_one(conn)
        .await?;
    Ok(seq)
}

/// At most `limit` changes after number `after`, oldest first: `(number, person)`.
pub(crate) async fn since(
    conn: &mut AnyConnection,
    after: i64,
    limit: usize,
) -> Result<Vec<(i64, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT seq, user_id FROM policy_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(after)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(conn)
    .await?)
}

/// Forget the changes recorded before `at` (unix ms).
pub(crate) async fn forget_before(conn: &mut AnyConnection, at: i64) -> Result<()> {
    sqlx::query("DELETE FROM policy_changes WHERE at < $1")
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}
