//! `GET /admin/`: the organisations the person represents or manages, with their role in
//! each, and the operator's entry for a platform operator.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;

use crate::error::{HttpError, from_policy};
use crate::extract::CurrentSession;
use crate::state::AppState;

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    name: String,
    number: String,
    representative: bool,
    manager: bool,
}

/// GET /admin/. Needs a session.
pub(super) async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    CurrentSession(s): CurrentSession,
) -> Result<Response, HttpError> {
    let user = policy::UserId::from(s.user_id.as_str());
    let represented = app
        .policy
        .represented_structures(&user)
        .await
        .map_err(from_policy)?;
    let managed = app
        .policy
        .managed_structures(&user)
        .await
        .map_err(from_policy)?;
    let mut rows: Vec<Row> = Vec::new();
    for (st, representative) in represented
        .into_iter()
        .map(|s| (s, true))
        .chain(managed.into_iter().map(|s| (s, false)))
    {
        if let Some(row) = rows.iter_mut().find(|r| r.id == st.id.0) {
            row.representative |= representative;
            row.manager |= !representative;
            continue;
        }
        rows.push(Row {
            id: st.id.0,
            name: st.common_name,
            number: st.enterprise_number,
            representative,
            manager: !representative,
        });
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    let operator = crate::admin_api::is_operator(&app, &s);
    let pending = if operator {
        super::mine::pending_structures(&app).await?
    } else {
        Vec::new()
    };
    crate::shell::person_page(
        &app,
        &headers,
        &s,
        crate::shell::Place::new("console/index.html", "admin", "/admin/"),
        StatusCode::OK,
        minijinja::context! { title_key => "console_title", rows => rows, operator => operator, pending => pending },
    )
    .await
}
