//! `/admin/catalogue` (platform operators): the rights catalogue and the routes in force
//! (each application with its levels, each route with the level each method needs),
//! and the button that reloads them from the configuration file ([`crate::reload`],
//! the same reload as `SIGHUP` and the API), its result shown on the page.

use admin::dto::{CatalogueReloadDto, ReloadOutcome};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Serialize;

use super::structure::Empty;
use crate::config::Access;
use crate::error::HttpError;
use crate::extract::{ClientIp, CsrfForm, CurrentSession};
use crate::reload::{Trigger, reload};
use crate::shell::{Place, person_page};
use crate::state::AppState;
use crate::store::sessions::Session;

const PATH: &str = "/admin/catalogue";

/// This page's routes.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(PATH, get(page))
        .route("/admin/catalogue/reload", post(reload_form))
}

#[derive(Debug, Serialize)]
struct LevelRow {
    level: String,
    label: String,
}

#[derive(Debug, Serialize)]
struct ApplicationRow {
    id: String,
    name: String,
    levels: Vec<LevelRow>,
}

#[derive(Debug, Serialize)]
struct MethodRow {
    method: String,
    level: String,
}

#[derive(Debug, Serialize)]
struct RouteRow {
    prefix: String,
    application: String,
    access_key: &'static str,
    methods: Vec<MethodRow>,
}

/// GET /admin/catalogue. Needs: platform operator.
async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    CurrentSession(s): CurrentSession,
) -> Result<Response, HttpError> {
    render(&app, &headers, &s, None).await
}

/// POST /admin/catalogue/reload. Needs: platform operator, CSRF. Audited (by the
/// reload, whatever its outcome).
async fn reload_form(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CsrfForm { session, .. }: CsrfForm<Empty>,
) -> Result<Response, HttpError> {
    if !crate::admin_api::is_operator(&app, &session) {
        return not_operator(&app, &headers, &session).await;
    }
    let by = Trigger::Operator {
        user_id: session.user_id.clone(),
        ip: Some(ip.to_string()),
        via: "console",
    };
    let report = reload(&app, &by).await;
    render(&app, &headers, &session, Some(report)).await
}

async fn not_operator(
    app: &AppState,
    headers: &HeaderMap,
    session: &Session,
) -> Result<Response, HttpError> {
    super::view::refused(
        app,
        headers,
        session,
        policy::PolicyError::Forbidden {
            reason: "only a platform operator reloads the catalogue",
        },
    )
    .await
}

async fn render(
    app: &AppState,
    headers: &HeaderMap,
    s: &Session,
    report: Option<CatalogueReloadDto>,
) -> Result<Response, HttpError> {
    if !crate::admin_api::is_operator(app, s) {
        return not_operator(app, headers, s).await;
    }
    let live = app.live();
    let applications: Vec<ApplicationRow> = live
        .applications
        .iter()
        .map(|a| ApplicationRow {
            id: a.id.clone(),
            name: a.name.clone(),
            levels: a
                .levels
                .iter()
                .map(|l| LevelRow {
                    level: l.clone(),
                    label: a.label(l),
                })
                .collect(),
        })
        .collect();
    let mut routes: Vec<RouteRow> = live
        .routes
        .routes()
        .iter()
        .map(|r| RouteRow {
            prefix: if r.prefix.is_empty() {
                "/".to_owned()
            } else {
                r.prefix.clone()
            },
            application: r.application.clone(),
            access_key: match r.access {
                Access::Public => "catalogue_access_public",
                Access::Authenticated => "catalogue_access_authenticated",
                Access::Policy => "catalogue_access_policy",
                Access::Denied => "catalogue_access_denied",
            },
            methods: r
                .methods
                .iter()
                .map(|(m, l)| MethodRow {
                    method: m.clone(),
                    level: l.clone(),
                })
                .collect(),
        })
        .collect();
    routes.sort_by(|a, b| a.prefix.cmp(&b.prefix));
    let status = match report.as_ref().map(|r| r.outcome) {
        Some(ReloadOutcome::Refused) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    let outcome_key = report.as_ref().map(|r| match r.outcome {
        ReloadOutcome::Applied => "catalogue_outcome_applied",
        ReloadOutcome::Unchanged => "catalogue_outcome_unchanged",
        ReloadOutcome::Refused => "catalogue_outcome_refused",
    });
    person_page(
        app,
        headers,
        s,
        Place::new("console/catalogue.html", "admin", PATH),
        status,
        minijinja::context! {
            title_key => "catalogue_title",
            applications => applications,
            routes => routes,
            report => report,
            outcome_key => outcome_key,
        },
    )
    .await
}
