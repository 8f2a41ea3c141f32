//! `[[routes]]`: the route table, a path prefix per upstream with how it is protected.
//! A route's own values are checked here; what it asks of other sections (`min_acr`
//! against `session.acr_levels` and the providers, `require_factor` against
//! `[factors]`) is checked in [`cross`](super::cross).

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use url::Url;

use super::error::{ConfigError, invalid};

/// HTTP methods a route may map to an access level.
pub(super) const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// Path prefixes the gateway serves itself; no route may shadow them.
pub const RESERVED_PREFIXES: [&str; 7] = [
    "/auth",
    "/.well-known",
    "/healthz",
    "/readyz",
    "/metrics",
    "/admin",
    "/account",
];

/// How a route is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Forwarded without a session (no assertion).
    Public,
    /// Any logged-in person.
    Authenticated,
    /// Decided by the access model: the method's access level on the route's application,
    /// in the person's active structure.
    Policy,
    /// Never forwarded.
    Denied,
}

/// `[[routes]]`: a path prefix sent to one upstream.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteConfig {
    /// Path prefix, e.g. `/vouchers`; matches `/vouchers` and `/vouchers/...`.
    pub prefix: String,
    /// Upstream base URL (`http://host:port`), no path.
    pub upstream: Url,
    /// Application id: the assertion's audience and, for `access = "policy"`, the
    /// application of `[[applications]]` whose levels decide. Optional on other routes,
    /// where the audience defaults to the prefix without its leading `/` (`/me/x` ->
    /// `me-x`).
    #[serde(default)]
    pub application: String,
    /// Protection of the route.
    pub access: Access,
    /// Access level needed per HTTP method (for `access = "policy"`), e.g.
    /// `{ GET = "read", POST = "modify" }`; a method absent here is refused. Absent: the
    /// application's `methods`. Each level must be one of the application's `levels`.
    #[serde(default)]
    pub methods: BTreeMap<String, String>,
    /// Remove the prefix before forwarding (`/vouchers/x` -> `/x`).
    #[serde(default = "super::yes")]
    pub strip_prefix: bool,
    /// Seconds to wait for the upstream's response headers before answering 504.
    #[serde(default = "default_upstream_timeout")]
    pub timeout_secs: u64,
    /// A second factor the session must have passed for this route (step-up):
    /// `"webauthn"`, `"totp"` or `"any"` (either, or an emailed code). A session without
    /// it is sent through that factor first.
    #[serde(default)]
    pub require_factor: Option<RequiredFactor>,
    /// The weakest `acr` (of `session.acr_levels`) the session's login must have reached
    /// for this route (step-up): a session below it is asked to log in again at that
    /// level.
    #[serde(default)]
    pub min_acr: Option<String>,
    /// For `access = "policy"`: the contexts a person may act in here, `"organisation"`
    /// (for an active organisation, decided by the access model) and `"myself"` (as
    /// themselves, a private person: no policy decision, the backend decides what a
    /// person may see of their own records). Default `["organisation"]`. An
    /// `authenticated` route accepts both anyway.
    #[serde(default = "default_contexts")]
    pub contexts: Vec<String>,
    /// Idle timeout (seconds) of the session on this route; absent: the session's
    /// `idle_timeout_secs`. Measured from the last activity anywhere in the portal.
    #[serde(default)]
    pub idle_timeout_secs: Option<u64>,
}

/// The contexts a route may accept.
pub const CONTEXTS: [&str; 2] = ["organisation", "myself"];

fn default_contexts() -> Vec<String> {
    vec!["organisation".to_owned()]
}

fn default_upstream_timeout() -> u64 {
    30
}

/// A second factor a route demands of the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequiredFactor {
    /// A WebAuthn security key (`amr` holds `hwk`).
    Webauthn,
    /// An authenticator app (`amr` holds `otp`).
    Totp,
    /// Any second factor: a key, an app, or an emailed code (`mail`).
    Any,
}

impl RequiredFactor {
    /// The config spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Webauthn => "webauthn",
            Self::Totp => "totp",
            Self::Any => "any",
        }
    }

    /// Whether a session with these `amr` values has passed the factor.
    pub fn met_by(self, amr: &[String]) -> bool {
        let has = |m: &str| amr.iter().any(|a| a == m);
        match self {
            Self::Webauthn => has("hwk"),
            Self::Totp => has("otp"),
            Self::Any => has("hwk") || has("otp") || has("mail"),
        }
    }
}

/// Check each route and that no two share a prefix.
pub(super) fn validate_all(routes: &[RouteConfig]) -> Result<(), ConfigError> {
    let mut prefixes = HashSet::new();
    for (i, r) in routes.iter().enumerate() {
        r.validate(i)?;
        if !prefixes.insert(r.prefix.trim_end_matches('/')) {
            return Err(invalid(format!("routes[{i}].prefix"), "duplicate prefix"));
        }
    }
    Ok(())
}

