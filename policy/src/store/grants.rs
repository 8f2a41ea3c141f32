//! The `policy_grants` and `policy_grant_services` tables for management: grants as the
//! API shows them, narrowing a grant's services, and until when a person holds a right
//! over a scope (what the rules on granting and deciding requests rest on). What the
//! decision index reads is in [`super::enforcement`].

use std::collections::{BTreeSet, HashMap};

use sqlx::AnyConnection;

use super::subjects::subject_from;
use crate::error::{PolicyError, Result};
use crate::model::{
    Grant, GrantId, ManagerScope, Right, RightId, Scope, ServiceId, StructureId, UserId,
};

type GrantRowT = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    Option<i64>,
    Option<String>,
    i64,
    i64,
    Option<i64>,
);

/// Grants matching `filter` (a WHERE clause on `g` with text parameters `$1..`).
pub(crate) async fn load_grants(
    conn: &mut AnyConnection,
    filter: &str,
    args: &[&str],
) -> Result<Vec<Grant>> {
    let sql = format!(
        "SELECT g.id, g.structure_id, g.right_id, r.application, r.level, r.label, g.user_id, \
         g.nrn_hash, g.whole_structure, g.valid_until, g.granted_by, g.granted_at, g.updated_at, \
         g.revoked_at FROM policy_grants g JOIN policy_rights r ON r.id = g.right_id \
         WHERE {filter} ORDER BY g.granted_at, g.id"
    );
    let mut q = sqlx::query_as::<_, GrantRowT>(&sql);
    for a in args {
        q = q.bind(*a);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let sql = format!(
        "SELECT gs.grant_id, gs.service_id FROM policy_grant_services gs \
         JOIN policy_grants g ON g.id = gs.grant_id WHERE {filter} ORDER BY gs.service_id"
    );
    let mut q = sqlx::query_as::<_, (String, String)>(&sql);
    for a in args {
        q = q.bind(*a);
    }
    let mut services: HashMap<String, Vec<ServiceId>> = HashMap::new();
    for (g, s) in q.fetch_all(&mut *conn).await? {
        services.entry(g).or_default().push(ServiceId(s));
    }
    rows.into_iter()
        .map(|row| {
            let (
                id,
                structure,
                right_id,
                app,
                level,
                label,
                user,
                nrn,
                whole,
                until,
                by,
                at,
                upd,
                rev,
            ) = row;
            let scope = if whole == 1 {
                Scope::Structure
            } else {
                Scope::Services(services.remove(&id).unwrap_or_default())
            };
            Ok(Grant {
                id: GrantId(id),
                structure_id: StructureId(structure),
                right: Right {
                    id: RightId(right_id),
                    application: app,
                    level,
                    label,
                },
                holder: subject_from(user, nrn)?,
                scope,
                valid_until: until,
                granted_by: by.map(UserId),
                granted_at: at,
                updated_at: upd,
                revoked_at: rev,
            })
        })
        .collect()
}

/// One grant by id.
pub(crate) async fn load_grant(conn: &mut AnyConnection, id: &GrantId) -> Result<Grant> {
    load_grants(conn, "g.id = $1", &[id.as_str()])
        .await?
        .pop()
        .ok_or(PolicyError::not_found("grant"))
}

/// The structure and scope of a grant.
pub(crate) async fn grant_scope(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<(StructureId, Scope)> {
    let g = load_grant(conn, &GrantId(id.to_owned())).await?;
    Ok((g.structure_id, g.scope))
}

/// Narrow a grant to `services` (revoking it when none is left).
pub(crate) async fn set_grant_services(
    conn: &mut AnyConnection,
    grant: &str,
    services: &[String],
    now: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM policy_grant_services WHERE grant_id = $1")
        .bind(grant)
        .execute(&mut *conn)
        .await?;
    if services.is_empty() {
        sqlx::query("UPDATE policy_grants SET revoked_at = $1, updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(grant)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    }
    sqlx::query("UPDATE policy_grants SET whole_structure = 0, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(grant)
        .execute(&mut *conn)
        .await?;
    for s in services {
        sqlx::query("INSERT INTO policy_grant_services (grant_id, service_id) VALUES ($1, $2)")
            .bind(grant)
            .bind(s)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Until when (exclusive, `i64::MAX`: unlimited) the person holds `right` over the whole
/// of `scope` at `now_ms`; `None` when they do not hold it over all of it.
pub async fn coverage(
    conn: &mut AnyConnection,
    user: &UserId,
    structure: &StructureId,
    right: &RightId,
    scope: &Scope,
    now_ms: i64,
) -> Result<Option<i64>> {
    let rows: Vec<(i64, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT g.whole_structure, gs.service_id, g.valid_until FROM policy_grants g \
         LEFT JOIN policy_grant_services gs ON gs.grant_id = g.id \
         WHERE g.user_id = $1 AND g.structure_id = $2 AND g.right_id = $3 \
         AND g.revoked_at IS NULL AND (g.valid_until IS NULL OR g.valid_until > $4)",
    )
    .bind(user.as_str())
    .bind(structure.as_str())
    .bind(right.as_str())
    .bind(now_ms)
    .fetch_all(conn)
    .await?;
    let mut whole: Option<i64> = None;
    let mut per_service: HashMap<String, i64> = HashMap::new();
    for (is_whole, service, until) in rows {
        let until = until.unwrap_or(i64::MAX);
        if is_whole == 1 {
            whole = Some(whole.map_or(until, |w| w.max(until)));
        } else if let Some(s) = service {
            let e = per_service.entry(s).or_insert(until);
            *e = (*e).max(until);
        }
    }
    Ok(match scope {
        Scope::Structure => whole,
        Scope::Services(list) => {
            let mut min = i64::MAX;
            for s in list {
                let own = per_service.get(s.as_str()).copied();
                let best = match (whole, own) {
                    (Some(a), Some(b)) => a.max(b),
                    (Some(a), None) | (None, Some(a)) => a,
                    (None, None) => return Ok(None),
                };
                min = min.min(best);
            }
            (!list.is_empty()).then_some(min)
        }
    })
}

/// Where the person holds `application`/`level` in the structure at `now_ms`: the whole
/// structure, some services, or nowhere (`None`).
pub(crate) async fn held_scope(
    conn: &mut AnyConnection,
    user: &UserId,
    structure: &StructureId,
    (application, level): (&str, &str),
    now_ms: i64,
) -> Result<Option<ManagerScope>> {
    let rows: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT g.whole_structure, gs.service_id FROM policy_grants g \
         JOIN policy_rights r ON r.id = g.right_id \
         LEFT JOIN policy_grant_services gs ON gs.grant_id = g.id \
         WHERE g.user_id = $1 AND g.structure_id = $2 AND r.application = $3 AND r.level = $4 \
         AND g.revoked_at IS NULL AND (g.valid_until IS NULL OR g.valid_until > $5)",
    )
    .bind(user.as_str())
    .bind(structure.as_str())
    .bind(application)
    .bind(level)
    .bind(now_ms)
    .fetch_all(&mut *conn)
    .await?;
    if rows.iter().any(|(w, _)| *w == 1) {
        return Ok(Some(ManagerScope::Whole));
    }
    let set: BTreeSet<ServiceId> = rows
        .into_iter()
        .filter_map(|(_, s)| s.map(ServiceId))
        .collect();
    Ok((!set.is_empty()).then_some(ManagerScope::Services(set)))
}
