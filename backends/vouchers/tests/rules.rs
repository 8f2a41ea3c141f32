//! The ALE portal's own rules (seed 000), on SQLite and PostgreSQL: no electronic
//! prestation before the cutoff date, the provider list's filters and sort, and no agency
//! for a person acting as themselves.

mod common;

use backend_kit::db_tests;
use backend_kit::test_support::TestDb;
use backend_kit::{Caller, ManualClock};
use common::*;
use vouchers::providers::{ChangeInput, Provider, ProviderInput, ProviderQuery};
use vouchers::users::UserInput;
use vouchers::work::WorkInput;
use vouchers::{AgencyError, App};

async fn provider(
    app: &App,
    first: &str,
    last: &str,
    kind: &str,
    cpas: Option<&str>,
    from: &str,
) -> Provider {
    let input = ProviderInput {
        first_name: first.to_owned(),
        last_name: last.to_owned(),
        email: None,
        change: ChangeInput {
            effective_from: Some(from.to_owned()),
            provider_type: kind.to_owned(),
            cpas: cpas.map(str::to_owned),
            note: None,
        },
    };
    app.agency()
        .add_provider(&agent(), &input)
        .await
        .expect("provider")
}

fn work(user: &str, provider: &str, date: &str) -> WorkInput {
    WorkInput {
        user_id: user.to_owned(),
        provider_id: provider.to_owned(),
        date: date.to_owned(),
        hours: 2,
        activity: "gardening".to_owned(),
    }
}

async fn no_electronic_prestation_before_the_cutoff(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2023, 9, 5), 9);
    let app = app(db, &clock).await;
    let user = register(
        &app,
        &UserInput {
            valid_from: Some("2023-08-01".to_owned()),
            ..natural("Anne", "Dupont", "2024-07-31")
        },
    )
    .await;
    let p = provider(&app, "Paul", "Provider", "unemployed", None, "2023-08-01").await;
    let err = app
        .agency()
        .record_work(&agent(), &work(&user.id, &p.id, "2023-08-31"))
        .await
        .expect_err("before 1 September");
    assert!(matches!(err, AgencyError::Invalid(_)));
    assert!(
        err.to_string()
            .contains("electronic prestations start on 1 September 2023"),
        "{err}"
    );
    app.agency()
        .record_work(&agent(), &work(&user.id, &p.id, "2023-09-01"))
        .await
        .expect("the first day");
    app.close().await;
    // The cutoff is configurable.
    let mut config = common::config(db, &clock);
    config.electronic_start = d(2023, 8, 1);
    let app = vouchers::build(config).await.expect("app");
    app.agency()
        .record_work(&agent(), &work(&user.id, &p.id, "2023-08-31"))
        .await
        .expect("after this cutoff");
    app.close().await;
}

fn names(rows: &[vouchers::providers::ProviderRow]) -> Vec<&str> {
    rows.iter().map(|r| r.provider.last_name.as_str()).collect()
}

async fn the_provider_list_filters_and_sorts(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let app = app(db, &clock).await;
    let agency = app.agency();
    provider(&app, "Anne", "Zeta", "unemployed", None, "2026-01-01").await;
    clock.advance_ms(1000);
    provider(
        &app,
        "Bruno",
        "Alpha",
        "integration_income",
        Some("CPAS Namur"),
        "2026-01-01",
    )
    .await;
    clock.advance_ms(1000);
    let mid = provider(&app, "Carla", "Mid", "unemployed", None, "2026-01-01").await;
    agency
        .change_provider(
            &agent(),
            &mid.id,
            &ChangeInput {
                effective_from: Some("2026-02-01".to_owned()),
                provider_type: "not_eligible".to_owned(),
                cpas: None,
                note: Some("back at work".to_owned()),
            },
        )
        .await
        .expect("change");
    clock.advance_ms(1000);
    provider(
        &app,
        "Dirk",
        "Future",
        "social_aid",
        Some("OCMW Gent"),
        "2026-04-01",
    )
    .await;
    let list =
        |q: ProviderQuery| async move { agency.list_providers(&agent(), &q).await.expect("list") };
    let q = |kind: Option<&str>| ProviderQuery {
        kind: kind.map(str::to_owned),
        ..ProviderQuery::default()
    };
    assert_eq!(
        names(&list(q(None)).await),
        ["Alpha", "Future", "Mid", "Zeta"]
    );
    assert_eq!(names(&list(q(Some("unemployed"))).await), ["Zeta"]);
    let on_january = ProviderQuery {
        on: Some("2026-01-15".to_owned()),
        ..q(Some("unemployed"))
    };
    assert_eq!(names(&list(on_january).await), ["Mid", "Zeta"]);
    assert_eq!(names(&list(q(Some("eligible"))).await), ["Alpha", "Zeta"]);
    assert_eq!(names(&list(q(Some("none"))).await), ["Future"]);
    let by_centre = ProviderQuery {
        cpas: Some("namur".to_owned()),
        ..ProviderQuery::default()
    };
    assert_eq!(names(&list(by_centre).await), ["Alpha"]);
    let by_name = ProviderQuery {
        q: Some("bru".to_owned()),
        ..ProviderQuery::default()
    };
    assert_eq!(names(&list(by_name).await), ["Alpha"]);
    let newest_first = ProviderQuery {
        sort: Some("registered".to_owned()),
        dir: Some("desc".to_owned()),
        ..ProviderQuery::default()
    };
    assert_eq!(
        names(&list(newest_first).await),
        ["Future", "Mid", "Alpha", "Zeta"]
    );
    let by_type = ProviderQuery {
        sort: Some("type".to_owned()),
        ..ProviderQuery::default()
    };
    let rows = list(by_type).await;
    assert_eq!(names(&rows), ["Alpha", "Mid", "Zeta", "Future"]);
    assert_eq!(
        rows[0].state.as_ref().and_then(|s| s.cpas.as_deref()),
        Some("CPAS Namur")
    );
    assert_eq!(rows[1].type_label, Some("Not eligible"));
    for bad in [
        ProviderQuery {
            sort: Some("age".to_owned()),
            ..ProviderQuery::default()
        },
        q(Some("retired")),
        ProviderQuery {
            dir: Some("up".to_owned()),
            ..ProviderQuery::default()
        },
    ] {
        assert!(matches!(
            agency.list_providers(&agent(), &bad).await,
            Err(AgencyError::Invalid(_))
        ));
    }
    assert!(
        agency
            .list_providers(&other_agent(), &ProviderQuery::default())
            .await
            .expect("list")
            .is_empty(),
        "another agency's"
    );
    app.close().await;
}

