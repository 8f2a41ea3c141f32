//! Business dossiers (chèques-entreprises) Dupont Cleaning introduces as a provider, in
//! every status, decided by the administration's operator Sofie Mertens; one hindered
//! dossier waits for her decision on its regularisation.

use std::sync::Arc;

use assertion::ActiveStructure;
use backend_kit::{Caller, ManualClock};
use chrono::Days;
use prestations::dossiers::DossierAction as A;
use prestations::dossiers::DossierInput;
use prestations::dossiers::records::OrganisationInput;
use prestations::dossiers::regularisation::Proof;
use prestations::dossiers::service::Dossiers;

use super::people::{People, acting_for};

const AUD: &str = "prestations";

/// An 8×8 red PNG: the "screenshot" proving the malfunction.
const SCREENSHOT: [u8; 74] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x08, 0x08, 0x02, 0x00, 0x00, 0x00, 0x4b, 0x6d, 0x29,
    0xdc, 0x00, 0x00, 0x00, 0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x38, 0xa3, 0xa4, 0x84,
    0x15, 0x31, 0x0c, 0x2d, 0x09, 0x00, 0xbc, 0xce, 0x44, 0x01, 0x3e, 0xb2, 0x93, 0xcb, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// The beneficiaries (valid enterprise numbers) and the subcontractor not yet known to
/// the platform.
const BAKERY: (&str, &str) = ("0456.123.001", "Boulangerie Lambert SRL");
const GARAGE: (&str, &str) = ("0312.654.259", "Garage Moreau SA");
const PRINTER: (&str, &str) = ("0524.987.358", "Imprimerie Delvaux SRL");
const UNKNOWN_SUBCONTRACTOR: (&str, &str) = ("0789.456.175", "Cyber Audit Wallonie SRL");

/// A dossier's story: its cheque, beneficiary and description, and the actions it went
/// through (with their reasons).
type Story<'a> = (
    &'a str,
    (&'a str, &'a str),
    &'a str,
    &'a [(A, Option<&'a str>)],
);

/// A dossier for `beneficiary` with `cheque`, starting in `days` days.
fn dossier(
    svc: &Dossiers,
    beneficiary: (&str, &str),
    cheque: &str,
    days: u64,
    description: &str,
) -> anyhow::Result<DossierInput> {
    let start = svc
        .today()
        .checked_add_days(Days::new(days))
        .ok_or_else(|| anyhow::anyhow!("date"))?;
    Ok(DossierInput {
        beneficiary_number: beneficiary.0.to_owned(),
        beneficiary_name: beneficiary.1.to_owned(),
        cheque: cheque.to_owned(),
        description: Some(description.to_owned()),
        start_date: Some(start.to_string()),
        ..DossierInput::default()
    })
}

/// Create a dossier and take it through `steps` (each by the provider or the operator).
async fn through(
    svc: &Dossiers,
    provider: &Caller,
    operator: &Caller,
    input: &DossierInput,
    steps: &[(A, Option<&str>)],
) -> anyhow::Result<()> {
    let d = svc.create(provider, input).await?;
    for (action, reason) in steps {
        let by = if action.by_administration() {
            operator
        } else {
            provider
        };
        svc.act(by, &d.id, *action, *reason).await?;
    }
    Ok(())
}

