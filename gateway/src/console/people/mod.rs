//! `GET /admin/structures/{id}/people`: everyone attached to the structure (as far as
//! the caller manages it: a local manager sees their services only, as the policy
//! decides) with their habilitations, filtered, sorted and paged, and exported as CSV
//! or `.xlsx` (the same filtered list); the forms that grant a right to several people
//! at once, change a level, renew and revoke. Every change goes through the policy.

mod export;
mod forms;
mod list;

use std::collections::BTreeSet;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use policy::ManagerScope;
use serde::Serialize;

use self::export::{export_csv, export_xlsx};
use self::forms::{change_level, grant, renew, revoke};
use self::list::{COLUMNS, Filter, Row, listing, select};
use super::view::{self, Ctx, Notice, StructureView};
use crate::error::{HttpError, from_policy};
use crate::extract::{ClientIp, CurrentSession};
use crate::shell::{Place, person_page};
use crate::state::AppState;

/// Rows per page.
const PER_PAGE: usize = 25;

/// This page's routes.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/structures/{id}/people", get(page))
        .route("/admin/structures/{id}/people/export.csv", get(export_csv))
        .route(
            "/admin/structures/{id}/people/export.xlsx",
            get(export_xlsx),
        )
        .route("/admin/structures/{id}/people/grant", post(grant))
        .route(
            "/admin/structures/{id}/people/grants/{grant}/level",
            post(change_level),
        )
        .route(
            "/admin/structures/{id}/people/grants/{grant}/renew",
            post(renew),
        )
        .route(
            "/admin/structures/{id}/people/grants/{grant}/revoke",
            post(revoke),
        )
}

#[derive(Debug, Serialize)]
struct Column {
    key: &'static str,
    title: &'static str,
    href: String,
    aria_sort: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct RightOption {
    id: String,
    application: String,
    level: String,
    label: String,
}

/// GET /admin/structures/{id}/people. Needs: legal representative or manager of the
/// structure (a local manager sees their services).
async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CurrentSession(s): CurrentSession,
    Path(id): Path<String>,
    Query(f): Query<Filter>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &s, ip, id);
    render(&cx, &f, None).await
}

async fn render(cx: &Ctx<'_>, f: &Filter, notice: Option<Notice>) -> Result<Response, HttpError> {
    let l = match listing(cx).await? {
        Ok(l) => l,
        Err(e) => return view::refused(cx.app, cx.headers, cx.session, e).await,
    };
    let now = cx.app.policy.now_ms();
    let rows = select(l.rows, f, now);
    let total = rows.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = f.page.trim().parse::<usize>().unwrap_or(1).clamp(1, pages);
    let shown: Vec<Row> = rows
        .into_iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .collect();
    let base = format!("/admin/structures/{}/people", cx.id);
    let filters = f.query();
    let with = |extra: &str| {
        let mut q = filters.clone();
        if !extra.is_empty() {
            if !q.is_empty() {
                q.push('&');
            }
            q.push_str(extra);
        }
        if q.is_empty() {
            base.clone()
        } else {
            format!("{base}?{q}")
        }
    };
    let key = f.sort_key();
    let desc = f.descending();
    let sort_part = format!("sort={key}&dir={}", if desc { "desc" } else { "asc" });
    let columns: Vec<Column> = COLUMNS
        .iter()
        .map(|(k, title)| {
            let current = *k == key;
            let dir = if current && !desc { "desc" } else { "asc" };
            Column {
                key: k,
                title,
                href: with(&format!("sort={k}&dir={dir}")),
                aria_sort: current.then_some(if desc { "descending" } else { "ascending" }),
            }
        })
        .collect();
    let prev = (page > 1).then(|| with(&format!("{sort_part}&page={}", page - 1)));
    let next = (page < pages).then(|| with(&format!("{sort_part}&page={}", page + 1)));
    let export = if filters.is_empty() {
        String::new()
    } else {
        format!("?{filters}&{sort_part}")
    };
    let export = if export.is_empty() {
        format!("?{sort_part}")
    } else {
        export
    };
    let catalogue = cx.app.policy.catalogue().await.map_err(from_policy)?;
    let rights: Vec<RightOption> = catalogue
        .into_iter()
        .map(|r| RightOption {
            id: r.id.0,
            application: r.application,
            level: r.level,
            label: r.label,
        })
        .collect();
    let applications: BTreeSet<&str> = rights.iter().map(|r| r.application.as_str()).collect();
    let levels: BTreeSet<&str> = rights.iter().map(|r| r.level.as_str()).collect();
    let may_manage = l.main_manager || matches!(l.scope, ManagerScope::Services(_));
    let services: Vec<(String, String)> = l
        .services
        .iter()
        .map(|s| (s.id.0.clone(), format!("{} · {}", s.code, s.label)))
        .collect();
    let status = notice.as_ref().map_or(StatusCode::OK, |n| n.status);
    let here = with(&sort_part);
    person_page(
        cx.app,
        cx.headers,
        cx.session,
        Place::new("console/people.html", "admin", &here),
        status,
        minijinja::context! {
            title_key => "console_people_title",
            structure => StructureView::new(&l.structure, &l.scope),
            section => "people",
            rows => shown,
            total => total,
            page => page,
            pages => pages,
            prev => prev,
            next => next,
            columns => columns,
            export => export,
            filter => minijinja::context! {
                name => f.name.trim(), service => f.service.trim(),
                application => f.application.trim(), level => f.level.trim(),
                ending => f.ending.trim(), expired => f.expired_only(),
            },
            services => services,
            applications => applications,
            levels => levels,
            rights => rights,
            may_manage => may_manage,
            local_manager => matches!(l.scope, ManagerScope::Services(_)) && !l.main_manager,
            done => view::done_key(Some(f.done.as_str())),
            notice => notice,
        },
    )
    .await
}
