//! Structures (organisations, identified by an enterprise number, SIREN or SIRET) and
//! their services: creation, lookup, search by number or name.

use std::collections::BTreeSet;

use serde_json::json;
use sqlx::AnyConnection;

use crate::audit::{Audit, AuditEvent, actions};
use crate::db::{is_unique_violation, like_escape, placeholders, record_change};
use crate::ids::{OrgNumber, OrgNumberKind};
use crate::{
    Actor, Policy, PolicyError, Result, Scope, Service, ServiceId, Structure, StructureId, authz,
};

pub(crate) const STRUCTURE_COLUMNS: &str =
    "s.id, s.number_kind, s.enterprise_number, s.legal_name, s.common_name, s.created_at";

pub(crate) type StructureRow = (String, String, String, String, String, i64);

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

/// A trimmed, non-empty text of at most `max` characters.
pub(crate) fn clean_text(value: &str, field: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(PolicyError::Invalid(format!("{field} is required")));
    }
    if v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(PolicyError::Invalid(format!(
            "{field} must be at most {max} printable characters"
        )));
    }
    Ok(v.to_owned())
}

pub(crate) async fn get_structure(conn: &mut AnyConnection, id: &StructureId) -> Result<Structure> {
    let row: Option<StructureRow> = sqlx::query_as(&format!(
        "SELECT {STRUCTURE_COLUMNS} FROM policy_structures s WHERE s.id = $1"
    ))
    .bind(id.as_str())
    .fetch_optional(conn)
    .await?;
    structure_from_row(row.ok_or(PolicyError::not_found("structure"))?)
}

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

pub(crate) async fn insert_structure(
    conn: &mut AnyConnection,
    number: &OrgNumber,
    legal_name: &str,
    common_name: &str,
    now: i64,
) -> Result<Structure> {
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

/// Check a scope against a structure: services must exist there and be listed at least
/// once; returns the scope with services deduplicated and sorted.
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
        "SELECT COUNT(*) FROM policy_services WHERE structure_id = $1 AND id IN ({})",
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

pub(crate) async fn services_on(
    conn: &mut AnyConnection,
    structure: &StructureId,
) -> Result<Vec<Service>> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, structure_id, code, label FROM policy_services \
         WHERE structure_id = $1 ORDER BY code",
    )
    .bind(structure.as_str())
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(service_from_row).collect())
}

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

impl Policy {
    /// Create a structure (platform operator only; structures also come from the
    /// register import). An empty common name takes the legal name.
    pub async fn create_structure(
        &self,
        actor: &Actor,
        number: &OrgNumber,
        legal_name: &str,
        common_name: &str,
    ) -> Result<Structure> {
        if actor.user_id.is_some() {
            return Err(PolicyError::forbidden(
                "only the platform operator creates structures",
            ));
        }
        let legal_name = clean_text(legal_name, "legal_name", 200)?;
        let common_name = if common_name.trim().is_empty() {
            legal_name.clone()
        } else {
            clean_text(common_name, "common_name", 200)?
        };
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let s = insert_structure(&mut tx, number, &legal_name, &common_name, now).await?;
        Audit::record_in(
            &mut tx,
            &AuditEvent {
                actor: None,
                action: actions::STRUCTURE_CREATE.to_owned(),
                target: s.id.0.clone(),
                structure: Some(s.id.clone()),
                ip: actor.ip.clone(),
                detail: json!({"enterprise_number": s.enterprise_number, "legal_name": s.legal_name}),
            },
            now,
        )
        .await?;
        record_change(&mut tx, None, now).await?;
        tx.commit().await?;
        self.after_change().await;
        Ok(s)
    }

    /// A structure by id.
    pub async fn structure(&self, id: &StructureId) -> Result<Structure> {
        let mut conn = self.inner.pool.acquire().await?;
        get_structure(&mut conn, id).await
    }

    /// A structure by its number, if known.
    pub async fn structure_by_number(&self, number: &OrgNumber) -> Result<Option<Structure>> {
        let mut conn = self.inner.pool.acquire().await?;
        structure_by_number_on(&mut conn, number).await
    }

    /// Search structures by number (full or partial digits) or by legal or common name
    /// (case-insensitive substring); at most `limit` (capped at 100). Open to any
    /// logged-in person: it is how they find where to ask for an attachment.
    pub async fn search_structures(&self, query: &str, limit: u32) -> Result<Vec<Structure>> {
        let q = query.trim();
        if q.chars().count() < 2 || q.chars().count() > 100 {
            return Err(PolicyError::Invalid(
                "search text must have 2 to 100 characters".to_owned(),
            ));
        }
        let limit = i64::from(limit.clamp(1, 100));
        let name_pattern = format!("%{}%", like_escape(&q.to_lowercase()));
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        let only_number = q
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '/'));
        let number_pattern = match OrgNumber::parse(q) {
            Ok(n) => n.stored().to_owned(),
            Err(_) if only_number && digits.len() >= 3 => format!("%{digits}%"),
            Err(_) => String::new(),
        };
        let rows: Vec<StructureRow> = sqlx::query_as(&format!(
            "SELECT {STRUCTURE_COLUMNS} FROM policy_structures s \
             WHERE ($1 <> '' AND s.enterprise_number LIKE $1) \
             OR LOWER(s.legal_name) LIKE $2 ESCAPE '\\' \
             OR LOWER(s.common_name) LIKE $2 ESCAPE '\\' \
             ORDER BY s.common_name, s.id LIMIT $3"
        ))
        .bind(number_pattern)
        .bind(name_pattern)
        .bind(limit)
        .fetch_all(&self.inner.pool)
        .await?;
        rows.into_iter().map(structure_from_row).collect()
    }

    /// Create a service in a structure (its main managers, or the operator).
    pub async fn create_service(
        &self,
        actor: &Actor,
        structure: &StructureId,
        code: &str,
        label: &str,
    ) -> Result<Service> {
        let code = clean_text(code, "code", 32)?;
        if !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(PolicyError::Invalid(
                "code may hold letters, digits, '-', '_' and '.'".to_owned(),
            ));
        }
        let label = clean_text(label, "label", 200)?;
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        get_structure(&mut tx, structure).await?;
        authz::ensure_main_manager(&mut tx, actor, structure).await?;
        let id = ServiceId::random();
        sqlx::query(
            "INSERT INTO policy_services (id, structure_id, code, label, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.as_str())
        .bind(structure.as_str())
        .bind(&code)
        .bind(&label)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                PolicyError::Conflict("a service with this code exists in the structure")
            } else {
                e.into()
            }
        })?;
        Audit::record_in(
            &mut tx,
            &AuditEvent {
                actor: actor.user_id.clone(),
                action: actions::SERVICE_CREATE.to_owned(),
                target: id.0.clone(),
                structure: Some(structure.clone()),
                ip: actor.ip.clone(),
                detail: json!({"code": code, "label": label}),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Service {
            id,
            structure_id: structure.clone(),
            code,
            label,
        })
    }

    /// The services of a structure (public: shown when asking for an attachment).
    pub async fn services(&self, structure: &StructureId) -> Result<Vec<Service>> {
        let mut conn = self.inner.pool.acquire().await?;
        services_on(&mut conn, structure).await
    }
}
