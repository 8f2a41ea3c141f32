//! Main access managers (designated by a legal representative or another main manager)
//! and local managers of services (named by a main manager). A designation by national
//! number for someone who never logged in stays pending until their first login.

use serde_json::json;

use crate::audit::{Audit, AuditEvent, actions, subject_target};
use crate::authz;
use crate::engine::Policy;
use crate::error::{PolicyError, Result};
use crate::model::{
    Actor, Designation, DesignationId, Scope, ServiceId, Structure, StructureId, Subject, UserId,
};
use crate::store::attachments::ensure_attached;
use crate::store::is_unique_violation;
use crate::store::managers::count_effective_main;
use crate::store::structures::{
    STRUCTURE_COLUMNS, StructureRow, get_structure, normalize_scope, structure_from_row,
};
use crate::store::subjects::{resolve, subject_columns, subject_from};

type DesignationRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

fn designation_from_row(row: DesignationRow) -> Result<Designation> {
    let (id, structure, service, user, nrn, by, at) = row;
    Ok(Designation {
        id: DesignationId(id),
        structure_id: StructureId(structure),
        service_id: service.map(ServiceId),
        subject: subject_from(user, nrn)?,
        designated_by: by.map(UserId),
        designated_at: at,
    })
}

fn event(
    actor: &Actor,
    action: &str,
    subject: &Subject,
    structure: &StructureId,
    detail: serde_json::Value,
) -> AuditEvent {
    AuditEvent {
        actor: actor.user_id.clone(),
        action: action.to_owned(),
        target: subject_target(subject),
        structure: Some(structure.clone()),
        ip: actor.ip.clone(),
        detail,
    }
}

fn is_self(actor: &Actor, subject: &Subject) -> bool {
    matches!((&actor.user_id, subject), (Some(a), Subject::User(u)) if a == u)
}

