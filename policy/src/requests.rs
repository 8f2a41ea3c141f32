//! Attachment requests: any logged-in person asks to be attached to a structure or some
//! of its services, with a mandatory comment; the structure's managers (or holders of the
//! manage-attachments right there) approve or reject with a reason.

use serde_json::json;
use sqlx::AnyConnection;

use crate::audit::{Audit, AuditEvent, actions};
use crate::authz;
use crate::engine::Policy;
use crate::error::{PolicyError, Result};
use crate::ids::OrgNumber;
use crate::input::clean_text;
use crate::model::{
    Actor, AttachmentRequest, Decision, RequestId, RequestStatus, Scope, ServiceId, Structure,
    StructureId, UserId,
};
use crate::store::attachments::{attachment_on, ensure_attached};
use crate::store::changes::record_change;
use crate::store::requests::{REQUEST_COLUMNS, RequestRow, load_request, request_from_row};
use crate::store::structures::{
    get_structure, insert_structure, normalize_scope, structure_by_number_on,
};

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
        let user = requester(actor)?;
        let comment = clean_text(comment, "comment", 2000)?;
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        get_structure(&mut tx, structure).await?;
        let request =
            insert_request(&mut tx, actor, &user, structure, scope, &comment, now).await?;
        tx.commit().await?;
        Ok(request)
    }

    /// Ask to be attached to the organisation with this number, or to some of its
    /// services; the comment is mandatory. An organisation the platform does not know
    /// yet is created from the number, pending (its names are the number until a register
    /// import names it, which ends the pending state; the operator sees it listed by
    /// [`Policy::pending_structures`]). Any logged-in
    /// person may ask. Returns the request and whether the organisation was created.
    pub async fn request_attachment_by_number(
        &self,
        actor: &Actor,
        number: &OrgNumber,
        services: &[ServiceId],
        comment: &str,
    ) -> Result<(AttachmentRequest, bool)> {
        let user = requester(actor)?;
        let comment = clean_text(comment, "comment", 2000)?;
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let (structure, created) = match structure_by_number_on(&mut tx, number).await? {
            Some(s) => (s, false),
            None => {
                if !services.is_empty() {
                    return Err(PolicyError::Invalid(
                        "an organisation new to the platform has no services yet".to_owned(),
                    ));
                }
                let shown = number.to_string();
                let s = insert_structure(&mut tx, number, &shown, &shown, now).await?;
                sqlx::query("UPDATE policy_structures SET pending_since = $1 WHERE id = $2")
                    .bind(now)
                    .bind(s.id.as_str())
                    .execute(&mut *tx)
                    .await?;
                Audit::record_in(
                    &mut tx,
                    &AuditEvent {
                        actor: Some(user.clone()),
                        action: actions::STRUCTURE_CREATE.to_owned(),
                        target: s.id.0.clone(),
                        structure: Some(s.id.clone()),
                        ip: actor.ip.clone(),
                        detail: json!({"enterprise_number": s.enterprise_number, "pending": true}),
                    },
                    now,
                )
                .await?;
                record_change(&mut tx, None, now).await?;
                (s, true)
            }
        };
        let scope = if services.is_empty() {
            Scope::Structure
        } else {
            Scope::Services(services.to_vec())
        };
        let request =
            insert_request(&mut tx, actor, &user, &structure.id, &scope, &comment, now).await?;
        tx.commit().await?;
        if created {
            self.after_change().await;
        }
        Ok((request, created))
    }

    /// The organisations created by an attachment request that no register import has
    /// named yet, oldest first, with the time each was asked for (unix ms). What the
    /// operator's console lists; the caller checks the operator.
    pub async fn pending_structures(&self) -> Result<Vec<(Structure, i64)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT id, pending_since FROM policy_structures \
             WHERE pending_since IS NOT NULL ORDER BY pending_since, id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut conn = self.pool().acquire().await?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, since) in rows {
            out.push((get_structure(&mut conn, &StructureId(id)).await?, since));
        }
        Ok(out)
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

    /// One attachment request, for its requester or someone who may decide it.
    pub async fn attachment_request(
        &self,
        actor: &Actor,
        id: &RequestId,
    ) -> Result<AttachmentRequest> {
        let mut conn = self.pool().acquire().await?;
        let r = load_request(&mut conn, id).await?;
        if actor.user_id.as_ref() != Some(&r.user_id) {
            authz::ensure_may_decide_request(
                &mut conn,
                actor,
                &r.structure_id,
                &r.user_id,
                &r.scope,
                self.now_ms(),
            )
            .await?;
        }
        Ok(r)
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
        self.decide_request(actor, id, decision, None).await
    }

    /// Approve a pending request, attaching the requester to `scope` (chosen by the
    /// manager, e.g. fewer services than asked) instead of the scope asked for. The
    /// actor must be allowed to decide the request as asked and as approved.
    pub async fn approve_attachment_request(
        &self,
        actor: &Actor,
        id: &RequestId,
        scope: &Scope,
        reason: Option<String>,
    ) -> Result<AttachmentRequest> {
        self.decide_request(actor, id, &Decision::Approve { reason }, Some(scope))
            .await
    }

    async fn decide_request(
        &self,
        actor: &Actor,
        id: &RequestId,
        decision: &Decision,
        attach_to: Option<&Scope>,
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
        let attach_to = match attach_to {
            None => request.scope.clone(),
            Some(scope) => {
                let scope = normalize_scope(&mut tx, &request.structure_id, scope).await?;
                authz::ensure_may_decide_request(
                    &mut tx,
                    actor,
                    &request.structure_id,
                    &request.user_id,
                    &scope,
                    now,
                )
                .await?;
                scope
            }
        };
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
                    &attach_to,
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
                detail: json!({"request": id, "scope": request.scope, "attached": (status == RequestStatus::Approved).then_some(&attach_to), "reason": reason}),
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

/// The person asking (the operator asks for nobody).
fn requester(actor: &Actor) -> Result<UserId> {
    actor.user_id.clone().ok_or(PolicyError::forbidden(
        "only a person may ask to be attached",
    ))
}

/// Record a pending request of `user` for `scope` in `structure` (known to exist), with
/// its audit event: refused when the person is already attached there or already waits
/// for an answer.
async fn insert_request(
    tx: &mut AnyConnection,
    actor: &Actor,
    user: &UserId,
    structure: &StructureId,
    scope: &Scope,
    comment: &str,
    now: i64,
) -> Result<AttachmentRequest> {
    let scope = normalize_scope(tx, structure, scope).await?;
    if let Some(att) = attachment_on(tx, structure, user).await? {
        let covered = match (&att.scope, &scope) {
            (Scope::Structure, _) => true,
            (Scope::Services(have), Scope::Services(want)) => want.iter().all(|s| have.contains(s)),
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
    .bind(comment)
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
        tx,
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
    Ok(AttachmentRequest {
        id,
        structure_id: structure.clone(),
        user_id: user.clone(),
        scope,
        comment: comment.to_owned(),
        status: RequestStatus::Pending,
        requested_at: now,
        decided_by: None,
        decided_at: None,
        reason: None,
    })
}
