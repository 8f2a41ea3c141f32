//! Every answer the gateway writes itself carries the security headers (strict CSP, no
//! framing, nosniff, no referrer, no-store); a backend's answer keeps its own headers.

mod support;

use support::*;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; \
                   base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

fn assert_page_headers(r: &reqwest::Response, what: &str) {
    let h = r.headers();
    let get = |n: &str| h.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert_eq!(get("content-security-policy"), CSP, "{what}");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("x-frame-options"), "DENY", "{what}");
    assert_eq!(get("referrer-policy"), "same-origin", "{what}");
}

fn cache_control(r: &reqwest::Response) -> String {
    r.headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn gateway_pages_carry_the_security_headers() {
    let env = Env::start(Options::default()).await;
    let c = client();
    let session = login(&env, &c, "citizen-1").await;
    let cookie = format!("gw_session={session}");
    // Pages with a CSRF token or personal data: never stored.
    for path in ["/", "/auth/factors", "/auth/session"] {
        let r = c
            .get(format!("{}{path}", env.url))
            .header("cookie", &cookie)
            .header("accept", "text/html")
            .send()
            .await
            .expect("page");
        assert!(r.status().is_success(), "{path}: {}", r.status());
        assert_page_headers(&r, path);
        assert_eq!(cache_control(&r), "no-store", "{path}");
        if path == "/" {
            let html = r.text().await.expect("html");
            assert!(html.contains("name=\"csrf\""), "{html}");
            assert!(!html.contains("<style"), "inline style on the home page");
            assert!(!html.contains(" style="), "inline style on the home page");
        }
    }
    // Error pages, redirects, the login start and the API answer the same way.
    for (path, accept) in [
        ("/nowhere", "text/html"),
        ("/vouchers/internal/x", "text/html"),
        ("/auth/login?return_to=%2F", "text/html"),
        ("/admin/api/me", "application/json"),
        ("/healthz", "*/*"),
    ] {
        let r = client()
            .get(format!("{}{path}", env.url))
            .header("accept", accept)
            .send()
            .await
            .expect("page");
        assert_page_headers(&r, path);
        assert_eq!(cache_control(&r), "no-store", "{path}");
    }
    // The style sheet the pages use is a file under the same policy.
    let css = c
        .get(format!("{}/auth/portal.css", env.url))
        .send()
        .await
        .expect("css");
    assert_eq!(css.status(), 200);
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/css")
    );
    assert_page_headers(&css, "css");
}

#[tokio::test]
async fn a_backends_answer_keeps_its_own_headers() {
    let env = Env::start(Options::default()).await;
    let r = client()
        .get(format!("{}/public/x", env.url))
        .send()
        .await
        .expect("proxied");
    assert_eq!(r.status(), 200);
    for added in [
        "content-security-policy",
        "x-frame-options",
        "referrer-policy",
        "x-content-type-options",
    ] {
        assert!(
            r.headers().get(added).is_none(),
            "{added} added to a backend's answer"
        );
    }
    // The gateway's own error for a proxied path is a gateway page: it has them.
    let down = client()
        .get(format!("{}/down/x", env.url))
        .header("accept", "text/html")
        .send()
        .await
        .expect("down");
    assert_page_headers(&down, "login redirect for a proxied path");
}
