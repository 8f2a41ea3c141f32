//! `GET /admin/structures/{id}/people`: everyone attached to the structure (as far as
//! the caller manages it: a local manager sees their services only, as the policy
//! decides) with their habilitations, filtered, sorted and paged, and exported as CSV
//! or `.xlsx` (the same filtered list); the forms that grant a right to several people
//! at once, change a level, renew and revoke. Every change goes through the policy.

use std::collections::{BTreeSet, HashMap};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use policy::grants::GrantRequest;
use policy::ids::NationalNumber;
use policy::{GrantId, ManagerScope, RightId, Scope, ServiceId, Subject, UserId};
use serde::{Deserialize, Serialize};

use super::structure::Empty;
use super::view::{self, Ctx, Notice, StructureView};
use crate::error::{HttpError, from_policy};
use crate::extract::{ClientIp, CsrfForm, CurrentSession};
use crate::i18n::{Lang, t};
use crate::shell::{Place, person_page};
use crate::state::AppState;
use crate::store::users;

/// Rows per page.
const PER_PAGE: usize = 25;
const DAY_MS: i64 = 86_400_000;

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

/// The list's filters, sort and page, as the address carries them (every value text,
/// so that nothing a person types is refused before it is read).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct Filter {
    name: String,
    service: String,
    application: String,
    level: String,
    ending: String,
    expired: String,
    sort: String,
    dir: String,
    page: String,
    done: String,
}

impl Filter {
    /// The filters (not the sort nor the page) as a query string.
    fn query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("name", &self.name),
            ("service", &self.service),
            ("application", &self.application),
            ("level", &self.level),
            ("ending", &self.ending),
            ("expired", &self.expired),
        ] {
            if !v.trim().is_empty() {
                q.append_pair(k, v.trim());
            }
        }
        q.finish()
    }

    fn ending_days(&self) -> Option<i64> {
        self.ending
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=3650).contains(d))
    }

    fn expired_only(&self) -> bool {
        self.expired == "1"
    }

    fn sort_key(&self) -> &'static str {
        COLUMNS
            .iter()
            .map(|(k, _)| *k)
            .find(|k| *k == self.sort)
            .unwrap_or("name")
    }

    fn descending(&self) -> bool {
        self.dir == "desc"
    }
}

/// The sortable columns: their key in the address and the catalogue key of their title.
const COLUMNS: [(&str, &str); 7] = [
    ("name", "console_col_name"),
    ("attached", "console_col_attached"),
    ("application", "console_col_application"),
    ("level", "console_col_level"),
    ("scope", "console_col_scope"),
    ("until", "console_col_until"),
    ("status", "console_col_status"),
];

#[derive(Debug, Clone, Serialize)]
struct GrantView {
    id: String,
    application: String,
    level: String,
    label: String,
    scope: String,
    until: Option<String>,
    #[serde(skip)]
    until_ms: Option<i64>,
    #[serde(skip)]
    services: Option<Vec<ServiceId>>,
    expired: bool,
}

#[derive(Debug, Clone, Serialize)]
struct Row {
    /// The user id (for the selection), none for a pending holder.
    person: Option<String>,
    name: String,
    pending: bool,
    attached: String,
    #[serde(skip)]
    attached_to: Option<Scope>,
    grant: Option<GrantView>,
    status: String,
}

/// Everything the list needs, computed once per request.
struct Listing {
    rows: Vec<Row>,
    lang: Lang,
    scope: ManagerScope,
    main_manager: bool,
    structure: policy::Structure,
    services: Vec<policy::Service>,
}

