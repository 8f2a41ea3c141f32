//! People: the link between a user id and the keyed hash of their national register
//! number, made at each login, and the pending designations and grants (by national
//! number) that become effective at a person's first login.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::{Audit, AuditEvent, actions};
use crate::engine::Policy;
use crate::error::Result;
use crate::ids::NrnHash;
use crate::model::{Scope, ServiceId, StructureId, UserId};
use crate::store::attachments::ensure_attached;
use crate::store::changes::record_change;
use crate::store::grants::grant_scope;

/// What a login made effective.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginEffects {
    /// The national number was linked to this account now (first login with it).
    pub newly_linked: bool,
    /// Pending main-manager designations that became effective.
    pub main_managers: u64,
    /// Pending local-manager designations that became effective.
    pub local_managers: u64,
    /// Pending grants that became effective.
    pub grants: u64,
}

impl Policy {
    /// Called by the gateway after every successful login, with the keyed hash of the
    /// person's national number when the identity provider gave one. Links the number to
    /// the account and makes pending designations and grants effective (attaching the
    /// person where they apply). A number already linked to another account is not moved
    /// (logged, nothing made effective): rights never change accounts silently.
    pub async fn on_login(&self, user_id: &UserId, nrn: Option<&NrnHash>) -> Result<LoginEffects> {
        let mut effects = LoginEffects::default();
        let Some(hash) = nrn else {
            return Ok(effects);
        };
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let by_hash: Option<(String,)> =
            sqlx::query_as("SELECT user_id FROM policy_identities WHERE nrn_hash = $1")
                .bind(hash.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        let by_user: Option<(String,)> =
            sqlx::query_as("SELECT nrn_hash FROM policy_identities WHERE user_id = $1")
                .bind(user_id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        match (&by_hash, &by_user) {
            (Some((u,)), _) if u != user_id.as_str() => {
                tracing::warn!(
                    "policy: national number already linked to another account; not moved"
                );
                return Ok(effects);
            }
            (None, Some(_)) => {
                tracing::warn!(
                    "policy: account already linked to another national number; not changed"
                );
                return Ok(effects);
            }
            (None, None) => {
                sqlx::query(
                    "INSERT INTO policy_identities (nrn_hash, user_id, linked_at) VALUES ($1, $2, $3)",
                )
                .bind(hash.as_str())
                .bind(user_id.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
                effects.newly_linked = true;
            }
            _ => {}
        }

        // Main managers: drop a pending duplicate of an existing designation, then convert.
        let mains: Vec<(String,)> =
            sqlx::query_as("SELECT structure_id FROM policy_main_managers WHERE nrn_hash = $1")
                .bind(hash.as_str())
                .fetch_all(&mut *tx)
                .await?;
        sqlx::query(
            "DELETE FROM policy_main_managers WHERE nrn_hash = $1 AND structure_id IN \
             (SELECT structure_id FROM policy_main_managers WHERE user_id = $2)",
        )
        .bind(hash.as_str())
        .bind(user_id.as_str())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE policy_main_managers SET user_id = $1, nrn_hash = NULL WHERE nrn_hash = $2",
        )
        .bind(user_id.as_str())
        .bind(hash.as_str())
        .execute(&mut *tx)
        .await?;
        for (structure,) in &mains {
            ensure_attached(
                &mut tx,
                &StructureId(structure.clone()),
                user_id,
                &Scope::Structure,
                now,
            )
            .await?;
        }
        effects.main_managers = mains.len() as u64;

        let locals: Vec<(String, String)> = sqlx::query_as(
            "SELECT structure_id, service_id FROM policy_local_managers WHERE nrn_hash = $1",
        )
        .bind(hash.as_str())
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM policy_local_managers WHERE nrn_hash = $1 AND service_id IN \
             (SELECT service_id FROM policy_local_managers WHERE user_id = $2)",
        )
        .bind(hash.as_str())
        .bind(user_id.as_str())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE policy_local_managers SET user_id = $1, nrn_hash = NULL WHERE nrn_hash = $2",
        )
        .bind(user_id.as_str())
        .bind(hash.as_str())
        .execute(&mut *tx)
        .await?;
        for (structure, service) in &locals {
            let scope = Scope::Services(vec![ServiceId(service.clone())]);
            ensure_attached(
                &mut tx,
                &StructureId(structure.clone()),
                user_id,
                &scope,
                now,
            )
            .await?;
        }
        effects.local_managers = locals.len() as u64;

        let grants: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM policy_grants WHERE nrn_hash = $1 AND revoked_at IS NULL",
        )
        .bind(hash.as_str())
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query("UPDATE policy_grants SET user_id = $1, nrn_hash = NULL WHERE nrn_hash = $2")
            .bind(user_id.as_str())
            .bind(hash.as_str())
            .execute(&mut *tx)
            .await?;
        for (grant,) in &grants {
            let (structure, scope) = grant_scope(&mut tx, grant).await?;
            ensure_attached(&mut tx, &structure, user_id, &scope, now).await?;
        }
        effects.grants = grants.len() as u64;

        let activated = effects.main_managers + effects.local_managers + effects.grants;
        if effects.newly_linked || activated > 0 {
            Audit::record_in(
                &mut tx,
                &AuditEvent {
                    actor: Some(user_id.clone()),
                    action: actions::IDENTITY_LINK.to_owned(),
                    target: user_id.0.clone(),
                    structure: None,
                    ip: None,
                    detail: json!({
                        "newly_linked": effects.newly_linked,
                        "main_managers": effects.main_managers,
                        "local_managers": effects.local_managers,
                        "grants": effects.grants,
                    }),
                },
                now,
            )
            .await?;
            record_change(&mut tx, Some(user_id), now).await?;
        }
        tx.commit().await?;
        if activated > 0 || effects.newly_linked {
            self.after_change().await;
        }
        Ok(effects)
    }
}
