//! The whole path over real sockets with the simulated provider: login, session, proxy,
//! assertion, logout, and the attacks on each.

mod support;

use std::time::Duration;

use support::*;

fn cookie(session: &str) -> String {
    format!("gw_session={session}")
}

#[tokio::test]
async fn browser_is_sent_to_login_and_api_client_gets_401() {
    let env = Env::start(Options::default()).await;
    let c = client();
    let r = c
        .get(format!("{}/vouchers/x?a=1", env.url))
        .header("accept", "text/html")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        "/auth/login?return_to=%2Fvouchers%2Fx%3Fa%3D1"
    );
    let r = c
        .get(format!("{}/auth/login?return_to=%2Fvouchers%2F", env.url))
        .send()
        .await
        .expect("choice");
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/auth/login/sim?return_to=%2Fvouchers%2F");
    let r = c
        .get(format!("{}/vouchers/x", env.url))
        .header("accept", "application/json")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["error"], "session_required");
    let r = c
        .post(format!("{}/vouchers/x", env.url))
        .header("accept", "text/html")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 401, "a non-GET is never redirected");
}

#[tokio::test]
async fn login_reaches_backend_with_a_verifiable_assertion() {
    let env = Env::start(Options::default()).await;
    let c = client();
    let cb = login_until_callback(&env, &c, "citizen-1", "/vouchers/list?x=1").await;
    assert!(cb.url.contains("iss="), "RFC 9207 iss on the callback");
    let done = c
        .get(&cb.url)
        .header("cookie", format!("gw_login={}", cb.login_cookie))
        .send()
        .await
        .expect("cb");
    assert_eq!(done.status(), 303);
    assert_eq!(location(&done), "/vouchers/list?x=1");
    let set = set_cookie(&done, "gw_session").expect("session cookie");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(flag), "{flag} in {set}");
    }
    assert!(
        !set.contains("Secure"),
        "plain http on loopback: no Secure flag"
    );
    let session = cookie_value(&set);
    let r = c
        .get(format!("{}/vouchers/list?x=1", env.url))
        .header("cookie", cookie(&session))
        .header("x-forwarded-for", "6.6.6.6")
        .send()
        .await
        .expect("proxied");
    assert_eq!(r.status(), 200);
    let echo: serde_json::Value = r.json().await.expect("echo");
    assert_eq!(echo["path"], "/list?x=1");
    assert_eq!(echo["headers"]["x-forwarded-for"], "127.0.0.1");
    assert_eq!(echo["headers"]["x-forwarded-proto"], "http");
    let token = echo["headers"]["x-gateway-assertion"]
        .as_str()
        .expect("assertion")
        .to_owned();
    let verifier = assertion::Verifier::new(assertion::VerifierConfig {
        jwks_url: format!("{}{}", env.url, assertion::JWKS_PATH),
        issuer: env.url.clone(),
        audience: "vouchers".to_owned(),
        leeway_secs: 5,
        min_refresh: Duration::from_secs(1),
    });
    let claims = verifier.verify(&token).await.expect("valid assertion");
    assert_eq!(claims.name, "Alice Dupont");
    assert_eq!(claims.acr, "eidas-substantial");
    assert_eq!(claims.amr, vec!["eid".to_owned()]);
    assert!(claims.exp - claims.iat <= 60);
    // The same session and audience reuse the assertion while it is fresh.
    let again: serde_json::Value = c
        .get(format!("{}/vouchers/other", env.url))
        .header("cookie", cookie(&session))
        .send()
        .await
        .expect("again")
        .json()
        .await
        .expect("json");
    assert_eq!(again["headers"]["x-gateway-assertion"], token.as_str());
    // Another audience refuses it.
    let other = assertion::Verifier::new(assertion::VerifierConfig {
        jwks_url: format!("{}{}", env.url, assertion::JWKS_PATH),
        issuer: env.url.clone(),
        audience: "prestations".to_owned(),
        leeway_secs: 5,
        min_refresh: Duration::from_secs(1),
    });
    assert!(other.verify(&token).await.is_err());
    // The national register number is stored only hashed and masked.
    let user = gateway::store::users::get(&env.state().db, &claims.sub)
        .await
        .expect("db")
        .expect("user");
    assert_eq!(user.nrn_masked.as_deref(), Some("**.**.**-***.28"));
    let raw: Vec<String> = sqlx::query_scalar("SELECT COALESCE(nrn_hash, '') FROM users")
        .fetch_all(&env.state().db.pool)
        .await
        .expect("rows");
    assert!(raw.iter().all(|h| !h.contains("85073003328")));
}

