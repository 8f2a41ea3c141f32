//! Serving: the router on a listener with graceful shutdown and connection limits
//! ([`crate::connections`]), the mail worker, the sessions' notification listener, and the periodic maintenance (key rotation, purge of what ended). [`spawn`] starts all of it
//! and [`Running::shutdown`] stops it, letting in-flight requests finish.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::connections::Limits;
use crate::factors::{store as factor_store, webauthn_store};
use crate::mail::outbox;
use crate::mail::worker::Worker;
use crate::state::AppState;
use crate::store::{self, StoreError, now_ms};

/// How often maintenance runs.
const MAINTENANCE_EVERY: Duration = Duration::from_secs(30);

/// Sent mails are kept this long (ms) for inquiries, then purged.
const SENT_MAIL_KEPT_MS: i64 = 7 * 86_400_000;

/// A running gateway: its address and the means to stop it.
pub struct Running {
    /// The bound address.
    pub addr: SocketAddr,
    /// The state (for tests and the demo).
    pub state: AppState,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Stop accepting, let in-flight requests finish, and wait.
    pub async fn shutdown(self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        match self.task.await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}

/// Serve `state` on `listener` until [`Running::shutdown`].
pub fn spawn(state: AppState, listener: TcpListener) -> std::io::Result<Running> {
    let addr = listener.local_addr()?;
    let (stop, _) = watch::channel(false);
    let gateway = crate::router::Gateway::new(state.clone());
    let maintenance = state.clone();
    let mut maintenance_stop = stop.subscribe();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(MAINTENANCE_EVERY);
        tick.tick().await;
        loop {
            tokio::select! {
                _ = tick.tick() => maintain(&maintenance).await,
                _ = maintenance_stop.changed() => break,
            }
        }
    });
    // On PostgreSQL, the notifications that keep the sessions in memory true.
    state.sessions.watch(stop.subscribe());
    match Worker::new(&state) {
        Ok(Some(worker)) => {
            tokio::spawn(worker.run(stop.subscribe()));
        }
        Ok(None) => {}
        Err(e) => return Err(std::io::Error::other(e)),
    }
    let server = &state.config.server;
    let limits = Limits {
        max_connections: server.max_connections,
        header_read: Duration::from_secs(server.header_read_timeout_secs),
        body_read: Duration::from_secs(server.body_read_timeout_secs),
        grace: Duration::from_secs(server.shutdown_grace_secs),
    };
    let task = tokio::spawn(crate::connections::serve(
        listener,
        gateway,
        limits,
        stop.subscribe(),
    ));
    Ok(Running {
        addr,
        state,
        stop,
        task,
    })
}

/// Periodic work: key rotation and reload, purge of ended sessions, login flows,
/// second-factor challenges, devices, ceremonies and old sent mail; the weekly digests.
/// A failure is logged and retried at the next tick.
pub async fn maintain(app: &AppState) {
    if let Err(e) = app.assertions.maintain().await {
        tracing::warn!(error = %e, "signing key maintenance failed");
    }
    if let Err(e) = app.sessions.purge().await {
        tracing::warn!(error = %e, "session purge failed");
    }
    if let Err(e) = store::login_flows::purge_expired(&app.db, now_ms()).await {
        tracing::warn!(error = %e, "login flow purge failed");
    }
    if let Err(e) = purge_factors(app).await {
        tracing::warn!(error = %e, "second-factor purge failed");
    }
    match crate::account::digest::send_due(app).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(digests = n, "weekly digests queued"),
        Err(e) => tracing::warn!(error = %e, "weekly digests failed"),
    }
}

/// Remove ended challenges, devices and ceremonies, and mail sent long ago.
async fn purge_factors(app: &AppState) -> Result<(), StoreError> {
    let now = now_ms();
    factor_store::purge(&app.db, now).await?;
    webauthn_store::purge(&app.db, now).await?;
    outbox::purge_sent(&app.db, now - SENT_MAIL_KEPT_MS).await?;
    Ok(())
}
