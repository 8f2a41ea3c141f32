//! The demonstration the README's first command runs (`gateway demo`): a simulated eID
//! provider ([`sim_idp`]), both backends in-process ([`backends`]), the demo's access
//! model ([`seed`]), all on loopback with their data in one folder.
//!
//! This crate knows nothing of the gateway library: it gives the gateway's binary what to
//! compose. [`Demo::start`] starts the provider and the backends, binds the gateway's
//! address and writes the gateway's configuration as TOML text (validated by the gateway
//! like any file); the binary builds the gateway from it, seeds the access model with
//! [`seed::seed`], enrols the demo's people and writes the backends' data with
//! [`data::seed`], and serves on [`Demo::take_listener`].

pub mod backends;
pub mod data;
pub mod seed;
pub mod sim_idp;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use base64::Engine as _;
use tokio::net::TcpListener;

pub use seed::seed;

use crate::backends::Backends;
use crate::sim_idp::{SimClient, SimIdpConfig};

/// The demo's client secret at the simulated provider (local only).
const DEMO_CLIENT_SECRET: &str = "demo-client-secret-not-for-production";

/// The running demo, but for the gateway itself.
pub struct Demo {
    listener: Option<TcpListener>,
    url: String,
    data_dir: PathBuf,
    config: String,
    provider: tokio::task::JoinHandle<()>,
    backends: Backends,
}

impl Demo {
    /// Start the simulated provider (on the port after `listen`, else any free one) and
    /// both backends; bind `listen` for the gateway; write its configuration. The data
    /// (SQLite databases, the master secret, mail) stays in `data_dir`.
    pub async fn start(data_dir: &Path, listen: SocketAddr) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
        let data_dir = data_dir
            .canonicalize()
            .with_context(|| format!("cannot resolve {}", data_dir.display()))?;
        let secret = secret_key(&data_dir)?;
        let gateway_listener = TcpListener::bind(listen).await.with_context(|| {
            format!("cannot listen on {listen} (use --listen to choose another address)")
        })?;
        let public = format!("http://{}", gateway_listener.local_addr()?);
        // The provider and the backends on another loopback address than the gateway's:
        // cookies are scoped by host, not by port (RFC 6265 section 8.5), so on the same
        // address the browser would send the gateway's session cookie to their ports too.
        let others = other_host(listen.ip()).await;
        // The simulated provider (the port after the gateway's, or any free one).
        let idp_listener = match TcpListener::bind((others, listen.port().wrapping_add(1))).await {
            Ok(l) => l,
            Err(_) => TcpListener::bind((others, 0)).await?,
        };
        let issuer = format!("http://{}", idp_listener.local_addr()?);
        let idp = sim_idp::router(SimIdpConfig {
            issuer: issuer.clone(),
            clients: vec![SimClient {
                client_id: "gateway-demo".to_owned(),
                client_secret: DEMO_CLIENT_SECRET.to_owned(),
                redirect_uris: vec![format!("{public}/auth/callback")],
                post_logout_redirect_uris: vec![format!("{public}/auth/logged-out")],
            }],
            citizens: sim_idp::demo_citizens(),
            acr: "eidas-substantial".to_owned(),
        });
        let provider = tokio::spawn(async move {
            if let Err(e) = axum::serve(idp_listener, idp).await {
                tracing::error!(error = %e, "simulated provider stopped");
            }
        });
        let backends = backends::start_on(others, &data_dir, &public).await?;
        let config = gateway_config(&GatewayConfig {
            secret: &secret,
            listen,
            public: &public,
            db: &data_dir.join("gateway.db"),
            mail_dir: &data_dir.join("mail"),
            issuer: &issuer,
            routes: &backends.routes_toml,
        });
        Ok(Self {
            listener: Some(gateway_listener),
            url: public,
            data_dir,
            config,
            provider,
            backends,
        })
    }

    /// The URL to open (the gateway's).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Where the data is kept.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Where the demo delivers mail (one `.eml` file per mail).
    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    /// The gateway's configuration (TOML), to be validated and loaded like a file.
    pub fn gateway_config(&self) -> &str {
        &self.config
    }

    /// The backends, running.
    pub fn backends(&self) -> &Backends {
        &self.backends
    }

    /// The bound address the gateway serves on (`None` once taken).
    pub fn take_listener(&mut self) -> Option<TcpListener> {
        self.listener.take()
    }

    /// Stop the backends and the provider (after the gateway).
    pub fn shutdown(self) {
        self.backends.stop();
        self.provider.abort();
    }
}

/// The loopback address the provider and the backends listen on: the one after the
/// gateway's (`127.0.0.2` for a gateway on `127.0.0.1`; every `127.x.y.z` is loopback on
/// Linux), so that the browser keeps the gateway's cookies to the gateway. Where that
/// address cannot be bound (some systems configure `127.0.0.1` only), or the gateway is
/// not on IPv4 loopback, the gateway's own address, with a warning.
pub async fn other_host(gateway: IpAddr) -> IpAddr {
    if let IpAddr::V4(v4) = gateway
        && v4.is_loopback()
    {
        let [a, b, c, d] = v4.octets();
        let next = IpAddr::V4(Ipv4Addr::new(a, b, c, if d >= 254 { 2 } else { d + 1 }));
        if TcpListener::bind((next, 0)).await.is_ok() {
            return next;
        }
    }
    tracing::warn!(
        address = %gateway,
        "the provider and the backends share the gateway's address: the browser will send \
         the gateway's cookies to their ports too"
    );
    gateway
}

/// What the gateway's configuration is made of.
struct GatewayConfig<'a> {
    secret: &'a str,
    listen: SocketAddr,
    public: &'a str,
    db: &'a Path,
    mail_dir: &'a Path,
    issuer: &'a str,
    routes: &'a str,
}

/// The gateway's configuration for the demo: SQLite, mail into a folder, a second factor
/// on new devices, local accounts, the simulated provider and the backends' routes.
fn gateway_config(c: &GatewayConfig<'_>) -> String {
    format!(
        r#"
secret_key = "{secret}"

[server]
listen = "{listen}"
public_url = "{public}"

[database]
url = "sqlite://{db}"

[session]
idle_timeout_secs = 600
absolute_lifetime_secs = 43200

[mail]
from = "Demo portal <no-reply@demo.invalid>"
outbox_dir = "{mail_dir}"

[factors]
device_trust = true

[local]

[[providers]]
id = "sim-eid"
label = "Simulated eID (demo)"
issuer = "{issuer}"
client_id = "gateway-demo"
client_secret = "{DEMO_CLIENT_SECRET}"
scopes = ["openid", "profile", "email"]
acr_values = ["eidas-substantial"]
national_number_claim = "rrn"

{routes}
"#,
        secret = c.secret,
        listen = c.listen,
        public = c.public,
        db = c.db.display(),
        mail_dir = c.mail_dir.display(),
        issuer = c.issuer,
        routes = c.routes,
    )
}

/// The demo's master secret, created once (owner-only file) and reused.
fn secret_key(dir: &Path) -> anyhow::Result<String> {
    let path = dir.join("secret.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let text = text.trim().to_owned();
        if !text.is_empty() {
            return Ok(text);
        }
    }
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let text = base64::engine::general_purpose::STANDARD.encode(bytes);
    write_private(&path, &text)?;
    Ok(text)
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut f = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    Ok(())
}
