//! Attachment requests: any logged-in person asks to be attached to a structure or some
//! of its services, with a mandatory comment; the structure's managers (or holders of the
//! manage-attachments right there) approve or reject with a reason.

use std::collections::BTreeSet;

use serde_json::json;
use sqlx::AnyConnection;

use crate::attachments::{attachment_on, ensure_attached};
use crate::audit::{Audit, AuditEvent, actions};
use crate::authz::{self, MANAGE_ATTACHMENTS};
use crate::structures::{clean_text, normalize_scope};
use crate::{
    Actor, AttachmentRequest, Decision, ManagerScope, Policy, PolicyError, RequestId,
    RequestStatus, Result, Scope, ServiceId, StructureId, UserId,
};

type RequestRow = (
    String,
    String,
    String,
    i64,
    String,
    String,
    i64,
    Option<String>,
    Option<i64>,
    Option<String>,
);

const REQUEST_COLUMNS: &str = "id, structure_id, user_id, whole_structure, comment, status, \
     requested_at, decided_by, decided_at, reason";

async fn request_from_row(conn: &mut AnyConnection, row: RequestRow) -> Result<AttachmentRequest> {
    let (id, structure, user, whole, comment, status, requested_at, decided_by, decided_at, reason) =
        row;
    let scope = if whole == 1 {
        Scope::Structure
    } else {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT service_id FROM policy_attachment_request_services \
             WHERE request_id = $1 ORDER BY service_id",
        )
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?;
        Scope::Services(rows.into_iter().map(|(s,)| ServiceId(s)).collect())
    };
    Ok(AttachmentRequest {
        id: RequestId(id),
        structure_id: StructureId(structure),
        user_id: UserId(user),
        scope,
        comment,
        status: RequestStatus::from_code(&status).ok_or(PolicyError::Corrupt("request status"))?,
        requested_at,
        decided_by: decided_by.map(UserId),
        decided_at,
        reason,
    })
}

pub(crate) async fn load_request(
    conn: &mut AnyConnection,
    id: &RequestId,
) -> Result<AttachmentRequest> {
    let row: Option<RequestRow> = sqlx::query_as(&format!(
        "SELECT {REQUEST_COLUMNS} FROM policy_attachment_requests WHERE id = $1"
    ))
    .bind(id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    request_from_row(
        conn,
        row.ok_or(PolicyError::not_found("attachment request"))?,
    )
    .await
}

fn scope_within(scope: &Scope, view: &ManagerScope) -> bool {
    match (view, scope) {
        (ManagerScope::Whole, _) => true,
        (ManagerScope::Services(set), Scope::Services(list)) => {
            list.iter().all(|s| set.contains(s))
        }
        (ManagerScope::Services(_), Scope::Structure) => false,
    }
}

/// What of the structure's requests the actor may see: a manager's read scope, or where
/// they hold the manage-attachments right.
async fn request_view(
    conn: &mut AnyConnection,
    actor: &Actor,
    structure: &StructureId,
    now: i64,
) -> Result<ManagerScope> {
    match authz::ensure_may_read(conn, actor, structure).await {
        Err(PolicyError::Forbidden { .. }) => {}
        other => return other,
    }
    let Some(user) = &actor.user_id else {
        return Ok(ManagerScope::Whole);
    };
    let rows: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT g.whole_structure, gs.service_id FROM policy_grants g \
         JOIN policy_rights r ON r.id = g.right_id \
         LEFT JOIN policy_grant_services gs ON gs.grant_id = g.id \
         WHERE g.user_id = $1 AND g.structure_id = $2 AND r.application = $3 AND r.level = $4 \
         AND g.revoked_at IS NULL AND (g.valid_until IS NULL OR g.valid_until > $5)",
    )
    .bind(user.as_str())
    .bind(structure.as_str())
    .bind(MANAGE_ATTACHMENTS.0)
    .bind(MANAGE_ATTACHMENTS.1)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    if rows.iter().any(|(w, _)| *w == 1) {
        return Ok(ManagerScope::Whole);
    }
    let set: BTreeSet<ServiceId> = rows
        .into_iter()
        .filter_map(|(_, s)| s.map(ServiceId))
        .collect();
    if set.is_empty() {
        Err(PolicyError::forbidden("not a manager of this structure"))
    } else {
        Ok(ManagerScope::Services(set))
    }
}