async fn a_person_acting_as_themselves_gets_no_agency(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let app = app(db, &clock).await;
    register(&app, &natural("Anne", "Dupont", "2026-12-31")).await;
    let mut forged = claims("a1", ALE1, &["read", "modify"]);
    forged.acting = assertion::Acting::Myself;
    let forged = Caller::new(forged);
    assert!(matches!(
        app.agency().list_users(&forged, &Default::default()).await,
        Err(AgencyError::Forbidden(_))
    ));
    assert!(matches!(
        app.agency()
            .list_providers(&forged, &ProviderQuery::default())
            .await,
        Err(AgencyError::Forbidden(_))
    ));
    app.close().await;
}

fn as_self(sub: &str) -> Caller {
    let mut c = claims(sub, ALE1, &["read", "modify"]);
    c.acting = assertion::Acting::Myself;
    c.structure = None;
    Caller::new(c)
}

async fn a_user_acting_as_themselves_sees_their_wallet(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let app = app(db, &clock).await;
    let agency = app.agency();
    let anne = register(&app, &natural("Anne", "Dupont", "2026-12-31")).await;
    let firm = register(&app, &legal("Boulangerie SA", None, "0403.449.625", None)).await;
    agency
        .purchase(
            &agent(),
            &anne.id,
            &vouchers::wallet::PurchaseInput { quantity: 3 },
        )
        .await
        .expect("buy");
    let p = provider(&app, "Paul", "Provider", "unemployed", None, "2026-01-01").await;
    let w = agency
        .record_work(&agent(), &work(&anne.id, &p.id, "2026-03-10"))
        .await
        .expect("record");
    agency.pay_work(&agent(), &w.id).await.expect("pay");
    assert!(matches!(
        agency.link_code(&agent(), &firm.id).await,
        Err(AgencyError::Invalid(_))
    ));
    assert!(matches!(
        agency.link_code(&other_agent(), &anne.id).await,
        Err(AgencyError::NotFound(_))
    ));
    let code = agency.link_code(&agent(), &anne.id).await.expect("code");
    assert_eq!(code.valid_until, "2026-04-09");
    let person = as_self("citizen-7");
    assert!(
        agency
            .my_wallets(&person)
            .await
            .expect("none yet")
            .is_empty()
    );
    assert!(matches!(
        agency.link(&person, "0000-0000-0000-0000").await,
        Err(AgencyError::Invalid(_))
    ));
    assert!(matches!(
        agency.link(&agent(), &code.code).await,
        Err(AgencyError::Forbidden(_))
    ));
    let typed = code.code.to_lowercase().replace('-', " ");
    assert_eq!(
        agency.link(&person, &typed).await.expect("link"),
        "ALE Namur"
    );
    assert!(
        matches!(
            agency.link(&as_self("someone-else"), &code.code).await,
            Err(AgencyError::Invalid(_))
        ),
        "once"
    );
    let wallets = agency.my_wallets(&person).await.expect("wallets");
    assert_eq!(wallets.len(), 1);
    let mine = &wallets[0];
    assert_eq!(
        (
            mine.agency_name.as_str(),
            mine.display_name.as_str(),
            mine.balance
        ),
        ("ALE Namur", "Anne Dupont", 1)
    );
    assert_eq!(mine.vouchers.len(), 3);
    assert_eq!(mine.prestations.len(), 1);
    assert_eq!(
        (
            mine.prestations[0].status.as_str(),
            mine.prestations[0].provider_name.as_str()
        ),
        ("paid", "Paul Provider")
    );
    assert!(
        agency
            .my_wallets(&as_self("someone-else"))
            .await
            .expect("none")
            .is_empty()
    );
    assert!(matches!(
        agency.my_wallets(&agent()).await,
        Err(AgencyError::Forbidden(_))
    ));
    // A code not used within its 30 days no longer works.
    let late = agency.link_code(&agent(), &anne.id).await.expect("code");
    clock.advance_days(31);
    assert!(matches!(
        agency.link(&as_self("someone-else"), &late.code).await,
        Err(AgencyError::Invalid(_))
    ));
    app.close().await;
}

db_tests!(
    a_user_acting_as_themselves_sees_their_wallet,
    no_electronic_prestation_before_the_cutoff,
    the_provider_list_filters_and_sorts,
    a_person_acting_as_themselves_gets_no_agency,
);
