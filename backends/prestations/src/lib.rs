//! Prestations backend: service-voucher prestations with the worker/user validation
//! workflow, and business dossiers (enterprise support cheques, module [`dossiers`]).
//!
//! A thin axum service that trusts nothing but the gateway's signed assertion: every route
//! except `GET /healthz` sits behind [`backend_kit::auth::require_assertion`]. It owns its
//! database (SQLite by default, PostgreSQL by URL; migrations in
//! `migrations/prestations/`), answers JSON under `/api/` and simple HTML pages elsewhere.
//!
//! # Rights (access levels of the application `prestations` in the assertion)
//!
//! - `read`: every `GET` (a caller sees the prestations they are party to);
//! - `modify`: every change (encode, send, correct, validate, contest, confirm, cancel;
//!   create, edit, delete, submit, cancel, close, duplicate dossiers; beneficiaries and
//!   the provider's organisation; ask for a regularisation; set one's email);
//! - `manage`: the approved enterprise's office, on top of `read`/`modify`: sees all
//!   prestations of the active structure, encodes or corrects for its workers, cancels;
//!   its notices, its clients and workers, a worker's email until the worker sets theirs;
//! - `process`: the administration of business dossiers: takes, accepts and refuses
//!   submitted dossiers, decides regularisations.
//!
//! # Acting as oneself
//!
//! A private client logs in and acts as themselves (`acting: self` in the assertion, no
//! structure): they see every prestation whose user is them, in every status, the
//! worker's stage as « En attente de validation », and confirm or contest (with `read` and
//! `modify` granted by the gateway to people acting as themselves). The same person acting
//! for an organisation is only that organisation's worker or office. A structure in an
//! assertion that says `self` is never used: every organisation action is refused.
//!
//! # Choices where the rules leave room
//!
//! - The worker's own encoding is the worker's validation: sent at once (`send`) or kept
//!   as a draft (`encoded`) that is validated automatically after the same 5 business days
//!   as a prestation waiting for the worker. Sending starts the user's 60 days.
//! - Business days are counted in Brussels dates from the day after the encoding or
//!   correction; the worker may answer until the end of the 5th business day; automatic
//!   validation takes effect the next calendar day, and the user's 60 days count from that
//!   day even when the scheduler ran late. The user may answer until the end of day 60;
//!   reminders go out on days 20 and 40.
//! - A correction (by the worker of a draft, or by the enterprise at any point before
//!   confirmation) restarts the worker's validation; a correction by the enterprise always
//!   goes back to the worker, even after the user contested.
//! - No confirmed prestation can be contested: one the user confirmed is their own word,
//!   one confirmed automatically cannot be by the rule; the messages differ.
//! - Prestations dated in the future are refused; older ones are not, also from before the
//!   worker's validation started (`validation_start`, 1 June 2025): before that date the
//!   enterprise's encodings went to the user directly, and from it those still waiting
//!   for the user go to the worker. Hours are counted in quarters of an hour, at most 12.
//! - The user may confirm or contest in parallel with the worker's validation; an early
//!   confirmation ends in `confirmed` as soon as the worker's stage ends.
//! - The history view lists the prestations whose work date is within the last 3 calendar
//!   months (today included), cancelled ones excluded; each prestation's own history lists
//!   every change with who made it.
//! - A notice whose person has no known email is kept in the outbox as `no_address` and
//!   shown on their page (`/me`), so no reminder is lost for lack of an address.

mod api;
pub mod calendar;
pub mod config;
pub mod dossiers;
pub mod enterprise;
mod export;
pub mod model;
pub mod notices;
mod pages;
pub mod registry;
pub mod scheduler;
pub mod service;
pub mod status;
pub mod store;
pub mod texts;

use std::sync::Arc;

use axum::Router;
use backend_kit::app::{self, Scaffold};
use backend_kit::html::Templates;
use backend_kit::outbox::{Outbox, Sender};
use sqlx::AnyPool;

pub use config::Config;
use dossiers::catalogue::Catalogue;
use dossiers::service::Dossiers;
use scheduler::Scheduler;
use service::Prestations;

/// Right to read.
pub const RIGHT_READ: &str = "read";
/// Right to change.
pub const RIGHT_MODIFY: &str = "modify";
/// Right of the enterprise's office.
pub const RIGHT_MANAGE: &str = "manage";
/// Right of the dossiers' administration.
pub const RIGHT_PROCESS: &str = "process";

/// This backend's outbox table.
pub const OUTBOX: Outbox = Outbox::new("prestations_outbox");

