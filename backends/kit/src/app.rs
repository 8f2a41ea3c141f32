//! What every backend's `App` is built around ([`Scaffold`]): its database (connected and
//! migrated), the assertion verifier, the mail sender and the background tasks; the
//! router shape (`/healthz`, `/readyz` and the stylesheet open, everything else behind
//! the assertion, nested under the base path, every answer with the security headers);
//! start, stop and close.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use assertion::{Verifier, VerifierConfig};
use axum::Router;
use axum::http::{HeaderValue, header};
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

    /// All routes: `/healthz`, `/readyz` and `/static/app.css` open, `/whoami` and
    /// `routes` behind the assertion (their error pages drawn by `templates`), nested under the base path (where `{base}/`
    /// redirects to `{base}`); every answer carries the security headers
    /// ([`security_headers`]).
    pub fn router<S>(&self, routes: Router<S>, state: S, templates: &Templates) -> Router
    where
        S: Clone + Send + Sync + 'static,
    {
        let protected = Router::new()
            .route("/whoami", get(crate::auth::whoami))
            .merge(routes)
            // Inside the assertion's check: the caller is known, and a page's error is
            // drawn in the backend's layout with the portal shell.
            .layer(axum::middleware::from_fn_with_state(
                templates.clone(),
                crate::html::error_pages,
            ))
            .layer(axum::middleware::from_fn_with_state(
                self.verifier.clone(),
                crate::auth::require_assertion,
            ))
            .with_state(state);
        let app = Router::new()
            .route("/healthz", get(|| async { "ok" }))
            .route("/readyz", get(readyz).with_state(self.pool.clone()))
            .route("/static/app.css", get(stylesheet))
            .merge(protected);
        let app = if self.base_path.is_empty() {
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
        };
        app.layer(axum::middleware::from_fn(security_headers))
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

/// The templates of a backend: the shared layout under `title` and `nav` (catalogue
/// keys), the base path and CSRF key of `common`, and the backend's `pages` with their
/// texts from `catalogue`.
pub fn templates(
    common: &Common,
    title: &'static str,
    nav: Vec<(&'static str, &'static str)>,
    pages: &[(&'static str, &'static str)],
    catalogue: &'static i18n::Catalogue,
) -> Result<Templates, minijinja::Error> {
    Templates::new(
        Site {
            title,
            base: common.base_path.clone(),
            nav,
        },
        Csrf::new(common.csrf_key.as_deref()),
        pages,
        catalogue,
    )
}

/// `/static/app.css`: the backends' stylesheet, cached for a day.
async fn stylesheet() -> impl axum::response::IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        crate::html::STYLESHEET,
    )
}

/// The security headers of every answer: the strict Content-Security-Policy (no inline
/// script or style, no framing, forms to this origin only), `nosniff`, the `Referer` kept
/// to this origin, no framing, and `Cache-Control: no-store` unless the handler chose its
/// own caching (the stylesheet). Headers a handler set itself are kept.
pub async fn security_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(web::CONTENT_SECURITY_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ] {
        h.entry(name).or_insert(value);
    }
    response
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
