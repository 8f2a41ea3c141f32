//! The access model: who may act for which structure, in which services, with which
//! rights, until when; compiled to a casbin model and to a fast index the gateway asks
//! on every request.
//!
//! Entry point: [`Policy::open`]. Management actions are methods on [`Policy`] taking an
//! [`Actor`]; each is authorised against the model ([`authz`]), applied in one
//! transaction together with its [`audit`] event and a change-log row, and enforced on
//! every node within a second (local refresh after commit; on PostgreSQL, LISTEN/NOTIFY
//! plus a periodic check).
//!
//! Layers, each importing only from those below it:
//!
//! - values: [`ids`], [`model`], [`clock`], [`error`], the checks of typed text;
//! - storage: the SQL of every table (the private `store` module, one submodule per
//!   table or group of tables, and its migrations), the [`audit`] log, the in-memory
//!   decision index;
//! - [`authz`], who may do what, from the facts the storage reads; beside it the
//!   [`Policy`] handle, with the watcher that keeps its index in step;
//! - the operations, one module each, as methods on [`Policy`]: [`structures`],
//!   [`representatives`], [`managers`], [`attachments`], [`requests`], [`access`], [`grants`],
//!   [`identities`], [`catalogue`], [`organisation`], the authorisation questions asked
//!   ahead of an action, [`explain`] (why a person may or may not use an application),
//!   and [`casbin_model`]. No operation calls another: a step two of them share
//!   lives in the storage.

pub mod access;
pub mod attachments;
pub mod audit;
pub mod authz;
pub mod casbin_model;
pub mod catalogue;
pub mod clock;
mod csv;
mod engine;
pub mod error;
pub mod explain;
pub mod grants;
pub mod identities;
pub mod ids;
mod index;
mod input;
pub mod managers;
pub mod model;
pub mod organisation;
mod permissions;
pub mod representatives;
pub mod requests;
mod store;
pub mod structures;
mod watcher;

pub use audit::{Audit, AuditEvent, AuditQuery, AuditRecord};
pub use clock::{Clock, ManualClock, SystemClock};
pub use engine::{IndexStats, Policy, PolicyOptions};
pub use error::{PolicyError, Result};
pub use model::*;
pub use store::migrate;
pub use watcher::{LISTENER_NAME, listen_as};
