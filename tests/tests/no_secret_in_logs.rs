//! What the gateway writes to its log, captured through a whole run against the real
//! peers, holds no national register number, token, code, cookie value, client secret
//! or password: logins at the npm `oidc-provider` with the code mailed through
//! `aiosmtpd`, an authenticator app enrolled (codes from `pyotp`), a local password
//! account (a wrong password, then the right one), an administration action naming a
//! person by national number, proxied requests carrying signed assertions, a forged
//! session cookie, and a logout.
//!
//! The capture is the process's one `tracing` subscriber, as JSON lines with every span's
//! fields, the workspace's own crates at TRACE and every other crate at INFO (the
//! binary's default level): more than production writes, never less.

mod real_peers;

use std::io::Write;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, ensure};
use e2e::http::{browser_with_jar, field, jar_cookies, location};
use real_peers::{
    ALICE_NRN, CHLOE_NRN, CLIENT_SECRET, DAVID_NRN, Device, SECRET_KEY, Store, emailed_code,
    get_json, login, pick_first_structure, world,
};
use serde_json::{Value, json};

const PASSWORD: &str = "Correct-Horse-Battery-42";
const WRONG_PASSWORD: &str = "Wrong-Horse-Battery-43";
const FORGED_SESSION: &str = "Zm9yZ2VkLXNlc3Npb24tdG9rZW4tdGhhdC1pcy1ub3QtcmVhbA";

/// Where the subscriber writes: one buffer for the whole process.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned log buffer"))?
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        self.0
            .lock()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }
}

/// Install the capturing subscriber (once: this binary has one test).
fn capture() -> Result<Captured> {
    let captured = Captured::default();
    let filter = tracing_subscriber::EnvFilter::new(
        "info,gateway=trace,policy=trace,admin=trace,web=trace,assertion=trace,demo=trace,\
         backend_kit=trace,prestations=trace,vouchers=trace",
    );
    tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_span_list(true)
        // No timestamps: their digits could pass for a six-digit code.
        .without_time()
        .with_env_filter(filter)
        .with_writer(captured.clone())
        .try_init()
        .map_err(|e| anyhow::anyhow!("installing the capturing subscriber: {e}"))?;
    Ok(captured)
}