/// Write the dossiers, once (nothing when the provider already has some).
pub(super) async fn seed(
    app: &prestations::App,
    dupont: &ActiveStructure,
    admin: &ActiveStructure,
    people: &People,
) -> anyhow::Result<()> {
    let svc = app.dossiers();
    let provider = acting_for(&people.who("citizen-3")?, AUD, dupont, &["read", "modify"]);
    let operator = acting_for(
        &people.who("citizen-19")?,
        AUD,
        admin,
        &["read", "modify", "process"],
    );
    if !svc.list(&provider).await?.is_empty() {
        return Ok(());
    }
    svc.update_own_organisation(
        &provider,
        &OrganisationInput {
            name: Some(dupont.name.clone()),
            street: Some("Rue Haute 120".to_owned()),
            postcode: Some("1000".to_owned()),
            city: Some("Bruxelles".to_owned()),
            email: Some("conseil@dupont-cleaning.example".to_owned()),
            phone: Some("+32 2 555 01 20".to_owned()),
            ..OrganisationInput::default()
        },
    )
    .await?;
    // Being introduced (01), with a subcontractor the platform does not know yet.
    let mut first = dossier(
        svc,
        BAKERY,
        "DIG-CYBER",
        30,
        "Audit de sécurité de la boutique en ligne et du réseau du magasin.",
    )?;
    first.subcontractor_number = Some(UNKNOWN_SUBCONTRACTOR.0.to_owned());
    first.subcontractor_name = Some(UNKNOWN_SUBCONTRACTOR.1.to_owned());
    svc.create(&provider, &first).await?;
    // Introduced (02), being processed (03), accepted (04), refused (05), cancelled
    // (06), closed (07).
    let steps: [Story<'_>; 6] = [
        (
            "DIG-MATURITY",
            GARAGE,
            "Diagnostic de maturité numérique de l'atelier et de l'accueil.",
            &[(A::Submit, None)],
        ),
        (
            "INN-TECH",
            PRINTER,
            "Étude de faisabilité d'une presse numérique à faible consommation.",
            &[(A::Submit, None), (A::Take, None)],
        ),
        (
            "GRO-DIAGNOSIS",
            BAKERY,
            "Diagnostic de croissance : ouverture d'un second point de vente.",
            &[(A::Submit, None), (A::Take, None), (A::Accept, None)],
        ),
        (
            "INT-CONSULTING",
            GARAGE,
            "Conseil pour l'exportation de pièces vers les Pays-Bas.",
            &[
                (A::Submit, None),
                (A::Take, None),
                (
                    A::Refuse,
                    Some("Le bénéficiaire n'exporte pas encore : le chèque ne s'applique pas."),
                ),
            ],
        ),
        (
            "CIR-ECO",
            PRINTER,
            "Plan de réduction des déchets de papier et d'encre.",
            &[
                (A::Submit, None),
                (A::Take, None),
                (A::Cancel, Some("Le bénéficiaire a renoncé au projet.")),
            ],
        ),
        (
            "TRA-TRANSFER",
            BAKERY,
            "Accompagnement de la reprise de la boulangerie par la fille du gérant.",
            &[
                (A::Submit, None),
                (A::Take, None),
                (A::Accept, None),
                (A::Close, None),
            ],
        ),
    ];
    for (i, (cheque, beneficiary, description, steps)) in steps.iter().enumerate() {
        let input = dossier(svc, *beneficiary, cheque, 20 + 5 * i as u64, description)?;
        through(svc, &provider, &operator, &input, steps).await?;
    }
    // Introduced ten days ago to start three days ago, never submitted: the portal was
    // down. The provider asks for a regularisation with a screenshot as proof.
    let then = svc
        .today()
        .checked_sub_days(Days::new(10))
        .ok_or_else(|| anyhow::anyhow!("date"))?;
    let past = svc.with_clock(Arc::new(ManualClock::at_brussels(then, 10)));
    let late = past
        .create(
            &provider,
            &dossier(
                &past,
                GARAGE,
                "CRE-ADVICE",
                7,
                "Conseil pour la création d'une activité de location de véhicules.",
            )?,
        )
        .await?;
    svc.request_regularisation(
        &provider,
        &late.id,
        Some(
            "Le portail refusait la soumission (erreur 503) la veille du démarrage ; voir la \
             capture d'écran.",
        ),
        Some(Proof {
            name: "capture-erreur-503.png".to_owned(),
            bytes: SCREENSHOT.to_vec(),
        }),
    )
    .await?;
    Ok(())
}
