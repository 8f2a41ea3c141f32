//! What a structure's main managers change in their organisation: its common name, the
//! label of a service, closing a service that nobody holds anything in any more; and
//! the masked national numbers that let a managers' list show whom a pending
//! designation waits for.

use std::collections::HashMap;

use serde_json::json;

use crate::audit::{Audit, AuditEvent, actions};
use crate::authz;
use crate::engine::Policy;
use crate::error::{PolicyError, Result};
use crate::ids::{NationalNumber, NrnHash};
use crate::input::org_name;
use crate::model::{Actor, Service, ServiceId, Structure, StructureId};
use crate::store::changes::record_change;
use crate::store::structures::get_structure;

fn event(actor: &Actor, action: &str, target: &str, structure: &StructureId) -> AuditEvent {
    AuditEvent {
        actor: actor.user_id.clone(),
        action: action.to_owned(),
        target: target.to_owned(),
        structure: Some(structure.clone()),
        ip: actor.ip.clone(),
        detail: json!({}),
    }
}

/// An open service of `structure`, or not found (a closed one is gone for management).
async fn open_service(
    conn: &mut sqlx::AnyConnection,
    structure: &StructureId,
    service: &ServiceId,
) -> Result<Service> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, structure_id, code, label FROM policy_services \
         WHERE id = $1 AND structure_id = $2 AND closed_at IS NULL",
    )
    .bind(service.as_str())
    .bind(structure.as_str())
    .fetch_optional(conn)
    .await?;
    row.map(crate::store::structures::service_from_row)
        .ok_or(PolicyError::not_found("service in this structure"))
}

impl Policy {
    /// Change the structure's common name (its main managers; the legal name stays the
    /// register's). Shown wherever the structure is shown, the assertion included, so
    /// every node reloads its structures.
    pub async fn rename_structure(
        &self,
        actor: &Actor,
        structure: &StructureId,
        common_name: &str,
    ) -> Result<Structure> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let mut s = get_structure(&mut tx, structure).await?;
        authz::ensure_main_manager(&mut tx, actor, structure).await?;
        let name = org_name(common_name, "common_name", 200)?;
        sqlx::query("UPDATE policy_structures SET common_name = $1 WHERE id = $2")
            .bind(&name)
            .bind(structure.as_str())
            .execute(&mut *tx)
            .await?;
        let mut ev = event(
            actor,
            actions::STRUCTURE_RENAME,
            structure.as_str(),
            structure,
        );
        ev.detail = json!({"common_name_before": s.common_name, "common_name": name});
        Audit::record_in(&mut tx, &ev, now).await?;
        record_change(&mut tx, None, now).await?;
        tx.commit().await?;
        self.after_change().await;
        s.common_name = name;
        Ok(s)
    }

    /// Change the label of an open service (main managers).
    pub async fn rename_service(
        &self,
        actor: &Actor,
        structure: &StructureId,
        service: &ServiceId,
        label: &str,
    ) -> Result<Service> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        get_structure(&mut tx, structure).await?;
        authz::ensure_main_manager(&mut tx, actor, structure).await?;
        let mut sv = open_service(&mut tx, structure, service).await?;
        let label = org_name(label, "label", 200)?;
        sqlx::query("UPDATE policy_services SET label = $1 WHERE id = $2")
            .bind(&label)
            .bind(service.as_str())
            .execute(&mut *tx)
            .await?;
        let mut ev = event(actor, actions::SERVICE_RENAME, service.as_str(), structure);
        ev.detail = json!({"label_before": sv.label, "label": label});
        Audit::record_in(&mut tx, &ev, now).await?;
        tx.commit().await?;
        sv.label = label;
        Ok(sv)
    }

    /// Close a service (main managers). Refused with a conflict while anyone holds a
    /// valid grant naming it or is its local manager (pending ones included): revoke
    /// and remove them first. A closed service is offered nowhere any more (lists of
    /// services, scopes of new grants, designations and requests).
    pub async fn close_service(
        &self,
        actor: &Actor,
        structure: &StructureId,
        service: &ServiceId,
    ) -> Result<()> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        get_structure(&mut tx, structure).await?;
        authz::ensure_main_manager(&mut tx, actor, structure).await?;
        let sv = open_service(&mut tx, structure, service).await?;
        let (grants,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM policy_grants g JOIN policy_grant_services gs \
             ON gs.grant_id = g.id WHERE gs.service_id = $1 AND g.whole_structure = 0 \
             AND g.revoked_at IS NULL AND (g.valid_until IS NULL OR g.valid_until > $2)",
        )
        .bind(service.as_str())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let (locals,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM policy_local_managers WHERE service_id = $1")
                .bind(service.as_str())
                .fetch_one(&mut *tx)
                .await?;
        if grants > 0 || locals > 0 {
            return Err(PolicyError::Conflict(
                "the service still has valid grants or local managers: revoke and remove them first",
            ));
        }
        sqlx::query("UPDATE policy_services SET closed_at = $1 WHERE id = $2")
            .bind(now)
            .bind(service.as_str())
            .execute(&mut *tx)
            .await?;
        let mut ev = event(actor, actions::SERVICE_CLOSE, service.as_str(), structure);
        ev.detail = json!({"code": sv.code, "label": sv.label});
        Audit::record_in(&mut tx, &ev, now).await?;
        record_change(&mut tx, None, now).await?;
        tx.commit().await?;
        self.after_change().await;
        Ok(())
    }

    /// Every service of the structure, closed ones included, by id: to name the
    /// services of old grants. Open to anyone who may read the structure.
    pub async fn service_names(
        &self,
        actor: &Actor,
        structure: &StructureId,
    ) -> Result<HashMap<ServiceId, Service>> {
        let mut conn = self.pool().acquire().await?;
        authz::ensure_may_read(&mut conn, actor, structure).await?;
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT id, structure_id, code, label FROM policy_services WHERE structure_id = $1",
        )
        .bind(structure.as_str())
        .fetch_all(&mut *conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(crate::store::structures::service_from_row)
            .map(|s| (s.id.clone(), s))
            .collect())
    }

    /// Keep the masked form of a national number someone is designated or granted by,
    /// and return its keyed hash (the subject to designate).
    pub async fn remember_masked_number(
        &self,
        nrn: &NationalNumber,
        key: &[u8],
    ) -> Result<NrnHash> {
        let hash = nrn.keyed_hash(key);
        sqlx::query(
            "INSERT INTO policy_masked_numbers (nrn_hash, nrn_masked) VALUES ($1, $2) \
             ON CONFLICT (nrn_hash) DO NOTHING",
        )
        .bind(hash.as_str())
        .bind(nrn.masked())
        .execute(self.pool())
        .await?;
        Ok(hash)
    }

    /// The masked forms known for these hashes (kept at designation, or from the
    /// register's representatives).
    pub async fn masked_numbers(&self, hashes: &[&NrnHash]) -> Result<HashMap<NrnHash, String>> {
        let mut out = HashMap::new();
        let mut conn = self.pool().acquire().await?;
        for h in hashes {
            let row: Option<(String,)> = sqlx::query_as(
                "SELECT nrn_masked FROM policy_masked_numbers WHERE nrn_hash = $1 \
                 UNION SELECT nrn_masked FROM policy_legal_representatives WHERE nrn_hash = $1",
            )
            .bind(h.as_str())
            .fetch_optional(&mut *conn)
            .await?;
            if let Some((m,)) = row {
                out.insert((*h).clone(), m);
            }
        }
        Ok(out)
    }
}