/// An upstream answering with the assertion the gateway sent it, so that the test
/// knows that token's value.
async fn assertion_echo() -> Result<(std::net::SocketAddr, tokio::task::JoinHandle<()>)> {
    let app = axum::Router::new().fallback(|headers: axum::http::HeaderMap| async move {
        let assertion = headers
            .get("x-gateway-assertion")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        axum::Json(json!({ "assertion": assertion }))
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((addr, task))
}

/// What must never be written to the log, each with what it is.
#[derive(Default)]
struct Secrets(Vec<(String, String)>);

impl Secrets {
    fn add(&mut self, what: impl Into<String>, value: impl Into<String>) {
        let value = value.into();
        // Short values (empty cookies, one-letter flags) would match anything.
        if value.len() >= 6 {
            self.0.push((what.into(), value));
        }
    }

    /// A national register number, as typed and as printed (YY.MM.DD-XXX.CC).
    fn national_number(&mut self, who: &str, nrn: &str) {
        self.add(format!("{who}'s national number"), nrn);
        self.add(
            format!("{who}'s national number (printed)"),
            format!(
                "{}.{}.{}-{}.{}",
                &nrn[0..2],
                &nrn[2..4],
                &nrn[4..6],
                &nrn[6..9],
                &nrn[9..11]
            ),
        );
    }

    /// Every cookie value the browser holds for the gateway.
    fn cookies(&mut self, who: &str, jar: &reqwest::cookie::Jar, url: &str) {
        for (name, value) in jar_cookies(jar, url) {
            self.add(format!("{who}'s cookie {name}"), value);
        }
    }

    /// The `code` and `state` of a callback URL.
    fn callback(&mut self, who: &str, callback: &str) -> Result<()> {
        let url = url::Url::parse(callback)?;
        for (key, value) in url.query_pairs() {
            if key == "code" || key == "state" {
                self.add(format!("{who}'s authorization {key}"), value.into_owned());
            }
        }
        Ok(())
    }
}

/// Whether `needle` occurs in `log`; a number only counts standing alone (not inside a
/// longer run of digits).
fn occurs(log: &str, needle: &str) -> bool {
    if !needle.bytes().all(|b| b.is_ascii_digit()) {
        return log.contains(needle);
    }
    log.match_indices(needle).any(|(at, _)| {
        let before = log[..at].bytes().next_back();
        let after = log[at + needle.len()..].bytes().next();
        !before.is_some_and(|b| b.is_ascii_digit()) && !after.is_some_and(|b| b.is_ascii_digit())
    })
}

/// Undo minijinja's HTML escaping.
fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#34;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_or_national_number_reaches_the_logs() -> Result<()> {
    let log = capture()?;
    let (echo, _echo) = assertion_echo().await?;
    let w = world(
        Store::Sqlite,
        &format!(
            "[[routes]]\nprefix = \"/echo\"\nupstream = \"http://{echo}\"\napplication = \"echo\"\n\
             access = \"authenticated\"\n[local]\nmax_failures = 5\n"
        ),
    )
    .await?;
    let mut secrets = Secrets::default();
    secrets.add("the provider's client secret", CLIENT_SECRET);
    secrets.add("the gateway's master secret", SECRET_KEY);
    secrets.add("a forged session cookie", FORGED_SESSION);
    secrets.add("the local account's password", PASSWORD);
    secrets.add("a wrong password", WRONG_PASSWORD);
    for (who, nrn) in [
        ("Alice", ALICE_NRN),
        ("Chloé", CHLOE_NRN),
        ("David", DAVID_NRN),
    ] {
        secrets.national_number(who, nrn);
    }

    // Chloé: the provider, the emailed code, her structure, two backends through the
    // proxy, and the assertion one of them received.
    let (chloe, chloe_jar) = browser_with_jar();
    let done = login(&w, &chloe, "chloe", "/prestations/whoami", Device::New).await?;
    secrets.callback("Chloé", &done.callback)?;
    secrets.add("Chloé's emailed code", done.code.context("a code")?);
    secrets.cookies("Chloé", &chloe_jar, &w.url);
    let csrf = pick_first_structure(&w, &chloe).await?;
    secrets.add("Chloé's CSRF token", csrf);
    let (status, who) = get_json(&chloe, &format!("{}/prestations/whoami", w.url)).await?;
    ensure!(status == 200, "whoami: {status} {who}");
    let (status, echoed) = get_json(&chloe, &format!("{}/echo/x", w.url)).await?;
    ensure!(status == 200, "echo: {status} {echoed}");
    let assertion = echoed["assertion"].as_str().unwrap_or_default().to_owned();
    ensure!(assertion.split('.').count() == 3, "no assertion: {echoed}");
    if let Some(signature) = assertion.rsplit('.').next() {
        secrets.add("the assertion's signature", signature);
    }
    secrets.add("the assertion", assertion);

    // Chloé enrolls an authenticator app: its key and a code, from pyotp.
    let page = chloe
        .get(format!("{}/auth/factors", w.url))
        .header("accept", "text/html")
        .send()
        .await?
        .text()
        .await?;
    let csrf = field(&page, "csrf").context("csrf on the security page")?;
    let started = chloe
        .post(format!("{}/auth/factors/totp", w.url))
        .header("accept", "text/html")
        .form(&[("name", "phone"), ("csrf", csrf.as_str())])
        .send()
        .await?;
    ensure!(
        started.status() == 200,
        "app enrolment: {}",
        started.status()
    );
    let html = started.text().await?;
    let key = html
        .split("<code id=\"totp-key\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .context("the app's key on the page")?
        .to_owned();
    let uri = html
        .split("id=\"totp-uri\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .map(unescape)
        .context("the app's URI on the page")?;
    let code = e2e::totp_now_from_uri(&uri)?;
    let confirmed = chloe
        .post(format!("{}/auth/factors/totp/confirm", w.url))
        .header("accept", "text/html")
        .form(&[("code", code.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await?;
    ensure!(
        confirmed.status() == 200,
        "app code: {}",
        confirmed.status()
    );
    secrets.add("Chloé's app key", key.replace(' ', ""));
    secrets.add("Chloé's app URI", uri);
    secrets.add("Chloé's app code", code);

    // Alice, legal representative, names David main manager by his national number.
    let (alice, alice_jar) = browser_with_jar();
    let done = login(&w, &alice, "alice", "/", Device::New).await?;
    secrets.callback("Alice", &done.callback)?;
    secrets.add("Alice's emailed code", done.code.context("a code")?);
    secrets.cookies("Alice", &alice_jar, &w.url);
    let (status, me) = get_json(&alice, &format!("{}/admin/api/me", w.url)).await?;
    ensure!(status == 200, "me: {status} {me}");
    let token = me["csrf_token"].as_str().context("csrf_token")?.to_owned();
    let structure = me["structures"][0]["id"]
        .as_str()
        .context("Alice's structure")?
        .to_owned();
    let designated = alice
        .post(format!(
            "{}/admin/api/structures/{structure}/main-managers",
            w.url
        ))
        .header("accept", "application/json")
        .header("x-csrf-token", &token)
        .json(&json!({ "national_number": DAVID_NRN }))
        .send()
        .await?;
    ensure!(
        designated.status() == 201,
        "designation: {} {}",
        designated.status(),
        designated.text().await.unwrap_or_default()
    );
    secrets.add("Alice's CSRF token", token);

    // Erin, a local account: a wrong password, then the right one and the emailed code.
    gateway::local::create_account(&w.gateway.state, "erin@example.be", "Erin Local", PASSWORD)
        .await
        .map_err(|e| anyhow::anyhow!("creating Erin's account: {e:?}"))?;
    let (erin, erin_jar) = browser_with_jar();
    // Each try starts from the password page (its login cookie and CSRF token).
    let password = |password: &'static str| {
        let (erin, url) = (erin.clone(), format!("{}/auth/local", w.url));
        async move {
            let page = erin.get(&url).send().await?.text().await?;
            let csrf = field(&page, "csrf").context("csrf on the password page")?;
            let answer = erin
                .post(&url)
                .header("accept", "text/html")
                .form(&[
                    ("email", "erin@example.be"),
                    ("password", password),
                    ("csrf", csrf.as_str()),
                    ("return_to", "/echo/erin"),
                ])
                .send()
                .await?;
            anyhow::Ok((answer, csrf))
        }
    };
    let (refused, csrf) = password(WRONG_PASSWORD).await?;
    ensure!(refused.status() != 303, "a wrong password was taken");
    secrets.add("Erin's first login CSRF token", csrf);
    secrets.cookies("Erin", &erin_jar, &w.url);
    let (accepted, csrf) = password(PASSWORD).await?;
    secrets.add("Erin's login CSRF token", csrf);
    ensure!(
        accepted.status() == 303 && location(&accepted) == "/auth/factor",
        "the right password: {} to {}",
        accepted.status(),
        location(&accepted)
    );
    secrets.cookies("Erin", &erin_jar, &w.url);
    let code = emailed_code(&w, &erin, "erin@example.be", "/echo/erin").await?;
    secrets.add("Erin's emailed code", code);
    secrets.cookies("Erin", &erin_jar, &w.url);
    let (status, _) = get_json(&erin, &format!("{}/echo/erin", w.url)).await?;
    ensure!(status == 200, "Erin through the proxy: {status}");

    // A forged session cookie, then Chloé's logout.
    let forged = e2e::http::client()
        .get(format!("{}/echo/forged", w.url))
        .header("cookie", format!("gw_session={FORGED_SESSION}"))
        .header("accept", "application/json")
        .send()
        .await?;
    ensure!(forged.status() == 401, "forged cookie: {}", forged.status());
    let (_, status_json) = get_json(&chloe, &format!("{}/auth/session", w.url)).await?;
    let csrf = status_json["csrf"].as_str().context("csrf")?.to_owned();
    let out = chloe
        .post(format!("{}/auth/logout", w.url))
        .header("accept", "application/json")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await?;
    ensure!(
        out.status().is_success() || out.status().is_redirection(),
        "logout: {}",
        out.status()
    );
    secrets.add("Chloé's logout CSRF token", csrf);

    w.gateway.shutdown().await?;
    let text = log.text();
    // The capture works: the gateway's own events are there (and are JSON lines).
    let ours = text
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|v| {
            v["target"]
                .as_str()
                .is_some_and(|t| t.starts_with("gateway"))
        })
        .count();
    ensure!(ours > 0, "no event of the gateway was captured:\n{text}");
    eprintln!(
        "{} log lines captured, {ours} from the gateway; {} secrets looked for",
        text.lines().count(),
        secrets.0.len()
    );
    let leaks: Vec<String> = secrets
        .0
        .iter()
        .filter(|(_, value)| occurs(&text, value))
        .map(|(what, value)| {
            let line = text.lines().find(|l| occurs(l, value)).unwrap_or_default();
            format!("{what} is in the log: {line}")
        })
        .collect();
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
    Ok(())
}
