//! The durable mail outbox. A mail is inserted in the same transaction as the change that
//! causes it (a reminder, an invoice), under a deduplication key, so it is queued exactly
//! once whatever crashes or retries happen. The [`Sender`] delivers pending mails through
//! SMTP (`lettre`, configured by an `smtp://` / `smtps://` URL) or into a folder of `.eml`
//! files (`file:///path`), with retries and exponential backoff.
//!
//! Delivery is at least once: a crash between the SMTP server's acceptance and the row's
//! update sends that one mail again after the lease expires. A mail without a known
//! address is kept with state `no_address`: it stays visible in the application as a
//! notice to the person it is about.
//!
//! Each backend owns its table (`prestations_outbox`, `vouchers_outbox`), created by its
//! migrations with the columns used here.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Serialize;
use sqlx::{AnyConnection, AnyPool, Row};

use crate::Clock;

/// How long a claimed mail is reserved for the node sending it.
const LEASE_MS: i64 = 5 * 60 * 1000;
/// Mails per sender pass.
const BATCH: i64 = 20;

/// A mail to queue.
#[derive(Debug, Clone)]
pub struct NewMail {
    /// Unique key of the event the mail is about; a second enqueue with it does nothing.
    pub dedup_key: String,
    /// Address, when one is known.
    pub recipient: Option<String>,
    /// Whom the mail concerns (an id of the backend), for in-app notices.
    pub about: Option<String>,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// A queued mail as listed to people and tests.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OutboxMail {
    /// Row id.
    pub id: String,
    /// Deduplication key.
    pub dedup_key: String,
    /// Address, if known.
    pub recipient: Option<String>,
    /// Whom it concerns.
    pub about: Option<String>,
    /// Subject line.
    pub subject: String,
    /// Body.
    pub body: String,
    /// `pending`, `sent`, `failed` or `no_address`.
    pub state: String,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// Queued at (unix ms).
    pub created_at: i64,
    /// Delivered at (unix ms).
    pub sent_at: Option<i64>,
}

/// One backend's outbox table.
#[derive(Debug, Clone, Copy)]
pub struct Outbox {
    table: &'static str,
}

impl Outbox {
    /// The outbox stored in `table` (a constant of the backend, never user input).
    pub const fn new(table: &'static str) -> Self {
        Self { table }
    }

    /// Queue `mail` inside the caller's transaction. Returns false when a mail with the
    /// same key was already queued.
    pub async fn enqueue(
        &self,
        conn: &mut AnyConnection,
        mail: &NewMail,
        now_ms: i64,
    ) -> Result<bool, sqlx::Error> {
        let state = if mail.recipient.is_some() {
            "pending"
        } else {
            "no_address"
        };
        let sql = format!(
            "INSERT INTO {} (id, dedup_key, recipient, about, subject, body, state, attempts, \
             next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8) \
             ON CONFLICT (dedup_key) DO NOTHING",
            self.table
        );
        let done = sqlx::query(&sql)
            .bind(crate::db::new_id())
            .bind(&mail.dedup_key)
            .bind(&mail.recipient)
            .bind(&mail.about)
            .bind(&mail.subject)
            .bind(&mail.body)
            .bind(state)
            .bind(now_ms)
            .execute(&mut *conn)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Mails concerning `about`, newest first.
    pub async fn about(
        &self,
        pool: &AnyPool,
        about: &str,
        limit: i64,
    ) -> Result<Vec<OutboxMail>, sqlx::Error> {
        let sql = format!(
            "SELECT id, dedup_key, recipient, about, subject, body, state, attempts, created_at, \
             sent_at FROM {} WHERE about = $1 ORDER BY created_at DESC, id LIMIT $2",
            self.table
        );
        sqlx::query_as(&sql)
            .bind(about)
            .bind(limit)
            .fetch_all(pool)
            .await
    }

    /// Every mail whose key starts with `prefix`, oldest first (for views and tests).
    pub async fn with_prefix(
        &self,
        pool: &AnyPool,
        prefix: &str,
    ) -> Result<Vec<OutboxMail>, sqlx::Error> {
        let sql = format!(
            "SELECT id, dedup_key, recipient, about, subject, body, state, attempts, created_at, \
             sent_at FROM {} WHERE dedup_key LIKE $1 ORDER BY created_at, dedup_key",
            self.table
        );
        sqlx::query_as(&sql)
            .bind(format!("{}%", prefix.replace('%', "")))
            .fetch_all(pool)
            .await
    }
}

/// Whether `text` is a mail address (`a@b.example` or `Name <a@b.example>`).
pub fn is_mail_address(text: &str) -> bool {
    text.parse::<Mailbox>().is_ok()
}

/// Why a mail could not be sent, or the mailer configured.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The mail URL is not understood.
    #[error("mail URL must be smtp://, smtps:// or file:///path")]
    Url,
    /// An address does not parse.
    #[error("invalid mail address")]
    Address,
    /// SMTP failed.
    #[error("smtp: {0}")]
    Smtp(String),
    /// Writing the file failed.
    #[error("file: {0}")]
    File(String),
}

