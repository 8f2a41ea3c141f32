//! The second factor over real sockets with real peers: the simulated provider, a real
//! SMTP server (Python `aiosmtpd`) receiving the gateway's mail, and `pyotp` computing
//! authenticator-app codes independently. Storage cases run on SQLite and PostgreSQL.

mod support;

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

use support::pg::FreshDb;
use support::smtp::{Smtp, free_port};
use support::*;

// ---------------------------------------------------------------- peers

/// pyotp's code for `secret` (base32) or an `otpauth://` URI at unix time `at`.
fn pyotp(value: &str, at: u64) -> String {
    let script = "import sys, pyotp\nv, at = sys.argv[1], int(sys.argv[2])\n\
                  t = pyotp.parse_uri(v) if v.startswith('otpauth://') else pyotp.TOTP(v)\nprint(t.at(at))";
    let out = Command::new(e2e::python())
        .args(["-c", script, value, &at.to_string()])
        .output()
        .expect("python (E2E_PYTHON) with pyotp");
    assert!(
        out.status.success(),
        "pyotp: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
}

// ---------------------------------------------------------------- gateway

fn factors_toml(smtp_port: u16, factors: &str) -> String {
    format!(
        "[mail]\nfrom = \"Gateway <gw@example.be>\"\nsmtp_url = \"smtp://127.0.0.1:{smtp_port}\"\n\
         retry_base_secs = 1\nretry_max_secs = 2\npoll_secs = 1\n[factors]\n{factors}\n"
    )
}

async fn start(db: Option<String>, smtp_port: u16, factors: &str) -> Env {
    Env::start(Options {
        database_url: db,
        extra_routes: factors_toml(smtp_port, factors),
        ..Options::default()
    })
    .await
}

/// A browser: a cookie jar kept by hand (names as on loopback http).
#[derive(Default, Clone)]
struct Browser {
    cookies: BTreeMap<String, String>,
    lang: Option<&'static str>,
}

impl Browser {
    fn absorb(&mut self, r: &reqwest::Response) {
        for v in r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
        {
            let Some((name, rest)) = v.split_once('=') else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or("").to_owned();
            if value.is_empty() || v.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value);
            }
        }
    }

    fn header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn get(&self, c: &reqwest::Client, url: &str) -> reqwest::RequestBuilder {
        let mut rb = c
            .get(url)
            .header("cookie", self.header())
            .header("accept", "text/html");
        if let Some(l) = self.lang {
            rb = rb.header("accept-language", l);
        }
        rb
    }

    fn post(
        &self,
        c: &reqwest::Client,
        url: &str,
        form: &[(&str, &str)],
    ) -> reqwest::RequestBuilder {
        let mut rb = c
            .post(url)
            .header("cookie", self.header())
            .header("accept", "text/html")
            .form(form);
        if let Some(l) = self.lang {
            rb = rb.header("accept-language", l);
        }
        rb
    }

    /// Provider login up to the gateway's answer to the callback.
    async fn first_factor(
        &mut self,
        env: &Env,
        c: &reqwest::Client,
        citizen: &str,
    ) -> reqwest::Response {
        let cb = login_until_callback(env, c, citizen, "/vouchers/after").await;
        self.cookies
            .insert("gw_login".to_owned(), cb.login_cookie.clone());
        let r = self.get(c, &cb.url).send().await.expect("callback");
        self.absorb(&r);
        r
    }
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

fn code_in(text: &str, digits: usize) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == digits)
        .unwrap_or_else(|| panic!("no {digits}-digit code in {text}"))
        .to_owned()
}

/// The CSRF token of the code page of this browser's challenge.
async fn challenge_csrf(env: &Env, c: &reqwest::Client, b: &Browser) -> (u16, String) {
    let r = b
        .get(c, &format!("{}/auth/factor", env.url))
        .send()
        .await
        .expect("page");
    let status = r.status().as_u16();
    let html = r.text().await.expect("html");
    (
        status,
        if status == 200 {
            field(&html, "csrf").expect("no csrf in page")
        } else {
            String::new()
        },
    )
}

async fn submit(
    env: &Env,
    c: &reqwest::Client,
    b: &mut Browser,
    code: &str,
    csrf: &str,
) -> (u16, String) {
    let r = b
        .post(
            c,
            &format!("{}/auth/factor", env.url),
            &[("code", code), ("csrf", csrf)],
        )
        .send()
        .await
        .expect("submit");
    b.absorb(&r);
    let status = r.status().as_u16();
    let location = location(&r);
    let body = r.text().await.unwrap_or_default();
    (status, if status == 303 { location } else { body })
}

// ---------------------------------------------------------------- tests

