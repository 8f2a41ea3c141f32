//! `GET /admin/audit` (the platform's operators: the whole log) and
//! `GET /admin/structures/{id}/audit` (the structure's legal representatives and main
//! managers): the audit log filtered by person, organisation (operators), action and
//! dates, paged by event id, and exported as CSV or JSON lines streamed from the
//! database one page at a time. Who reads which log is the policy's rule
//! ([`policy::Policy::may_read_audit`]), the one the JSON API asks too.

use std::net::IpAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use futures_util::{StreamExt, TryStreamExt};
use policy::{
    Actor, AuditQuery, AuditRecord, ManagerScope, PolicyError, StructureId, Subject, UserId,
};
use serde::{Deserialize, Serialize};

use super::audit_labels::LABELS;
use super::view::{self, StructureView};
use crate::error::{HttpError, from_policy};
use crate::extract::{ClientIp, CurrentSession};
use crate::i18n::{Lang, t};
use crate::shell::{Place, person_page};
use crate::state::AppState;
use crate::store::sessions::Session;
use crate::store::users;

/// Events per page.
const PER_PAGE: u32 = 50;
/// People a name search may stand for.
const MAX_PEOPLE: u32 = 50;

/// This page's routes.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(whole_page))
        .route("/admin/audit/export", get(whole_export))
        .route("/admin/structures/{id}/audit", get(structure_page))
        .route("/admin/structures/{id}/audit/export", get(structure_export))
}

/// The filters and the page, as the address carries them (every value text, so that
/// nothing typed is refused before it is read).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct Filter {
    /// A user id, or part of a name or an address.
    person: String,
    /// The whole log only: an organisation's id, number or name.
    organisation: String,
    action: String,
    /// First day (`YYYY-MM-DD`), inclusive.
    from: String,
    /// Last day, inclusive.
    to: String,
    /// Events after this id (the next page).
    after: String,
    /// Export: `csv` (default) or `jsonl`.
    format: String,
}

impl Filter {
    /// The filters (not the page nor the format) as a query string.
    fn query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("person", &self.person),
            ("organisation", &self.organisation),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !v.trim().is_empty() {
                q.append_pair(k, v.trim());
            }
        }
        q.finish()
    }
}

/// Which log a request reads: its address and, for one structure's, the structure.
struct Log {
    base: String,
    structure: Option<policy::Structure>,
}

/// The log the person asks for, if the policy lets them read it (`id` `None`: the whole
/// log, which only an operator reads).
async fn open(
    app: &AppState,
    session: &Session,
    ip: IpAddr,
    id: Option<String>,
) -> Result<Log, PolicyError> {
    let Some(id) = id else {
        let actor = if crate::admin_api::is_operator(app, session) {
            Actor::operator()
        } else {
            view::actor(session, ip)
        };
        app.policy.may_read_audit(&actor, None).await?;
        return Ok(Log {
            base: "/admin/audit".to_owned(),
            structure: None,
        });
    };
    let id = StructureId::from(id);
    app.policy
        .may_read_audit(&view::actor(session, ip), Some(&id))
        .await?;
    Ok(Log {
        base: format!("/admin/structures/{id}/audit"),
        structure: Some(app.policy.structure(&id).await?),
    })
}