/// Where mails go.
#[derive(Clone)]
pub enum Mailer {
    /// Nowhere yet: mails stay `pending`, ready for a sender configured later.
    Hold,
    /// An SMTP server.
    Smtp {
        /// The pooled transport.
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// The sender address.
        from: Mailbox,
    },
    /// A folder of `.eml` files (demo and development).
    Dir {
        /// The folder.
        path: PathBuf,
        /// The sender address.
        from: Mailbox,
    },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Hold => f.write_str("Mailer::Hold"),
            Self::Smtp { .. } => f.write_str("Mailer::Smtp([redacted])"),
            Self::Dir { path, .. } => write!(f, "Mailer::Dir({})", path.display()),
        }
    }
}

impl Mailer {
    /// From a URL: `smtp://[user:pass@]host[:port][?tls=required]`, `smtps://...`,
    /// `file:///folder`; `None` or empty holds mails.
    pub fn from_url(url: Option<&str>, from: &str) -> Result<Self, MailError> {
        let Some(url) = url.filter(|u| !u.trim().is_empty()) else {
            return Ok(Self::Hold);
        };
        let from: Mailbox = from.parse().map_err(|_| MailError::Address)?;
        if let Some(path) = url.strip_prefix("file://") {
            if path.is_empty() {
                return Err(MailError::Url);
            }
            return Ok(Self::Dir {
                path: PathBuf::from(path),
                from,
            });
        }
        if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
            return Err(MailError::Url);
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Smtp(e.to_string()))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Self::Smtp { transport, from })
    }

    async fn send(&self, id: &str, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
        let (from, deliver) = match self {
            Self::Hold => return Err(MailError::Url),
            Self::Smtp { from, .. } | Self::Dir { from, .. } => (from.clone(), self),
        };
        let to: Mailbox = to.parse().map_err(|_| MailError::Address)?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| MailError::Smtp(e.to_string()))?;
        match deliver {
            Self::Smtp { transport, .. } => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Smtp(e.to_string())),
            Self::Dir { path, .. } => {
                let bytes = message.formatted();
                let tmp = path.join(format!(".{id}.tmp"));
                let done = path.join(format!("{id}.eml"));
                tokio::fs::create_dir_all(path)
                    .await
                    .map_err(|e| MailError::File(e.to_string()))?;
                tokio::fs::write(&tmp, bytes)
                    .await
                    .map_err(|e| MailError::File(e.to_string()))?;
                tokio::fs::rename(&tmp, &done)
                    .await
                    .map_err(|e| MailError::File(e.to_string()))
            }
            Self::Hold => Err(MailError::Url),
        }
    }
}

/// What one sender pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SendReport {
    /// Delivered.
    pub sent: usize,
    /// Failed this time (will be retried unless given up).
    pub failed: usize,
}

/// Delivers pending mails of one outbox.
#[derive(Clone)]
pub struct Sender {
    pool: AnyPool,
    outbox: Outbox,
    mailer: Mailer,
    clock: Arc<dyn Clock>,
    max_attempts: i64,
}

