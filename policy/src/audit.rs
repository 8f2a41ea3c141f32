//! Append-only audit log: who did what, on whom, in which structure, when, from which
//! address. Database triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL);
//! management actions write their event in the same transaction as the change.

use std::sync::Arc;

use futures_util::{Stream, StreamExt, TryStreamExt, stream};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AnyPool};

use crate::clock::Clock;
use crate::error::{PolicyError, Result};
use crate::model::{StructureId, Subject, UserId};
use crate::store::placeholders;

/// Action names written by this crate, and the ones the gateway is expected to use.
pub mod actions {
    /// A structure was created (operator or import).
    pub const STRUCTURE_CREATE: &str = "structure.create";
    /// A structure's registered name changed (a register import), or its common name
    /// (a main manager).
    pub const STRUCTURE_RENAME: &str = "structure.rename";
    /// A service was created.
    pub const SERVICE_CREATE: &str = "service.create";
    /// A service's label changed.
    pub const SERVICE_RENAME: &str = "service.rename";
    /// A service was closed.
    pub const SERVICE_CLOSE: &str = "service.close";
    /// Legal representatives were imported from a register extract (one event per line).
    pub const REPRESENTATIVE_IMPORT: &str = "representative.import";
    /// A main manager was designated.
    pub const MAIN_MANAGER_DESIGNATE: &str = "main_manager.designate";
    /// A main manager was removed or left.
    pub const MAIN_MANAGER_REMOVE: &str = "main_manager.remove";
    /// A local manager was designated.
    pub const LOCAL_MANAGER_DESIGNATE: &str = "local_manager.designate";
    /// A local manager was removed.
    pub const LOCAL_MANAGER_REMOVE: &str = "local_manager.remove";
    /// A right was added to the catalogue.
    pub const RIGHT_DEFINE: &str = "right.define";
    /// A right's label changed (the catalogue in the configuration).
    pub const RIGHT_RELABEL: &str = "right.relabel";
    /// A level was removed from the configured catalogue: it stops deciding, its grants
    /// are kept.
    pub const RIGHT_RETIRE: &str = "right.retire";
    /// A retired level is back in the configured catalogue, with its grants.
    pub const RIGHT_RESTORE: &str = "right.restore";
    /// A right was granted.
    pub const GRANT_CREATE: &str = "grant.create";
    /// A grant was revoked.
    pub const GRANT_REVOKE: &str = "grant.revoke";
    /// A grant's validity was changed.
    pub const GRANT_RENEW: &str = "grant.renew";
    /// A grant's access level was changed.
    pub const GRANT_LEVEL: &str = "grant.level";
    /// Someone asked to be attached.
    pub const ATTACHMENT_REQUEST: &str = "attachment.request";
    /// An attachment request was approved.
    pub const ATTACHMENT_APPROVE: &str = "attachment.approve";
    /// An attachment request was rejected.
    pub const ATTACHMENT_REJECT: &str = "attachment.reject";
    /// Someone detached from a structure or some services.
    pub const ATTACHMENT_DETACH: &str = "attachment.detach";
    /// A person asked for a right they miss.
    pub const ACCESS_REQUEST: &str = "access.request";
    /// An access request was granted (the grant itself is `grant.create`).
    pub const ACCESS_GRANT: &str = "access.grant";
    /// An access request was refused.
    pub const ACCESS_REFUSE: &str = "access.refuse";
    /// Pending designations and grants became effective at a first login.
    pub const IDENTITY_LINK: &str = "identity.link";
    /// Gateway: a successful login.
    pub const LOGIN: &str = "login";
    /// Gateway: a failed login.
    pub const LOGIN_FAILED: &str = "login.failed";
    /// Gateway: the active structure changed.
    pub const STRUCTURE_SWITCH: &str = "structure.switch";
    /// Gateway: a second factor was added, removed or reset.
    pub const FACTOR_CHANGE: &str = "factor.change";
    /// Gateway: the person changed their profile (which fields, not their values).
    pub const PROFILE_CHANGE: &str = "profile.change";
    /// Gateway: the person changed their preferences (display, notifications, digest).
    pub const PREFERENCES_CHANGE: &str = "preferences.change";
    /// Gateway: the person ended one of their sessions, or all the others.
    pub const SESSION_END: &str = "session.end";
    /// Gateway: the person deactivated their account.
    pub const ACCOUNT_DEACTIVATE: &str = "account.deactivate";
    /// Admin API: an operator reactivated a deactivated account.
    pub const ACCOUNT_REACTIVATE: &str = "account.reactivate";
    /// Gateway: the rights catalogue and the routes were reloaded from the configuration
    /// file (applied, unchanged or refused; by an operator or a signal).
    pub const CATALOGUE_RELOAD: &str = "catalogue.reload";
    /// An operator invited a person to a local password account.
    pub const ACCOUNT_INVITE: &str = "account.invite";
    /// A local password account was created (by an invitation).
    pub const ACCOUNT_CREATE: &str = "account.create";

