//! `/admin/organisations?q=&type=&status=&page=`: every organisation, searched by
//! number (with or without dots), name, kind of number, or only those pending (created
//! by an attachment request, not yet named by the register); paged; each links to its
//! page. The policy's search, in one query.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use policy::PolicyError;
use policy::ids::OrgNumberKind;
use policy::structures::StructureSearch;
use serde::{Deserialize, Serialize};

use super::not_operator;
use crate::console::view::{date, respond};
use crate::error::{HttpError, from_policy};
use crate::extract::CurrentSession;
use crate::i18n::t;
use crate::shell::{Place, person_page};
use crate::state::AppState;
use crate::store::sessions::Session;

/// Organisations a page shows.
const PAGE_SIZE: u32 = 20;

/// `GET /admin/organisations`.
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/admin/organisations", get(page))
}

/// The search, as the address carries it (and the form shows it back).
#[derive(Debug, Default, Deserialize, Serialize)]
struct Search {
    #[serde(default)]
    q: String,
    /// `be`, `siren`, `siret`; empty: any.
    #[serde(default, rename = "type")]
    kind: String,
    /// `pending`; empty: any.
    #[serde(default)]
    status: String,
    /// 1-based.
    #[serde(default)]
    page: Option<u32>,
}

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    number: String,
    name: String,
    legal_name: String,
    kind: String,
    pending_since: Option<String>,
}

/// GET /admin/organisations. Needs: operator.
async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    CurrentSession(s): CurrentSession,
    Query(q): Query<Search>,
) -> Response {
    let r = match not_operator(&app, &headers, &s).await {
        Some(r) => r,
        None => render(&app, &headers, &s, q).await,
    };
    respond(&headers, r)
}

async fn render(
    app: &AppState,
    headers: &HeaderMap,
    s: &Session,
    q: Search,
) -> Result<Response, HttpError> {
    let lang = crate::i18n::person_lang(app, headers, &s.user_id).await?;
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let kind = OrgNumberKind::from_code(q.kind.trim());
    let search = StructureSearch {
        text: q.q.clone(),
        kind,
        pending: q.status == "pending",
        offset: (page - 1) * PAGE_SIZE,
        // One more than shown: whether there is a next page.
        limit: PAGE_SIZE + 1,
    };
    let (mut found, refused) = match app.policy.find_structures(&search).await {
        Ok(v) => (v, None),
        Err(PolicyError::Invalid(_)) => (Vec::new(), Some(t(lang, "orgs_text_too_long"))),
        Err(e) => return Err(from_policy(e)),
    };
    let more = found.len() > PAGE_SIZE as usize;
    found.truncate(PAGE_SIZE as usize);
    let rows: Vec<Row> = found
        .into_iter()
        .map(|f| Row {
            id: f.structure.id.0,
            number: f.structure.enterprise_number,
            name: f.structure.common_name,
            legal_name: f.structure.legal_name,
            kind: match f.structure.number_kind {
                OrgNumberKind::Be => t(lang, "orgs_kind_be"),
                OrgNumberKind::Siren => t(lang, "orgs_kind_siren"),
                OrgNumberKind::Siret => t(lang, "orgs_kind_siret"),
            },
            pending_since: f.pending_since.map(date),
        })
        .collect();
    let link = |p: u32| {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("q", &q.q);
        query.append_pair("type", kind.map_or("", OrgNumberKind::as_str));
        query.append_pair("status", if search.pending { "pending" } else { "" });
        query.append_pair("page", &p.to_string());
        format!("/admin/organisations?{}", query.finish())
    };
    let previous = (page > 1).then(|| link(page - 1));
    let next = more.then(|| link(page + 1));
    let status = if refused.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    person_page(
        app,
        headers,
        s,
        Place::new(
            "console/organisations.html",
            "admin",
            "/admin/organisations",
        ),
        status,
        minijinja::context! {
            title_key => "orgs_title",
            q => q.q,
            kind => kind.map_or("", OrgNumberKind::as_str),
            pending => search.pending,
            rows => rows,
            refused => refused,
            page => page,
            previous => previous,
            next => next,
        },
    )
    .await
}
