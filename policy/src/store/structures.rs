//! The `policy_structures` and `policy_services` tables: rows to types, lookups, the
//! insert shared by creation and the register import, and the check of a scope against
//! a structure's services.

use std::collections::BTreeSet;

use sqlx::AnyConnection;

use super::{is_unique_violation, placeholders};
use crate::error::{PolicyError, Result};
use crate::ids::{OrgNumber, OrgNumberKind};
use crate::model::{Scope, Service, ServiceId, Structure, StructureId};

/// The columns [`structure_from_row`] reads, on the alias `s`.
pub(crate) const STRUCTURE_COLUMNS: &str =
    "s.id, s.number_kind, s.enterprise_number, s.legal_name, s.common_name, s.created_at";

/// A row of [`STRUCTURE_COLUMNS`].
pub(crate) type StructureRow = (String, String, String, String, String, i64);

/// The structure of a row; a stored number that no longer parses is corruption.
pub(crate) fn structure_from_row(row: StructureRow) -> Result<Structure> {
    let (id, kind, digits, legal_name, common_name, created_at) = row;
    let kind = OrgNumberKind::from_code(&kind).ok_or(PolicyError::Corrupt("number kind"))?;
    let number = OrgNumber::from_stored(kind, &digits)
        .map_err(|_| PolicyError::Corrupt("enterprise number"))?;
    Ok(Structure {
        id: StructureId(id),
        number_kind: kind,
        enterprise_number: number.to_string(),
        legal_name,
        common_name,
        created_at,
    })
}

/// A structure by id, or not found.
pub(crate) async fn get_structure(conn: &mut AnyConnection, id: &StructureId) -> Result<Structure> {
    let row: Option<StructureRow> = sqlx::query_as(&format!(
        "SELECT {STRUCTURE_COLUMNS} FROM policy_structures s WHERE s.id = $1"
    ))
    .bind(id.as_str())
    .fetch_optional(conn)
    .await?;
    structure_from_row(row.ok_or(PolicyError::not_found("structure"))?)
}

/// A structure by its number, if known.
pub(crate) async fn structure_by_number_on(
    conn: &mut AnyConnection,
    number: &OrgNumber,
) -> Result<Option<Structure>> {
    let row: Option<StructureRow> = sqlx::query_as(&format!(
        "SELECT {STRUCTURE_COLUMNS} FROM policy_structures s WHERE s.enterprise_number = $1"
    ))
    .bind(number.stored())
    .fetch_optional(conn)
    .await?;
    row.map(structure_from_row).transpose()
}

/// Every structure (what a node keeps in memory for the assertion).
pub(crate) async fn all_structures(conn: &mut AnyConnection) -> Result<Vec<Structure>> {
    let rows: Vec<StructureRow> = sqlx::query_as(&format!(
        "SELECT {STRUCTURE_COLUMNS} FROM policy_structures s"
    ))
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(structure_from_row).collect()
}

/// Insert a structure (creation by the operator and by the register import); a number
/// already known is a conflict.
pub(crate) async fn insert_structure(
    conn: &mut AnyConnection,
    number: &OrgNumber,
    legal_name: &str,
    common_name: &str,
    now: i64,
) -> Result<Structure> {
    // Every path that creates a structure (the operator, the register import) passes
    // here: the names are checked once more, whoever called.
    let legal_name = &crate::input::org_name(legal_name, "legal_name", 200)?;
    let common_name = &crate::input::org_name(common_name, "common_name", 200)?;
    let id = StructureId::random();
    sqlx::query(
        "INSERT INTO policy_structures \
         (id, number_kind, enterprise_number, legal_name, common_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.as_str())
    .bind(number.kind().as_str())
    .bind(number.stored())
    .bind(legal_name)
    .bind(common_name)
    .bind(now)
    .execute(conn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            PolicyError::Conflict("a structure with this number exists")
        } else {
            e.into()
        }
    })?;
    Ok(Structure {
        id,
        number_kind: number.kind(),
        enterprise_number: number.to_string(),
        legal_name: legal_name.to_owned(),
        common_name: common_name.to_owned(),
        created_at: now,
    })
}

/// Check a scope against a structure: services must exist there, be open, and be listed
/// at least once; returns the scope with services deduplicated and sorted.
pub(crate) async fn normalize_scope(
    conn: &mut AnyConnection,
    structure: &StructureId,
    scope: &Scope,
) -> Result<Scope> {
    let Scope::Services(list) = scope else {
        return Ok(Scope::Structure);
    };
    let set: BTreeSet<&ServiceId> = list.iter().collect();
    if set.is_empty() {
        return Err(PolicyError::Invalid(
            "a service scope needs at least one service".to_owned(),
        ));
    }
    let sql = format!(
        "SELECT COUNT(*) FROM policy_services WHERE structure_id = $1 AND closed_at IS NULL \
         AND id IN ({})",
        placeholders(2, set.len())
    );
    let mut q = sqlx::query_as::<_, (i64,)>(&sql).bind(structure.as_str());
    for s in &set {
        q = q.bind(s.as_str());
    }
    let (found,) = q.fetch_one(conn).await?;
    if usize::try_from(found).unwrap_or(0) != set.len() {
        return Err(PolicyError::not_found("service in this structure"));
    }
    Ok(Scope::Services(set.into_iter().cloned().collect()))
}

/// The structure's open services, by code (a closed one is offered nowhere).
pub(crate) async fn services_on(
    conn: &mut AnyConnection,
    structure: &StructureId,
) -> Result<Vec<Service>> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, structure_id, code, label FROM policy_services \
         WHERE structure_id = $1 AND closed_at IS NULL ORDER BY code",
    )
    .bind(structure.as_str())
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(service_from_row).collect())
}

/// The service of a `(id, structure_id, code, label)` row.
pub(crate) fn service_from_row(
    (id, structure_id, code, label): (String, String, String, String),
) -> Service {
    Service {
        id: ServiceId(id),
        structure_id: StructureId(structure_id),
        code,
        label,
    }
}
