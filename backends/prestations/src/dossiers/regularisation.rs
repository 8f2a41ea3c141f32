//! Regularisation of a dossier hindered by a malfunction of the platform (seed 003:
//! « que ce soit via une dérogation aux délais ... tous les dossiers contrariés seront
//! traités ... Il faut cependant nous apporter les preuves des démarches effectuées
//! (printscreen, notifications reçues, …) »).
//!
//! The deadline derogated is the dossier's submission deadline (the planned start of the
//! prestation). The provider asks, for a dossier still being introduced (01), with a
//! mandatory reason and a mandatory proof (a PNG or JPEG screenshot or a PDF, recognised
//! by its content, at most [`MAX_PROOF_BYTES`]); one request waits at a time. An operator
//! (right `process`, never the provider itself) grants it with a new deadline or refuses
//! it with a reason. Each request and decision is a line of the dossier's append-only
//! history with who and when, and a log line; the request keeps who decided, when and
//! why.

use backend_kit::Caller;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};

use super::DossierStatus;
use super::service::{DossierError, Dossiers, is_provider};
use super::store;
use crate::RIGHT_PROCESS;

/// The largest proof accepted (5 MiB).
pub const MAX_PROOF_BYTES: usize = 5 * 1024 * 1024;

/// Longest reason accepted.
pub const MAX_REASON: usize = 4000;

/// A proof as uploaded.
#[derive(Debug, Clone)]
pub struct Proof {
    /// The file name given (shown, never used as a path).
    pub name: String,
    /// The content.
    pub bytes: Vec<u8>,
}

/// The type of a proof, from its first bytes; `None` for anything but PNG, JPEG or PDF.
pub fn proof_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for an operator.
    Pending,
    /// Granted: the dossier may be submitted until `granted_until`.
    Granted,
    /// Refused.
    Refused,
}

/// A regularisation request (without its proof's content).
#[derive(Debug, Clone, Serialize)]
pub struct Regularisation {
    /// Id.
    pub id: String,
    /// The dossier.
    pub dossier_id: String,
    /// Who asked (name).
    pub requested_by_name: String,
    /// When (unix ms).
    pub requested_at: i64,
    /// Why.
    pub reason: String,
    /// The proof's file name.
    pub proof_name: String,
    /// The proof's type.
    pub proof_type: String,
    /// Where it stands.
    pub status: RequestStatus,
    /// Who decided (name).
    pub decided_by_name: Option<String>,
    /// When (unix ms).
    pub decided_at: Option<i64>,
    /// The operator's reason.
    pub decision_note: Option<String>,
    /// The new submission deadline, when granted.
    pub granted_until: Option<String>,
}

/// An operator's decision.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Decision {
    /// `grant` or `refuse`.
    pub decision: String,
    /// New deadline (`YYYY-MM-DD`), required to grant.
    #[serde(default)]
    pub until: Option<String>,
    /// Reason, required to refuse.
    #[serde(default)]
    pub note: Option<String>,
}

const COLUMNS: &str = "id, dossier_id, requested_by_name, requested_at, reason, proof_name, \
    proof_type, status, decided_by_name, decided_at, decision_note, granted_until";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Regularisation, sqlx::Error> {
    let status: String = row.try_get("status")?;
    Ok(Regularisation {
        id: row.try_get("id")?,
        dossier_id: row.try_get("dossier_id")?,
        requested_by_name: row.try_get("requested_by_name")?,
        requested_at: row.try_get("requested_at")?,
        reason: row.try_get("reason")?,
        proof_name: row.try_get("proof_name")?,
        proof_type: row.try_get("proof_type")?,
        status: match status.as_str() {
            "granted" => RequestStatus::Granted,
            "refused" => RequestStatus::Refused,
            _ => RequestStatus::Pending,
        },
        decided_by_name: row.try_get("decided_by_name")?,
        decided_at: row.try_get("decided_at")?,
        decision_note: row.try_get("decision_note")?,
        granted_until: row.try_get("granted_until")?,
    })
}

