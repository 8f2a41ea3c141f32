//! The demo's access model, so that every page of the console has something to show:
//! three organisations (a cleaning company with three branches, a local employment
//! agency, a Flemish titres-services company with two branches), their legal
//! representatives (as a register extract would say), main and local access managers,
//! and employees holding rights on the whole organisation or on branches, some ending
//! within 30 days; everyone named by national register number before they ever logged
//! in, as an access manager does it. Created once; a restarted demo keeps what was
//! changed since.

use anyhow::Context as _;
use policy::grants::GrantRequest;
use policy::{Actor, Policy, Scope, ServiceId, StructureId, Subject};

use crate::sim_idp::demo_citizens;

/// The demo enterprise (a valid Belgian number).
pub const DEMO_ENTERPRISE: &str = "0123.456.749";
/// The demo's local employment agency.
pub const DEMO_AGENCY: &str = "0203.456.708";
/// The demo's Flemish titres-services company.
pub const DEMO_FLEMISH: &str = "0441.122.346";

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

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
    more(p, nrn_key, &structure.id).await
}

/// The demo's people by their sim provider subject (`citizen-5`), as pending subjects.
fn person(nrn_key: &[u8], id: &str) -> anyhow::Result<Subject> {
    let c = demo_citizens()
        .into_iter()
        .find(|c| c.id == id)
        .with_context(|| format!("demo citizen {id}"))?;
    Ok(Subject::Pending(
        policy::ids::NationalNumber::parse(&c.rrn)?.keyed_hash(nrn_key),
    ))
}

/// One grant by the operator: `right` as `application/level`, on `services` (none: the
/// whole organisation), ending in `days` (none: until revoked).
pub(crate) async fn give(
    p: &Policy,
    nrn_key: &[u8],
    structure: &StructureId,
    who: &str,
    right: &str,
    services: &[&str],
    days: Option<i64>,
) -> anyhow::Result<()> {
    let (app, level) = right
        .split_once('/')
        .context("right as application/level")?;
    let right = p.right_by_name(app, level).await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis();
    let now = i64::try_from(now)?;
    p.grant(
        &Actor::operator(),
        &GrantRequest {
            structure: structure.clone(),
            subject: person(nrn_key, who)?,
            right: right.id,
            scope: if services.is_empty() {
                Scope::Structure
            } else {
                Scope::Services(services.iter().map(|s| ServiceId::from(*s)).collect())
            },
            valid_until: days.map(|d| now + d * DAY_MS),
        },
    )
    .await?;
    Ok(())
}

/// A structure's service by its code.
async fn service(p: &Policy, structure: &StructureId, code: &str) -> anyhow::Result<ServiceId> {
    p.services(structure)
        .await?
        .into_iter()
        .find(|s| s.code == code)
        .map(|s| s.id)
        .with_context(|| format!("service {code}"))
}

