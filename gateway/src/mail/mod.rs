//! Durable outgoing mail. A mail is written to the `mail_outbox` table in the same
//! transaction as what caused it ([`outbox::enqueue`]); a worker ([`worker::run`]) sends
//! it through SMTP (`lettre`) or into a folder, retrying with exponential backoff until
//! it is delivered, across SMTP outages and gateway restarts.

pub mod outbox;
pub mod worker;

use std::sync::Arc;

use tokio::sync::Notify;

/// Wakes this node's mail worker when a mail was queued, so that it goes out at once
/// instead of at the next poll.
#[derive(Clone, Default)]
pub struct Mailer {
    wake: Arc<Notify>,
}

impl Mailer {
    /// Tell the worker there is something to send (call after the commit).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Wait until [`Mailer::wake`] is called.
    pub async fn woken(&self) {
        self.wake.notified().await;
    }
}
