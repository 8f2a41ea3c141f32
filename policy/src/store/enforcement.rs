//! What enforcement reads from the grant tables: the catalogue and the grants valid at
//! an instant, as rows for the decision index ([`crate::index`]) and the casbin
//! compilation ([`crate::casbin_model`]). [`for_each_grant_row`] streams borrowed text,
//! so that loading a million grants allocates only what the index keeps.

use futures_util::TryStreamExt;
use sqlx::{AnyConnection, Row};

use super::placeholders;
use crate::error::Result;
use crate::index::{CatalogueRight, GrantRow};

/// The whole catalogue.
pub(crate) async fn load_catalogue(conn: &mut AnyConnection) -> Result<Vec<CatalogueRight>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, application, level FROM policy_rights WHERE retired_at IS NULL ORDER BY id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, application, level)| CatalogueRight {
            id,
            application,
            level,
        })
        .collect())
}

/// Grants valid at `now_ms`, one row per grant and service, of everyone or of `users`.
pub(crate) async fn load_grant_rows(
    conn: &mut AnyConnection,
    now_ms: i64,
    users: Option<&[String]>,
) -> Result<Vec<GrantRow>> {
    let mut out = Vec::new();
    for_each_grant_row(
        conn,
        now_ms,
        users,
        |user, structure, right_id, service, valid_until| {
            out.push(GrantRow {
                user: user.to_owned(),
                structure: structure.to_owned(),
                right_id: right_id.to_owned(),
                service: service.map(str::to_owned),
                valid_until,
            });
        },
    )
    .await?;
    Ok(out)
}

/// Stream the grants valid at `now_ms` (one call per grant and service; `service` is
/// `None` for the whole structure) of everyone or of `users`. Two plain queries (whole
/// structure, then per service) rather than one outer join: fewer columns to decode per
/// row on the load path.
pub(crate) async fn for_each_grant_row(
    conn: &mut AnyConnection,
    now_ms: i64,
    users: Option<&[String]>,
    mut visit: impl FnMut(&str, &str, &str, Option<&str>, Option<i64>),
) -> Result<()> {
    let mut filter = String::from(
        "g.revoked_at IS NULL AND g.user_id IS NOT NULL \
         AND (g.valid_until IS NULL OR g.valid_until > $1) \
         AND g.right_id NOT IN (SELECT id FROM policy_rights WHERE retired_at IS NOT NULL)",
    );
    if let Some(users) = users {
        if users.is_empty() {
            return Ok(());
        }
        filter.push_str(&format!(
            " AND g.user_id IN ({})",
            placeholders(2, users.len())
        ));
    }
    let whole = format!(
        "SELECT g.user_id, g.structure_id, g.right_id, g.valid_until FROM policy_grants g \
         WHERE g.whole_structure = 1 AND {filter}"
    );
    let per_service = format!(
        "SELECT g.user_id, g.structure_id, g.right_id, g.valid_until, gs.service_id \
         FROM policy_grants g JOIN policy_grant_services gs ON gs.grant_id = g.id \
         WHERE g.whole_structure = 0 AND {filter}"
    );
    for (sql, with_service) in [(whole, false), (per_service, true)] {
        let mut query = sqlx::query(&sql).bind(now_ms);
        for u in users.unwrap_or_default() {
            query = query.bind(u.as_str());
        }
        let mut stream = query.fetch(&mut *conn);
        while let Some(row) = stream.try_next().await? {
            let user: &str = row.try_get(0)?;
            let structure: &str = row.try_get(1)?;
            let right_id: &str = row.try_get(2)?;
            let valid_until: Option<i64> = row.try_get(3)?;
            let service: Option<&str> = if with_service {
                Some(row.try_get(4)?)
            } else {
                None
            };
            visit(user, structure, right_id, service, valid_until);
        }
    }
    Ok(())
}
