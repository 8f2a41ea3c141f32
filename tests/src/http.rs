//! An HTTP client as the tests' browser or API client, and the little parsing of answers
//! every test needs: form fields, `Location`, `Set-Cookie`. One copy for the workspace's
//! tests (the gateway's, the end-to-end ones).

use std::sync::Arc;
use std::time::Duration;

use reqwest::cookie::{CookieStore, Jar};

/// How long one request may take before the test fails (the machine is small and shared).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A client that follows no redirect and keeps no cookie: the test handles both by hand.
pub fn client() -> reqwest::Client {
    builder().build().expect("HTTP client")
}

/// A browser-less user agent: a cookie jar, no redirect followed.
pub fn browser() -> reqwest::Client {
    builder().cookie_store(true).build().expect("HTTP client")
}

/// [`browser`] with its cookie jar in hand, for a test that must know the values of the
/// cookies it was given (see [`jar_cookies`]).
pub fn browser_with_jar() -> (reqwest::Client, Arc<Jar>) {
    let jar = Arc::new(Jar::default());
    let client = builder()
        .cookie_provider(jar.clone())
        .build()
        .expect("HTTP client");
    (client, jar)
}

/// The cookies (name, value) `jar` would send to `url`.
pub fn jar_cookies(jar: &Jar, url: &str) -> Vec<(String, String)> {
    let Ok(url) = url.parse::<url::Url>() else {
        return Vec::new();
    };
    jar.cookies(&url)
        .and_then(|h| h.to_str().ok().map(str::to_owned))
        .map(|h| {
            h.split("; ")
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
}

/// The value of the form field `name` in a page (`name="..." value="..."`), as the page
/// has it (HTML-escaped).
pub fn field(html: &str, name: &str) -> Option<String> {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(str::to_owned)
}

/// The `Location` of an answer ("" without one).
pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// `to` as an absolute URL on `base` (a `Location` may be either).
pub fn absolute(base: &str, to: &str) -> String {
    if to.starts_with("http") {
        to.to_owned()
    } else {
        format!("{base}{to}")
    }
}

/// The whole `Set-Cookie` value setting cookie `name`, if the answer sets it.
pub fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// The value in a `Set-Cookie` line (`name=VALUE; ...`).
pub fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v.to_owned())
        .unwrap_or_default()
}

/// `s` encoded for a query string or a form.
pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_cookies_are_read_as_pages_write_them() {
        let page = r#"<input type="hidden" name="csrf" value="a&amp;b"><input name="id" value="">"#;
        assert_eq!(field(page, "csrf").as_deref(), Some("a&amp;b"));
        assert_eq!(field(page, "id").as_deref(), Some(""));
        assert_eq!(field(page, "none"), None);
        assert_eq!(cookie_value("gw_session=abc; Path=/; HttpOnly"), "abc");
        assert_eq!(cookie_value("broken"), "");
        assert_eq!(urlencode("/a b?c=d"), "%2Fa+b%3Fc%3Dd");
        assert_eq!(absolute("http://h", "/x"), "http://h/x");
        assert_eq!(absolute("http://h", "https://o/y"), "https://o/y");
    }
}