/// The filters as a query of the log, and the catalogue key of what was refused in
/// them (ignored then), if anything.
async fn resolve(
    app: &AppState,
    log: &Log,
    f: &Filter,
) -> Result<(AuditQuery, Option<&'static str>), HttpError> {
    let mut q = AuditQuery::default();
    let mut problem = None;
    q.structure = match &log.structure {
        Some(s) => Some(s.id.clone()),
        None => organisation(app, f.organisation.trim()).await?,
    };
    let person = f.person.trim();
    if !person.is_empty() {
        q.people = Some(match users::get(&app.db, person).await? {
            Some(u) => vec![UserId::from(u.id)],
            None => users::search(&app.db, person, MAX_PEOPLE)
                .await?
                .into_iter()
                .map(|u| UserId::from(u.id))
                .collect(),
        });
    }
    let action = f.action.trim();
    if LABELS.iter().any(|(a, _)| *a == action) {
        q.action = Some(action.to_owned());
    }
    let day = |text: &str, read: fn(&str) -> Option<i64>| -> Result<Option<i64>, ()> {
        if text.trim().is_empty() {
            Ok(None)
        } else {
            read(text).map(Some).ok_or(())
        }
    };
    match (
        day(&f.from, view::start_of_day),
        day(&f.to, view::end_of_day),
    ) {
        (Ok(from), Ok(to)) if from.zip(to).is_some_and(|(a, b)| a >= b) => {
            problem = Some("console_audit_bad_range");
        }
        (Ok(from), Ok(to)) => {
            q.from_ms = from;
            q.to_ms = to;
        }
        _ => problem = Some("console_audit_bad_date"),
    }
    q.after_id = f.after.trim().parse().ok();
    if q.structure.is_none() && !f.organisation.trim().is_empty() {
        // An organisation that matches nothing shows nothing, not everything.
        q.people = Some(Vec::new());
        problem = problem.or(Some("console_audit_no_organisation"));
    }
    Ok((q, problem))
}

/// The organisation an operator names: by id, else the only one whose number or name
/// matches.
async fn organisation(app: &AppState, text: &str) -> Result<Option<StructureId>, HttpError> {
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(s) = app.policy.structure_info(text) {
        return Ok(Some(s.id));
    }
    match app.policy.search_structures(text, 2).await {
        Ok(found) if found.len() == 1 => Ok(found.into_iter().next().map(|s| s.id)),
        Ok(_) | Err(PolicyError::Invalid(_)) => Ok(None),
        Err(e) => Err(from_policy(e)),
    }
}

/// One event as the page and the exports show it.
#[derive(Debug, Serialize)]
struct Row {
    id: i64,
    at: i64,
    when: String,
    actor: Option<String>,
    who: String,
    action: String,
    action_label: String,
    target: String,
    about: String,
    structure: Option<String>,
    organisation: String,
    detail: serde_json::Value,
    #[serde(skip)]
    details: String,
}

/// The rows of these events in `lang`: names of people and organisations, labels of
/// actions, the detail as text.
async fn rows(
    app: &AppState,
    lang: Lang,
    records: Vec<AuditRecord>,
) -> Result<Vec<Row>, HttpError> {
    let mut ids: Vec<UserId> = Vec::new();
    let mut hashes: Vec<policy::ids::NrnHash> = Vec::new();
    for r in &records {
        ids.extend(r.event.actor.iter().cloned());
        match r.event.target.strip_prefix("nrn:") {
            Some(h) => hashes.push(policy::ids::NrnHash(h.to_owned())),
            None => ids.push(UserId::from(r.event.target.as_str())),
        }
    }
    let names = view::names(app, ids).await?;
    let masks = app
        .policy
        .masked_numbers(&hashes.iter().collect::<Vec<_>>())
        .await
        .map_err(from_policy)?;
    let platform = t(lang, "console_audit_platform");
    Ok(records
        .into_iter()
        .map(|r| {
            let e = r.event;
            let who = e.actor.as_ref().map_or_else(
                || platform.clone(),
                |a| {
                    names
                        .get(a.as_str())
                        .cloned()
                        .unwrap_or_else(|| a.0.clone())
                },
            );
            let about = match e.target.strip_prefix("nrn:") {
                Some(h) => {
                    let subject = Subject::Pending(policy::ids::NrnHash(h.to_owned()));
                    view::subject_label(&subject, &names, &masks).0
                }
                None => names
                    .get(e.target.as_str())
                    .cloned()
                    .unwrap_or_else(|| e.target.clone()),
            };
            let organisation = e.structure.as_ref().map_or_else(String::new, |s| {
                app.policy
                    .structure_info(s.as_str())
                    .map_or_else(|| s.0.clone(), |st| st.common_name)
            });
            let action_label = LABELS
                .iter()
                .find(|(a, _)| *a == e.action)
                .map_or_else(|| e.action.clone(), |(_, key)| t(lang, key));
            Row {
                id: r.id,
                at: r.at,
                when: view::moment(r.at),
                actor: e.actor.map(|a| a.0),
                who,
                action: e.action,
                action_label,
                target: e.target,
                about,
                structure: e.structure.map(|s| s.0),
                organisation,
                details: details(&e.detail),
                detail: e.detail,
            }
        })
        .collect())
}

