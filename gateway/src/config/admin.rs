//! `[admin]`: the delegated-administration API's platform operators. An operator is
//! named by the provider that logs them in, which [`cross`](super::cross) checks is
//! configured.

use serde::Deserialize;

use super::error::{ConfigError, invalid};

/// `[admin]`: the delegated-administration API.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminConfig {
    /// Platform operators, as `provider_id:subject` (the subject the provider gives at
    /// login). Operators may import the company register and read the whole audit log;
    /// nothing else. Local password accounts cannot be operators.
    #[serde(default)]
    pub operators: Vec<String>,
}

/// Why an operator entry is refused, whether its form or its provider is wrong.
pub(super) const OPERATOR_FORM: &str = "must be provider_id:subject with a configured provider";

impl AdminConfig {
    /// Check that each operator reads `provider_id:subject`, both parts present.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (i, op) in self.operators.iter().enumerate() {
            if Self::split(op).is_none() {
                return Err(invalid(format!("admin.operators[{i}]"), OPERATOR_FORM));
            }
        }
        Ok(())
    }

    /// The provider id and subject of an operator entry.
    pub(super) fn split(op: &str) -> Option<(&str, &str)> {
        op.split_once(':')
            .filter(|(provider, subject)| !provider.is_empty() && !subject.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_base_refused, assert_section_refused, section};
    use super::*;

    #[test]
    fn operators_are_provider_and_subject() {
        let a: AdminConfig = section("operators = [\"eid:someone\", \"eid:a:b\"]");
        assert!(a.validate().is_ok());
        assert_eq!(AdminConfig::split("eid:a:b"), Some(("eid", "a:b")));
        assert!(section::<AdminConfig>("").operators.is_empty());
        for op in ["eid", "eid:", ":someone", ""] {
            assert_section_refused(
                &format!("operators = [\"eid:ok\", \"{op}\"]"),
                AdminConfig::validate,
                "admin.operators[1]",
            );
        }
    }

    #[test]
    fn an_operator_of_an_unknown_provider_is_refused() {
        assert_base_refused(
            "[database]",
            "[admin]\noperators = [\"nope:someone\"]\n[database]",
            "admin.operators[0]",
        );
    }
}
