//! The `policy_attachments` and `policy_attachment_services` tables: who is attached to
//! which structure, to the whole of it or to some services. Designations, grants, login
//! and approved requests attach their holder through [`ensure_attached`].

use sqlx::AnyConnection;

use super::structures::{STRUCTURE_COLUMNS, service_from_row, structure_from_row};
use crate::error::Result;
use crate::model::{Attachment, Scope, Service, ServiceId, StructureId, StructureSummary, UserId};

/// Attach `user` to `scope` of `structure` if not already covered (a whole-structure
/// attachment covers every service).
pub(crate) async fn ensure_attached(
    conn: &mut AnyConnection,
    structure: &StructureId,
    user: &UserId,
    scope: &Scope,
    now: i64,
) -> Result<()> {
    let existing: Option<(i64,)> = sqlx::query_as(
        "SELECT whole_structure FROM policy_attachments WHERE structure_id = $1 AND user_id = $2",
    )
    .bind(structure.as_str())
    .bind(user.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    match existing {
        Some((1,)) => return Ok(()),
        Some(_) => {
            if matches!(scope, Scope::Structure) {
                sqlx::query(
                    "DELETE FROM policy_attachment_services WHERE structure_id = $1 AND user_id = $2",
                )
                .bind(structure.as_str())
                .bind(user.as_str())
                .execute(&mut *conn)
                .await?;
                sqlx::query(
                    "UPDATE policy_attachments SET whole_structure = 1 \
                     WHERE structure_id = $1 AND user_id = $2",
                )
                .bind(structure.as_str())
                .bind(user.as_str())
                .execute(&mut *conn)
                .await?;
                return Ok(());
            }
        }
        None => {
            sqlx::query(
                "INSERT INTO policy_attachments (structure_id, user_id, whole_structure, created_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(structure.as_str())
            .bind(user.as_str())
            .bind(scope.whole_flag())
            .bind(now)
            .execute(&mut *conn)
            .await?;
        }
    }
    if let Scope::Services(list) = scope {
        for s in list {
            sqlx::query(
                "INSERT INTO policy_attachment_services (structure_id, user_id, service_id) \
                 VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(structure.as_str())
            .bind(user.as_str())
            .bind(s.as_str())
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// The person's attachment to the structure, if any.
pub(crate) async fn attachment_on(
    conn: &mut AnyConnection,
    structure: &StructureId,
    user: &UserId,
) -> Result<Option<Attachment>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT whole_structure, created_at FROM policy_attachments \
         WHERE structure_id = $1 AND user_id = $2",
    )
    .bind(structure.as_str())
    .bind(user.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((whole, created_at)) = row else {
        return Ok(None);
    };
    let scope = if whole == 1 {
        Scope::Structure
    } else {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT service_id FROM policy_attachment_services \
             WHERE structure_id = $1 AND user_id = $2 ORDER BY service_id",
        )
        .bind(structure.as_str())
        .bind(user.as_str())
        .fetch_all(&mut *conn)
        .await?;
        Scope::Services(rows.into_iter().map(|(s,)| ServiceId(s)).collect())
    };
    Ok(Some(Attachment {
        structure_id: structure.clone(),
        user_id: user.clone(),
        scope,
        created_at,
    }))
}

/// Every structure the person is attached to, with the services of the attachment.
pub(crate) async fn structures_of(
    conn: &mut AnyConnection,
    user: &str,
) -> Result<Vec<StructureSummary>> {
    let rows: Vec<(String, String, String, String, String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT {STRUCTURE_COLUMNS}, a.whole_structure FROM policy_attachments a \
         JOIN policy_structures s ON s.id = a.structure_id \
         WHERE a.user_id = $1 ORDER BY s.common_name, s.id"
    ))
    .bind(user)
    .fetch_all(&mut *conn)
    .await?;
    let services: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT sv.id, sv.structure_id, sv.code, sv.label FROM policy_services sv \
         JOIN policy_attachments a ON a.structure_id = sv.structure_id \
         WHERE a.user_id = $1 AND sv.closed_at IS NULL AND (a.whole_structure = 1 OR EXISTS ( \
            SELECT 1 FROM policy_attachment_services x WHERE x.structure_id = a.structure_id \
            AND x.user_id = a.user_id AND x.service_id = sv.id)) \
         ORDER BY sv.code",
    )
    .bind(user)
    .fetch_all(&mut *conn)
    .await?;
    let services: Vec<Service> = services.into_iter().map(service_from_row).collect();
    let mut out = Vec::with_capacity(rows.len());
    for (id, kind, digits, legal, common, created, whole) in rows {
        let s = structure_from_row((id, kind, digits, legal, common, created))?;
        out.push(StructureSummary {
            services: services
                .iter()
                .filter(|sv| sv.structure_id == s.id)
                .cloned()
                .collect(),
            id: s.id,
            enterprise_number: s.enterprise_number,
            legal_name: s.legal_name,
            common_name: s.common_name,
            whole_structure: whole == 1,
        });
    }
    Ok(out)
}
