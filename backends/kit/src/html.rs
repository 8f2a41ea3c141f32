//! Server-rendered pages: minijinja templates embedded in the binary, autoescaped, sharing
//! one layout (`layout.html`: title, navigation, caller, error and notice banners), in the
//! caller's language ([`Caller::lang`]): templates take every text from the catalogue with
//! the function `t` and format dates with the `day` filter. No JavaScript and no inline
//! style: forms post and the server redirects (303) to the result page; the styles are the
//! stylesheet [`STYLESHEET`].

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use minijinja::{AutoEscape, Environment};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::{ApiError, Caller, Csrf};
/// Escaping text for HTML, the workspace's one copy.
pub use web::escape;

const LAYOUT: &str = include_str!("../templates/layout.html");
/// The error page of every backend, in the shared layout.
const ERROR_PAGE: &str = include_str!("../templates/error.html");
/// The backends' own styles, served at `{base}/static/app.css` next to the portal's.
pub const STYLESHEET: &str = include_str!("../static/app.css");

/// The portal shell of `caller`, drawn from the assertion's `shell` claim (no call to
/// the gateway); a bare shell (the language switch) when the assertion has none.
fn shell_of(caller: &Caller, base: &str) -> i18n::shell::Shell {
    use i18n::shell::{Shell, ShellApplication, ShellPrefs, ShellStructure, languages};
    let claims = &caller.0;
    let lang = caller.lang();
    let Some(sc) = claims.shell.as_ref() else {
        return Shell {
            user: Some(caller.name().to_owned()),
            return_to: format!("{base}/"),
            languages: languages(lang),
            ..Shell::default()
        };
    };
    let active = claims.organisation().map(|s| s.id.as_str());
    Shell {
        user: Some(caller.name().to_owned()),
        csrf: Some(sc.csrf.clone()),
        return_to: format!("{base}/"),
        // The organisations, then "Myself", as in the gateway's own pages.
        structures: sc
            .orgs
            .iter()
            .map(|[id, name, number]| ShellStructure {
                active: active == Some(id.as_str()),
                id: id.clone(),
                name: name.clone(),
                number: number.clone(),
            })
            .chain(std::iter::once(ShellStructure {
                id: "myself".to_owned(),
                name: crate::texts::t(lang, "shell_myself"),
                number: String::new(),
                active: claims.acts_as_self(),
            }))
            .collect(),
        applications: sc
            .apps
            .iter()
            .map(|[id, name, url]| ShellApplication {
                current: *id == claims.aud,
                id: id.clone(),
                name: name.clone(),
                url: url.clone(),
            })
            .collect(),
        languages: languages(lang),
        current: claims.aud.clone(),
        prefs: sc
            .prefs
            .map(|p| ShellPrefs {
                large_text: p.large_text,
                reduced_motion: p.reduced_motion,
                high_contrast: p.high_contrast,
            })
            .unwrap_or_default(),
    }
}

/// What every page of one backend shares.
#[derive(Debug, Clone)]
pub struct Site {
    /// The catalogue key of the name shown in the header and the title.
    pub title: &'static str,
    /// Path prefix under which the backend is reached (e.g. `/prestations`), or empty.
    pub base: String,
    /// Navigation: (path below `base`, catalogue key of the label).
    pub nav: Vec<(&'static str, &'static str)>,
}

/// The templates of one backend.
#[derive(Clone)]
pub struct Templates {
    env: Arc<Environment<'static>>,
    site: Arc<Site>,
    csrf: Csrf,
}

impl Templates {
    /// Load `pages` (name, source) next to the shared layout, their texts from
    /// `catalogue` (see [`crate::texts::catalogue`]). Fails at start on a template syntax
    /// error.
    pub fn new(
        site: Site,
        csrf: Csrf,
        pages: &[(&'static str, &'static str)],
        catalogue: &'static i18n::Catalogue,
    ) -> Result<Self, minijinja::Error> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        catalogue.install(&mut env);
        env.add_filter("day", |state: &minijinja::State<'_, '_>, value: String| {
            let lang = state
                .lookup("lang")
                .and_then(|v| v.as_str().and_then(i18n::Lang::from_code))
                .unwrap_or(i18n::Lang::En);
            let written = crate::texts::day(lang, &value);
            if written == value {
                // Not a date: escaped like any other text.
                minijinja::Value::from(written)
            } else {
                // Digits and slashes only, made from a parsed date.
                minijinja::Value::from_safe_string(written)
            }
        });
        env.add_template("shell.html", i18n::shell::TEMPLATE)?;
        env.add_template("layout.html", LAYOUT)?;
        env.add_template("error.html", ERROR_PAGE)?;
        for (name, source) in pages {
            env.add_template(name, source)?;
        }
        Ok(Self {
            env: Arc::new(env),
            site: Arc::new(site),
            csrf,
        })
    }

    /// The CSRF helper these pages use.
    pub fn csrf(&self) -> &Csrf {
        &self.csrf
    }

    /// The path prefix of the backend.
    pub fn base(&self) -> &str {
        &self.site.base
    }

    /// Render `name` for `caller` with the page's own context `page` (a JSON object).
    pub fn render(
        &self,
        name: &str,
        caller: &Caller,
        page: impl Serialize,
    ) -> Result<Html<String>, ApiError> {
        let mut ctx = Map::new();
        ctx.insert("app_title".to_owned(), json!(self.site.title));
        ctx.insert("base".to_owned(), json!(self.site.base));
        ctx.insert("nav".to_owned(), json!(self.site.nav));
        ctx.insert("caller_name".to_owned(), json!(caller.name()));
        ctx.insert(
            "structure_name".to_owned(),
            json!(caller.0.structure.as_ref().map(|s| s.name.clone())),
        );
        ctx.insert("csrf".to_owned(), json!(self.csrf.token(caller)));
        let shell = shell_of(caller, &self.site.base);
        ctx.insert("lang".to_owned(), json!(caller.lang().code()));
        ctx.insert(
            "shell".to_owned(),
            serde_json::to_value(shell).map_err(ApiError::internal)?,
        );
        match serde_json::to_value(page).map_err(ApiError::internal)? {
            Value::Object(map) => ctx.extend(map),
            Value::Null => {}
            _ => return Err(ApiError::internal("page context must be an object")),
        }
        let template = self.env.get_template(name)?;
        Ok(Html(template.render(Value::Object(ctx))?))
    }
}