/// An event's detail as text: `key: value` pairs.
fn details(detail: &serde_json::Value) -> String {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match detail {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", text(v)))
            .collect::<Vec<_>>()
            .join("; "),
        serde_json::Value::Null => String::new(),
        other => text(other),
    }
}

#[derive(Debug, Serialize)]
struct ActionOption {
    value: &'static str,
    label: String,
}

/// GET /admin/audit. Needs: platform operator.
async fn whole_page(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CurrentSession(s): CurrentSession,
    Query(f): Query<Filter>,
) -> Result<Response, HttpError> {
    page(&app, &headers, &s, ip, None, &f).await
}

/// GET /admin/structures/{id}/audit. Needs: legal representative or main manager of the
/// structure.
async fn structure_page(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CurrentSession(s): CurrentSession,
    Path(id): Path<String>,
    Query(f): Query<Filter>,
) -> Result<Response, HttpError> {
    page(&app, &headers, &s, ip, Some(id), &f).await
}

async fn page(
    app: &AppState,
    headers: &HeaderMap,
    session: &Session,
    ip: IpAddr,
    id: Option<String>,
    f: &Filter,
) -> Result<Response, HttpError> {
    let log = match open(app, session, ip, id).await {
        Ok(log) => log,
        Err(e) => return view::refused(app, headers, session, e).await,
    };
    let lang = crate::i18n::person_lang(app, headers, &session.user_id).await?;
    let (mut q, problem) = resolve(app, &log, f).await?;
    q.limit = Some(PER_PAGE + 1);
    let mut records = app.policy.audit().query(&q).await.map_err(from_policy)?;
    let more = records.len() > PER_PAGE as usize;
    records.truncate(PER_PAGE as usize);
    let last = records.last().map(|r| r.id);
    let shown = rows(app, lang, records).await?;
    let filters = f.query();
    let with = |extra: &str| {
        let q = [filters.as_str(), extra]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("&");
        if q.is_empty() {
            log.base.clone()
        } else {
            format!("{}?{q}", log.base)
        }
    };
    let next = last.filter(|_| more).map(|id| with(&format!("after={id}")));
    let first = q.after_id.map(|_| with(""));
    let export = |format: &str| {
        let q = [filters.as_str(), &format!("format={format}")]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("&");
        format!("{}/export?{q}", log.base)
    };
    let action_options: Vec<ActionOption> = LABELS
        .iter()
        .map(|(value, key)| ActionOption {
            value,
            label: t(lang, key),
        })
        .collect();
    let here = with(
        &q.after_id
            .map_or_else(String::new, |a| format!("after={a}")),
    );
    person_page(
        app,
        headers,
        session,
        Place::new("console/audit.html", "admin", &here),
        if problem.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        minijinja::context! {
            title_key => "console_audit_title",
            structure => log
                .structure
                .as_ref()
                .map(|s| StructureView::new(s, &ManagerScope::Whole)),
            section => "audit",
            base => log.base,
            rows => shown,
            next => next,
            first => first,
            csv => export("csv"),
            jsonl => export("jsonl"),
            actions => action_options,
            filter => minijinja::context! {
                person => f.person.trim(), organisation => f.organisation.trim(),
                action => f.action.trim(), from => f.from.trim(), to => f.to.trim(),
            },
            problem => problem,
        },
    )
    .await
}

