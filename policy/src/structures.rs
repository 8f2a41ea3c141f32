//! Structures (organisations, identified by an enterprise number, SIREN or SIRET) and
//! their services: creation, lookup, search by number or name.

use serde_json::json;

use crate::audit::{Audit, AuditEvent, actions};
use crate::authz;
use crate::engine::Policy;
use crate::error::{PolicyError, Result};
use crate::ids::{OrgNumber, OrgNumberKind};
use crate::input::org_name;
use crate::model::{Actor, Service, ServiceId, Structure, StructureId};
use crate::store::changes::record_change;
use crate::store::structures::{
    STRUCTURE_COLUMNS, get_structure, insert_structure, services_on, structure_by_number_on,
    structure_from_row,
};
use crate::store::{is_unique_violation, like_escape};

/// A search of the operator's console ([`Policy::find_structures`]).
#[derive(Debug, Clone, Default)]
pub struct StructureSearch {
    /// Number (with or without dots or spaces, full or at least 3 digits) or part of a
    /// name; empty: any.
    pub text: String,
    /// Only structures identified by this kind of number.
    pub kind: Option<OrgNumberKind>,
    /// Only pending structures.
    pub pending: bool,
    /// Structures skipped (paging).
    pub offset: u32,
    /// At most this many (1 to 100).
    pub limit: u32,
}

/// A row of [`STRUCTURE_COLUMNS`] and `pending_since`.
type FoundRow = (String, String, String, String, String, i64, Option<i64>);

/// A structure found, with since when it is pending (if it is).
#[derive(Debug, Clone)]
pub struct FoundStructure {
    /// The structure.
    pub structure: Structure,
    /// Pending since (unix ms), until the register names it.
    pub pending_since: Option<i64>,
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
        let legal_name = org_name(legal_name, "legal_name", 200)?;
        let common_name = if common_name.trim().is_empty() {
            legal_name.clone()
        } else {
            org_name(common_name, "common_name", 200)?
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
        let mut conn = self.pool().acquire().await?;
        get_structure(&mut conn, id).await
    }

    /// A structure by its number, if known.
    pub async fn structure_by_number(&self, number: &OrgNumber) -> Result<Option<Structure>> {
        let mut conn = self.pool().acquire().await?;
        structure_by_number_on(&mut conn, number).await
    }

    /// Search structures by number (full or partial digits) or by legal or common name
    /// (case-insensitive substring); at most `limit` (capped at 100). Open to any
    /// logged-in person: it is how they find where to ask for an attachment.
    pub async fn search_structures(&self, query: &str, limit: u32) -> Result<Vec<Structure>> {
        let n = query.trim().chars().count();
        if !(2..=100).contains(&n) {
            return Err(PolicyError::Invalid(
                "search text must have 2 to 100 characters".to_owned(),
            ));
        }
        let found = self
            .find_structures(&StructureSearch {
                text: query.to_owned(),
                limit,
                ..StructureSearch::default()
            })
            .await?;
        Ok(found.into_iter().map(|f| f.structure).collect())
    }

    /// Structures matching a search, in one query: the text as in
    /// [`Policy::search_structures`] (empty: any), the kind of number, only those
    /// pending (created by an attachment request, not yet named by the register), a
    /// page (`offset`, `limit` capped at 100). For the platform operator's console: the
    /// caller checks the operator.
    pub async fn find_structures(&self, q: &StructureSearch) -> Result<Vec<FoundStructure>> {
        let text = q.text.trim();
        if text.chars().count() > 100 {
            return Err(PolicyError::Invalid(
                "search text must have at most 100 characters".to_owned(),
            ));
        }
        let limit = i64::from(q.limit.clamp(1, 100));
        let name_pattern = format!("%{}%", like_escape(&text.to_lowercase()));
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let only_number = text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '/'));
        let number_pattern = match OrgNumber::parse(text) {
            Ok(n) => n.stored().to_owned(),
            Err(_) if only_number && digits.len() >= 3 => format!("%{digits}%"),
            Err(_) => String::new(),
        };
        let rows: Vec<FoundRow> = sqlx::query_as(&format!(
            "SELECT {STRUCTURE_COLUMNS}, s.pending_since FROM policy_structures s \
                 WHERE (($1 <> '' AND s.enterprise_number LIKE $1) \
                 OR LOWER(s.legal_name) LIKE $2 ESCAPE '\\' \
                 OR LOWER(s.common_name) LIKE $2 ESCAPE '\\') \
                 AND ($3 = '' OR s.number_kind = $3) \
                 AND ($4 = 0 OR s.pending_since IS NOT NULL) \
                 ORDER BY s.common_name, s.id LIMIT $5 OFFSET $6"
        ))
        .bind(number_pattern)
        .bind(name_pattern)
        .bind(q.kind.map_or("", OrgNumberKind::as_str))
        .bind(i64::from(q.pending))
        .bind(limit)
        .bind(i64::from(q.offset))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(
                |(id, kind, number, legal, common, created, pending_since)| {
                    Ok(FoundStructure {
                        structure: structure_from_row((id, kind, number, legal, common, created))?,
                        pending_since,
                    })
                },
            )
            .collect()
    }

    /// Create a service in a structure (its main managers, or the operator).
    pub async fn create_service(
        &self,
        actor: &Actor,
        structure: &StructureId,
        code: &str,
        label: &str,
    ) -> Result<Service> {
        let code = org_name(code, "code", 32)?;
        if !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(PolicyError::Invalid(
                "code may hold letters, digits, '-', '_' and '.'".to_owned(),
            ));
        }
        let label = org_name(label, "label", 200)?;
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
        let mut conn = self.pool().acquire().await?;
        services_on(&mut conn, structure).await
    }
}
