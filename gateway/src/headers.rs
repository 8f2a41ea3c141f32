//! What the gateway reads of raw request and response headers, as byte-exact pure
//! functions the proxy's phases call: which client headers are identity or routing
//! overrides (in any spelling), whether `Host` is one valid authority, the name a browser
//! reads in a `Set-Cookie` line, and the client's address behind trusted proxies.

use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderName, header};

use crate::config::IpNet;

/// Client headers a backend, a framework or a proxy in front of it may take as the
/// caller's identity or as the real path, method or address of the request. The gateway
/// alone says these things (with the assertion and its own `Forwarded`), so every
/// spelling of them is removed from what a client sends.
const EXACT: [&str; 14] = [
    "forwarded",
    "remote-user",
    "remote-groups",
    "auth-user",
    "client-ip",
    "x-user",
    "x-user-id",
    "x-identity",
    "x-email",
    "x-http-method",
    "x-proxy-user",
    "x-auth-user",
    "x-authenticated-user",
    "x-authenticated-userid",
];

/// Prefixes of the same class (every header of the gateway's own prefix, every
/// `X-Forwarded-*`, the rewrite and "original request" headers of IIS, nginx and Envoy,
/// the identity headers of auth proxies).
const PREFIXES: [&str; 8] = [
    assertion::HEADER_PREFIX,
    "x-forwarded-",
    "x-original-",
    "x-rewrite-",
    "x-envoy-",
    "x-remote-",
    "x-auth-request-",
    "x-authenticated-",
];

/// Endings of the same class (`X-HTTP-Method-Override`, `True-Client-IP`,
/// `CF-Connecting-IP`, `X-Real-IP`, `X-Cluster-Client-IP`).
const SUFFIXES: [&str; 4] = ["method-override", "client-ip", "real-ip", "connecting-ip"];

/// A header name as CGI, WSGI, PHP and Rack read it: lowercase, `_` as `-` (they map
/// both to `HTTP_REMOTE_USER`).
pub fn normal_name(name: &str) -> std::borrow::Cow<'_, str> {
    if name.bytes().any(|b| b == b'_' || b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(name.to_ascii_lowercase().replace('_', "-"))
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// Whether a client header (or trailer) named `name` is removed: an identity or routing
/// override in any spelling, or one of the configured `identity` headers (given in their
/// [`normal_name`] form).
pub fn is_identity_or_override(name: &str, identity: &[HeaderName]) -> bool {
    let n = normal_name(name);
    let n = n.as_ref();
    EXACT.contains(&n)
        || PREFIXES.iter().any(|p| n.starts_with(p))
        || SUFFIXES.iter().any(|s| n.ends_with(s))
        || identity.iter().any(|h| h.as_str() == n)
}

/// Remove every identity or routing-override header (see [`is_identity_or_override`]).
pub fn strip(headers: &mut HeaderMap, identity: &[HeaderName]) {
    // Most requests carry none: look first, allocate only to remove.
    if !headers
        .keys()
        .any(|name| is_identity_or_override(name.as_str(), identity))
    {
        return;
    }
    let ours: Vec<HeaderName> = headers
        .keys()
        .filter(|name| is_identity_or_override(name.as_str(), identity))
        .cloned()
        .collect();
    for name in ours {
        headers.remove(&name);
    }
}

/// The request's one `Host`, if it is a valid authority: a host name, an IPv4 address
/// or a bracketed IPv6 address, with an optional port; nothing else (no user info, path,
/// space or quote). `None` for a missing, repeated or malformed `Host` (answered 400).
/// Over HTTP/2 the authority of the URI stands for it.
pub fn valid_host<'a>(headers: &'a HeaderMap, uri: &'a axum::http::Uri) -> Option<&'a str> {
    let mut all = headers.get_all(header::HOST).iter();
    let host = match (all.next(), all.next()) {
        (Some(h), None) => h.to_str().ok()?,
        (None, _) => uri.authority()?.as_str(),
        (Some(_), Some(_)) => return None,
    };
    is_authority(host).then_some(host)
}

fn is_authority(s: &str) -> bool {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let Some((v6, tail)) = rest.split_once(']') else {
            return false;
        };
        if v6.parse::<std::net::Ipv6Addr>().is_err() {
            return false;
        }
        if tail.is_empty() {
            return true;
        }
        let Some(port) = tail.strip_prefix(':') else {
            return false;
        };
        (None, Some(port))
    } else {
        match s.split_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(s), None),
        }
    };
    let host_ok = host.is_none_or(|h| {
        !h.is_empty()
            && h.len() <= 253
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
    });
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    host_ok && port_ok
}

/// The cookie name a browser reads in a raw `Set-Cookie` value: the bytes before the
/// first `=`, without surrounding spaces and tabs (RFC 6265 section 5.2; Chromium does
/// the same). Read from the bytes, so a value holding bytes that are not text (which a
/// browser accepts) cannot hide the name. A line without `=` sets a cookie with an empty
/// name.
pub fn set_cookie_name(raw: &[u8]) -> String {
    let Some(eq) = raw.iter().position(|b| *b == b'=') else {
        return String::new();
    };
    let name = raw[..eq].trim_ascii();
    String::from_utf8_lossy(name).into_owned()
}

