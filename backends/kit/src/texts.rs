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

/// One of the kit's texts, written in a language only when shown (an error's message).
pub fn text(key: &'static str) -> crate::error::Text {
    crate::error::Text::new(&KIT_CATALOGUE, key)
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

/// Every refusal under `dir` whose message is words written in Rust (a string literal or
/// a `format!`) rather than a catalogue's text (`refusal("key")`, `t(lang, "key")`...),
/// as `file:line: text`, for a backend's test: such a message would reach a person's
/// page in English. The files named in `english_only` answer programs only (JSON) and
/// are not read; neither are `#[cfg(test)]` parts.
pub fn literal_refusals(dir: &std::path::Path, english_only: &[&str]) -> Vec<String> {
    let mut sources = Vec::new();
    collect(dir, &mut sources);
    let mut out = Vec::new();
    for (name, text) in &sources {
        if !name.ends_with(".rs") || english_only.iter().any(|f| name.ends_with(f)) {
            continue;
        }
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (at, what) in literal_messages(code) {
            let line = code[..at].matches('\n').count() + 1;
            out.push(format!("{name}:{line}: {what}"));
        }
    }
    out
}

/// The refusals of `code` whose message is a literal or a `format!`, with their offset.
fn literal_messages(code: &str) -> Vec<(usize, String)> {
    const OPENERS: [&str; 9] = [
        "invalid(",
        "forbidden(",
        "not_found(",
        "conflict(",
        "Invalid(",
        "Forbidden(",
        "NotFound(",
        "Conflict(",
        "Deadline(",
    ];
    let literal = |arg: &str| arg.starts_with('"') || arg.starts_with("format!(");
    let mut out = Vec::new();
    for opener in OPENERS {
        for (at, _) in code.match_indices(opener) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let args = arguments(&code[at + opener.len()..]);
            // `conflict(code, message)`: the first is a stable code for programs.
            let message = if opener == "conflict(" {
                args.get(1)
            } else {
                args.first()
            };
            if let Some(m) = message.filter(|m| literal(m)) {
                out.push((at, m.chars().take(80).collect()));
            }
        }
    }
    for (at, _) in code.match_indices("message:") {
        // A struct field: its value runs to the next top-level `,` or the closing `}`.
        let value = arguments(&code[at + "message:".len()..]);
        if let Some(v) = value.first().filter(|v| literal(v)) {
            out.push((at, v.chars().take(80).collect()));
        }
    }
    out
}

/// The top-level arguments of a call whose `(` was just read, trimmed.
fn arguments(rest: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for c in rest.chars() {
        if in_string {
            current.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                current.push(c);
            }
            '(' | '[' | '{' => {
                depth += 1;
                current.push(c);
            }
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => {
                depth -= 1;
                current.push(c);
            }
            ',' if depth == 0 => args.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    args.push(current);
    args.into_iter()
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect()
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
    fn a_refusal_written_in_rust_is_found_and_a_catalogues_is_not() {
        let code = r#"
            fn f() {
                let a = ApiError::invalid("hours must be a number");
                let b = ServiceError::Forbidden(format!("only {who}"));
                let c = ApiError::conflict("stale", "it changed (reload it)");
                let d = Err::<(), _>(ApiError::Conflict { code: "x", message: "why".into() });
                let e = ApiError::invalid(refusal("prestations_refusal_hours"));
                let f = ApiError::conflict("stale", t(lang, "kit_form_expired"));
                let g = ApiError::forbidden(message);
            }
        "#;
        let found: Vec<String> = literal_messages(code).into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            found,
            [
                "\"hours must be a number\"",
                "\"it changed (reload it)\"",
                "format!(\"only {who}\")",
                "\"why\".into()",
            ],
            "{found:?}"
        );
    }

    #[test]
    fn the_kit_writes_no_refusal_in_rust() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let found = literal_refusals(&src, &[]);
        assert!(found.is_empty(), "{}", found.join("\n"));
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
