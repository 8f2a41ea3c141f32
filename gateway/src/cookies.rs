//! Every cookie the gateway sets is built here: `HttpOnly`, `SameSite`, `Secure` and the
//! `__Host-` prefix outside loopback http. The session cookie is `Strict`; only the
//! short-lived login-binding cookie is `Lax`, because it must come back on the provider's
//! cross-site redirect to `/auth/callback`.

use axum::http::{HeaderMap, HeaderValue, header};
use cookie::{Cookie, SameSite};

/// Names and flags of the gateway's cookies.
#[derive(Debug, Clone)]
pub struct CookieJar {
    secure: bool,
    session_name: &'static str,
    login_name: &'static str,
    factor_name: &'static str,
    device_name: &'static str,
    lang_name: &'static str,
}

impl CookieJar {
    /// `secure`: the public URL is https.
    pub fn new(secure: bool) -> Self {
        Self {
            secure,
            session_name: if secure {
                "__Host-gw_session"
            } else {
                "gw_session"
            },
            login_name: if secure {
                "__Host-gw_login"
            } else {
                "gw_login"
            },
            factor_name: if secure {
                "__Host-gw_factor"
            } else {
                "gw_factor"
            },
            device_name: if secure {
                "__Host-gw_device"
            } else {
                "gw_device"
            },
            lang_name: if secure { "__Host-gw_lang" } else { "gw_lang" },
        }
    }

    /// The language chosen with the switch by someone not logged in (`fr`, `nl`, `en`).
    pub fn lang_choice(&self, headers: &HeaderMap) -> Option<String> {
        read(headers, self.lang_name).filter(|v| i18n::Lang::from_code(v).is_some())
    }

    /// Remember a language choice for a year (it is no secret; `Lax` so that it also
    /// applies when a person arrives from another site).
    pub fn set_lang(&self, lang: i18n::Lang) -> HeaderValue {
        self.build(
            self.lang_name,
            lang.code(),
            SameSite::Lax,
            Some(365 * 24 * 3600),
        )
    }

    /// The session cookie's name.
    pub fn session_name(&self) -> &'static str {
        self.session_name
    }

    /// The session token a request carries, if it is well formed (43 base64url
    /// characters). Anything else counts as no session.
    pub fn session_token(&self, headers: &HeaderMap) -> Option<String> {
        read(headers, self.session_name).filter(|v| well_formed(v))
    }

    /// The login-binding token a request carries, if well formed.
    pub fn login_token(&self, headers: &HeaderMap) -> Option<String> {
        read(headers, self.login_name).filter(|v| well_formed(v))
    }

    /// `Set-Cookie` for a new session (a session cookie for the browser: no Max-Age, the
    /// server decides the end).
    pub fn set_session(&self, token: &str) -> HeaderValue {
        self.build(self.session_name, token, SameSite::Strict, None)
    }

    /// `Set-Cookie` removing the session cookie.
    pub fn clear_session(&self) -> HeaderValue {
        self.build(self.session_name, "", SameSite::Strict, Some(0))
    }

    /// `Set-Cookie` binding a login in progress to this browser.
    pub fn set_login(&self, token: &str, max_age_secs: i64) -> HeaderValue {
        self.build(self.login_name, token, SameSite::Lax, Some(max_age_secs))
    }

    /// `Set-Cookie` removing the login-binding cookie.
    pub fn clear_login(&self) -> HeaderValue {
        self.build(self.login_name, "", SameSite::Lax, Some(0))
    }

    /// The pending second-factor challenge a request carries, if well formed.
    pub fn factor_token(&self, headers: &HeaderMap) -> Option<String> {
        read(headers, self.factor_name).filter(|v| well_formed(v))
    }

    /// `Set-Cookie` binding a pending second-factor challenge to this browser (`Strict`:
    /// only the gateway's own pages send it back).
    pub fn set_factor(&self, token: &str, max_age_secs: i64) -> HeaderValue {
        self.build(
            self.factor_name,
            token,
            SameSite::Strict,
            Some(max_age_secs),
        )
    }

    /// `Set-Cookie` removing the challenge cookie.
    pub fn clear_factor(&self) -> HeaderValue {
        self.build(self.factor_name, "", SameSite::Strict, Some(0))
    }

    /// The trusted-device token a request carries, if well formed.
    pub fn device_token(&self, headers: &HeaderMap) -> Option<String> {
        read(headers, self.device_name).filter(|v| well_formed(v))
    }

    /// `Set-Cookie` marking this browser as a trusted device. `Lax`, because it must come
    /// back on the provider's cross-site redirect to `/auth/callback`.
    pub fn set_device(&self, token: &str, max_age_secs: i64) -> HeaderValue {
        self.build(self.device_name, token, SameSite::Lax, Some(max_age_secs))
    }

    /// `Set-Cookie` removing the trusted-device cookie.
    pub fn clear_device(&self) -> HeaderValue {
        self.build(self.device_name, "", SameSite::Lax, Some(0))
    }

    fn build(
        &self,
        name: &'static str,
        value: &str,
        same_site: SameSite,
        max_age: Option<i64>,
    ) -> HeaderValue {
        let mut c = Cookie::new(name, value.to_owned());
        c.set_path("/");
        c.set_http_only(true);
        c.set_secure(self.secure);
        c.set_same_site(same_site);
        if let Some(age) = max_age {
            c.set_max_age(cookie::time::Duration::seconds(age));
        }
        HeaderValue::from_str(&c.encoded().to_string())
            .unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}