impl Policy {
    /// Designate a main manager (by a legal representative or a main manager of the
    /// structure). The designee is attached to the whole structure.
    pub async fn designate_main_manager(
        &self,
        actor: &Actor,
        structure: &StructureId,
        subject: &Subject,
    ) -> Result<Designation> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        get_structure(&mut tx, structure).await?;
        authz::ensure_may_designate(&mut tx, actor, structure).await?;
        let subject = resolve(&mut tx, subject).await?;
        let (user_col, nrn_col) = subject_columns(&subject);
        let id = DesignationId::random();
        sqlx::query(
            "INSERT INTO policy_main_managers (id, structure_id, user_id, nrn_hash, designated_by, \
             designated_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.as_str())
        .bind(structure.as_str())
        .bind(user_col)
        .bind(nrn_col)
        .bind(actor.user_id.as_ref().map(UserId::as_str))
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                PolicyError::Conflict("already a main manager of this structure")
            } else {
                e.into()
            }
        })?;
        if let Subject::User(u) = &subject {
            ensure_attached(&mut tx, structure, u, &Scope::Structure, now).await?;
        }
        let ev = event(
            actor,
            actions::MAIN_MANAGER_DESIGNATE,
            &subject,
            structure,
            json!({"designation": id}),
        );
        Audit::record_in(&mut tx, &ev, now).await?;
        tx.commit().await?;
        Ok(Designation {
            id,
            structure_id: structure.clone(),
            service_id: None,
            subject,
            designated_by: actor.user_id.clone(),
            designated_at: now,
        })
    }

    /// Remove a main manager (by those who may designate, or the manager resigning). The
    /// last main manager with an account cannot be removed: designate a replacement first.
    pub async fn remove_main_manager(
        &self,
        actor: &Actor,
        structure: &StructureId,
        subject: &Subject,
    ) -> Result<()> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let subject = resolve(&mut tx, subject).await?;
        if !is_self(actor, &subject) {
            authz::ensure_may_designate(&mut tx, actor, structure).await?;
        }
        let (user_col, nrn_col) = subject_columns(&subject);
        let effective = matches!(subject, Subject::User(_));
        if effective && count_effective_main(&mut tx, structure).await? <= 1 {
            let (exists,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM policy_main_managers WHERE structure_id = $1 AND user_id = $2",
            )
            .bind(structure.as_str())
            .bind(user_col)
            .fetch_one(&mut *tx)
            .await?;
            if exists > 0 {
                return Err(PolicyError::LastMainManager);
            }
        }
        let done = sqlx::query(
            "DELETE FROM policy_main_managers WHERE structure_id = $1 \
             AND (user_id = $2 OR nrn_hash = $3)",
        )
        .bind(structure.as_str())
        .bind(user_col.unwrap_or(""))
        .bind(nrn_col.unwrap_or(""))
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(PolicyError::not_found("main manager"));
        }
        let ev = event(
            actor,
            actions::MAIN_MANAGER_REMOVE,
            &subject,
            structure,
            json!({}),
        );
        Audit::record_in(&mut tx, &ev, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The structure's main managers (pending ones included).
    pub async fn main_managers(
        &self,
        actor: &Actor,
        structure: &StructureId,
    ) -> Result<Vec<Designation>> {
        let mut conn = self.pool().acquire().await?;
        authz::ensure_may_read(&mut conn, actor, structure).await?;
        let rows: Vec<DesignationRow> = sqlx::query_as(
            "SELECT id, structure_id, CAST(NULL AS TEXT), user_id, nrn_hash, designated_by, designated_at \
             FROM policy_main_managers WHERE structure_id = $1 ORDER BY designated_at, id",
        )
        .bind(structure.as_str())
        .fetch_all(&mut *conn)
        .await?;
        rows.into_iter().map(designation_from_row).collect()
    }

    /// Name a local manager of one service (main managers only). The designee is
    /// attached to that service.
    pub async fn designate_local_manager(
        &self,
        actor: &Actor,
        structure: &StructureId,
        service: &ServiceId,
        subject: &Subject,
    ) -> Result<Designation> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        get_structure(&mut tx, structure).await?;
        authz::ensure_main_manager(&mut tx, actor, structure).await?;
        let scope =
            normalize_scope(&mut tx, structure, &Scope::Services(vec![service.clone()])).await?;
        let subject = resolve(&mut tx, subject).await?;
        let (user_col, nrn_col) = subject_columns(&subject);
        let id = DesignationId::random();
        sqlx::query(
            "INSERT INTO policy_local_managers (id, structure_id, service_id, user_id, nrn_hash, \
             designated_by, designated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.as_str())
        .bind(structure.as_str())
        .bind(service.as_str())
        .bind(user_col)
        .bind(nrn_col)
        .bind(actor.user_id.as_ref().map(UserId::as_str))
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                PolicyError::Conflict("already a local manager of this service")
            } else {
                e.into()
            }
        })?;
        if let Subject::User(u) = &subject {
            ensure_attached(&mut tx, structure, u, &scope, now).await?;
        }
        let ev = event(
            actor,
            actions::LOCAL_MANAGER_DESIGNATE,
            &subject,
            structure,
            json!({"designation": id, "service": service}),
        );
        Audit::record_in(&mut tx, &ev, now).await?;
        tx.commit().await?;
        Ok(Designation {
            id,
            structure_id: structure.clone(),
            service_id: Some(service.clone()),
            subject,
            designated_by: actor.user_id.clone(),
            designated_at: now,
        })
    }

    /// Remove a local manager (main managers, or the local manager resigning).
    pub async fn remove_local_manager(
        &self,
        actor: &Actor,
        structure: &StructureId,
        service: &ServiceId,
        subject: &Subject,
    ) -> Result<()> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let subject = resolve(&mut tx, subject).await?;
        if !is_self(actor, &subject) {
            authz::ensure_main_manager(&mut tx, actor, structure).await?;
        }
        let (user_col, nrn_col) = subject_columns(&subject);
        let done = sqlx::query(
            "DELETE FROM policy_local_managers WHERE structure_id = $1 AND service_id = $2 \
             AND (user_id = $3 OR nrn_hash = $4)",
        )
        .bind(structure.as_str())
        .bind(service.as_str())
        .bind(user_col.unwrap_or(""))
        .bind(nrn_col.unwrap_or(""))
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(PolicyError::not_found("local manager"));
        }
        let ev = event(
            actor,
            actions::LOCAL_MANAGER_REMOVE,
            &subject,
            structure,
            json!({"service": service}),
        );
        Audit::record_in(&mut tx, &ev, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The structure's local managers, as far as the actor manages it.
    pub async fn local_managers(
        &self,
        actor: &Actor,
        structure: &StructureId,
    ) -> Result<Vec<Designation>> {
        let mut conn = self.pool().acquire().await?;
        let view = authz::ensure_may_read(&mut conn, actor, structure).await?;
        let rows: Vec<DesignationRow> = sqlx::query_as(
            "SELECT id, structure_id, service_id, user_id, nrn_hash, designated_by, designated_at \
             FROM policy_local_managers WHERE structure_id = $1 ORDER BY designated_at, id",
        )
        .bind(structure.as_str())
        .fetch_all(&mut *conn)
        .await?;
        let all: Vec<Designation> = rows
            .into_iter()
            .map(designation_from_row)
            .collect::<Result<_>>()?;
        Ok(all
            .into_iter()
            .filter(|d| {
                let scope = Scope::Services(d.service_id.iter().cloned().collect());
                view.touches(&scope)
            })
            .collect())
    }

    /// Structures where the person is a main or local manager (the admin's home page).
    pub async fn managed_structures(&self, user: &UserId) -> Result<Vec<Structure>> {
        let rows: Vec<StructureRow> = sqlx::query_as(&format!(
            "SELECT {STRUCTURE_COLUMNS} FROM policy_structures s WHERE s.id IN ( \
             SELECT structure_id FROM policy_main_managers WHERE user_id = $1 \
             UNION SELECT structure_id FROM policy_local_managers WHERE user_id = $1) \
             ORDER BY s.common_name, s.id"
        ))
        .bind(user.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(structure_from_row).collect()
    }

    /// May the person deactivate their account? Not while they are the last main
    /// manager of some structure ([`Policy::sole_main_manager_of`] names them).
    pub async fn may_deactivate(&self, user: &UserId) -> Result<()> {
        if self.sole_main_manager_of(user).await?.is_empty() {
            Ok(())
        } else {
            Err(PolicyError::LastMainManager)
        }
    }

    /// The structures whose last main manager (with an account) the person is: they
    /// must name a successor there before they leave.
    pub async fn sole_main_manager_of(&self, user: &UserId) -> Result<Vec<Structure>> {
        let mut conn = self.pool().acquire().await?;
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT structure_id FROM policy_main_managers WHERE user_id = $1 \
             ORDER BY structure_id",
        )
        .bind(user.as_str())
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::new();
        for (s,) in rows {
            let id = StructureId(s);
            if count_effective_main(&mut conn, &id).await? <= 1 {
                out.push(get_structure(&mut conn, &id).await?);
            }
        }
        Ok(out)
    }
}
