//! The `mail_outbox` table: queued mails, sealed at rest (they hold one-time codes and
//! links), leased by one node at a time while it sends them, emptied once sent.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::crypto::Keys;
use crate::store::{Db, StoreError};

/// Seal context of queued mail.
const SEAL: &str = "mail outbox v1";

/// A mail to send: plain text, one recipient.
#[derive(Clone, Serialize, Deserialize)]
pub struct Outgoing {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// When what the mail carries (a one-time code, a link) stops working (unix ms):
    /// the mail is not sent after that, retried or not. `None`: it never expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

impl Outgoing {
    /// Whether the mail's content is dead at `now` (or would be by `at`).
    pub fn expired_by(&self, at: i64) -> bool {
        self.expires_at.is_some_and(|e| e <= at)
    }
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body may hold a code or a link: never in logs.
        f.debug_struct("Outgoing")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// A queued mail leased for sending.
#[derive(Debug)]
pub struct Queued {
    /// Row id.
    pub id: String,
    /// Sends tried so far.
    pub attempts: i64,
    /// The mail, unsealed.
    pub mail: Outgoing,
}

/// Queue a mail inside the caller's transaction; returns its id. Call
/// [`super::Mailer::wake`] after the commit.
pub async fn enqueue(
    conn: &mut sqlx::AnyConnection,
    keys: &Keys,
    mail: &Outgoing,
    now: i64,
) -> Result<String, StoreError> {
    let id = uuid::Uuid::new_v4().to_string();
    let json = serde_json::to_vec(mail).map_err(|_| StoreError::Corrupt("mail_outbox"))?;
    let sealed = keys.seal(SEAL, &json);
    sqlx::query(
        "INSERT INTO mail_outbox (id, recipient, sealed, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(&id)
    .bind(&mail.to)
    .bind(&sealed)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Lease up to `limit` mails due at `now` for `lease_ms`; a mail leased by another node
/// (or whose lease has not run out) is skipped.
pub async fn lease_due(
    db: &Db,
    keys: &Keys,
    now: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<Queued>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, sealed, attempts FROM mail_outbox WHERE sent_at IS NULL \
         AND next_attempt_at <= $1 AND locked_until <= $1 ORDER BY created_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let mut leased = Vec::with_capacity(rows.len());
    for row in rows {
        let id: String = row.try_get("id")?;
        let taken = sqlx::query(
            "UPDATE mail_outbox SET locked_until = $1 WHERE id = $2 AND sent_at IS NULL \
             AND locked_until <= $3",
        )
        .bind(now + lease_ms)
        .bind(&id)
        .bind(now)
        .execute(&db.pool)
        .await?;
        if taken.rows_affected() != 1 {
            continue;
        }
        let sealed: String = row.try_get("sealed")?;
        let mail = keys
            .open(SEAL, &sealed)
            .ok()
            .and_then(|plain| serde_json::from_slice::<Outgoing>(&plain).ok());
        match mail {
            Some(mail) => leased.push(Queued {
                id,
                attempts: row.try_get("attempts")?,
                mail,
            }),
            None => {
                // Sealed under another master secret or damaged: it can never be sent.
                tracing::error!(mail = %id, "queued mail cannot be opened; giving it up");
                give_up(db, &id, "cannot be opened").await?;
            }
        }
    }
    Ok(leased)
}

/// Record a delivery: the content is erased, the row stays as a trace.
pub async fn mark_sent(db: &Db, id: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE mail_outbox SET sent_at = $1, sealed = '', locked_until = 0, last_error = NULL, \
         attempts = attempts + 1 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Record a failed send and when to try again.
pub async fn mark_failed(db: &Db, id: &str, retry_at: i64, error: &str) -> Result<(), StoreError> {
    let error: String = error.chars().take(200).collect();
    sqlx::query(
        "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $1, locked_until = 0, \
         last_error = $2 WHERE id = $3",
    )
    .bind(retry_at)
    .bind(error)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A mail that can never be sent (malformed address, unreadable): kept, never retried.
pub async fn give_up(db: &Db, id: &str, reason: &str) -> Result<(), StoreError> {
    mark_failed(db, id, i64::MAX, reason).await
}

/// Remove the traces of mails sent before `before`.
pub async fn purge_sent(db: &Db, before: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM mail_outbox WHERE sent_at IS NOT NULL AND sent_at < $1")
        .bind(before)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

/// Mails not yet delivered (for tests and monitoring).
pub async fn pending(db: &Db) -> Result<i64, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL")
        .fetch_one(&db.pool)
        .await?;
    Ok(n)
}