fn scope_text(scope: &Scope, names: &HashMap<ServiceId, policy::Service>, lang: Lang) -> String {
    match scope {
        Scope::Structure => t(lang, "console_scope_whole"),
        Scope::Services(list) => list
            .iter()
            .map(|s| {
                names
                    .get(s)
                    .map_or_else(|| s.0.clone(), |sv| sv.code.clone())
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The rows the caller may see: one per habilitation, and one for each person attached
/// without any.
async fn listing(cx: &Ctx<'_>) -> Result<Result<Listing, policy::PolicyError>, HttpError> {
    let (app, actor, id) = (cx.app, &cx.actor, &cx.id);
    let (structure, scope) = match view::open(app, actor, id).await {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    let lang = crate::i18n::person_lang(app, cx.headers, &cx.session.user_id).await?;
    let policy = &app.policy;
    let now = policy.now_ms();
    let members = policy.members(actor, id).await.map_err(from_policy)?;
    let grants = policy.grants_in(actor, id).await.map_err(from_policy)?;
    let all_services = policy.service_names(actor, id).await.map_err(from_policy)?;
    let me = Subject::User(cx.session.user_id.as_str().into());
    let main_manager = policy
        .main_managers(actor, id)
        .await
        .map_err(from_policy)?
        .iter()
        .any(|d| d.subject == me);
    let mut ids: Vec<UserId> = members.iter().map(|m| m.user_id.clone()).collect();
    let mut hashes = Vec::new();
    for g in &grants {
        match &g.holder {
            Subject::User(u) => ids.push(u.clone()),
            Subject::Pending(h) => hashes.push(h),
        }
    }
    let names = view::names(app, ids).await?;
    let masks = policy.masked_numbers(&hashes).await.map_err(from_policy)?;
    let attached: HashMap<&str, &Scope> = members
        .iter()
        .map(|m| (m.user_id.as_str(), &m.scope))
        .collect();
    let mut rows = Vec::new();
    let mut with_grant: BTreeSet<String> = BTreeSet::new();
    for g in &grants {
        let (name, pending) = view::subject_label(&g.holder, &names, &masks);
        let person = match &g.holder {
            Subject::User(u) => Some(u.0.clone()),
            Subject::Pending(_) => None,
        };
        let attached_to = person
            .as_deref()
            .and_then(|p| attached.get(p).map(|s| (*s).clone()));
        let expired = g.valid_until.is_some_and(|u| u <= now);
        if let Some(p) = &person {
            with_grant.insert(p.clone());
        }
        rows.push(Row {
            attached: attached_to
                .as_ref()
                .map(|s| scope_text(s, &all_services, lang))
                .unwrap_or_default(),
            attached_to,
            person,
            name,
            pending,
            status: t(
                lang,
                if expired {
                    "console_status_expired"
                } else {
                    "console_status_valid"
                },
            ),
            grant: Some(GrantView {
                id: g.id.0.clone(),
                application: g.right.application.clone(),
                level: g.right.level.clone(),
                label: g.right.label.clone(),
                scope: scope_text(&g.scope, &all_services, lang),
                until: g.valid_until.map(view::last_day),
                until_ms: g.valid_until,
                services: match &g.scope {
                    Scope::Structure => None,
                    Scope::Services(l) => Some(l.clone()),
                },
                expired,
            }),
        });
    }
    for m in &members {
        if with_grant.contains(m.user_id.as_str()) {
            continue;
        }
        let (name, _) = view::subject_label(&Subject::User(m.user_id.clone()), &names, &masks);
        rows.push(Row {
            person: Some(m.user_id.0.clone()),
            name,
            pending: false,
            attached: scope_text(&m.scope, &all_services, lang),
            attached_to: Some(m.scope.clone()),
            grant: None,
            status: t(lang, "console_status_none"),
        });
    }
    let services = policy
        .services(id)
        .await
        .map_err(from_policy)?
        .into_iter()
        .filter(|sv| match &scope {
            ManagerScope::Whole => true,
            ManagerScope::Services(set) => set.contains(&sv.id),
        })
        .collect();
    Ok(Ok(Listing {
        rows,
        lang,
        scope,
        main_manager,
        structure,
        services,
    }))
}

/// The rows the filters keep, sorted.
fn select(mut rows: Vec<Row>, f: &Filter, now: i64) -> Vec<Row> {
    let name = f.name.trim().to_lowercase();
    let service = f.service.trim();
    let application = f.application.trim();
    let level = f.level.trim();
    let ending = f.ending_days();
    let grant_filter =
        !application.is_empty() || !level.is_empty() || ending.is_some() || f.expired_only();
    rows.retain(|r| {
        if !name.is_empty() && !r.name.to_lowercase().contains(&name) {
            return false;
        }
        if !service.is_empty() {
            let sv = ServiceId::from(service);
            let covers = match &r.grant {
                Some(g) => g.services.as_ref().is_none_or(|l| l.contains(&sv)),
                None => match &r.attached_to {
                    Some(Scope::Structure) => true,
                    Some(Scope::Services(l)) => l.contains(&sv),
                    None => false,
                },
            };
            if !covers {
                return false;
            }
        }
        if !grant_filter {
            return true;
        }
        let Some(g) = &r.grant else {
            return false;
        };
        (application.is_empty() || g.application == application)
            && (level.is_empty() || g.level == level)
            && ending.is_none_or(|d| g.until_ms.is_some_and(|u| u > now && u <= now + d * DAY_MS))
            && (!f.expired_only() || g.expired)
    });
    let key = f.sort_key();
    rows.sort_by(|a, b| {
        let ga = a.grant.as_ref();
        let gb = b.grant.as_ref();
        let text = |r: &Row, g: Option<&GrantView>| -> String {
            match key {
                "attached" => r.attached.to_lowercase(),
                "application" => g.map(|g| g.application.clone()).unwrap_or_default(),
                "level" => g.map(|g| g.level.clone()).unwrap_or_default(),
                "scope" => g.map(|g| g.scope.to_lowercase()).unwrap_or_default(),
                "status" => r.status.clone(),
                _ => r.name.to_lowercase(),
            }
        };
        let primary = if key == "until" {
            let until = |g: Option<&GrantView>| g.and_then(|g| g.until_ms).unwrap_or(i64::MAX);
            until(ga).cmp(&until(gb))
        } else {
            text(a, ga).cmp(&text(b, gb))
        };
        let primary = if f.descending() {
            primary.reverse()
        } else {
            primary
        };
        primary
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| ga.map(|g| g.id.as_str()).cmp(&gb.map(|g| g.id.as_str())))
    });
    rows
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
            structure => StructureView::from(&l.structure),
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

/// The export's header and rows (the same filtered, sorted list, every page).
async fn export_rows(
    cx: &Ctx<'_>,
    f: &Filter,
) -> Result<Result<(Vec<String>, Vec<[String; 7]>), policy::PolicyError>, HttpError> {
    let l = match listing(cx).await? {
        Ok(l) => l,
        Err(e) => return Ok(Err(e)),
    };
    let rows = select(l.rows, f, cx.app.policy.now_ms());
    let header = COLUMNS.iter().map(|(_, k)| t(l.lang, k)).collect();
    let rows = rows
        .into_iter()
        .map(|r| {
            let g = r.grant.as_ref();
            [
                r.name.clone(),
                r.attached.clone(),
                g.map(|g| g.application.clone()).unwrap_or_default(),
                g.map(|g| g.level.clone()).unwrap_or_default(),
                g.map(|g| g.scope.clone()).unwrap_or_default(),
                g.and_then(|g| g.until.clone()).unwrap_or_default(),
                r.status.clone(),
            ]
        })
        .collect();
    Ok(Ok((header, rows)))
}

fn download(content_type: &'static str, name: &str, body: Vec<u8>) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    web::no_store(r)
}

/// GET /admin/structures/{id}/people/export.csv: the filtered list as CSV (every text
/// cell through the formula guard). Needs the same as the page.
async fn export_csv(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CurrentSession(s): CurrentSession,
    Path(id): Path<String>,
    Query(f): Query<Filter>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &s, ip, id);
    let (header, rows) = match export_rows(&cx, &f).await? {
        Ok(v) => v,
        Err(e) => return view::refused(&app, &headers, &s, e).await,
    };
    let mut out = String::new();
    for line in std::iter::once(header).chain(rows.into_iter().map(Vec::from)) {
        let cells: Vec<String> = line.iter().map(|c| web::sheet::csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    Ok(download(
        "text/csv; charset=utf-8",
        "people.csv",
        out.into_bytes(),
    ))
}

/// GET /admin/structures/{id}/people/export.xlsx: the filtered list as a workbook.
async fn export_xlsx(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CurrentSession(s): CurrentSession,
    Path(id): Path<String>,
    Query(f): Query<Filter>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &s, ip, id);
    let (header, rows) = match export_rows(&cx, &f).await? {
        Ok(v) => v,
        Err(e) => return view::refused(&app, &headers, &s, e).await,
    };
    let book = workbook(&header, &rows).map_err(HttpError::internal)?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "people.xlsx",
        book,
    ))
}

fn workbook(
    header: &[String],
    rows: &[[String; 7]],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet();
    for (col, title) in (0u16..).zip(header) {
        sheet.write_string_with_format(0, col, web::sheet::formula_safe(title), &bold)?;
    }
    for (row, line) in (1u32..).zip(rows) {
        for (col, value) in (0u16..).zip(line) {
            sheet.write_string(row, col, web::sheet::formula_safe(value))?;
        }
    }
    book.save_to_buffer()
}

/// Answer a change: back to the list with a confirmation, or the list again with the
/// refusal.
async fn answer<T>(
    cx: &Ctx<'_>,
    outcome: Result<T, Notice>,
    code: &str,
) -> Result<Response, HttpError> {
    match outcome {
        Ok(_) => Ok(view::done(
            &format!("/admin/structures/{}/people", cx.id),
            code,
        )),
        Err(n) => render(cx, &Filter::default(), Some(n)).await,
    }
}

/// POST /admin/structures/{id}/people/grant: grant one right to the people ticked (and
/// to a national number, if typed), on the whole structure or chosen services, until an
/// optional last day. Needs: the right to grant it there (the policy's rule), CSRF.
/// The right is checked before anyone gets it.
async fn grant(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    CsrfForm { session, form }: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    if let Some(r) = view::stranger(&cx).await {
        return r;
    }
    let outcome = grant_many(&cx, &form).await;
    answer(&cx, outcome, "granted").await
}

async fn grant_many(cx: &Ctx<'_>, form: &[(String, String)]) -> Result<usize, Notice> {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    };
    let all = |name: &str| -> Vec<&str> {
        form.iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
            .collect()
    };
    let policy = &cx.app.policy;
    let mut subjects: Vec<Subject> = Vec::new();
    for p in all("person").into_iter().collect::<BTreeSet<_>>() {
        match users::get(&cx.app.db, p).await {
            Ok(Some(u)) if !u.disabled => subjects.push(Subject::User(UserId::from(u.id))),
            Ok(_) => return Err(view::invalid(cx.t("console_unknown_person").await, "grant")),
            Err(e) => {
                // The store's detail goes to the log only.
                let e = HttpError::from(e);
                return Err(Notice {
                    status: e.status,
                    message: e.message,
                    form: "grant",
                    key: None,
                });
            }
        }
    }
    let number = field("national_number");
    if !number.is_empty() {
        let Ok(n) = NationalNumber::parse(number) else {
            return Err(view::invalid(cx.t("console_nrn_invalid").await, "grant"));
        };
        let h = policy
            .remember_masked_number(&n, cx.app.keys.nrn_key())
            .await
            .map_err(|e| view::policy_notice(e, "grant"))?;
        subjects.push(Subject::Pending(h));
    }
    if subjects.is_empty() {
        return Err(view::invalid(
            cx.t("console_grant_no_person").await,
            "grant",
        ));
    }
    let scope = if field("scope") == "services" {
        let list: Vec<ServiceId> = all("service").into_iter().map(ServiceId::from).collect();
        if list.is_empty() {
            return Err(view::invalid(
                cx.t("console_grant_no_service").await,
                "grant",
            ));
        }
        Scope::Services(list)
    } else {
        Scope::Structure
    };
    let until = match field("until") {
        "" => None,
        d => match view::end_of_day(d) {
            Some(ms) => Some(ms),
            None => return Err(view::invalid(cx.t("console_date_invalid").await, "grant")),
        },
    };
    let right = RightId::from(field("right"));
    policy
        .may_grant(&cx.actor, &cx.id, &right, &scope, until)
        .await
        .map_err(|e| view::policy_notice(e, "grant"))?;
    for subject in &subjects {
        policy
            .grant(
                &cx.actor,
                &GrantRequest {
                    structure: cx.id.clone(),
                    subject: subject.clone(),
                    right: right.clone(),
                    scope: scope.clone(),
                    valid_until: until,
                },
            )
            .await
            .map_err(|e| view::policy_notice(e, "grant"))?;
    }
    Ok(subjects.len())
}

#[derive(Debug, Deserialize)]
struct LevelForm {
    right: String,
}

/// POST /admin/structures/{id}/people/grants/{grant}/level. Needs: revoking the grant
/// and granting the new level (the policy's rules), CSRF.
async fn change_level(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path((id, grant)): Path<(String, String)>,
    CsrfForm { session, form }: CsrfForm<LevelForm>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    if let Some(r) = view::stranger(&cx).await {
        return r;
    }
    let outcome = app
        .policy
        .change_level(&cx.actor, &GrantId::from(grant), &RightId::from(form.right))
        .await
        .map_err(|e| view::policy_notice(e, "grants"));
    answer(&cx, outcome, "level_changed").await
}

#[derive(Debug, Deserialize)]
struct RenewForm {
    #[serde(default)]
    until: String,
}

/// POST /admin/structures/{id}/people/grants/{grant}/renew: a new last day (empty:
/// until revoked). Needs: granting it again (the policy's rule), CSRF.
async fn renew(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path((id, grant)): Path<(String, String)>,
    CsrfForm { session, form }: CsrfForm<RenewForm>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    if let Some(r) = view::stranger(&cx).await {
        return r;
    }
    let until = match form.until.trim() {
        "" => Ok(None),
        d => match view::end_of_day(d) {
            Some(ms) => Ok(Some(ms)),
            None => Err(view::invalid(cx.t("console_date_invalid").await, "grants")),
        },
    };
    let outcome = match until {
        Ok(until) => app
            .policy
            .renew(&cx.actor, &GrantId::from(grant), until)
            .await
            .map_err(|e| view::policy_notice(e, "grants")),
        Err(n) => Err(n),
    };
    answer(&cx, outcome, "renewed").await
}

/// POST /admin/structures/{id}/people/grants/{grant}/revoke. Needs: main manager, or
/// local manager for a grant inside their services; CSRF.
async fn revoke(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path((id, grant)): Path<(String, String)>,
    CsrfForm { session, .. }: CsrfForm<Empty>,
) -> Result<Response, HttpError> {
    let cx = Ctx::new(&app, &headers, &session, ip, id);
    if let Some(r) = view::stranger(&cx).await {
        return r;
    }
    let outcome = app
        .policy
        .revoke(&cx.actor, &GrantId::from(grant))
        .await
        .map_err(|e| view::policy_notice(e, "grants"));
    answer(&cx, outcome, "revoked").await
}
