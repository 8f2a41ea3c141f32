//! WebAuthn security keys end to end: headless Chromium with a virtual authenticator
//! (CTAP2, user verification) against the gateway running in-process on
//! `http://localhost:PORT`, the simulated eID provider as first factor and a real SMTP
//! server (aiosmtpd) receiving the emailed codes.
//!
//! One journey: log in with an emailed code, enroll a key, step up to a route demanding
//! a key, log out, log in again with the key, see recorded answers refused when replayed
//! or altered, and remove the key.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::extract::Request;
use demo::sim_idp::{self, SimClient, SimIdpConfig};
use e2e::{SmtpServer, VirtualAuthenticator, WebDriver};
use serde_json::{Value, json};

/// Generous bound for anything awaited (never a timing assertion).
const WAIT: Duration = Duration::from_secs(30);
const SECRET: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

async fn serve(router: Router) -> Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(addr)
}

/// An upstream answering with the path it received.
fn echo() -> Router {
    Router::new().fallback(|req: Request| async move {
        let path = req
            .uri()
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default();
        axum::response::Html(format!(
            "<!doctype html><title>backend</title><p id=\"path\">{path}</p>"
        ))
    })
}

struct Gateway {
    url: String,
    running: gateway::Running,
    _dir: tempfile::TempDir,
}

async fn start_gateway(smtp_url: &str) -> Result<Gateway> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let url = format!("http://localhost:{port}");
    let idp_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let issuer = format!("http://{}", idp_listener.local_addr()?);
    let idp = sim_idp::router(SimIdpConfig {
        issuer: issuer.clone(),
        clients: vec![SimClient {
            client_id: "gw".to_owned(),
            client_secret: "gw-secret".to_owned(),
            redirect_uris: vec![format!("{url}/auth/callback")],
            post_logout_redirect_uris: vec![format!("{url}/auth/logged-out")],
        }],
        citizens: sim_idp::demo_citizens(),
        acr: "eidas-substantial".to_owned(),
    });
    tokio::spawn(async move { axum::serve(idp_listener, idp).await });
    let backend = serve(echo()).await?;
    let dir = tempfile::tempdir()?;
    let text = format!(
        r#"
secret_key = "{SECRET}"
[server]
listen = "127.0.0.1:{port}"
public_url = "{url}"
[database]
url = "sqlite://{db}"
[[providers]]
id = "sim"
label = "Simulated eID"
issuer = "{issuer}"
client_id = "gw"
client_secret = "gw-secret"
acr_values = ["eidas-substantial"]
national_number_claim = "rrn"
[[routes]]
prefix = "/app"
upstream = "http://{backend}"
application = "app"
access = "authenticated"
[[routes]]
prefix = "/secure"
upstream = "http://{backend}"
application = "secure"
access = "authenticated"
require_factor = "webauthn"
[mail]
from = "Gateway <gw@example.be>"
smtp_url = "{smtp_url}"
retry_base_secs = 1
retry_max_secs = 2
poll_secs = 1
[factors]
webauthn = true
webauthn_rp_name = "Gateway e2e"
"#,
        db = dir.path().join("gw.db").display(),
    );
    let config = gateway::Config::from_toml(&text).context("config")?;
    let state = gateway::AppState::build(config).await?;
    let running = gateway::spawn(state, listener)?;
    Ok(Gateway {
        url,
        running,
        _dir: dir,
    })
}

/// First factor through the simulated provider (the first citizen, Alice), starting at
/// `path` of the gateway; returns the URL the browser lands on.
async fn provider_login(browser: &WebDriver, gw: &Gateway, path: &str) -> Result<String> {
    browser.goto(&format!("{}{path}", gw.url)).await?;
    browser.wait_for("button[type=submit]", WAIT).await?;
    if !browser.current_url().await?.contains("/authorize") {
        bail!("not at the provider: {}", browser.current_url().await?);
    }
    browser.click_css("button[type=submit]").await?;
    browser
        .wait_for_url(
            |u| u.starts_with(&gw.url) && !u.contains("/auth/callback"),
            WAIT,
        )
        .await
}