impl Templates {
    /// The error page of `shown` for `caller`, in their language, drawn in the backend's
    /// layout with the portal shell (who is logged in, the organisation switch, the
    /// applications, log out) like every other page; the bare page when the layout
    /// cannot be drawn.
    pub fn error_page(&self, caller: &Caller, shown: &crate::error::ShownError) -> Response {
        let lang = caller.lang();
        let page = json!({
            "error_title": crate::texts::t(lang, crate::error::title_key(shown.status)),
            "error_message": shown.message.in_lang(lang),
            "error_back": crate::texts::t(lang, "kit_error_back"),
        });
        match self.render("error.html", caller, page) {
            Ok(html) => {
                let mut response = (shown.status, html).into_response();
                response.headers_mut().insert(
                    axum::http::header::CACHE_CONTROL,
                    axum::http::HeaderValue::from_static("no-store"),
                );
                response
            }
            Err(e) => {
                tracing::error!(error = %e, "the error page could not be drawn");
                crate::error::page_in(lang, shown)
            }
        }
    }
}

/// Middleware inside [`crate::auth::require_assertion`]: a page's error is drawn again
/// for the caller in the backend's layout ([`Templates::error_page`]).
pub async fn error_pages(
    State(templates): State<Templates>,
    request: Request,
    next: Next,
) -> Response {
    let caller = request.extensions().get::<Caller>().cloned();
    let mut response = next.run(request).await;
    if let Some(caller) = caller
        && let Some(shown) = response
            .extensions_mut()
            .remove::<crate::error::ShownError>()
    {
        return templates.error_page(&caller, &shown);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(prefs: Option<assertion::DisplayPrefs>) -> Caller {
        let shell = assertion::ShellClaims {
            lang: "fr".to_owned(),
            orgs: vec![],
            apps: vec![],
            csrf: "t".to_owned(),
            idle_secs: 900,
            ends_at: 0,
            prefs,
        };
        let claims: assertion::Claims = serde_json::from_value(json!({
            "iss": "gw", "aud": "vouchers", "sub": "u1", "name": "Anne", "sid": "s1",
            "acr": "eidas-high", "amr": [], "iat": 0, "exp": 60, "jti": "j",
            "acting": "organisation", "services": [], "rights": [],
            "shell": serde_json::to_value(shell).expect("shell"),
        }))
        .expect("claims");
        Caller::new(claims)
    }

    static TEXTS: std::sync::LazyLock<i18n::Catalogue> =
        std::sync::LazyLock::new(|| crate::texts::catalogue(&[]));

    #[test]
    fn the_layout_carries_the_display_preferences_of_the_assertion() {
        let t = Templates::new(
            Site {
                title: "Vouchers",
                base: "/vouchers".to_owned(),
                nav: vec![],
            },
            Csrf::new(Some("a key of at least thirty-two bytes!!")),
            &[(
                "page.html",
                "{% extends \"layout.html\" %}{% block content %}x{% endblock %}",
            )],
            &TEXTS,
        )
        .expect("templates");
        let prefs = assertion::DisplayPrefs {
            large_text: true,
            reduced_motion: false,
            high_contrast: true,
        };
        let Html(page) = t
            .render("page.html", &caller(Some(prefs)), json!({}))
            .expect("page");
        assert!(
            page.contains("<html lang=\"fr\" class=\"pref-large-text pref-high-contrast\">"),
            "{page}"
        );
        // An assertion from a gateway without preferences: no class, the page as before.
        let Html(page) = t
            .render("page.html", &caller(None), json!({}))
            .expect("page");
        assert!(page.contains("<html lang=\"fr\">"), "{page}");
    }
}