async fn emailed_code_confirms_a_new_device(db: Option<String>) {
    let engine = if db.is_some() { "postgres" } else { "sqlite" };
    let smtp = Smtp::start(free_port()).await;
    let env = start(db, smtp.port, "").await;
    let c = client();
    let mut b = Browser::default();
    let started = Instant::now();
    let r = b.first_factor(&env, &c, "citizen-1").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/auth/factor");
    assert!(
        !b.cookies.contains_key("gw_session"),
        "no session before the second factor"
    );
    assert!(!b.cookies.contains_key("gw_login"), "login cookie cleared");
    let set = set_cookie(&r, "gw_factor").expect("challenge cookie");
    assert!(
        set.contains("SameSite=Strict") && set.contains("HttpOnly"),
        "{set}"
    );
    let mail = smtp.next_for("alice@example.be").await;
    assert_eq!(mail.subject, "Your verification code");
    let code = code_in(&mail.text, 8);
    // The challenge keeps only a keyed hash: no code in clear. (That the outbox keeps
    // mails sealed is checked while a mail waits in it, in the SMTP outage test.)
    let pool = &env.state().db.pool;
    let hashes: Vec<Option<String>> = sqlx::query_scalar("SELECT code_hash FROM factor_challenges")
        .fetch_all(pool)
        .await
        .expect("rows");
    assert!(!hashes.is_empty());
    assert!(
        hashes
            .iter()
            .flatten()
            .all(|h| !h.contains(&code) && h.len() == 64)
    );
    let (status, csrf) = challenge_csrf(&env, &c, &b).await;
    assert_eq!(status, 200);
    let page = b
        .get(&c, &format!("{}/auth/factor", env.url))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("a***@example.be"), "masked address shown");
    assert!(
        page.contains("autocomplete=\"one-time-code\"") && page.contains("<label for=\"code\">")
    );
    // No CSRF token, or one from another site: refused without spending a try.
    let (status, _) = submit(&env, &c, &mut b, &code, "forged").await;
    assert_eq!(status, 403);
    let cross = b
        .post(
            &c,
            &format!("{}/auth/factor", env.url),
            &[("code", code.as_str()), ("csrf", csrf.as_str())],
        )
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .expect("cross");
    assert_eq!(cross.status(), 403);
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    let (status, page) = submit(&env, &c, &mut b, wrong, &csrf).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Tries left: 4") && page.contains("role=\"alert\""),
        "{page}"
    );
    let spaced = format!("{} {}", &code[..4], &code[4..]);
    let (status, to) = submit(&env, &c, &mut b, &spaced, &csrf).await;
    assert_eq!(status, 303, "{to}");
    assert_eq!(to, "/vouchers/after");
    let elapsed = started.elapsed();
    eprintln!(
        "MEASURE full login with an emailed code ({engine}, loopback, SMTP included): {} ms",
        elapsed.as_millis()
    );
    assert!(b.cookies.contains_key("gw_session"));
    assert!(
        !b.cookies.contains_key("gw_factor"),
        "challenge cookie cleared"
    );
    assert!(b.cookies.contains_key("gw_device"), "device trusted");
    assert_eq!(reaches_backend(&env, &c, &b.header()).await, 200);
    let notice = smtp.next_for("alice@example.be").await;
    assert_eq!(notice.subject, "A new device was used to log in");
    // The code worked once: the challenge is gone.
    let mut replay = b.clone();
    replay
        .cookies
        .insert("gw_factor".to_owned(), cookie_value(&set));
    let (status, _) = submit(&env, &c, &mut replay, &code, &csrf).await;
    assert_eq!(status, 410);
    // Sent mail is erased from the outbox.
    let deadline = Instant::now() + Duration::from_secs(10);
    while gateway::mail::outbox::pending(&env.state().db)
        .await
        .expect("pending")
        > 0
    {
        assert!(Instant::now() < deadline, "outbox not emptied");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let left: Vec<String> = sqlx::query_scalar("SELECT sealed FROM mail_outbox")
        .fetch_all(pool)
        .await
        .expect("rows");
    assert!(left.iter().all(String::is_empty));
    // Next login from this browser: the device is trusted, no code (none queued).
    let before = env.mails_queued(Some("alice@example.be")).await;
    b.cookies.remove("gw_session");
    let r = b.first_factor(&env, &c, "citizen-1").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/vouchers/after");
    assert!(b.cookies.contains_key("gw_session"));
    assert_eq!(reaches_backend(&env, &c, &b.header()).await, 200);
    // Another person on this browser is not trusted through it.
    let mut other = b.clone();
    other.cookies.remove("gw_session");
    let r = other.first_factor(&env, &c, "citizen-2").await;
    assert_eq!(location(&r), "/auth/factor");
    assert_eq!(env.mails_queued(Some("alice@example.be")).await, before);
    assert_eq!(env.mails_queued(Some("bruno@example.be")).await, 1);
    let code_mail = smtp.next_for("bruno@example.be").await;
    assert_eq!(code_mail.subject, "Your verification code");
}

#[tokio::test]
async fn emailed_code_confirms_a_new_device_sqlite() {
    emailed_code_confirms_a_new_device(None).await;
}

#[tokio::test]
async fn emailed_code_confirms_a_new_device_postgres() {
    let db = FreshDb::create().await;
    emailed_code_confirms_a_new_device(Some(db.url.clone())).await;
}

