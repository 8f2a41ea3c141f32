//! The route table: which upstream serves a path, and how the route is protected.
//!
//! Paths are checked before matching: anything whose meaning could differ between the
//! gateway and a backend (dot segments, encoded slashes or dots, backslashes, empty
//! segments, NUL) is refused, so that no spelling of a path reaches a route the plain
//! path would not.

use std::collections::BTreeMap;

use crate::config::{Access, RouteConfig};

/// A route, ready for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Prefix without trailing slash (`/vouchers`).
    pub prefix: String,
    /// Upstream authority and scheme (`http://127.0.0.1:9001`).
    pub upstream: http::uri::Authority,
    /// Application name (assertion audience).
    pub application: String,
    /// Protection.
    pub access: Access,
    /// Access level per method.
    pub methods: BTreeMap<String, String>,
    /// Remove the prefix before forwarding.
    pub strip_prefix: bool,
    /// Upstream response-header timeout.
    pub timeout: std::time::Duration,
    /// Second factor the session must have passed (step-up).
    pub require_factor: Option<crate::config::RequiredFactor>,
    /// Weakest `acr` the session must have (step-up).
    pub min_acr: Option<String>,
    /// A person acting as themselves may use this route (`contexts` holds `myself`, or
    /// the route is only `authenticated`).
    pub accepts_myself: bool,
    /// A person acting for an organisation may use this route.
    pub accepts_organisation: bool,
    /// Idle timeout of the session on this route (ms); `None`: the session's.
    pub idle_ms: Option<i64>,
    /// The `Host` header sent upstream (the upstream's authority), made once.
    pub host: http::HeaderValue,
    /// This route's metric handles, looked up once (by its prefix) on first use.
    pub metrics: crate::metrics::RouteHandles,
}

/// Why a path was refused before any routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadPath;

/// Refuse ambiguous paths. `path` is the raw (still percent-encoded) request path.
pub fn check_path(path: &str) -> Result<(), BadPath> {
    if !path.starts_with('/') {
        return Err(BadPath);
    }
    let lower = path.to_ascii_lowercase();
    for bad in ["%2f", "%5c", "%2e", "%00", "\\", "//"] {
        if lower.contains(bad) {
            return Err(BadPath);
        }
    }
    if path.bytes().any(|b| b < 0x21 || b == 0x7f) {
        return Err(BadPath);
    }
    if path.split('/').any(|seg| seg == "." || seg == "..") {
        return Err(BadPath);
    }
    Ok(())
}

/// The routes, longest prefix first.
#[derive(Debug, Clone, Default)]
pub struct RouteTable {
    routes: Vec<Route>,
}

impl RouteTable {
    /// Build from the (validated) configuration.
    pub fn new(config: &[RouteConfig]) -> Self {
        let mut routes: Vec<Route> = config
            .iter()
            .filter_map(|r| {
                let authority = r.upstream.host_str().map(|h| match r.upstream.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => format!("{h}:80"),
                })?;
                Some(Route {
                    prefix: r.prefix.trim_end_matches('/').to_owned(),
                    host: http::HeaderValue::from_str(&authority).ok()?,
                    upstream: authority.parse().ok()?,
                    application: r.application.clone(),
                    access: r.access,
                    methods: r.methods.clone(),
                    strip_prefix: r.strip_prefix,
                    timeout: std::time::Duration::from_secs(r.timeout_secs),
                    require_factor: r.require_factor,
                    min_acr: r.min_acr.clone(),
                    accepts_myself: r.access == Access::Authenticated
                        || r.contexts.iter().any(|c| c == "myself"),
                    accepts_organisation: r.access == Access::Authenticated
                        || r.contexts.iter().any(|c| c == "organisation"),
                    idle_ms: r
                        .idle_timeout_secs
                        .map(|s| i64::try_from(s.saturating_mul(1000)).unwrap_or(i64::MAX)),
                    metrics: crate::metrics::RouteHandles::default(),
                })
            })
            .collect();
        routes.sort_by_key(|r| std::cmp::Reverse(r.prefix.len()));
        Self { routes }
    }

    /// The route serving a checked path: the longest prefix that matches on a segment
    /// boundary (`/vouchers` matches `/vouchers` and `/vouchers/x`, not `/voucherss`).
    pub fn find(&self, path: &str) -> Option<&Route> {
        self.routes.iter().find(|r| {
            r.prefix.is_empty()
                || (path.starts_with(&r.prefix)
                    && matches!(path.as_bytes().get(r.prefix.len()), None | Some(b'/')))
        })
    }

    /// The longest idle timeout of any route (ms), or `default` when none is longer: a
    /// session is kept in the store while some route could still accept it.
    pub fn longest_idle_ms(&self, default: i64) -> i64 {
        self.routes
            .iter()
            .filter_map(|r| r.idle_ms)
            .fold(default, i64::max)
    }

    /// All routes.
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }
}