    /// Every action above, in this order: what a filter by action offers.
    pub const ALL: [&str; 38] = [
        STRUCTURE_CREATE,
        STRUCTURE_RENAME,
        SERVICE_CREATE,
        SERVICE_RENAME,
        SERVICE_CLOSE,
        REPRESENTATIVE_IMPORT,
        MAIN_MANAGER_DESIGNATE,
        MAIN_MANAGER_REMOVE,
        LOCAL_MANAGER_DESIGNATE,
        LOCAL_MANAGER_REMOVE,
        RIGHT_DEFINE,
        RIGHT_RELABEL,
        RIGHT_RETIRE,
        RIGHT_RESTORE,
        GRANT_CREATE,
        GRANT_REVOKE,
        GRANT_RENEW,
        GRANT_LEVEL,
        ATTACHMENT_REQUEST,
        ATTACHMENT_APPROVE,
        ATTACHMENT_REJECT,
        ATTACHMENT_DETACH,
        ACCESS_REQUEST,
        ACCESS_GRANT,
        ACCESS_REFUSE,
        IDENTITY_LINK,
        LOGIN,
        LOGIN_FAILED,
        STRUCTURE_SWITCH,
        FACTOR_CHANGE,
        PROFILE_CHANGE,
        PREFERENCES_CHANGE,
        SESSION_END,
        ACCOUNT_DEACTIVATE,
        ACCOUNT_REACTIVATE,
        CATALOGUE_RELOAD,
        ACCOUNT_INVITE,
        ACCOUNT_CREATE,
    ];
}

/// One event to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Who acted (`None`: the platform operator or an anonymous client).
    pub actor: Option<UserId>,
    /// What was done, e.g. [`actions::GRANT_CREATE`].
    pub action: String,
    /// On whom or what: the person acted upon (user id) when there is one, else the
    /// object's id (a national number never goes here: use its hash).
    pub target: String,
    /// In which structure.
    pub structure: Option<StructureId>,
    /// From which client address.
    pub ip: Option<String>,
    /// Anything else, as JSON.
    pub detail: serde_json::Value,
}

/// A recorded event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Sequence number.
    pub id: i64,
    /// When (unix ms).
    pub at: i64,
    /// The event.
    #[serde(flatten)]
    pub event: AuditEvent,
}

/// Filters for [`Audit::query`]; all optional, combined with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Events in this structure.
    pub structure: Option<StructureId>,
    /// Events where one of these people acted or was acted upon (`Some` of an empty
    /// list matches nothing: a search that found nobody).
    pub people: Option<Vec<UserId>>,
    /// Events of this action (one of [`actions`]).
    pub action: Option<String>,
    /// From this time (unix ms, inclusive).
    pub from_ms: Option<i64>,
    /// Until this time (unix ms, exclusive).
    pub to_ms: Option<i64>,
    /// Only events after this id (paging).
    pub after_id: Option<i64>,
    /// At most this many (default 1000, at most 10,000).
    pub limit: Option<u32>,
}

/// Writer and reader of the audit log.
#[derive(Clone)]
pub struct Audit {
    pool: AnyPool,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Audit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Audit").finish_non_exhaustive()
    }
}

impl Audit {
    /// An audit log over the gateway database.
    pub fn new(pool: AnyPool, clock: Arc<dyn Clock>) -> Self {
        Self { pool, clock }
    }

    /// Record one event now, in its own transaction; returns its id.
    pub async fn record(&self, event: AuditEvent) -> Result<i64> {
        let mut conn = self.pool.acquire().await?;
        Self::record_in(&mut conn, &event, self.clock.now_ms()).await
    }

    /// Record one event on `conn` (inside the caller's transaction, so that the event
    /// and the change commit or roll back together); returns its id.
    pub async fn record_in(conn: &mut AnyConnection, event: &AuditEvent, at: i64) -> Result<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO audit_log (at, actor, action, target, structure_id, ip, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(at)
        .bind(event.actor.as_ref().map(UserId::as_str))
        .bind(&event.action)
        .bind(&event.target)
        .bind(event.structure.as_ref().map(StructureId::as_str))
        .bind(event.ip.as_deref())
        .bind(event.detail.to_string())
        .fetch_one(conn)
        .await?;
        Ok(id)
    }

    /// Events matching `q`, oldest first.
    pub async fn query(&self, q: &AuditQuery) -> Result<Vec<AuditRecord>> {
        let mut conn = self.pool.acquire().await?;
        query_on(&mut conn, q).await
    }

    /// Every event matching `q` (at most `q.limit` in all, when given), read from the
    /// database one keyset page (`after_id`) at a time as the stream is polled: an
    /// export never holds more than one page.
    pub fn pages(
        &self,
        q: &AuditQuery,
    ) -> impl Stream<Item = Result<Vec<AuditRecord>>> + Send + use<> {
        let mut page = q.clone();
        page.limit = Some(EXPORT_PAGE);
        let left = q.limit.map(|l| l as usize);
        stream::try_unfold(
            (self.clone(), page, left),
            |(audit, mut page, left)| async move {
                if left == Some(0) {
                    return Ok(None);
                }
                let mut rows = audit.query(&page).await?;
                let Some(last) = rows.last() else {
                    return Ok(None);
                };
                page.after_id = Some(last.id);
                let left = left.map(|n| {
                    rows.truncate(n);
                    n - rows.len()
                });
                Ok(Some((rows, (audit, page, left))))
            },
        )
    }

