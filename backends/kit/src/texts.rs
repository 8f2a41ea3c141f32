//! The backends' texts: the portal shell's catalogue, the kit's own
//! (`i18n/{en,fr,nl}/kit.ftl` at the workspace root: what every backend's pages and
//! errors share) and each backend's (`vouchers.ftl`, `prestations.ftl`), compiled into the
//! binaries; dates written the way each language reads them.

use i18n::{Catalogue, Lang, SHELL, Source};

/// The kit's catalogue files, one per language.
pub const KIT: [Source; 3] = [
    Source {
        lang: Lang::En,
        file: "kit.ftl",
        text: include_str!("../../../i18n/en/kit.ftl"),
    },
    Source {
        lang: Lang::Fr,
        file: "kit.ftl",
        text: include_str!("../../../i18n/fr/kit.ftl"),
    },
    Source {
        lang: Lang::Nl,
        file: "kit.ftl",
        text: include_str!("../../../i18n/nl/kit.ftl"),
    },
];

/// A backend's catalogue: the shell's texts, the kit's and the backend's `own`.
///
/// # Panics
///
/// When a file does not parse: the files are compiled in and checked by each backend's
/// tests, so this cannot happen in a released binary, and a backend without texts must
/// not start half-working.
pub fn catalogue(own: &[Source]) -> Catalogue {
    let sources: Vec<Source> = SHELL.iter().chain(KIT.iter()).chain(own).copied().collect();
    Catalogue::new(&sources).unwrap_or_else(|e| {
        tracing::error!(error = %e, "translation catalogue");
        panic!("translation catalogue: {e}")
    })
}

/// The kit's own texts (with the shell's), for the messages the kit writes itself.
static KIT_CATALOGUE: std::sync::LazyLock<Catalogue> = std::sync::LazyLock::new(|| catalogue(&[]));

/// One of the kit's texts.
pub fn t(lang: Lang, key: &str) -> String {
    KIT_CATALOGUE.t(lang, key)
}

/// One of the kit's texts with its placeables filled.
pub fn t_args(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    KIT_CATALOGUE.t_args(lang, key, args)
}

/// A date (`yyyy-mm-dd`, optionally followed by a time) as its language writes it:
/// `dd/mm/yyyy` in French and Dutch, ISO `yyyy-mm-dd` in English. Anything else is
/// returned unchanged.
pub fn day(lang: Lang, value: &str) -> String {
    let date = value.get(..10).unwrap_or(value);
    let Ok(parsed) = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d") else {
        return value.to_owned();
    };
    match lang {
        Lang::En => parsed.format("%Y-%m-%d").to_string(),
        Lang::Fr | Lang::Nl => parsed.format("%d/%m/%Y").to_string(),
    }
}

/// Every way `catalogue` and the files under `dirs` disagree (a key missing in a language,
/// a key asked for that no catalogue has, a key used nowhere), for a backend's catalogue
/// test. The kit's own sources and the shell's template always count as sources.
pub fn problems(catalogue: &Catalogue, dirs: &[&std::path::Path]) -> Vec<String> {
    let kit = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources: Vec<(String, String)> =
        vec![("shell.html".to_owned(), i18n::shell::TEMPLATE.to_owned())];
    for dir in dirs
        .iter()
        .copied()
        .chain([kit.join("src").as_path(), kit.join("templates").as_path()])
    {
        collect(dir, &mut sources);
    }
    let refs: Vec<(&str, &str)> = sources
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    i18n::audit::problems(catalogue, &refs, &[])
}

fn collect(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.file_name().is_some_and(|n| n != "texts.rs")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            out.push((path.display().to_string(), text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_per_language() {
        assert_eq!(day(Lang::Fr, "2026-03-09"), "09/03/2026");
        assert_eq!(day(Lang::Nl, "2026-03-09T10:00:00"), "09/03/2026");
        assert_eq!(day(Lang::En, "2026-03-09"), "2026-03-09");
        assert_eq!(day(Lang::Fr, "soon"), "soon");
        assert_eq!(day(Lang::Fr, ""), "");
    }

    #[test]
    fn the_kit_catalogue_is_complete_in_every_language() {
        let c = catalogue(&[]);
        let en = c.keys(Lang::En);
        for lang in Lang::ALL {
            assert_eq!(c.keys(lang), en, "{} differs from en", lang.code());
        }
    }
}