/// Whether a dossier has a regularisation request (the operators see it then).
pub async fn has_request(pool: &AnyPool, dossier_id: &str) -> Result<bool, sqlx::Error> {
    let row =
        sqlx::query("SELECT COUNT(*) AS n FROM dossier_regularisations WHERE dossier_id = $1")
            .bind(dossier_id)
            .fetch_one(pool)
            .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

fn text(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

impl Dossiers {
    /// The provider asks for a derogation of the submission deadline of a dossier in 01.
    pub async fn request_regularisation(
        &self,
        caller: &Caller,
        dossier_id: &str,
        reason: Option<&str>,
        proof: Option<Proof>,
    ) -> Result<Regularisation, DossierError> {
        let d = self.get(caller, dossier_id).await?;
        if !is_provider(caller, &d) {
            return Err(DossierError::Forbidden(
                crate::texts::refusal("prestations_refusal_regularisation_provider").into(),
            ));
        }
        if d.status != DossierStatus::BeingIntroduced {
            return Err(DossierError::Conflict(
                crate::texts::refusal("prestations_refusal_regularisation_01").into(),
            ));
        }
        let reason = text(reason).ok_or_else(|| {
            DossierError::Invalid(
                crate::texts::refusal("prestations_refusal_regularisation_reason").into(),
            )
        })?;
        if reason.chars().count() > MAX_REASON {
            return Err(DossierError::Invalid(
                crate::texts::refusal("prestations_refusal_reason_long")
                    .with("max", MAX_REASON)
                    .into(),
            ));
        }
        let proof = proof.filter(|p| !p.bytes.is_empty()).ok_or_else(|| {
            DossierError::Invalid(crate::texts::refusal("prestations_refusal_proof_missing").into())
        })?;
        if proof.bytes.len() > MAX_PROOF_BYTES {
            return Err(DossierError::Invalid(
                crate::texts::refusal("prestations_refusal_proof_size")
                    .with("max", MAX_PROOF_BYTES / 1024 / 1024)
                    .into(),
            ));
        }
        let kind = proof_type(&proof.bytes).ok_or_else(|| {
            DossierError::Invalid(crate::texts::refusal("prestations_refusal_proof_type").into())
        })?;
        let name: String = proof
            .name
            .chars()
            .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'))
            .take(200)
            .collect();
        let name = if name.trim().is_empty() {
            "proof".to_owned()
        } else {
            name
        };
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let pending = sqlx::query(
            "SELECT COUNT(*) AS n FROM dossier_regularisations WHERE dossier_id = $1 AND status = 'pending'",
        )
        .bind(&d.id)
        .fetch_one(&mut *tx)
        .await?;
        if pending.try_get::<i64, _>("n")? > 0 {
            return Err(DossierError::Conflict(
                crate::texts::refusal("prestations_refusal_regularisation_pending").into(),
            ));
        }
        let r = Regularisation {
            id: backend_kit::db::new_id(),
            dossier_id: d.id.clone(),
            requested_by_name: caller.name().to_owned(),
            requested_at: now,
            reason,
            proof_name: name,
            proof_type: kind.to_owned(),
            status: RequestStatus::Pending,
            decided_by_name: None,
            decided_at: None,
            decision_note: None,
            granted_until: None,
        };
        sqlx::query(
            "INSERT INTO dossier_regularisations (id, dossier_id, requested_by, requested_by_name, \
             requested_at, reason, proof_name, proof_type, proof, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending')",
        )
        .bind(&r.id)
        .bind(&r.dossier_id)
        .bind(caller.sub())
        .bind(&r.requested_by_name)
        .bind(now)
        .bind(&r.reason)
        .bind(&r.proof_name)
        .bind(&r.proof_type)
        .bind(proof.bytes)
        .execute(&mut *tx)
        .await?;
        store::add_event(
            &mut tx,
            &d.id,
            now,
            (caller.sub(), caller.name()),
            "regularisation_requested",
            Some(d.status),
            Some(d.status),
            Some(&r.reason),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(dossier = %d.id, regularisation = %r.id, "regularisation requested");
        Ok(r)
    }

    /// The regularisation requests of a dossier the caller sees, newest first.
    pub async fn regularisations(
        &self,
        caller: &Caller,
        dossier_id: &str,
    ) -> Result<Vec<Regularisation>, DossierError> {
        self.get(caller, dossier_id).await?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM dossier_regularisations WHERE dossier_id = $1 \
             ORDER BY requested_at DESC, id"
        ))
        .bind(dossier_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// The requests waiting for an operator (right `process`), oldest first, with their
    /// dossier's reference.
    pub async fn pending_regularisations(
        &self,
        caller: &Caller,
    ) -> Result<Vec<(Regularisation, String)>, DossierError> {
        if !caller.has(RIGHT_PROCESS) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT r.id, r.dossier_id, r.requested_by_name, r.requested_at, r.reason, r.proof_name, \
             r.proof_type, r.status, r.decided_by_name, r.decided_at, r.decision_note, r.granted_until, \
             d.reference FROM dossier_regularisations r JOIN dossiers d ON d.id = r.dossier_id \
             WHERE r.status = 'pending' ORDER BY r.requested_at, r.id LIMIT 500",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((from_row(r)?, r.try_get("reference")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(DossierError::from)
    }

    /// A proof's file name, type and content, for the dossier's provider and operators.
    pub async fn proof(
        &self,
        caller: &Caller,
        dossier_id: &str,
        request_id: &str,
    ) -> Result<(String, String, Vec<u8>), DossierError> {
        self.get(caller, dossier_id).await?;
        let row = sqlx::query(
            "SELECT proof_name, proof_type, proof FROM dossier_regularisations \
             WHERE id = $1 AND dossier_id = $2",
        )
        .bind(request_id)
        .bind(dossier_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DossierError::NotFound)?;
        Ok((
            row.try_get("proof_name")?,
            row.try_get("proof_type")?,
            row.try_get("proof")?,
        ))
    }

    /// An operator grants (with a new submission deadline) or refuses (with a reason) a
    /// pending request. Audited: the dossier's history and the request keep who decided,
    /// when and why.
    pub async fn decide_regularisation(
        &self,
        caller: &Caller,
        dossier_id: &str,
        request_id: &str,
        decision: &Decision,
    ) -> Result<Regularisation, DossierError> {
        if !caller.has(RIGHT_PROCESS) {
            return Err(DossierError::Forbidden(
                crate::texts::refusal("prestations_refusal_operator_decides")
                    .with("right", RIGHT_PROCESS)
                    .into(),
            ));
        }
        let d = self.get(caller, dossier_id).await?;
        if is_provider(caller, &d) {
            return Err(DossierError::Forbidden(
                crate::texts::refusal("prestations_refusal_regularisation_own").into(),
            ));
        }
        let note = text(decision.note.as_deref());
        let today = self.clock.today();
        let (status, until) = match decision.decision.as_str() {
            "grant" => {
                let until = text(decision.until.as_deref()).ok_or_else(|| {
                    DossierError::Invalid(
                        crate::texts::refusal("prestations_refusal_until_required").into(),
                    )
                })?;
                let until = NaiveDate::parse_from_str(&until, "%Y-%m-%d").map_err(|_| {
                    DossierError::Invalid(
                        crate::texts::refusal("prestations_refusal_until_date").into(),
                    )
                })?;
                if until < today {
                    return Err(DossierError::Invalid(
                        crate::texts::refusal("prestations_refusal_until_past").into(),
                    ));
                }
                (RequestStatus::Granted, Some(until))
            }
            "refuse" => {
                if note.is_none() {
                    return Err(DossierError::Invalid(
                        crate::texts::refusal("prestations_refusal_note").into(),
                    ));
                }
                (RequestStatus::Refused, None)
            }
            _ => {
                return Err(DossierError::Invalid(
                    crate::texts::refusal("prestations_refusal_decision").into(),
                ));
            }
        };
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE dossier_regularisations SET status = $1, decided_by = $2, decided_by_name = $3, \
             decided_at = $4, decision_note = $5, granted_until = $6 \
             WHERE id = $7 AND dossier_id = $8 AND status = 'pending'",
        )
        .bind(if status == RequestStatus::Granted {
            "granted"
        } else {
            "refused"
        })
        .bind(caller.sub())
        .bind(caller.name())
        .bind(now)
        .bind(&note)
        .bind(until.map(|u| u.to_string()))
        .bind(request_id)
        .bind(&d.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(DossierError::Conflict(
                crate::texts::refusal("prestations_refusal_not_pending").into(),
            ));
        }
        if let Some(until) = until {
            let next = store::Dossier {
                submit_by: Some(until),
                version: d.version + 1,
                updated_at: now,
                ..d.clone()
            };
            if !store::compare_and_set(&mut tx, d.version, d.status, &next).await? {
                return Err(DossierError::Stale);
            }
        }
        let (action, line) = match until {
            Some(u) => (
                "regularisation_granted",
                format!(
                    "may be submitted until {u}{}",
                    note.as_deref()
                        .map(|n| format!(": {n}"))
                        .unwrap_or_default()
                ),
            ),
            None => ("regularisation_refused", note.clone().unwrap_or_default()),
        };
        store::add_event(
            &mut tx,
            &d.id,
            now,
            (caller.sub(), caller.name()),
            action,
            Some(d.status),
            Some(d.status),
            Some(&line),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(
            dossier = %d.id,
            regularisation = %request_id,
            decision = action,
            operator = %caller.sub(),
            "regularisation decided"
        );
        let rows = self.regularisations(caller, dossier_id).await?;
        rows.into_iter()
            .find(|r| r.id == request_id)
            .ok_or(DossierError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::proof_type;

    #[test]
    fn proofs_are_recognised_by_their_content() {
        assert_eq!(proof_type(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(proof_type(&[0xff, 0xd8, 0xff, 0xe0]), Some("image/jpeg"));
        assert_eq!(proof_type(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(proof_type(b"<html>"), None);
        assert_eq!(proof_type(b""), None);
    }
}
