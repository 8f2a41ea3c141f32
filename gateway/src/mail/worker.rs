//! The worker sending the outbox: woken when this node queues a mail, and polling for
//! the rest (retries, mails queued by other nodes or before a restart). A failed send is
//! retried after `retry_base_secs`, doubled at each failure up to `retry_max_secs`. A
//! mail whose content expires (a one-time code, a link) is never sent after that moment:
//! it is given up as `expired` (the person asks for a new code or link, as the code page
//! and the link's page say once it has expired).

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::watch;

use super::outbox::{self, Queued};
use crate::config::MailConfig;
use crate::state::AppState;
use crate::store::now_ms;

/// The reason recorded for a mail whose content expired before it could be delivered.
pub const EXPIRED: &str = "expired";

/// How long a node holds a mail it is sending before another may take it.
const LEASE_MS: i64 = 60_000;

/// Where mail goes.
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(PathBuf),
}

/// Why the worker cannot start.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// `mail.from` or `mail.smtp_url` is not usable.
    #[error("mail configuration: {0}")]
    Config(&'static str),
    /// The delivery folder cannot be created.
    #[error("mail folder: {0}")]
    Folder(std::io::Error),
}

/// The sending loop of one node.
pub struct Worker {
    app: AppState,
    from: Mailbox,
    transport: Transport,
    config: MailConfig,
}

impl Worker {
    /// A worker for the configured `[mail]`; `None` when there is none.
    pub fn new(app: &AppState) -> Result<Option<Self>, WorkerError> {
        let Some(config) = app.config.mail.clone() else {
            return Ok(None);
        };
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|_| WorkerError::Config("mail.from"))?;
        let transport = match (&config.smtp_url, &config.outbox_dir) {
            (Some(url), _) => {
                let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map_err(|_| WorkerError::Config("mail.smtp_url"))?;
                Transport::Smtp(builder.timeout(Some(Duration::from_secs(15))).build())
            }
            (None, Some(dir)) => {
                std::fs::create_dir_all(dir).map_err(WorkerError::Folder)?;
                tracing::info!(folder = %dir.display(), "mail is delivered into a folder");
                Transport::Folder(dir.clone())
            }
            (None, None) => return Err(WorkerError::Config("mail.smtp_url")),
        };
        Ok(Some(Self {
            app: app.clone(),
            from,
            transport,
            config,
        }))
    }

    /// Send until `stop` turns true.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let poll = Duration::from_secs(self.config.poll_secs);
        loop {
            // Send everything due, then wait for a wake-up, the poll, or the stop.
            loop {
                match self.send_due().await {
                    Ok(0) => break,
                    Ok(_) => continue,
                    Err(e) => {
                        tracing::warn!(error = %e, "mail outbox unreachable");
                        break;
                    }
                }
            }
            tokio::select! {
                () = self.app.mailer.woken() => {}
                () = tokio::time::sleep(poll) => {}
                _ = stop.changed() => break,
            }
        }
    }

    /// Send the mails due now; returns how many were tried.
    async fn send_due(&self) -> Result<usize, crate::store::StoreError> {
        let now = now_ms();
        let due = outbox::lease_due(&self.app.db, &self.app.keys, now, LEASE_MS, 20).await?;
        let tried = due.len();
        for q in due {
            self.send_one(q).await?;
        }
        Ok(tried)
    }

    async fn send_one(&self, q: Queued) -> Result<(), crate::store::StoreError> {
        let db = &self.app.db;
        if q.mail.expired_by(now_ms()) {
            tracing::info!(mail = %q.id, attempts = q.attempts, "mail content expired before delivery; not sent");
            return outbox::give_up(db, &q.id, EXPIRED).await;
        }
        let to: Mailbox = match q.mail.to.parse() {
            Ok(to) => to,
            Err(_) => {
                tracing::warn!(mail = %q.id, "mail recipient is not an address; giving it up");
                return outbox::give_up(db, &q.id, "invalid recipient").await;
            }
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(q.mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(q.mail.body.clone());
        let message = match message {
            Ok(m) => m,
            Err(_) => return outbox::give_up(db, &q.id, "cannot be built").await,
        };
        let sent = match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Transport::Folder(dir) => write_file(dir, &q.id, &message.formatted())
                .await
                .map_err(|e| e.to_string()),
        };
        match sent {
            Ok(()) => {
                tracing::info!(mail = %q.id, attempts = q.attempts + 1, "mail sent");
                outbox::mark_sent(db, &q.id, now_ms()).await
            }
            Err(e) => {
                let wait = self.backoff_secs(q.attempts);
                tracing::warn!(mail = %q.id, attempts = q.attempts + 1, retry_in_secs = wait, error = %e, "mail not sent");
                let retry_at =
                    now_ms().saturating_add(i64::try_from(wait * 1000).unwrap_or(i64::MAX));
                if q.mail.expired_by(retry_at) {
                    tracing::info!(mail = %q.id, "mail content expires before the next try; given up");
                    return outbox::give_up(db, &q.id, EXPIRED).await;
                }
                outbox::mark_failed(db, &q.id, retry_at, &e).await
            }
        }
    }

    /// Seconds to wait after the `attempts + 1`-th failure.
    fn backoff_secs(&self, attempts: i64) -> u64 {
        backoff(
            self.config.retry_base_secs,
            self.config.retry_max_secs,
            attempts,
        )
    }
}

/// `base * 2^attempts`, at most `max`.
pub fn backoff(base: u64, max: u64, attempts: i64) -> u64 {
    let shift = u32::try_from(attempts.clamp(0, 32)).unwrap_or(32);
    base.saturating_mul(1u64 << shift).min(max)
}

/// Write one message atomically: a reader never sees half a file.
async fn write_file(dir: &std::path::Path, id: &str, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{id}.tmp"));
    let done = dir.join(format!("{id}.eml"));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, &done).await?;
    tracing::info!(file = %done.display(), "mail written");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        assert_eq!(backoff(5, 900, 0), 5);
        assert_eq!(backoff(5, 900, 1), 10);
        assert_eq!(backoff(5, 900, 3), 40);
        assert_eq!(backoff(5, 900, 10), 900);
        assert_eq!(backoff(5, 900, i64::MAX), 900);
        assert_eq!(backoff(5, 900, -3), 5);
    }
}