/// Whether a cookie name is one of the gateway's own (session, login binding, second
/// factor, device trust), with or without the `__Host-` prefix, in any case.
pub fn is_gateway_cookie(name: &str) -> bool {
    let name = name.trim();
    let bare = name
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("__Host-"))
        .map_or(name, |_| &name[7..]);
    ["gw_session", "gw_login", "gw_factor", "gw_device"]
        .iter()
        .any(|ours| bare.eq_ignore_ascii_case(ours))
}

/// Remove the gateway's own cookies from a request's `Cookie` headers before it goes
/// upstream: a backend never sees a session token it could replay. The other cookies
/// stay, in their order, in one `Cookie` header (RFC 6265 section 5.4).
pub fn strip_gateway_cookies(headers: &mut HeaderMap) {
    let mut any_ours = false;
    // One string, grown only by the cookies that stay (none on most proxied requests
    // besides the session cookie itself).
    let mut kept = String::new();
    for value in headers.get_all(header::COOKIE) {
        let Ok(text) = value.to_str() else {
            // Not text: nobody can tell what it holds, so it does not go upstream.
            any_ours = true;
            continue;
        };
        for pair in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let name = pair.split_once('=').map_or(pair, |(k, _)| k);
            if is_gateway_cookie(name) {
                any_ours = true;
            } else {
                if !kept.is_empty() {
                    kept.push_str("; ");
                }
                kept.push_str(pair);
            }
        }
    }
    if !any_ours {
        return;
    }
    headers.remove(header::COOKIE);
    if !kept.is_empty()
        && let Ok(v) = HeaderValue::from_str(&kept)
    {
        headers.insert(header::COOKIE, v);
    }
}

/// Append a `Set-Cookie` header.
pub fn append(headers: &mut HeaderMap, value: HeaderValue) {
    if !value.is_empty() {
        headers.append(header::SET_COOKIE, value);
    }
}

fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k.trim() == name).then(|| v.trim().trim_matches('"').to_owned())
        })
        .next()
}

fn well_formed(v: &str) -> bool {
    v.len() == 43
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TOKEN: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    fn headers(cookie: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(cookie).expect("ascii"),
        );
        h
    }

    #[test]
    fn flags_outside_loopback() {
        let jar = CookieJar::new(true);
        let v = jar.set_session(TOKEN);
        let s = v.to_str().expect("ascii");
        assert!(s.starts_with("__Host-gw_session="));
        for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
            assert!(s.contains(flag), "{flag} missing in {s}");
        }
        assert!(!s.contains("Domain"));
        let l = jar.set_login(TOKEN, 600);
        assert!(l.to_str().expect("ascii").contains("SameSite=Lax"));
        let f = jar.set_factor(TOKEN, 600);
        let f = f.to_str().expect("ascii");
        assert!(
            f.starts_with("__Host-gw_factor=")
                && f.contains("SameSite=Strict")
                && f.contains("Max-Age=600")
        );
        let d = jar.set_device(TOKEN, 86_400);
        let d = d.to_str().expect("ascii");
        assert!(
            d.starts_with("__Host-gw_device=")
                && d.contains("SameSite=Lax")
                && d.contains("Secure")
        );
        assert!(d.contains("HttpOnly") && d.contains("Max-Age=86400"));
        assert_eq!(
            jar.device_token(&headers(&format!("__Host-gw_device={TOKEN}")))
                .as_deref(),
            Some(TOKEN)
        );
        assert_eq!(jar.factor_token(&headers("__Host-gw_factor=x")), None);
    }

    #[test]
    fn loopback_http_has_no_secure_flag() {
        let jar = CookieJar::new(false);
        let s = jar.set_session(TOKEN);
        let s = s.to_str().expect("ascii");
        assert!(s.starts_with("gw_session="));
        assert!(!s.contains("Secure"));
        assert!(s.contains("HttpOnly"));
    }

    #[test]
    fn gateway_cookies_never_go_upstream() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; gw_session=abc; __Host-GW_DEVICE=x"),
        );
        h.append(
            header::COOKIE,
            HeaderValue::from_static("gw_login=1;lang=fr"),
        );
        strip_gateway_cookies(&mut h);
        let all: Vec<_> = h.get_all(header::COOKIE).iter().collect();
        assert_eq!(all, vec!["theme=dark; lang=fr"]);

        let mut only_ours = headers("__Host-gw_session=abc; gw_factor=2");
        strip_gateway_cookies(&mut only_ours);
        assert!(only_ours.get(header::COOKIE).is_none());

        let mut none_ours = headers("a=1; b=2");
        strip_gateway_cookies(&mut none_ours);
        assert_eq!(
            none_ours.get(header::COOKIE).map(|v| v.as_bytes()),
            Some(&b"a=1; b=2"[..])
        );
        assert!(!is_gateway_cookie("gw_sessionx"));
        assert!(!is_gateway_cookie("my_gw_session"));
    }

    #[test]
    fn reads_only_well_formed_tokens() {
        let jar = CookieJar::new(false);
        assert_eq!(
            jar.session_token(&headers(&format!("a=b; gw_session={TOKEN}")))
                .as_deref(),
            Some(TOKEN)
        );
        assert_eq!(jar.session_token(&headers("gw_session=short")), None);
        assert_eq!(jar.session_token(&headers("gw_session=")), None);
        assert_eq!(jar.session_token(&headers(";;;=;gw_session")), None);
    }

    proptest! {
        #[test]
        fn cookie_parsing_never_panics(s in "[ -~]{0,200}") {
            let jar = CookieJar::new(true);
            if let Ok(v) = HeaderValue::from_str(&s) {
                let mut h = HeaderMap::new();
                h.insert(header::COOKIE, v);
                let _ = jar.session_token(&h);
                let _ = jar.login_token(&h);
                let _ = jar.factor_token(&h);
                let _ = jar.device_token(&h);
            }
        }
    }
}
