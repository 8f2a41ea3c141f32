//! `[factors]`: the second factor after the provider's or the password login: emailed
//! codes on a new device, authenticator apps, security keys, and the limits that keep a
//! code out of an attacker's reach. The checks that need other sections (mail, providers,
//! the public URL) are in [`cross`](super::cross).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::error::{ConfigError, invalid};

/// `[factors]`: the second factor after the provider's login.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorsConfig {
    /// Ask for a second factor on a device this person has not used before (an emailed
    /// code, or their authenticator app).
    #[serde(default = "super::yes")]
    pub device_trust: bool,
    /// Days a device stays trusted after its verification.
    #[serde(default = "default_device_days")]
    pub device_trust_days: u64,
    /// Digits of an emailed code (6 to 8).
    #[serde(default = "default_code_digits")]
    pub code_digits: u32,
    /// Seconds a code (and its challenge) stays valid after being sent.
    #[serde(default = "default_code_lifetime")]
    pub code_lifetime_secs: u64,
    /// Tries per challenge (wrong or right); after that the challenge is dead.
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    /// Wrong codes a person may enter in 24 hours, across all their challenges; then no
    /// code is accepted nor sent until the oldest is 24 hours old.
    #[serde(default = "default_max_failures_per_day")]
    pub max_failures_per_day: u32,
    /// Seconds between two sends of a code for one challenge.
    #[serde(default = "default_resend_interval")]
    pub resend_interval_secs: u64,
    /// Codes sent per challenge at most.
    #[serde(default = "default_max_sends")]
    pub max_sends: u32,
    /// Per provider id, the `acr` values whose logins need no second factor, e.g.
    /// `{ eid = ["eidas-high"] }`.
    #[serde(default)]
    pub skip_device_check: BTreeMap<String, Vec<String>>,
    /// Where a person who registered an authenticator app or a security key must use it
    /// at every login, on a trusted device too (the emailed code stays the fallback):
    /// provider ids, and `local` for password accounts. Default `["local"]`.
    #[serde(default = "default_every_login")]
    pub registered_factor_every_login: Vec<String>,
    /// Issuer shown by authenticator apps (no `:`).
    #[serde(default = "default_totp_issuer")]
    pub totp_issuer: String,
    /// Offer WebAuthn security keys. The relying party id is the host of
    /// `server.public_url`, which must then be a domain name (not an IP address).
    #[serde(default)]
    pub webauthn: bool,
    /// Relying party name shown by browsers when a security key is used.
    #[serde(default = "default_totp_issuer")]
    pub webauthn_rp_name: String,
}

fn default_every_login() -> Vec<String> {
    vec!["local".to_owned()]
}
fn default_device_days() -> u64 {
    90
}
fn default_code_digits() -> u32 {
    8
}
fn default_code_lifetime() -> u64 {
    600
}
fn default_max_attempts() -> u32 {
    5
}
fn default_max_failures_per_day() -> u32 {
    20
}
fn default_resend_interval() -> u64 {
    60
}
fn default_max_sends() -> u32 {
    3
}
fn default_totp_issuer() -> String {
    "Gateway".to_owned()
}