impl RouteConfig {
    /// Check this route, the one at `index` in `[[routes]]` (the key is named
    /// `routes[index].…`).
    pub fn validate(&self, index: usize) -> Result<(), ConfigError> {
        let key = |k: &str| format!("routes[{index}].{k}");
        self.validate_prefix()
            .map_err(|why| invalid(key("prefix"), why))?;
        // The url crate refuses an http URL without a host, so only the scheme, path and
        // query are left to check.
        if self.upstream.scheme() != "http" {
            return Err(invalid(key("upstream"), "scheme must be http"));
        }
        if self.upstream.path() != "/" || self.upstream.query().is_some() {
            return Err(invalid(key("upstream"), "must have no path or query"));
        }
        if self.access == Access::Policy && self.application.is_empty() {
            return Err(invalid(
                key("application"),
                "a policy route names its application (one of [[applications]])",
            ));
        }
        if !self.application.is_empty() && !is_name(&self.application) {
            return Err(invalid(key("application"), "letters, digits, - and _ only"));
        }
        self.validate_methods()
            .map_err(|why| invalid(key("methods"), why))?;
        if self.timeout_secs == 0 {
            return Err(invalid(key("timeout_secs"), "must be at least 1"));
        }
        if self.idle_timeout_secs == Some(0) {
            return Err(invalid(key("idle_timeout_secs"), "must be at least 1"));
        }
        if self.contexts.is_empty() {
            return Err(invalid(
                key("contexts"),
                "names at least one of \"organisation\", \"myself\"",
            ));
        }
        if let Some(bad) = self
            .contexts
            .iter()
            .find(|c| !CONTEXTS.contains(&c.as_str()))
        {
            return Err(invalid(
                key("contexts"),
                format!("unknown context {bad:?} (\"organisation\" or \"myself\")"),
            ));
        }
        let open = matches!(self.access, Access::Public | Access::Denied);
        if open && self.min_acr.is_some() {
            return Err(invalid(
                key("min_acr"),
                "only for authenticated or policy routes",
            ));
        }
        if open && self.require_factor.is_some() {
            return Err(invalid(
                key("require_factor"),
                "only for authenticated or policy routes",
            ));
        }
        Ok(())
    }

    fn validate_prefix(&self) -> Result<(), String> {
        let p = &self.prefix;
        if !p.starts_with('/') || p.contains("//") || p.contains("..") {
            return Err("must start with / and hold no // or ..".to_owned());
        }
        match RESERVED_PREFIXES
            .iter()
            .find(|r| p == *r || p.starts_with(&format!("{r}/")))
        {
            Some(reserved) => Err(format!("{reserved} is the gateway's own")),
            None => Ok(()),
        }
    }

    fn validate_methods(&self) -> Result<(), String> {
        for (m, level) in &self.methods {
            if !METHODS.contains(&m.as_str()) {
                return Err(format!("unknown method {m:?}"));
            }
            if level.is_empty() {
                return Err(format!("empty level for {m}"));
            }
        }
        Ok(())
    }
}

