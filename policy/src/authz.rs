//! Authorisation of management actions, checked inside the action's transaction.
//!
//! - Designating or removing main managers: the structure's legal representatives and
//!   its main managers (a main manager designates their replacement before leaving).
//! - Naming local managers, creating services: the structure's main managers.
//! - Granting, renewing: main managers anywhere in their structure; local managers only
//!   for their services, and only a right they hold themselves there, valid now, for
//!   every service of the grant and at least as long. Main managers are the structure's
//!   root of delegation: they could grant themselves any right, so they may grant any.
//! - Revoking: main managers; local managers for grants inside their services.
//! - Deciding attachment requests: main managers; local managers for requests inside
//!   their services; holders of the manage-attachments right covering the request. Never
//!   one's own request.
//! - Reading a structure's administration: its legal representatives and main managers
//!   (whole structure), local managers (their services).
//!
//! A person's role in one structure never gives anything in another: every query below
//! is keyed by the structure. The platform operator ([`Actor::operator`]) passes.

use std::collections::{BTreeSet, HashMap};

use sqlx::AnyConnection;

use crate::{
    Actor, ManagerScope, PolicyError, Result, RightId, Scope, ServiceId, StructureId, UserId,
};

/// The catalogue right that lets its holder decide attachment requests.
pub const MANAGE_ATTACHMENTS: (&str, &str) = ("access", "manage-attachments");

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

/// Is the person an (effective, not pending) main manager of the structure?
pub async fn is_main_manager(
    conn: &mut AnyConnection,
    user: &UserId,
    structure: &StructureId,
) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM policy_main_managers WHERE user_id = $1 AND structure_id = $2 LIMIT 1",
    )
    .bind(user.as_str())
    .bind(structure.as_str())
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// The services of the structure the person is a local manager of.
pub async fn local_manager_services(
    conn: &mut AnyConnection,
    user: &UserId,
    structure: &StructureId,
) -> Result<BTreeSet<ServiceId>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT service_id FROM policy_local_managers WHERE user_id = $1 AND structure_id = $2",
    )
    .bind(user.as_str())
    .bind(structure.as_str())
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(s,)| ServiceId(s)).collect())
}

/// Legal representatives and main managers (and the operator) may designate.
pub async fn ensure_may_designate(
    conn: &mut AnyConnection,
    actor: &Actor,
    structure: &StructureId,
) -> Result<()> {
    let Some(user) = &actor.user_id else {
        return Ok(());
    };
    if is_legal_representative(conn, user, structure).await?
        || is_main_manager(conn, user, structure).await?
    {
        Ok(())
    } else {
        Err(PolicyError::forbidden(
            "only a legal representative or a main manager of this structure may designate its main managers",
        ))
    }
}

/// Only main managers (and the operator).
pub async fn ensure_main_manager(
    conn: &mut AnyConnection,
    actor: &Actor,
    structure: &StructureId,
) -> Result<()> {
    let Some(user) = &actor.user_id else {
        return Ok(());
    };
    if is_main_manager(conn, user, structure).await? {
        Ok(())
    } else {
        Err(PolicyError::forbidden(
            "only a main manager of this structure may do this",
        ))
    }
}

/// Who may read a structure's administration, and how much of it.
pub async fn ensure_may_read(
    conn: &mut AnyConnection,
    actor: &Actor,
    structure: &StructureId,
) -> Result<ManagerScope> {
    let Some(user) = &actor.user_id else {
        return Ok(ManagerScope::Whole);
    };
    if is_main_manager(conn, user, structure).await?
        || is_legal_representative(conn, user, structure).await?
    {
        return Ok(ManagerScope::Whole);
    }
    let local = local_manager_services(conn, user, structure).await?;
    if local.is_empty() {
        Err(PolicyError::forbidden("not a manager of this structure"))
    } else {
        Ok(ManagerScope::Services(local))
    }
}