/// The rest of the demo's model: the first organisation's other branches and people,
/// and the two other organisations.
async fn more(p: &Policy, nrn_key: &[u8], dupont: &StructureId) -> anyhow::Result<()> {
    let op = Actor::operator();
    let citizens = demo_citizens();
    let rrn = |id: &str| -> anyhow::Result<String> {
        citizens
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.rrn.clone())
            .with_context(|| format!("demo citizen {id}"))
    };
    // Dupont Cleaning: two more branches, a local manager in Liège, more employees.
    p.create_service(&op, dupont, "LIE", "Liège branch").await?;
    p.create_service(&op, dupont, "GNT", "Gent branch").await?;
    let (bxl, lie) = (
        service(p, dupont, "BXL").await?,
        service(p, dupont, "LIE").await?,
    );
    p.designate_local_manager(&op, dupont, &lie, &person(nrn_key, "citizen-5")?)
        .await?;
    let (bxl, lie) = (bxl.as_str(), lie.as_str());
    give(
        p,
        nrn_key,
        dupont,
        "citizen-6",
        "prestations/read",
        &[lie],
        Some(20),
    )
    .await?;
    give(
        p,
        nrn_key,
        dupont,
        "citizen-6",
        "prestations/modify",
        &[lie],
        Some(20),
    )
    .await?;
    give(
        p,
        nrn_key,
        dupont,
        "citizen-7",
        "vouchers/read",
        &[],
        Some(10),
    )
    .await?;
    give(
        p,
        nrn_key,
        dupont,
        "citizen-8",
        "prestations/manage",
        &[],
        None,
    )
    .await?;
    give(
        p,
        nrn_key,
        dupont,
        "citizen-8",
        "prestations/read",
        &[],
        None,
    )
    .await?;
    // The office encodes and corrects for its workers: it changes things too.
    give(
        p,
        nrn_key,
        dupont,
        "citizen-8",
        "prestations/modify",
        &[],
        None,
    )
    .await?;
    give(
        p,
        nrn_key,
        dupont,
        "citizen-9",
        "prestations/read",
        &[bxl],
        Some(365),
    )
    .await?;

    // The local employment agency and the Flemish company, from one register extract.
    let agency_number = policy::ids::OrgNumber::parse(DEMO_AGENCY)?;
    let agency = p
        .create_structure(
            &op,
            &agency_number,
            "Agence locale pour l'emploi de Schaerbeek ASBL",
            "ALE Schaerbeek",
        )
        .await?;
    let flemish_number = policy::ids::OrgNumber::parse(DEMO_FLEMISH)?;
    let flemish = p
        .create_structure(
            &op,
            &flemish_number,
            "Schoonmaak Van den Berg BV",
            "Van den Berg Schoonmaak",
        )
        .await?;
    let report = p
        .import_representatives(
            &op,
            &format!(
                "enterprise_number;organisation_name;function;national_number;start_date\n\
                 {DEMO_AGENCY};Agence locale pour l'emploi de Schaerbeek ASBL;Président;{};2019-03-01\n\
                 {DEMO_FLEMISH};Schoonmaak Van den Berg BV;Zaakvoerder;{};2015-09-15\n",
                rrn("citizen-12")?,
                rrn("citizen-16")?,
            ),
            nrn_key,
        )
        .await?;
    if !report.errors.is_empty() {
        anyhow::bail!("demo register extract refused: {:?}", report.errors);
    }
    p.designate_main_manager(&op, &agency.id, &person(nrn_key, "citizen-13")?)
        .await?;
    give(
        p,
        nrn_key,
        &agency.id,
        "citizen-10",
        "vouchers/read",
        &[],
        None,
    )
    .await?;
    give(
        p,
        nrn_key,
        &agency.id,
        "citizen-14",
        "vouchers/read",
        &[],
        None,
    )
    .await?;
    give(
        p,
        nrn_key,
        &agency.id,
        "citizen-14",
        "vouchers/modify",
        &[],
        Some(180),
    )
    .await?;
    give(
        p,
        nrn_key,
        &agency.id,
        "citizen-15",
        "vouchers/read",
        &[],
        Some(25),
    )
    .await?;

    p.create_service(&op, &flemish.id, "ANT", "Antwerpen")
        .await?;
    p.create_service(&op, &flemish.id, "MEC", "Mechelen")
        .await?;
    let (ant, mec) = (
        service(p, &flemish.id, "ANT").await?,
        service(p, &flemish.id, "MEC").await?,
    );
    p.designate_main_manager(&op, &flemish.id, &person(nrn_key, "citizen-17")?)
        .await?;
    p.designate_local_manager(&op, &flemish.id, &ant, &person(nrn_key, "citizen-11")?)
        .await?;
    let (ant, mec) = (ant.as_str(), mec.as_str());
    give(
        p,
        nrn_key,
        &flemish.id,
        "citizen-18",
        "prestations/read",
        &[ant],
        None,
    )
    .await?;
    give(
        p,
        nrn_key,
        &flemish.id,
        "citizen-18",
        "prestations/modify",
        &[ant],
        None,
    )
    .await?;
    give(
        p,
        nrn_key,
        &flemish.id,
        "citizen-19",
        "prestations/read",
        &[mec],
        Some(5),
    )
    .await?;
    give(
        p,
        nrn_key,
        &flemish.id,
        "citizen-20",
        "prestations/read",
        &[],
        None,
    )
    .await?;
    give(
        p,
        nrn_key,
        &flemish.id,
        "citizen-7",
        "vouchers/read",
        &[],
        Some(90),
    )
    .await?;
    Ok(())
}
