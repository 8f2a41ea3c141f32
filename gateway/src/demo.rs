//! `gateway demo`: the gateway on SQLite with the simulated eID provider and both
//! backends, all in one process, data kept in one directory. The configuration is built
//! as a TOML text and goes through the same validation as a file.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use base64::Engine as _;
use tokio::net::TcpListener;

use crate::server::Running;
use crate::sim_idp::{self, SimClient, SimIdpConfig};

/// The demo's client secret at the simulated provider (local only).
const DEMO_CLIENT_SECRET: &str = "demo-client-secret-not-for-production";

/// The running demo.
pub struct Demo {
    gateway: Running,
    url: String,
    data_dir: PathBuf,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    extra: Vec<Box<dyn FnOnce() + Send>>,
}

impl Demo {
    /// Start everything; the gateway listens on `listen`.
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
        // The simulated provider next to the gateway (the next port, or any free one).
        let idp_listener =
            match TcpListener::bind((listen.ip(), listen.port().wrapping_add(1))).await {
                Ok(l) => l,
                Err(_) => TcpListener::bind((listen.ip(), 0)).await?,
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
        let mut tasks = Vec::new();
        tasks.push(tokio::spawn(async move {
            if let Err(e) = axum::serve(idp_listener, idp).await {
                tracing::error!(error = %e, "simulated provider stopped");
            }
        }));
        let backends = crate::demo_backends::start(&data_dir, &public).await?;
        let db_path = data_dir.join("gateway.db");
        let text = format!(
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
            db = db_path.display(),
            mail_dir = data_dir.join("mail").display(),
            routes = backends.routes_toml,
        );
        let config = crate::Config::from_toml(&text).context("demo configuration")?;
        let state = crate::AppState::build(config).await?;
        crate::demo_backends::seed(&state).await?;
        let gateway = crate::spawn(state, gateway_listener)?;
        Ok(Self {
            gateway,
            url: public,
            data_dir,
            tasks,
            extra: backends.stop,
        })
    }

    /// The URL to open.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Where the data is kept.
    /// Where the demo delivers mail (one `.eml` file per mail).
    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Stop everything.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        self.gateway.shutdown().await?;
        for stop in self.extra {
            stop();
        }
        for t in self.tasks {
            t.abort();
        }
        Ok(())
    }
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
