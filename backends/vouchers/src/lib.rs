//! Vouchers backend: the local employment agency scheme. Agents of an agency (the active
//! structure in the gateway's assertion) register users (natural and legal persons) with
//! authorizations that end on a date chosen at creation or renewal, sell vouchers into
//! each user's electronic wallet, register providers whose type and public social-welfare
//! centre change at dates they choose, record prestations, pay them from the wallet, and
//! follow contested and unpaid ones. Legal persons get invoices, mailed when an email is
//! known.
//!
//! A thin axum service that trusts nothing but the gateway's signed assertion: every route
//! except `GET /healthz` sits behind [`backend_kit::auth::require_assertion`]. It owns its
//! database (SQLite by default, PostgreSQL by URL; migrations in `migrations/vouchers/`),
//! answers JSON under `/api/` and simple HTML pages elsewhere.
//!
//! # Rights (access levels of the application `vouchers` in the assertion)
//!
//! - `read`: every `GET`, including the `.xlsx` download;
//! - `modify`: every change, and the pre-filled registration form.
//!
//! All data is partitioned by agency: an agent never sees another agency's users,
//! providers, prestations or invoices.
//!
//! # Acting as oneself
//!
//! A user acting as themselves (`acting: self`, with `read`, and `modify` to enter a code)
//! sees their own wallets and prestations, read only ([`myself`]), once linked with the
//! one-time code an agent gave them. A structure in an assertion that says `self` is never
//! used: every agency action is refused.
//!
//! # Choices where the rules leave room
//!
//! - One voucher pays one hour; prestations are in whole hours (1 to 12). Vouchers are
//!   numbered per agency and spent oldest first.
//! - Paying needs enough vouchers in the wallet; a payment that would make the balance
//!   negative is refused and changes nothing. Only unpaid prestations can be paid or
//!   contested; a contest ends upheld (back to unpaid, hours possibly corrected) or
//!   cancelled. Paid is final.
//! - Provider types: fully unemployed, social integration income (CPAS), equivalent social
//!   aid (CPAS), not eligible. The two CPAS types need the centre's name. Eligible types
//!   allow 70 hours per calendar month. A prestation is judged (eligibility and monthly
//!   hours) by the type on its date, when it is recorded and again when it is paid, so a
//!   retroactive change the agent records is honoured. Two changes for the same date: the
//!   one recorded last wins; both stay in the history.
//! - No electronic prestation is dated before the cutoff date (`electronic_start`, by
//!   default 1 September 2023): it is refused with a message saying so.
//! - The provider list filters by name, type on a day (or eligible, or none yet) and
//!   centre, and sorts by name, type or registration.
//! - A prestation's date must be covered by one of the user's authorizations; buying
//!   vouchers needs an authorization covering today. A renewal starts after the current
//!   authorization ends (by default the next day); authorizations last at most 60 months.
//! - A legal person is registered once per agency (by enterprise number); it is shown by
//!   its common name (its legal name when it has none) in lists, on vouchers and invoices.
//! - The registration form is pre-filled with: the default authorization period, the
//!   language and municipality most common among the agency's users, a legal person's
//!   names and address from any earlier registration of its enterprise number (public
//!   company data; contact data only from this agency), and it says when the person is
//!   already a user here (renew instead).
//! - An invoice is made for each purchase by a legal person (numbered per agency and year
//!   without gaps). With an email known it is queued for mailing in the same transaction;
//!   otherwise it is mailed when an email is added.

mod agency;
mod api;
pub mod config;
pub mod export;
pub mod myself;
mod pages;
pub mod providers;
pub mod texts;
pub mod userlist;
pub mod users;
pub mod wallet;
pub mod work;

use axum::Router;
use backend_kit::app::{self, Scaffold};
use backend_kit::html::Templates;
use backend_kit::outbox::{Outbox, Sender};
use sqlx::AnyPool;

pub use agency::{Agency, AgencyError, euros};
pub use config::Config;

/// Right to read.
pub const RIGHT_READ: &str = "read";
/// Right to change.
pub const RIGHT_MODIFY: &str = "modify";

/// This backend's outbox table.
pub const OUTBOX: Outbox = Outbox::new("vouchers_outbox");

#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) agency: Agency,
    pub(crate) templates: Templates,
}

/// A built backend: its router and its mail sender.
pub struct App {
    state: AppState,
    scaffold: Scaffold,
    config: Config,
}

/// Connect and migrate. Background work (the mail sender) is not started: call
/// [`App::start`] (the binary does).
pub async fn build(config: Config) -> anyhow::Result<App> {
    config.validate()?;
    let scaffold = Scaffold::build(
        "vouchers",
        "vouchers-mail",
        &config,
        OUTBOX,
        sqlx::migrate!("../../migrations/vouchers/sqlite"),
        sqlx::migrate!("../../migrations/vouchers/postgres"),
    )
    .await?;
    let templates = app::templates(
        &config,
        "vouchers_app_title",
        vec![
            ("/", "vouchers_nav_home"),
            ("/users", "vouchers_nav_users"),
            ("/users/new", "vouchers_nav_register_user"),
            ("/providers", "vouchers_nav_providers"),
            ("/prestations", "vouchers_nav_prestations"),
            ("/invoices", "vouchers_nav_invoices"),
            ("/me", "vouchers_nav_wallet"),
        ],
        pages::TEMPLATES,
        texts::catalogue(),
    )?;
    let state = AppState {
        agency: Agency {
            pool: scaffold.pool().clone(),
            clock: config.clock.clone(),
            voucher_price_cents: config.voucher_price_cents,
            authorization_months: config.authorization_months,
            electronic_start: config.electronic_start,
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
        let routes = Router::new().merge(api::router()).merge(pages::router());
        self.scaffold
            .router(routes, self.state.clone(), &self.state.templates)
    }

    /// Start the mail sender (idempotent).
    pub fn start(&self) {
        self.scaffold.start(|_| {});
    }

    /// Stop background work, letting a pass in progress finish.
    pub async fn stop(&self) {
        self.scaffold.stop().await;
    }

    /// The agency rules.
    pub fn agency(&self) -> &Agency {
        &self.state.agency
    }

    /// The mail sender.
    pub fn mail_sender(&self) -> Sender {
        self.scaffold.sender()
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