/// The client's address: the TCP peer, unless the peer is a trusted proxy; then the
/// nearest address of `Forwarded` (else `X-Forwarded-For`) that is not itself a trusted
/// proxy, read from the right (the entries on the left were written by the client and
/// prove nothing). A trusted proxy sending no usable header stands for the client.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let chain = forwarded_for(headers).or_else(|| x_forwarded_for(headers));
    let Some(chain) = chain else {
        return peer;
    };
    let mut client = peer;
    for ip in chain.into_iter().rev() {
        match ip {
            Some(ip) if is_trusted(&ip) => client = ip,
            Some(ip) => return ip,
            // An obfuscated or unparsable hop: nothing further left can be believed.
            None => return client,
        }
    }
    client
}

/// The `for=` addresses of every `Forwarded` element, in order (`None` for one that is
/// not an address), or `None` without the header.
fn forwarded_for(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let mut out = Vec::new();
    let mut any = false;
    for value in headers.get_all("forwarded") {
        any = true;
        let Ok(text) = value.to_str() else {
            out.push(None);
            continue;
        };
        for element in text.split(',') {
            let node = element.split(';').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| v.trim())
            });
            out.push(node.and_then(parse_node));
        }
    }
    any.then_some(out)
}

fn x_forwarded_for(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let mut out = Vec::new();
    let mut any = false;
    for value in headers.get_all("x-forwarded-for") {
        any = true;
        match value.to_str() {
            Ok(text) => out.extend(text.split(',').map(|s| parse_node(s.trim()))),
            Err(_) => out.push(None),
        }
    }
    any.then_some(out)
}

/// An address as `Forwarded` or `X-Forwarded-For` writes it: bare, quoted, bracketed
/// IPv6, with or without a port.
fn parse_node(s: &str) -> Option<IpAddr> {
    let s = s.trim_matches('"');
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    s.rsplit_once(':')?.0.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn every_spelling_of_the_class_is_caught() {
        let identity = vec![HeaderName::from_static("x-custom-id")];
        for name in [
            "x-gateway-assertion",
            "X_Gateway_Assertion",
            "Remote_User",
            "x_remote_user",
            "X_Forwarded_User",
            "x-original-url",
            "X-Rewrite-URL",
            "x-forwarded-prefix",
            "true-client-ip",
            "x-http-method-override",
            "x-method-override",
            "x-http-method",
            "cf-connecting-ip",
            "x-real-ip",
            "x_custom_id",
            "forwarded",
        ] {
            assert!(is_identity_or_override(name, &identity), "{name}");
        }
        for name in [
            "accept",
            "user-agent",
            "cookie",
            "x-csrf-token",
            "sec-fetch-site",
            "x-request-id",
        ] {
            assert!(!is_identity_or_override(name, &identity), "{name}");
        }
    }

    #[test]
    fn host_must_be_one_authority() {
        let uri: axum::http::Uri = "/x".parse().expect("uri");
        let check = |values: &[&str]| {
            let mut h = HeaderMap::new();
            for v in values {
                h.append(header::HOST, HeaderValue::from_str(v).expect("value"));
            }
            valid_host(&h, &uri).map(str::to_owned)
        };
        for ok in [
            "gw.example.be",
            "127.0.0.1:8080",
            "[::1]:8080",
            "[::1]",
            "localhost",
        ] {
            assert_eq!(check(&[ok]).as_deref(), Some(ok));
        }
        for bad in [
            "a\", for=6.6.6.6;host=\"evil",
            "user@evil",
            "a b",
            "evil/x",
            "",
            "h:",
            "h:x",
            "[::1",
            "[nope]",
            "[::1]x",
            "h:1:2",
        ] {
            assert_eq!(check(&[bad]), None, "{bad}");
        }
        assert_eq!(check(&[]), None);
        assert_eq!(check(&["a", "b"]), None);
    }

    #[test]
    fn cookie_names_are_read_from_bytes() {
        assert_eq!(set_cookie_name(b"gw_session=x; X=\xe9"), "gw_session");
        assert_eq!(set_cookie_name(b" \tgw_login =x"), "gw_login");
        assert_eq!(set_cookie_name(b"novalue"), "");
    }

    #[test]
    fn client_ip_believes_trusted_proxies_only() {
        let trusted: Vec<IpNet> = vec!["127.0.0.1/32".parse().expect("net")];
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("1.1.1.1, 2.2.2.2"),
        );
        let local: IpAddr = "127.0.0.1".parse().expect("ip");
        let other: IpAddr = "10.0.0.9".parse().expect("ip");
        assert_eq!(client_ip(other, &h, &trusted), other);
        assert_eq!(client_ip(local, &h, &trusted).to_string(), "2.2.2.2");
        h.insert(
            "forwarded",
            HeaderValue::from_static("for=3.3.3.3, for=\"[2001:db8::1]:4711\""),
        );
        assert_eq!(client_ip(local, &h, &trusted).to_string(), "2001:db8::1");
        h.insert("forwarded", HeaderValue::from_static("for=_hidden"));
        assert_eq!(client_ip(local, &h, &trusted), local);
        assert_eq!(client_ip(local, &HeaderMap::new(), &trusted), local);
    }
}
