//! Authorisation of management actions, checked inside the action's transaction.
//!
//! - Designating or removing main managers: the structure's legal representatives and
//!   its main managers (a main manager designates their replacement before leaving).
//! - Naming local managers, creating, relabelling and closing services, changing the
//!   common name: the structure's main managers.
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
//! - Reading the audit log: a structure's log, its legal representatives and main
//!   managers (the log is per structure, a local manager's view per service); the whole
//!   log, the operator only.
//!
//! A person's role in one structure never gives anything in another: every query below
//! is keyed by the structure. The platform operator ([`Actor::operator`]) passes.

use std::collections::BTreeSet;

use sqlx::AnyConnection;

use crate::error::{PolicyError, Result};
use crate::model::{Actor, ManagerScope, RightId, Scope, ServiceId, StructureId, UserId};
use crate::store::rights::right_id_of;

pub use crate::store::grants::coverage;
pub use crate::store::managers::{is_main_manager, local_manager_services};
pub use crate::store::representatives::is_legal_representative;

/// The catalogue right that lets its holder decide attachment requests.
pub const MANAGE_ATTACHMENTS: (&str, &str) = ("access", "manage-attachments");

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

/// May the actor read the audit log of `structure` (`None`: the whole log)?
pub async fn ensure_may_read_audit(
    conn: &mut AnyConnection,
    actor: &Actor,
    structure: Option<&StructureId>,
) -> Result<()> {
    if actor.user_id.is_none() {
        return Ok(());
    }
    let Some(structure) = structure else {
        return Err(PolicyError::forbidden(
            "name the structure whose log you read (only operators read the whole log)",
        ));
    };
    if ensure_may_read(conn, actor, structure).await?.reads_audit() {
        Ok(())
    } else {
        Err(PolicyError::forbidden(
            "only legal representatives and main managers read a structure's log",
        ))
    }
}

/// Is `scope` inside the local manager's services?
fn within(scope: &Scope, local: &BTreeSet<ServiceId>) -> bool {
    match scope {
        Scope::Structure => false,
        Scope::Services(list) => !list.is_empty() && list.iter().all(|s| local.contains(s)),
    }
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
    if let Some(right) = right_id_of(conn, MANAGE_ATTACHMENTS).await?
        && coverage(conn, user, structure, &right, scope, now_ms)
            .await?
            .is_some()
    {
        return Ok(());
    }
    Err(PolicyError::forbidden(
        "only the structure's managers or holders of the manage-attachments right there may decide",
    ))
}

/// What of the structure's attachment requests the actor may see: a manager's read
/// scope, or where they hold the manage-attachments right.
pub(crate) async fn request_view(
    conn: &mut AnyConnection,
    actor: &Actor,
    structure: &StructureId,
    now_ms: i64,
) -> Result<ManagerScope> {
    match ensure_may_read(conn, actor, structure).await {
        Err(PolicyError::Forbidden { .. }) => {}
        other => return other,
    }
    let Some(user) = &actor.user_id else {
        return Ok(ManagerScope::Whole);
    };
    crate::store::grants::held_scope(conn, user, structure, MANAGE_ATTACHMENTS, now_ms)
        .await?
        .ok_or(PolicyError::forbidden("not a manager of this structure"))
}
