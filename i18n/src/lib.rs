//! Languages and translation catalogues shared by the gateway and the backends. Every text
//! a person reads lives in a Fluent file per language (`i18n/{en,fr,nl}/*.ftl` at the
//! workspace root), compiled into the binaries; a translator edits those files without
//! reading Rust. The language of a request is chosen once ([`Lang::resolve`]: the person's
//! choice, else `Accept-Language`, else the configured default) and templates write
//! `{{ t("key") }}` or `{{ t("key", name=person) }}`.

use std::collections::{BTreeMap, BTreeSet};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use minijinja::value::Kwargs;

pub mod audit;
pub mod shell;

/// A language of the pages and mails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
    /// Dutch.
    Nl,
}

impl Lang {
    /// Every supported language, in the order a switcher lists them.
    pub const ALL: [Lang; 3] = [Lang::Fr, Lang::Nl, Lang::En];

    /// The code (`en`, `fr`, `nl`), also the `lang` attribute of a page.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Nl => "nl",
        }
    }

    /// The language's name in itself, for a switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Nl => "Nederlands",
        }
    }

    /// From a code or a language tag (`fr-BE`); anything else is `None`.
    pub fn from_code(code: &str) -> Option<Self> {
        let code = code.trim();
        let primary = code.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            "nl" => Some(Lang::Nl),
            _ => None,
        }
    }

    /// The supported language with the highest `q` in an `Accept-Language` value (the first
    /// listed wins a tie); `None` when none is supported.
    pub fn from_accept_language(accept: &str) -> Option<Self> {
        let mut best: Option<(Lang, f32)> = None;
        for item in accept.split(',').take(20) {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Self::from_code) else {
                continue;
            };
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
                best = Some((lang, q));
            }
        }
        best.map(|(l, _)| l)
    }

    /// The language of a request: the person's choice (from their account or the
    /// language cookie), else the browser's `Accept-Language`, else `default`.
    pub fn resolve(choice: Option<&str>, accept_language: Option<&str>, default: Lang) -> Self {
        choice
            .and_then(Self::from_code)
            .or_else(|| accept_language.and_then(Self::from_accept_language))
            .unwrap_or(default)
    }
}

/// A catalogue file that does not parse.
#[derive(Debug, thiserror::Error)]
#[error("translation file {lang}/{file} does not parse: {detail}")]
pub struct CatalogueError {
    /// The language folder.
    pub lang: &'static str,
    /// The file's name.
    pub file: &'static str,
    /// What the parser said.
    pub detail: String,
}

/// One catalogue file: its language, its name (for messages) and its text.
#[derive(Debug, Clone, Copy)]
pub struct Source {
    /// The language.
    pub lang: Lang,
    /// The file's name, e.g. `gateway.ftl`.
    pub file: &'static str,
    /// The Fluent text.
    pub text: &'static str,
}

/// The shell's own texts (header, language switch, idle warning), shared by every
/// application that renders the shell.
pub const SHELL: [Source; 3] = [
    Source {
        lang: Lang::En,
        file: "shell.ftl",
        text: include_str!("../en/shell.ftl"),
    },
    Source {
        lang: Lang::Fr,
        file: "shell.ftl",
        text: include_str!("../fr/shell.ftl"),
    },
    Source {
        lang: Lang::Nl,
        file: "shell.ftl",
        text: include_str!("../nl/shell.ftl"),
    },
];

/// The texts of an application in every language.
pub struct Catalogue {
    bundles: BTreeMap<Lang, FluentBundle<FluentResource>>,
    keys: BTreeMap<Lang, BTreeSet<String>>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue")
            .field(
                "keys",
                &self.keys.values().map(BTreeSet::len).sum::<usize>(),
            )
            .finish()
    }
}

