//! The `policy_main_managers` and `policy_local_managers` tables, as the facts the rules
//! rest on: who manages a structure, which of its services, how many main managers it
//! has left.

use std::collections::BTreeSet;

use sqlx::AnyConnection;

use crate::error::Result;
use crate::model::{ServiceId, StructureId, UserId};

/// Is the person an (effective, not pending) main manager of the structure?
pub async fn is_main_manager(
    conn: &mut AnyConnection,
    user: &UserId,
    structure: &StructureId,
) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM policy_main_managers WHERE user_id = $1 AND structure_id = $2 LIMIT 1",
    )
    .bind(user.as_str())
    .bind(structure.as_str())
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// The services of the structure the person is a local manager of.
pub async fn local_manager_services(
    conn: &mut AnyConnection,
    user: &UserId,
    structure: &StructureId,
) -> Result<BTreeSet<ServiceId>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT service_id FROM policy_local_managers WHERE user_id = $1 AND structure_id = $2",
    )
    .bind(user.as_str())
    .bind(structure.as_str())
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(s,)| ServiceId(s)).collect())
}

/// Main managers who have an account (pending ones do not count).
pub(crate) async fn count_effective_main(
    conn: &mut AnyConnection,
    structure: &StructureId,
) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM policy_main_managers WHERE structure_id = $1 AND user_id IS NOT NULL",
    )
    .bind(structure.as_str())
    .fetch_one(conn)
    .await?;
    Ok(n)
}
