//! Logging in and out, under `/auth`: the choice of provider and the round trip to it
//! ([`start`]), the provider's answer ([`callback`], in small named steps), logout here,
//! at the provider and by the provider's back-channel ([`logout`]), and what a session
//! sees: its status and the home page ([`home`]).
//!
//! After the provider's login the person goes through [`crate::factors::after_first_factor`],
//! which opens the session or asks for a second factor first; this module never opens a
//! session itself.

mod callback;
mod home;
mod logout;
mod start;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

/// Routes under `/auth` and the home page.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/auth/login", get(start::choice))
        .route("/auth/login/{provider}", get(start::start))
        .route("/auth/callback", get(callback::callback))
        .route("/auth/logout", post(logout::logout))
        .route("/auth/logged-out", get(logout::logged_out))
        .route("/auth/session", get(home::session_status))
        .route("/auth/backchannel-logout", post(logout::backchannel_logout))
}
