//! `[server]`: where the gateway listens and the URL people reach it at. The public URL
//! decides the cookies' `Secure` flag, so plain http is refused outside loopback unless
//! the one `danger_*` switch says otherwise.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use serde::Deserialize;
use url::Url;

use super::Secret;
use super::error::{ConfigError, invalid};

/// `[server]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Socket to listen on, e.g. `127.0.0.1:8080`.
    pub listen: SocketAddr,
    /// The URL people and providers reach the gateway at (scheme, host, port). Used for
    /// the OIDC redirect URI, the assertion issuer and the cookie's `Secure` flag.
    pub public_url: Url,
    /// Seconds in-flight requests get to finish on shutdown.
    #[serde(default = "default_shutdown_grace")]
    pub shutdown_grace_secs: u64,
    /// Serve `/metrics` (true) or not at all (false). Without `metrics_token`, only to a
    /// client connected from loopback that is not a trusted proxy; with it, to a client
    /// presenting it as `Authorization: Bearer`.
    #[serde(default = "super::yes")]
    pub metrics: bool,
    /// The token `/metrics` asks for (prefer the `GATEWAY_METRICS_TOKEN` environment
    /// variable); at least 32 characters. Required when a trusted proxy is on loopback.
    #[serde(default)]
    pub metrics_token: Option<Secret>,
    /// Proxies (addresses or CIDR blocks, e.g. `"127.0.0.1/32"`) whose `Forwarded` or
    /// `X-Forwarded-For` header names the client; nobody else's is believed. Empty: the
    /// TCP peer is the client.
    #[serde(default)]
    pub trusted_proxies: Vec<IpNet>,
    /// Seconds a client has to send a request's headers (slow clients get 408).
    #[serde(default = "default_header_read")]
    pub header_read_timeout_secs: u64,
    /// Seconds a client has to send a request's body to the gateway's own endpoints, and
    /// between two pieces of a proxied body (then 408).
    #[serde(default = "default_body_read")]
    pub body_read_timeout_secs: u64,
    /// Connections served at once; one more is answered 503 and closed.
    #[serde(default = "default_max_connections")]
    pub max_connections: usize,
    /// Allow plain `http` on a public URL that is not loopback. Never in production.
    #[serde(default)]
    pub danger_allow_insecure_http: bool,
    /// Language of the pages and mails when neither the person's choice nor the browser's
    /// `Accept-Language` names a supported one: `fr`, `nl` or `en`.
    #[serde(default = "default_language")]
    pub default_language: String,
}

fn default_language() -> String {
    "en".to_owned()
}

fn default_shutdown_grace() -> u64 {
    20
}

fn default_header_read() -> u64 {
    10
}

fn default_body_read() -> u64 {
    30
}

fn default_max_connections() -> usize {
    4096
}

/// An address block (`10.0.0.0/8`, `::1/128`), or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// Whether `ip` is inside the block.
    pub fn contains(&self, ip: &IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(*ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(*ip) & mask
            }
            _ => false,
        }
    }

    /// Whether the block holds a loopback address.
    pub fn covers_loopback(&self) -> bool {
        self.contains(&IpAddr::from([127, 0, 0, 1]))
            || self.contains(&IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]))
    }
}

impl FromStr for IpNet {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .trim()
            .parse()
            .map_err(|_| format!("{s:?} is not an address or address block"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?}: the prefix length must be 0 to {max}"))?,
        };
        Ok(Self { addr, prefix })
    }
}

