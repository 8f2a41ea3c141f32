//! The web layer of the gateway as axum extractors: what a handler needs from a request
//! before its first statement, checked in one place. It imports no handler module.
//!
//! - [`CurrentSession`]: the live session behind the cookie (activity recorded); without
//!   one a browser is sent to log in and an API client gets 401 JSON. `Option<CurrentSession>`
//!   when a session is welcome but not needed; [`SessionPeek`] to look without recording
//!   activity.
//! - [`CsrfForm`]: a state-changing form: the urlencoded body parsed, the request sent
//!   from this site (`Sec-Fetch-Site`, `Origin`) and carrying the session's CSRF token
//!   (field `csrf` or header `X-CSRF-Token`), compared in constant time.
//!   [`CsrfChecked`] is the same check for calls whose body is JSON (token in the header),
//!   [`CsrfMultipart`] for a `multipart/form-data` upload (size-limited).
//! - [`ClientIp`]: the client's address, for audit lines and forwarded headers; the one
//!   place that reads the connection's peer address.

mod client_ip;
mod csrf;
mod multipart;
mod session;

pub use client_ip::ClientIp;
pub use csrf::{CsrfChecked, CsrfForm, csrf_token, same_site, verify_csrf};
pub use multipart::{CsrfMultipart, MAX_UPLOAD_BYTES};
pub use session::{CurrentSession, SessionPeek, resolve_session};
