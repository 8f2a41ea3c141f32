//! Server-rendered pages: minijinja templates embedded in the binary, autoescaped, sharing
//! one layout (`layout.html`: title, navigation, caller, error and notice banners). No
//! JavaScript: forms post and the server redirects (303) to the result page.

use std::sync::Arc;

use axum::response::Html;
use minijinja::{AutoEscape, Environment};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::{ApiError, Caller, Csrf};
/// Escaping text for HTML, the workspace's one copy.
pub use web::escape;

const LAYOUT: &str = include_str!("../templates/layout.html");

/// The shell's texts (the backends' own pages add theirs here as they are translated).
static CATALOGUE: std::sync::LazyLock<i18n::Catalogue> = std::sync::LazyLock::new(|| {
    i18n::Catalogue::new(&i18n::SHELL).unwrap_or_else(|e| {
        // Compiled in and checked by the i18n crate's tests: cannot happen in a release.
        tracing::error!(error = %e, "translation catalogue");
        panic!("translation catalogue: {e}")
    })
});

/// The portal shell of `caller`, drawn from the assertion's `shell` claim (no call to
/// the gateway); a bare shell (the language switch) when the assertion has none.
fn shell_of(caller: &Caller, base: &str) -> (i18n::Lang, i18n::shell::Shell) {
    use i18n::shell::{Shell, ShellApplication, ShellPrefs, ShellStructure, languages};
    let claims = &caller.0;
    let Some(sc) = claims.shell.as_ref() else {
        let shell = Shell {
            user: Some(caller.name().to_owned()),
            return_to: format!("{base}/"),
            languages: languages(i18n::Lang::En),
            ..Shell::default()
        };
        return (i18n::Lang::En, shell);
    };
    let lang = i18n::Lang::from_code(&sc.lang).unwrap_or(i18n::Lang::En);
    let active = claims.organisation().map(|s| s.id.as_str());
    let shell = Shell {
        user: Some(caller.name().to_owned()),
        csrf: Some(sc.csrf.clone()),
        return_to: format!("{base}/"),
        // "Myself" first, as in the gateway's own pages.
        structures: std::iter::once(ShellStructure {
            id: "myself".to_owned(),
            name: CATALOGUE.t(lang, "shell_myself"),
            number: String::new(),
            active: claims.acts_as_self(),
        })
        .chain(sc.orgs.iter().map(|[id, name, number]| ShellStructure {
            active: active == Some(id.as_str()),
            id: id.clone(),
            name: name.clone(),
            number: number.clone(),
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
    };
    (lang, shell)
}

/// What every page of one backend shares.
#[derive(Debug, Clone)]
pub struct Site {
    /// Shown in the header and the title.
    pub title: &'static str,
    /// Path prefix under which the backend is reached (e.g. `/prestations`), or empty.
    pub base: String,
    /// Navigation: (path below `base`, label).
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
    /// Load `pages` (name, source) next to the shared layout. Fails at start on a
    /// template syntax error.
    pub fn new(
        site: Site,
        csrf: Csrf,
        pages: &[(&'static str, &'static str)],
    ) -> Result<Self, minijinja::Error> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        CATALOGUE.install(&mut env);
        env.add_template("shell.html", i18n::shell::TEMPLATE)?;
        env.add_template("layout.html", LAYOUT)?;
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
        let (lang, shell) = shell_of(caller, &self.site.base);
        ctx.insert("lang".to_owned(), json!(lang.code()));
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
        Caller(claims)
    }

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
            page.contains("<html lang=\"en\" class=\"pref-large-text pref-high-contrast\">"),
            "{page}"
        );
        // An assertion from a gateway without preferences: no class, the page as before.
        let Html(page) = t
            .render("page.html", &caller(None), json!({}))
            .expect("page");
        assert!(page.contains("<html lang=\"en\">"), "{page}");
    }
}
