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
use crate::engine::Policy;
use crate::error::{PolicyError, Result};
use crate::model::{Actor, Attachment, Scope, ServiceId, StructureId, UserId};
use crate::store::attachments::{attachment_on, ensure_attached};
use crate::store::changes::record_change;
use crate::store::grants::set_grant_services;
use crate::store::managers::{count_effective_main, is_main_manager};
use crate::store::structures::{normalize_scope, services_on};

impl Policy {
    /// The people attached to a structure, as far as the actor manages it.
    pub async fn members(&self, actor: &Actor, structure: &StructureId) -> Result<Vec<Attachment>> {
        let mut conn = self.pool().acquire().await?;
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
                && view.touches(&a.scope)
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
        let mut conn = self.pool().acquire().await?;
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
        let is_main = is_main_manager(&mut tx, &user, structure).await?;
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
        let all: Vec<ServiceId> = services_on(&mut tx, structure)
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
            if is_main && count_effective_main(&mut tx, structure).await? <= 1 {
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

impl Policy {
    /// A manager detaches a person from the structure: everything the person held there
    /// goes (grants revoked, manager roles removed). Main managers may detach anyone but
    /// the last main manager; local managers only a person attached within their own
    /// services. Nobody detaches themselves this way ([`Policy::detach`] is for that).
    pub async fn detach_member(
        &self,
        actor: &Actor,
        structure: &StructureId,
        member: &UserId,
    ) -> Result<()> {
        if actor.user_id.as_ref() == Some(member) {
            return Err(PolicyError::forbidden(
                "detach yourself from your own organisations page",
            ));
        }
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let view = authz::ensure_may_read(&mut tx, actor, structure).await?;
        let att = attachment_on(&mut tx, structure, member)
            .await?
            .ok_or(PolicyError::not_found("attachment"))?;
        if !view.covers(&att.scope) {
            return Err(PolicyError::forbidden(
                "a local manager may only detach people attached within their own services",
            ));
        }
        if let Some(user) = &actor.user_id
            && matches!(view, crate::model::ManagerScope::Whole)
            && !is_main_manager(&mut tx, user, structure).await?
        {
            return Err(PolicyError::forbidden(
                "only the structure's managers may detach people",
            ));
        }
        if is_main_manager(&mut tx, member, structure).await?
            && count_effective_main(&mut tx, structure).await? <= 1
        {
            return Err(PolicyError::LastMainManager);
        }
        leave_structure(&mut tx, structure, member, now).await?;
        Audit::record_in(
            &mut tx,
            &AuditEvent {
                actor: actor.user_id.clone(),
                action: actions::ATTACHMENT_DETACH.to_owned(),
                target: member.0.clone(),
                structure: Some(structure.clone()),
                ip: actor.ip.clone(),
                detail: json!({"by_manager": true, "scope": att.scope}),
            },
            now,
        )
        .await?;
        record_change(&mut tx, Some(member), now).await?;
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
        set_grant_services(conn, &grant, &current, now).await?;
    }
    Ok(())
}