/// The 8-digit code of the newest mail to Alice.
async fn emailed_code(smtp: &SmtpServer, seen: usize) -> Result<String> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let mails = smtp.messages_to("alice@example.be")?;
        if mails.len() > seen
            && let Some(code) = mails
                .iter()
                .rev()
                .flat_map(|m| m.text.split(|c: char| !c.is_ascii_digit()))
                .find(|w| w.len() == 8)
        {
            return Ok(code.to_owned());
        }
        if std::time::Instant::now() > deadline {
            bail!("no code mailed");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Record the JSON bodies the page's script posts (kept in `sessionStorage`, which
/// survives the navigation that follows a success).
const RECORD_POSTS: &str = r#"
const orig = window.fetch;
window.fetch = function (url, opts) {
  if (opts && opts.body) {
    const all = JSON.parse(sessionStorage.getItem("posts") || "[]");
    all.push([String(url), opts.body]);
    sessionStorage.setItem("posts", JSON.stringify(all));
  }
  return orig.apply(this, arguments);
};"#;

/// POST a JSON body to the gateway from the page (its cookies, its CSRF token):
/// `[status, body]`.
const POST_FROM_PAGE: &str = r#"
const [url, body, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const csrf = document.querySelector("[name=csrf]").value;
fetch(url, { method: "POST", credentials: "same-origin",
  headers: { "content-type": "application/json", "accept": "application/json", "x-csrf-token": csrf },
  body: body }).then(async r => done([r.status, await r.text()]), e => done([0, String(e)]));"#;

async fn post_from_page(browser: &WebDriver, url: &str, body: &str) -> Result<(u64, String)> {
    let v = browser
        .execute_async(POST_FROM_PAGE, vec![json!(url), json!(body)])
        .await?;
    Ok((
        v[0].as_u64().unwrap_or(0),
        v[1].as_str().unwrap_or("").to_owned(),
    ))
}

async fn text_of(browser: &WebDriver, css: &str) -> Result<String> {
    let e = browser.wait_for(css, WAIT).await?;
    browser.text(&e).await
}

async fn session_amr(browser: &WebDriver, gw: &Gateway) -> Result<Vec<String>> {
    browser.goto(&format!("{}/auth/session", gw.url)).await?;
    let text = text_of(browser, "body").await?;
    let v: Value = serde_json::from_str(&text).with_context(|| text.clone())?;
    Ok(serde_json::from_value(v["amr"].clone()).unwrap_or_default())
}

#[tokio::test]
async fn security_key_enrollment_login_step_up_refusals_and_removal() -> Result<()> {
    let smtp_dir = tempfile::tempdir()?;
    let smtp = SmtpServer::start(smtp_dir.path()).await?;
    let gw = start_gateway(&smtp.url()).await?;
    let browser = WebDriver::start().await?;
    let authenticator = browser
        .add_virtual_authenticator(&VirtualAuthenticator {
            transport: "usb".to_owned(),
            ..VirtualAuthenticator::default()
        })
        .await?;

    // 1. A new browser: the emailed code confirms it.
    let at = provider_login(&browser, &gw, "/app/first").await?;
    assert!(at.ends_with("/auth/factor"), "{at}");
    let code = emailed_code(&smtp, 0).await?;
    browser.fill("#code", &code).await?;
    browser
        .click_css("form[action='/auth/factor'] button")
        .await?;
    browser
        .wait_for_url(|u| u.ends_with("/app/first"), WAIT)
        .await?;
    assert_eq!(text_of(&browser, "#path").await?, "/first");

    // 2. Enroll a key on the security page.
    browser.goto(&format!("{}/auth/factors", gw.url)).await?;
    browser.wait_for("#key-add:not([hidden])", WAIT).await?;
    browser.fill("#key-name", "Blue key").await?;
    browser.click_css("#key-add button").await?;
    if let Err(e) = browser
        .wait_for_url(|u| u.contains("done=key_added"), WAIT)
        .await
    {
        let shown = text_of(&browser, "#key-add [role=alert]").await?;
        bail!("{e}; the page says: {shown}");
    }
    assert_eq!(text_of(&browser, ".key-name").await?, "Blue key");
    let creds = browser.credentials(&authenticator).await?;
    assert_eq!(creds.len(), 1, "{creds:?}");
    assert_eq!(creds[0]["rpId"], "localhost");

    // 3. Step-up: the session passed an emailed code, not a key; /secure asks for one.
    browser.goto(&format!("{}/secure/page?x=1", gw.url)).await?;
    browser
        .wait_for_url(|u| u.ends_with("/auth/factor"), WAIT)
        .await?;
    browser.wait_for("#key-login:not([hidden])", WAIT).await?;
    assert!(
        browser.find_all("#other-way").await?.is_empty(),
        "no emailed code for a route demanding a key"
    );
    browser.click_css("#use-key").await?;
    browser
        .wait_for_url(|u| u.ends_with("/secure/page?x=1"), WAIT)
        .await?;
    assert_eq!(text_of(&browser, "#path").await?, "/page?x=1");
    let amr = session_amr(&browser, &gw).await?;
    assert!(amr.contains(&"hwk".to_owned()), "{amr:?}");

    // 4. Log out; forget the trusted device (as a new browser would).
    browser.goto(&format!("{}/", gw.url)).await?;
    browser
        .click_css("form[action='/auth/logout'] button")
        .await?;
    browser
        .wait_for_url(|u| u.contains("logged-out"), WAIT)
        .await?;
    browser
        .command(reqwest::Method::DELETE, "/cookie/gw_device", None)
        .await?;

    // 5. Log in again: the key is asked for. Record what the page posts.
    let at = provider_login(&browser, &gw, "/app/second").await?;
    assert!(at.ends_with("/auth/factor"), "{at}");
    browser.wait_for("#key-login:not([hidden])", WAIT).await?;
    assert!(
        !browser.find_all("#other-way").await?.is_empty(),
        "an emailed code stays possible at login"
    );
    browser.execute(RECORD_POSTS, vec![]).await?;
    let count_before = browser.credentials(&authenticator).await?[0]["signCount"]
        .as_u64()
        .unwrap_or(0);
    browser.click_css("#use-key").await?;
    browser
        .wait_for_url(|u| u.ends_with("/app/second"), WAIT)
        .await?;
    assert_eq!(text_of(&browser, "#path").await?, "/second");
    let count_after = browser.credentials(&authenticator).await?[0]["signCount"]
        .as_u64()
        .unwrap_or(0);
    assert!(
        count_after > count_before,
        "the authenticator counted a use"
    );
    let posts: Vec<(String, String)> = serde_json::from_value(
        browser
            .execute(
                "return JSON.parse(sessionStorage.getItem('posts') || '[]');",
                vec![],
            )
            .await?,
    )?;
    let answer = posts
        .iter()
        .find(|(url, _)| url.ends_with("/auth/factor/webauthn/finish"))
        .map(|(_, body)| body.clone())
        .context("no recorded answer")?;
    let amr = session_amr(&browser, &gw).await?;
    assert!(amr.contains(&"hwk".to_owned()), "{amr:?}");
    // The stored counter follows the authenticator's.
    let stored: String = sqlx::query_scalar("SELECT credential FROM webauthn_credentials")
        .fetch_one(&gw.running.state.db.pool)
        .await?;
    let stored: Value = serde_json::from_str(&stored)?;
    assert_eq!(
        stored["cred"]["counter"].as_u64(),
        Some(count_after),
        "{stored}"
    );

    // 6. Refusals, on a fresh challenge (log out, forget the device, log in again).
    browser.goto(&format!("{}/", gw.url)).await?;
    browser
        .click_css("form[action='/auth/logout'] button")
        .await?;
    browser
        .wait_for_url(|u| u.contains("logged-out"), WAIT)
        .await?;
    browser
        .command(reqwest::Method::DELETE, "/cookie/gw_device", None)
        .await?;
    provider_login(&browser, &gw, "/app/third").await?;
    browser.wait_for("#key-login:not([hidden])", WAIT).await?;
    // Without a ceremony started for this challenge: refused.
    let (status, _) = post_from_page(&browser, "/auth/factor/webauthn/finish", &answer).await?;
    assert_eq!(status, 422, "an answer without a pending ceremony");
    // The earlier answer replayed against a new ceremony (another challenge): refused.
    let (status, _) = post_from_page(&browser, "/auth/factor/webauthn/start", "{}").await?;
    assert_eq!(status, 200);
    let (status, body) = post_from_page(&browser, "/auth/factor/webauthn/finish", &answer).await?;
    assert_eq!(status, 422, "replayed answer: {body}");
    assert!(body.contains("key_refused"), "{body}");
    // An unknown credential: refused.
    let mut unknown: Value = serde_json::from_str(&answer)?;
    unknown["id"] = json!("AAAAAAAAAAAAAAAAAAAAAA");
    unknown["rawId"] = json!("AAAAAAAAAAAAAAAAAAAAAA");
    let (status, _) = post_from_page(&browser, "/auth/factor/webauthn/start", "{}").await?;
    assert_eq!(status, 200);
    let (status, _) = post_from_page(
        &browser,
        "/auth/factor/webauthn/finish",
        &unknown.to_string(),
    )
    .await?;
    assert_eq!(status, 422, "unknown credential");
    // The real key still passes (tries left), and the session works.
    browser.click_css("#use-key").await?;
    browser
        .wait_for_url(|u| u.ends_with("/app/third"), WAIT)
        .await?;

    // 7. Remove the key.
    browser.goto(&format!("{}/auth/factors", gw.url)).await?;
    browser
        .click_css("form[action='/auth/factors/webauthn/delete'] button")
        .await?;
    browser.wait_for("p.note[role=status]", WAIT).await?;
    assert!(browser.find_all(".key-name").await?.is_empty());
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webauthn_credentials")
        .fetch_one(&gw.running.state.db.pool)
        .await?;
    assert_eq!(left, 0);
    let changes: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'factor.change' ORDER BY id",
    )
    .fetch_all(&gw.running.state.db.pool)
    .await?;
    assert!(
        changes.iter().any(|d| d.contains("webauthn.add"))
            && changes.iter().any(|d| d.contains("webauthn.remove")),
        "{changes:?}"
    );

    browser.quit().await?;
    gw.running.shutdown().await?;
    Ok(())
}
