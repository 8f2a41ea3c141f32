//! What the gateway's tests share that is the gateway's own: a gateway with the
//! simulated provider and an echo backend, all on 127.0.0.1 ephemeral ports, stopped when
//! dropped; its configuration; a login through the provider; a logged-in [`Person`]
//! driving pages, forms and the API ([`person`]); the access model seeded by the
//! operator ([`model`]). The HTTP client and the parsing of answers come from the
//! workspace's test support (`e2e::http`), the real peers (PostgreSQL, SMTP) from its
//! harness ([`pg`], [`smtp`]).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::response::IntoResponse;
pub mod model;
pub mod person;
pub mod pg;
pub mod smtp;

use demo::sim_idp::{self, SimClient, SimIdpConfig};
// Each test binary uses some of these; none uses them all.
#[allow(unused_imports)]
pub use e2e::http::{client, cookie_value, field, location, set_cookie, urlencode};
#[allow(unused_imports)]
pub use model::*;
#[allow(unused_imports)]
pub use person::{Answer, Person, answer};
use tokio::net::TcpListener;

pub const SECRET: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// An upstream that answers with what it received (method, path, headers).
pub async fn echo_backend() -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let app = Router::new().fallback(|req: Request| async move {
        let headers: serde_json::Map<String, serde_json::Value> = req
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    serde_json::Value::String(v.to_str().unwrap_or("").to_owned()),
                )
            })
            .collect();
        let path = req
            .uri()
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default();
        if path.starts_with("/slow") {
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
        let method = req.method().to_string();
        let body = axum::body::to_bytes(req.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        axum::Json(serde_json::json!({
            "method": method,
            "path": path,
            "headers": headers,
            "body": String::from_utf8_lossy(&body),
        }))
        .into_response()
    });
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = l.local_addr().expect("addr");
    let task = tokio::spawn(async move {
        let _ = axum::serve(l, app).await;
    });
    (addr, task)
}

/// The simulated provider on an ephemeral port.
pub async fn sim_provider(redirect_base: &str, acr: &str) -> (String, tokio::task::JoinHandle<()>) {
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let issuer = format!("http://{}", l.local_addr().expect("addr"));
    let app = sim_idp::router(SimIdpConfig {
        issuer: issuer.clone(),
        clients: vec![SimClient {
            client_id: "gw".to_owned(),
            client_secret: "gw-secret".to_owned(),
            redirect_uris: vec![format!("{redirect_base}/auth/callback")],
            post_logout_redirect_uris: vec![format!("{redirect_base}/auth/logged-out")],
        }],
        citizens: sim_idp::demo_citizens(),
        acr: acr.to_owned(),
    });
    let task = tokio::spawn(async move {
        let _ = axum::serve(l, app).await;
    });
    (issuer, task)
}

pub struct Options {
    pub database_url: Option<String>,
    pub idle_secs: u64,
    pub absolute_secs: u64,
    pub extra_routes: String,
    pub acr_values: String,
    /// The simulated provider's `acr` (default, then levels reachable on request).
    pub sim_acr: String,
    /// Lines added to `[session]`.
    pub session_extra: String,
    /// Lines added to `[server]`.
    pub server_extra: String,
    /// Lines added to `[database]`.
    pub database_extra: String,
    /// Public URL `http://localhost:PORT` instead of `http://127.0.0.1:PORT` (WebAuthn
    /// needs a domain as relying party id).
    pub localhost: bool,
    /// The clock of session timeouts and grant validity: a test moves it instead of
    /// sleeping (default: the system clock).
    pub clock: Option<Arc<policy::ManualClock>>,
    /// Read the configuration from a file (`Env::config_path`, mode 600) as `gateway
    /// serve` does, so that a reload can read it again (default: from the text).
    pub config_file: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            database_url: None,
            idle_secs: 600,
            absolute_secs: 3600,
            extra_routes: String::new(),
            acr_values: "[\"eidas-substantial\"]".to_owned(),
            localhost: false,
            sim_acr: "eidas-substantial".to_owned(),
            session_extra: String::new(),
            clock: None,
            server_extra: String::new(),
            database_extra: String::new(),
            config_file: false,
        }
    }
}

/// A test clock showing the system's time now, moved only by the test.
pub fn manual_clock() -> Arc<policy::ManualClock> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Arc::new(policy::ManualClock::new(now))
}