/// What handlers share.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) svc: Prestations,
    pub(crate) dossiers: Dossiers,
    pub(crate) templates: Templates,
}

/// A built backend: its router, its scheduler and its mail sender.
pub struct App {
    state: AppState,
    scaffold: Scaffold,
    config: Config,
}

/// Connect, migrate, load the calendar and the catalogue. Background work is not started:
/// call [`App::start`] (the binary does) or drive [`App::scheduler`] yourself (tests).
pub async fn build(config: Config) -> anyhow::Result<App> {
    config.validate()?;
    let scaffold = Scaffold::build(
        "prestations",
        "prestations-mail",
        &config,
        OUTBOX,
        sqlx::migrate!("../../migrations/prestations/sqlite"),
        sqlx::migrate!("../../migrations/prestations/postgres"),
    )
    .await?;
    let calendar = match &config.holidays_file {
        Some(path) => calendar::HolidayCalendar::load(path)?,
        None => calendar::HolidayCalendar::belgium()?,
    };
    let this_year = chrono::Datelike::year(&config.clock.today());
    if !calendar.covers(this_year) {
        anyhow::bail!("the holiday calendar does not cover {this_year}: extend the holiday file");
    }
    let catalogue = match &config.catalogue_file {
        Some(path) => Catalogue::load(path)?,
        None => Catalogue::shipped()?,
    };
    let templates = app::templates(
        &config,
        "prestations_app_title",
        vec![
            ("/", "prestations_nav_todo"),
            ("/prestations", "prestations_nav_prestations"),
            ("/prestations/new", "prestations_nav_encode"),
            ("/history", "prestations_nav_history"),
            ("/enterprise", "prestations_nav_enterprise"),
            ("/dossiers", "prestations_nav_dossiers"),
            ("/me", "prestations_nav_notices"),
        ],
        pages::TEMPLATES,
        texts::catalogue(),
    )?;
    let pool = scaffold.pool().clone();
    let state = AppState {
        svc: Prestations {
            pool: pool.clone(),
            calendar: Arc::new(calendar),
            clock: config.clock.clone(),
            validation_start: config.validation_start,
        },
        dossiers: Dossiers {
            pool,
            catalogue: Arc::new(catalogue),
            clock: config.clock.clone(),
        },
        templates,
    };
    Ok(App {
        state,
        scaffold,
        config,
    })
}

impl App {
    /// All routes: `/healthz` open, everything else behind the assertion, nested under
    /// the configured base path.
    pub fn router(&self) -> Router {
        let routes = Router::new()
            .merge(api::router())
            .merge(pages::router())
            .merge(dossiers::http::router());
        self.scaffold
            .router(routes, self.state.clone(), &self.state.templates)
    }

    /// Start the deadline scheduler and the mail sender (idempotent).
    pub fn start(&self) {
        let scheduler = self.scheduler();
        let interval = self.config.scheduler_interval;
        self.scaffold.start(move |bg| {
            bg.every("prestations-deadlines", interval, move || {
                let scheduler = scheduler.clone();
                async move {
                    if let Err(error) = scheduler.pass().await {
                        tracing::error!(%error, "deadline pass failed");
                    }
                    if let Err(error) = scheduler.digests().await {
                        tracing::error!(%error, "enterprise digest pass failed");
                    }
                }
            });
        });
    }

    /// Stop background work, letting a pass in progress finish.
    pub async fn stop(&self) {
        self.scaffold.stop().await;
    }

    /// The deadline scheduler (tests drive passes with it).
    pub fn scheduler(&self) -> Scheduler {
        Scheduler::new(self.state.svc.clone())
    }

    /// The mail sender.
    pub fn mail_sender(&self) -> Sender {
        self.scaffold.sender()
    }

    /// The prestation rules.
    pub fn prestations(&self) -> &Prestations {
        &self.state.svc
    }

    /// The dossier rules.
    pub fn dossiers(&self) -> &Dossiers {
        &self.state.dossiers
    }

    /// The database pool.
    pub fn pool(&self) -> &AnyPool {
        self.scaffold.pool()
    }

    /// The configuration it was built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Stop background work and close the database.
    pub async fn close(&self) {
        self.scaffold.close().await;
    }
}

impl backend_kit::serve::Backend for App {
    fn start(&self) {
        App::start(self);
    }

    fn router(&self) -> Router {
        App::router(self)
    }

    fn close(&self) -> impl std::future::Future<Output = ()> {
        App::close(self)
    }
}
