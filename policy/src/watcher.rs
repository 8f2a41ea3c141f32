//! The task that keeps a node's decision index in step with the database: a PostgreSQL
//! LISTEN on `policy_changes` (notified at commit by a trigger), a periodic version
//! check as the safety net (and the only source on SQLite, where changes made through
//! the API refresh at once), and a timer at the next `valid_until` that prunes expired
//! entries.
//!
//! It knows the policy only through [`Watched`], which the policy's shared state
//! implements: the task decides when, the policy how.

use std::sync::{Arc, Weak};
use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::error::Result;

/// The channel the PostgreSQL trigger notifies.
pub(crate) const CHANNEL: &str = "policy_changes";

/// The `application_name` of the watcher's LISTEN connection (seen in
/// `pg_stat_activity`, where an operator or a test finds it to cut it).
pub const LISTENER_NAME: &str = "policy-watcher";

/// Prune at most this often, however close the expiries (decisions check `valid_until`
/// themselves; pruning only frees memory).
const MIN_PRUNE_GAP: Duration = Duration::from_secs(30);

/// What the watcher keeps in step.
pub(crate) trait Watched: Send + Sync + 'static {
    /// Now (unix ms), from the policy's clock.
    fn now_ms(&self) -> i64;

    /// Apply the changes committed since the last refresh; whether anything changed.
    fn refresh(self: Arc<Self>) -> impl Future<Output = Result<bool>> + Send;

    /// Drop what expired by `now_ms` if anything did; returns the next expiry (unix ms,
    /// `i64::MAX`: none).
    fn prune_expired(&self, now_ms: i64) -> i64;

    /// Whether the LISTEN subscription is up (PostgreSQL).
    fn set_listening(&self, on: bool);
}

/// Stops the watcher.
pub(crate) struct WatcherHandle {
    stop: watch::Sender<bool>,
    join: JoinHandle<()>,
}

impl WatcherHandle {
    /// Ask the task to stop and wait for it.
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.join.await {
            tracing::warn!(error = %e, "policy watcher ended abnormally");
        }
    }
}

enum Wake {
    Stop,
    Tick,
    Notified,
    ListenerLost,
    Expiry,
}

/// Start the watcher for the state behind `weak` (it ends by itself when that state is
/// dropped).
pub(crate) fn spawn<W: Watched>(
    weak: Weak<W>,
    pg_url: Option<String>,
    poll: Duration,
) -> WatcherHandle {
    let (stop, mut stop_rx) = watch::channel(false);
    let join = tokio::spawn(async move {
        let mut listener: Option<PgListener> = None;
        let mut tick = tokio::time::interval(poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut next_prune = tokio::time::Instant::now();
        loop {
            if listener.is_none()
                && let Some(url) = &pg_url
            {
                listener = listen_as(url, LISTENER_NAME, CHANNEL).await;
                if let Some(target) = weak.upgrade() {
                    target.set_listening(listener.is_some());
                }
            }
            let expiry_at = match weak.upgrade() {
                Some(target) => {
                    let next = target.prune_expired(target.now_ms());
                    let wait_ms = next.saturating_sub(target.now_ms()).max(0);
                    let wait = Duration::from_millis(u64::try_from(wait_ms).unwrap_or(u64::MAX))
                        .min(Duration::from_secs(24 * 3600));
                    next_prune.max(tokio::time::Instant::now() + wait)
                }
                None => break,
            };
            let wake = tokio::select! {
                _ = stop_rx.changed() => Wake::Stop,
                _ = tick.tick() => Wake::Tick,
                _ = tokio::time::sleep_until(expiry_at) => Wake::Expiry,
                n = recv(&mut listener) => if n { Wake::Notified } else { Wake::ListenerLost },
            };
            let Some(target) = weak.upgrade() else { break };
            match wake {
                Wake::Stop => break,
                Wake::ListenerLost => {
                    target.set_listening(false);
                    tracing::warn!("policy watcher: LISTEN connection lost, reconnecting");
                    listener = None;
                    refresh(target).await;
                }
                Wake::Tick | Wake::Notified => refresh(target).await,
                Wake::Expiry => {
                    target.prune_expired(target.now_ms());
                    next_prune = tokio::time::Instant::now() + MIN_PRUNE_GAP;
                }
            }
        }
    });
    WatcherHandle { stop, join }
}

/// A LISTEN connection to `channel` named `application_name` (so that `pg_stat_activity`
/// shows whose it is and an operator, or a test, can cut it); `None`, logged, when the
/// database cannot be reached or refuses. The gateway's session listener uses it too.
pub async fn listen_as(url: &str, application_name: &str, channel: &str) -> Option<PgListener> {
    let sep = if url.contains('?') { '&' } else { '?' };
    let named = format!("{url}{sep}application_name={application_name}");
    match PgListener::connect(&named).await {
        Ok(mut l) => match l.listen(channel).await {
            Ok(()) => Some(l),
            Err(e) => {
                tracing::warn!(error = %e, listener = application_name, "LISTEN failed");
                None
            }
        },
        Err(e) => {
            tracing::warn!(error = %e, listener = application_name, "cannot connect for LISTEN");
            None
        }
    }
}

/// Wait for a notification; `false` when the connection was lost. Never returns
/// without a listener.
async fn recv(listener: &mut Option<PgListener>) -> bool {
    match listener {
        Some(l) => match l.try_recv().await {
            Ok(Some(_)) => true,
            Ok(None) | Err(_) => false,
        },
        None => std::future::pending().await,
    }
}

async fn refresh<W: Watched>(target: Arc<W>) {
    if let Err(e) = target.refresh().await {
        tracing::warn!(error = %e, "policy watcher: refresh failed");
    }
}
