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
    /// The `iss` of every assertion. With several nodes, set it on every node to the
    /// cluster's one public URL (`https://portal.example.be`), so that backends trust
    /// one issuer whichever node signed (the signing keys are already shared through
    /// the database). Absent: `server.public_url`.
    #[serde(default)]
    pub issuer: Option<url::Url>,
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
            issuer: None,
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
        if let Some(issuer) = &self.issuer
            && (!matches!(issuer.scheme(), "https" | "http")
                || issuer.query().is_some()
                || issuer.fragment().is_some()
                || !issuer.username().is_empty())
        {
            return Err(invalid(
                "assertion.issuer",
                "an http(s) URL without credentials, query or fragment",
            ));
        }
        Ok(())
    }

    /// The issuer as written in assertions: [`AssertionConfig::issuer`], else the public
    /// URL, without a trailing `/`.
    pub fn issuer_or(&self, public_url: &url::Url) -> String {
        self.issuer
            .as_ref()
            .unwrap_or(public_url)
            .as_str()
            .trim_end_matches('/')
            .to_owned()
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
    fn one_issuer_for_the_cluster() {
        let node: url::Url = "http://10.0.0.7:8080/".parse().expect("url");
        let a: AssertionConfig = section("");
        assert_eq!(a.issuer_or(&node), "http://10.0.0.7:8080");
        let a: AssertionConfig = section("issuer = \"https://portal.example.be/\"");
        assert_section_accepted(
            "issuer = \"https://portal.example.be/\"",
            AssertionConfig::validate,
        );
        assert_eq!(a.issuer_or(&node), "https://portal.example.be");
    }

    #[test]
    fn each_bad_value_is_refused_with_its_key() {
        for (text, key) in [
            ("lifetime_secs = 4", "assertion.lifetime_secs"),
            ("lifetime_secs = 301", "assertion.lifetime_secs"),
            ("rotate_after_secs = 599", "assertion.rotate_after_secs"),
            ("issuer = \"ftp://portal.example.be\"", "assertion.issuer"),
            (
                "issuer = \"https://portal.example.be/?a=1\"",
                "assertion.issuer",
            ),
        ] {
            assert_section_refused(text, AssertionConfig::validate, key);
        }
    }
}
