//! `GET /admin/structures/{id}/managers`: the structure's main access managers (by name,
//! or by masked national number while a designation waits for that person's first
//! login) and its local managers per service; the forms that designate and remove them.
//! Legal representatives and main managers designate main managers; main managers name
//! local managers. The policy authorises, audits, and keeps the last main manager until
//! a successor is named.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use policy::ids::NationalNumber;
use policy::{PolicyError, ServiceId, Subject, UserId};
use serde::{Deserialize, Serialize};

use super::structure::Done;
use super::view::{self, Ctx, Notice, StructureView};
use crate::error::{HttpError, from_policy};
use crate::extract::{ClientIp, CsrfForm, CurrentSession};
use crate::shell::{Place, person_page};
use crate::state::AppState;

/// This page's routes.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/structures/{id}/managers", get(page))
        .route("/admin/structures/{id}/managers/main", post(designate_main))
        .route(
            "/admin/structures/{id}/managers/main/remove",
            post(remove_main),
        )
        .route(
            "/admin/structures/{id}/managers/local",
            post(designate_local),
        )
        .route(
            "/admin/structures/{id}/managers/local/remove",
            post(remove_local),
        )
}

#[derive(Debug, Serialize)]
struct ManagerRow {
    key: String,
    label: String,
    pending: bool,
    me: bool,
}

#[derive(Debug, Serialize)]
struct ServiceManagers {
    id: String,
    code: String,
    label: String,
    managers: Vec<ManagerRow>,
}

#[derive(Debug, Serialize)]
struct Member {
    id: String,
    name: String,
}

/// GET /admin/structures/{id}/managers. Needs: legal representative or manager of the
/// structure (a local manager sees their services).
async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CurrentSession(s): CurrentSession,
    Path(id): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &s, ip, id);
    render(&cx, view::done_key(q.done()), None).await
}

async fn render(
    cx: &Ctx<'_>,
    done: Option<&'static str>,
    notice: Option<Notice>,
) -> Result<Response, HttpError> {
    let (app, actor, id) = (cx.app, &cx.actor, &cx.id);
    let (structure, _) = match view::open(app, actor, id).await {
        Ok(v) => v,
        Err(e) => return view::refused(app, cx.headers, cx.session, e).await,
    };
    let policy = &app.policy;
    let mains = policy.main_managers(actor, id).await.map_err(from_policy)?;
    let locals = policy
        .local_managers(actor, id)
        .await
        .map_err(from_policy)?;
    let members = policy.members(actor, id).await.map_err(from_policy)?;
    let me = Subject::User(cx.session.user_id.as_str().into());
    let main_manager = mains.iter().any(|d| d.subject == me);
    let may_designate = match policy.may_designate(actor, id).await {
        Ok(()) => true,
        Err(PolicyError::Forbidden { .. }) => false,
        Err(e) => return Err(from_policy(e)),
    };
    let mut ids: Vec<UserId> = members.iter().map(|m| m.user_id.clone()).collect();
    let mut hashes = Vec::new();
    for d in mains.iter().chain(locals.iter()) {
        match &d.subject {
            Subject::User(u) => ids.push(u.clone()),
            Subject::Pending(h) => hashes.push(h),
        }
    }
    let names = view::names(app, ids).await?;
    let masks = policy.masked_numbers(&hashes).await.map_err(from_policy)?;
    let row = |subject: &Subject| {
        let (label, pending) = view::subject_label(subject, &names, &masks);
        ManagerRow {
            key: view::subject_key(subject),
            label,
            pending,
            me: *subject == me,
        }
    };
    let main_rows: Vec<ManagerRow> = mains.iter().map(|d| row(&d.subject)).collect();
    let mut by_service: HashMap<ServiceId, Vec<ManagerRow>> = HashMap::new();
    for d in &locals {
        if let Some(sv) = &d.service_id {
            by_service
                .entry(sv.clone())
                .or_default()
                .push(row(&d.subject));
        }
    }
    let scope = policy.may_read(actor, id).await.map_err(from_policy)?;
    let services: Vec<ServiceManagers> = policy
        .services(id)
        .await
        .map_err(from_policy)?
        .into_iter()
        .filter(|sv| match &scope {
            policy::ManagerScope::Whole => true,
            policy::ManagerScope::Services(set) => set.contains(&sv.id),
        })
        .map(|sv| ServiceManagers {
            managers: by_service.remove(&sv.id).unwrap_or_default(),
            id: sv.id.0,
            code: sv.code,
            label: sv.label,
        })
        .collect();
    let mut member_rows: Vec<Member> = members
        .iter()
        .map(|m| Member {
            id: m.user_id.0.clone(),
            name: names
                .get(m.user_id.as_str())
                .cloned()
                .unwrap_or_else(|| m.user_id.0.clone()),
        })
        .collect();
    member_rows.sort_by(|a, b| a.name.cmp(&b.name));
    let status = notice.as_ref().map_or(StatusCode::OK, |n| n.status);
    let path = format!("/admin/structures/{id}/managers");
    person_page(
        app,
        cx.headers,
        cx.session,
        Place::new("console/managers.html", "admin", &path),
        status,
        minijinja::context! {
            title_key => "console_managers_title",
            structure => StructureView::new(&structure, &scope),
            section => "managers",
            main_manager => main_manager,
            may_designate => may_designate,
            mains => main_rows,
            services => services,
            members => member_rows,
            done => done,
            notice => notice,
        },
    )
    .await
}

