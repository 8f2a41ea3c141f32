//! What every handler shares: the application state ([`AppState`], a cheap clone of one
//! `Arc`) and how it is built from a validated configuration. It imports no handler
//! module; handler modules import it, and the router ([`crate::router`]) hands it to them.

use std::ops::Deref;
use std::sync::Arc;

use arc_swap::ArcSwap;

use axum::http::HeaderName;
use openidconnect::RedirectUrl;

use crate::config::Config;
use crate::cookies::CookieJar;
use crate::crypto::Keys;
use crate::live::Live;
use crate::local::password::Hasher;
use crate::mail::Mailer;
use crate::metrics::Metrics;
use crate::oidc::{self, Provider};
use crate::sessions::Sessions;
use crate::signing::Assertions;
use crate::store::{self, Db};
use crate::upstream::{self, UpstreamClient};

/// Everything handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The shared parts.
pub struct Inner {
    /// The validated configuration, as the gateway started with it: its routes and
    /// applications are the start's, the live ones are [`AppState::live`]'s.
    pub config: Config,
    /// Storage.
    pub db: Db,
    /// Where session timeouts and grant validity read "now": the access model's clock
    /// (the system clock, unless a test injected its own through
    /// [`AppState::build_with_clock`]).
    pub clock: Arc<dyn policy::Clock>,
    /// Keys derived from the master secret.
    pub keys: Keys,
    /// Sessions.
    pub sessions: Sessions,
    /// Assertion signing.
    pub assertions: Assertions,
    /// Upstream OpenID providers.
    pub providers: Vec<Arc<Provider>>,
    /// The routes and the rights catalogue, swapped whole by a reload
    /// ([`crate::reload`]); read them through [`AppState::live`].
    live: ArcSwap<Live>,
    /// One reload at a time (a signal and an operator may ask at once).
    pub(crate) reloading: tokio::sync::Mutex<()>,
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
    pub mailer: Mailer,
    /// Password hashing of local accounts (when `[local]` is configured).
    pub passwords: Option<Hasher>,
    /// WebAuthn relying party (when `factors.webauthn` is on).
    pub webauthn: Option<Arc<webauthn_rs::Webauthn>>,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// Make the access model's rights catalogue what `[[applications]]` says (idempotent:
/// every node runs it at every start and at every reload). A level removed from the
/// configuration stops deciding; its grants are kept and reported here until it comes
/// back or they are revoked.
pub(crate) async fn load_catalogue(
    applications: &[crate::config::ApplicationConfig],
    policy: &policy::Policy,
) -> Result<policy::catalogue::CatalogueSync, policy::PolicyError> {
    let entries: Vec<policy::catalogue::CatalogueEntry> = applications
        .iter()
        .flat_map(|app| {
            app.levels
                .iter()
                .map(|level| policy::catalogue::CatalogueEntry {
                    application: app.id.clone(),
                    level: level.clone(),
                    label: app.label(level),
                })
        })
        .collect();
    let report = policy
        .sync_catalogue(&policy::Actor::operator(), &entries)
        .await?;
    if report.changed() {
        tracing::info!(
            added = ?report.added,
            relabelled = ?report.relabelled,
            restored = ?report.restored,
            retired = ?report.newly_retired,
            "rights catalogue loaded from the configuration"
        );
    }
    for r in report.retired.iter().filter(|r| r.grants_kept > 0) {
        tracing::warn!(
            application = %r.application,
            level = %r.level,
            grants_kept = r.grants_kept,
            "a level absent from [[applications]] still has grants: they decide nothing \
             until it is configured again or they are revoked"
        );
    }
    Ok(report)
}

impl AppState {
    /// Connect to the store, migrate, open the access model, load keys, and prepare
    /// providers and routes: everything `serve` needs.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Arc::new(policy::SystemClock)).await
    }