impl<'de> Deserialize<'de> for IpNet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl ServerConfig {
    /// Check `public_url`: http or https, plain http on loopback only (or with the
    /// danger switch), no path or query.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if i18n::Lang::from_code(&self.default_language)
            .is_none_or(|l| l.code() != self.default_language)
        {
            return Err(invalid(
                "server.default_language",
                "must be one of fr, nl, en",
            ));
        }
        let url = &self.public_url;
        match url.scheme() {
            "https" => {}
            "http" => {
                if !is_loopback(url) && !self.danger_allow_insecure_http {
                    return Err(invalid(
                        "server.public_url",
                        "plain http is only allowed on loopback (or set server.danger_allow_insecure_http)",
                    ));
                }
            }
            _ => return Err(invalid("server.public_url", "scheme must be http or https")),
        }
        if url.path() != "/" || url.query().is_some() {
            return Err(invalid("server.public_url", "must have no path or query"));
        }
        if let Some(t) = &self.metrics_token
            && t.expose().chars().count() < 32
        {
            return Err(invalid(
                "server.metrics_token",
                "must have at least 32 characters",
            ));
        }
        if self.metrics
            && self.metrics_token.is_none()
            && self.trusted_proxies.iter().any(IpNet::covers_loopback)
        {
            return Err(invalid(
                "server.metrics_token",
                "required when a trusted proxy is on loopback (every client would then \
                 reach /metrics from loopback); or set server.metrics = false",
            ));
        }
        if self.trusted_proxies.iter().any(|n| n.prefix == 0) {
            return Err(invalid(
                "server.trusted_proxies",
                "a block of every address trusts every client",
            ));
        }
        for (key, v) in [
            (
                "server.header_read_timeout_secs",
                self.header_read_timeout_secs,
            ),
            ("server.body_read_timeout_secs", self.body_read_timeout_secs),
        ] {
            if !(1..=300).contains(&v) {
                return Err(invalid(key, "must be 1 to 300"));
            }
        }
        if self.max_connections == 0 {
            return Err(invalid("server.max_connections", "must be at least 1"));
        }
        Ok(())
    }

    /// The language of pages when nothing else names one.
    pub fn default_lang(&self) -> i18n::Lang {
        i18n::Lang::from_code(&self.default_language).unwrap_or(i18n::Lang::En)
    }

    /// The warning for each `danger_*` switch that is on.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.danger_allow_insecure_http {
            out.push(
                "server.danger_allow_insecure_http is on: a public URL on plain http is \
                 accepted outside loopback, so session cookies, CSRF tokens and logins \
                 cross the network unencrypted and cookies lose `Secure`"
                    .to_owned(),
            );
        }
        out
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{
        assert_base_refused, assert_section_accepted, assert_section_refused,
    };
    use super::*;

    fn server(public_url: &str, extra: &str) -> String {
        format!("listen = \"127.0.0.1:8080\"\npublic_url = \"{public_url}\"\n{extra}")
    }

    #[test]
    fn loopback_http_and_any_https_are_accepted() {
        for url in [
            "http://127.0.0.1:8080",
            "http://localhost:8080",
            "http://[::1]:8080",
            "https://gw.example.be",
            "https://gw.example.be/",
        ] {
            assert_section_accepted(&server(url, ""), ServerConfig::validate);
        }
        let s: ServerConfig = super::super::testing::section(&server("https://gw.example.be", ""));
        assert_eq!((s.shutdown_grace_secs, s.metrics), (20, true));
        assert!(s.warnings().is_empty());
    }

    #[test]
    fn each_bad_value_is_refused_with_its_key() {
        assert_base_refused("listen = \"127.0.0.1:8080\"", "listen = \"nope\"", "listen");
        assert_base_refused(
            "http://127.0.0.1:8080\"",
            "http://gw.example.be\"",
            "server.public_url",
        );
        for url in [
            "http://gw.example.be",
            "http://10.0.0.1:8080",
            "ftp://127.0.0.1",
            "http://127.0.0.1:8080/gateway",
            "https://gw.example.be/?a=1",
        ] {
            assert_section_refused(
                &server(url, ""),
                ServerConfig::validate,
                "server.public_url",
            );
        }
    }

    #[test]
    fn trusted_proxies_metrics_token_and_limits_are_checked() {
        let ok = server(
            "https://gw.example.be",
            "trusted_proxies = [\"127.0.0.1/32\", \"10.0.0.0/8\", \"::1\"]\n\
             metrics_token = \"0123456789abcdef0123456789abcdef\"",
        );
        assert_section_accepted(&ok, ServerConfig::validate);
        let s: ServerConfig = super::super::testing::section(&ok);
        assert!(s.trusted_proxies[1].contains(&"10.9.8.7".parse().expect("ip")));
        assert!(!s.trusted_proxies[1].contains(&"11.0.0.1".parse().expect("ip")));
        assert!(s.trusted_proxies[2].contains(&"::1".parse().expect("ip")));
        for (extra, key) in [
            (
                "trusted_proxies = [\"127.0.0.1/32\"]",
                "server.metrics_token",
            ),
            ("metrics_token = \"short\"", "server.metrics_token"),
            (
                "trusted_proxies = [\"0.0.0.0/0\"]\nmetrics = false",
                "server.trusted_proxies",
            ),
            (
                "header_read_timeout_secs = 0",
                "server.header_read_timeout_secs",
            ),
            (
                "body_read_timeout_secs = 301",
                "server.body_read_timeout_secs",
            ),
            ("max_connections = 0", "server.max_connections"),
        ] {
            assert_section_refused(
                &server("https://gw.example.be", extra),
                ServerConfig::validate,
                key,
            );
        }
        // A proxy on loopback without a token is fine once /metrics is off.
        assert_section_accepted(
            &server(
                "https://gw.example.be",
                "trusted_proxies = [\"127.0.0.1\"]\nmetrics = false",
            ),
            ServerConfig::validate,
        );
        for bad in ["\"nope\"", "\"10.0.0.0/33\"", "\"::1/129\""] {
            let text = server(
                "https://gw.example.be",
                &format!("trusted_proxies = [{bad}]"),
            );
            assert!(
                toml::from_str::<ServerConfig>(&text).is_err(),
                "{bad} accepted"
            );
        }
    }

    #[test]
    fn the_danger_switch_allows_http_and_warns() {
        let text = server("http://gw.example.be", "danger_allow_insecure_http = true");
        assert_section_accepted(&text, ServerConfig::validate);
        let s: ServerConfig = super::super::testing::section(&text);
        let w = s.warnings();
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("server.danger_allow_insecure_http"), "{w:?}");
        assert!(w[0].contains("unencrypted"), "{w:?}");
        // The switch does not lift the other checks.
        let text = server("ftp://gw.example.be", "danger_allow_insecure_http = true");
        assert_section_refused(&text, ServerConfig::validate, "server.public_url");
    }
}
