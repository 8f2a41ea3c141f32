//! Attachments of people to structures or some of their services, and detaching
//! (requests to be attached are in [`crate::requests`]).
//!
//! Designations and grants attach their holder where they apply; detaching removes what
//! the person held there (grants, manager roles), except that the last main manager of a
//! structure cannot leave it.

use std::collections::BTreeSet;

use serde_json::json;
use sqlx::AnyConnection;

use crate::audit::{Audit, AuditEvent, actions};
use crate::authz;
use crate::db::record_change;
use crate::structures::{STRUCTURE_COLUMNS, normalize_scope, structure_from_row};
use crate::{
    Actor, Attachment, ManagerScope, Policy, PolicyError, Result, Scope, Service, ServiceId,
    StructureId, StructureSummary, UserId,
};

/// Attach `user` to `scope` of `structure` if not already covered (a whole-structure
/// attachment covers every service).
pub(crate) async fn ensure_attached(
    conn: &mut AnyConnection,
    structure: &StructureId,
    user: &UserId,
    scope: &Scope,
    now: i64,
) -> Result<()> {
    let existing: Option<(i64,)> = sqlx::query_as(
        "SELECT whole_structure FROM policy_attachments WHERE structure_id = $1 AND user_id = $2",
    )
    .bind(structure.as_str())
    .bind(user.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    match existing {
        Some((1,)) => return Ok(()),
        Some(_) => {
            if matches!(scope, Scope::Structure) {
                sqlx::query(
                    "DELETE FROM policy_attachment_services WHERE structure_id = $1 AND user_id = $2",
                )
                .bind(structure.as_str())
                .bind(user.as_str())
                .execute(&mut *conn)
                .await?;
                sqlx::query(
                    "UPDATE policy_attachments SET whole_structure = 1 \
                     WHERE structure_id = $1 AND user_id = $2",
                )
                .bind(structure.as_str())
                .bind(user.as_str())
                .execute(&mut *conn)
                .await?;
                return Ok(());
            }
        }
        None => {
            sqlx::query(
                "INSERT INTO policy_attachments (structure_id, user_id, whole_structure, created_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(structure.as_str())
            .bind(user.as_str())
            .bind(scope.whole_flag())
            .bind(now)
            .execute(&mut *conn)
            .await?;
        }
    }
    if let Scope::Services(list) = scope {
        for s in list {
            sqlx::query(
                "INSERT INTO policy_attachment_services (structure_id, user_id, service_id) \
                 VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(structure.as_str())
            .bind(user.as_str())
            .bind(s.as_str())
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// The person's attachment to the structure, if any.
pub(crate) async fn attachment_on(
    conn: &mut AnyConnection,
    structure: &StructureId,
    user: &UserId,
) -> Result<Option<Attachment>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT whole_structure, created_at FROM policy_attachments \
         WHERE structure_id = $1 AND user_id = $2",
    )
    .bind(structure.as_str())
    .bind(user.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((whole, created_at)) = row else {
        return Ok(None);
    };
    let scope = if whole == 1 {
        Scope::Structure
    } else {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT service_id FROM policy_attachment_services \
             WHERE structure_id = $1 AND user_id = $2 ORDER BY service_id",
        )
        .bind(structure.as_str())
        .bind(user.as_str())
        .fetch_all(&mut *conn)
        .await?;
        Scope::Services(rows.into_iter().map(|(s,)| ServiceId(s)).collect())
    };
    Ok(Some(Attachment {
        structure_id: structure.clone(),
        user_id: user.clone(),
        scope,
        created_at,
    }))
}

/// Every structure the person is attached to, with the services of the attachment.
pub(crate) async fn structures_of(
    conn: &mut AnyConnection,
    user: &str,
) -> Result<Vec<StructureSummary>> {
    let rows: Vec<(String, String, String, String, String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT {STRUCTURE_COLUMNS}, a.whole_structure FROM policy_attachments a \
         JOIN policy_structures s ON s.id = a.structure_id \
         WHERE a.user_id = $1 ORDER BY s.common_name, s.id"
    ))
    .bind(user)
    .fetch_all(&mut *conn)
    .await?;
    let services: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT sv.id, sv.structure_id, sv.code, sv.label FROM policy_services sv \
         JOIN policy_attachments a ON a.structure_id = sv.structure_id \
         WHERE a.user_id = $1 AND (a.whole_structure = 1 OR EXISTS ( \
            SELECT 1 FROM policy_attachment_services x WHERE x.structure_id = a.structure_id \
            AND x.user_id = a.user_id AND x.service_id = sv.id)) \
         ORDER BY sv.code",
    )
    .bind(user)
    .fetch_all(&mut *conn)
    .await?;
    let services: Vec<Service> = services
        .into_iter()
        .map(crate::structures::service_from_row)
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for (id, kind, digits, legal, common, created, whole) in rows {
        let s = structure_from_row((id, kind, digits, legal, common, created))?;
        out.push(StructureSummary {
            services: services
                .iter()
                .filter(|sv| sv.structure_id == s.id)
                .cloned()
                .collect(),
            id: s.id,
            enterprise_number: s.enterprise_number,
            legal_name: s.legal_name,
            common_name: s.common_name,
            whole_structure: whole == 1,
        });
    }
    Ok(out)
}

/// Does `scope` touch what the manager sees?
pub(crate) fn scope_touches_view(scope: &Scope, view: &ManagerScope) -> bool {
    match (view, scope) {
        (ManagerScope::Whole, _) => true,
        (ManagerScope::Services(set), Scope::Services(list)) => {
            list.iter().any(|s| set.contains(s))
        }
        (ManagerScope::Services(_), Scope::Structure) => false,
    }
}

impl Policy {
    /// The people attached to a structure, as far as the actor manages it.
    pub async fn members(&self, actor: &Actor, structure: &StructureId) -> Result<Vec<Attachment>> {
        let mut conn = self.inner.pool.acquire().await?;
        let view = authz::ensure_may_read(&mut conn, actor, structure).await?;
        let users: Vec<(String,)> = sqlx::query_as(
            "SELECT user_id FROM policy_attachments WHERE structure_id = $1 ORDER BY user_id",
        )
        .bind(structure.as_str())
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::new();
        for (u,) in users {
            if let Some(a) = attachment_on(&mut conn, structure, &UserId(u)).await?
                && scope_touches_view(&a.scope, &view)
            {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// The person's attachment to a structure, if any.
    pub async fn attachment(
        &self,
        structure: &StructureId,
        user: &UserId,
    ) -> Result<Option<Attachment>> {
        let mut conn = self.inner.pool.acquire().await?;
        attachment_on(&mut conn, structure, user).await
    }

    /// Detach oneself from a whole structure (`services: None`) or from some services.
    /// What one held there goes too: grants are revoked (or narrowed to the services one
    /// stays in), manager designations removed. The last main manager cannot leave.
    pub async fn detach(
        &self,
        actor: &Actor,
        structure: &StructureId,
        services: Option<&[ServiceId]>,
    ) -> Result<()> {
        let user = actor
            .user_id
            .clone()
            .ok_or(PolicyError::forbidden("only a person detaches themselves"))?;
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let att = attachment_on(&mut tx, structure, &user)
            .await?
            .ok_or(PolicyError::not_found("attachment"))?;
        let is_main = authz::is_main_manager(&mut tx, &user, structure).await?;
        let leaving: Vec<ServiceId> = match services {
            None => Vec::new(),
            Some(list) => {
                if is_main {
                    return Err(PolicyError::Conflict(
                        "a main manager is attached to the whole structure; leave it or resign first",
                    ));
                }
                match normalize_scope(&mut tx, structure, &Scope::Services(list.to_vec())).await? {
                    Scope::Services(l) => l,
                    Scope::Structure => Vec::new(),
                }
            }
        };
        let all: Vec<ServiceId> = crate::structures::services_on(&mut tx, structure)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        let staying: Vec<ServiceId> = match (&att.scope, services) {
            (_, None) => Vec::new(),
            (Scope::Structure, Some(_)) => {
                all.into_iter().filter(|s| !leaving.contains(s)).collect()
            }
            (Scope::Services(have), Some(_)) => have
                .iter()
                .filter(|s| !leaving.contains(s))
                .cloned()
                .collect(),
        };
        if staying.is_empty() {
            if is_main && crate::managers::count_effective_main(&mut tx, structure).await? <= 1 {
                return Err(PolicyError::LastMainManager);
            }
            leave_structure(&mut tx, structure, &user, now).await?;
        } else {
            narrow_to(&mut tx, structure, &user, &staying, now).await?;
        }
        Audit::record_in(
            &mut tx,
            &AuditEvent {
                actor: Some(user.clone()),
                action: actions::ATTACHMENT_DETACH.to_owned(),
                target: user.0.clone(),
                structure: Some(structure.clone()),
                ip: actor.ip.clone(),
                detail: json!({"services": services, "staying": staying}),
            },
            now,
        )
        .await?;
        record_change(&mut tx, Some(&user), now).await?;
        tx.commit().await?;
        self.after_change().await;
        Ok(())
    }
}

/// Remove everything `user` holds in `structure`.
async fn leave_structure(
    conn: &mut AnyConnection,
    structure: &StructureId,
    user: &UserId,
    now: i64,
) -> Result<()> {
    for sql in [
        "DELETE FROM policy_main_managers WHERE structure_id = $1 AND user_id = $2",
        "DELETE FROM policy_local_managers WHERE structure_id = $1 AND user_id = $2",
        "DELETE FROM policy_attachment_services WHERE structure_id = $1 AND user_id = $2",
        "DELETE FROM policy_attachments WHERE structure_id = $1 AND user_id = $2",
    ] {
        sqlx::query(sql)
            .bind(structure.as_str())
            .bind(user.as_str())
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "UPDATE policy_grants SET revoked_at = $1, revoked_by = $2, updated_at = $1 \
         WHERE structure_id = $3 AND user_id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(user.as_str())
    .bind(structure.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Keep `user` attached to `staying` only, narrowing their grants and local-manager
/// designations to those services.
async fn narrow_to(
    conn: &mut AnyConnection,
    structure: &StructureId,
    user: &UserId,
    staying: &[ServiceId],
    now: i64,
) -> Result<()> {
    let keep: BTreeSet<&str> = staying.iter().map(ServiceId::as_str).collect();
    sqlx::query("DELETE FROM policy_attachment_services WHERE structure_id = $1 AND user_id = $2")
        .bind(structure.as_str())
        .bind(user.as_str())
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE policy_attachments SET whole_structure = 0 WHERE structure_id = $1 AND user_id = $2",
    )
    .bind(structure.as_str())
    .bind(user.as_str())
    .execute(&mut *conn)
    .await?;
    ensure_attached(
        conn,
        structure,
        user,
        &Scope::Services(staying.to_vec()),
        now,
    )
    .await?;
    let locals: Vec<(String,)> = sqlx::query_as(
        "SELECT service_id FROM policy_local_managers WHERE structure_id = $1 AND user_id = $2",
    )
    .bind(structure.as_str())
    .bind(user.as_str())
    .fetch_all(&mut *conn)
    .await?;
    for (s,) in locals.iter().filter(|(s,)| !keep.contains(s.as_str())) {
        sqlx::query("DELETE FROM policy_local_managers WHERE service_id = $1 AND user_id = $2")
            .bind(s)
            .bind(user.as_str())
            .execute(&mut *conn)
            .await?;
    }
    let grants: Vec<(String, i64)> = sqlx::query_as(
        "SELECT id, whole_structure FROM policy_grants \
         WHERE structure_id = $1 AND user_id = $2 AND revoked_at IS NULL",
    )
    .bind(structure.as_str())
    .bind(user.as_str())
    .fetch_all(&mut *conn)
    .await?;
    for (grant, whole) in grants {
        let current: Vec<String> = if whole == 1 {
            keep.iter().map(|s| (*s).to_owned()).collect()
        } else {
            let rows: Vec<(String,)> =
                sqlx::query_as("SELECT service_id FROM policy_grant_services WHERE grant_id = $1")
                    .bind(&grant)
                    .fetch_all(&mut *conn)
                    .await?;
            rows.into_iter()
                .map(|(s,)| s)
                .filter(|s| keep.contains(s.as_str()))
                .collect()
        };
        crate::grants::set_grant_services(conn, &grant, &current, now).await?;
    }
    Ok(())
}
