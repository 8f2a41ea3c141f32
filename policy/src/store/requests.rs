//! The `policy_attachment_requests` and `policy_attachment_request_services` tables:
//! rows to requests, and one request by id (read by the operations on requests and by
//! the authorisation questions about them).

use sqlx::AnyConnection;

use crate::error::{PolicyError, Result};
use crate::model::{
    AttachmentRequest, RequestId, RequestStatus, Scope, ServiceId, StructureId, UserId,
};

/// A row of [`REQUEST_COLUMNS`].
pub(crate) type RequestRow = (
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

/// The columns [`request_from_row`] reads.
pub(crate) const REQUEST_COLUMNS: &str = "id, structure_id, user_id, whole_structure, comment, status, \
     requested_at, decided_by, decided_at, reason";

/// The request of a row, with its services.
pub(crate) async fn request_from_row(
    conn: &mut AnyConnection,
    row: RequestRow,
) -> Result<AttachmentRequest> {
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

/// One request by id.
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
