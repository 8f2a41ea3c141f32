//! The application catalogue: named rights, each an application and an access level
//! (e.g. `vouchers` / `modify`). The seed right `access` / `manage-attachments` lets its
//! holder decide attachment requests. The rest comes from the gateway's configuration
//! through [`Policy::sync_catalogue`] at every start.

use serde::Serialize;
use serde_json::json;

use crate::audit::{Audit, AuditEvent, actions};
use crate::engine::Policy;
use crate::error::{PolicyError, Result};
use crate::input::clean_text;
use crate::model::{Actor, Right, RightId, UserId};
use crate::store::changes::record_change;
use crate::store::is_unique_violation;

/// Application and level names: lowercase letters, digits, `-`, `_`, `.`; they become
/// casbin role names (`app:level`), so no `:` nor `/`.
fn check_name(value: &str, field: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        });
    if ok {
        Ok(())
    } else {
        Err(PolicyError::Invalid(format!(
            "{field} must be 1 to 64 of a-z, 0-9, '-', '_', '.'"
        )))
    }
}

impl Policy {
    /// Add a right to the catalogue (platform operator only).
    pub async fn define_right(
        &self,
        actor: &Actor,
        application: &str,
        level: &str,
        label: &str,
    ) -> Result<Right> {
        if actor.user_id.is_some() {
            return Err(PolicyError::forbidden(
                "only the platform operator edits the catalogue",
            ));
        }
        check_name(application, "application")?;
        check_name(level, "level")?;
        let label = clean_text(label, "label", 200)?;
        let now = self.now_ms();
        let id = RightId::random();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO policy_rights (id, application, level, label, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.as_str())
        .bind(application)
        .bind(level)
        .bind(&label)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                PolicyError::Conflict("this application and level are already in the catalogue")
            } else {
                e.into()
            }
        })?;
        Audit::record_in(
            &mut tx,
            &AuditEvent {
                actor: None,
                action: actions::RIGHT_DEFINE.to_owned(),
                target: id.0.clone(),
                structure: None,
                ip: actor.ip.clone(),
                detail: json!({"application": application, "level": level, "label": label}),
            },
            now,
        )
        .await?;
        record_change(&mut tx, None, now).await?;
        tx.commit().await?;
        self.after_change().await;
        Ok(Right {
            id,
            application: application.to_owned(),
            level: level.to_owned(),
            label,
        })
    }

    /// The whole catalogue, by application then level.
    pub async fn catalogue(&self) -> Result<Vec<Right>> {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT id, application, level, label FROM policy_rights WHERE retired_at IS NULL \
             ORDER BY application, level",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, application, level, label)| Right {
                id: RightId(id),
                application,
                level,
                label,
            })
            .collect())
    }

    /// A right by application and level.
    pub async fn right_by_name(&self, application: &str, level: &str) -> Result<Right> {
        let row: Option<(String, String, String, String)> = sqlx::query_as(
            "SELECT id, application, level, label FROM policy_rights \
             WHERE application = $1 AND level = $2 AND retired_at IS NULL",
        )
        .bind(application)
        .bind(level)
        .fetch_optional(self.pool())
        .await?;
        let (id, application, level, label) = row.ok_or(PolicyError::not_found("right"))?;
        Ok(Right {
            id: RightId(id),
            application,
            level,
            label,
        })
    }
}

/// One right of the catalogue as the configuration declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueEntry {
    /// Application, e.g. `prestations`.
    pub application: String,
    /// Access level, e.g. `modify`.
    pub level: String,
    /// Label shown to access managers.
    pub label: String,
}

/// A right that is in the database but no longer in the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetiredRight {
    /// Application.
    pub application: String,
    /// Access level.
    pub level: String,
    /// Grants of it that are kept (not revoked), deciding nothing while it is retired.
    pub grants_kept: usize,
}

/// What [`Policy::sync_catalogue`] changed, and what stays retired.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CatalogueSync {
    /// `application/level` added.
    pub added: Vec<String>,
    /// `application/level` whose label changed.
    pub relabelled: Vec<String>,
    /// `application/level` back in the configuration, with their grants.
    pub restored: Vec<String>,
    /// `application/level` retired by this sync.
    pub newly_retired: Vec<String>,
    /// Every retired right (this sync's and earlier ones), with the grants kept.
    pub retired: Vec<RetiredRight>,
}

impl CatalogueSync {
    /// Whether this sync changed the catalogue.
    pub fn changed(&self) -> bool {
        !(self.added.is_empty()
            && self.relabelled.is_empty()
            && self.restored.is_empty()
            && self.newly_retired.is_empty())
    }
}

/// The application the model keeps for itself; the configuration never manages it.
const OWN_APPLICATION: &str = "access";

type RightRow = (String, String, String, String, Option<i64>);

