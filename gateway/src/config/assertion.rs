//! `[assertion]`: the signed assertion the gateway hands backends. Short-lived by
//! design, with signing keys rotated on a schedule.

use serde::Deserialize;

use super::error::{ConfigError, invalid};

/// `[assertion]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssertionConfig {
    /// Lifetime of one assertion, seconds (5 to 300).
    #[serde(default = "default_assertion_lifetime")]
    pub lifetime_secs: u64,
    /// Seconds a signing key signs before the next one takes over (600 or more).
    #[serde(default = "default_rotation")]
    pub rotate_after_secs: u64,
}

fn default_assertion_lifetime() -> u64 {
    60
}
fn default_rotation() -> u64 {
    7 * 24 * 3600
}

impl Default for AssertionConfig {
    fn default() -> Self {
        Self {
            lifetime_secs: default_assertion_lifetime(),
            rotate_after_secs: default_rotation(),
        }
    }
}

impl AssertionConfig {
    /// Check the lifetime (a replayed assertion is useful for minutes at most) and the
    /// rotation period (a key must outlive the assertions it signed by far).
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(5..=300).contains(&self.lifetime_secs) {
            return Err(invalid(
                "assertion.lifetime_secs",
                "must be between 5 and 300",
            ));
        }
        if self.rotate_after_secs < 600 {
            return Err(invalid(
                "assertion.rotate_after_secs",
                "must be at least 600",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_section_accepted, assert_section_refused, section};
    use super::*;

    #[test]
    fn the_defaults_and_the_bounds_are_accepted() {
        let a: AssertionConfig = section("");
        assert_eq!((a.lifetime_secs, a.rotate_after_secs), (60, 604_800));
        for text in [
            "lifetime_secs = 5",
            "lifetime_secs = 300",
            "rotate_after_secs = 600",
        ] {
            assert_section_accepted(text, AssertionConfig::validate);
        }
    }

    #[test]
    fn each_bad_value_is_refused_with_its_key() {
        for (text, key) in [
            ("lifetime_secs = 4", "assertion.lifetime_secs"),
            ("lifetime_secs = 301", "assertion.lifetime_secs"),
            ("rotate_after_secs = 599", "assertion.rotate_after_secs"),
        ] {
            assert_section_refused(text, AssertionConfig::validate, key);
        }
    }
}
