//! The portal shell on the gateway's pages: who is logged in, the organisations they may
//! act for, the applications they may use there, the language switch, log out. Built
//! from the session and the policy; the backends get the same from the assertion.
//! Also the shell's two actions that belong to no other module: the language switch
//! (`POST /auth/language`) and "stay logged in" (`POST /auth/session/touch`).

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::json;

use ::i18n::shell::{self, Shell, ShellApplication, ShellPrefs, ShellStructure};

use crate::config::Access;
use crate::error::HttpError;
use crate::extract::{CsrfChecked, csrf_token, resolve_session, same_site, verify_csrf};
use crate::i18n::Lang;
use crate::live::Live;
use crate::pages::{continue_to, safe_return_to};
use crate::state::AppState;
use crate::store::{now_ms, sessions::Session};

/// `POST /auth/language`, `POST /auth/session/touch`, `GET /auth/portal.css`,
/// `GET /auth/portal.js`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/language", post(set_language))
        .route("/auth/session/touch", post(touch))
        .route("/auth/portal.css", get(stylesheet))
        .route("/auth/portal.js", get(script))
}

/// An application the person may open: id, name, same-origin URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// The route's application id (assertion audience).
    pub id: String,
    /// Its name as people read it.
    pub name: String,
    /// Where it starts (`/prestations/`).
    pub url: String,
}

/// Every application the routes publish (one per application id, the first route's
/// prefix as its address), whoever asks. The one place that says which applications
/// exist and what they are called.
pub fn published_applications(app: &AppState) -> Vec<Application> {
    published_in(&app.live())
}

fn published_in(live: &Live) -> Vec<Application> {
    let mut out: Vec<Application> = Vec::new();
    for r in live.routes.routes() {
        if r.access == Access::Denied || out.iter().any(|a| a.id == r.application) {
            continue;
        }
        out.push(Application {
            id: r.application.clone(),
            name: r.application.clone(),
            url: format!("{}/", r.prefix),
        });
    }
    out
}

/// The applications the session's person may use in their active organisation: the
/// public and "any logged-in person" ones, and those whose route is decided by the policy
/// where the person holds at least one right there.
pub fn usable_applications(app: &AppState, session: &Session) -> Vec<Application> {
    let now = now_ms();
    let live = app.live();
    published_in(&live)
        .into_iter()
        .filter(|a| {
            let routes = live
                .routes
                .routes()
                .iter()
                .filter(|r| r.application == a.id);
            let needs_policy = routes.clone().any(|r| r.access == Access::Policy);
            if !needs_policy {
                return true;
            }
            session.structure_id.as_deref().is_some_and(|structure| {
                !app.policy
                    .rights(&session.user_id, structure, &session.services, &a.id, now)
                    .is_empty()
            })
        })
        .collect()
}

/// The shell of a logged-in person's page. `current` names the part of the portal the
/// page belongs to (`account`, `home`).
pub async fn for_session(
    app: &AppState,
    session: &Session,
    lang: Lang,
    return_to: &str,
    current: &str,
) -> Shell {
    // The organisations, then "Myself": anyone logged in may act as themselves.
    let structures = crate::structures::choices(app, session)
        .await
        .into_iter()
        .map(|c| ShellStructure {
            active: session.structure_id.as_deref() == Some(c.id.as_str()),
            id: c.id,
            name: c.name,
            number: c.number,
        })
        .chain(std::iter::once(ShellStructure {
            id: crate::store::sessions::MYSELF.to_owned(),
            name: crate::i18n::t(lang, "shell_myself"),
            number: String::new(),
            active: session.myself,
        }))
        .collect();
    let applications = usable_applications(app, session)
        .into_iter()
        .map(|a| ShellApplication {
            current: a.id == current,
            id: a.id,
            name: a.name,
            url: a.url,
        })
        .collect();
    let p = display_prefs(app, &session.user_id).await;
    Shell {
        user: Some(session.display_name.clone()),
        csrf: Some(csrf_token(app, session)),
        return_to: return_to.to_owned(),
        structures,
        applications,
        languages: shell::languages(lang),
        current: current.to_owned(),
        prefs: ShellPrefs {
            large_text: p.large_text,
            reduced_motion: p.reduced_motion,
            high_contrast: p.high_contrast,
        },
    }
}

