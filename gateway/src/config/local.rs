//! `[local]`: password accounts for people without eID or company SSO: the password
//! policy, the lockout, the lifetime of emailed links and how many Argon2 hashes run at
//! once. That these accounts need `[mail]` is checked in [`cross`](super::cross).

use serde::Deserialize;

use super::error::{ConfigError, invalid};

/// `[local]`: password accounts for people without eID or company SSO.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalConfig {
    /// Fewest characters in a password (8 to 128).
    #[serde(default = "default_min_password")]
    pub min_length: usize,
    /// A password needs a digit.
    #[serde(default = "super::yes")]
    pub require_digit: bool,
    /// A password needs a lower-case letter.
    #[serde(default = "super::yes")]
    pub require_lower: bool,
    /// A password needs an upper-case letter.
    #[serde(default = "super::yes")]
    pub require_upper: bool,
    /// A password needs a character that is neither a letter nor a digit.
    #[serde(default = "super::yes")]
    pub require_special: bool,
    /// Wrong passwords in a row after which the account is locked.
    #[serde(default = "default_max_failures")]
    pub max_failures: u32,
    /// Seconds an account stays locked.
    #[serde(default = "default_lockout")]
    pub lockout_secs: u64,
    /// Seconds a password-reset link stays valid.
    #[serde(default = "default_reset_lifetime")]
    pub reset_link_secs: u64,
    /// Seconds a link confirming a new login email stays valid.
    #[serde(default = "default_email_link_lifetime")]
    pub email_link_secs: u64,
    /// Password hashes computed at once at most (each takes about 19 MiB and a core).
    #[serde(default = "default_hash_concurrency")]
    pub hash_concurrency: usize,
}

fn default_min_password() -> usize {
    12
}
fn default_max_failures() -> u32 {
    5
}
fn default_lockout() -> u64 {
    900
}
fn default_reset_lifetime() -> u64 {
    3600
}
fn default_email_link_lifetime() -> u64 {
    86_400
}
fn default_hash_concurrency() -> usize {
    2
}

impl LocalConfig {
    /// Check every bound of the policy, the lockout and the links.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let as_u64 = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        let ranges: [(&str, u64, std::ops::RangeInclusive<u64>); 6] = [
            ("min_length", as_u64(self.min_length), 8..=128),
            ("max_failures", self.max_failures.into(), 1..=20),
            ("lockout_secs", self.lockout_secs, 60..=86_400),
            ("reset_link_secs", self.reset_link_secs, 300..=86_400),
            ("email_link_secs", self.email_link_secs, 3600..=7 * 86_400),
            ("hash_concurrency", as_u64(self.hash_concurrency), 1..=64),
        ];
        for (key, value, range) in ranges {
            if !range.contains(&value) {
                return Err(invalid(
                    format!("local.{key}"),
                    format!("must be between {} and {}", range.start(), range.end()),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use super::super::testing::{
        MAIL, assert_section_accepted, assert_section_refused, base, refused, section, with_factors,
    };
    use super::*;

    #[test]
    fn the_defaults_and_the_bounds_are_accepted() {
        let l: LocalConfig = section("");
        assert_eq!(
            (l.min_length, l.max_failures, l.hash_concurrency),
            (12, 5, 2)
        );
        assert!(l.require_digit && l.require_lower && l.require_upper && l.require_special);
        assert!(Config::from_toml(&format!("{}\n[local]\n", with_factors(MAIL, ""))).is_ok());
        assert_section_accepted(
            "min_length = 8\nmax_failures = 1\nlockout_secs = 60\nreset_link_secs = 300\n\
             email_link_secs = 3600\nhash_concurrency = 1",
            LocalConfig::validate,
        );
        assert_section_accepted(
            "min_length = 128\nmax_failures = 20\nlockout_secs = 86400\n\
             reset_link_secs = 86400\nemail_link_secs = 604800\nhash_concurrency = 64",
            LocalConfig::validate,
        );
    }

    #[test]
    fn each_bad_value_is_refused_with_its_key() {
        let local_cases = [
            ("min_length = 4", "local.min_length"),
            ("max_failures = 0", "local.max_failures"),
            ("lockout_secs = 1", "local.lockout_secs"),
            ("reset_link_secs = 1", "local.reset_link_secs"),
            ("email_link_secs = 1", "local.email_link_secs"),
            ("hash_concurrency = 0", "local.hash_concurrency"),
        ];
        for (line, key) in local_cases {
            let msg = refused(&format!("{}\n[local]\n{line}\n", with_factors(MAIL, "")));
            assert!(msg.contains(key), "{key} not named in: {msg}");
        }
        assert!(refused(&format!("{}\n[local]\n", base())).contains("mail"));
    }

    #[test]
    fn each_upper_bound_is_checked() {
        for (text, key) in [
            ("min_length = 129", "local.min_length"),
            ("max_failures = 21", "local.max_failures"),
            ("lockout_secs = 86401", "local.lockout_secs"),
            ("reset_link_secs = 86401", "local.reset_link_secs"),
            ("email_link_secs = 604801", "local.email_link_secs"),
            ("hash_concurrency = 65", "local.hash_concurrency"),
        ] {
            assert_section_refused(text, LocalConfig::validate, key);
        }
    }
}
