//! The `policy_rights` table (the application catalogue), read: a right by id, and the
//! id of a right by application and level. A retired right (a level removed from the
//! configuration) is unknown to both: it can no longer be granted.

use sqlx::AnyConnection;

use crate::error::{PolicyError, Result};
use crate::model::{Right, RightId};

/// A catalogue right by id.
pub(crate) async fn right_on(conn: &mut AnyConnection, id: &RightId) -> Result<Right> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, application, level, label FROM policy_rights \
             WHERE id = $1 AND retired_at IS NULL",
    )
    .bind(id.as_str())
    .fetch_optional(conn)
    .await?;
    let (id, application, level, label) = row.ok_or(PolicyError::not_found("right"))?;
    Ok(Right {
        id: RightId(id),
        application,
        level,
        label,
    })
}

/// The id of the right `application`/`level`, if the catalogue has it.
pub(crate) async fn right_id_of(
    conn: &mut AnyConnection,
    (application, level): (&str, &str),
) -> Result<Option<RightId>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM policy_rights \
             WHERE application = $1 AND level = $2 AND retired_at IS NULL",
    )
    .bind(application)
    .bind(level)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id,)| RightId(id)))
}
