//! The gateway's texts: the shared shell's catalogue and the gateway's own
//! (`i18n/{en,fr,nl}/gateway.ftl` at the workspace root), compiled into the binary, and
//! the choice of a request's language (the person's choice, else the language cookie,
//! else `Accept-Language`, else `[server] default_language`).

use std::sync::LazyLock;

use axum::http::{HeaderMap, header};

pub use ::i18n::Lang;
use ::i18n::{Catalogue, SHELL, Source};

use crate::state::AppState;
use crate::store::{StoreError, users};

/// The gateway's own catalogue files: one set per part of the portal (the login and
/// security pages, the delegated-administration console, "My account", the attachment
/// and access requests), each in every language.
pub const GATEWAY: [Source; 15] = [
    source(
        Lang::En,
        "gateway.ftl",
        include_str!("../../i18n/en/gateway.ftl"),
    ),
    source(
        Lang::Fr,
        "gateway.ftl",
        include_str!("../../i18n/fr/gateway.ftl"),
    ),
    source(
        Lang::Nl,
        "gateway.ftl",
        include_str!("../../i18n/nl/gateway.ftl"),
    ),
    source(
        Lang::En,
        "console.ftl",
        include_str!("../../i18n/en/console.ftl"),
    ),
    source(
        Lang::Fr,
        "console.ftl",
        include_str!("../../i18n/fr/console.ftl"),
    ),
    source(
        Lang::Nl,
        "console.ftl",
        include_str!("../../i18n/nl/console.ftl"),
    ),
    source(
        Lang::En,
        "account.ftl",
        include_str!("../../i18n/en/account.ftl"),
    ),
    source(
        Lang::Fr,
        "account.ftl",
        include_str!("../../i18n/fr/account.ftl"),
    ),
    source(
        Lang::Nl,
        "account.ftl",
        include_str!("../../i18n/nl/account.ftl"),
    ),
    source(
        Lang::En,
        "requests.ftl",
        include_str!("../../i18n/en/requests.ftl"),
    ),
    source(
        Lang::Fr,
        "requests.ftl",
        include_str!("../../i18n/fr/requests.ftl"),
    ),
    source(
        Lang::Nl,
        "requests.ftl",
        include_str!("../../i18n/nl/requests.ftl"),
    ),
    source(
        Lang::En,
        "policy.ftl",
        include_str!("../../i18n/en/policy.ftl"),
    ),
    source(
        Lang::Fr,
        "policy.ftl",
        include_str!("../../i18n/fr/policy.ftl"),
    ),
    source(
        Lang::Nl,
        "policy.ftl",
        include_str!("../../i18n/nl/policy.ftl"),
    ),
];

const fn source(lang: Lang, file: &'static str, text: &'static str) -> Source {
    Source { lang, file, text }
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    let sources: Vec<Source> = SHELL.iter().chain(GATEWAY.iter()).copied().collect();
    Catalogue::new(&sources).unwrap_or_else(|e| {
        // The files are compiled in and checked by the tests: this cannot happen in a
        // released binary, and a gateway without texts must not start half-working.
        tracing::error!(error = %e, "translation catalogue");
        panic!("translation catalogue: {e}")
    })
});

/// The shell's and the gateway's texts.
pub fn catalogue() -> &'static Catalogue {
    &CATALOGUE
}

/// One text.
pub fn t(lang: Lang, key: &str) -> String {
    CATALOGUE.t(lang, key)
}

/// One text with its placeables filled (`{ $name }` in the catalogue).
pub fn t_args(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    CATALOGUE.t_args(lang, key, args)
}

/// The language of a request: `preference` (the person's choice on their account), else
/// the language cookie, else the browser's `Accept-Language`, else the configured default.
pub fn pick(app: &AppState, preference: Option<&str>, headers: &HeaderMap) -> Lang {
    let cookie = app.cookies.lang_choice(headers);
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Lang::resolve(
        preference.or(cookie.as_deref()),
        accept,
        app.config.server.default_lang(),
    )
}

/// The language of a person's pages and mails: their preference, else the request's.
pub async fn person_lang(
    app: &AppState,
    headers: &HeaderMap,
    user_id: &str,
) -> Result<Lang, StoreError> {
    let user = users::get(&app.db, user_id).await?;
    Ok(pick(app, user.and_then(|u| u.locale).as_deref(), headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key in every language, every key the gateway's Rust and templates ask for in
    /// a catalogue, and no key left unused.
    #[test]
    fn the_catalogue_matches_the_sources() {
        let mut sources: Vec<(String, String)> = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["src", "templates", "../i18n/shell"] {
            collect(&root.join(dir), &mut sources);
        }
        let refs: Vec<(&str, &str)> = sources
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let problems = ::i18n::audit::problems(catalogue(), &refs, &[]);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                collect(&path, out);
            } else if path.file_name().is_some_and(|n| n != "i18n.rs")
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                out.push((path.display().to_string(), text));
            }
        }
    }
}