    /// Every event matching `q` as JSON lines, one chunk of text per page.
    pub fn export_jsonl(
        &self,
        q: &AuditQuery,
    ) -> impl Stream<Item = Result<String>> + Send + use<> {
        self.pages(q).map(|page| {
            let mut out = String::new();
            for r in &page? {
                let line = serde_json::to_string(r).map_err(|_| {
                    PolicyError::Invalid("an event could not be written as JSON".to_owned())
                })?;
                out.push_str(&line);
                out.push('\n');
            }
            Ok(out)
        })
    }

    /// Every event matching `q` as CSV with a header line, one chunk of text per page.
    /// Cells that a spreadsheet would read as a formula are prefixed with `'`.
    pub fn export_csv(&self, q: &AuditQuery) -> impl Stream<Item = Result<String>> + Send + use<> {
        let header = "id,at,actor,action,target,structure_id,ip,detail\n".to_owned();
        stream::once(async move { Ok(header) }).chain(self.pages(q).map_ok(|rows| {
            let mut out = String::new();
            for r in &rows {
                let cells = [
                    r.id.to_string(),
                    r.at.to_string(),
                    r.event
                        .actor
                        .as_ref()
                        .map(|a| a.0.clone())
                        .unwrap_or_default(),
                    r.event.action.clone(),
                    r.event.target.clone(),
                    r.event
                        .structure
                        .as_ref()
                        .map(|s| s.0.clone())
                        .unwrap_or_default(),
                    r.event.ip.clone().unwrap_or_default(),
                    r.event.detail.to_string(),
                ];
                let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
                out.push_str(&line.join(","));
                out.push('\n');
            }
            out
        }))
    }
}

/// Events read per page by [`Audit::pages`].
const EXPORT_PAGE: u32 = 1000;

/// The audit target naming a subject: the user id, or `nrn:<hash>` when pending.
pub(crate) fn subject_target(subject: &Subject) -> String {
    match subject {
        Subject::User(u) => u.0.clone(),
        Subject::Pending(h) => format!("nrn:{}", h.as_str()),
    }
}

/// Events matching `q` on `conn`.
pub(crate) async fn query_on(conn: &mut AnyConnection, q: &AuditQuery) -> Result<Vec<AuditRecord>> {
    enum Arg<'a> {
        Text(&'a str),
        Int(i64),
    }
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<Arg<'_>> = Vec::new();
    if let Some(s) = &q.structure {
        args.push(Arg::Text(s.as_str()));
        clauses.push(format!("structure_id = {}", placeholders(args.len(), 1)));
    }
    if let Some(people) = &q.people {
        if people.is_empty() {
            return Ok(Vec::new());
        }
        let first = args.len() + 1;
        args.extend(people.iter().map(|p| Arg::Text(p.as_str())));
        let ph = placeholders(first, people.len());
        clauses.push(format!("(actor IN ({ph}) OR target IN ({ph}))"));
    }
    if let Some(action) = &q.action {
        args.push(Arg::Text(action));
        clauses.push(format!("action = {}", placeholders(args.len(), 1)));
    }
    if let Some(from) = q.from_ms {
        args.push(Arg::Int(from));
        clauses.push(format!("at >= {}", placeholders(args.len(), 1)));
    }
    if let Some(to) = q.to_ms {
        args.push(Arg::Int(to));
        clauses.push(format!("at < {}", placeholders(args.len(), 1)));
    }
    if let Some(after) = q.after_id {
        args.push(Arg::Int(after));
        clauses.push(format!("id > {}", placeholders(args.len(), 1)));
    }
    let limit = i64::from(q.limit.unwrap_or(1000).min(10_000));
    args.push(Arg::Int(limit));
    let where_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!(
        "SELECT id, at, actor, action, target, structure_id, ip, detail FROM audit_log \
         {where_sql} ORDER BY id LIMIT {}",
        placeholders(args.len(), 1)
    );
    type Row = (
        i64,
        i64,
        Option<String>,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
    );
    let mut query = sqlx::query_as::<_, Row>(&sql);
    for a in &args {
        query = match a {
            Arg::Text(t) => query.bind(*t),
            Arg::Int(i) => query.bind(*i),
        };
    }
    let rows = query.fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, at, actor, action, target, structure, ip, detail)| AuditRecord {
                id,
                at,
                event: AuditEvent {
                    actor: actor.map(UserId),
                    action,
                    target,
                    structure: structure.map(StructureId),
                    ip,
                    detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
                },
            },
        )
        .collect())
}

/// One CSV field, safe from formulas: the workspace's one helper for exports.
fn csv_cell(value: &str) -> String {
    web::sheet::csv_cell(value)
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_are_quoted_and_formula_safe() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
    }
}
