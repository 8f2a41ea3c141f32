//! The `policy_legal_representatives` table as a fact the rules rest on: whether a
//! person, through the national number linked to their account, represents a structure.

use sqlx::AnyConnection;

use crate::error::Result;
use crate::model::{StructureId, UserId};

/// Is the person a legal representative of the structure (through the national number
/// linked to their account at login)?
pub async fn is_legal_representative(
    conn: &mut AnyConnection,
    user: &UserId,
    structure: &StructureId,
) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM policy_legal_representatives r \
         JOIN policy_identities i ON i.nrn_hash = r.nrn_hash \
         WHERE i.user_id = $1 AND r.structure_id = $2 LIMIT 1",
    )
    .bind(user.as_str())
    .bind(structure.as_str())
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}