/// The person's display preferences; none when the store cannot say (the page is then
/// drawn without them rather than refused).
async fn display_prefs(app: &AppState, user_id: &str) -> assertion::DisplayPrefs {
    match crate::store::account::preferences(&app.db, user_id).await {
        Ok(p) => assertion::DisplayPrefs {
            large_text: p.large_text,
            reduced_motion: p.reduced_motion,
            high_contrast: p.high_contrast,
        },
        Err(e) => {
            tracing::warn!(error = %e, "display preferences could not be read");
            assertion::DisplayPrefs::default()
        }
    }
}

/// Where a logged-in person's page sits in the portal: its template, the part of the
/// portal it belongs to (`admin`, `account`, an application id) and the same-origin path
/// the shell's forms come back to.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// The template's name (`console/index.html`).
    pub template: &'a str,
    /// The part of the portal (highlighted in the shell's navigation).
    pub current: &'a str,
    /// Where the shell's forms (organisation, language) come back to.
    pub return_to: &'a str,
}

impl<'a> Place<'a> {
    /// A page at `return_to`, drawn by `template`, in the `current` part of the portal.
    pub fn new(template: &'a str, current: &'a str, return_to: &'a str) -> Self {
        Self {
            template,
            current,
            return_to,
        }
    }
}

/// A logged-in person's page, in their language, with the shell, never cached. `extra`
/// holds the page's own values; a `title_key` in it names the catalogue key of the
/// page's title.
pub async fn person_page(
    app: &AppState,
    headers: &HeaderMap,
    session: &Session,
    place: Place<'_>,
    status: StatusCode,
    extra: minijinja::Value,
) -> Result<Response, HttpError> {
    let lang = crate::i18n::person_lang(app, headers, &session.user_id).await?;
    let shell = for_session(app, session, lang, place.return_to, place.current).await;
    let title = extra
        .get_attr("title_key")
        .ok()
        .and_then(|v| v.as_str().map(|k| crate::i18n::t(lang, k)));
    let ctx = minijinja::context! { shell => shell, title => title, ..extra };
    Ok(crate::pages::page(place.template, status, lang, ctx))
}

/// What a backend needs to draw the shell of `session`'s person: the assertion's `shell`
/// claim.
pub async fn claims(
    app: &AppState,
    session: &Session,
    headers: &HeaderMap,
) -> assertion::ShellClaims {
    let lang = match crate::store::users::get(&app.db, &session.user_id).await {
        Ok(user) => crate::i18n::pick(app, user.and_then(|u| u.locale).as_deref(), headers),
        Err(_) => crate::i18n::pick(app, None, headers),
    };
    assertion::ShellClaims {
        lang: lang.code().to_owned(),
        orgs: crate::structures::choices(app, session)
            .await
            .into_iter()
            .map(|c| [c.id, c.name, c.number])
            .collect(),
        apps: usable_applications(app, session)
            .into_iter()
            .map(|a| [a.id, a.name, a.url])
            .collect(),
        csrf: csrf_token(app, session),
        idle_secs: app.sessions.idle_ms() / 1000,
        ends_at: session.expires_at / 1000,
        prefs: Some(display_prefs(app, &session.user_id).await),
    }
}

#[derive(Debug, Deserialize)]
struct LanguageForm {
    lang: String,
    #[serde(default)]
    return_to: Option<String>,
    #[serde(default)]
    csrf: Option<String>,
}

