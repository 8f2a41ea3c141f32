//! `[server]`: where the gateway listens and the URL people reach it at. The public URL
//! decides the cookies' `Secure` flag, so plain http is refused outside loopback unless
//! the one `danger_*` switch says otherwise.

use std::net::SocketAddr;

use serde::Deserialize;
use url::Url;

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
    /// Serve `/metrics` to loopback clients only (true) or to nobody (false).
    #[serde(default = "super::yes")]
    pub metrics: bool,
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
