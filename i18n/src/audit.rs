//! What the catalogue tests of each application use: the keys its sources ask for, and
//! the checks that every language has every key, that no source asks for a key no
//! catalogue has, and that no key is left unused.

use std::collections::BTreeSet;

use crate::{Catalogue, Lang};

/// The keys a source text asks for: `t("key"` in templates, `t(lang, "key"`,
/// `t_args(lang, "key"` and `refusal("key"` (a backend's refusal) in Rust.
pub fn requested_keys(text: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for (at, _) in text.match_indices("t(") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let rest = &text[at + 2..];
        if let Some(k) = first_literal(rest) {
            keys.insert(k);
        }
    }
    for (at, _) in text.match_indices("t_args(") {
        if let Some(k) = first_literal(&text[at + 7..]) {
            keys.insert(k);
        }
    }
    for (at, _) in text.match_indices("refusal(") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(k) = first_literal(&text[at + 8..]) {
            keys.insert(k);
        }
    }
    keys
}

/// The key in `"key"` or `lang, "key"` at the start of a call's arguments.
fn first_literal(args: &str) -> Option<String> {
    let args = args.trim_start();
    if let Some(a) = args.strip_prefix('\'') {
        // Templates may quote with ' inside an attribute.
        let end = a.find('\'')?;
        return valid(&a[..end]);
    }
    let args = match args.strip_prefix('"') {
        Some(a) => a,
        None => {
            // Rust: one simple first argument (the language), then the key.
            let comma = args.find(',')?;
            let first = &args[..comma];
            if first.contains(['(', ')', '"', '{', '}', ';']) {
                return None;
            }
            args[comma + 1..].trim_start().strip_prefix('"')?
        }
    };
    let end = args.find('"')?;
    valid(&args[..end])
}

fn valid(key: &str) -> Option<String> {
    let ok = !key.is_empty()
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    ok.then(|| key.to_owned())
}

/// Every way a catalogue and the sources that use it disagree, as readable lines: a key
/// missing in a language, a key asked for that no catalogue has, a key nobody uses (a key
/// counts as used when its quoted name appears in a source, which covers keys chosen in a
/// `match`). `extra_used` names keys used elsewhere (the shared shell's keys, used by the
/// shared template).
pub fn problems(
    catalogue: &Catalogue,
    sources: &[(&str, &str)],
    extra_used: &[&str],
) -> Vec<String> {
    let mut out = Vec::new();
    let all = catalogue.all_keys();
    for lang in Lang::ALL {
        for missing in all.difference(&catalogue.keys(lang)) {
            out.push(format!("key `{missing}` is missing in {}", lang.code()));
        }
    }
    for (name, text) in sources {
        for key in requested_keys(text) {
            if !all.contains(&key) {
                out.push(format!("{name} asks for `{key}`, which no catalogue has"));
            }
        }
    }
    for key in &all {
        let quoted = format!("\"{key}\"");
        let single = format!("'{key}'");
        let used = extra_used.contains(&key.as_str())
            || sources
                .iter()
                .any(|(_, text)| text.contains(&quoted) || text.contains(&single));
        if !used {
            out.push(format!("key `{key}` is used nowhere"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_in_templates_and_rust() {
        let keys = requested_keys(
            r#"{{ t("home_title") }} {{ t( "a-b", n=1) }} {{ t('quoted') }} t(lang, "rust_key") i18n::t(l, "x2")
               t_args(lang, "with_args", &[]) format("no") split("x") it("no")
               refusal("a_refusal") number_refusal("field")"#,
        );
        let want: BTreeSet<String> = [
            "home_title",
            "a-b",
            "quoted",
            "rust_key",
            "x2",
            "with_args",
            "a_refusal",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        assert_eq!(keys, want);
    }
}
