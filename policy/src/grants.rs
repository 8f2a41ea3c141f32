//! Grants (habilitations): a catalogue right given to a person in a structure, for the
//! whole structure or chosen services, with an optional end of validity; revoke, renew.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::AnyConnection;

use crate::audit::{Audit, AuditEvent, actions, subject_target};
use crate::authz;
use crate::engine::Policy;
use crate::error::{PolicyError, Result};
use crate::model::{Actor, Grant, GrantId, RightId, Scope, StructureId, Subject, UserId};
use crate::store::attachments::ensure_attached;
use crate::store::changes::record_change;
use crate::store::grants::{load_grant, load_grants};
use crate::store::rights::right_on;
use crate::store::structures::{get_structure, normalize_scope};
use crate::store::subjects::{resolve, subject_columns};

/// What to grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRequest {
    /// In which structure.
    pub structure: StructureId,
    /// To whom (a pending national-number subject becomes effective at first login).
    pub subject: Subject,
    /// Which catalogue right.
    pub right: RightId,
    /// Whole structure or chosen services.
    pub scope: Scope,
    /// End of validity (unix ms, exclusive), chosen by the manager; `None`: until revoked.
    pub valid_until: Option<i64>,
}

fn check_validity(valid_until: Option<i64>, now: i64) -> Result<()> {
    match valid_until {
        Some(v) if v <= now => Err(PolicyError::Invalid(
            "valid_until must be in the future".to_owned(),
        )),
        _ => Ok(()),
    }
}

fn holder_user(subject: &Subject) -> Option<&UserId> {
    match subject {
        Subject::User(u) => Some(u),
        Subject::Pending(_) => None,
    }
}

impl Policy {
    /// Grant a right. Authorised by [`authz::ensure_may_grant`]; attaches the holder to
    /// the grant's scope; enforced on every node within a second.
    pub async fn grant(&self, actor: &Actor, req: &GrantRequest) -> Result<Grant> {
        let now = self.now_ms();
        check_validity(req.valid_until, now)?;
        let mut tx = self.begin().await?;
        get_structure(&mut tx, &req.structure).await?;
        // A manager of the structure at all, before looking at the input.
        authz::ensure_may_read(&mut tx, actor, &req.structure).await?;
        let right = right_on(&mut tx, &req.right).await?;
        let scope = normalize_scope(&mut tx, &req.structure, &req.scope).await?;
        authz::ensure_may_grant(
            &mut tx,
            actor,
            &req.structure,
            &req.right,
            &scope,
            req.valid_until,
            now,
        )
        .await?;
        let subject = resolve(&mut tx, &req.subject).await?;
        let (user_col, nrn_col) = subject_columns(&subject);
        let id = GrantId::random();
        sqlx::query(
            "INSERT INTO policy_grants (id, structure_id, right_id, user_id, nrn_hash, \
             whole_structure, valid_until, granted_by, granted_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(id.as_str())
        .bind(req.structure.as_str())
        .bind(req.right.as_str())
        .bind(user_col)
        .bind(nrn_col)
        .bind(scope.whole_flag())
        .bind(req.valid_until)
        .bind(actor.user_id.as_ref().map(UserId::as_str))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if let Scope::Services(list) = &scope {
            for s in list {
                sqlx::query(
                    "INSERT INTO policy_grant_services (grant_id, service_id) VALUES ($1, $2)",
                )
                .bind(id.as_str())
                .bind(s.as_str())
                .execute(&mut *tx)
                .await?;
            }
        }
        if let Some(u) = holder_user(&subject) {
            ensure_attached(&mut tx, &req.structure, u, &scope, now).await?;
        }
        Audit::record_in(
            &mut tx,
            &AuditEvent {
                actor: actor.user_id.clone(),
                action: actions::GRANT_CREATE.to_owned(),
                target: subject_target(&subject),
                structure: Some(req.structure.clone()),
                ip: actor.ip.clone(),
                detail: json!({
                    "grant": id, "application": right.application, "level": right.level,
                    "scope": scope, "valid_until": req.valid_until,
                }),
            },
            now,
        )
        .await?;
        if let Some(u) = holder_user(&subject) {
            record_change(&mut tx, Some(u), now).await?;
        }
        tx.commit().await?;
        self.after_change().await;
        Ok(Grant {
            id,
            structure_id: req.structure.clone(),
            right,
            holder: subject,
            scope,
            valid_until: req.valid_until,
            granted_by: actor.user_id.clone(),
            granted_at: now,
            updated_at: now,
            revoked_at: None,
        })
    }

    /// Revoke a grant (main managers; local managers inside their services).
    pub async fn revoke(&self, actor: &Actor, id: &GrantId) -> Result<Grant> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let mut grant = load_grant(&mut tx, id).await?;
        authz::ensure_may_revoke(&mut tx, actor, &grant.structure_id, &grant.scope).await?;
        if grant.revoked_at.is_some() {
            return Err(PolicyError::Conflict("the grant is already revoked"));
        }
        sqlx::query(
            "UPDATE policy_grants SET revoked_at = $1, revoked_by = $2, updated_at = $1 WHERE id = $3",
        )
        .bind(now)
        .bind(actor.user_id.as_ref().map(UserId::as_str))
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
        self.audit_grant(&mut tx, actor, actions::GRANT_REVOKE, &grant, now)
            .await?;
        if let Some(u) = holder_user(&grant.holder) {
            record_change(&mut tx, Some(u), now).await?;
        }
        tx.commit().await?;
        self.after_change().await;
        grant.revoked_at = Some(now);
        grant.updated_at = now;
        Ok(grant)
    }