async fn wrong_codes_kill_the_challenge(db: Option<String>) {
    let smtp = Smtp::start(free_port()).await;
    let env = start(db, smtp.port, "").await;
    let c = client();
    let mut b = Browser {
        lang: Some("nl-BE,nl;q=0.9,fr;q=0.8"),
        ..Browser::default()
    };
    b.first_factor(&env, &c, "citizen-4").await;
    let mail = smtp.next_for("david@example.be").await;
    assert_eq!(mail.subject, "Uw verificatiecode", "the browser's language");
    let code = code_in(&mail.text, 8);
    let (_, csrf) = challenge_csrf(&env, &c, &b).await;
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    // Ten guesses at once: the tries are counted before each check, so at most five are
    // ever checked, whatever the interleaving.
    let guesses = (0..10).map(|_| {
        let (c, mut b, url, csrf) = (c.clone(), b.clone(), env.url.clone(), csrf.clone());
        async move {
            let r = b
                .post(
                    &c,
                    &format!("{url}/auth/factor"),
                    &[("code", wrong), ("csrf", csrf.as_str())],
                )
                .send()
                .await
                .expect("guess");
            b.absorb(&r);
            r.status().as_u16()
        }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let checked = statuses.iter().filter(|s| **s == 422).count();
    assert!(
        statuses.iter().all(|s| *s == 422 || *s == 410),
        "{statuses:?}"
    );
    assert_eq!(
        checked, 4,
        "4 wrong answers, then the 5th kills it: {statuses:?}"
    );
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM factor_challenges")
        .fetch_one(&env.state().db.pool)
        .await
        .expect("row");
    assert_eq!(attempts, 5);
    // The right code no longer helps.
    let (status, page) = submit(&env, &c, &mut b, &code, &csrf).await;
    assert_eq!(status, 410);
    assert!(
        page.contains("Meld u opnieuw aan"),
        "ended page in Dutch: {page}"
    );
    assert!(!b.cookies.contains_key("gw_session"));
}

#[tokio::test]
async fn wrong_codes_kill_the_challenge_sqlite() {
    wrong_codes_kill_the_challenge(None).await;
}

#[tokio::test]
async fn wrong_codes_kill_the_challenge_postgres() {
    let db = FreshDb::create().await;
    wrong_codes_kill_the_challenge(Some(db.url.clone())).await;
}

#[tokio::test]
async fn resend_is_throttled() {
    let smtp = Smtp::start(free_port()).await;
    let env = start(
        None,
        smtp.port,
        "resend_interval_secs = 3600\ncode_digits = 6",
    )
    .await;
    let c = client();
    let mut b = Browser::default();
    b.first_factor(&env, &c, "citizen-1").await;
    let first = code_in(&smtp.next_for("alice@example.be").await.text, 6);
    let (_, csrf) = challenge_csrf(&env, &c, &b).await;
    let r = b
        .post(
            &c,
            &format!("{}/auth/factor/email", env.url),
            &[("csrf", csrf.as_str())],
        )
        .send()
        .await
        .expect("resend");
    assert_eq!(r.status(), 429);
    assert!(r.text().await.expect("html").contains("wait a little"));
    // The first code still works.
    let (status, _) = submit(&env, &c, &mut b, &first, &csrf).await;
    assert_eq!(status, 303);
}

#[tokio::test]
async fn high_acr_skips_the_device_check() {
    let smtp = Smtp::start(free_port()).await;
    let env = start(
        None,
        smtp.port,
        "skip_device_check = { sim = [\"eidas-substantial\"] }",
    )
    .await;
    let c = client();
    let mut b = Browser::default();
    let r = b.first_factor(&env, &c, "citizen-1").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/vouchers/after");
    assert!(b.cookies.contains_key("gw_session"));
    assert_eq!(env.mails_queued(None).await, 0, "no code queued");
}

async fn mail_survives_smtp_outage_and_restart(db: Option<String>) {
    // The SMTP server is down when the code is queued.
    let port = free_port();
    let mut env = start(db, port, "").await;
    let c = client();
    let mut b = Browser::default();
    let r = b.first_factor(&env, &c, "citizen-1").await;
    assert_eq!(
        location(&r),
        "/auth/factor",
        "the login goes on while mail is down"
    );
    let pool = env.state().db.pool.clone();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let failed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM mail_outbox WHERE attempts > 0 AND sent_at IS NULL",
        )
        .fetch_one(&pool)
        .await
        .expect("count");
        if failed > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "no failed send recorded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // While the mail waits, its row is sealed: kept, not empty, the code not in it
    // (checked once the code arrives).
    let waiting: Vec<String> =
        sqlx::query_scalar("SELECT sealed FROM mail_outbox WHERE sent_at IS NULL")
            .fetch_all(&pool)
            .await
            .expect("rows");
    assert!(
        !waiting.is_empty() && waiting.iter().all(|s| s.len() > 32),
        "{waiting:?}"
    );
    // The gateway restarts, then the SMTP server comes up: the mail still arrives, and
    // the challenge survived too.
    env.restart().await;
    let smtp = Smtp::start(port).await;
    let mail = smtp.next_for("alice@example.be").await;
    let code = code_in(&mail.text, 8);
    assert!(
        waiting
            .iter()
            .all(|s| !s.contains(&code) && !s.contains("alice@")),
        "the queued mail is in clear"
    );
    let (_, csrf) = challenge_csrf(&env, &c, &b).await;
    let (status, _) = submit(&env, &c, &mut b, &code, &csrf).await;
    assert_eq!(status, 303);
    assert_eq!(reaches_backend(&env, &c, &b.header()).await, 200);
}

#[tokio::test]
async fn mail_survives_smtp_outage_and_restart_sqlite() {
    mail_survives_smtp_outage_and_restart(None).await;
}

#[tokio::test]
async fn mail_survives_smtp_outage_and_restart_postgres() {
    let db = FreshDb::create().await;
    mail_survives_smtp_outage_and_restart(Some(db.url.clone())).await;
}

/// Log in on a new browser with the emailed code; returns the browser with a session.
async fn login_with_mail(
    env: &Env,
    c: &reqwest::Client,
    smtp: &Smtp,
    citizen: &str,
    email: &str,
) -> Browser {
    let mut b = Browser::default();
    b.first_factor(env, c, citizen).await;
    let code = code_in(&smtp.next_for(email).await.text, 8);
    let (_, csrf) = challenge_csrf(env, c, &b).await;
    let (status, _) = submit(env, c, &mut b, &code, &csrf).await;
    assert_eq!(status, 303);
    let _notice = smtp.next_for(email).await;
    b
}

async fn security_page(env: &Env, c: &reqwest::Client, b: &Browser) -> String {
    let r = b
        .get(c, &format!("{}/auth/factors", env.url))
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), 200);
    r.text().await.expect("html")
}

