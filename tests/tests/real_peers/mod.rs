//! The world of the end-to-end tests with independent peers: the npm `oidc-provider` as
//! the eID provider, Python `aiosmtpd` receiving the gateway's mail, the real prestations
//! and vouchers backends verifying the gateway's assertions with its JWKS, and the
//! gateway on SQLite or on PostgreSQL (then with as many nodes as a test asks for); and
//! the steps a person takes through it.
#![allow(dead_code)]

use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use e2e::http::{field, location, urlencode};
use e2e::{OidcAccount, OidcClient, OidcProvider, OidcProviderConfig, SmtpServer, TestDatabase};
use serde_json::Value;

pub const CLIENT_SECRET: &str = "a-long-enough-client-secret-for-tests";
pub const SECRET_KEY: &str = "dGhpcyBpcyBhIHRlc3Qgb25seSBzZWNyZXQga2V5IDMyYg==";

/// The demo seed's people, as the provider knows them: Alice represents the seeded
/// structure, Chloé holds prestations and vouchers rights in it, David holds nothing.
pub const ALICE_NRN: &str = "85073003328";
pub const CHLOE_NRN: &str = "78010124512";
pub const DAVID_NRN: &str = "02030405613";

fn account(id: &str, name: &str, rrn: &str) -> OidcAccount {
    OidcAccount {
        account_id: id.to_owned(),
        name: name.to_owned(),
        email: format!("{id}@example.be"),
        rrn: Some(rrn.to_owned()),
        acr: Some("eidas-substantial".to_owned()),
        amr: vec!["eid".to_owned()],
    }
}

/// Where the gateway keeps its state.
pub enum Store {
    /// A SQLite file in the world's folder.
    Sqlite,
    /// A fresh database on the test PostgreSQL server (dropped with the world).
    Postgres(TestDatabase),
}

pub struct World {
    pub provider: OidcProvider,
    pub smtp: SmtpServer,
    /// The first node, where people log in.
    pub gateway: gateway::Running,
    /// The public URL every node shares (the first node's address).
    pub url: String,
    /// Every node's configuration, with LISTEN_ADDRESS for its own address.
    config: String,
    _backends: demo::backends::Backends,
    _dir: tempfile::TempDir,
    _pg: Option<TestDatabase>,
}

/// Start the peers, the backends and the first gateway node on `store`, with `extra`
/// appended to the gateway's configuration, and seed the demo's access model.
pub async fn world(store: Store, extra: &str) -> Result<World> {
    let dir = tempfile::tempdir()?;
    let smtp = SmtpServer::start(&dir.path().join("smtp")).await?;
    let provider = OidcProvider::start(OidcProviderConfig {
        accounts: vec![
            account("alice", "Alice Dupont", ALICE_NRN),
            account("chloe", "Chloé Janssens", CHLOE_NRN),
            account("david", "David Lambert", DAVID_NRN),
        ],
        acr_values: vec!["eidas-substantial".to_owned(), "eidas-high".to_owned()],
        ..Default::default()
    })
    .await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    provider
        .add_client(OidcClient {
            client_id: "gateway".to_owned(),
            client_secret: CLIENT_SECRET.to_owned(),
            redirect_uris: vec![format!("{url}/auth/callback")],
            post_logout_redirect_uris: vec![format!("{url}/auth/logged-out")],
            backchannel_logout_uri: Some(format!("{url}/auth/backchannel-logout")),
            ..Default::default()
        })
        .await?;
    let backends = demo::backends::start(dir.path(), &url).await?;
    let (db_url, pg) = match store {
        Store::Sqlite => (
            format!("sqlite://{}", dir.path().join("gateway.db").display()),
            None,
        ),
        Store::Postgres(db) => (db.url.clone(), Some(db)),
    };
    // Every node's configuration; each replaces LISTEN_ADDRESS with its own.
    let config = format!(
        r#"
secret_key = "{SECRET_KEY}"
[server]
listen = "LISTEN_ADDRESS"
public_url = "{url}"
shutdown_grace_secs = 2
[database]
url = "{db_url}"
[mail]
from = "Portal <no-reply@portal.test>"
smtp_url = "{smtp}"
retry_base_secs = 1
poll_secs = 1
[factors]
device_trust = true
[[providers]]
id = "eid"
label = "eID"
issuer = "{issuer}"
client_id = "gateway"
client_secret = "{CLIENT_SECRET}"
acr_values = ["eidas-substantial", "eidas-high"]
national_number_claim = "rrn"
{routes}
{extra}
"#,
        smtp = smtp.url(),
        issuer = provider.issuer,
        routes = backends.routes_toml,
    );
    let first = config.replace("LISTEN_ADDRESS", &listener.local_addr()?.to_string());
    let first = gateway::Config::from_toml(&first).context("config")?;
    let state = gateway::AppState::build(first).await?;
    demo::seed(&state.policy, state.keys.nrn_key()).await?;
    let gateway = gateway::spawn(state, listener)?;
    Ok(World {
        provider,
        smtp,
        gateway,
        url,
        config,
        _backends: backends,
        _dir: dir,
        _pg: pg,
    })
}