impl Policy {
    /// Ask to be attached to a structure or some of its services; the comment is
    /// mandatory. Any logged-in person may ask.
    pub async fn request_attachment(
        &self,
        actor: &Actor,
        structure: &StructureId,
        scope: &Scope,
        comment: &str,
    ) -> Result<AttachmentRequest> {
        let user = actor.user_id.clone().ok_or(PolicyError::forbidden(
            "only a person may ask to be attached",
        ))?;
        let comment = clean_text(comment, "comment", 2000)?;
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        crate::structures::get_structure(&mut tx, structure).await?;
        let scope = normalize_scope(&mut tx, structure, scope).await?;
        if let Some(att) = attachment_on(&mut tx, structure, &user).await? {
            let covered = match (&att.scope, &scope) {
                (Scope::Structure, _) => true,
                (Scope::Services(have), Scope::Services(want)) => {
                    want.iter().all(|s| have.contains(s))
                }
                (Scope::Services(_), Scope::Structure) => false,
            };
            if covered {
                return Err(PolicyError::Conflict("already attached there"));
            }
        }
        let pending: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM policy_attachment_requests \
             WHERE structure_id = $1 AND user_id = $2 AND status = 'pending'",
        )
        .bind(structure.as_str())
        .bind(user.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if pending.is_some() {
            return Err(PolicyError::Conflict(
                "a request for this structure is already pending",
            ));
        }
        let id = RequestId::random();
        sqlx::query(
            "INSERT INTO policy_attachment_requests (id, structure_id, user_id, whole_structure, \
             comment, status, requested_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
        )
        .bind(id.as_str())
        .bind(structure.as_str())
        .bind(user.as_str())
        .bind(scope.whole_flag())
        .bind(&comment)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if let Scope::Services(list) = &scope {
            for s in list {
                sqlx::query(
                    "INSERT INTO policy_attachment_request_services (request_id, service_id) VALUES ($1, $2)",
                )
                .bind(id.as_str())
                .bind(s.as_str())
                .execute(&mut *tx)
                .await?;
            }
        }
        Audit::record_in(
            &mut tx,
            &AuditEvent {
                actor: Some(user.clone()),
                action: actions::ATTACHMENT_REQUEST.to_owned(),
                target: user.0.clone(),
                structure: Some(structure.clone()),
                ip: actor.ip.clone(),
                detail: json!({"request": id, "scope": scope, "comment": comment}),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(AttachmentRequest {
            id,
            structure_id: structure.clone(),
            user_id: user,
            scope,
            comment,
            status: RequestStatus::Pending,
            requested_at: now,
            decided_by: None,
            decided_at: None,
            reason: None,
        })
    }

    /// The structure's attachment requests the actor may see (managers; local managers
    /// and manage-attachments holders of some services: the requests inside them).
    pub async fn attachment_requests(
        &self,
        actor: &Actor,
        structure: &StructureId,
        status: Option<RequestStatus>,
    ) -> Result<Vec<AttachmentRequest>> {
        let mut conn = self.inner.pool.acquire().await?;
        let view = request_view(&mut conn, actor, structure, self.now_ms()).await?;
        let rows: Vec<RequestRow> = sqlx::query_as(&format!(
            "SELECT {REQUEST_COLUMNS} FROM policy_attachment_requests \
             WHERE structure_id = $1 AND ($2 = '' OR status = $2) ORDER BY requested_at, id"
        ))
        .bind(structure.as_str())
        .bind(status.map_or("", RequestStatus::as_str))
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::new();
        for row in rows {
            let r = request_from_row(&mut conn, row).await?;
            if scope_within(&r.scope, &view) {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// The person's own requests, newest first.
    pub async fn my_attachment_requests(&self, user: &UserId) -> Result<Vec<AttachmentRequest>> {
        let mut conn = self.inner.pool.acquire().await?;
        let rows: Vec<RequestRow> = sqlx::query_as(&format!(
            "SELECT {REQUEST_COLUMNS} FROM policy_attachment_requests \
             WHERE user_id = $1 ORDER BY requested_at DESC, id"
        ))
        .bind(user.as_str())
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(request_from_row(&mut conn, row).await?);
        }
        Ok(out)
    }

    /// Approve (attaching the requester) or reject (reason mandatory) a pending request.
    /// Returns the decided request, for the caller to notify the requester by mail.
    pub async fn decide_attachment_request(
        &self,
        actor: &Actor,
        id: &RequestId,
        decision: &Decision,
    ) -> Result<AttachmentRequest> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let mut request = load_request(&mut tx, id).await?;
        authz::ensure_may_decide_request(
            &mut tx,
            actor,
            &request.structure_id,
            &request.user_id,
            &request.scope,
            now,
        )
        .await?;
        if request.status != RequestStatus::Pending {
            return Err(PolicyError::Conflict("the request was already decided"));
        }
        let (status, reason, action) = match decision {
            Decision::Approve { reason } => {
                let reason = match reason.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(r) => Some(clean_text(r, "reason", 2000)?),
                };
                ensure_attached(
                    &mut tx,
                    &request.structure_id,
                    &request.user_id,
                    &request.scope,
                    now,
                )
                .await?;
                (RequestStatus::Approved, reason, actions::ATTACHMENT_APPROVE)
            }
            Decision::Reject { reason } => (
                RequestStatus::Rejected,
                Some(clean_text(reason, "reason", 2000)?),
                actions::ATTACHMENT_REJECT,
            ),
        };
        sqlx::query(
            "UPDATE policy_attachment_requests SET status = $1, decided_by = $2, decided_at = $3, \
             reason = $4 WHERE id = $5 AND status = 'pending'",
        )
        .bind(status.as_str())
        .bind(actor.user_id.as_ref().map(UserId::as_str))
        .bind(now)
        .bind(reason.as_deref())
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
        Audit::record_in(
            &mut tx,
            &AuditEvent {
                actor: actor.user_id.clone(),
                action: action.to_owned(),
                target: request.user_id.0.clone(),
                structure: Some(request.structure_id.clone()),
                ip: actor.ip.clone(),
                detail: json!({"request": id, "scope": request.scope, "reason": reason}),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        request.status = status;
        request.decided_by = actor.user_id.clone();
        request.decided_at = Some(now);
        request.reason = reason;
        Ok(request)
    }
}
