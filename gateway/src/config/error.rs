//! Why a configuration is refused. Every message names the key at fault, so that
//! `gateway check-config` points at the line to fix, and none repeats a value: a wrong
//! line may hold a secret.

use std::ops::Range;

/// A configuration error that names the key at fault.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file does not exist.
    #[error("configuration file not found: {path}")]
    NotFound {
        /// The file.
        path: String,
    },
    /// The file could not be read.
    #[error("cannot read {path}: {reason}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The TOML is malformed or has an unknown or mistyped key.
    #[error("{0}")]
    Parse(String),
    /// A value is present but not acceptable.
    #[error("invalid `{key}`: {reason}")]
    Invalid {
        /// Dotted path of the key, e.g. `routes[2].upstream`.
        key: String,
        /// Why it is refused.
        reason: String,
    },
}

/// The error for a value present but refused.
pub(super) fn invalid(key: impl Into<String>, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key: key.into(),
        reason: reason.into(),
    }
}

/// A TOML error told by line, column and key, without the value: the parser's own text
/// quotes the whole offending line, which may be `secret_key = "..."`.
pub(super) fn parse_error(text: &str, e: &toml::de::Error) -> ConfigError {
    let message = without_value(e.message());
    match e.span().and_then(|span| place(text, span)) {
        Some(place) => ConfigError::Parse(format!("TOML parse error at {place}: {message}")),
        None => ConfigError::Parse(format!("TOML parse error: {message}")),
    }
}

/// serde's "invalid type: string \"...\", expected u64" quotes the value: keep its kind.
fn without_value(message: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some(cut) = rest.rfind(", expected ")
        {
            let kind = rest[..cut].split(['"', '`']).next().unwrap_or_default();
            return format!("{prefix}{}{}", kind.trim_end(), &rest[cut..]);
        }
    }
    message.to_owned()
}

/// `line L, column C`, then the key of that line when it has one (`listen = …`) or the
/// table header (`[database]`); nothing of the line otherwise (the middle of a multi-line
/// value).
fn place(text: &str, span: Range<usize>) -> Option<String> {
    let before = text.get(..span.start)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_no = before.matches('\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    let line = text[line_start..].lines().next().unwrap_or_default();
    let at = format!("line {line_no}, column {column}");
    let shown = match line.split_once('=') {
        Some((key, _)) => format!("{at} (`{} = …`)", key.trim()),
        None if line.trim_start().starts_with('[') => format!("{at} (`{}`)", line.trim()),
        None => at,
    };
    Some(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> String {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)] // read by the parser only
        struct T {
            port: u16,
            name: Option<String>,
        }
        match toml::from_str::<T>(text) {
            Ok(t) => panic!("accepted: {t:?}"),
            Err(e) => parse_error(text, &e).to_string(),
        }
    }

    #[test]
    fn a_parse_error_names_line_and_key_but_not_the_value() {
        let msg = parse("port = 1\nname = 42 # top-secret-value\n");
        assert!(msg.contains("line 2"), "{msg}");
        assert!(msg.contains("`name = …`"), "{msg}");
        assert!(!msg.contains("top-secret"), "{msg}");
        assert!(!msg.contains("42"), "{msg}");
        let msg = parse("port = \"top-secret-value\"\n");
        assert!(msg.contains("`port = …`"), "{msg}");
        assert!(msg.contains("invalid type: string, expected u16"), "{msg}");
        assert!(!msg.contains("top-secret"), "{msg}");
        let msg = parse("port = 1\nnmae = \"top-secret-value\"\n");
        assert!(msg.contains("nmae"), "{msg}");
        assert!(!msg.contains("top-secret"), "{msg}");
    }

    #[test]
    fn a_line_without_a_key_is_not_quoted() {
        // The error starts in the middle of a multi-line value: nothing of it is shown.
        let msg = parse("port = 1\nname = \"\"\"\nsecret-ish\n\"\"\" x\n");
        assert!(!msg.contains("secret-ish"), "{msg}");
        assert!(msg.contains("TOML parse error"), "{msg}");
    }

    #[test]
    fn a_missing_key_names_the_table() {
        let msg = parse("name = \"x\"\n");
        assert!(msg.contains("port"), "{msg}");
    }

    #[test]
    fn an_invalid_value_names_its_key() {
        let e = invalid("session.idle_timeout_secs", "must be at least 1");
        assert_eq!(
            e.to_string(),
            "invalid `session.idle_timeout_secs`: must be at least 1"
        );
    }
}