async fn totp_enrollment_and_login(db: Option<String>) {
    let smtp = Smtp::start(free_port()).await;
    let env = start(db, smtp.port, "").await;
    let c = client();
    let first = login_with_mail(&env, &c, &smtp, "citizen-2", "bruno@example.be").await;
    let page = security_page(&env, &c, &first).await;
    let csrf = field(&page, "csrf").expect("no csrf in page");
    let r = first
        .post(
            &c,
            &format!("{}/auth/factors/totp", env.url),
            &[("name", "My phone"), ("csrf", csrf.as_str())],
        )
        .send()
        .await
        .expect("start");
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("html");
    // The QR code is an image of this origin (the pages' CSP loads no `data:` image).
    assert!(
        html.contains("src=\"/auth/factors/totp/qr.png\""),
        "QR code shown"
    );
    let qr = first
        .get(&c, &format!("{}/auth/factors/totp/qr.png", env.url))
        .send()
        .await
        .expect("qr");
    assert_eq!(qr.status(), 200);
    assert_eq!(qr.headers()["content-type"], "image/png");
    assert_eq!(qr.headers()["cache-control"], "no-store");
    let png = qr.bytes().await.expect("png");
    assert!(png.starts_with(b"\x89PNG"), "a PNG image");
    let key = html
        .split("<code id=\"totp-key\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("key")
        .to_owned();
    let uri = html
        .split("id=\"totp-uri\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .map(unescape)
        .expect("uri");
    assert!(
        uri.starts_with("otpauth://totp/Gateway:bruno%40example.be?"),
        "{uri}"
    );
    // A wrong first code is refused; the one pyotp computes from the URI is accepted.
    let now = unix_now();
    let from_uri = pyotp(&uri, now);
    assert_eq!(from_uri, pyotp(&key, now), "URI and key agree");
    let wrong = format!(
        "{:06}",
        (from_uri.parse::<u32>().expect("digits") + 1) % 1_000_000
    );
    let confirm = |code: String| {
        let (c, first, url, csrf) = (c.clone(), first.clone(), env.url.clone(), csrf.clone());
        async move {
            let r = first
                .post(
                    &c,
                    &format!("{url}/auth/factors/totp/confirm"),
                    &[("code", code.as_str()), ("csrf", csrf.as_str())],
                )
                .send()
                .await
                .expect("confirm");
            (r.status().as_u16(), r.text().await.unwrap_or_default())
        }
    };
    assert_eq!(confirm(wrong).await.0, 422);
    let (status, html) = confirm(from_uri.clone()).await;
    assert_eq!(status, 200);
    assert!(html.contains("My phone"), "{html}");
    // A second app is refused until the first is removed.
    let r = first
        .post(
            &c,
            &format!("{}/auth/factors/totp", env.url),
            &[("name", "Other"), ("csrf", csrf.as_str())],
        )
        .send()
        .await
        .expect("second");
    assert_eq!(r.status(), 409);
    let sealed: String = sqlx::query_scalar("SELECT secret_sealed FROM totp_factors")
        .fetch_one(&env.state().db.pool)
        .await
        .expect("row");
    assert!(!sealed.contains(&key), "secret encrypted at rest");

    // A new browser: the app's code replaces the emailed one; no mail is sent.
    let mails_before = env.mails_queued(Some("bruno@example.be")).await;
    let mut b = Browser::default();
    b.first_factor(&env, &c, "citizen-2").await;
    let page = b
        .get(&c, &format!("{}/auth/factor", env.url))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("authenticator app") && page.contains("Sign in another way"));
    let csrf2 = field(&page, "csrf").expect("no csrf in page");
    // The code used at enrollment is refused (already used: no replay in its window).
    let (status, _) = submit(&env, &c, &mut b, &from_uri, &csrf2).await;
    assert_eq!(status, 422);
    // The next step's code (one step of skew tolerated) is accepted, once.
    let next = pyotp(&key, unix_now() + 30);
    let (status, to) = submit(&env, &c, &mut b, &next, &csrf2).await;
    assert_eq!((status, to.as_str()), (303, "/vouchers/after"));
    assert_eq!(
        env.mails_queued(Some("bruno@example.be")).await,
        mails_before + 1,
        "only the new-device notice was mailed"
    );
    let notice = smtp.next_for("bruno@example.be").await;
    assert_eq!(notice.subject, "A new device was used to log in");
    let mut again = Browser::default();
    again.first_factor(&env, &c, "citizen-2").await;
    let (_, csrf3) = challenge_csrf(&env, &c, &again).await;
    let (status, _) = submit(&env, &c, &mut again, &next, &csrf3).await;
    assert_eq!(status, 422, "a code is accepted once");
    // "Sign in another way": an emailed code instead.
    let r = again
        .post(
            &c,
            &format!("{}/auth/factor/email", env.url),
            &[("csrf", csrf3.as_str())],
        )
        .send()
        .await
        .expect("by mail");
    assert_eq!(r.status(), 200);
    let code = code_in(&smtp.next_for("bruno@example.be").await.text, 8);
    let (status, _) = submit(&env, &c, &mut again, &code, &csrf3).await;
    assert_eq!(status, 303);
    // Removing the app brings the emailed code back.
    let r = first
        .post(
            &c,
            &format!("{}/auth/factors/totp/delete", env.url),
            &[("csrf", csrf.as_str())],
        )
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status(), 200);
    assert!(r.text().await.expect("html").contains("removed"));
}

