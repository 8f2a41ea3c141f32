//! HTML pages of the vouchers backend (no JavaScript): home with the counts of contested
//! and unpaid prestations, the user list with filters, sort and `.xlsx` download, the
//! pre-filled registration form, a user's wallet (vouchers under the holder's shown
//! name), authorizations, purchases and invoices, providers with their history, and
//! prestations. Forms carry a CSRF token; a refused change re-renders the page with the
//! reason.

mod agency;

use std::collections::HashMap;

use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use backend_kit::error::PageError;
use backend_kit::{ApiError, Caller};
use serde_json::{Value, json};

use crate::agency::AgencyError;
use crate::userlist::{ListQuery, PrefillQuery};
use crate::users::{ContactInput, RenewInput, UserInput};
use crate::wallet::PurchaseInput;
use crate::{AppState, RIGHT_MODIFY, RIGHT_READ, euros};

pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    ("home.html", include_str!("../../templates/home.html")),
    ("users.html", include_str!("../../templates/users.html")),
    (
        "user_form.html",
        include_str!("../../templates/user_form.html"),
    ),
    ("user.html", include_str!("../../templates/user.html")),
    (
        "providers.html",
        include_str!("../../templates/providers.html"),
    ),
    (
        "provider.html",
        include_str!("../../templates/provider.html"),
    ),
    ("works.html", include_str!("../../templates/works.html")),
    (
        "work_form.html",
        include_str!("../../templates/work_form.html"),
    ),
    ("work.html", include_str!("../../templates/work.html")),
    (
        "invoices.html",
        include_str!("../../templates/invoices.html"),
    ),
    ("invoice.html", include_str!("../../templates/invoice.html")),
    ("me.html", include_str!("../../templates/me.html")),
    ("labels.html", include_str!("../../templates/labels.html")),
];

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/users", get(users).post(register))
        .route("/users/new", get(new_user))
        .route("/users/{id}", get(user))
        .route("/users/{id}/link-code", post(link_code))
        .route("/users/{id}/{action}", post(user_action))
        .route("/me", get(me))
        .route("/me/link", post(link))
        .merge(agency::router())
}

pub(super) type Fields = HashMap<String, String>;

