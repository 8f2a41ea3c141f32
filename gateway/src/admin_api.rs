//! Mounting the delegated-administration API (`admin` crate) under `/admin/api/`: the
//! gateway resolves its session into an [`admin::Caller`] (user, session, client
//! address, CSRF token, operator flag) and lends the admin crate its people directory.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::extract::{ClientIp, csrf_token, resolve_session};
use crate::state::AppState;
use crate::store::users;

/// The admin API's routes, to merge before the proxy fallback.
pub fn router(app: &AppState) -> Router<AppState> {
    let state = admin::AdminState::new(
        app.policy.clone(),
        Arc::new(Directory(app.clone())),
        Some(Arc::new(Catalogue(app.clone()))),
        app.config.server.public_url.origin().ascii_serialization(),
        app.keys.nrn_key(),
    );
    admin::router(state).layer(axum::middleware::from_fn_with_state(
        app.clone(),
        resolve_caller,
    ))
}

/// Insert the [`admin::Caller`] of a request with a live session (none: the API answers
/// 401). An operator is a session whose `provider:subject` is in `[admin] operators`.
async fn resolve_caller(
    State(app): State<AppState>,
    ClientIp(ip): ClientIp,
    mut req: Request,
    next: Next,
) -> Response {
    let session = match resolve_session(&app, req.headers(), true).await {
        Ok(s) => s,
        Err(e) => return admin::ApiError::internal(&e.message).into_response(),
    };
    if let Some(s) = session {
        req.extensions_mut().insert(caller(&app, &s, ip));
    }
    next.run(req).await
}

/// The session's person as the admin crate sees a caller (the console's operator pages
/// call the admin crate's shared steps with it too).
pub fn caller(
    app: &AppState,
    s: &crate::store::sessions::Session,
    ip: std::net::IpAddr,
) -> admin::Caller {
    admin::Caller {
        user_id: s.user_id.clone(),
        display_name: s.display_name.clone(),
        session_id: s.sid.clone(),
        ip: Some(ip.to_string()),
        csrf_token: csrf_token(app, s),
        operator: is_operator(app, s),
    }
}

/// Whether the session's person is a platform operator: their `provider:subject` is in
/// `[admin] operators` (a local password account never is).
pub fn is_operator(app: &AppState, s: &crate::store::sessions::Session) -> bool {
    match (&s.provider, &s.idp_subject) {
        (Some(p), Some(sub)) => {
            let id = format!("{p}:{sub}");
            app.config.admin.operators.contains(&id)
        }
        _ => false,
    }
}

/// The configuration reload, as the admin crate asks for it.
struct Catalogue(AppState);

impl admin::Catalogue for Catalogue {
    fn reload<'a>(
        &'a self,
        caller: &'a admin::Caller,
    ) -> admin::BoxFuture<'a, admin::dto::CatalogueReloadDto> {
        Box::pin(async move {
            let by = crate::reload::Trigger::Operator {
                user_id: caller.user_id.clone(),
                ip: caller.ip.clone(),
                via: "admin_api",
            };
            crate::reload::reload(&self.0, &by).await
        })
    }
}

/// The gateway's `users` table, as the admin crate sees it.
struct Directory(AppState);

fn person(u: users::User) -> admin::Person {
    admin::Person {
        user_id: u.id,
        display_name: u.display_name,
    }
}

impl admin::Directory for Directory {
    fn find_by_email<'a>(
        &'a self,
        email: &'a str,
    ) -> admin::BoxFuture<'a, Result<Vec<admin::Person>, String>> {
        Box::pin(async move {
            let list = users::find_by_email(&self.0.db, email)
                .await
                .map_err(|e| e.to_string())?;
            Ok(list
                .into_iter()
                .filter(|u| !u.disabled)
                .map(person)
                .collect())
        })
    }

    fn person<'a>(
        &'a self,
        user_id: &'a str,
    ) -> admin::BoxFuture<'a, Result<Option<admin::Person>, String>> {
        Box::pin(async move {
            let u = users::get(&self.0.db, user_id)
                .await
                .map_err(|e| e.to_string())?;
            Ok(u.filter(|u| !u.disabled).map(person))
        })
    }

    fn reactivate<'a>(
        &'a self,
        user_id: &'a str,
    ) -> admin::BoxFuture<'a, Result<Option<bool>, String>> {
        Box::pin(async move {
            let db = &self.0.db;
            if users::get(db, user_id)
                .await
                .map_err(|e| e.to_string())?
                .is_none()
            {
                return Ok(None);
            }
            crate::store::account::reactivate(db, user_id, crate::store::now_ms())
                .await
                .map(Some)
                .map_err(|e| e.to_string())
        })
    }

    fn invite<'a>(
        &'a self,
        by: &'a admin::Caller,
        invitation: &'a admin::Invitation,
    ) -> admin::BoxFuture<'a, Result<Result<i64, admin::InviteRefusal>, String>> {
        Box::pin(async move {
            crate::local::invite::invite(&self.0, by, invitation)
                .await
                .map_err(|e| e.message)
        })
    }
}
