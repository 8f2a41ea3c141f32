//! `/account/deactivate`: the person closes their account. Refused while they are the
//! last main access manager of an organisation (the policy's `may_deactivate`; the page
//! names those organisations and asks for a successor first). Otherwise the account is
//! marked deactivated (audited), every session of the person ends, and logging in is
//! refused with a page saying why until an operator reactivates the account
//! (`POST /admin/api/people/{id}/reactivate`).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::audit_person;
use super::sessions::end_all;
use crate::error::{HttpError, from_policy};
use crate::extract::{ClientIp, CsrfForm, CurrentSession, csrf_token};
use crate::i18n::{person_lang, t};
use crate::shell::{Place, person_page};
use crate::state::AppState;
use crate::store::account;
use crate::store::now_ms;
use crate::store::sessions::Session;

#[derive(Serialize)]
struct Organisation {
    name: String,
    number: String,
}

/// The organisations whose last main manager the person is.
async fn blocking(app: &AppState, s: &Session) -> Result<Vec<Organisation>, HttpError> {
    let user = policy::UserId::from(s.user_id.as_str());
    Ok(app
        .policy
        .sole_main_manager_of(&user)
        .await
        .map_err(from_policy)?
        .into_iter()
        .map(|st| Organisation {
            name: st.common_name,
            number: st.enterprise_number,
        })
        .collect())
}

async fn render(
    app: &AppState,
    headers: &HeaderMap,
    s: &Session,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, HttpError> {
    let organisations = blocking(app, s).await?;
    person_page(
        app,
        headers,
        s,
        Place::new("account/deactivate.html", "account", "/account/deactivate"),
        status,
        minijinja::context! {
            title_key => "deactivate_title",
            csrf => csrf_token(app, s),
            organisations => organisations,
            error => error,
        },
    )
    .await
}

/// GET /account/deactivate. Needs a session.
pub(super) async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    CurrentSession(s): CurrentSession,
) -> Result<Response, HttpError> {
    render(&app, &headers, &s, StatusCode::OK, None).await
}

#[derive(Deserialize)]
pub(super) struct DeactivateForm {
    confirm: Option<String>,
}

/// POST /account/deactivate (`confirm`). Needs a session and its CSRF token, the box
/// ticked (else 422) and the policy's consent (else 409 naming the organisations).
pub(super) async fn deactivate(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CsrfForm { session: s, form }: CsrfForm<DeactivateForm>,
) -> Result<Response, HttpError> {
    let lang = person_lang(&app, &headers, &s.user_id).await?;
    let user = policy::UserId::from(s.user_id.as_str());
    match app.policy.may_deactivate(&user).await {
        Ok(()) => {}
        Err(policy::PolicyError::LastMainManager) => {
            return render(&app, &headers, &s, StatusCode::CONFLICT, None).await;
        }
        Err(e) => return Err(from_policy(e).for_request(&headers)),
    }
    if form.confirm.as_deref() != Some("yes") {
        let error = t(lang, "deactivate_err_confirm");
        return render(
            &app,
            &headers,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(error),
        )
        .await;
    }
    account::deactivate(&app.db, &s.user_id, now_ms()).await?;
    let ended = end_all(&app, &s.user_id, None).await?;
    tracing::info!(user = %s.user_id, sessions = ended.len(), "account deactivated by its person");
    audit_person(
        &app,
        &s,
        ip,
        policy::audit::actions::ACCOUNT_DEACTIVATE,
        serde_json::json!({ "sessions_ended": ended.len() }),
    )
    .await;
    let mut r = crate::pages::page(
        "account/deactivated.html",
        StatusCode::OK,
        lang,
        minijinja::context! { title => t(lang, "deactivated_title") },
    );
    crate::cookies::append(r.headers_mut(), app.cookies.clear_session());
    Ok(r)
}
