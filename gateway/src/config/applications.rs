//! `[[applications]]`: the rights catalogue. Each application names the access levels a
//! person may be granted on it and, as a default for its routes, the level each HTTP
//! method needs. The gateway loads it into the access model at every start (see
//! `policy::catalogue`); a policy route's application and levels must be declared here,
//! which [`cross`](super::cross) checks.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;

use super::error::{ConfigError, invalid};
use super::routes::METHODS;

/// The application the access model keeps for itself (deciding attachment requests).
pub const RESERVED_APPLICATION: &str = "access";

/// `[[applications]]`: one application of the rights catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationConfig {
    /// The application's id, as routes name it (`application = "..."`) and as the
    /// assertion's audience: 1 to 64 of `a-z`, `0-9`, `-`, `_`, `.`.
    pub id: String,
    /// Its name shown to access managers, e.g. `"Prestations"`.
    pub name: String,
    /// The access levels that may be granted, e.g. `["read", "modify"]` (same characters
    /// as `id`).
    pub levels: Vec<String>,
    /// Optional label per level, shown to access managers (default: `"{name} / {level}"`).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Default level each HTTP method needs on routes of this application that set no
    /// `methods` of their own, e.g. `{ GET = "read", POST = "modify" }`.
    #[serde(default)]
    pub methods: BTreeMap<String, String>,
}

impl ApplicationConfig {
    /// The label of `level` in the catalogue.
    pub fn label(&self, level: &str) -> String {
        self.labels
            .get(level)
            .cloned()
            .unwrap_or_else(|| format!("{} / {level}", self.name))
    }

    /// Whether `level` is one of this application's levels.
    pub fn has_level(&self, level: &str) -> bool {
        self.levels.iter().any(|l| l == level)
    }

    fn validate(&self, index: usize) -> Result<(), ConfigError> {
        let key = |k: &str| format!("applications[{index}].{k}");
        if !is_catalogue_name(&self.id) {
            return Err(invalid(key("id"), NAME_RULE));
        }
        if self.id == RESERVED_APPLICATION {
            return Err(invalid(
                key("id"),
                "`access` is the access model's own application",
            ));
        }
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(invalid(key("name"), "1 to 100 printable characters"));
        }
        if self.levels.is_empty() {
            return Err(invalid(key("levels"), "at least one level"));
        }
        let mut seen = HashSet::new();
        for (i, level) in self.levels.iter().enumerate() {
            if !is_catalogue_name(level) {
                return Err(invalid(
                    format!("applications[{index}].levels[{i}]"),
                    NAME_RULE,
                ));
            }
            if !seen.insert(level.as_str()) {
                return Err(invalid(
                    format!("applications[{index}].levels[{i}]"),
                    "duplicate level",
                ));
            }
        }
        for (level, label) in &self.labels {
            let k = format!("applications[{index}].labels.{level}");
            if !self.has_level(level) {
                return Err(invalid(k, "not one of this application's levels"));
            }
            let label = label.trim();
            if label.is_empty()
                || label.chars().count() > 200
                || label.chars().any(char::is_control)
            {
                return Err(invalid(k, "1 to 200 printable characters"));
            }
        }
        for (method, level) in &self.methods {
            let k = format!("applications[{index}].methods.{method}");
            if !METHODS.contains(&method.as_str()) {
                return Err(invalid(k, "not an HTTP method the gateway routes"));
            }
            if !self.has_level(level) {
                return Err(invalid(k, "not one of this application's levels"));
            }
        }
        Ok(())
    }
}

const NAME_RULE: &str = "1 to 64 of a-z, 0-9, '-', '_', '.'";

/// The policy crate's rule for application and level names (they become casbin roles).
fn is_catalogue_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}

/// Check each application and that no two share an id.
pub(super) fn validate_all(apps: &[ApplicationConfig]) -> Result<(), ConfigError> {
    let mut ids = HashSet::new();
    for (i, a) in apps.iter().enumerate() {
        a.validate(i)?;
        if !ids.insert(a.id.as_str()) {
            return Err(invalid(format!("applications[{i}].id"), "duplicate id"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_base_refused, assert_refused, base};
    use super::super::{Access, Config};

    const APP: &str = "[[applications]]\nid = \"vouchers\"\nname = \"Vouchers\"\n\
                       levels = [\"read\", \"modify\"]\n";

    #[test]
    fn a_level_typo_is_refused_with_its_key() {
        assert_base_refused("GET = \"read\"", "GET = \"raed\"", "routes[0].methods.GET");
        assert_base_refused(
            "application = \"vouchers\"",
            "application = \"vochers\"",
            "routes[0].application",
        );
    }

    #[test]
    fn each_bad_application_value_is_refused() {
        let with = |from: &str, to: &str| {
            let app = APP.replacen(from, to, 1);
            assert_ne!(app, APP, "{from:?}");
            base().replacen(APP, &app, 1)
        };
        let cases = [
            (with("\"vouchers\"", "\"Vouchers\""), "applications[0].id"),
            (with("\"vouchers\"", "\"access\""), "applications[0].id"),
            (with("\"Vouchers\"", "\"\""), "applications[0].name"),
            (
                with("[\"read\", \"modify\"]", "[]"),
                "applications[0].levels",
            ),
            (
                with("[\"read\", \"modify\"]", "[\"read\", \"read\"]"),
                "applications[0].levels[1]",
            ),
            (
                with("[\"read\", \"modify\"]", "[\"read\", \"mo dify\"]"),
                "applications[0].levels[1]",
            ),
            (
                with("]\n", "]\nlabels = { write = \"W\" }\n"),
                "applications[0].labels.write",
            ),
            (
                with("]\n", "]\nmethods = { GET = \"raed\" }\n"),
                "applications[0].methods.GET",
            ),
            (
                with("]\n", "]\nmethods = { FETCH = \"read\" }\n"),
                "applications[0].methods.FETCH",
            ),
            (format!("{}\n{APP}", base()), "applications[1].id"),
        ];
        for (text, key) in cases {
            assert_refused(&text, key);
        }
    }

    #[test]
    fn a_policy_route_takes_the_applications_default_methods() {
        let text = base()
            .replacen(
                "levels = [\"read\", \"modify\"]\n",
                "levels = [\"read\", \"modify\"]\nmethods = { GET = \"read\", DELETE = \"modify\" }\n",
                1,
            )
            .replacen("methods = { GET = \"read\", POST = \"modify\" }\n", "", 1);
        let c = Config::from_toml(&text).expect("valid");
        assert_eq!(
            c.routes[0].methods.get("DELETE").map(String::as_str),
            Some("modify")
        );
        assert_eq!(c.routes[0].methods.len(), 2);
        // Without a default and without its own methods, a policy route is refused.
        let text = base().replacen("methods = { GET = \"read\", POST = \"modify\" }\n", "", 1);
        assert_refused(&text, "routes[0].methods");
        assert_eq!(c.applications[0].label("read"), "Vouchers / read");
    }

    #[test]
    fn an_authenticated_route_needs_no_application() {
        let route = "[[routes]]\nprefix = \"/me\"\nupstream = \"http://127.0.0.1:9003\"\n\
                     access = \"authenticated\"\n";
        let c = Config::from_toml(&format!("{}\n{route}", base())).expect("valid");
        let r = &c.routes[1];
        assert_eq!(r.access, Access::Authenticated);
        assert_eq!(r.application, "me", "the audience defaults to the prefix");
        // A policy route still needs one.
        let policy = route.replace("authenticated", "policy");
        assert_refused(&format!("{}\n{policy}", base()), "routes[1].application");
    }
}
