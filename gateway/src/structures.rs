//! The active structure: which organisation a person acts for, chosen after login and
//! switched at any time without logging out (`POST /auth/structure`).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::error::HttpError;
use crate::extract::CsrfForm;
use crate::state::AppState;
use crate::store::sessions::Session;
use web::wants_html;

/// `POST /auth/structure`.
pub fn router() -> Router<AppState> {
    Router::new().route("/auth/structure", post(switch))
}

/// A structure a person may act for, with the services they are attached to there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StructureChoice {
    /// Id.
    pub id: String,
    /// Enterprise number.
    pub number: String,
    /// Common name.
    pub name: String,
    /// Service ids the person may act in (empty: the whole structure).
    pub services: Vec<String>,
    /// The ids of the structure's real services the person may choose: the services of
    /// their attachment, or every service of the structure when attached to the whole.
    #[serde(skip)]
    pub selectable: Vec<String>,
}

/// The structures the session's person may act for (empty when the model cannot be
/// read: nobody gets a structure they were not shown).
pub async fn choices(app: &AppState, session: &Session) -> Vec<StructureChoice> {
    match app.policy.structures_of(&session.user_id).await {
        Ok(list) => list
            .into_iter()
            .map(|s| {
                let selectable: Vec<String> = s.services.into_iter().map(|v| v.id.0).collect();
                StructureChoice {
                    id: s.id.0,
                    number: s.enterprise_number,
                    name: s.common_name,
                    services: if s.whole_structure {
                        Vec::new()
                    } else {
                        selectable.clone()
                    },
                    selectable,
                }
            })
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "structures of a person could not be read");
            Vec::new()
        }
    }
}

#[derive(Debug, Deserialize)]
struct SwitchForm {
    /// An organisation's id, or `myself` to act as oneself.
    structure_id: String,
    /// Comma-separated service codes; empty: every service the person is attached to.
    #[serde(default)]
    services: Option<String>,
    /// Where a browser goes next (same-origin only; the home page when absent).
    #[serde(default)]
    return_to: Option<String>,
}

/// At login: a person with no organisation at all acts as themselves at once; a person
/// with exactly one organisation acts for it at once; a person with several acts again
/// for the one they chose last, if they still may. Nothing is chosen otherwise (the
/// shell's switcher lists them, and "myself").
pub async fn choose_at_login(app: &AppState, session: &Session) {
    let choices = choices(app, session).await;
    if choices.is_empty() {
        if let Err(e) = app.sessions.set_myself(&session.token_hash).await {
            tracing::warn!(error = %e, sid = %session.sid, "acting as oneself not set at login");
        }
        return;
    }
    let pick = if let [only] = choices.as_slice() {
        Some(only)
    } else {
        match crate::store::users::last_structure(&app.db, &session.user_id).await {
            Ok(Some(last)) => choices.iter().find(|c| c.id == last),
            Ok(None) => None,
            Err(e) => {
                tracing::warn!(error = %e, "last organisation could not be read");
                None
            }
        }
    };
    let Some(choice) = pick else {
        return;
    };
    if let Err(e) = app
        .sessions
        .set_structure(&session.token_hash, Some(&choice.id), &choice.services)
        .await
    {
        tracing::warn!(error = %e, sid = %session.sid, "organisation not chosen at login");
    }
}

/// Switch the active structure (and service scope) of the current session. Needs a
/// session and its CSRF token; only a structure (and services) the person is attached to.
async fn switch(
    State(app): State<AppState>,
    headers: HeaderMap,
    CsrfForm { session, form }: CsrfForm<SwitchForm>,
) -> Result<Response, HttpError> {
    let html = wants_html(&headers);
    if form.structure_id == crate::store::sessions::MYSELF {
        return act_as_myself(&app, &session, html, form.return_to.as_deref()).await;
    }
    let choices = choices(&app, &session).await;
    let Some(choice) = choices.iter().find(|c| c.id == form.structure_id) else {
        return Err(
            HttpError::forbidden("You cannot act for this organisation.").for_request(&headers),
        );
    };
    let wanted: Vec<String> = form
        .services
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    // Only real services of this structure that the person may act in: what the
    // assertion then states is a fact of the model, never the client's text.
    let services = if wanted.is_empty() {
        choice.services.clone()
    } else if wanted.iter().all(|w| choice.selectable.contains(w)) {
        let mut unique: Vec<String> = Vec::with_capacity(wanted.len());
        for w in wanted {
            if !unique.contains(&w) {
                unique.push(w);
            }
        }
        unique
    } else {
        return Err(
            HttpError::forbidden("You are not attached to these services.").for_request(&headers),
        );
    };
    app.sessions
        .set_structure(&session.token_hash, Some(&choice.id), &services)
        .await?;
    app.assertions.forget_session(&session.sid);
    if let Err(e) =
        crate::store::users::set_last_structure(&app.db, &session.user_id, &choice.id).await
    {
        tracing::warn!(error = %e, "last organisation not remembered");
    }
    app.audit(
        Some(&session.user_id),
        policy::audit::actions::STRUCTURE_SWITCH,
        &session.user_id,
        Some(&choice.id),
        session.ip.as_deref(),
        json!({ "sid": session.sid }),
    )
    .await;
    tracing::info!(sid = %session.sid, structure = %choice.id, "structure switched");
    if html {
        let target = crate::pages::safe_return_to(form.return_to.as_deref());
        Ok(Redirect::to(&target).into_response())
    } else {
        Ok(Json(json!({ "structure_id": choice.id, "services": services })).into_response())
    }
}

/// `structure_id=myself`: act as oneself, a private person (anyone logged in may).
async fn act_as_myself(
    app: &AppState,
    session: &Session,
    html: bool,
    return_to: Option<&str>,
) -> Result<Response, HttpError> {
    app.sessions.set_myself(&session.token_hash).await?;
    app.assertions.forget_session(&session.sid);
    app.audit(
        Some(&session.user_id),
        policy::audit::actions::STRUCTURE_SWITCH,
        &session.user_id,
        None,
        session.ip.as_deref(),
        json!({ "sid": session.sid, "acting": "myself" }),
    )
    .await;
    tracing::info!(sid = %session.sid, "acting as oneself");
    if html {
        let target = crate::pages::safe_return_to(return_to);
        Ok(Redirect::to(&target).into_response())
    } else {
        Ok(
            Json(json!({ "structure_id": crate::store::sessions::MYSELF, "services": [] }))
                .into_response(),
        )
    }
}
