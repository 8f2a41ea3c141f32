//! The demo's access model: one enterprise and its Brussels branch, its legal
//! representative (as a register extract would say), a main access manager and an
//! employee holding rights, both designated by national register number before they ever
//! logged in. Created once; a restarted demo keeps what was changed since.

use anyhow::Context as _;
use policy::grants::GrantRequest;
use policy::{Actor, Policy, Scope, Subject};

use crate::sim_idp::demo_citizens;

/// The demo enterprise (a valid Belgian number).
pub const DEMO_ENTERPRISE: &str = "0123.456.749";

/// Seed the demo's structure and rights into the gateway's access model `p`, once.
/// `nrn_key` is the gateway's key for national-number hashes (the seed names people by
/// them).
pub async fn seed(p: &Policy, nrn_key: &[u8]) -> anyhow::Result<()> {
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
    let citizens = demo_citizens();
    let nrn = |i: usize| -> anyhow::Result<policy::ids::NrnHash> {
        let c = citizens.get(i).context("demo citizen")?;
        Ok(policy::ids::NationalNumber::parse(&c.rrn)?.keyed_hash(nrn_key))
    };
    // Alice is the legal representative (as a register extract would say).
    let alice = citizens.first().context("demo citizen")?;
    let report = p
        .import_representatives(
            &op,
            &format!(
                "enterprise_number;organisation_name;function;national_number;start_date\n\
                 {DEMO_ENTERPRISE};Nettoyage Dupont SRL;Gérante;{};2020-01-01\n",
                alice.rrn
            ),
            nrn_key,
        )
        .await?;
    if !report.errors.is_empty() {
        anyhow::bail!("demo register extract refused: {:?}", report.errors);
    }
    // The rights catalogue comes from the configuration's [[applications]], loaded by
    // the gateway at start, as in production.
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
