//! Attachment requests: any logged-in person asks to be attached to a structure or some
//! of its services, with a mandatory comment; the structure's managers (or holders of the
//! manage-attachments right there) approve or reject with a reason.

use serde_json::json;

use crate::audit::{Audit, AuditEvent, actions};
use crate::authz;
use crate::engine::Policy;
use crate::error::{PolicyError, Result};
use crate::input::clean_text;
use crate::model::{
    Actor, AttachmentRequest, Decision, RequestId, RequestStatus, Scope, StructureId, UserId,
};
use crate::store::attachments::{attachment_on, ensure_attached};
use crate::store::requests::{REQUEST_COLUMNS, RequestRow, load_request, request_from_row};
use crate::store::structures::{get_structure, normalize_scope};

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
        get_structure(&mut tx, structure).await?;
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
        let mut conn = self.pool().acquire().await?;
        let view = authz::request_view(&mut conn, actor, structure, self.now_ms()).await?;
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
            if view.covers(&r.scope) {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// The person's own requests, newest first.
    pub async fn my_attachment_requests(&self, user: &UserId) -> Result<Vec<AttachmentRequest>> {
        let mut conn = self.pool().acquire().await?;
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
