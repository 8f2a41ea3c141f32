//! `/admin/register`: the operator uploads a company-register extract (CSV); the import
//! is the API's (`admin::import_register`: the policy's import, audited with the
//! operator's name); the page shows what became of each line and the totals.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use policy::PolicyError;
use policy::representatives::{ImportOutcome, ImportReport};
use serde::Serialize;

use super::not_operator;
use crate::console::view::respond;
use crate::error::{HttpError, from_policy};
use crate::extract::{ClientIp, CsrfMultipart, CurrentSession, MAX_UPLOAD_BYTES};
use crate::i18n::t;
use crate::shell::{Place, person_page};
use crate::state::AppState;
use crate::store::sessions::Session;

/// `GET /admin/register`, `POST /admin/register` (multipart: `csrf`, `extract`).
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/admin/register", get(page).post(upload))
}

#[derive(Debug, Serialize)]
struct LineRow {
    line: usize,
    number: String,
    outcome: String,
    reason: String,
}

#[derive(Debug, Serialize)]
struct Totals {
    lines: usize,
    created: usize,
    changed: usize,
    unchanged: usize,
    refused: usize,
    structures_created: usize,
}

/// GET /admin/register. Needs: operator.
async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    CurrentSession(s): CurrentSession,
) -> Response {
    let r = match not_operator(&app, &headers, &s).await {
        Some(r) => r,
        None => render(&app, &headers, &s, StatusCode::OK, None, None).await,
    };
    respond(&headers, r)
}

/// POST /admin/register: import the uploaded extract. Needs: operator and CSRF.
async fn upload(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    form: CsrfMultipart,
) -> Response {
    let s = &form.session;
    let r = match not_operator(&app, &headers, s).await {
        Some(r) => r,
        None => import(&app, &headers, s, ip, &form).await,
    };
    respond(&headers, r)
}

async fn import(
    app: &AppState,
    headers: &HeaderMap,
    s: &Session,
    ip: std::net::IpAddr,
    form: &CsrfMultipart,
) -> Result<Response, HttpError> {
    let bytes = form
        .fields
        .get("extract")
        .map(Vec::as_slice)
        .unwrap_or_default();
    let Ok(text) = std::str::from_utf8(bytes) else {
        let lang = crate::i18n::person_lang(app, headers, &s.user_id).await?;
        let why = t(lang, "register_not_text");
        return render(app, headers, s, StatusCode::BAD_REQUEST, None, Some(why)).await;
    };
    let caller = crate::admin_api::caller(app, s, ip);
    match admin::import_register(&app.policy, app.keys.nrn_key(), &caller, text, "console").await {
        Ok(report) => render(app, headers, s, StatusCode::OK, Some(&report), None).await,
        Err(PolicyError::Invalid(why)) => {
            render(app, headers, s, StatusCode::BAD_REQUEST, None, Some(why)).await
        }
        Err(e) => Err(from_policy(e)),
    }
}

async fn render(
    app: &AppState,
    headers: &HeaderMap,
    s: &Session,
    status: StatusCode,
    report: Option<&ImportReport>,
    refused: Option<String>,
) -> Result<Response, HttpError> {
    let lang = crate::i18n::person_lang(app, headers, &s.user_id).await?;
    let lines: Vec<LineRow> = report
        .map(|r| {
            r.outcomes
                .iter()
                .map(|l| LineRow {
                    line: l.line,
                    number: l.enterprise_number.clone().unwrap_or_default(),
                    outcome: match l.outcome {
                        ImportOutcome::Created => t(lang, "register_outcome_created"),
                        ImportOutcome::Changed => t(lang, "register_outcome_changed"),
                        ImportOutcome::Unchanged => t(lang, "register_outcome_unchanged"),
                        ImportOutcome::Refused => t(lang, "register_outcome_refused"),
                    },
                    reason: l.reason.clone().unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let totals = report.map(|r| Totals {
        lines: r.lines,
        created: r.inserted,
        changed: r.updated,
        unchanged: r.unchanged,
        refused: r.errors.len(),
        structures_created: r.structures_created,
    });
    person_page(
        app,
        headers,
        s,
        Place::new("console/register.html", "admin", "/admin/register"),
        status,
        minijinja::context! {
            title_key => "register_title",
            lines => lines,
            totals => totals,
            refused => refused,
            max_mib => MAX_UPLOAD_BYTES / (1024 * 1024),
            columns => policy::representatives::COLUMNS.join(";"),
        },
    )
    .await
}
