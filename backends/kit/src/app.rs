//! What every backend's `App` is built around ([`Scaffold`]): its database (connected and
//! migrated), the assertion verifier, the mail sender and the background tasks; the
//! router shape (`/healthz` and `/readyz` open, everything else behind the assertion,
//! nested under the base path); start, stop and close.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use assertion::{Verifier, VerifierConfig};
use axum::Router;
use axum::routing::get;
use sqlx::AnyPool;
use sqlx::migrate::Migrator;

use crate::background::Background;
use crate::config::Common;
use crate::html::{Site, Templates};
use crate::outbox::{Mailer, Outbox, Sender};
use crate::{Csrf, db};

/// The parts of a backend that do not depend on its domain.
pub struct Scaffold {
    pool: AnyPool,
    verifier: Arc<Verifier>,
    sender: Sender,
    base_path: String,
    mail_interval: Duration,
    mail_task: &'static str,
    background: Mutex<Option<Background>>,
}

impl Scaffold {
    /// Validate `common`, connect to the database and run the migrations of its dialect,
    /// prepare the verifier and the mail sender of `outbox`. `name` (e.g. `prestations`)
    /// labels the errors; `mail_task` names the mail sender's background task.
    pub async fn build(
        name: &str,
        mail_task: &'static str,
        common: &Common,
        outbox: Outbox,
        sqlite: Migrator,
        postgres: Migrator,
    ) -> anyhow::Result<Self> {
        common.validate()?;
        let pool = db::connect(&common.database_url, common.max_connections)
            .await
            .with_context(|| format!("{name} database"))?;
        db::migrate(&pool, &common.database_url, sqlite, postgres)
            .await
            .with_context(|| format!("{name} migrations"))?;
        let verifier = Arc::new(Verifier::new(VerifierConfig {
            jwks_url: common.jwks_url.clone(),
            issuer: common.issuer.clone(),
            audience: common.audience.clone(),
            leeway_secs: common.clock_skew_secs,
            min_refresh: Duration::from_secs(10),
        }));
        let mailer = Mailer::from_url(common.smtp_url.as_deref(), &common.mail_from)?;
        let sender = Sender::new(pool.clone(), outbox, mailer, common.clock.clone());
        Ok(Self {
            pool,
            verifier,
            sender,
            base_path: common.base_path.clone(),
            mail_interval: common.mail_interval,
            mail_task,
            background: Mutex::new(None),
        })
    }

    /// The database pool.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The mail sender.
    pub fn sender(&self) -> Sender {
        self.sender.clone()
    }

    /// All routes: `/healthz` open, `/whoami` and `routes` behind the assertion, nested
    /// under the base path (where `{base}/` redirects to `{base}`).
    pub fn router<S>(&self, routes: Router<S>, state: S) -> Router
    where
        S: Clone + Send + Sync + 'static,
    {
        let protected = Router::new()
            .route("/whoami", get(crate::auth::whoami))
            .merge(routes)
            .layer(axum::middleware::from_fn_with_state(
                self.verifier.clone(),
                crate::auth::require_assertion,
            ))
            .with_state(state);
        let app = Router::new()
            .route("/healthz", get(|| async { "ok" }))
            .route("/readyz", get(readyz).with_state(self.pool.clone()))
            .merge(protected);
        if self.base_path.is_empty() {
            app
        } else {
            // `{base}` serves the home page; `{base}/` (the navigation's link) goes there.
            let base = self.base_path.clone();
            Router::new()
                .route(
                    &format!("{base}/"),
                    get(move || async move { axum::response::Redirect::permanent(&base) }),
                )
                .nest(&self.base_path, app)
        }
    }

    /// Start the backend's own tasks (`more`), then the mail sender (idempotent).
    pub fn start(&self, more: impl FnOnce(&mut Background)) {
        let mut guard = self.background.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_some() {
            return;
        }
        let mut bg = Background::new();
        more(&mut bg);
        let sender = self.sender.clone();
        bg.every(self.mail_task, self.mail_interval, move || {
            let sender = sender.clone();
            async move {
                if let Err(error) = sender.pass().await {
                    tracing::error!(%error, "mail pass failed");
                }
            }
        });
        *guard = Some(bg);
    }

    /// Stop background work, letting a pass in progress finish.
    pub async fn stop(&self) {
        let bg = self
            .background
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(bg) = bg {
            bg.shutdown().await;
        }
    }

    /// Stop background work and close the database.
    pub async fn close(&self) {
        self.stop().await;
        self.pool.close().await;
    }
}

/// The templates of a backend: the shared layout under `title` and `nav`, the base path
/// and CSRF key of `common`, and the backend's `pages`.
pub fn templates(
    common: &Common,
    title: &'static str,
    nav: Vec<(&'static str, &'static str)>,
    pages: &[(&'static str, &'static str)],
) -> Result<Templates, minijinja::Error> {
    Templates::new(
        Site {
            title,
            base: common.base_path.clone(),
            nav,
        },
        Csrf::new(common.csrf_key.as_deref()),
        pages,
    )
}

/// `/readyz`: 200 when the database answers, 503 otherwise (a load balancer stops
/// sending requests to a backend whose database is gone).
async fn readyz(
    axum::extract::State(pool): axum::extract::State<AnyPool>,
) -> (axum::http::StatusCode, &'static str) {
    match sqlx::query("SELECT 1").execute(&pool).await {
        Ok(_) => (axum::http::StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(%error, "readyz: the database does not answer");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable",
            )
        }
    }
}