#[tokio::test]
async fn forged_identity_headers_never_reach_the_backend() {
    let env = Env::start(Options::default()).await;
    let c = client();
    let session = login(&env, &c, "citizen-3").await;
    let r = c
        .get(format!("{}/vouchers/", env.url))
        .header("cookie", cookie(&session))
        .header("X-Gateway-Assertion", "forged")
        .header("x-GATEWAY-assertion", "forged-again")
        .header("X-Gateway-User", "admin")
        .header("X-Remote-User", "admin")
        .header("x-forwarded-user", "admin")
        .header("Forwarded", "for=6.6.6.6")
        .send()
        .await
        .expect("get");
    let echo: serde_json::Value = r.json().await.expect("json");
    let headers = echo["headers"].as_object().expect("headers");
    let assertions: Vec<_> = headers
        .keys()
        .filter(|k| k.starts_with("x-gateway-"))
        .collect();
    assert_eq!(assertions, vec!["x-gateway-assertion"]);
    assert_ne!(headers["x-gateway-assertion"], "forged");
    assert!(!headers.contains_key("x-remote-user"));
    assert!(!headers.contains_key("x-forwarded-user"));
    assert!(
        !headers["forwarded"]
            .as_str()
            .unwrap_or("")
            .contains("6.6.6.6")
    );
    // On a public route too, and without a session: forged headers are removed.
    let r = c
        .get(format!("{}/public/x", env.url))
        .header("x-gateway-assertion", "forged")
        .send()
        .await
        .expect("public");
    let echo: serde_json::Value = r.json().await.expect("json");
    assert!(echo["headers"].get("x-gateway-assertion").is_none());
}

/// A backend (or anyone who reads its logs) must never see a token that opens the
/// gateway session: the gateway's cookies are removed, the others pass.
#[tokio::test]
async fn session_cookie_never_reaches_the_backend() {
    let env = Env::start(Options::default()).await;
    let c = client();
    let session = login(&env, &c, "citizen-3").await;
    let r = c
        .get(format!("{}/vouchers/", env.url))
        .header(
            "cookie",
            format!("theme=dark; gw_session={session}; gw_device=abc; lang=fr"),
        )
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    let echo: serde_json::Value = r.json().await.expect("json");
    let sent = echo["headers"]["cookie"].as_str().unwrap_or("");
    assert_eq!(sent, "theme=dark; lang=fr");
    assert!(!echo.to_string().contains(&session));
}

#[tokio::test]
async fn path_tricks_never_reach_a_denied_route() {
    let env = Env::start(Options::default()).await;
    let c = client();
    let session = login(&env, &c, "citizen-3").await;
    let direct = c
        .get(format!("{}/vouchers/internal/x", env.url))
        .header("cookie", cookie(&session))
        .send()
        .await
        .expect("get");
    assert_eq!(direct.status(), 403);
    for path in [
        "/vouchers/a/../internal/x",
        "/vouchers/%2e%2e/vouchers/internal/x",
        "/vouchers//internal/x",
        "/vouchers%2finternal/x",
        "/vouchers/./internal/x",
        "/vouchers/%2E/internal/x",
    ] {
        // Build the raw request line by hand: HTTP clients normalise dot segments.
        let status = raw_get(env.listen, path, &cookie(&session)).await;
        assert!(status == 400 || status == 403, "{path} answered {status}");
    }
}

