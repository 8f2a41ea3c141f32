//! "My habilitations" (`/admin/mine/habilitations`): what the person may do where,
//! until when (organisation, services, application, level, end date, and "ends in N
//! days" for rights ending within 30 days), and their access requests with their answer.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use policy::{RequestStatus, Scope, UserId};
use serde::{Deserialize, Serialize};

use super::view::{date, respond};
use crate::error::{HttpError, from_policy};
use crate::extract::CurrentSession;
use crate::i18n::{Lang, t, t_args};
use crate::state::AppState;

const DAY_MS: i64 = 86_400_000;
/// Rights ending within this many days say so.
const SOON_DAYS: i64 = 30;

/// `GET /admin/mine/habilitations`.
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/admin/mine/habilitations", get(page))
}

#[derive(Debug, Serialize)]
struct Row {
    organisation: String,
    services: String,
    application: String,
    level: String,
    until: String,
    soon: Option<String>,
}

#[derive(Debug, Serialize)]
struct AccessRow {
    organisation: String,
    right: String,
    asked: String,
    status: String,
    reason: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct DoneQuery {
    done: Option<String>,
}

/// The name of an application as the configuration in force calls it (its id
/// otherwise).
pub(super) fn application_name(app: &AppState, id: &str) -> String {
    app.live()
        .application(id)
        .map_or_else(|| id.to_owned(), |a| a.name.clone())
}

/// "ends in N days" for a right ending within [`SOON_DAYS`] of `now`.
fn soon(lang: Lang, until: i64, now: i64) -> Option<String> {
    let left = until - now;
    if left > SOON_DAYS * DAY_MS {
        return None;
    }
    let days = (left + DAY_MS - 1) / DAY_MS;
    Some(if days <= 1 {
        t(lang, "hab_ends_today")
    } else {
        t_args(lang, "hab_ends_in", &[("days", &days.to_string())])
    })
}

/// GET /admin/mine/habilitations. Needs a session (any logged-in person: their own).
async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    CurrentSession(s): CurrentSession,
    Query(q): Query<DoneQuery>,
) -> Response {
    let r = render(&app, &headers, &s, q.done.as_deref()).await;
    respond(&headers, r)
}

async fn render(
    app: &AppState,
    headers: &HeaderMap,
    s: &crate::store::sessions::Session,
    done: Option<&str>,
) -> Result<Response, HttpError> {
    let lang = crate::i18n::person_lang(app, headers, &s.user_id).await?;
    let user = UserId::from(s.user_id.as_str());
    let now = app.clock.now_ms();
    let mut grants = app.policy.grants_of(&user).await.map_err(from_policy)?;
    grants.retain(|g| g.revoked_at.is_none() && g.valid_until.is_none_or(|u| u > now));
    grants.sort_by_key(|g| (g.structure_id.clone(), g.right.application.clone()));
    let mut rows = Vec::new();
    for g in grants {
        let st = app
            .policy
            .structure(&g.structure_id)
            .await
            .map_err(from_policy)?;
        let services = match &g.scope {
            Scope::Structure => t(lang, "hab_whole"),
            Scope::Services(ids) => app
                .policy
                .services(&g.structure_id)
                .await
                .map_err(from_policy)?
                .into_iter()
                .filter(|v| ids.contains(&v.id))
                .map(|v| v.label)
                .collect::<Vec<_>>()
                .join(", "),
        };
        rows.push(Row {
            organisation: st.common_name,
            services,
            application: application_name(app, &g.right.application),
            level: g.right.label.clone(),
            // The end is exclusive: the last day the right holds is the day before.
            until: g
                .valid_until
                .map_or_else(|| t(lang, "hab_no_end"), |u| date(u - 1)),
            soon: g.valid_until.and_then(|u| soon(lang, u, now)),
        });
    }
    let mut access = Vec::new();
    for r in app
        .policy
        .my_access_requests(&user)
        .await
        .map_err(from_policy)?
    {
        let st = app
            .policy
            .structure(&r.structure_id)
            .await
            .map_err(from_policy)?;
        access.push(AccessRow {
            organisation: st.common_name,
            right: r.right.label,
            asked: date(r.requested_at),
            status: match r.status {
                RequestStatus::Pending => t(lang, "hab_access_pending"),
                RequestStatus::Approved => t(lang, "hab_access_granted"),
                RequestStatus::Rejected => t(lang, "hab_access_refused"),
            },
            reason: r.reason,
        });
    }
    let notice = match done {
        Some("access_requested") => Some(t(lang, "hab_done_access_requested")),
        _ => None,
    };
    crate::shell::person_page(
        app,
        headers,
        s,
        crate::shell::Place::new(
            "console/habilitations.html",
            "admin",
            "/admin/mine/habilitations",
        ),
        StatusCode::OK,
        minijinja::context! {
            title_key => "hab_title",
            rows => rows,
            access => access,
            notice => notice,
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rights_ending_within_thirty_days_say_so() {
        let now = 1_800_000_000_000;
        assert!(soon(Lang::En, now + 31 * DAY_MS, now).is_none());
        assert_eq!(
            soon(Lang::En, now + 30 * DAY_MS, now).as_deref(),
            Some("Ends in 30 days")
        );
        assert_eq!(
            soon(Lang::En, now + 2 * DAY_MS - 1, now).as_deref(),
            Some("Ends in 2 days")
        );
        assert_eq!(
            soon(Lang::En, now + 3_600_000, now).as_deref(),
            Some("Ends today or tomorrow")
        );
    }
}