    /// [`AppState::build`] with the clock that session timeouts and grant validity read
    /// (tests move a [`policy::ManualClock`] instead of sleeping).
    pub async fn build_with_clock(
        config: Config,
        clock: Arc<dyn policy::Clock>,
    ) -> anyhow::Result<Self> {
        let db = Db::connect(
            config.database.url.expose(),
            config.database.max_connections,
        )
        .await?;
        db.migrate().await?;
        let pg_url = (db.engine == store::Engine::Postgres).then(|| db.url.clone());
        let options = policy::PolicyOptions {
            clock,
            ..policy::PolicyOptions::default()
        };
        let policy = policy::Policy::open_with(db.pool.clone(), pg_url, options).await?;
        Self::build_with(config, db, policy).await
    }

    /// Build on an open, migrated store with a given access model, whose clock the
    /// sessions share.
    pub async fn build_with(
        config: Config,
        db: Db,
        policy: policy::Policy,
    ) -> anyhow::Result<Self> {
        let keys = Keys::derive(&config.master_secret()?);
        load_catalogue(&config.applications, &policy).await?;
        let issuer = config.assertion.issuer_or(&config.server.public_url);
        let assertions = Assertions::init(
            db.clone(),
            keys.clone(),
            issuer,
            config.assertion.lifetime_secs,
            config.assertion.rotate_after_secs,
        )
        .await?;
        let live = Live::new(&config);
        let metrics = Metrics::new();
        let sessions = Sessions::new(
            db.clone(),
            config.session.idle_timeout_secs,
            config.session.absolute_lifetime_secs,
            policy.clock(),
        )
        .with_longest_idle(
            live.longest_idle_ms(
                i64::try_from(config.session.idle_timeout_secs.saturating_mul(1000))
                    .unwrap_or(i64::MAX),
            ),
        )
        .with_breaker(
            config.database.breaker_failures,
            std::time::Duration::from_secs(config.database.breaker_open_secs),
        )
        .counting_reads(metrics.session_store_reads());
        let redirect =
            RedirectUrl::new(config.server.public_url.join("/auth/callback")?.to_string())?;
        let http = oidc::http_client();
        let providers = config
            .providers
            .iter()
            .map(|p| Arc::new(Provider::new(p.clone(), redirect.clone(), http.clone())))
            .collect();
        let identity_headers = config
            .identity_headers
            .iter()
            .filter_map(|h| HeaderName::from_bytes(crate::headers::normal_name(h).as_bytes()).ok())
            .collect();
        let passwords = config
            .local
            .as_ref()
            .map(|l| Hasher::new(l.hash_concurrency));
        let webauthn = relying_party(&config)?.map(Arc::new);
        Ok(Self(Arc::new(Inner {
            live: ArcSwap::from_pointee(live),
            reloading: tokio::sync::Mutex::new(()),
            cookies: CookieJar::new(config.secure_cookies()),
            config,
            db,
            clock: policy.clock(),
            keys,
            sessions,
            assertions,
            providers,
            upstream: upstream::client(),
            metrics,
            identity_headers,
            policy,
            mailer: Mailer::default(),
            passwords,
            webauthn,
        })))
    }

    /// The routes and the catalogue in force: one atomic load. A request takes it once
    /// and keeps it to its end (see [`crate::live`]).
    pub fn live(&self) -> Arc<Live> {
        self.live.load_full()
    }

    /// Put `live` in force for every later request (a reload).
    pub(crate) fn swap_live(&self, live: Live) {
        self.live.store(Arc::new(live));
    }

    /// The configured provider with this id.
    pub fn provider(&self, id: &str) -> Option<Arc<Provider>> {
        self.providers.iter().find(|p| p.config.id == id).cloned()
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
}

/// The relying party: id = host of `server.public_url`, origin = that URL. `None` when
/// security keys are off.
fn relying_party(config: &Config) -> anyhow::Result<Option<webauthn_rs::Webauthn>> {
    let Some(f) = config.factors.as_ref().filter(|f| f.webauthn) else {
        return Ok(None);
    };
    let origin = &config.server.public_url;
    let rp_id = origin
        .domain()
        .ok_or_else(|| anyhow::anyhow!("server.public_url must name a domain for WebAuthn"))?;
    let rp = webauthn_rs::WebauthnBuilder::new(rp_id, origin)?
        .rp_name(&f.webauthn_rp_name)
        .build()?;
    Ok(Some(rp))
}