/// GET /admin/audit/export. Needs the same as the page.
async fn whole_export(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CurrentSession(s): CurrentSession,
    Query(f): Query<Filter>,
) -> Result<Response, HttpError> {
    export(app, &headers, &s, ip, None, &f).await
}

/// GET /admin/structures/{id}/audit/export. Needs the same as the page.
async fn structure_export(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CurrentSession(s): CurrentSession,
    Path(id): Path<String>,
    Query(f): Query<Filter>,
) -> Result<Response, HttpError> {
    export(app, &headers, &s, ip, Some(id), &f).await
}

/// Every event the filters select (all pages, not only the one shown), as CSV or JSON
/// lines: the body is written one page of the database at a time, as the client reads
/// it. Every CSV cell goes through the formula guard.
async fn export(
    app: AppState,
    headers: &HeaderMap,
    session: &Session,
    ip: IpAddr,
    id: Option<String>,
    f: &Filter,
) -> Result<Response, HttpError> {
    let log = match open(&app, session, ip, id).await {
        Ok(log) => log,
        Err(e) => return view::refused(&app, headers, session, e).await,
    };
    let lang = crate::i18n::person_lang(&app, headers, &session.user_id).await?;
    let (mut q, _) = resolve(&app, &log, f).await?;
    q.after_id = None;
    let jsonl = f.format.trim() == "jsonl";
    let pages = app.policy.audit().pages(&q).map_err(|e| {
        tracing::error!(error = %e, "audit export: a page could not be read");
        std::io::Error::other("the audit log could not be read")
    });
    let body = pages.and_then(move |records| {
        let app = app.clone();
        async move {
            let rows = rows(&app, lang, records).await.map_err(|e| {
                tracing::error!(status = %e.status, "audit export: names could not be read");
                std::io::Error::other("the audit log could not be read")
            })?;
            if jsonl {
                let mut out = String::new();
                for r in &rows {
                    out.push_str(&serde_json::to_string(r).map_err(std::io::Error::other)?);
                    out.push('\n');
                }
                Ok(out)
            } else {
                Ok(rows.iter().map(csv_line).collect::<String>())
            }
        }
    });
    if jsonl {
        return Ok(view::download(
            "application/x-ndjson",
            "audit.jsonl",
            Body::from_stream(body),
        ));
    }
    let header = csv_header(lang);
    let body = futures_util::stream::once(async move { Ok(header) }).chain(body);
    Ok(view::download(
        "text/csv; charset=utf-8",
        "audit.csv",
        Body::from_stream(body),
    ))
}

/// The CSV columns' titles.
const CSV_COLUMNS: [&str; 7] = [
    "console_audit_col_id",
    "console_audit_col_when",
    "console_audit_col_who",
    "console_audit_col_action",
    "console_audit_col_about",
    "console_audit_col_organisation",
    "console_audit_col_details",
];

fn csv_header(lang: Lang) -> String {
    let cells: Vec<String> = CSV_COLUMNS
        .iter()
        .map(|k| web::sheet::csv_cell(&t(lang, k)))
        .collect();
    cells.join(",") + "\r\n"
}

fn csv_line(r: &Row) -> String {
    let cells: Vec<String> = [
        r.id.to_string(),
        r.when.clone(),
        r.who.clone(),
        r.action_label.clone(),
        r.about.clone(),
        r.organisation.clone(),
        r.details.clone(),
    ]
    .iter()
    .map(|c| web::sheet::csv_cell(c))
    .collect();
    cells.join(",") + "\r\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_read_as_text() {
        let d = serde_json::json!({"application": "vouchers", "level": "read", "n": 2});
        assert_eq!(details(&d), "application: vouchers; level: read; n: 2");
        assert_eq!(details(&serde_json::Value::Null), "");
    }
}