/// Answer a change: back to the page with a confirmation, or the page again with the
/// refusal (a stranger to the structure gets the 403 page).
async fn answer<T>(
    cx: &Ctx<'_>,
    outcome: Result<T, Notice>,
    code: &str,
) -> Result<Response, HttpError> {
    match outcome {
        Ok(_) => Ok(view::done(
            &format!("/admin/structures/{}/managers", cx.id),
            code,
        )),
        Err(n) => render(cx, None, Some(n)).await,
    }
}

/// The subject named by a typed national number, its masked form kept; a bad number
/// is a notice on `form`.
async fn by_number(cx: &Ctx<'_>, raw: &str, form: &'static str) -> Result<Subject, Notice> {
    let Ok(n) = NationalNumber::parse(raw) else {
        return Err(view::invalid(cx.t("console_nrn_invalid").await, form));
    };
    let key = cx.app.keys.nrn_key();
    match cx.app.policy.remember_masked_number(&n, key).await {
        Ok(h) => Ok(Subject::Pending(h)),
        Err(e) => Err(view::policy_notice(e, form)),
    }
}

#[derive(Debug, Deserialize)]
struct NumberForm {
    national_number: String,
}

/// POST /admin/structures/{id}/managers/main. Needs: legal representative or main
/// manager, CSRF.
async fn designate_main(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    CsrfForm { session, form }: CsrfForm<NumberForm>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    if let Some(r) = view::stranger(&cx).await {
        return r;
    }
    let outcome = async {
        app.policy
            .may_designate(&cx.actor, &cx.id)
            .await
            .map_err(|e| view::policy_notice(e, "main"))?;
        let subject = by_number(&cx, &form.national_number, "main").await?;
        app.policy
            .designate_main_manager(&cx.actor, &cx.id, &subject)
            .await
            .map_err(|e| view::policy_notice(e, "main"))
    }
    .await;
    answer(&cx, outcome, "main_designated").await
}

#[derive(Debug, Deserialize)]
struct WhoForm {
    who: String,
}

/// POST /admin/structures/{id}/managers/main/remove: remove a main manager or withdraw
/// a pending designation. Needs: legal representative or main manager (or oneself),
/// CSRF; never the last main manager.
async fn remove_main(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    CsrfForm { session, form }: CsrfForm<WhoForm>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    if let Some(r) = view::stranger(&cx).await {
        return r;
    }
    let outcome = match view::subject_of_key(&form.who) {
        None => Err(view::invalid(cx.t("console_unknown_person").await, "mains")),
        Some(subject) => app
            .policy
            .remove_main_manager(&cx.actor, &cx.id, &subject)
            .await
            .map_err(|e| view::policy_notice(e, "mains")),
    };
    answer(&cx, outcome, "main_removed").await
}

#[derive(Debug, Deserialize)]
struct LocalForm {
    service: String,
    #[serde(default)]
    national_number: String,
    #[serde(default)]
    person: String,
}

/// POST /admin/structures/{id}/managers/local: name a local manager of a service, by
/// national number or among the people attached. Needs: main manager, CSRF.
async fn designate_local(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    CsrfForm { session, form }: CsrfForm<LocalForm>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    if let Some(r) = view::stranger(&cx).await {
        return r;
    }
    let outcome = async {
        let number = form.national_number.trim();
        let person = form.person.trim();
        let subject = match (number.is_empty(), person.is_empty()) {
            (false, true) => by_number(&cx, number, "local").await?,
            (true, false) => Subject::User(UserId::from(person)),
            _ => {
                return Err(view::invalid(cx.t("console_local_one_of").await, "local"));
            }
        };
        app.policy
            .designate_local_manager(
                &cx.actor,
                &cx.id,
                &ServiceId::from(form.service.as_str()),
                &subject,
            )
            .await
            .map_err(|e| view::policy_notice(e, "local"))
    }
    .await;
    answer(&cx, outcome, "local_designated").await
}

#[derive(Debug, Deserialize)]
struct LocalRemoveForm {
    service: String,
    who: String,
}

/// POST /admin/structures/{id}/managers/local/remove. Needs: main manager (or
/// oneself), CSRF.
async fn remove_local(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    CsrfForm { session, form }: CsrfForm<LocalRemoveForm>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    if let Some(r) = view::stranger(&cx).await {
        return r;
    }
    let outcome = match view::subject_of_key(&form.who) {
        None => Err(view::invalid(
            cx.t("console_unknown_person").await,
            "locals",
        )),
        Some(subject) => app
            .policy
            .remove_local_manager(
                &cx.actor,
                &cx.id,
                &ServiceId::from(form.service.as_str()),
                &subject,
            )
            .await
            .map_err(|e| view::policy_notice(e, "locals")),
    };
    answer(&cx, outcome, "local_removed").await
}