impl World {
    /// Another gateway node on the same database, with the same secret and the same
    /// public URL (as behind a load balancer), on its own address; returns it and its
    /// base URL.
    pub async fn another_node(&self) -> Result<(gateway::Running, String)> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let text = self.config.replace("LISTEN_ADDRESS", &addr.to_string());
        let config = gateway::Config::from_toml(&text).context("config")?;
        let state = gateway::AppState::build(config).await?;
        Ok((gateway::spawn(state, listener)?, format!("http://{addr}")))
    }
}

/// Login at the real provider up to the gateway's callback URL (not requested).
pub async fn until_callback(
    w: &World,
    c: &reqwest::Client,
    who: &str,
    page: &str,
) -> Result<String> {
    let start = format!("{}/auth/login/eid?return_to={}", w.url, urlencode(page));
    w.provider
        .login(c, &start, who, &format!("{}/auth/callback", w.url))
        .await
}

/// Whether the browser logging in is new to the gateway (it must ask for the emailed
/// code) or one that confirmed a code before (its trusted-device cookie spares it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    New,
    Trusted,
}

/// What a login went through.
pub struct Login {
    /// The callback URL the provider sent the browser to (with its `code` and `state`).
    pub callback: String,
    /// The code mailed for a new device.
    pub code: Option<String>,
}

/// The whole login, with the emailed code on a new device.
pub async fn login(
    w: &World,
    c: &reqwest::Client,
    who: &str,
    page: &str,
    device: Device,
) -> Result<Login> {
    let callback = until_callback(w, c, who, page).await?;
    let done = c
        .get(&callback)
        .header("accept", "text/html")
        .send()
        .await?;
    ensure!(done.status() == 303, "callback answered {}", done.status());
    let next = location(&done);
    if device == Device::Trusted {
        ensure!(next == page, "a trusted device was sent to {next}");
        return Ok(Login {
            callback,
            code: None,
        });
    }
    // A new device never skips the emailed code, whatever the provider's login level.
    ensure!(
        next == "/auth/factor",
        "a new device was not asked for the emailed code: sent to {next}"
    );
    let code = emailed_code(w, c, &format!("{who}@example.be"), page).await?;
    Ok(Login {
        callback,
        code: Some(code),
    })
}

/// On the code page: wait for the code mailed to `to`, type it, and land on `page`.
/// Returns the code.
pub async fn emailed_code(w: &World, c: &reqwest::Client, to: &str, page: &str) -> Result<String> {
    let form = c
        .get(format!("{}/auth/factor", w.url))
        .header("accept", "text/html")
        .send()
        .await?
        .text()
        .await?;
    let csrf = field(&form, "csrf").context("csrf on the code page")?;
    let mail = w
        .smtp
        .wait_for_message_matching(
            |m| m.is_to(to) && m.find_code(6, 8).is_some(),
            Duration::from_secs(30),
        )
        .await?;
    let code = mail.find_code(6, 8).context("a code in the mail")?;
    let ok = c
        .post(format!("{}/auth/factor", w.url))
        .header("accept", "text/html")
        .form(&[("code", code.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await?;
    ensure!(ok.status() == 303, "code refused: {}", ok.status());
    ensure!(location(&ok) == page, "after the code: {}", location(&ok));
    Ok(code)
}

/// Act for the first structure the home page offers; returns the CSRF token it used.
pub async fn pick_first_structure(w: &World, c: &reqwest::Client) -> Result<String> {
    let home = c
        .get(format!("{}/", w.url))
        .header("accept", "text/html")
        .send()
        .await?
        .text()
        .await?;
    let csrf = field(&home, "csrf").context("csrf on the home page")?;
    let Some(structure) = home
        .split("<option value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
    else {
        bail!("no structure offered on the home page");
    };
    let r = c
        .post(format!("{}/auth/structure", w.url))
        .header("accept", "application/json")
        .form(&[("csrf", csrf.as_str()), ("structure_id", structure)])
        .send()
        .await?;
    ensure!(r.status() == 200, "switch answered {}", r.status());
    Ok(csrf)
}

/// A GET answered in JSON: its status and body (`null` when not JSON).
pub async fn get_json(c: &reqwest::Client, url: &str) -> Result<(u16, Value)> {
    let r = c
        .get(url)
        .header("accept", "application/json")
        .send()
        .await?;
    let status = r.status().as_u16();
    Ok((status, r.json().await.unwrap_or(Value::Null)))
}