/// POST /auth/language (`lang`, `return_to`, `csrf`): switch the pages' language. A
/// logged-in person's choice is stored on their account (the session's CSRF token
/// needed); anyone's is kept in a cookie (sent from this site only). Then back to
/// `return_to` (same-origin only).
async fn set_language(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LanguageForm>,
) -> Result<Response, HttpError> {
    if !same_site(&app, &headers) {
        return Err(HttpError::forbidden(crate::pages::CROSS_SITE).for_request(&headers));
    }
    let Some(lang) = Lang::from_code(&form.lang).filter(|l| l.code() == form.lang) else {
        return Err(
            HttpError::bad_request("bad_language", "Unknown language.").for_request(&headers)
        );
    };
    if let Some(session) = resolve_session(&app, &headers, true).await? {
        verify_csrf(&app, &headers, &session, form.csrf.as_deref())
            .map_err(|e| e.for_request(&headers))?;
        crate::factors::store::set_locale(&app.db, &session.user_id, lang.code(), now_ms()).await?;
        app.assertions.forget_session(&session.sid);
    }
    let target = safe_return_to(form.return_to.as_deref());
    let mut r = continue_to(&headers, &target);
    if r.status() == StatusCode::OK || r.status().is_redirection() {
        crate::cookies::append(r.headers_mut(), app.cookies.set_lang(lang));
    }
    Ok(r)
}

/// POST /auth/session/touch: "stay logged in". Records activity (the idle timeout starts
/// again); needs the session's CSRF token in `X-CSRF-Token`.
async fn touch(State(app): State<AppState>, CsrfChecked(session): CsrfChecked) -> Response {
    let last_seen = app.sessions.last_seen(&session);
    let (idle, absolute) = app.sessions.remaining_secs(&session, last_seen);
    web::no_store(
        Json(json!({ "idle_remaining_secs": idle, "absolute_remaining_secs": absolute }))
            .into_response(),
    )
}

async fn stylesheet() -> Response {
    static_file("text/css; charset=utf-8", shell::STYLESHEET)
}

async fn script() -> Response {
    static_file("text/javascript; charset=utf-8", shell::SCRIPT)
}

fn static_file(content_type: &'static str, body: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    r
}

/// What an error page needs of its request, kept before the request is consumed: the
/// cookies (the session, the language choice), `Accept-Language` and the path the
/// shell's forms come back to. Cheap: shared header values.
#[derive(Debug, Clone)]
pub struct PageRequest {
    headers: HeaderMap,
    path: String,
}

impl PageRequest {
    /// What `headers` and `path` tell an error page.
    pub fn of(headers: &HeaderMap, path: &str) -> Self {
        let mut kept = HeaderMap::new();
        for name in [header::COOKIE, header::ACCEPT_LANGUAGE] {
            for value in headers.get_all(&name) {
                kept.append(name.clone(), value.clone());
            }
        }
        Self {
            headers: kept,
            path: safe_return_to(Some(path)),
        }
    }
}

/// A browser's error page: for a logged-in person in their language with their shell
/// (switcher, applications, account, log out), else in the request's language with the
/// anonymous shell. Looking at the session records no activity; a store that cannot say
/// gives the anonymous page (the error stands either way).
pub async fn error_page_for(
    app: &AppState,
    request: &PageRequest,
    status: StatusCode,
    message: &str,
) -> String {
    let headers = &request.headers;
    let session = resolve_session(app, headers, false).await.ok().flatten();
    let Some(session) = session else {
        let lang = crate::i18n::pick(app, None, headers);
        return crate::pages::error_page_in(lang, status, message, None);
    };
    let lang = crate::i18n::person_lang(app, headers, &session.user_id)
        .await
        .unwrap_or_else(|_| crate::i18n::pick(app, None, headers));
    let shell = for_session(app, &session, lang, &request.path, "").await;
    crate::pages::error_page_in(
        lang,
        status,
        message,
        Some(minijinja::Value::from_serialize(&shell)),
    )
}

/// The layer that draws every error page of the gateway's own handlers again for the
/// person asking (see [`error_page_for`]): a handler writes its refusal once, in the
/// workspace's convention ([`web::ShownError`] marks it), and the person reads it in
/// their language, inside the portal.
pub async fn localise_errors(
    State(app): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let page_request = PageRequest::of(request.headers(), request.uri().path());
    let mut response = next.run(request).await;
    if let Some(shown) = response.extensions_mut().remove::<web::ShownError>() {
        let page = error_page_for(&app, &page_request, response.status(), &shown.message).await;
        response.headers_mut().remove(header::CONTENT_LENGTH);
        *response.body_mut() = axum::body::Body::from(page);
    }
    response
}