/// Enrol an authenticator app for the logged-in browser `b`; returns its key.
async fn enrol_app(env: &Env, c: &reqwest::Client, b: &Browser) -> String {
    let page = security_page(env, c, b).await;
    let csrf = field(&page, "csrf").expect("no csrf in page");
    let r = b
        .post(
            c,
            &format!("{}/auth/factors/totp", env.url),
            &[("name", "Phone"), ("csrf", csrf.as_str())],
        )
        .send()
        .await
        .expect("start");
    let html = r.text().await.expect("html");
    let key = html
        .split("<code id=\"totp-key\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("key")
        .to_owned();
    let r = b
        .post(
            c,
            &format!("{}/auth/factors/totp/confirm", env.url),
            &[
                ("code", pyotp(&key, unix_now()).as_str()),
                ("csrf", csrf.as_str()),
            ],
        )
        .send()
        .await
        .expect("confirm");
    assert_eq!(r.status(), 200, "app enrolled");
    key
}

/// Chorus Pro: once a person registered an authenticator app, it is asked at every
/// login, on a trusted device too, where `registered_factor_every_login` names the
/// login's origin; elsewhere a trusted device goes straight on.
#[tokio::test]
async fn a_registered_app_is_asked_at_every_login_where_configured() {
    for (every_login, asked) in [
        ("", false),
        ("registered_factor_every_login = [\"local\", \"sim\"]", true),
    ] {
        let smtp = Smtp::start(free_port()).await;
        let env = start(None, smtp.port, every_login).await;
        let c = client();
        let mut trusted = login_with_mail(&env, &c, &smtp, "citizen-2", "bruno@example.be").await;
        let key = enrol_app(&env, &c, &trusted).await;
        // The same (trusted) browser logs in again.
        let r = trusted.first_factor(&env, &c, "citizen-2").await;
        assert_eq!(r.status(), 303);
        if !asked {
            assert_eq!(
                location(&r),
                "/vouchers/after",
                "a trusted device goes straight on"
            );
            continue;
        }
        assert_eq!(
            location(&r),
            "/auth/factor",
            "the app is asked on a trusted device"
        );
        let page = trusted
            .get(&c, &format!("{}/auth/factor", env.url))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(
            page.contains("authenticator app") && page.contains("Sign in another way"),
            "the app's code, with the emailed code as the way out: {page}"
        );
        let csrf = field(&page, "csrf").expect("csrf");
        let (status, to) =
            submit(&env, &c, &mut trusted, &pyotp(&key, unix_now() + 30), &csrf).await;
        assert_eq!((status, to.as_str()), (303, "/vouchers/after"));
    }
}

#[tokio::test]
async fn totp_enrollment_and_login_cross_checked_with_pyotp_sqlite() {
    totp_enrollment_and_login(None).await;
}

#[tokio::test]
async fn totp_enrollment_and_login_cross_checked_with_pyotp_postgres() {
    let db = FreshDb::create().await;
    totp_enrollment_and_login(Some(db.url.clone())).await;
}

#[tokio::test]
async fn removing_a_device_ends_its_sessions() {
    let smtp = Smtp::start(free_port()).await;
    let env = start(None, smtp.port, "").await;
    let c = client();
    let phone = login_with_mail(&env, &c, &smtp, "citizen-1", "alice@example.be").await;
    let laptop = login_with_mail(&env, &c, &smtp, "citizen-1", "alice@example.be").await;
    let page = security_page(&env, &c, &laptop).await;
    assert_eq!(
        page.matches("action=\"/auth/factors/devices/revoke\"")
            .count(),
        2
    );
    assert!(page.contains("(this device)"));
    let csrf = field(&page, "csrf").expect("no csrf in page");
    // The phone's device id: the entry not marked as this device.
    let ids: Vec<String> = page
        .split("name=\"id\" value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect();
    let phone_hash = gateway::crypto::token_hash(&phone.cookies["gw_device"]);
    let phone_id: String =
        sqlx::query_scalar("SELECT id FROM trusted_devices WHERE token_hash = $1")
            .bind(&phone_hash)
            .fetch_one(&env.state().db.pool)
            .await
            .expect("device");
    assert!(ids.contains(&phone_id));
    // Another person's device cannot be removed, and no form without the token.
    let r = laptop
        .post(
            &c,
            &format!("{}/auth/factors/devices/revoke", env.url),
            &[("id", phone_id.as_str())],
        )
        .send()
        .await
        .expect("no csrf");
    assert_eq!(r.status(), 403);
    let r = laptop
        .post(
            &c,
            &format!("{}/auth/factors/devices/revoke", env.url),
            &[("id", phone_id.as_str()), ("csrf", csrf.as_str())],
        )
        .send()
        .await
        .expect("revoke");
    assert_eq!(r.status(), 200);
    assert_eq!(
        reaches_backend(&env, &c, &phone.header()).await,
        401,
        "the phone's session ended"
    );
    assert_eq!(
        reaches_backend(&env, &c, &laptop.header()).await,
        200,
        "the laptop's did not"
    );
    // The person chooses French: pages and mails follow, whatever the browser says.
    let r = laptop
        .post(
            &c,
            &format!("{}/auth/factors/language", env.url),
            &[("lang", "fr"), ("csrf", csrf.as_str())],
        )
        .send()
        .await
        .expect("language");
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .expect("html")
            .contains("Appareils de confiance")
    );
    // The phone must confirm again.
    let mut phone = phone;
    phone.cookies.remove("gw_session");
    phone.lang = Some("en");
    let r = phone.first_factor(&env, &c, "citizen-1").await;
    assert_eq!(location(&r), "/auth/factor");
    assert_eq!(
        smtp.next_for("alice@example.be").await.subject,
        "Votre code de vérification"
    );
}

#[tokio::test]
async fn security_page_needs_a_session_and_factor_pages_a_challenge() {
    let smtp = Smtp::start(free_port()).await;
    let env = start(None, smtp.port, "").await;
    let c = client();
    let b = Browser::default();
    let r = b
        .get(&c, &format!("{}/auth/factors", env.url))
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), 303);
    let r = b
        .get(&c, &format!("{}/auth/factor", env.url))
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), 410);
    let r = b
        .post(
            &c,
            &format!("{}/auth/factor", env.url),
            &[("code", "12345678")],
        )
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 410);
}

