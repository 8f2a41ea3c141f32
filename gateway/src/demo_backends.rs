//! The demo's backends (vouchers, prestations) started in-process on loopback, and the
//! demo's access model: one enterprise, its legal representative, a main manager and an
//! employee holding rights (created once; a restarted demo keeps what was changed).

use std::path::Path;

use anyhow::Context as _;
use policy::grants::GrantRequest;
use policy::{Actor, Scope, Subject};

use crate::state::AppState;

/// The demo enterprise (a valid Belgian number).
pub const DEMO_ENTERPRISE: &str = "0123.456.749";

/// What the demo needs from its backends.
pub struct Backends {
    /// `[[routes]]` entries for the gateway's configuration.
    pub routes_toml: String,
    /// Stoppers.
    pub stop: Vec<Box<dyn FnOnce() + Send>>,
}

/// Start both backends on ephemeral loopback ports; they verify assertions against the
/// gateway at `gateway_url`.
pub async fn start(data_dir: &Path, gateway_url: &str) -> anyhow::Result<Backends> {
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
    let p_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
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
    let v_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let v_addr = v_listener.local_addr()?;
    let v_router = vapp.router();
    let v_task = tokio::spawn(async move {
        let _ = axum::serve(v_listener, v_router).await;
    });

    let routes_toml = format!(
        r#"
[[routes]]
prefix = "/vouchers"
upstream = "http://{v_addr}"
application = "vouchers"
access = "policy"
strip_prefix = false
methods = {{ GET = "read", HEAD = "read", POST = "modify", PUT = "modify", PATCH = "modify", DELETE = "modify" }}

[[routes]]
prefix = "/prestations"
upstream = "http://{p_addr}"
application = "prestations"
access = "policy"
strip_prefix = false
methods = {{ GET = "read", HEAD = "read", POST = "modify", PUT = "modify", PATCH = "modify", DELETE = "modify" }}
"#
    );
    let stop: Vec<Box<dyn FnOnce() + Send>> = vec![
        Box::new(move || {
            p_task.abort();
            drop(papp);
        }),
        Box::new(move || {
            v_task.abort();
            drop(vapp);
        }),
    ];
    Ok(Backends { routes_toml, stop })
}

/// Seed the demo's structure and rights, once.
pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let p = &state.policy;
    let op = Actor::operator();
    let number = policy::ids::OrgNumber::parse(DEMO_ENTERPRISE)?;
    if p.structure_by_number(&number).await?.is_some() {
        return Ok(());
    }
    let structure = p
        .create_structure(&op, &number, "Nettoyage Dupont SRL", "Dupont Cleaning")
        .await?;
    p.create_service(&op, &structure.id, "BXL", "Brussels branch")
        .await?;
    let citizens = crate::sim_idp::demo_citizens();
    let nrn = |i: usize| -> anyhow::Result<policy::ids::NrnHash> {
        let c = citizens.get(i).context("demo citizen")?;
        Ok(policy::ids::NationalNumber::parse(&c.rrn)?.keyed_hash(state.keys.nrn_key()))
    };
    // Alice is the legal representative (as a register extract would say).
    let alice = citizens.first().context("demo citizen")?;
    let report = p
        .import_representatives(
            &op,
            &format!(
                "{DEMO_ENTERPRISE};Nettoyage Dupont SRL;Gérante;{};2020-01-01\n",
                alice.rrn
            ),
            state.keys.nrn_key(),
        )
        .await?;
    if !report.errors.is_empty() {
        anyhow::bail!("demo register extract refused: {:?}", report.errors);
    }
    for (app, level, label) in [
        ("vouchers", "read", "Vouchers / consultation"),
        ("vouchers", "modify", "Vouchers / modification"),
        ("prestations", "read", "Prestations / consultation"),
        ("prestations", "modify", "Prestations / encoding"),
        ("prestations", "manage", "Prestations / enterprise office"),
    ] {
        p.define_right(&op, app, level, label).await?;
    }
    // Bruno is the main access manager (effective at his first login).
    p.designate_main_manager(&op, &structure.id, &Subject::Pending(nrn(1)?))
        .await?;
    // Chloé, an employee, may read and encode prestations and read vouchers.
    for (app, level) in [
        ("prestations", "read"),
        ("prestations", "modify"),
        ("vouchers", "read"),
    ] {
        let right = p.right_by_name(app, level).await?;
        p.grant(
            &op,
            &GrantRequest {
                structure: structure.id.clone(),
                subject: Subject::Pending(nrn(2)?),
                right: right.id,
                scope: Scope::Structure,
                valid_until: None,
            },
        )
        .await?;
    }
    Ok(())
}