/// The audience of a route without an application: its prefix without the leading `/`,
/// other characters than letters, digits, `-` and `_` as `-` (`root` for `/`).
pub(super) fn default_audience(prefix: &str) -> String {
    let name: String = prefix
        .trim_matches('/')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if name.is_empty() {
        "root".to_owned()
    } else {
        name
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_base_refused, base, refused, section};
    use super::*;

    const ROUTE: &str = "prefix = \"/vouchers\"\nupstream = \"http://127.0.0.1:9001\"\n\
                         application = \"vouchers\"\naccess = \"policy\"\n\
                         methods = { GET = \"read\", POST = \"modify\" }";

    fn route(from: &str, to: &str) -> RouteConfig {
        assert!(ROUTE.contains(from), "{from:?} is not in the route");
        section(&ROUTE.replacen(from, to, 1))
    }

    fn refused_at_2(r: &RouteConfig, key: &str) {
        let msg = r.validate(2).expect_err(key).to_string();
        assert!(
            msg.contains(&format!("routes[2].{key}")),
            "{key} not named in: {msg}"
        );
    }

    #[test]
    fn a_route_and_its_defaults_are_accepted() {
        let r = route("", "");
        assert!(r.validate(0).is_ok());
        assert!(r.strip_prefix);
        assert_eq!(
            (r.timeout_secs, r.require_factor, r.min_acr),
            (30, None, None)
        );
        let public = route("access = \"policy\"", "access = \"public\"");
        assert!(route("/vouchers", "/a/b-c_d").validate(0).is_ok());
        assert!(public.validate(0).is_ok());
    }

    #[test]
    fn each_bad_value_is_refused_with_its_key() {
        let cases = [
            (
                "upstream = \"http://127.0.0.1:9001\"",
                "upstream = \"ftp://x\"",
                "routes[0].upstream",
            ),
            (
                "prefix = \"/vouchers\"",
                "prefix = \"/auth/x\"",
                "routes[0].prefix",
            ),
            (
                "prefix = \"/vouchers\"",
                "prefix = \"vouchers\"",
                "routes[0].prefix",
            ),
            ("GET = \"read\"", "GIT = \"read\"", "routes[0].methods"),
            ("access = \"policy\"", "access = \"sometimes\"", "access"),
            (
                "upstream = \"http://127.0.0.1:9001\"",
                "upstream = \"http://\"",
                "upstream",
            ),
        ];
        for (from, to, key) in cases {
            assert_base_refused(from, to, key);
        }
    }

    #[test]
    fn each_bad_route_value_is_refused() {
        let cases = [
            route("/vouchers", "/a//b"),
            route("/vouchers", "/a/../b"),
            route("/vouchers", ""),
        ];
        for r in cases {
            refused_at_2(&r, "prefix");
        }
        for reserved in RESERVED_PREFIXES {
            refused_at_2(&route("/vouchers", reserved), "prefix");
            refused_at_2(&route("/vouchers", &format!("{reserved}/x")), "prefix");
        }
        assert!(
            route("/vouchers", "/authx").validate(0).is_ok(),
            "only whole segments"
        );
        refused_at_2(&route("9001", "9001/api"), "upstream");
        refused_at_2(&route("9001", "9001/?a=1"), "upstream");
        refused_at_2(&route("\"vouchers\"", "\"\""), "application");
        refused_at_2(&route("\"vouchers\"", "\"a b\""), "application");
        refused_at_2(&route("\"modify\"", "\"\""), "methods");
        refused_at_2(&route("access", "timeout_secs = 0\naccess"), "timeout_secs");
    }

    #[test]
    fn step_up_is_only_for_routes_with_a_session() {
        for access in ["public", "denied"] {
            let open = |extra: &str| {
                route(
                    "access = \"policy\"",
                    &format!("access = \"{access}\"\n{extra}"),
                )
            };
            assert!(open("").validate(0).is_ok());
            refused_at_2(&open("min_acr = \"high\""), "min_acr");
            refused_at_2(&open("require_factor = \"any\""), "require_factor");
        }
        let methods_free = route("access = \"policy\"", "access = \"authenticated\"");
        assert!(methods_free.validate(0).is_ok());
    }

    #[test]
    fn contexts_and_idle_timeout_are_checked() {
        let r = route("", "");
        assert_eq!(r.contexts, vec!["organisation".to_owned()]);
        assert_eq!(r.idle_timeout_secs, None);
        let both = route(
            "access",
            "contexts = [\"organisation\", \"myself\"]\nidle_timeout_secs = 1800\naccess",
        );
        assert!(both.validate(0).is_ok());
        assert_eq!(both.idle_timeout_secs, Some(1800));
        refused_at_2(&route("access", "contexts = [\"me\"]\naccess"), "contexts");
        refused_at_2(&route("access", "contexts = []\naccess"), "contexts");
        refused_at_2(
            &route("access", "idle_timeout_secs = 0\naccess"),
            "idle_timeout_secs",
        );
    }

    #[test]
    fn two_routes_may_not_share_a_prefix() {
        let second = |prefix: &str| {
            format!(
                "{}\n[[routes]]\nprefix = \"{prefix}\"\nupstream = \"http://127.0.0.1:9002\"\n\
                 application = \"other\"\naccess = \"authenticated\"\n",
                base()
            )
        };
        assert!(refused(&second("/vouchers/")).contains("routes[1].prefix"));
        assert!(refused(&second("/vouchers")).contains("routes[1].prefix"));
        assert!(super::super::Config::from_toml(&second("/vouchers2")).is_ok());
    }

    #[test]
    fn a_required_factor_is_met_by_its_amr() {
        let amr = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(RequiredFactor::Any.met_by(&amr(&["pwd", "mail"])));
        assert!(!RequiredFactor::Totp.met_by(&amr(&["pwd", "mail"])));
        assert!(RequiredFactor::Webauthn.met_by(&amr(&["hwk"])));
        assert!(!RequiredFactor::Webauthn.met_by(&amr(&["otp"])));
        assert!(RequiredFactor::Totp.met_by(&amr(&["otp"])));
        assert!(!RequiredFactor::Any.met_by(&amr(&["pwd"])));
        assert_eq!(RequiredFactor::Webauthn.as_str(), "webauthn");
    }
}
