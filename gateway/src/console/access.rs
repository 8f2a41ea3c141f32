//! Access requests from a refusal: when the proxy refuses a browser a page for lack of a
//! right, [`denied_page`] says which application and level was needed, names who can
//! grant it (the organisation's main managers and the local managers of the person's
//! services) and offers to ask for it (`POST /admin/access-requests`, CSRF-checked).
//! The request is stored by the policy (audited, one pending per person, structure and
//! right) and mailed to those managers, who answer it from the structure's requests page.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use policy::{Actor, PolicyError, RequestStatus, StructureId, UserId};
use serde::Deserialize;

use super::habilitations::application_name;
use super::view::{mail_person, person_name, respond};
use crate::error::{HttpError, from_policy};
use crate::extract::{ClientIp, CsrfForm};
use crate::i18n::{t, t_args};
use crate::state::AppState;
use crate::store::sessions::Session;

/// `POST /admin/access-requests`.
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/admin/access-requests", post(ask))
}

/// The label of a right (application and level) as the catalogue names it.
async fn right_label(app: &AppState, application: &str, level: &str) -> String {
    match app.policy.right_by_name(application, level).await {
        Ok(r) => r.label,
        Err(_) => format!("{} / {level}", application_name(app, application)),
    }
}

/// The 403 page of a browser refused a policy route for lack of `application`/`level`
/// in its active organisation: what was needed, who can grant it, and the form to ask.
pub async fn denied_page(
    app: &AppState,
    session: &Session,
    headers: &HeaderMap,
    application: &str,
    level: &str,
    return_to: &str,
) -> Result<Response, HttpError> {
    let user = UserId::from(session.user_id.as_str());
    let mut granters = Vec::new();
    let mut organisation = String::new();
    let mut pending = false;
    if let Some(structure) = session.structure_id.as_deref() {
        let structure = StructureId::from(structure);
        pending = app
            .policy
            .my_access_requests(&user)
            .await
            .map_err(from_policy)?
            .iter()
            .any(|r| {
                r.status == RequestStatus::Pending
                    && r.structure_id == structure
                    && r.right.application == application
                    && r.right.level == level
            });
        organisation = app
            .policy
            .structure(&structure)
            .await
            .map_err(from_policy)?
            .common_name;
        for u in app
            .policy
            .access_granters(&structure, &user)
            .await
            .map_err(from_policy)?
        {
            granters.push(person_name(app, u.as_str()).await?);
        }
    }
    crate::shell::person_page(
        app,
        headers,
        session,
        crate::shell::Place::new("console/access_denied.html", application, return_to),
        StatusCode::FORBIDDEN,
        minijinja::context! {
            title_key => "acc_title",
            application => application,
            application_name => application_name(app, application),
            level => level,
            right => right_label(app, application, level).await,
            organisation => organisation,
            granters => granters,
            pending => pending,
        },
    )
    .await
}

#[derive(Debug, Deserialize)]
pub(super) struct AskForm {
    application: String,
    level: String,
    #[serde(default)]
    comment: String,
}

/// POST /admin/access-requests (`application`, `level`, `comment` optional): ask the
/// active organisation's managers for a right. Needs a session attached to that
/// organisation, and the CSRF token. The managers who can grant it are mailed.
async fn ask(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CsrfForm { session: s, form }: CsrfForm<AskForm>,
) -> Response {
    let r = async {
        let lang = crate::i18n::person_lang(&app, &headers, &s.user_id).await?;
        let Some(structure) = s.structure_id.as_deref().map(StructureId::from) else {
            return Err(HttpError::forbidden(t(lang, "acc_error_no_organisation")));
        };
        let actor = Actor::user(s.user_id.as_str(), Some(ip.to_string()));
        let comment = Some(form.comment.as_str()).filter(|c| !c.trim().is_empty());
        let request = match app
            .policy
            .request_access(&actor, &structure, &form.application, &form.level, comment)
            .await
        {
            Ok(r) => r,
            Err(PolicyError::Conflict(_)) => {
                return Err(HttpError::new(
                    StatusCode::CONFLICT,
                    "conflict",
                    t(lang, "acc_error_pending"),
                ));
            }
            Err(e) => return Err(from_policy(e)),
        };
        let st = app
            .policy
            .structure(&structure)
            .await
            .map_err(from_policy)?;
        let requester = person_name(&app, &s.user_id).await?;
        let link = app
            .config
            .server
            .public_url
            .join(&format!(
                "/admin/structures/{}/requests",
                structure.as_str()
            ))
            .map_err(HttpError::internal)?;
        for manager in app
            .policy
            .access_granters(&structure, &request.user_id)
            .await
            .map_err(from_policy)?
        {
            mail_person(&app, manager.as_str(), |lang, name| {
                (
                    t_args(
                        lang,
                        "acc_mail_subject",
                        &[("requester", &requester), ("right", &request.right.label)],
                    ),
                    t_args(
                        lang,
                        "acc_mail_body",
                        &[
                            ("name", name),
                            ("requester", &requester),
                            ("right", &request.right.label),
                            ("organisation", &st.common_name),
                            ("link", link.as_str()),
                        ],
                    ),
                )
            })
            .await?;
        }
        Ok(Redirect::to("/admin/mine/habilitations?done=access_requested").into_response())
    }
    .await;
    respond(&headers, r)
}
