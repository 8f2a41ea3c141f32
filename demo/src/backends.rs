//! The demo's backends (vouchers, prestations) started in-process on loopback, each on
//! its own SQLite database in the demo's folder, verifying the gateway's assertions with
//! its JWKS; and the `[[routes]]` the gateway needs to reach them.

use std::net::IpAddr;
use std::path::Path;

use anyhow::Context as _;

/// Both backends, running until [`Backends::stop`] (or the process ends).
pub struct Backends {
    /// `[[applications]]` (the rights catalogue) and `[[routes]]` entries for the
    /// gateway's configuration.
    pub routes_toml: String,
    prestations: prestations::App,
    vouchers: vouchers::App,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Backends {
    /// Stop serving and drop both backends (their background work ends with them).
    pub fn stop(self) {
        for task in self.tasks {
            task.abort();
        }
    }

    /// The prestations backend (the demo's data is written through its rules).
    pub fn prestations(&self) -> &prestations::App {
        &self.prestations
    }

    /// The vouchers backend.
    pub fn vouchers(&self) -> &vouchers::App {
        &self.vouchers
    }
}

/// Start both backends on ephemeral ports of `127.0.0.1`; they verify assertions against
/// the gateway at `gateway_url`.
pub async fn start(data_dir: &Path, gateway_url: &str) -> anyhow::Result<Backends> {
    start_on(IpAddr::from([127, 0, 0, 1]), data_dir, gateway_url).await
}

/// [`start`] on ephemeral ports of `host` (the demo keeps them off the gateway's address,
/// see [`crate::other_host`]).
pub async fn start_on(
    host: IpAddr,
    data_dir: &Path,
    gateway_url: &str,
) -> anyhow::Result<Backends> {
    let jwks = format!("{gateway_url}{}", assertion::JWKS_PATH);
    let mail_dir = data_dir.join("mail");
    std::fs::create_dir_all(&mail_dir)?;
    let sqlite = |name: &str| format!("sqlite://{}", data_dir.join(name).display());

    let mut pcfg = prestations::Config::new(&sqlite("prestations.db"), &jwks, gateway_url);
    pcfg.base_path = "/prestations".to_owned();
    pcfg.smtp_url = Some(format!("file://{}", mail_dir.display()));
    let papp = prestations::build(pcfg)
        .await
        .context("prestations backend")?;
    papp.start();
    let p_listener = tokio::net::TcpListener::bind((host, 0)).await?;
    let p_addr = p_listener.local_addr()?;
    let p_router = papp.router();
    let p_task = tokio::spawn(async move {
        let _ = axum::serve(p_listener, p_router).await;
    });

    let mut vcfg = vouchers::Config::new(&sqlite("vouchers.db"), &jwks, gateway_url);
    vcfg.base_path = "/vouchers".to_owned();
    vcfg.smtp_url = Some(format!("file://{}", mail_dir.display()));
    let vapp = vouchers::build(vcfg).await.context("vouchers backend")?;
    vapp.start();
    let v_listener = tokio::net::TcpListener::bind((host, 0)).await?;
    let v_addr = v_listener.local_addr()?;
    let v_router = vapp.router();
    let v_task = tokio::spawn(async move {
        let _ = axum::serve(v_listener, v_router).await;
    });

    let routes_toml = format!(
        r#"
[[applications]]
id = "vouchers"
name = "Vouchers"
levels = ["read", "modify"]
labels = {{ read = "Vouchers / consultation", modify = "Vouchers / modification" }}
methods = {{ GET = "read", HEAD = "read", POST = "modify", PUT = "modify", PATCH = "modify", DELETE = "modify" }}

[[applications]]
id = "prestations"
name = "Prestations"
levels = ["read", "modify", "manage", "process"]
labels = {{ read = "Prestations / consultation", modify = "Prestations / encoding", manage = "Prestations / enterprise office", process = "Prestations / dossier administration" }}
methods = {{ GET = "read", HEAD = "read", POST = "modify", PUT = "modify", PATCH = "modify", DELETE = "modify" }}

[[routes]]
prefix = "/vouchers"
upstream = "http://{v_addr}"
application = "vouchers"
access = "policy"
contexts = ["organisation", "myself"]
strip_prefix = false

[[routes]]
prefix = "/prestations"
upstream = "http://{p_addr}"
application = "prestations"
access = "policy"
contexts = ["organisation", "myself"]
strip_prefix = false
"#
    );
    Ok(Backends {
        routes_toml,
        prestations: papp,
        vouchers: vapp,
        tasks: vec![p_task, v_task],
    })
}