#[tokio::test]
async fn the_demo_delivers_mail_into_a_folder() {
    let folder = tempfile::tempdir().expect("tempdir");
    let env = Env::start(Options {
        extra_routes: format!(
            "[mail]\nfrom = \"gw@example.be\"\noutbox_dir = \"{}\"\n[factors]\n",
            folder.path().display()
        ),
        ..Options::default()
    })
    .await;
    let c = client();
    let mut b = Browser::default();
    let r = b.first_factor(&env, &c, "citizen-1").await;
    assert_eq!(location(&r), "/auth/factor");
    let deadline = Instant::now() + Duration::from_secs(20);
    let eml = loop {
        let found = std::fs::read_dir(folder.path())
            .expect("dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "eml"));
        if let Some(p) = found {
            break String::from_utf8(std::fs::read(p).expect("read")).expect("utf-8");
        }
        assert!(Instant::now() < deadline, "no mail file");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(
        eml.contains("To: alice@example.be") && eml.contains("Subject: Your verification code"),
        "{eml}"
    );
    let code = code_in(eml.split_once("\r\n\r\n").expect("body").1, 8);
    let (_, csrf) = challenge_csrf(&env, &c, &b).await;
    let (status, _) = submit(&env, &c, &mut b, &code, &csrf).await;
    assert_eq!(status, 303);
}

/// The session's `amr`, from `/auth/session`.
/// The methods of the browser's session, `None` when it has no live session; a
/// malformed answer fails the test.
async fn amr_of(env: &Env, c: &reqwest::Client, b: &Browser) -> Option<Vec<String>> {
    let v: serde_json::Value = c
        .get(format!("{}/auth/session", env.url))
        .header("cookie", b.header())
        .header("accept", "application/json")
        .send()
        .await
        .expect("session")
        .json()
        .await
        .expect("json");
    match v["authenticated"].as_bool() {
        Some(false) => None,
        Some(true) => Some(
            serde_json::from_value(v["amr"].clone())
                .unwrap_or_else(|e| panic!("amr is not a list of strings: {e}: {v}")),
        ),
        None => panic!("no `authenticated` in {v}"),
    }
}

/// A route demanding an authenticator app: a session that passed only an emailed code
/// is sent through the app (and back) in a browser, and gets 401 naming the factor as an
/// API client; the step-up replaces the session by one whose `amr` holds `otp`.
#[tokio::test]
async fn a_route_demanding_totp_steps_the_session_up() {
    let smtp = Smtp::start(free_port()).await;
    let (backend, _echo) = echo_backend().await;
    let env = start(
        None,
        smtp.port,
        &format!(
            "[[routes]]\nprefix = \"/secure\"\nupstream = \"http://{backend}\"\n\
             application = \"secure\"\naccess = \"authenticated\"\nrequire_factor = \"totp\"\n"
        ),
    )
    .await;
    let c = client();
    let mut b = login_with_mail(&env, &c, &smtp, "citizen-4", "david@example.be").await;
    let amr = amr_of(&env, &c, &b).await.expect("a session");
    assert!(amr.contains(&"mail".to_owned()), "{amr:?}");
    // An API client: 401 naming the missing factor.
    let r = c
        .get(format!("{}/secure/x", env.url))
        .header("cookie", b.header())
        .header("accept", "application/json")
        .send()
        .await
        .expect("api");
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["error"], "step_up_required");
    assert_eq!(body["required_factor"], "totp");
    // A browser: to the step-up page, which has nothing to offer before an app is set up.
    let r = b
        .get(&c, &format!("{}/secure/x?y=1", env.url))
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), 303);
    let step = location(&r);
    assert_eq!(
        step,
        "/auth/step-up?factor=totp&return_to=%2Fsecure%2Fx%3Fy%3D1"
    );
    let r = b
        .get(&c, &format!("{}{step}", env.url))
        .send()
        .await
        .expect("step");
    assert_eq!(r.status(), 403);
    // Set up an app.
    let csrf = field(&security_page(&env, &c, &b).await, "csrf").expect("no csrf in page");
    let html = b
        .post(
            &c,
            &format!("{}/auth/factors/totp", env.url),
            &[("name", "Phone"), ("csrf", csrf.as_str())],
        )
        .send()
        .await
        .expect("start")
        .text()
        .await
        .expect("html");
    let key = html
        .split("<code id=\"totp-key\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("key")
        .to_owned();
    let enrolled = pyotp(&key, unix_now());
    let r = b
        .post(
            &c,
            &format!("{}/auth/factors/totp/confirm", env.url),
            &[("code", enrolled.as_str()), ("csrf", csrf.as_str())],
        )
        .send()
        .await
        .expect("confirm");
    assert_eq!(r.status(), 200);
    // Enrolling is no step-up: the route still asks for the app.
    let amr = amr_of(&env, &c, &b).await.expect("a session");
    assert!(!amr.contains(&"otp".to_owned()), "{amr:?}");
    let r = b
        .get(&c, &format!("{}{step}", env.url))
        .send()
        .await
        .expect("step");
    b.absorb(&r);
    assert_eq!(
        (r.status().as_u16(), location(&r).as_str()),
        (303, "/auth/factor")
    );
    let (status, csrf2) = challenge_csrf(&env, &c, &b).await;
    assert_eq!(status, 200);
    // No emailed code in place of the app demanded.
    let page = b
        .get(&c, &format!("{}/auth/factor", env.url))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(!page.contains("/auth/factor/email"), "{page}");
    let mails = env.mails_queued(None).await;
    let r = b
        .post(
            &c,
            &format!("{}/auth/factor/email", env.url),
            &[("csrf", csrf2.as_str())],
        )
        .send()
        .await
        .expect("by mail");
    assert_eq!(r.status(), 403);
    // A wrong code is refused; the next step's code passes and goes back to the page.
    let old = b.clone();
    let (status, _) = submit(&env, &c, &mut b, "000000", &csrf2).await;
    assert_eq!(status, 422);
    let code = pyotp(&key, unix_now() + 30);
    let (status, to) = submit(&env, &c, &mut b, &code, &csrf2).await;
    assert_eq!((status, to.as_str()), (303, "/secure/x?y=1"));
    assert_ne!(
        old.cookies.get("gw_session"),
        b.cookies.get("gw_session"),
        "a new session token at the step-up"
    );
    let amr = amr_of(&env, &c, &b).await.expect("a session");
    assert!(
        amr.contains(&"otp".to_owned()) && amr.contains(&"mail".to_owned()),
        "{amr:?}"
    );
    let r = b
        .get(&c, &format!("{}/secure/x?y=1", env.url))
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), 200);
    let echoed: serde_json::Value = r.json().await.expect("echo");
    assert_eq!(echoed["path"], "/x?y=1");
    // The replaced session is over.
    assert_eq!(
        amr_of(&env, &c, &old).await,
        None,
        "the replaced session still works"
    );
    assert_eq!(
        env.mails_queued(None).await,
        mails,
        "no mail for a step-up by app"
    );
    // The factor changes are in the audit log.
    let changes: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'factor.change' ORDER BY id",
    )
    .fetch_all(&env.state().db.pool)
    .await
    .expect("audit");
    assert!(
        changes.iter().any(|d| d.contains("totp.add")),
        "{changes:?}"
    );
}