/// Is `scope` inside the local manager's services?
fn within(scope: &Scope, local: &BTreeSet<ServiceId>) -> bool {
    match scope {
        Scope::Structure => false,
        Scope::Services(list) => !list.is_empty() && list.iter().all(|s| local.contains(s)),
    }
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

/// May the actor grant (or renew to) `right` over `scope` until `valid_until`?
/// `scope` must already be validated against the structure.
pub async fn ensure_may_grant(
    conn: &mut AnyConnection,
    actor: &Actor,
    structure: &StructureId,
    right: &RightId,
    scope: &Scope,
    valid_until: Option<i64>,
    now_ms: i64,
) -> Result<()> {
    let Some(user) = &actor.user_id else {
        return Ok(());
    };
    if is_main_manager(conn, user, structure).await? {
        return Ok(());
    }
    let local = local_manager_services(conn, user, structure).await?;
    if local.is_empty() {
        return Err(PolicyError::forbidden("not a manager of this structure"));
    }
    if !within(scope, &local) {
        return Err(PolicyError::forbidden(
            "a local manager may only grant within their own services",
        ));
    }
    let Some(own_until) = coverage(conn, user, structure, right, scope, now_ms).await? else {
        return Err(PolicyError::forbidden(
            "nobody may grant a right they could not exercise",
        ));
    };
    if valid_until.unwrap_or(i64::MAX) > own_until {
        return Err(PolicyError::forbidden(
            "a grant may not last longer than the granter's own right",
        ));
    }
    Ok(())
}

/// May the actor revoke a grant over `scope`?
pub async fn ensure_may_revoke(
    conn: &mut AnyConnection,
    actor: &Actor,
    structure: &StructureId,
    scope: &Scope,
) -> Result<()> {
    let Some(user) = &actor.user_id else {
        return Ok(());
    };
    if is_main_manager(conn, user, structure).await? {
        return Ok(());
    }
    let local = local_manager_services(conn, user, structure).await?;
    if local.is_empty() {
        return Err(PolicyError::forbidden("not a manager of this structure"));
    }
    if within(scope, &local) {
        Ok(())
    } else {
        Err(PolicyError::forbidden(
            "a local manager may only revoke within their own services",
        ))
    }
}

/// May the actor decide a request of `requester` for `scope`?
pub async fn ensure_may_decide_request(
    conn: &mut AnyConnection,
    actor: &Actor,
    structure: &StructureId,
    requester: &UserId,
    scope: &Scope,
    now_ms: i64,
) -> Result<()> {
    let Some(user) = &actor.user_id else {
        return Ok(());
    };
    if user == requester {
        return Err(PolicyError::forbidden(
            "nobody may decide their own attachment request",
        ));
    }
    if is_main_manager(conn, user, structure).await? {
        return Ok(());
    }
    let local = local_manager_services(conn, user, structure).await?;
    if within(scope, &local) {
        return Ok(());
    }
    let right = RightId(manage_attachments_right_id(conn).await?);
    if coverage(conn, user, structure, &right, scope, now_ms)
        .await?
        .is_some()
    {
        return Ok(());
    }
    Err(PolicyError::forbidden(
        "only the structure's managers or holders of the manage-attachments right there may decide",
    ))
}

async fn manage_attachments_right_id(conn: &mut AnyConnection) -> Result<String> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM policy_rights WHERE application = $1 AND level = $2")
            .bind(MANAGE_ATTACHMENTS.0)
            .bind(MANAGE_ATTACHMENTS.1)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id,)| id).unwrap_or_default())
}

impl crate::Policy {
    /// May the actor designate (or remove) main managers of the structure?
    pub async fn may_designate(&self, actor: &Actor, structure: &StructureId) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        ensure_may_designate(&mut conn, actor, structure).await
    }

    /// How much of the structure's administration may the actor read?
    pub async fn may_read(&self, actor: &Actor, structure: &StructureId) -> Result<ManagerScope> {
        let mut conn = self.pool().acquire().await?;
        ensure_may_read(&mut conn, actor, structure).await
    }

    /// May the actor grant `right` over `scope` until `valid_until` (checked now)?
    pub async fn may_grant(
        &self,
        actor: &Actor,
        structure: &StructureId,
        right: &RightId,
        scope: &Scope,
        valid_until: Option<i64>,
    ) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        let scope = crate::structures::normalize_scope(&mut conn, structure, scope).await?;
        ensure_may_grant(
            &mut conn,
            actor,
            structure,
            right,
            &scope,
            valid_until,
            self.now_ms(),
        )
        .await
    }

    /// May the actor decide this attachment request?
    pub async fn may_decide_request(
        &self,
        actor: &Actor,
        request: &crate::RequestId,
    ) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        let r = crate::requests::load_request(&mut conn, request).await?;
        ensure_may_decide_request(
            &mut conn,
            actor,
            &r.structure_id,
            &r.user_id,
            &r.scope,
            self.now_ms(),
        )
        .await
    }
}