    /// Change a grant's end of validity (renew it, or shorten it); authorised like a new
    /// grant of the same right and scope.
    pub async fn renew(
        &self,
        actor: &Actor,
        id: &GrantId,
        valid_until: Option<i64>,
    ) -> Result<Grant> {
        let now = self.now_ms();
        check_validity(valid_until, now)?;
        let mut tx = self.begin().await?;
        let mut grant = load_grant(&mut tx, id).await?;
        authz::ensure_may_grant(
            &mut tx,
            actor,
            &grant.structure_id,
            &grant.right.id,
            &grant.scope,
            valid_until,
            now,
        )
        .await?;
        if grant.revoked_at.is_some() {
            return Err(PolicyError::Conflict("the grant is revoked"));
        }
        sqlx::query("UPDATE policy_grants SET valid_until = $1, updated_at = $2 WHERE id = $3")
            .bind(valid_until)
            .bind(now)
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        let before = grant.valid_until;
        grant.valid_until = valid_until;
        grant.updated_at = now;
        Audit::record_in(
            &mut tx,
            &AuditEvent {
                actor: actor.user_id.clone(),
                action: actions::GRANT_RENEW.to_owned(),
                target: subject_target(&grant.holder),
                structure: Some(grant.structure_id.clone()),
                ip: actor.ip.clone(),
                detail: json!({"grant": grant.id, "valid_until_before": before, "valid_until": valid_until}),
            },
            now,
        )
        .await?;
        if let Some(u) = holder_user(&grant.holder) {
            record_change(&mut tx, Some(u), now).await?;
        }
        tx.commit().await?;
        self.after_change().await;
        Ok(grant)
    }

    /// Change a grant's access level: another level of the same application, same
    /// holder, scope and end. Authorised as revoking the grant and granting the new
    /// level (a local manager only inside their services and only a level they hold
    /// there); one transaction, audited.
    pub async fn change_level(
        &self,
        actor: &Actor,
        id: &GrantId,
        right: &RightId,
    ) -> Result<Grant> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let mut grant = load_grant(&mut tx, id).await?;
        authz::ensure_may_revoke(&mut tx, actor, &grant.structure_id, &grant.scope).await?;
        if grant.revoked_at.is_some() {
            return Err(PolicyError::Conflict("the grant is revoked"));
        }
        let new = right_on(&mut tx, right).await?;
        if new.application != grant.right.application {
            return Err(PolicyError::Invalid(
                "right must be a level of the same application".to_owned(),
            ));
        }
        if new.id == grant.right.id {
            return Err(PolicyError::Conflict("the grant already has this level"));
        }
        authz::ensure_may_grant(
            &mut tx,
            actor,
            &grant.structure_id,
            &new.id,
            &grant.scope,
            grant.valid_until,
            now,
        )
        .await?;
        sqlx::query("UPDATE policy_grants SET right_id = $1, updated_at = $2 WHERE id = $3")
            .bind(new.id.as_str())
            .bind(now)
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        Audit::record_in(
            &mut tx,
            &AuditEvent {
                actor: actor.user_id.clone(),
                action: actions::GRANT_LEVEL.to_owned(),
                target: subject_target(&grant.holder),
                structure: Some(grant.structure_id.clone()),
                ip: actor.ip.clone(),
                detail: json!({
                    "grant": grant.id, "application": new.application,
                    "level_before": grant.right.level, "level": new.level,
                }),
            },
            now,
        )
        .await?;
        if let Some(u) = holder_user(&grant.holder) {
            record_change(&mut tx, Some(u), now).await?;
        }
        tx.commit().await?;
        self.after_change().await;
        grant.right = new;
        grant.updated_at = now;
        Ok(grant)
    }

    /// The structure's grants not revoked (expired ones included), as far as the actor
    /// manages it (a local manager sees the grants touching their services).
    pub async fn grants_in(&self, actor: &Actor, structure: &StructureId) -> Result<Vec<Grant>> {
        let mut conn = self.pool().acquire().await?;
        let view = authz::ensure_may_read(&mut conn, actor, structure).await?;
        let grants = load_grants(
            &mut conn,
            "g.structure_id = $1 AND g.revoked_at IS NULL",
            &[structure.as_str()],
        )
        .await?;
        Ok(grants
            .into_iter()
            .filter(|g| view.touches(&g.scope))
            .collect())
    }

    /// A person's own grants, not revoked (expired included), in every structure.
    pub async fn grants_of(&self, user: &UserId) -> Result<Vec<Grant>> {
        let mut conn = self.pool().acquire().await?;
        load_grants(
            &mut conn,
            "g.user_id = $1 AND g.revoked_at IS NULL",
            &[user.as_str()],
        )
        .await
    }

    async fn audit_grant(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        action: &str,
        grant: &Grant,
        now: i64,
    ) -> Result<()> {
        Audit::record_in(
            conn,
            &AuditEvent {
                actor: actor.user_id.clone(),
                action: action.to_owned(),
                target: subject_target(&grant.holder),
                structure: Some(grant.structure_id.clone()),
                ip: actor.ip.clone(),
                detail: json!({
                    "grant": grant.id, "application": grant.right.application,
                    "level": grant.right.level, "scope": grant.scope,
                }),
            },
            now,
        )
        .await?;
        Ok(())
    }
}
