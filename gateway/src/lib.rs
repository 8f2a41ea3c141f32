//! The federated identity and access gateway: OpenID Connect login, server-side sessions,
//! an access model decided on every request, and a reverse proxy that forwards allowed
//! requests with a signed identity assertion.
//!
//! The request path is in [`proxy`], top to bottom; [`app`] wires the parts together.

pub mod admin_api;
pub mod app;
pub mod auth;
pub mod config;
pub mod cookies;
pub mod crypto;
pub mod demo;
pub mod demo_backends;
pub mod error;
pub mod factors;
pub mod local;
pub mod mail;
pub mod metrics;
pub mod oidc;
pub mod pages;
pub mod proxy;
pub mod routes;
pub mod sessions;
pub mod signing;
pub mod sim_idp;
pub mod store;
pub mod structures;

pub use app::{AppState, Running, spawn};
pub use config::Config;
