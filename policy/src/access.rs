//! Access requests: a person attached to a structure, refused a page for lack of a right,
//! asks the structure's managers for it (one pending request per person, structure and
//! right). A manager grants it through [`Policy::grant`], so the ordinary rules apply (a
//! local manager only within their services and only a right they hold), which closes
//! the request; or refuses it with a reason. Nobody decides their own request.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::AnyConnection;

use crate::audit::{Audit, AuditEvent, actions};
use crate::authz;
use crate::engine::Policy;
use crate::error::{PolicyError, Result};
use crate::grants::GrantRequest;
use crate::input::clean_text;
use crate::model::{
    Actor, Grant, GrantId, ManagerScope, RequestStatus, Right, RightId, Scope, StructureId,
    Subject, UserId,
};
use crate::store::attachments::attachment_on;
use crate::store::is_unique_violation;
use crate::store::rights::{right_id_of, right_on};
use crate::store::structures::get_structure;

/// An access request's id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccessRequestId(pub String);

impl AccessRequestId {
    /// The id text, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for AccessRequestId {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<String> for AccessRequestId {
    fn from(s: String) -> Self {
        Self(s)
    }
}

/// A person's request for a right in a structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequest {
    /// Id.
    pub id: AccessRequestId,
    /// Where.
    pub structure_id: StructureId,
    /// Who asks.
    pub user_id: UserId,
    /// The right asked for.
    pub right: Right,
    /// The requester's comment, if any.
    pub comment: Option<String>,
    /// Pending, approved (granted) or rejected (refused).
    pub status: RequestStatus,
    /// When asked (unix ms).
    pub requested_at: i64,
    /// Who decided.
    pub decided_by: Option<UserId>,
    /// When decided.
    pub decided_at: Option<i64>,
    /// The reason of a refusal.
    pub reason: Option<String>,
    /// The grant that answered it.
    pub grant_id: Option<GrantId>,
}

type Row = (
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

const COLUMNS: &str = "id, structure_id, user_id, right_id, comment, status, requested_at, \
     decided_by, decided_at, reason, grant_id";

async fn from_row(conn: &mut AnyConnection, row: Row) -> Result<AccessRequest> {
    let (id, structure, user, right, comment, status, at, by, decided_at, reason, grant) = row;
    Ok(AccessRequest {
        id: AccessRequestId(id),
        structure_id: StructureId(structure),
        user_id: UserId(user),
        right: right_on(conn, &RightId(right)).await?,
        comment,
        status: RequestStatus::from_code(&status)
            .ok_or(PolicyError::Corrupt("access request status"))?,
        requested_at: at,
        decided_by: by.map(UserId),
        decided_at,
        reason,
        grant_id: grant.map(GrantId),
    })
}

async fn load(conn: &mut AnyConnection, id: &AccessRequestId) -> Result<AccessRequest> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM policy_access_requests WHERE id = $1"
    ))
    .bind(id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    from_row(conn, row.ok_or(PolicyError::not_found("access request"))?).await
}

/// Does the manager's view reach the person's attachment in the structure?
async fn reaches(
    conn: &mut AnyConnection,
    view: &ManagerScope,
    structure: &StructureId,
    user: &UserId,
) -> Result<bool> {
    Ok(match attachment_on(conn, structure, user).await? {
        Some(att) => view.touches(&att.scope),
        None => matches!(view, ManagerScope::Whole),
    })
}

/// May the actor decide this request: a manager of the structure reaching the
/// requester, never the requester.
async fn ensure_may_decide(
    conn: &mut AnyConnection,
    actor: &Actor,
    request: &AccessRequest,
) -> Result<()> {
    if actor.user_id.as_ref() == Some(&request.user_id) {
        return Err(PolicyError::forbidden(
            "nobody may decide their own access request",
        ));
    }
    let view = authz::ensure_may_read(conn, actor, &request.structure_id).await?;
    if let Some(user) = &actor.user_id
        && matches!(view, ManagerScope::Whole)
        && !authz::is_main_manager(conn, user, &request.structure_id).await?
    {
        return Err(PolicyError::forbidden(
            "only the structure's managers may decide access requests",
        ));
    }
    if !reaches(conn, &view, &request.structure_id, &request.user_id).await? {
        return Err(PolicyError::forbidden(
            "a local manager decides only for people of their services",
        ));
    }
    Ok(())
}

