//! `[[providers]]`: the upstream OpenID providers people log in with. The client secret
//! is a [`Secret`], read from the environment variable the provider names when set.

use std::collections::HashSet;

use serde::Deserialize;
use url::Url;

use super::error::{ConfigError, invalid};
use super::secret::Secret;

/// ID-token signature algorithms the gateway can verify.
const ALGS: [&str; 7] = [
    "RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA",
];

/// `[[providers]]`: one upstream OpenID provider.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// Short id used in URLs (`/auth/login/{id}`), letters, digits, `-` and `_`.
    pub id: String,
    /// Label on the login page.
    pub label: String,
    /// Issuer URL; discovery is read from `{issuer}/.well-known/openid-configuration`.
    pub issuer: Url,
    /// Client id registered at the provider.
    pub client_id: String,
    /// Client secret. Prefer the environment variable named by `client_secret_env`.
    #[serde(default)]
    pub client_secret: Option<Secret>,
    /// Environment variable holding the client secret (overrides `client_secret`).
    #[serde(default)]
    pub client_secret_env: Option<String>,
    /// Scopes requested (`openid` is always added).
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// `acr_values` requested; when set, the ID token's `acr` must be one of them.
    #[serde(default)]
    pub acr_values: Vec<String>,
    /// ID-token claim holding the national register number, if the provider sends one.
    #[serde(default)]
    pub national_number_claim: Option<String>,
    /// Accepted ID-token signature algorithms.
    #[serde(default = "default_algs")]
    pub signing_algs: Vec<String>,
}

fn default_scopes() -> Vec<String> {
    vec![
        "openid".to_owned(),
        "profile".to_owned(),
        "email".to_owned(),
    ]
}
fn default_algs() -> Vec<String> {
    vec!["RS256".to_owned(), "ES256".to_owned(), "EdDSA".to_owned()]
}

/// Check each provider and that no two share an id.
pub(super) fn validate_all(providers: &[ProviderConfig]) -> Result<(), ConfigError> {
    let mut ids = HashSet::new();
    for (i, p) in providers.iter().enumerate() {
        p.validate(i)?;
        if !ids.insert(p.id.as_str()) {
            return Err(invalid(
                format!("providers[{i}].id"),
                "duplicate provider id",
            ));
        }
    }
    Ok(())
}

impl ProviderConfig {
    /// Check this provider, the one at `index` in `[[providers]]` (the key is named
    /// `providers[index].…`).
    pub fn validate(&self, index: usize) -> Result<(), ConfigError> {
        let key = |k: &str| format!("providers[{index}].{k}");
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(invalid(key("id"), "letters, digits, - and _ only"));
        }
        if !matches!(self.issuer.scheme(), "https" | "http") {
            return Err(invalid(
                key("issuer"),
                "scheme must be https (or http on loopback)",
            ));
        }
        if self.client_id.is_empty() {
            return Err(invalid(key("client_id"), "must not be empty"));
        }
        if self
            .client_secret
            .as_ref()
            .is_none_or(|s| s.expose().is_empty())
        {
            let hint = self
                .client_secret_env
                .as_deref()
                .map(|e| format!(" (environment variable {e} is not set)"))
                .unwrap_or_default();
            return Err(invalid(key("client_secret"), format!("missing{hint}")));
        }
        self.validate_algs(&key("signing_algs"))
    }

    fn validate_algs(&self, key: &str) -> Result<(), ConfigError> {
        if self.signing_algs.is_empty() {
            return Err(invalid(key, "must list at least one algorithm"));
        }
        for alg in &self.signing_algs {
            if !ALGS.contains(&alg.as_str()) {
                return Err(invalid(
                    key,
                    format!(
                        "unsupported algorithm {alg:?} (allowed: {})",
                        ALGS.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use super::super::testing::{assert_base_refused, base, section};
    use super::*;

    const PROVIDER: &str = "id = \"eid\"\nlabel = \"eID\"\nissuer = \"https://idp.example.be\"\n\
                            client_id = \"gw\"\nclient_secret = \"s\"";

    fn refused_at(text: &str, index: usize, key: &str) {
        let p: ProviderConfig = section(text);
        let msg = p.validate(index).expect_err(text).to_string();
        assert!(msg.contains(key), "{key} not named in: {msg}");
    }

    #[test]
    fn a_provider_and_its_defaults_are_accepted() {
        let p: ProviderConfig = section(PROVIDER);
        assert!(p.validate(0).is_ok());
        assert_eq!(p.scopes, ["openid", "profile", "email"]);
        assert_eq!(p.signing_algs, ["RS256", "ES256", "EdDSA"]);
        assert_eq!(p.client_secret.as_ref().map(Secret::expose), Some("s"));
        let all = format!(
            "{PROVIDER}\nsigning_algs = [{}]",
            ALGS.map(|a| format!("\"{a}\"")).join(", ")
        );
        assert!(section::<ProviderConfig>(&all).validate(0).is_ok());
    }

    #[test]
    fn each_bad_value_is_refused_with_its_key() {
        assert_base_refused("id = \"eid\"", "id = \"e i d\"", "providers[0].id");
        assert_base_refused(
            "client_secret = \"s\"",
            "client_secret = \"\"",
            "providers[0].client_secret",
        );
        let cases = [
            (
                PROVIDER.replace("id = \"eid\"", "id = \"\""),
                "providers[3].id",
            ),
            (
                PROVIDER.replace("id = \"eid\"", "id = \"e/d\""),
                "providers[3].id",
            ),
            (
                PROVIDER.replace("https://idp", "ftp://idp"),
                "providers[3].issuer",
            ),
            (
                PROVIDER.replace("client_id = \"gw\"", "client_id = \"\""),
                "providers[3].client_id",
            ),
            (
                PROVIDER.replace("client_secret = \"s\"", ""),
                "providers[3].client_secret",
            ),
            (
                format!("{PROVIDER}\nsigning_algs = []"),
                "providers[3].signing_algs",
            ),
            (
                format!("{PROVIDER}\nsigning_algs = [\"HS256\"]"),
                "providers[3].signing_algs",
            ),
            (
                format!("{PROVIDER}\nsigning_algs = [\"none\"]"),
                "providers[3].signing_algs",
            ),
        ];
        for (text, key) in cases {
            refused_at(&text, 3, key);
        }
    }

    #[test]
    fn a_missing_secret_names_its_environment_variable() {
        let name = "GATEWAY_TEST_CLIENT_SECRET_NEVER_SET";
        let text = PROVIDER.replace(
            "client_secret = \"s\"",
            &format!("client_secret_env = \"{name}\""),
        );
        refused_at(&text, 0, name);
    }

    #[test]
    fn two_providers_may_not_share_an_id() {
        let second = "[[providers]]\nid = \"eid\"\nlabel = \"again\"\nissuer = \"https://x\"\n\
                      client_id = \"gw\"\nclient_secret = \"s\"\n";
        let msg = Config::from_toml(&format!("{}\n{second}", base()))
            .expect_err("duplicate")
            .to_string();
        assert!(msg.contains("providers[1].id"), "{msg}");
        let other = second.replace("id = \"eid\"", "id = \"other\"");
        assert!(Config::from_toml(&format!("{}\n{other}", base())).is_ok());
    }
}
