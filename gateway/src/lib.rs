//! The federated identity and access gateway: OpenID Connect login, server-side sessions,
//! an access model decided on every request, and a reverse proxy that forwards allowed
//! requests with a signed identity assertion.
//!
//! The request path is in [`proxy`], top to bottom. [`state`] holds what every handler
//! shares and imports no handler; [`router`] assembles every module's routes on top;
//! [`server`] serves them.

pub mod account;
pub mod admin_api;
pub mod breaker;
pub mod config;
pub mod connections;
pub mod console;
pub mod cookies;
pub mod crypto;
#[cfg(feature = "demo")]
pub mod demo_data;
pub mod error;
pub mod extract;
pub mod factors;
pub mod headers;
pub mod i18n;
pub mod live;
pub mod local;
pub mod login;
pub mod mail;
pub mod metrics;
pub mod oidc;
pub mod ops;
pub mod page_headers;
pub mod pages;
pub mod policy_texts;
pub mod proxy;
pub mod reload;
pub mod router;
pub mod routes;
pub mod server;
pub mod sessions;
pub mod shell;
pub mod signing;
pub mod state;
pub mod store;
pub mod structures;
pub mod upstream;

pub use config::Config;
pub use router::{Gateway, app};
pub use server::{Running, spawn};
pub use state::AppState;
