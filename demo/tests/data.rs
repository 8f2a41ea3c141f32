//! The demo's backend data: every backend page has something real to show. Prestations in
//! every status (David, acting as himself, sees those performed for him, the worker's
//! stage as « En attente de validation »), the office's lists, dossiers in every status
//! with a regularisation waiting for the operator, voucher users with wallets, paid,
//! unpaid and contested prestations, David's own wallet linked to him; written through
//! the backends' rules, once.

use std::collections::{BTreeSet, HashSet};

use demo::data::{self, People, acting_for, as_myself, structure};
use demo::seed::{DEMO_AGENCY, DEMO_ENTERPRISE};
use prestations::dossiers::DossierStatus;
use prestations::status::Status;
use prestations::store::ListFilter;

/// The access model the gateway would hold: its rights catalogue (the demo's
/// `[[applications]]`) and the demo's seed, on a SQLite file.
async fn access_model(dir: &std::path::Path) -> anyhow::Result<policy::Policy> {
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=rwc", dir.join("policy.db").display());
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await?;
    policy::migrate(&pool).await?;
    let p = policy::Policy::open(pool, None).await?;
    let mut entries = Vec::new();
    for (app, levels) in [
        ("prestations", &["read", "modify", "manage", "process"][..]),
        ("vouchers", &["read", "modify"][..]),
    ] {
        for level in levels {
            entries.push(policy::catalogue::CatalogueEntry {
                application: app.to_owned(),
                level: (*level).to_owned(),
                label: format!("{app} / {level}"),
            });
        }
    }
    p.sync_catalogue(&policy::Actor::operator(), &entries)
        .await?;
    demo::seed(&p, b"test-nrn-key").await?;
    Ok(p)
}

fn people() -> People {
    let mut people = People::default();
    for c in demo::sim_idp::demo_citizens() {
        people.insert(&c.id, &format!("sub-{}", c.id));
    }
    people
}

fn all() -> ListFilter {
    ListFilter {
        limit: 500,
        ..ListFilter::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_backend_page_has_real_data() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let p = access_model(dir.path()).await?;
    let backends = demo::backends::start(dir.path(), "http://127.0.0.1:9").await?;
    let people = people();
    data::seed(&p, b"test-nrn-key", &backends, &people).await?;

    // Prestations: the office of Dupont Cleaning sees every status.
    let svc = backends.prestations().prestations();
    let dupont = structure(&p, DEMO_ENTERPRISE).await?;
    let office = acting_for(
        &people.who("citizen-8")?,
        "prestations",
        &dupont,
        &["read", "modify", "manage"],
    );
    let seen: HashSet<Status> = svc
        .list(&office, &all())
        .await?
        .iter()
        .map(|p| p.status)
        .collect();
    assert_eq!(seen, Status::ALL.into_iter().collect(), "every status");
    let pending =
        prestations::enterprise::pending(backends.prestations().pool(), &dupont.id).await?;
    assert!(!pending.to_validate.is_empty(), "the workers must validate");
    assert!(!pending.contested.is_empty(), "contested, to correct");

    // David, acting as himself, sees what was performed for him, by two enterprises, in
    // the worker's stage too (one he already confirmed in parallel), and none of Emma's.
    let david = as_myself(&people.who("citizen-4")?, "prestations");
    let his = svc.list(&david, &all()).await?;
    let who = people.who("citizen-4")?;
    assert!(his.iter().all(|p| p.user_id == who.sub));
    let statuses: HashSet<Status> = his.iter().map(|p| p.status).collect();
    for s in [
        Status::Encoded,
        Status::ToValidate,
        Status::ValidatedByWorker,
        Status::Validated,
        Status::Waiting,
        Status::Confirmed,
        Status::Contested,
    ] {
        assert!(statuses.contains(&s), "David sees one {s:?}: {statuses:?}");
    }
    assert!(
        his.iter()
            .any(|p| p.status == Status::ToValidate && p.user_confirmed)
    );
    assert!(
        his.iter()
            .any(|p| p.status == Status::Confirmed && p.auto_confirmed)
    );
    let enterprises: BTreeSet<&str> = his.iter().map(|p| p.structure_id.as_str()).collect();
    assert_eq!(enterprises.len(), 2, "two enterprises work for David");

    // Dossiers in every status; the operator has a regularisation to decide.
    let dossiers = backends.prestations().dossiers();
    let provider = acting_for(
        &people.who("citizen-3")?,
        "prestations",
        &dupont,
        &["read", "modify"],
    );
    let seen: BTreeSet<&str> = dossiers
        .list(&provider)
        .await?
        .iter()
        .map(|d| d.status.code())
        .collect();
    let every: BTreeSet<&str> = DossierStatus::ALL.iter().map(|s| s.code()).collect();
    assert_eq!(seen, every);
    let admin = structure(&p, data::DEMO_ADMINISTRATION).await?;
    let operator = acting_for(
        &people.who("citizen-19")?,
        "prestations",
        &admin,
        &["read", "modify", "process"],
    );
    assert_eq!(dossiers.pending_regularisations(&operator).await?.len(), 1);
    let beneficiaries = dossiers.beneficiaries(&provider).await?;
    assert!(beneficiaries.len() >= 3, "{beneficiaries:?}");

    // Vouchers: users with wallets, contested and unpaid prestations.
    let agency = backends.vouchers().agency();
    let agent = acting_for(
        &people.who("citizen-14")?,
        "vouchers",
        &structure(&p, DEMO_AGENCY).await?,
        &["read", "modify"],
    );
    let users = agency
        .list_users(&agent, &vouchers::userlist::ListQuery::default())
        .await?;
    assert_eq!(users.len(), 5);
    let mut balances = Vec::new();
    for u in &users {
        balances.push(agency.balance(&u.user.id).await?);
    }
    assert!(balances.iter().all(|b| *b > 0), "{balances:?}");
    assert_eq!(agency.counts(&agent).await?, (1, 3), "contested, unpaid");
    // David, acting as himself, sees his own wallet (linked with the agent's code) and
    // nobody else's; Emma, no ALE user, sees none.
    let wallets = agency
        .my_wallets(&as_myself(&people.who("citizen-4")?, "vouchers"))
        .await?;
    assert_eq!(wallets.len(), 1, "{wallets:?}");
    let mine = &wallets[0];
    assert_eq!(
        (mine.agency_name.as_str(), mine.display_name.as_str()),
        ("ALE Schaerbeek", "David Lambert")
    );
    assert_eq!(mine.balance, 7, "10 bought, 3 spent");
    assert_eq!(mine.vouchers.len(), 10);
    let statuses: BTreeSet<&str> = mine.prestations.iter().map(|w| w.status.as_str()).collect();
    assert_eq!(statuses, BTreeSet::from(["paid", "unpaid"]));
    assert!(
        agency
            .my_wallets(&as_myself(&people.who("citizen-5")?, "vouchers"))
            .await?
            .is_empty()
    );

    // Once: a restarted demo keeps what is there.
    let before = svc.list(&office, &all()).await?.len();
    data::seed(&p, b"test-nrn-key", &backends, &people).await?;
    assert_eq!(svc.list(&office, &all()).await?.len(), before);
    assert_eq!(
        agency
            .list_users(&agent, &vouchers::userlist::ListQuery::default())
            .await?
            .len(),
        5
    );
    backends.stop();
    Ok(())
}
