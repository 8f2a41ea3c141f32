//! The whole product against independent peers: the npm `oidc-provider` as the eID
//! provider, Python `aiosmtpd` receiving the gateway's mail, and the real prestations and
//! vouchers backends verifying the gateway's assertions with its JWKS.
//!
//! A person logs in at the provider, confirms the new device with the code mailed to
//! them, picks the structure they were granted rights in, and reaches a backend that
//! verified who they are; the provider's back-channel logout ends the session at once; a
//! provider key rotation does not break the next login; an authorization code cannot be
//! used twice; a person without rights is refused.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use e2e::http::{browser, field, location};
use e2e::{OidcAccount, OidcClient, OidcProvider, OidcProviderConfig, SmtpServer};
use serde_json::Value;

const CLIENT_SECRET: &str = "a-long-enough-client-secret-for-tests";
const SECRET_KEY: &str = "dGhpcyBpcyBhIHRlc3Qgb25seSBzZWNyZXQga2V5IDMyYg==";

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

struct World {
    provider: OidcProvider,
    smtp: SmtpServer,
    gateway: gateway::Running,
    url: String,
    _backends: demo::backends::Backends,
    _dir: tempfile::TempDir,
}

async fn world() -> Result<World> {
    let dir = tempfile::tempdir()?;
    let smtp = SmtpServer::start(&dir.path().join("smtp")).await?;
    let provider = OidcProvider::start(OidcProviderConfig {
        accounts: vec![
            // The demo seed's people: Chloé holds prestations and vouchers rights in the
            // seeded structure; David holds nothing.
            account("chloe", "Chloé Janssens", "78010124512"),
            account("david", "David Lambert", "02030405613"),
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
    let config = format!(
        r#"
secret_key = "{SECRET_KEY}"
[server]
listen = "{listen}"
public_url = "{url}"
shutdown_grace_secs = 2
[database]
url = "sqlite://{db}"
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
"#,
        listen = listener.local_addr()?,
        db = dir.path().join("gateway.db").display(),
        smtp = smtp.url(),
        issuer = provider.issuer,
        routes = backends.routes_toml,
    );
    let config = gateway::Config::from_toml(&config).context("config")?;
    let state = gateway::AppState::build(config).await?;
    demo::seed(&state.policy, state.keys.nrn_key()).await?;
    let gateway = gateway::spawn(state, listener)?;
    Ok(World {
        provider,
        smtp,
        gateway,
        url,
        _backends: backends,
        _dir: dir,
    })
}

/// Login at the real provider up to the gateway's callback URL (not requested).
async fn until_callback(w: &World, c: &reqwest::Client, who: &str, page: &str) -> Result<String> {
    let start = format!(
        "{}/auth/login?return_to={}",
        w.url,
        url::form_urlencoded::byte_serialize(page.as_bytes()).collect::<String>()
    );
    w.provider
        .login(c, &start, who, &format!("{}/auth/callback", w.url))
        .await
}

/// The whole login with the emailed code; returns the callback URL it used.
async fn login(w: &World, c: &reqwest::Client, who: &str, page: &str) -> Result<String> {
    let callback = until_callback(w, c, who, page).await?;
    let done = c
        .get(&callback)
        .header("accept", "text/html")
        .send()
        .await?;
    ensure!(done.status() == 303, "callback answered {}", done.status());
    let next = location(&done);
    if next == page {
        return Ok(callback);
    }
    ensure!(next == "/auth/factor", "callback sent to {next}");
    let form = c
        .get(format!("{}/auth/factor", w.url))
        .header("accept", "text/html")
        .send()
        .await?
        .text()
        .await?;
    let csrf = field(&form, "csrf").context("csrf on the code page")?;
    let to = format!("{who}@example.be");
    let mail = w
        .smtp
        .wait_for_message_matching(
            |m| m.is_to(&to) && m.find_code(6, 8).is_some(),
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
    Ok(callback)
}

async fn pick_first_structure(w: &World, c: &reqwest::Client) -> Result<()> {
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
    Ok(())
}

async fn get_json(c: &reqwest::Client, url: &str) -> Result<(u16, Value)> {
    let r = c
        .get(url)
        .header("accept", "application/json")
        .send()
        .await?;
    let status = r.status().as_u16();
    Ok((status, r.json().await.unwrap_or(Value::Null)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_provider_to_real_backend_then_backchannel_logout() -> Result<()> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
    let mut w = world().await?;
    let chloe = browser();

    let started = Instant::now();
    let callback = login(&w, &chloe, "chloe", "/prestations/whoami").await?;
    // Measured, not asserted (the machine is shared): printed for the write-up.
    eprintln!(
        "full login at oidc-provider with an emailed code over SMTP: {} ms",
        started.elapsed().as_millis()
    );
    pick_first_structure(&w, &chloe).await?;
    let (status, who) = get_json(&chloe, &format!("{}/prestations/whoami", w.url)).await?;
    assert_eq!(status, 200, "{who}");
    let text = who.to_string();
    assert!(text.contains("Chlo"), "{text}");
    assert!(text.contains("0123.456.749"), "{text}");
    assert!(text.contains("modify"), "{text}");
    assert!(text.contains("eidas-substantial"), "{text}");
    assert!(
        !text.contains("78010124512"),
        "national number reached a backend"
    );
    // The prestations backend's own API, through the gateway, with Chloé's rights.
    let (status, legend) = get_json(&chloe, &format!("{}/prestations/api/legend", w.url)).await?;
    assert_eq!(status, 200, "{legend}");
    assert!(legend.to_string().contains("to_validate"), "{legend}");
    let (status, list) =
        get_json(&chloe, &format!("{}/prestations/api/prestations", w.url)).await?;
    assert_eq!(status, 200, "{list}");

    // The authorization code cannot be used a second time, even by the same browser.
    let replay = chloe
        .get(&callback)
        .header("accept", "text/html")
        .send()
        .await?;
    assert_ne!(replay.status(), 303, "a replayed callback opened something");

    // The provider ends Chloé's session: the gateway's session ends with it.
    let calls = w.provider.backchannel_logout("chloe", None).await?;
    assert!(!calls.is_empty(), "the provider sent no logout token");
    assert!(calls.iter().all(|c| c.ok), "{calls:?}");
    let (status, _) = get_json(&chloe, &format!("{}/prestations/whoami", w.url)).await?;
    assert_eq!(status, 401);

    // The provider rotates its signing keys: the next login still verifies.
    w.provider.rotate_keys().await?;
    let again = browser();
    login(&w, &again, "chloe", "/vouchers/whoami").await?;
    pick_first_structure(&w, &again).await?;
    let (status, who) = get_json(&again, &format!("{}/vouchers/whoami", w.url)).await?;
    assert_eq!(status, 200, "{who}");

    // David holds no right anywhere: the gateway refuses, the backend never sees him.
    let david = browser();
    login(&w, &david, "david", "/vouchers/whoami").await?;
    let (status, _) = get_json(&david, &format!("{}/vouchers/whoami", w.url)).await?;
    assert_eq!(status, 403);
    let refused = david
        .post(format!("{}/prestations/api/prestations", w.url))
        .header("accept", "application/json")
        .json(&serde_json::json!({ "date": "2026-11-02", "hours": 4 }))
        .send()
        .await?;
    assert_eq!(refused.status(), 403);

    w.gateway.shutdown().await?;
    Ok(())
}
