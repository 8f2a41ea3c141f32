//! The access model: who may act for which structure, in which services, with which
//! rights, until when; compiled to a casbin model and to a fast index the gateway asks
//! on every request.
//!
//! Entry point: [`Policy::open`]. Management actions are methods on [`Policy`] taking an
//! [`Actor`]; each is authorised against the model ([`authz`]), applied in one
//! transaction together with its [`audit`] event and a change-log row, and enforced on
//! every node within a second (local refresh after commit; on PostgreSQL, LISTEN/NOTIFY
//! plus a periodic check).

pub mod attachments;
pub mod audit;
pub mod authz;
pub mod casbin_model;
pub mod catalogue;
pub mod clock;
mod csv;
mod db;
mod engine;
pub mod error;
pub mod grants;
pub mod identities;
pub mod ids;
mod index;
pub mod managers;
pub mod model;
pub mod representatives;
pub mod requests;
pub mod structures;
mod watcher;

pub use audit::{Audit, AuditEvent, AuditQuery, AuditRecord};
pub use clock::{Clock, ManualClock, SystemClock};
pub use db::migrate;
pub use engine::{IndexStats, Policy, PolicyOptions};
pub use error::PolicyError;
pub use model::*;

/// Result type of this crate.
pub type Result<T, E = PolicyError> = std::result::Result<T, E>;