pub(super) fn field(f: &Fields, k: &str) -> Option<String> {
    f.get(k)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

pub(super) fn csrf(
    app: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    f: &Fields,
) -> Result<(), ApiError> {
    app.templates.csrf().check(
        caller,
        headers,
        f.get("_csrf").map(String::as_str).unwrap_or_default(),
    )
}

pub(super) fn page(
    app: &AppState,
    caller: &Caller,
    name: &str,
    ctx: Value,
    error: Option<ApiError>,
) -> Result<Response, ApiError> {
    let mut ctx = ctx;
    let status = match &error {
        Some(e) => {
            ctx["error"] = json!(e.message_in(caller.lang()));
            e.status_code()
        }
        None => StatusCode::OK,
    };
    Ok((status, app.templates.render(name, caller, ctx)?).into_response())
}

pub(super) fn to(app: &AppState, path: &str) -> Response {
    Redirect::to(&format!("{}{path}", app.templates.base())).into_response()
}

/// A domain refusal is answered on the page; anything else is an error page.
pub(super) fn shown(e: AgencyError) -> Result<ApiError, PageError> {
    match ApiError::from(e) {
        e @ (ApiError::Invalid(_) | ApiError::Conflict { .. }) => Ok(e),
        other => Err(PageError(other)),
    }
}

/// `GET /` — `read`. A person acting as themselves sees their wallets.
async fn home(State(app): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    if caller.0.acts_as_self() {
        return me_page(&app, &caller, None, None).await;
    }
    let (contested, unpaid) = app.agency.counts(&caller).await?;
    Ok(page(
        &app,
        &caller,
        "home.html",
        json!({ "contested": contested, "unpaid": unpaid }),
        None,
    )?)
}

/// `GET /users?...` — `read`. Filters, sort and the download link with the same query.
async fn users(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    let (rows, error) = match app.agency.list_users(&caller, &q).await {
        Ok(rows) => (rows, None),
        Err(e) => (Vec::new(), Some(shown(e)?)),
    };
    let ctx = json!({ "rows": rows, "q": q, "query": raw.unwrap_or_default() });
    Ok(page(&app, &caller, "users.html", ctx, error)?)
}

async fn user_form(
    app: &AppState,
    caller: &Caller,
    q: &PrefillQuery,
    values: Option<Value>,
    error: Option<ApiError>,
) -> Result<Response, PageError> {
    let draft = match app.agency.prefill(caller, q).await {
        Ok(d) => json!(d),
        Err(e) => {
            let e = shown(e)?;
            let ctx = json!({ "draft": { "input": {}, "sources": [] }, "v": values.unwrap_or(json!({})), "lookup": q_json(q) });
            return Ok(page(app, caller, "user_form.html", ctx, Some(e))?);
        }
    };
    let v = values.unwrap_or_else(|| draft["input"].clone());
    let ctx = json!({ "draft": draft, "v": v, "lookup": q_json(q) });
    Ok(page(app, caller, "user_form.html", ctx, error)?)
}

fn q_json(q: &PrefillQuery) -> Value {
    json!({ "kind": q.kind, "enterprise_number": q.enterprise_number, "email": q.email })
}

/// `GET /users/new?kind=&enterprise_number=&email=` — `modify`. The pre-filled form.
async fn new_user(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<PrefillQuery>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    user_form(&app, &caller, &q, None, None).await
}

/// `POST /users` (form) — `modify`.
async fn register(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    csrf(&app, &caller, &headers, &f)?;
    let input = UserInput {
        kind: field(&f, "kind").unwrap_or_default(),
        first_name: field(&f, "first_name"),
        last_name: field(&f, "last_name"),
        legal_name: field(&f, "legal_name"),
        common_name: field(&f, "common_name"),
        enterprise_number: field(&f, "enterprise_number"),
        email: field(&f, "email"),
        phone: field(&f, "phone"),
        street: field(&f, "street"),
        postcode: field(&f, "postcode"),
        city: field(&f, "city"),
        language: field(&f, "language"),
        valid_from: field(&f, "valid_from"),
        valid_until: field(&f, "valid_until"),
    };
    match app.agency.register(&caller, &input).await {
        Ok(u) => Ok(to(&app, &format!("/users/{}", u.id))),
        Err(e) => {
            let e = shown(e)?;
            user_form(
                &app,
                &caller,
                &PrefillQuery::default(),
                Some(json!(input)),
                Some(e),
            )
            .await
        }
    }
}

async fn user_page(
    app: &AppState,
    caller: &Caller,
    id: &str,
    error: Option<ApiError>,
) -> Result<Response, PageError> {
    user_page_with(app, caller, id, None, error).await
}

async fn user_page_with(
    app: &AppState,
    caller: &Caller,
    id: &str,
    code: Option<crate::myself::LinkCode>,
    error: Option<ApiError>,
) -> Result<Response, PageError> {
    let mut ctx = crate::api::user_view(app, caller, id).await?;
    ctx["link_code"] = json!(code);
    ctx["price"] = json!(euros(app.agency.voucher_price_cents));
    ctx["today"] = json!(app.agency.today().to_string());
    Ok(page(app, caller, "user.html", ctx, error)?)
}

/// `GET /users/{id}` — `read`.
async fn user(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    user_page(&app, &caller, &id, None).await
}

/// `POST /users/{id}/{renew|purchase|contact}` (form) — `modify`.
async fn user_action(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    csrf(&app, &caller, &headers, &f)?;
    let result = match action.as_str() {
        "renew" => {
            let input = RenewInput {
                valid_from: field(&f, "valid_from"),
                valid_until: field(&f, "valid_until"),
            };
            app.agency.renew(&caller, &id, &input).await.map(|_| ())
        }
        "purchase" => {
            let quantity = field(&f, "quantity")
                .and_then(|q| q.parse().ok())
                .unwrap_or(0);
            app.agency
                .purchase(&caller, &id, &PurchaseInput { quantity })
                .await
                .map(|_| ())
        }
        "contact" => {
            let input = ContactInput {
                email: field(&f, "email"),
                phone: field(&f, "phone"),
                common_name: field(&f, "common_name"),
                street: field(&f, "street"),
                postcode: field(&f, "postcode"),
                city: field(&f, "city"),
            };
            app.agency
                .update_contact(&caller, &id, &input)
                .await
                .map(|_| ())
        }
        _ => {
            return Err(ApiError::not_found(backend_kit::texts::t(
                caller.lang(),
                "kit_unknown_action",
            ))
            .into());
        }
    };
    match result {
        Ok(()) => Ok(to(&app, &format!("/users/{id}"))),
        Err(e) => {
            let e = shown(e)?;
            user_page(&app, &caller, &id, Some(e)).await
        }
    }
}

/// `POST /users/{id}/link-code` (form) — `modify`. Show a one-time code the user enters
/// to see their wallet online.
async fn link_code(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    csrf(&app, &caller, &headers, &f)?;
    match app.agency.link_code(&caller, &id).await {
        Ok(code) => user_page_with(&app, &caller, &id, Some(code), None).await,
        Err(e) => {
            let e = shown(e)?;
            user_page(&app, &caller, &id, Some(e)).await
        }
    }
}

async fn me_page(
    app: &AppState,
    caller: &Caller,
    notice: Option<String>,
    error: Option<ApiError>,
) -> Result<Response, PageError> {
    let wallets = app.agency.my_wallets(caller).await?;
    let ctx = json!({ "wallets": wallets, "notice": notice });
    Ok(page(app, caller, "me.html", ctx, error)?)
}

/// `GET /me` — `read`, acting as oneself. The person's wallets and prestations.
async fn me(State(app): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    caller.require(RIGHT_READ)?;
    me_page(&app, &caller, None, None).await
}

/// `POST /me/link` (form: `code`) — `modify`, acting as oneself.
async fn link(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    caller.require(RIGHT_MODIFY)?;
    csrf(&app, &caller, &headers, &f)?;
    match app
        .agency
        .link(&caller, &field(&f, "code").unwrap_or_default())
        .await
    {
        Ok(agency) => {
            me_page(
                &app,
                &caller,
                Some(crate::texts::t_args(
                    caller.lang(),
                    "vouchers_wallet_linked",
                    &[("agency", &agency)],
                )),
                None,
            )
            .await
        }
        Err(e) => {
            let e = shown(e)?;
            me_page(&app, &caller, None, Some(e)).await
        }
    }
}
