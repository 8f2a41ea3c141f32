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
}

impl CookieJar {
    /// `secure`: the public URL is https.
    pub fn new(secure: bool) -> Self {
        Self {
            secure,
            session_name: if secure { "__Host-gw_session" } else { "gw_session" },
            login_name: if secure { "__Host-gw_login" } else { "gw_login" },
        }
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

    fn build(&self, name: &'static str, value: &str, same_site: SameSite, max_age: Option<i64>) -> HeaderValue {
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
    v.len() == 43 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TOKEN: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    fn headers(cookie: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(cookie).expect("ascii"));
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
    fn reads_only_well_formed_tokens() {
        let jar = CookieJar::new(false);
        assert_eq!(jar.session_token(&headers(&format!("a=b; gw_session={TOKEN}"))).as_deref(), Some(TOKEN));
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
            }
        }
    }
}
