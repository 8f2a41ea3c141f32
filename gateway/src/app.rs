//! The application: state shared by handlers, the router, background maintenance, and
//! serving with graceful shutdown.

use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use openidconnect::RedirectUrl;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::Config;
use crate::cookies::CookieJar;
use crate::crypto::Keys;
use crate::metrics::Metrics;
use crate::oidc::{self, Provider};
use crate::proxy::{self, UpstreamClient};
use crate::routes::RouteTable;
use crate::sessions::Sessions;
use crate::signing::Assertions;
use crate::store::sessions::Session;
use crate::store::{self, Db};

/// Everything handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The shared parts.
pub struct Inner {
    /// The validated configuration.
    pub config: Config,
    /// Storage.
    pub db: Db,
    /// Keys derived from the master secret.
    pub keys: Keys,
    /// Sessions.
    pub sessions: Sessions,
    /// Assertion signing.
    pub assertions: Assertions,
    /// Upstream OpenID providers.
    pub providers: Vec<Arc<Provider>>,
    /// Route table.
    pub routes: RouteTable,
    /// Cookie names and flags.
    pub cookies: CookieJar,
    /// Pooled client to upstreams.
    pub upstream: UpstreamClient,
    /// Metrics.
    pub metrics: Metrics,
    /// Identity headers removed from client requests.
    pub identity_headers: Vec<HeaderName>,
    /// The access model (decisions in memory, kept current on every node).
    pub policy: policy::Policy,
    /// Wakes the mail worker when a mail is queued.
    pub mailer: crate::mail::Mailer,
    /// Password hashing of local accounts (when `[local]` is configured).
    pub passwords: Option<crate::local::password::Hasher>,
    /// WebAuthn relying party (when `factors.webauthn` is on).
    pub webauthn: Option<Arc<webauthn_rs::Webauthn>>,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Connect to the store, migrate, load keys, and prepare providers and routes.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = Db::connect(
            config.database.url.expose(),
            config.database.max_connections,
        )
        .await?;
        db.migrate().await?;
        let pg_url = (db.engine == store::Engine::Postgres).then(|| db.url.clone());
        let policy = policy::Policy::open(db.pool.clone(), pg_url).await?;
        Self::build_with(config, db, policy).await
    }

    /// Build on an open, migrated store with a given access model.
    pub async fn build_with(
        config: Config,
        db: Db,
        policy: policy::Policy,
    ) -> anyhow::Result<Self> {
        let keys = Keys::derive(&config.master_secret()?);
        let issuer = config
            .server
            .public_url
            .as_str()
            .trim_end_matches('/')
            .to_owned();
        let assertions = Assertions::init(
            db.clone(),
            keys.clone(),
            issuer,
            config.assertion.lifetime_secs,
            config.assertion.rotate_after_secs,
        )
        .await?;
        let sessions = Sessions::new(
            db.clone(),
            config.session.idle_timeout_secs,
            config.session.absolute_lifetime_secs,
        );
        let redirect =
            RedirectUrl::new(config.server.public_url.join("/auth/callback")?.to_string())?;
        let http = oidc::http_client();
        let providers = config
            .providers
            .iter()
            .map(|p| Arc::new(Provider::new(p.clone(), redirect.clone(), http.clone())))
            .collect();
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(Duration::from_secs(5)));
        connector.set_nodelay(true);
        connector.enforce_http(true);
        let upstream = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(256)
            .build(connector);
        let identity_headers = config
            .identity_headers
            .iter()
            .filter_map(|h| HeaderName::from_bytes(h.to_ascii_lowercase().as_bytes()).ok())
            .collect();
        let passwords = config
            .local
            .as_ref()
            .map(|l| crate::local::password::Hasher::new(l.hash_concurrency));
        let webauthn = crate::factors::webauthn::relying_party(&config)?.map(Arc::new);
        Ok(Self(Arc::new(Inner {
            routes: RouteTable::new(&config.routes),
            cookies: CookieJar::new(config.secure_cookies()),
            config,
            db,
            keys,
            sessions,
            assertions,
            providers,
            upstream,
            metrics: Metrics::new(),
            identity_headers,
            policy,
            mailer: crate::mail::Mailer::default(),
            passwords,
            webauthn,
        })))
    }

    /// Append an event to the audit log. The log is the record of what happened: a
    /// failure to write it is logged loudly (the action itself already took place).
    pub async fn audit(
        &self,
        actor: Option<&str>,
        action: &str,
        target: &str,
        structure: Option<&str>,
        ip: Option<&str>,
        detail: serde_json::Value,
    ) {
        let event = policy::audit::AuditEvent {
            actor: actor.map(policy::UserId::from),
            action: action.to_owned(),
            target: target.to_owned(),
            structure: structure.map(policy::StructureId::from),
            ip: ip.map(str::to_owned),
            detail,
        };
        if let Err(e) = self.policy.audit().record(event).await {
            tracing::error!(error = %e, action = %action, "audit event could not be written");
        }
    }

    /// Record a structure switch in the audit log.
    pub async fn audit_structure_switch(&self, session: &Session, structure_id: &str) {
        self.audit(
            Some(&session.user_id),
            policy::audit::actions::STRUCTURE_SWITCH,
            &session.user_id,
            Some(structure_id),
            session.ip.as_deref(),
            serde_json::json!({ "sid": session.sid }),
        )
        .await;
    }

    /// The whole router.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/healthz", get(healthz))
            .route("/readyz", get(readyz))
            .route("/metrics", get(metrics))
            .route(assertion::JWKS_PATH, get(jwks))
            .merge(crate::auth::router())
            .merge(crate::structures::router())
            .merge(crate::factors::router())
            .merge(crate::local::router())
            .merge(crate::admin_api::router(self))
            .fallback(proxy::handle)
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                proxy::strip_identity_headers,
            ))
            .with_state(self.clone())
    }

    /// Periodic work: key rotation and reload, purge of ended sessions and flows.
    pub async fn maintain(&self) {
        if let Err(e) = self.assertions.maintain().await {
            tracing::warn!(error = %e, "signing key maintenance failed");
        }
        if let Err(e) = self.sessions.purge().await {
            tracing::warn!(error = %e, "session purge failed");
        }
        if let Err(e) = store::login_flows::purge_expired(&self.db, store::now_ms()).await {
            tracing::warn!(error = %e, "login flow purge failed");
        }
        if let Err(e) = crate::factors::purge(self).await {
            tracing::warn!(error = %e, "second-factor purge failed");
        }
    }
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(app): State<AppState>) -> Response {
    match app.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

async fn metrics(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
) -> Response {
    if !app.config.server.metrics || !peer.ip().is_loopback() {
        return StatusCode::NOT_FOUND.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        app.metrics.render(),
    )
        .into_response()
}

async fn jwks(State(app): State<AppState>) -> Response {
    (
        [(header::CACHE_CONTROL, "public, max-age=60")],
        Json(app.assertions.jwks()),
    )
        .into_response()
}

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

/// Serve `state` on `listener` until `shutdown()` (or the returned future completes).
pub fn spawn(state: AppState, listener: TcpListener) -> std::io::Result<Running> {
    let addr = listener.local_addr()?;
    let (stop, mut stopped) = watch::channel(false);
    let router = state.router();
    let maintenance = state.clone();
    let mut maintenance_stop = stop.subscribe();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        tick.tick().await;
        loop {
            tokio::select! {
                _ = tick.tick() => maintenance.maintain().await,
                _ = maintenance_stop.changed() => break,
            }
        }
    });
    match crate::mail::worker::Worker::new(&state) {
        Ok(Some(worker)) => {
            tokio::spawn(worker.run(stop.subscribe()));
        }
        Ok(None) => {}
        Err(e) => return Err(std::io::Error::other(e)),
    }
    let grace = Duration::from_secs(state.config.server.shutdown_grace_secs);
    let mut grace_start = stop.subscribe();
    let task = tokio::spawn(async move {
        let serve = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stopped.changed().await;
        })
        .into_future();
        tokio::pin!(serve);
        tokio::select! {
            r = &mut serve => r,
            () = async {
                // Once shutdown starts, in-flight requests get `grace` to finish.
                let _ = grace_start.changed().await;
                tokio::time::sleep(grace).await;
            } => {
                tracing::warn!("shutdown grace period over: closing remaining connections");
                Ok(())
            }
        }
    });
    Ok(Running {
        addr,
        state,
        stop,
        task,
    })
}

/// Build the state for `serve`: store, migrations, access model, keys, providers.
pub async fn build_full(config: Config) -> anyhow::Result<AppState> {
    AppState::build(config).await
}