impl Policy {
    /// Make the catalogue what the configuration says (operator only; run at every
    /// start of every node, so it is idempotent and safe to run on several nodes at
    /// once). New rights are added, labels updated; a right absent from `entries` is
    /// retired: it decides nothing and cannot be granted, but its grants are kept (and
    /// counted in the report), and it is restored with them when the configuration
    /// names it again. Each change is an audit line (`right.define`, `right.relabel`,
    /// `right.retire`, `right.restore`); a sync that changes nothing writes none. The
    /// model's own application (`access`) is never touched.
    pub async fn sync_catalogue(
        &self,
        actor: &Actor,
        entries: &[CatalogueEntry],
    ) -> Result<CatalogueSync> {
        if actor.user_id.is_some() {
            return Err(PolicyError::forbidden(
                "only the platform operator edits the catalogue",
            ));
        }
        for e in entries {
            check_name(&e.application, "application")?;
            check_name(&e.level, "level")?;
            if e.application == OWN_APPLICATION {
                return Err(PolicyError::Invalid(
                    "the application `access` is the model's own".to_owned(),
                ));
            }
        }
        // Two nodes starting at once may both insert the same new right: the loser's
        // transaction fails on the unique key and its next pass finds the row.
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.sync_catalogue_once(actor, entries).await {
                Err(PolicyError::Conflict(_)) if attempt < 3 => continue,
                other => return other,
            }
        }
    }

    async fn sync_catalogue_once(
        &self,
        actor: &Actor,
        entries: &[CatalogueEntry],
    ) -> Result<CatalogueSync> {
        let now = self.now_ms();
        let mut report = CatalogueSync::default();
        let mut tx = self.begin().await?;
        let rows: Vec<RightRow> = sqlx::query_as(
            "SELECT id, application, level, label, retired_at FROM policy_rights \
             WHERE application <> $1 ORDER BY application, level",
        )
        .bind(OWN_APPLICATION)
        .fetch_all(&mut *tx)
        .await?;
        let mut events: Vec<(String, &'static str, serde_json::Value)> = Vec::new();
        let mut touched: Vec<String> = Vec::new();
        for e in entries {
            let name = format!("{}/{}", e.application, e.level);
            let label = clean_text(&e.label, "label", 200)?;
            let known = rows
                .iter()
                .find(|(_, a, l, _, _)| *a == e.application && *l == e.level);
            let detail = json!({"application": e.application, "level": e.level, "label": label, "source": "configuration"});
            match known {
                None => {
                    let id = RightId::random();
                    sqlx::query(
                        "INSERT INTO policy_rights (id, application, level, label, created_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(id.as_str())
                    .bind(&e.application)
                    .bind(&e.level)
                    .bind(&label)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(|err| {
                        if is_unique_violation(&err) {
                            PolicyError::Conflict("the catalogue changed meanwhile")
                        } else {
                            err.into()
                        }
                    })?;
                    events.push((id.0, actions::RIGHT_DEFINE, detail));
                    report.added.push(name);
                }
                Some((id, _, _, old_label, retired)) => {
                    if retired.is_some() {
                        sqlx::query(
                            "UPDATE policy_rights SET retired_at = NULL, label = $1 WHERE id = $2",
                        )
                        .bind(&label)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                        events.push((id.clone(), actions::RIGHT_RESTORE, detail));
                        touched.push(id.clone());
                        report.restored.push(name);
                    } else if *old_label != label {
                        sqlx::query("UPDATE policy_rights SET label = $1 WHERE id = $2")
                            .bind(&label)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        events.push((id.clone(), actions::RIGHT_RELABEL, detail));
                        report.relabelled.push(name);
                    }
                }
            }
        }
        for (id, application, level, _, retired) in &rows {
            let wanted = entries
                .iter()
                .any(|e| e.application == *application && e.level == *level);
            if wanted || retired.is_some() {
                continue;
            }
            sqlx::query("UPDATE policy_rights SET retired_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let kept = active_grants(&mut tx, id).await?;
            events.push((
                id.clone(),
                actions::RIGHT_RETIRE,
                json!({"application": application, "level": level, "grants_kept": kept, "source": "configuration"}),
            ));
            touched.push(id.clone());
            report.newly_retired.push(format!("{application}/{level}"));
        }
        let retired: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, application, level FROM policy_rights \
             WHERE retired_at IS NOT NULL ORDER BY application, level",
        )
        .fetch_all(&mut *tx)
        .await?;
        for (id, application, level) in retired {
            let grants_kept = active_grants(&mut tx, &id).await?;
            report.retired.push(RetiredRight {
                application,
                level,
                grants_kept,
            });
        }
        if !report.changed() {
            tx.rollback().await?;
            return Ok(report);
        }
        for (target, action, detail) in events {
            Audit::record_in(
                &mut tx,
                &AuditEvent {
                    actor: None,
                    action: action.to_owned(),
                    target,
                    structure: None,
                    ip: actor.ip.clone(),
                    detail,
                },
                now,
            )
            .await?;
        }
        // The holders of a retired or restored right see their rights change.
        let mut users: Vec<String> = Vec::new();
        for id in &touched {
            let holders: Vec<(String,)> = sqlx::query_as(
                "SELECT DISTINCT user_id FROM policy_grants \
                 WHERE right_id = $1 AND revoked_at IS NULL AND user_id IS NOT NULL",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            users.extend(holders.into_iter().map(|(u,)| u));
        }
        users.sort();
        users.dedup();
        for u in &users {
            record_change(&mut tx, Some(&UserId(u.clone())), now).await?;
        }
        record_change(&mut tx, None, now).await?;
        tx.commit().await?;
        self.after_change().await;
        Ok(report)
    }
}

/// Grants of a right that are not revoked (expired ones included: they may be renewed).
async fn active_grants(conn: &mut sqlx::AnyConnection, right_id: &str) -> Result<usize> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM policy_grants WHERE right_id = $1 AND revoked_at IS NULL",
    )
    .bind(right_id)
    .fetch_one(conn)
    .await?;
    Ok(usize::try_from(n).unwrap_or(0))
}
