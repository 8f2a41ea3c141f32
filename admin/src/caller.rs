//! Who is calling: the [`Caller`] the host (the gateway) resolves from its session and
//! inserts as a request extension, the [`Directory`] of people it lends the API, and the
//! extractors handlers start with ([`Session`] for reads, [`Mutation`] for changes,
//! which also checks CSRF).

use std::future::Future;
use std::pin::Pin;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use policy::Actor;
use subtle::ConstantTimeEq;

use crate::AdminState;
use crate::error::ApiError;

/// The caller of an API request, resolved by the host from its session cookie and
/// inserted as a request extension. Absent: no live session (401).
#[derive(Debug, Clone)]
pub struct Caller {
    /// The person's user id.
    pub user_id: String,
    /// Their display name.
    pub display_name: String,
    /// Public session handle (for the log).
    pub session_id: String,
    /// Client address, recorded in the audit log.
    pub ip: Option<String>,
    /// The session's CSRF token: state-changing calls must echo it in `X-CSRF-Token`.
    pub csrf_token: String,
    /// A platform operator (configured by the host, e.g. `[admin] operators`).
    pub operator: bool,
}

impl Caller {
    /// The policy actor for this caller: always the person, never the operator.
    pub fn actor(&self) -> Actor {
        Actor::user(self.user_id.as_str(), self.ip.clone())
    }
}

/// A person as the host knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// User id.
    pub user_id: String,
    /// Display name.
    pub display_name: String,
}

/// A boxed future, for the object-safe [`Directory`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// People known to the host (the gateway owns the `users` table). Errors are the
/// host's detail, logged and answered as 500.
pub trait Directory: Send + Sync + 'static {
    /// People with this email address (case-insensitive); several may share one.
    fn find_by_email<'a>(&'a self, email: &'a str) -> BoxFuture<'a, Result<Vec<Person>, String>>;
    /// One person by user id.
    fn person<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<Person>, String>>;
    /// Reactivate the account of a person who deactivated it: `None` when there is no
    /// such person, `Some(false)` when the account is active. A host without the notion
    /// keeps the default: no such person.
    fn reactivate<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<bool>, String>> {
        let _ = user_id;
        Box::pin(async { Ok(None) })
    }
    /// Invite a person to a local password account, for the operator `by`: the host
    /// mails a single-use link and audits the invitation. `Ok(Ok(t))`: the link is valid
    /// until `t` (unix ms). A host without local accounts keeps the default: they are off.
    fn invite<'a>(
        &'a self,
        by: &'a Caller,
        invitation: &'a Invitation,
    ) -> BoxFuture<'a, Result<Result<i64, InviteRefusal>, String>> {
        let _ = (by, invitation);
        Box::pin(async { Ok(Err(InviteRefusal::Off)) })
    }
}

/// An invitation to a local password account.
#[derive(Debug, Clone)]
pub struct Invitation {
    /// The person's email address (their login).
    pub email: String,
    /// Their name as shown.
    pub name: String,
    /// The language of the mail (`fr`, `nl`, `en`); none: the platform's default.
    pub lang: Option<String>,
}

/// Why an invitation is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteRefusal {
    /// Local password accounts are not configured.
    Off,
    /// Not an email address.
    BadEmail,
    /// No name, or too long a one.
    BadName,
    /// The address is already the login of an account.
    Taken,
}

/// The host's configuration, reloaded on an operator's demand: the rights catalogue and
/// the routes read again from the file the host started with, validated as at start,
/// applied whole or not at all, and audited by the host (whoever asked: this API, a
/// page, a signal). A host without a configuration file refuses.
pub trait Catalogue: Send + Sync + 'static {
    /// Reload for `caller` (an operator: the API checked it).
    fn reload<'a>(&'a self, caller: &'a Caller) -> BoxFuture<'a, crate::dto::CatalogueReloadDto>;
}

/// A logged-in caller (any method). Rejects with 401 without a session.
#[derive(Debug, Clone)]
pub struct Session(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .map(Session)
            .ok_or_else(ApiError::unauthenticated)
    }
}

/// A logged-in caller allowed to change state: 401 without a session, 403 unless the
/// request carries the session's CSRF token in `X-CSRF-Token` and, when the browser
/// says where it comes from (`Sec-Fetch-Site`, `Origin`), comes from this site.
#[derive(Debug, Clone)]
pub struct Mutation(pub Caller);

impl FromRequestParts<AdminState> for Mutation {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AdminState) -> Result<Self, ApiError> {
        let Session(caller) = Session::from_request_parts(parts, state).await?;
        check_csrf(&parts.headers, &caller, &state.inner.public_origin)?;
        Ok(Mutation(caller))
    }
}

/// The CSRF rule of the API (see the README): same-site fetch metadata, same origin,
/// and the session-bound token in a custom header (which a cross-site form cannot set
/// and a cross-site script cannot send without a CORS preflight we never allow).
pub fn check_csrf(headers: &HeaderMap, caller: &Caller, origin: &str) -> Result<(), ApiError> {
    let refuse = |why: &str| {
        ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "csrf",
            format!("request refused: {why}"),
        )
    };
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(site, Some("cross-site" | "same-site")) {
        return Err(refuse("it was sent from another site"));
    }
    if let Some(o) = headers.get(header::ORIGIN)
        && o.as_bytes() != origin.as_bytes()
    {
        return Err(refuse("it was sent from another origin"));
    }
    let given = headers
        .get("x-csrf-token")
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if given.is_empty() || !bool::from(given.ct_eq(caller.csrf_token.as_bytes())) {
        return Err(refuse(
            "the X-CSRF-Token header is missing or wrong (GET /admin/api/me gives it)",
        ));
    }
    Ok(())
}