impl Sender {
    /// A sender for `outbox` in `pool`.
    pub fn new(pool: AnyPool, outbox: Outbox, mailer: Mailer, clock: Arc<dyn Clock>) -> Self {
        Self {
            pool,
            outbox,
            mailer,
            clock,
            max_attempts: 10,
        }
    }

    /// Whether a mailer is configured at all.
    pub fn is_active(&self) -> bool {
        !matches!(self.mailer, Mailer::Hold)
    }

    /// Send what is due now.
    pub async fn pass(&self) -> Result<SendReport, sqlx::Error> {
        let mut report = SendReport::default();
        if !self.is_active() {
            return Ok(report);
        }
        let table = self.outbox.table;
        let now = self.clock.now_ms();
        let due = sqlx::query(&format!(
            "SELECT id, recipient, subject, body, attempts, next_attempt_at FROM {table} \
             WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY created_at LIMIT $2"
        ))
        .bind(now)
        .bind(BATCH)
        .fetch_all(&self.pool)
        .await?;
        for row in due {
            let id: String = row.try_get("id")?;
            let recipient: Option<String> = row.try_get("recipient")?;
            let subject: String = row.try_get("subject")?;
            let body: String = row.try_get("body")?;
            let attempts: i64 = row.try_get("attempts")?;
            let next: i64 = row.try_get("next_attempt_at")?;
            // Claim: only one sender (node) gets the lease.
            let claimed = sqlx::query(&format!(
                "UPDATE {table} SET next_attempt_at = $1, attempts = attempts + 1 \
                 WHERE id = $2 AND state = 'pending' AND next_attempt_at = $3"
            ))
            .bind(now + LEASE_MS)
            .bind(&id)
            .bind(next)
            .execute(&self.pool)
            .await?;
            if claimed.rows_affected() != 1 {
                continue;
            }
            let Some(to) = recipient else { continue };
            match self.mailer.send(&id, &to, &subject, &body).await {
                Ok(()) => {
                    sqlx::query(&format!(
                        "UPDATE {table} SET state = 'sent', sent_at = $1, last_error = NULL WHERE id = $2"
                    ))
                    .bind(self.clock.now_ms())
                    .bind(&id)
                    .execute(&self.pool)
                    .await?;
                    report.sent += 1;
                }
                Err(error) => {
                    report.failed += 1;
                    let tries = attempts + 1;
                    let permanent = matches!(error, MailError::Address);
                    let state = if permanent || tries >= self.max_attempts {
                        "failed"
                    } else {
                        "pending"
                    };
                    tracing::warn!(mail = %id, %error, tries, state, "mail not delivered");
                    sqlx::query(&format!(
                        "UPDATE {table} SET state = $1, next_attempt_at = $2, last_error = $3 WHERE id = $4"
                    ))
                    .bind(state)
                    .bind(self.clock.now_ms() + backoff_ms(tries))
                    .bind(error.to_string().chars().take(300).collect::<String>())
                    .bind(&id)
                    .execute(&self.pool)
                    .await?;
                }
            }
        }
        Ok(report)
    }
}

/// 30 s, 1 min, 2 min, ... capped at 6 hours.
fn backoff_ms(tries: i64) -> i64 {
    let exp = u32::try_from(tries.clamp(0, 20)).unwrap_or(20);
    (30_000_i64.saturating_mul(1_i64 << exp.min(20))).min(6 * 3600 * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff_ms(0), 30_000);
        assert_eq!(backoff_ms(1), 60_000);
        assert_eq!(backoff_ms(30), 6 * 3600 * 1000);
    }

    #[test]
    fn urls_are_checked() {
        assert!(matches!(Mailer::from_url(None, "a@b.be"), Ok(Mailer::Hold)));
        assert!(matches!(
            Mailer::from_url(Some("file:///tmp/x"), "a@b.be"),
            Ok(Mailer::Dir { .. })
        ));
        assert!(Mailer::from_url(Some("http://x"), "a@b.be").is_err());
        assert!(Mailer::from_url(Some("smtp://127.0.0.1:2525"), "not an address").is_err());
    }
}