impl Route {
    /// The path and query to send upstream.
    pub fn upstream_path_and_query(&self, path: &str, query: Option<&str>) -> String {
        let rest = if self.strip_prefix {
            let rest = &path[self.prefix.len().min(path.len())..];
            if rest.is_empty() { "/" } else { rest }
        } else {
            path
        };
        match query {
            Some(q) => format!("{rest}?{q}"),
            None => rest.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn table() -> RouteTable {
        let text = r#"
[[r]]
prefix = "/vouchers"
upstream = "http://127.0.0.1:9001"
application = "vouchers"
access = "authenticated"
[[r]]
prefix = "/vouchers/admin"
upstream = "http://127.0.0.1:9002"
application = "vadmin"
access = "denied"
[[r]]
prefix = "/public/"
upstream = "http://127.0.0.1:9003"
application = "pub"
access = "public"
"#;
        #[derive(serde::Deserialize)]
        struct W {
            r: Vec<RouteConfig>,
        }
        let w: W = toml::from_str(text).expect("routes");
        RouteTable::new(&w.r)
    }

    #[test]
    fn longest_prefix_on_segment_boundary() {
        let t = table();
        assert_eq!(
            t.find("/vouchers").map(|r| r.application.as_str()),
            Some("vouchers")
        );
        assert_eq!(
            t.find("/vouchers/x").map(|r| r.application.as_str()),
            Some("vouchers")
        );
        assert_eq!(
            t.find("/vouchers/admin/x").map(|r| r.application.as_str()),
            Some("vadmin")
        );
        assert_eq!(
            t.find("/vouchers/administration")
                .map(|r| r.application.as_str()),
            Some("vouchers")
        );
        assert!(t.find("/voucherss").is_none());
        assert_eq!(
            t.find("/public").map(|r| r.application.as_str()),
            Some("pub")
        );
    }

    #[test]
    fn tricky_paths_are_refused() {
        for p in [
            "/vouchers/../vouchers/admin",
            "/vouchers/%2e%2e/admin",
            "/vouchers%2fadmin",
            "/vouchers%2Fadmin",
            "//vouchers/admin",
            "/vouchers//admin",
            "/vouchers/./admin",
            "/vouchers\\admin",
            "/vouchers/%00",
            "/vouchers/a b",
            "vouchers",
        ] {
            assert_eq!(check_path(p), Err(BadPath), "{p}");
        }
        assert!(check_path("/vouchers/admin/x%20y?q").is_ok());
    }

    #[test]
    fn strip_prefix_keeps_the_rest() {
        let t = table();
        let r = t.find("/vouchers/a/b").expect("route");
        assert_eq!(
            r.upstream_path_and_query("/vouchers/a/b", Some("x=1")),
            "/a/b?x=1"
        );
        assert_eq!(r.upstream_path_and_query("/vouchers", None), "/");
    }

    proptest! {
        /// Whatever the spelling, a path accepted by `check_path` routes where its plain
        /// form routes, and the check never panics.
        #[test]
        fn accepted_paths_route_like_their_plain_form(segs in prop::collection::vec("[a-zA-Z0-9._%~-]{0,8}", 0..6)) {
            let t = table();
            let path = format!("/{}", segs.join("/"));
            if check_path(&path).is_ok() {
                // Accepted: no dot segments, no encoded separators, no empty segments
                // except a trailing slash; percent-decoding cannot create a separator.
                let decoded = percent_decode(&path);
                prop_assert!(!decoded.split('/').any(|s| s == "." || s == ".."));
                let a = t.find(&path).map(|r| r.application.clone());
                let b = t.find(&decoded).map(|r| r.application.clone());
                prop_assert_eq!(a, b);
            }
        }
    }

    fn percent_decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%'
                && i + 2 < bytes.len()
                && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
            {
                out.push(v);
                i += 3;
                continue;
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}