pub struct Env {
    pub gateway: Option<gateway::Running>,
    pub url: String,
    pub listen: SocketAddr,
    pub issuer: String,
    pub backend: SocketAddr,
    pub config_text: String,
    /// The file the configuration was read from (`Options::config_file`).
    pub config_path: Option<std::path::PathBuf>,
    pub clock: Option<Arc<policy::ManualClock>>,
    pub _dir: tempfile::TempDir,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Env {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

fn public_url(listen: SocketAddr, o: &Options) -> String {
    if o.localhost {
        format!("http://localhost:{}", listen.port())
    } else {
        format!("http://{listen}")
    }
}

pub fn config_text(
    listen: SocketAddr,
    db: &str,
    issuer: &str,
    backend: SocketAddr,
    o: &Options,
) -> String {
    format!(
        r#"
secret_key = "{SECRET}"
[server]
listen = "{listen}"
public_url = "{public}"
shutdown_grace_secs = 2
{server_extra}
[database]
url = "{db}"
{database_extra}
[session]
idle_timeout_secs = {idle}
absolute_lifetime_secs = {abs}
{session_extra}
[[providers]]
id = "sim"
label = "Simulated eID"
issuer = "{issuer}"
client_id = "gw"
client_secret = "gw-secret"
acr_values = {acr}
national_number_claim = "rrn"
[[routes]]
prefix = "/vouchers"
upstream = "http://{backend}"
application = "vouchers"
access = "authenticated"
timeout_secs = 1
[[routes]]
prefix = "/public"
upstream = "http://{backend}"
application = "public"
access = "public"
strip_prefix = false
[[routes]]
prefix = "/vouchers/internal"
upstream = "http://{backend}"
application = "vouchers"
access = "denied"
[[routes]]
prefix = "/down"
upstream = "http://127.0.0.1:9"
application = "down"
access = "authenticated"
{extra}
"#,
        public = public_url(listen, o),
        idle = o.idle_secs,
        abs = o.absolute_secs,
        acr = o.acr_values,
        session_extra = o.session_extra,
        server_extra = o.server_extra,
        database_extra = o.database_extra,
        extra = o.extra_routes,
    )
}

impl Env {
    pub async fn start(o: Options) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let listen = listener.local_addr().expect("addr");
        let url = public_url(listen, &o);
        let (issuer, idp) = sim_provider(&url, &o.sim_acr).await;
        let (backend, echo) = echo_backend().await;
        let db = o
            .database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("gw.db").display()));
        let text = config_text(listen, &db, &issuer, backend, &o);
        let config_path = o.config_file.then(|| {
            let path = dir.path().join("gateway.toml");
            write_config(&path, &text);
            path
        });
        let config = match &config_path {
            Some(path) => gateway::Config::load(path).expect("config file"),
            None => gateway::Config::from_toml(&text).expect("config"),
        };
        let state = build_state(config, o.clock.clone()).await;
        let running = gateway::spawn(state, listener).expect("spawn");
        Self {
            gateway: Some(running),
            url,
            listen,
            issuer,
            backend,
            config_text: text,
            config_path,
            clock: o.clock,
            _dir: dir,
            tasks: vec![idp, echo],
        }
    }

    /// Stop the gateway and start it again on the same address and store.
    pub async fn restart(&mut self) {
        if let Some(g) = self.gateway.take() {
            g.shutdown().await.expect("shutdown");
        }
        let listener = TcpListener::bind(self.listen).await.expect("rebind");
        let config = gateway::Config::from_toml(&self.config_text).expect("config");
        let state = build_state(config, self.clock.clone()).await;
        self.gateway = Some(gateway::spawn(state, listener).expect("spawn"));
    }

    pub fn state(&self) -> &gateway::AppState {
        &self.gateway.as_ref().expect("running").state
    }

    /// How many mails were queued in all (to `to`, when given). The outbox row is
    /// written in the same transaction as what caused the mail, before the answer: a
    /// count taken right after a request is exact, where the SMTP server's count would
    /// still wait for the asynchronous sender. Sent rows stay (blanked) for days.
    pub async fn mails_queued(&self, to: Option<&str>) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM mail_outbox WHERE $1 = '' OR recipient = $1")
            .bind(to.unwrap_or(""))
            .fetch_one(&self.state().db.pool)
            .await
            .expect("outbox count")
    }
}

/// Write a configuration file readable by its owner only (it holds the secret).
pub fn write_config(path: &std::path::Path, text: &str) {
    std::fs::write(path, text).expect("write config");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod 600");
    }
}