impl Policy {
    /// Ask for the right `application`/`level` in a structure one is attached to (the
    /// comment is optional). Refused when not attached there, when the right is not in
    /// the catalogue, or when the same request is already pending.
    pub async fn request_access(
        &self,
        actor: &Actor,
        structure: &StructureId,
        application: &str,
        level: &str,
        comment: Option<&str>,
    ) -> Result<AccessRequest> {
        let user = actor
            .user_id
            .clone()
            .ok_or(PolicyError::forbidden("only a person may ask for access"))?;
        let comment = match comment.map(str::trim) {
            None | Some("") => None,
            Some(c) => Some(clean_text(c, "comment", 2000)?),
        };
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        get_structure(&mut tx, structure).await?;
        if attachment_on(&mut tx, structure, &user).await?.is_none() {
            return Err(PolicyError::forbidden(
                "ask to be attached to the organisation first",
            ));
        }
        let right_id = right_id_of(&mut tx, (application, level))
            .await?
            .ok_or(PolicyError::not_found("right"))?;
        let right = right_on(&mut tx, &right_id).await?;
        let id = AccessRequestId(uuid::Uuid::new_v4().to_string());
        sqlx::query(
            "INSERT INTO policy_access_requests (id, structure_id, user_id, right_id, comment, \
             status, requested_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
        )
        .bind(id.as_str())
        .bind(structure.as_str())
        .bind(user.as_str())
        .bind(right_id.as_str())
        .bind(comment.as_deref())
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                PolicyError::Conflict("the same access request is already pending")
            } else {
                e.into()
            }
        })?;
        Audit::record_in(
            &mut tx,
            &AuditEvent {
                actor: Some(user.clone()),
                action: actions::ACCESS_REQUEST.to_owned(),
                target: user.0.clone(),
                structure: Some(structure.clone()),
                ip: actor.ip.clone(),
                detail: json!({"request": id, "application": right.application, "level": right.level, "comment": comment}),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(AccessRequest {
            id,
            structure_id: structure.clone(),
            user_id: user,
            right,
            comment,
            status: RequestStatus::Pending,
            requested_at: now,
            decided_by: None,
            decided_at: None,
            reason: None,
            grant_id: None,
        })
    }

    /// The structure's pending access requests the actor may decide (main managers: all;
    /// local managers: those of people attached within their services).
    pub async fn access_requests(
        &self,
        actor: &Actor,
        structure: &StructureId,
    ) -> Result<Vec<AccessRequest>> {
        let mut conn = self.pool().acquire().await?;
        let view = authz::ensure_may_read(&mut conn, actor, structure).await?;
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM policy_access_requests \
             WHERE structure_id = $1 AND status = 'pending' ORDER BY requested_at, id"
        ))
        .bind(structure.as_str())
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::new();
        for row in rows {
            let r = from_row(&mut conn, row).await?;
            if reaches(&mut conn, &view, structure, &r.user_id).await? {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// One access request, for its requester or a manager who may decide it.
    pub async fn access_request(
        &self,
        actor: &Actor,
        id: &AccessRequestId,
    ) -> Result<AccessRequest> {
        let mut conn = self.pool().acquire().await?;
        let r = load(&mut conn, id).await?;
        if actor.user_id.as_ref() != Some(&r.user_id) {
            ensure_may_decide(&mut conn, actor, &r).await?;
        }
        Ok(r)
    }

    /// The person's own access requests, newest first.
    pub async fn my_access_requests(&self, user: &UserId) -> Result<Vec<AccessRequest>> {
        let mut conn = self.pool().acquire().await?;
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM policy_access_requests \
             WHERE user_id = $1 ORDER BY requested_at DESC, id"
        ))
        .bind(user.as_str())
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(from_row(&mut conn, row).await?);
        }
        Ok(out)
    }

    /// Who may grant rights to `user` in `structure`, as the refusal page names them:
    /// the structure's main managers, and the local managers of the services the person
    /// is attached to (those with an account).
    pub async fn access_granters(
        &self,
        structure: &StructureId,
        user: &UserId,
    ) -> Result<Vec<UserId>> {
        let mut conn = self.pool().acquire().await?;
        let mut out: Vec<UserId> = sqlx::query_as::<_, (String,)>(
            "SELECT user_id FROM policy_main_managers \
             WHERE structure_id = $1 AND user_id IS NOT NULL ORDER BY designated_at, user_id",
        )
        .bind(structure.as_str())
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(u,)| UserId(u))
        .collect();
        if let Some(att) = attachment_on(&mut conn, structure, user).await?
            && let Scope::Services(services) = att.scope
        {
            for service in services {
                let locals: Vec<(String,)> = sqlx::query_as(
                    "SELECT user_id FROM policy_local_managers \
                     WHERE service_id = $1 AND user_id IS NOT NULL ORDER BY designated_at, user_id",
                )
                .bind(service.as_str())
                .fetch_all(&mut *conn)
                .await?;
                for (u,) in locals {
                    let u = UserId(u);
                    if !out.contains(&u) {
                        out.push(u);
                    }
                }
            }
        }
        out.retain(|u| u != user);
        Ok(out)
    }

    /// Grant a pending access request: the right asked for, to the requester, over
    /// `scope` until `valid_until`, through [`Policy::grant`] (its rules decide), then
    /// the request is closed. Returns the closed request and the grant.
    pub async fn grant_access_request(
        &self,
        actor: &Actor,
        id: &AccessRequestId,
        scope: &Scope,
        valid_until: Option<i64>,
    ) -> Result<(AccessRequest, Grant)> {
        let mut request = {
            let mut conn = self.pool().acquire().await?;
            let r = load(&mut conn, id).await?;
            ensure_may_decide(&mut conn, actor, &r).await?;
            r
        };
        if request.status != RequestStatus::Pending {
            return Err(PolicyError::Conflict("the request was already decided"));
        }
        let grant = self
            .grant(
                actor,
                &GrantRequest {
                    structure: request.structure_id.clone(),
                    subject: Subject::User(request.user_id.clone()),
                    right: request.right.id.clone(),
                    scope: scope.clone(),
                    valid_until,
                },
            )
            .await?;
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE policy_access_requests SET status = 'approved', decided_by = $1, \
             decided_at = $2, grant_id = $3 WHERE id = $4 AND status = 'pending'",
        )
        .bind(actor.user_id.as_ref().map(UserId::as_str))
        .bind(now)
        .bind(grant.id.as_str())
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
        Audit::record_in(
            &mut tx,
            &AuditEvent {
                actor: actor.user_id.clone(),
                action: actions::ACCESS_GRANT.to_owned(),
                target: request.user_id.0.clone(),
                structure: Some(request.structure_id.clone()),
                ip: actor.ip.clone(),
                detail: json!({"request": id, "grant": grant.id}),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        request.status = RequestStatus::Approved;
        request.decided_by = actor.user_id.clone();
        request.decided_at = Some(now);
        request.grant_id = Some(grant.id.clone());
        Ok((request, grant))
    }

    /// Refuse a pending access request, saying why (mandatory).
    pub async fn refuse_access_request(
        &self,
        actor: &Actor,
        id: &AccessRequestId,
        reason: &str,
    ) -> Result<AccessRequest> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let mut request = load(&mut tx, id).await?;
        ensure_may_decide(&mut tx, actor, &request).await?;
        if request.status != RequestStatus::Pending {
            return Err(PolicyError::Conflict("the request was already decided"));
        }
        let reason = clean_text(reason, "reason", 2000)?;
        sqlx::query(
            "UPDATE policy_access_requests SET status = 'rejected', decided_by = $1, \
             decided_at = $2, reason = $3 WHERE id = $4 AND status = 'pending'",
        )
        .bind(actor.user_id.as_ref().map(UserId::as_str))
        .bind(now)
        .bind(&reason)
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
        Audit::record_in(
            &mut tx,
            &AuditEvent {
                actor: actor.user_id.clone(),
                action: actions::ACCESS_REFUSE.to_owned(),
                target: request.user_id.0.clone(),
                structure: Some(request.structure_id.clone()),
                ip: actor.ip.clone(),
                detail: json!({"request": id, "reason": reason}),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        request.status = RequestStatus::Rejected;
        request.decided_by = actor.user_id.clone();
        request.decided_at = Some(now);
        request.reason = Some(reason);
        Ok(request)
    }
}