impl FactorsConfig {
    /// Check the codes' limits and the names shown to people.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.validate_codes()?;
        if self.totp_issuer.is_empty()
            || self.totp_issuer.contains(':')
            || self.totp_issuer.len() > 64
        {
            return Err(invalid("factors.totp_issuer", "1 to 64 characters, no ':'"));
        }
        if self.webauthn_rp_name.is_empty() || self.webauthn_rp_name.chars().count() > 64 {
            return Err(invalid("factors.webauthn_rp_name", "1 to 64 characters"));
        }
        Ok(())
    }

    /// The bounds that keep guessing a code out of reach and mail from flooding.
    fn validate_codes(&self) -> Result<(), ConfigError> {
        let ranges: [(&str, u64, std::ops::RangeInclusive<u64>); 7] = [
            ("device_trust_days", self.device_trust_days, 1..=400),
            ("code_digits", self.code_digits.into(), 6..=8),
            ("code_lifetime_secs", self.code_lifetime_secs, 60..=1800),
            ("max_attempts", self.max_attempts.into(), 1..=10),
            (
                "max_failures_per_day",
                self.max_failures_per_day.into(),
                1..=100,
            ),
            ("resend_interval_secs", self.resend_interval_secs, 1..=3600),
            ("max_sends", self.max_sends.into(), 1..=10),
        ];
        for (key, value, range) in ranges {
            if !range.contains(&value) {
                return Err(invalid(
                    format!("factors.{key}"),
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
        MAIL, assert_section_accepted, assert_section_refused, refused, section, with_factors,
    };
    use super::*;

    #[test]
    fn mail_and_factors_are_accepted() {
        let c = Config::from_toml(&with_factors(
            MAIL,
            "skip_device_check = { eid = [\"high\"] }",
        ))
        .expect("valid");
        let f = c.factors.expect("factors");
        assert!(f.device_trust);
        assert_eq!(
            (f.code_digits, f.max_attempts, f.code_lifetime_secs),
            (8, 5, 600)
        );
    }

    #[test]
    fn the_defaults_and_the_bounds_are_accepted() {
        let f: FactorsConfig = section("");
        assert_eq!(
            (
                f.device_trust_days,
                f.max_failures_per_day,
                f.resend_interval_secs,
                f.max_sends
            ),
            (90, 20, 60, 3)
        );
        assert_eq!((f.totp_issuer.as_str(), f.webauthn), ("Gateway", false));
        let low = "device_trust_days = 1\ncode_digits = 6\ncode_lifetime_secs = 60\n\
                   max_attempts = 1\nmax_failures_per_day = 1\nresend_interval_secs = 1\n\
                   max_sends = 1\ntotp_issuer = \"G\"\nwebauthn_rp_name = \"G\"";
        let high = format!(
            "device_trust_days = 400\ncode_digits = 8\ncode_lifetime_secs = 1800\n\
             max_attempts = 10\nmax_failures_per_day = 100\nresend_interval_secs = 3600\n\
             max_sends = 10\ntotp_issuer = \"{}\"\nwebauthn_rp_name = \"{}\"",
            "i".repeat(64),
            "é".repeat(64)
        );
        assert_section_accepted(low, FactorsConfig::validate);
        assert_section_accepted(&high, FactorsConfig::validate);
    }

    #[test]
    fn each_bad_factor_value_is_refused_with_its_key() {
        let cases = [
            ("code_digits = 4", "factors.code_digits"),
            ("code_digits = 9", "factors.code_digits"),
            ("code_lifetime_secs = 10", "factors.code_lifetime_secs"),
            ("max_attempts = 0", "factors.max_attempts"),
            ("max_attempts = 50", "factors.max_attempts"),
            ("resend_interval_secs = 0", "factors.resend_interval_secs"),
            ("max_sends = 0", "factors.max_sends"),
            ("device_trust_days = 0", "factors.device_trust_days"),
            ("totp_issuer = \"a:b\"", "factors.totp_issuer"),
        ];
        for (factors, key) in cases {
            let msg = refused(&with_factors(MAIL, factors));
            assert!(msg.contains(key), "{key} not named in: {msg}");
        }
    }

    #[test]
    fn each_bound_is_checked_on_both_sides() {
        let long = "i".repeat(65);
        let cases = [
            (
                "device_trust_days = 401".to_owned(),
                "factors.device_trust_days",
            ),
            (
                "code_lifetime_secs = 1801".to_owned(),
                "factors.code_lifetime_secs",
            ),
            (
                "max_failures_per_day = 0".to_owned(),
                "factors.max_failures_per_day",
            ),
            (
                "max_failures_per_day = 101".to_owned(),
                "factors.max_failures_per_day",
            ),
            (
                "resend_interval_secs = 3601".to_owned(),
                "factors.resend_interval_secs",
            ),
            ("max_sends = 11".to_owned(), "factors.max_sends"),
            ("totp_issuer = \"\"".to_owned(), "factors.totp_issuer"),
            (format!("totp_issuer = \"{long}\""), "factors.totp_issuer"),
            (
                "webauthn_rp_name = \"\"".to_owned(),
                "factors.webauthn_rp_name",
            ),
            (
                format!("webauthn_rp_name = \"{long}\""),
                "factors.webauthn_rp_name",
            ),
        ];
        for (text, key) in cases {
            assert_section_refused(&text, FactorsConfig::validate, key);
        }
    }
}
