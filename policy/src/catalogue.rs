//! The application catalogue: named rights, each an application and an access level
//! (e.g. `vouchers` / `modify`). The seed right `access` / `manage-attachments` lets its
//! holder decide attachment requests.

use serde_json::json;

use crate::audit::{Audit, AuditEvent, actions};
use crate::engine::Policy;
use crate::error::{PolicyError, Result};
use crate::input::clean_text;
use crate::model::{Actor, Right, RightId};
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
            "SELECT id, application, level, label FROM policy_rights ORDER BY application, level",
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
             WHERE application = $1 AND level = $2",
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
