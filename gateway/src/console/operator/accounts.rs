//! `/admin/accounts`: the operator invites a person to a local password account (email,
//! name, language of the mail); the invitation is the API's
//! (`POST /admin/api/accounts/invitations`, both call [`crate::local::invite::invite`]).
//! Without `[local]` the page says that local accounts are off.

use admin::{Invitation, InviteRefusal};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::not_operator;
use crate::console::view::{date, done, respond};
use crate::error::HttpError;
use crate::extract::{ClientIp, CsrfForm, CurrentSession};
use crate::i18n::{Lang, t, t_args};
use crate::shell::{Place, person_page};
use crate::state::AppState;
use crate::store::sessions::Session;

/// `GET /admin/accounts`, `POST /admin/accounts/invitations`.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/accounts", get(page))
        .route("/admin/accounts/invitations", post(invite))
}

/// The invitation form (kept when it comes back with an error).
#[derive(Debug, Default, Deserialize, Serialize)]
struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    lang: String,
}

#[derive(Debug, Deserialize)]
struct Done {
    done: Option<String>,
    email: Option<String>,
    until: Option<i64>,
}

/// GET /admin/accounts. Needs: operator.
async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    CurrentSession(s): CurrentSession,
    Query(q): Query<Done>,
) -> Response {
    let r = match not_operator(&app, &headers, &s).await {
        Some(r) => r,
        None => {
            let lang = crate::i18n::person_lang(&app, &headers, &s.user_id).await;
            match lang {
                Ok(lang) => {
                    let notice = match (q.done.as_deref(), q.email, q.until) {
                        (Some("invited"), Some(email), Some(until)) => Some(t_args(
                            lang,
                            "accounts_done_invited",
                            &[("email", &email), ("date", &date(until))],
                        )),
                        _ => None,
                    };
                    let form = InviteForm::default();
                    render(&app, &headers, &s, StatusCode::OK, &form, None, notice).await
                }
                Err(e) => Err(e.into()),
            }
        }
    };
    respond(&headers, r)
}

/// POST /admin/accounts/invitations: invite a person. Needs: operator and CSRF.
async fn invite(
    State(app): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    CsrfForm { session, form }: CsrfForm<InviteForm>,
) -> Response {
    let r = match not_operator(&app, &headers, &session).await {
        Some(r) => r,
        None => send(&app, &headers, &session, ip, form).await,
    };
    respond(&headers, r)
}

async fn send(
    app: &AppState,
    headers: &HeaderMap,
    s: &Session,
    ip: std::net::IpAddr,
    form: InviteForm,
) -> Result<Response, HttpError> {
    let caller = crate::admin_api::caller(app, s, ip);
    let invitation = Invitation {
        email: form.email.trim().to_owned(),
        name: form.name.clone(),
        lang: Lang::from_code(&form.lang).map(|l| l.code().to_owned()),
    };
    let lang = crate::i18n::person_lang(app, headers, &s.user_id).await?;
    let (status, error) = match crate::local::invite::invite(app, &caller, &invitation).await? {
        Ok(until) => {
            let mut q = url::form_urlencoded::Serializer::new(String::new());
            q.append_pair("email", &invitation.email.to_lowercase());
            q.append_pair("until", &until.to_string());
            return Ok(done(&format!("/admin/accounts?{}", q.finish()), "invited"));
        }
        Err(InviteRefusal::Off) => (StatusCode::NOT_FOUND, t(lang, "accounts_off")),
        Err(InviteRefusal::BadEmail) => (StatusCode::BAD_REQUEST, t(lang, "accounts_bad_email")),
        Err(InviteRefusal::BadName) => (StatusCode::BAD_REQUEST, t(lang, "accounts_bad_name")),
        Err(InviteRefusal::Taken) => (StatusCode::CONFLICT, t(lang, "accounts_taken")),
    };
    render(app, headers, s, status, &form, Some(error), None).await
}

async fn render(
    app: &AppState,
    headers: &HeaderMap,
    s: &Session,
    status: StatusCode,
    form: &InviteForm,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, HttpError> {
    let local = app.config.local.is_some() && app.passwords.is_some();
    person_page(
        app,
        headers,
        s,
        Place::new("console/accounts.html", "admin", "/admin/accounts"),
        status,
        minijinja::context! {
            title_key => "accounts_title",
            local => local,
            form => form,
            error => error,
            notice => notice,
            hours => crate::local::invite::LIFETIME_MS / 3_600_000,
        },
    )
    .await
}