async fn raw_get(addr: std::net::SocketAddr, path: &str, cookie: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(req.as_bytes()).await.expect("write");
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.expect("read");
    let text = String::from_utf8_lossy(&buf);
    text.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn return_to_never_redirects_off_site() {
    let env = Env::start(Options::default()).await;
    let c = client();
    for evil in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "/auth/callback",
    ] {
        let cb = login_until_callback(&env, &c, "citizen-3", evil).await;
        let done = c
            .get(&cb.url)
            .header("cookie", format!("gw_login={}", cb.login_cookie))
            .send()
            .await
            .expect("cb");
        assert_eq!(location(&done), "/", "{evil}");
    }
}

#[tokio::test]
async fn state_is_single_use_and_bound_to_the_browser() {
    let env = Env::start(Options::default()).await;
    let c = client();
    // Another browser (no login cookie, or another one) cannot complete the login.
    let cb = login_until_callback(&env, &c, "citizen-1", "/").await;
    let other = c
        .get(&cb.url)
        .header(
            "cookie",
            "gw_login=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
        .send()
        .await
        .expect("cb");
    assert_eq!(other.status(), 400);
    assert!(set_cookie(&other, "gw_session").is_none());
    // The flow was consumed by that attempt: the right browser cannot replay it either.
    let replay = c
        .get(&cb.url)
        .header("cookie", format!("gw_login={}", cb.login_cookie))
        .send()
        .await
        .expect("cb");
    assert_eq!(replay.status(), 400);
    // A state that was never issued.
    let cb = login_until_callback(&env, &c, "citizen-1", "/").await;
    let forged = cb.url.replace("state=", "state=x");
    let r = c
        .get(&forged)
        .header("cookie", format!("gw_login={}", cb.login_cookie))
        .send()
        .await
        .expect("cb");
    assert_eq!(r.status(), 400);
    // A good callback works once; the same code and state again are refused.
    let cb = login_until_callback(&env, &c, "citizen-1", "/").await;
    let ok = c
        .get(&cb.url)
        .header("cookie", format!("gw_login={}", cb.login_cookie))
        .send()
        .await
        .expect("cb");
    assert_eq!(ok.status(), 303);
    let again = c
        .get(&cb.url)
        .header("cookie", format!("gw_login={}", cb.login_cookie))
        .send()
        .await
        .expect("cb");
    assert_eq!(again.status(), 400);
    assert!(set_cookie(&again, "gw_session").is_none());
    // A callback claiming another issuer (mix-up) is refused.
    let cb = login_until_callback(&env, &c, "citizen-1", "/").await;
    let mixed = cb.url.replace("iss=", "iss=https%3A%2F%2Fevil.example&x=");
    let r = c
        .get(&mixed)
        .header("cookie", format!("gw_login={}", cb.login_cookie))
        .send()
        .await
        .expect("cb");
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn malformed_and_unknown_cookies_mean_no_session() {
    let env = Env::start(Options::default()).await;
    let c = client();
    for bad in [
        "gw_session=",
        "gw_session=%%%%",
        "gw_session=\"unterminated",
        "gw_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ";;;",
    ] {
        let r = c
            .get(format!("{}/vouchers/", env.url))
            .header("cookie", bad)
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 401, "{bad}");
    }
}

/// The proxied request's status and the error message of a 401 (empty otherwise).
async fn proxied_status(env: &Env, c: &reqwest::Client, session: &str) -> (u16, String) {
    let r = c
        .get(format!("{}/vouchers/", env.url))
        .header("cookie", cookie(session))
        .header("accept", "application/json")
        .send()
        .await
        .expect("get");
    let status = r.status().as_u16();
    let message = if status == 401 {
        let body: serde_json::Value = r.json().await.expect("json");
        body["message"].as_str().expect("message").to_owned()
    } else {
        String::new()
    };
    (status, message)
}

/// Time moves on the gateway's test clock, not by sleeping: the idle timeout is 600 s.
#[tokio::test]
async fn idle_timeout_ends_the_session_and_activity_slides_it() {
    let clock = manual_clock();
    let env = Env::start(Options {
        idle_secs: 600,
        absolute_secs: 3600,
        clock: Some(clock.clone()),
        ..Options::default()
    })
    .await;
    let c = client();
    let session = login(&env, &c, "citizen-3").await;
    // Activity every 400 s keeps it alive well past the idle timeout since the login.
    for _ in 0..3 {
        clock.advance(400_000);
        assert_eq!(
            proxied_status(&env, &c, &session).await,
            (200, String::new())
        );
    }
    // The status endpoint tells the time left without extending it: 400 s after the
    // last activity, 200 s are left, and 300 s later the session is over although the
    // status was asked in between.
    let status = session_status(&env, &c, &cookie(&session)).await;
    assert_eq!(status["authenticated"], true, "{status}");
    assert_eq!(status["idle_remaining_secs"], 600, "{status}");
    clock.advance(400_000);
    let status = session_status(&env, &c, &cookie(&session)).await;
    assert_eq!(status["authenticated"], true, "{status}");
    assert_eq!(status["idle_remaining_secs"], 200, "{status}");
    clock.advance(300_000);
    let (code, message) = proxied_status(&env, &c, &session).await;
    assert_eq!(code, 401);
    assert!(message.contains("inactivity"), "{message}");
    // Ended means ended: the session does not come back.
    assert_eq!(proxied_status(&env, &c, &session).await.0, 401);
}

/// A session kept busy still ends at its absolute lifetime (1500 s), and says why: not
/// inactivity, since it was used every 400 s.
#[tokio::test]
async fn absolute_lifetime_ends_an_active_session() {
    let clock = manual_clock();
    let env = Env::start(Options {
        idle_secs: 600,
        absolute_secs: 1500,
        clock: Some(clock.clone()),
        ..Options::default()
    })
    .await;
    let c = client();
    let session = login(&env, &c, "citizen-3").await;
    for _ in 0..3 {
        clock.advance(400_000);
        assert_eq!(
            proxied_status(&env, &c, &session).await,
            (200, String::new())
        );
    }
    let status = session_status(&env, &c, &cookie(&session)).await;
    assert_eq!(status["absolute_remaining_secs"], 300, "{status}");
    // 299 s later it still works; at 1500 s it ends.
    clock.advance(299_000);
    assert_eq!(
        proxied_status(&env, &c, &session).await,
        (200, String::new())
    );
    clock.advance(1_000);
    let (code, message) = proxied_status(&env, &c, &session).await;
    assert_eq!(code, 401);
    assert!(message.contains("maximum duration"), "{message}");
}

#[tokio::test]
async fn logout_ends_the_session_and_goes_to_the_provider() {
    let env = Env::start(Options::default()).await;
    let c = client();
    let session = login(&env, &c, "citizen-3").await;
    let status: serde_json::Value = c
        .get(format!("{}/auth/session", env.url))
        .header("cookie", cookie(&session))
        .send()
        .await
        .expect("s")
        .json()
        .await
        .expect("j");
    let csrf = status["csrf"].as_str().expect("csrf").to_owned();
    // Without the CSRF token, or from another site: refused, session intact.
    let r = c
        .post(format!("{}/auth/logout", env.url))
        .header("cookie", cookie(&session))
        .form(&[("csrf", "nope")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    let r = c
        .post(format!("{}/auth/logout", env.url))
        .header("cookie", cookie(&session))
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    let r = c
        .get(format!("{}/vouchers/", env.url))
        .header("cookie", cookie(&session))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    let r = c
        .post(format!("{}/auth/logout", env.url))
        .header("cookie", cookie(&session))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert!(
        to.starts_with(&format!("{}/end_session?", env.issuer)),
        "{to}"
    );
    assert!(to.contains("post_logout_redirect_uri="));
    assert!(
        set_cookie(&r, "gw_session")
            .expect("cleared")
            .contains("Max-Age=0")
    );
    let r = c
        .get(format!("{}/vouchers/", env.url))
        .header("cookie", cookie(&session))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn sessions_survive_a_restart() {
    let mut env = Env::start(Options::default()).await;
    let c = client();
    let session = login(&env, &c, "citizen-3").await;
    let before: serde_json::Value = c
        .get(format!("{}/vouchers/", env.url))
        .header("cookie", cookie(&session))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    env.restart().await;
    let r = c
        .get(format!("{}/vouchers/", env.url))
        .header("cookie", cookie(&session))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    let after: serde_json::Value = r.json().await.expect("json");
    // Same signing key after the restart: the old assertion's kid is still published.
    let kid = |v: &serde_json::Value| {
        let t = v["headers"]["x-gateway-assertion"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        jsonwebtoken::decode_header(&t).ok().and_then(|h| h.kid)
    };
    assert_eq!(kid(&before), kid(&after));
}

#[tokio::test]
async fn upstream_down_is_502_and_slow_is_504() {
    let env = Env::start(Options::default()).await;
    let c = client();
    let session = login(&env, &c, "citizen-3").await;
    let r = c
        .get(format!("{}/down/x", env.url))
        .header("cookie", cookie(&session))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 502);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["error"], "upstream_unavailable");
    assert!(
        !body.to_string().contains("127.0.0.1:9"),
        "no inner error text for the client"
    );
    let r = c
        .get(format!("{}/vouchers/slow", env.url))
        .header("cookie", cookie(&session))
        .header("accept", "text/html")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 504);
    assert!(r.text().await.expect("page").contains("<html"));
}

#[tokio::test]
async fn provider_down_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("dir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let listen = listener.local_addr().expect("addr");
    let (backend, _echo) = echo_backend().await;
    let db = format!("sqlite://{}", dir.path().join("gw.db").display());
    // Nothing listens on port 9 of loopback: discovery fails.
    let text = config_text(
        listen,
        &db,
        "http://127.0.0.1:9",
        backend,
        &Options::default(),
    );
    let state = gateway::AppState::build(gateway::Config::from_toml(&text).expect("config"))
        .await
        .expect("state");
    let running = gateway::spawn(state, listener).expect("spawn");
    let c = client();
    let r = c
        .get(format!("http://{listen}/auth/login/sim"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 503);
    assert!(r.text().await.expect("body").contains("unavailable"));
    running.shutdown().await.expect("stop");
}

#[tokio::test]
async fn health_readiness_jwks_and_metrics() {
    let env = Env::start(Options::default()).await;
    let c = client();
    assert_eq!(
        c.get(format!("{}/healthz", env.url))
            .send()
            .await
            .expect("h")
            .status(),
        200
    );
    assert_eq!(
        c.get(format!("{}/readyz", env.url))
            .send()
            .await
            .expect("r")
            .status(),
        200
    );
    let jwks: serde_json::Value = c
        .get(format!("{}/.well-known/jwks.json", env.url))
        .send()
        .await
        .expect("j")
        .json()
        .await
        .expect("json");
    let keys = jwks["keys"].as_array().expect("keys");
    assert!(!keys.is_empty());
    assert!(
        keys.iter()
            .all(|k| k["kty"] == "OKP" && k.get("d").is_none())
    );
    let session = login(&env, &c, "citizen-3").await;
    c.get(format!("{}/vouchers/", env.url))
        .header("cookie", cookie(&session))
        .send()
        .await
        .expect("get");
    let m = c
        .get(format!("{}/metrics", env.url))
        .send()
        .await
        .expect("m")
        .text()
        .await
        .expect("text");
    assert!(m.contains("gateway_logins_total"), "{m}");
    assert!(m.contains("gateway_proxied_requests_total"));
    assert!(m.contains("gateway_proxy_latency_seconds"));
}

#[tokio::test]
async fn wrong_acr_is_refused() {
    let env = Env::start(Options {
        acr_values: "[\"eidas-high\"]".to_owned(),
        ..Options::default()
    })
    .await;
    let c = client();
    let cb = login_until_callback(&env, &c, "citizen-1", "/").await;
    let r = c
        .get(&cb.url)
        .header("cookie", format!("gw_login={}", cb.login_cookie))
        .send()
        .await
        .expect("cb");
    assert_eq!(
        r.status(),
        400,
        "the provider answered a lower acr than requested"
    );
    assert!(set_cookie(&r, "gw_session").is_none());
}

/// A route demanding a stronger login (`min_acr`): an API client gets 401 naming the
/// level; a browser is offered to log in again at that level, the provider is asked for
/// that level only, and the new login (a new session) reaches the page.
#[tokio::test]
async fn a_route_demanding_a_stronger_login_steps_up_through_the_provider() {
    let (backend, _echo) = echo_backend().await;
    let env = Env::start(Options {
        acr_values: "[\"eidas-substantial\", \"eidas-high\"]".to_owned(),
        sim_acr: "eidas-substantial eidas-high".to_owned(),
        session_extra: "acr_levels = [\"eidas-low\", \"eidas-substantial\", \"eidas-high\"]"
            .to_owned(),
        extra_routes: format!(
            "[[routes]]\nprefix = \"/high\"\nupstream = \"http://{backend}\"\n\
             application = \"high\"\naccess = \"authenticated\"\nmin_acr = \"eidas-high\"\n"
        ),
        ..Options::default()
    })
    .await;
    let c = client();
    let session = login(&env, &c, "citizen-1").await;
    let r = c
        .get(format!("{}/high/x", env.url))
        .header("cookie", cookie(&session))
        .header("accept", "application/json")
        .send()
        .await
        .expect("api");
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(
        (body["error"].as_str(), body["required_acr"].as_str()),
        (Some("step_up_required"), Some("eidas-high"))
    );
    // Lower routes are unaffected.
    let r = c
        .get(format!("{}/vouchers/x", env.url))
        .header("cookie", cookie(&session))
        .send()
        .await
        .expect("low");
    assert_eq!(r.status(), 200);
    let r = c
        .get(format!("{}/high/x?a=1", env.url))
        .header("cookie", cookie(&session))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page");
    let step = location(&r);
    assert_eq!(
        step,
        "/auth/step-up?acr=eidas-high&return_to=%2Fhigh%2Fx%3Fa%3D1"
    );
    let r = c
        .get(format!("{}{step}", env.url))
        .header("cookie", cookie(&session))
        .header("accept", "text/html")
        .send()
        .await
        .expect("step-up page");
    assert_eq!(r.status(), 403);
    let html = r.text().await.expect("html").replace("&#x2f;", "/");
    let link = "/auth/login/sim?acr=eidas-high&amp;return_to=%2Fhigh%2Fx%3Fa%3D1";
    assert!(html.contains(link), "{html}");
    // The provider is asked for the higher level only.
    let start = c
        .get(format!("{}{}", env.url, link.replace("&amp;", "&")))
        .send()
        .await
        .expect("start");
    assert_eq!(start.status(), 303);
    let authorize = location(&start);
    assert!(
        authorize.contains("acr_values=eidas-high") && !authorize.contains("substantial"),
        "{authorize}"
    );
    let login_cookie = cookie_value(&set_cookie(&start, "gw_login").expect("login cookie"));
    let html = c
        .get(&authorize)
        .send()
        .await
        .expect("authorize")
        .text()
        .await
        .expect("html");
    let request = html
        .split("name=\"request\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("request id")
        .to_owned();
    let chosen = c
        .post(format!("{}/authorize", env.issuer))
        .form(&[("request", request.as_str()), ("citizen", "citizen-1")])
        .send()
        .await
        .expect("choose");
    let done = c
        .get(location(&chosen))
        .header("cookie", format!("gw_login={login_cookie}"))
        .send()
        .await
        .expect("callback");
    assert_eq!(
        (done.status().as_u16(), location(&done).as_str()),
        (303, "/high/x?a=1")
    );
    let high = cookie_value(&set_cookie(&done, "gw_session").expect("session"));
    assert_ne!(high, session);
    let r = c
        .get(format!("{}/high/x?a=1", env.url))
        .header("cookie", cookie(&high))
        .send()
        .await
        .expect("high");
    assert_eq!(r.status(), 200);
    let echoed: serde_json::Value = r.json().await.expect("echo");
    assert_eq!(echoed["path"], "/x?a=1");
    // Already at the level: the step-up page sends straight back.
    let r = c
        .get(format!("{}{step}", env.url))
        .header("cookie", cookie(&high))
        .send()
        .await
        .expect("again");
    assert_eq!(location(&r), "/high/x?a=1");
}
