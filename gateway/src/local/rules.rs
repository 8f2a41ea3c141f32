//! What a local account must look like: the configurable password policy (and the
//! message naming what a refused password lacks), and a plausible login email.

use crate::config::LocalConfig;
use crate::i18n::{Lang, t_args};

/// Why a password is refused by the policy (the page names what is missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    /// Fewer characters than `min_length`.
    TooShort,
    /// No digit.
    NoDigit,
    /// No lower-case letter.
    NoLower,
    /// No upper-case letter.
    NoUpper,
    /// No special character.
    NoSpecial,
    /// More than 1024 bytes (refused before hashing).
    TooLong,
}

impl Weakness {
    /// The text key of the message.
    pub fn key(self) -> &'static str {
        match self {
            Weakness::TooShort => "pw_short",
            Weakness::NoDigit => "pw_digit",
            Weakness::NoLower => "pw_lower",
            Weakness::NoUpper => "pw_upper",
            Weakness::NoSpecial => "pw_special",
            Weakness::TooLong => "pw_long",
        }
    }
}

/// Check a new password against the policy.
pub fn check_policy(c: &LocalConfig, password: &str) -> Result<(), Weakness> {
    if password.len() > 1024 {
        return Err(Weakness::TooLong);
    }
    if password.chars().count() < c.min_length {
        return Err(Weakness::TooShort);
    }
    let has = |f: fn(&char) -> bool| password.chars().any(|ch| f(&ch));
    if c.require_digit && !has(char::is_ascii_digit) {
        return Err(Weakness::NoDigit);
    }
    if c.require_lower && !has(|ch| ch.is_lowercase()) {
        return Err(Weakness::NoLower);
    }
    if c.require_upper && !has(|ch| ch.is_uppercase()) {
        return Err(Weakness::NoUpper);
    }
    if c.require_special && !has(|ch| !ch.is_alphanumeric()) {
        return Err(Weakness::NoSpecial);
    }
    Ok(())
}

/// A plausible address: one `@`, something on each side, a dot in the domain, no
/// spaces or control characters, at most 254 characters.
pub fn valid_email(email: &str) -> bool {
    let e = email.trim();
    match e.split_once('@') {
        Some((local, domain)) => {
            e.len() <= 254
                && !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !e.chars().any(|c| c.is_whitespace() || c.is_control())
                && e.parse::<lettre::Address>().is_ok()
        }
        None => false,
    }
}

/// The message for a policy refusal.
pub fn weakness_text(lang: Lang, c: &LocalConfig, w: Weakness) -> String {
    t_args(lang, w.key(), &[("min", &c.min_length.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> LocalConfig {
        let c = crate::Config::from_toml(
            "secret_key = \"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\"\n[server]\nlisten = \"127.0.0.1:1\"\n\
             public_url = \"http://127.0.0.1:1\"\n[database]\nurl = \"sqlite://x\"\n[mail]\nfrom = \"a@b.be\"\n\
             outbox_dir = \"m\"\n[local]\n",
        )
        .expect("config");
        c.local.expect("local")
    }

    #[test]
    fn policy_names_what_is_missing() {
        let c = policy();
        assert_eq!(check_policy(&c, "Sh0rt!"), Err(Weakness::TooShort));
        assert_eq!(check_policy(&c, "NoDigitsHere!!"), Err(Weakness::NoDigit));
        assert_eq!(check_policy(&c, "NOLOWER1234!!"), Err(Weakness::NoLower));
        assert_eq!(check_policy(&c, "noupper1234!!"), Err(Weakness::NoUpper));
        assert_eq!(check_policy(&c, "NoSpecial1234"), Err(Weakness::NoSpecial));
        assert_eq!(
            check_policy(&c, &"Aa1!".repeat(300)),
            Err(Weakness::TooLong)
        );
        assert_eq!(check_policy(&c, "Correct-Horse-42"), Ok(()));
        assert_eq!(
            check_policy(&c, "Éléphant-rosé-42"),
            Ok(()),
            "non-ASCII letters count"
        );
    }
}