impl Catalogue {
    /// A catalogue from its files; a file that does not parse, or a key defined twice in
    /// one language, is an error naming the file.
    pub fn new(sources: &[Source]) -> Result<Self, CatalogueError> {
        let mut bundles = BTreeMap::new();
        let mut keys: BTreeMap<Lang, BTreeSet<String>> = BTreeMap::new();
        for lang in Lang::ALL {
            let id = lang
                .code()
                .parse::<unic_langid::LanguageIdentifier>()
                .map_err(|e| CatalogueError {
                    lang: lang.code(),
                    file: "-",
                    detail: e.to_string(),
                })?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Bidi isolation marks around placeables would end up in mails and attributes.
            bundle.set_use_isolating(false);
            bundles.insert(lang, bundle);
            keys.insert(lang, BTreeSet::new());
        }
        for s in sources {
            let err = |detail: String| CatalogueError {
                lang: s.lang.code(),
                file: s.file,
                detail,
            };
            let resource = FluentResource::try_new(s.text.to_owned())
                .map_err(|(_, errors)| err(format!("{errors:?}")))?;
            let lang_keys = keys.entry(s.lang).or_default();
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    lang_keys.insert(m.id.name.to_owned());
                }
            }
            let bundle = bundles
                .get_mut(&s.lang)
                .ok_or_else(|| err("unknown language".to_owned()))?;
            bundle
                .add_resource(resource)
                .map_err(|errors| err(format!("{errors:?}")))?;
        }
        Ok(Catalogue { bundles, keys })
    }

    /// One text. A key missing from the catalogue shows as itself (and a log line), so
    /// that a page never silently loses a sentence and the tests can find it.
    pub fn t(&self, lang: Lang, key: &str) -> String {
        self.format(lang, key, None)
    }

    /// One text with its placeables (`{ $name }`) filled.
    pub fn t_args(&self, lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, FluentValue::from(*value));
        }
        self.format(lang, key, Some(&fluent))
    }

    fn format(&self, lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(bundle) = self.bundles.get(&lang) else {
            return key.to_owned();
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::error!(key, lang = lang.code(), "no such text in the catalogue");
            return key.to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::error!(
                key,
                lang = lang.code(),
                ?errors,
                "text formatted with errors"
            );
        }
        text.into_owned()
    }

    /// Every key of a language.
    pub fn keys(&self, lang: Lang) -> BTreeSet<String> {
        self.keys.get(&lang).cloned().unwrap_or_default()
    }

    /// Every key of every language.
    pub fn all_keys(&self) -> BTreeSet<String> {
        self.keys.values().flatten().cloned().collect()
    }

    /// Give templates the function `t(key, **args)`; the language is the template's `lang`
    /// variable (a page always sets it; English when it is missing).
    pub fn install(&'static self, env: &mut minijinja::Environment<'_>) {
        env.add_function(
            "t",
            move |state: &minijinja::State<'_, '_>,
                  key: &str,
                  kwargs: Kwargs|
                  -> Result<String, minijinja::Error> {
                let lang = state
                    .lookup("lang")
                    .and_then(|v| v.as_str().and_then(Lang::from_code))
                    .unwrap_or(Lang::En);
                let mut values = Vec::new();
                for name in kwargs.args() {
                    let v: minijinja::Value = kwargs.get(name)?;
                    values.push((name, v.to_string()));
                }
                kwargs.assert_all_used()?;
                let args: Vec<(&str, &str)> =
                    values.iter().map(|(n, v)| (*n, v.as_str())).collect();
                Ok(if args.is_empty() {
                    self.t(lang, key)
                } else {
                    self.t_args(lang, key, &args)
                })
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported() {
        let pick = |a: &str| Lang::resolve(None, Some(a), Lang::En);
        assert_eq!(pick("nl-BE,nl;q=0.9,fr;q=0.8"), Lang::Nl);
        assert_eq!(pick("de-DE, fr;q=0.5, en;q=0.7"), Lang::En);
        assert_eq!(pick("de, fr-BE;q=0.3"), Lang::Fr);
        assert_eq!(pick("fr;q=0, nl;q=x"), Lang::En);
        assert_eq!(pick("fr;q=0, nl"), Lang::Nl);
        assert_eq!(Lang::resolve(None, Some(""), Lang::Fr), Lang::Fr);
        assert_eq!(Lang::resolve(None, None, Lang::Nl), Lang::Nl);
        assert_eq!(Lang::resolve(Some("fr"), Some("nl"), Lang::En), Lang::Fr);
        assert_eq!(Lang::resolve(Some("de"), Some("nl"), Lang::En), Lang::Nl);
        assert_eq!(Lang::from_code("english"), None);
    }

    #[test]
    fn the_shell_catalogue_is_complete_and_formats() {
        let c = Catalogue::new(&SHELL).expect("shell catalogue parses");
        let en = c.keys(Lang::En);
        assert!(!en.is_empty());
        for lang in Lang::ALL {
            assert_eq!(c.keys(lang), en, "{} differs from en", lang.code());
        }
        assert_eq!(c.t(Lang::Fr, "no-such-key"), "no-such-key");
        // "Myself" in the switcher is written by each application's code, not the template.
        let problems = audit::problems(&c, &[("shell.html", shell::TEMPLATE)], &["shell_myself"]);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn templates_call_t_with_the_page_language() {
        static C: std::sync::LazyLock<Catalogue> = std::sync::LazyLock::new(|| {
            Catalogue::new(&[
                Source {
                    lang: Lang::En,
                    file: "t.ftl",
                    text: "hi = Hello { $name }\n",
                },
                Source {
                    lang: Lang::Fr,
                    file: "t.ftl",
                    text: "hi = Bonjour { $name }\n",
                },
            ])
            .expect("parses")
        });
        let mut env = minijinja::Environment::new();
        C.install(&mut env);
        let out = env
            .render_str(
                r#"{{ t("hi", name=who) }}"#,
                minijinja::context! { lang => "fr", who => "Zoë <b>" },
            )
            .expect("renders");
        assert_eq!(out, "Bonjour Zoë <b>");
        let bad = Catalogue::new(&[Source {
            lang: Lang::En,
            file: "bad.ftl",
            text: "= nothing\n",
        }]);
        assert!(bad.is_err());
    }
}
