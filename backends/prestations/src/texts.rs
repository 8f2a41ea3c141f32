//! The prestations backend's texts: the shell's, the kit's and its own
//! (`i18n/{en,fr,nl}/prestations.ftl` at the workspace root), compiled into the binary.

use std::sync::LazyLock;

use i18n::{Catalogue, Lang, Source};

/// The backend's own catalogue files, one per language.
pub const TEXTS: [Source; 3] = [
    Source {
        lang: Lang::En,
        file: "prestations.ftl",
        text: include_str!("../../../i18n/en/prestations.ftl"),
    },
    Source {
        lang: Lang::Fr,
        file: "prestations.ftl",
        text: include_str!("../../../i18n/fr/prestations.ftl"),
    },
    Source {
        lang: Lang::Nl,
        file: "prestations.ftl",
        text: include_str!("../../../i18n/nl/prestations.ftl"),
    },
];

/// The modules whose refusals no person reads, which stay English
/// (`backends/README.md`): the JSON API for programs, and the holiday file's checks (an
/// operator's error at start).
pub const ENGLISH_ONLY: [&str; 2] = ["src/api.rs", "src/calendar.rs"];

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| backend_kit::texts::catalogue(&TEXTS));

/// The shell's, the kit's and the backend's texts.
pub fn catalogue() -> &'static Catalogue {
    &CATALOGUE
}

/// One text.
pub fn t(lang: Lang, key: &str) -> String {
    CATALOGUE.t(lang, key)
}

/// A refusal's text, written in the reader's language only when shown (English in the
/// JSON API and the log, the person's on a page).
pub fn refusal(key: &'static str) -> backend_kit::error::Text {
    backend_kit::error::Text::new(&CATALOGUE, key)
}

/// One text with its placeables filled.
pub fn t_args(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    CATALOGUE.t_args(lang, key, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key in every language, every key the backend's Rust and templates (and the
    /// kit's) ask for in the catalogue, and no key left unused.
    #[test]
    fn the_catalogue_matches_the_sources() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let problems = backend_kit::texts::problems(
            catalogue(),
            &[&root.join("src"), &root.join("templates")],
        );
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Every refusal a page may show is a text of the catalogue (`refusal("key")`), never
    /// words written in Rust; only the modules no person reads answer in English.
    #[test]
    fn every_refusal_has_a_catalogue_key() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let found = backend_kit::texts::literal_refusals(&src, &ENGLISH_ONLY);
        assert!(found.is_empty(), "{}", found.join("\n"));
    }
}