async fn build_state(
    config: gateway::Config,
    clock: Option<Arc<policy::ManualClock>>,
) -> gateway::AppState {
    let state = match clock {
        Some(clock) => gateway::AppState::build_with_clock(config, clock).await,
        None => gateway::AppState::build(config).await,
    };
    state.expect("state")
}

/// `/auth/session` as the holder of `cookie` (a whole `Cookie` header value) sees it.
pub async fn session_status(env: &Env, c: &reqwest::Client, cookie: &str) -> serde_json::Value {
    c.get(format!("{}/auth/session", env.url))
        .header("cookie", cookie)
        .header("accept", "application/json")
        .send()
        .await
        .expect("session status")
        .json()
        .await
        .expect("json")
}

/// A login in progress: the provider's callback URL and the browser's login cookie.
pub struct Callback {
    pub url: String,
    pub login_cookie: String,
}

/// Go from `/auth/login/sim` to the provider's redirect back to the gateway.
pub async fn login_until_callback(
    env: &Env,
    c: &reqwest::Client,
    citizen: &str,
    return_to: &str,
) -> Callback {
    let start = c
        .get(format!(
            "{}/auth/login/sim?return_to={}",
            env.url,
            urlencode(return_to)
        ))
        .send()
        .await
        .expect("start");
    assert_eq!(start.status(), 303, "login start");
    let login_cookie = cookie_value(&set_cookie(&start, "gw_login").expect("login cookie"));
    let authorize = location(&start);
    assert!(authorize.starts_with(&env.issuer), "{authorize}");
    for needed in [
        "code_challenge_method=S256",
        "state=",
        "nonce=",
        "acr_values=",
        "response_type=code",
    ] {
        assert!(
            authorize.contains(needed),
            "{needed} missing in {authorize}"
        );
    }
    let page = c.get(&authorize).send().await.expect("authorize");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    let request = html
        .split("name=\"request\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("request id")
        .to_owned();
    let chosen = c
        .post(format!("{}/authorize", env.issuer))
        .form(&[("request", request.as_str()), ("citizen", citizen)])
        .send()
        .await
        .expect("choose");
    assert_eq!(chosen.status(), 303);
    Callback {
        url: location(&chosen),
        login_cookie,
    }
}

/// The whole login; returns the session cookie value.
pub async fn login(env: &Env, c: &reqwest::Client, citizen: &str) -> String {
    let cb = login_until_callback(env, c, citizen, "/vouchers/").await;
    let done = c
        .get(&cb.url)
        .header("cookie", format!("gw_login={}", cb.login_cookie))
        .send()
        .await
        .expect("callback");
    assert_eq!(done.status(), 303, "callback: {:?}", done.text().await);
    cookie_value(&set_cookie(&done, "gw_session").expect("session cookie"))
}

/// The status of a GET through the proxy to the authenticated route `/vouchers`, with
/// the given `Cookie` header: 200 when the session is live, 401 when it is not.
pub async fn reaches_backend(env: &Env, c: &reqwest::Client, cookie: &str) -> u16 {
    c.get(format!("{}/vouchers/x", env.url))
        .header("cookie", cookie)
        .header("accept", "application/json")
        .send()
        .await
        .expect("proxied")
        .status()
        .as_u16()
}

pub fn arc<T>(t: T) -> Arc<T> {
    Arc::new(t)
}

/// Log in with email and password; returns (status, session cookie if any, body).
pub async fn password_login(
    env: &Env,
    c: &reqwest::Client,
    email: &str,
    password: &str,
) -> (u16, Option<String>, String) {
    let page = c
        .get(format!("{}/auth/local", env.url))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    let login = cookie_value(&set_cookie(&page, "gw_login").expect("login cookie"));
    let csrf = field(&page.text().await.expect("html"), "csrf").expect("no csrf in page");
    let r = c
        .post(format!("{}/auth/local", env.url))
        .header("cookie", format!("gw_login={login}"))
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf", csrf.as_str()),
            ("return_to", "/vouchers/"),
        ])
        .send()
        .await
        .expect("login");
    let status = r.status().as_u16();
    let session = set_cookie(&r, "gw_session").map(|s| cookie_value(&s));
    let body = if status == 303 {
        location(&r)
    } else {
        r.text().await.unwrap_or_default()
    };
    (status, session, body)
}