async fn post_json(
    env: &Env,
    c: &reqwest::Client,
    b: &Browser,
    path: &str,
    csrf: Option<&str>,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let mut rb = c
        .post(format!("{}{path}", env.url))
        .header("cookie", b.header())
        .header("accept", "application/json")
        .json(body);
    if let Some(t) = csrf {
        rb = rb.header("x-csrf-token", t);
    }
    let r = rb.send().await.expect("post");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// The security-key endpoints without a browser: no session, no CSRF token, a bad
/// name, a forged answer, an answer replayed after its ceremony was consumed, a login
/// answer without a challenge; and a route demanding a key from a person without one.
#[tokio::test]
async fn security_key_requests_are_refused_without_session_csrf_or_ceremony() {
    let (backend, _echo) = echo_backend().await;
    let env = Env::start(Options {
        localhost: true,
        extra_routes: format!(
            "[factors]\ndevice_trust = false\nwebauthn = true\n[[routes]]\nprefix = \"/keyed\"\n\
             upstream = \"http://{backend}\"\napplication = \"keyed\"\naccess = \"authenticated\"\n\
             require_factor = \"webauthn\"\n"
        ),
        ..Options::default()
    })
    .await;
    assert!(env.url.starts_with("http://localhost:"));
    let c = client();
    let anonymous = Browser::default();
    let name = serde_json::json!({ "name": "Blue" });
    let start = "/auth/factors/webauthn/register/start";
    let finish = "/auth/factors/webauthn/register/finish";
    let (status, _) = post_json(&env, &c, &anonymous, start, None, &name).await;
    assert_eq!(status, 401, "no session");

    let mut b = Browser::default();
    let r = b.first_factor(&env, &c, "citizen-1").await;
    assert_eq!(r.status(), 303);
    let page = security_page(&env, &c, &b).await;
    assert!(page.contains("id=\"key-add\""), "the key form is offered");
    let csrf = field(&page, "csrf").expect("no csrf in page");
    let (status, _) = post_json(&env, &c, &b, start, None, &name).await;
    assert_eq!(status, 403, "no CSRF token");
    let (status, _) = post_json(&env, &c, &b, start, Some("forged"), &name).await;
    assert_eq!(status, 403, "a wrong CSRF token");
    let (status, body) = post_json(
        &env,
        &c,
        &b,
        start,
        Some(&csrf),
        &serde_json::json!({ "name": " " }),
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (422, Some("bad_name")));
    let (status, options) = post_json(&env, &c, &b, start, Some(&csrf), &name).await;
    assert_eq!(status, 200, "{options}");
    let pk = &options["publicKey"];
    assert_eq!(pk["rp"]["id"], "localhost");
    assert!(
        pk["challenge"].as_str().is_some_and(|s| s.len() >= 40),
        "{pk}"
    );
    assert_eq!(pk["authenticatorSelection"]["userVerification"], "required");
    // A forged answer is refused, and consumes the ceremony: the same again finds none.
    let forged = serde_json::json!({
        "id": "AAAAAAAAAAAAAAAAAAAAAA",
        "rawId": "AAAAAAAAAAAAAAAAAAAAAA",
        "type": "public-key",
        "response": { "attestationObject": "AAAA", "clientDataJSON": "AAAA" },
    });
    let (status, body) = post_json(&env, &c, &b, finish, Some(&csrf), &forged).await;
    assert_eq!((status, body["error"].as_str()), (422, Some("key_refused")));
    let (status, body) = post_json(&env, &c, &b, finish, Some(&csrf), &forged).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("no_ceremony")));
    let keys: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webauthn_credentials")
        .fetch_one(&env.state().db.pool)
        .await
        .expect("count");
    assert_eq!(keys, 0);
    // A login answer without any challenge.
    let assertion = serde_json::json!({
        "id": "AAAAAAAAAAAAAAAAAAAAAA",
        "rawId": "AAAAAAAAAAAAAAAAAAAAAA",
        "type": "public-key",
        "response": { "authenticatorData": "AAAA", "clientDataJSON": "AAAA", "signature": "AAAA" },
    });
    let (status, _) = post_json(
        &env,
        &c,
        &b,
        "/auth/factor/webauthn/finish",
        Some(&csrf),
        &assertion,
    )
    .await;
    assert_eq!(status, 410);
    // Removing a key that is not the person's.
    let r = b
        .post(
            &c,
            &format!("{}/auth/factors/webauthn/delete", env.url),
            &[("id", "nope"), ("csrf", csrf.as_str())],
        )
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status(), 404);
    // A route demanding a key: 401 for an API client, the step-up page for a browser,
    // which has nothing to offer a person without a key.
    let r = c
        .get(format!("{}/keyed/x", env.url))
        .header("cookie", b.header())
        .header("accept", "application/json")
        .send()
        .await
        .expect("api");
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["required_factor"], "webauthn");
    let r = b
        .get(&c, &format!("{}/keyed/x", env.url))
        .send()
        .await
        .expect("page");
    assert_eq!(
        location(&r),
        "/auth/step-up?factor=webauthn&return_to=%2Fkeyed%2Fx"
    );
    let r = b
        .get(&c, &format!("{}{}", env.url, location(&r)))
        .send()
        .await
        .expect("step-up");
    assert_eq!(r.status(), 403);
}
