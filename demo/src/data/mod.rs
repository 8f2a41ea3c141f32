//! The demo's backend data, so that every backend page shows something real: the
//! prestations of Dupont Cleaning in every status (and one of Van den Berg), with David
//! Lambert as the client who sees them when he acts as himself; the enterprise office's
//! mail and a worker's email; business dossiers in every status with a regularisation
//! waiting for the administration; the ALE Schaerbeek's voucher users with their wallets
//! (David's linked to him, so that he reads it acting as himself), its providers, paid,
//! unpaid and contested prestations.
//!
//! Everything is written through the backends' own rules (their services, as the
//! people named would do it), never by SQL: what happened weeks ago is done with a
//! clock standing then, and the prestations' scheduler brings it to today (automatic
//! validation, reminders, automatic confirmation). Written once: a backend that already
//! holds the demo's data is left as it is (a restarted demo keeps what was changed).
//!
//! The backends know people by the gateway's id (`sub`), which a person gets at their
//! first login. The demo's people are therefore enrolled at the gateway first (by their
//! national register number, as an import knows them: their first login links to the
//! same id); [`People`] is that map.

mod dossiers;
mod people;
mod prestations;
mod vouchers;

use anyhow::Context as _;
use assertion::ActiveStructure;
use policy::{Actor, Policy};

pub use people::{People, Who, acting_for, as_myself, structure};

use crate::backends::Backends;
use crate::seed::{DEMO_AGENCY, DEMO_ENTERPRISE, DEMO_FLEMISH};

/// The administration of the enterprise support cheques (decides dossiers and their
/// regularisations; a valid Belgian number).
pub const DEMO_ADMINISTRATION: &str = "0671.234.456";

/// The administration of the support cheques and its operator, Sofie Mertens (read,
/// modify, process), once.
async fn administration(p: &Policy, nrn_key: &[u8]) -> anyhow::Result<ActiveStructure> {
    let number = policy::ids::OrgNumber::parse(DEMO_ADMINISTRATION)?;
    if p.structure_by_number(&number).await?.is_none() {
        let s = p
            .create_structure(
                &Actor::operator(),
                &number,
                "Administration des chèques-entreprises (démo)",
                "Chèques-entreprises",
            )
            .await?;
        for right in [
            "prestations/read",
            "prestations/modify",
            "prestations/process",
        ] {
            crate::seed::give(p, nrn_key, &s.id, "citizen-19", right, &[], None).await?;
        }
    }
    structure(p, DEMO_ADMINISTRATION).await
}

/// Write the demo's backend data, once (see the module's documentation). `p` holds the
/// seeded access model ([`crate::seed`]), `nrn_key` is the gateway's national-number key,
/// `people` the demo's people enrolled at the gateway.
pub async fn seed(
    p: &Policy,
    nrn_key: &[u8],
    backends: &Backends,
    people: &People,
) -> anyhow::Result<()> {
    let dupont = structure(p, DEMO_ENTERPRISE).await?;
    let flemish = structure(p, DEMO_FLEMISH).await?;
    let agency = structure(p, DEMO_AGENCY).await?;
    let admin = administration(p, nrn_key).await?;
    prestations::seed(backends.prestations(), &dupont, &flemish, people)
        .await
        .context("the demo's prestations")?;
    dossiers::seed(backends.prestations(), &dupont, &admin, people)
        .await
        .context("the demo's dossiers")?;
    vouchers::seed(backends.vouchers(), &agency, people)
        .await
        .context("the demo's vouchers")?;
    Ok(())
}
