//! Users, authorizations, the agent's list (filters, sort, `.xlsx`) and the pre-filled
//! registration form, on SQLite and PostgreSQL.

mod common;

use backend_kit::ManualClock;
use backend_kit::db_tests;
use backend_kit::test_support::TestDb;
use calamine::{Data, Reader, Xlsx};
use common::*;
use vouchers::AgencyError;
use vouchers::userlist::{ListQuery, PrefillQuery};
use vouchers::users::{RenewInput, UserInput};

async fn registration_rules(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let app = app(db, &clock).await;
    let agency = app.agency();
    let bad: Vec<(&str, UserInput)> = vec![
        (
            "kind",
            UserInput {
                kind: "robot".to_owned(),
                ..natural("A", "B", "2026-12-31")
            },
        ),
        (
            "first name",
            UserInput {
                first_name: None,
                ..natural("A", "B", "2026-12-31")
            },
        ),
        (
            "end of validity",
            UserInput {
                valid_until: None,
                ..natural("A", "B", "2026-12-31")
            },
        ),
        ("before start", natural("A", "B", "2026-03-09")),
        ("too long", natural("A", "B", "2031-03-11")),
        (
            "email",
            UserInput {
                email: Some("nope".to_owned()),
                ..natural("A", "B", "2026-12-31")
            },
        ),
        (
            "language",
            UserInput {
                language: Some("xx".to_owned()),
                ..natural("A", "B", "2026-12-31")
            },
        ),
        (
            "enterprise number",
            legal("Boulangerie SA", None, "0412000076", None),
        ),
        (
            "legal name",
            UserInput {
                legal_name: None,
                ..legal("x", None, "0412000075", None)
            },
        ),
    ];
    for (why, input) in bad {
        let err = agency.register(&agent(), &input).await.expect_err(why);
        assert!(matches!(err, AgencyError::Invalid(_)), "{why}: {err}");
    }
    let u = register(&app, &natural("Anne", "Dupont", "2026-12-31")).await;
    assert_eq!(u.display_name(), "Anne Dupont");
    assert_eq!(agency.balance(&u.id).await.expect("balance"), 0);
    let auths = agency.authorizations(&u.id).await.expect("auths");
    assert_eq!(
        (auths[0].valid_from.as_str(), auths[0].valid_until.as_str()),
        ("2026-03-10", "2026-12-31")
    );
    let l = register(
        &app,
        &legal(
            "Boulangerie Dupont SRL",
            Some("Au Bon Pain"),
            "0412.000.075",
            None,
        ),
    )
    .await;
    assert_eq!(l.enterprise_number.as_deref(), Some("0412000075"));
    assert_eq!(l.display_name(), "Au Bon Pain", "the common name is shown");
    let no_common = register(&app, &legal("Garage Martin SA", None, "0800000174", None)).await;
    assert_eq!(no_common.display_name(), "Garage Martin SA");
    let again = agency
        .register(&agent(), &legal("Other", None, "BE 0412 000 075", None))
        .await
        .expect_err("twice");
    assert!(matches!(
        again,
        AgencyError::Conflict {
            code: "already_registered",
            ..
        }
    ));
    // Another agency may register the same legal person, and sees nothing of ALE1.
    agency
        .register(
            &other_agent(),
            &legal("Boulangerie Dupont SRL", None, "0412000075", None),
        )
        .await
        .expect("other agency");
    assert!(matches!(
        agency.user(&other_agent(), &u.id).await,
        Err(AgencyError::NotFound(_))
    ));
    app.close().await;
}

async fn renewals_follow_the_current_authorization(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let app = app(db, &clock).await;
    let agency = app.agency();
    let u = register(&app, &natural("Anne", "Dupont", "2026-06-30")).await;
    let overlap = RenewInput {
        valid_from: Some("2026-06-30".to_owned()),
        valid_until: Some("2027-06-30".to_owned()),
    };
    assert!(matches!(
        agency.renew(&agent(), &u.id, &overlap).await,
        Err(AgencyError::Conflict {
            code: "overlap",
            ..
        })
    ));
    let missing = RenewInput {
        valid_from: None,
        valid_until: None,
    };
    assert!(matches!(
        agency.renew(&agent(), &u.id, &missing).await,
        Err(AgencyError::Invalid(_))
    ));
    let r = agency
        .renew(
            &agent(),
            &u.id,
            &RenewInput {
                valid_from: None,
                valid_until: Some("2027-06-30".to_owned()),
            },
        )
        .await
        .expect("renew");
    assert_eq!(
        (r.valid_from.as_str(), r.kind.as_str()),
        ("2026-07-01", "renewal")
    );
    assert!(
        agency
            .authorized_on(&u.id, d(2026, 7, 1))
            .await
            .expect("covered")
    );
    assert!(
        !agency
            .authorized_on(&u.id, d(2027, 7, 1))
            .await
            .expect("not covered")
    );
    // Once everything has ended, a renewal starts today.
    clock.set_brussels(d(2027, 9, 1), 9);
    let r = agency
        .renew(
            &agent(),
            &u.id,
            &RenewInput {
                valid_from: None,
                valid_until: Some("2027-12-31".to_owned()),
            },
        )
        .await
        .expect("renew");
    assert_eq!(r.valid_from, "2027-09-01");
    assert_eq!(
        agency.authorizations(&u.id).await.expect("all").len(),
        3,
        "history kept"
    );
    app.close().await;
}

async fn user_list_filters_sorts_and_exports(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 1, 5), 9);
    let app = app(db, &clock).await;
    let agency = app.agency();
    let zoe = register(&app, &natural("Zoé", "Adam", "2026-01-20")).await;
    let bob = register(&app, &natural("Bob", "Martin", "2026-12-31")).await;
    let pain = register(
        &app,
        &legal(
            "Boulangerie Dupont SRL",
            Some("Au Bon Pain"),
            "0412000075",
            Some("compta@bonpain.be"),
        ),
    )
    .await;
    let ended = register(
        &app,
        &UserInput {
            valid_from: Some("2025-01-01".to_owned()),
            ..natural("Carl", "Old", "2025-12-31")
        },
    )
    .await;
    agency
        .register(&other_agent(), &natural("Not", "Mine", "2026-12-31"))
        .await
        .expect("other");
    let names = |rows: &[vouchers::userlist::UserRow]| {
        rows.iter()
            .map(|r| r.display_name.clone())
            .collect::<Vec<_>>()
    };
    let all = agency
        .list_users(&agent(), &ListQuery::default())
        .await
        .expect("list");
    assert_eq!(
        names(&all),
        ["Zoé Adam", "Au Bon Pain", "Bob Martin", "Carl Old"],
        "by name; common name for legal persons"
    );
    let q = |auth: &str, sort: &str, dir: &str| ListQuery {
        auth: Some(auth.to_owned()).filter(|a| !a.is_empty()),
        sort: Some(sort.to_owned()),
        dir: Some(dir.to_owned()),
        ..ListQuery::default()
    };
    let valid = agency
        .list_users(&agent(), &q("valid", "valid_until", "asc"))
        .await
        .expect("valid");
    assert_eq!(names(&valid), ["Zoé Adam", "Au Bon Pain", "Bob Martin"]);
    let desc = agency
        .list_users(&agent(), &q("", "valid_until", "desc"))
        .await
        .expect("desc");
    assert_eq!(desc[0].user.id, pain.id, "ties broken by name");
    assert_eq!(
        desc.last().map(|r| r.user.id.as_str()),
        Some(ended.id.as_str())
    );
    let expired = agency
        .list_users(&agent(), &q("expired", "name", "asc"))
        .await
        .expect("expired");
    assert_eq!(names(&expired), ["Carl Old"]);
    let expiring = agency
        .list_users(&agent(), &q("expiring", "name", "asc"))
        .await
        .expect("expiring");
    assert_eq!(names(&expiring), ["Zoé Adam"], "within 30 days by default");
    let text = ListQuery {
        q: Some("BON".to_owned()),
        ..ListQuery::default()
    };
    assert_eq!(
        names(&agency.list_users(&agent(), &text).await.expect("q")),
        ["Au Bon Pain"]
    );
    let kind = ListQuery {
        kind: Some("legal".to_owned()),
        ..ListQuery::default()
    };
    assert_eq!(
        agency
            .list_users(&agent(), &kind)
            .await
            .expect("kind")
            .len(),
        1
    );
    let bad = ListQuery {
        sort: Some("password".to_owned()),
        ..ListQuery::default()
    };
    assert!(matches!(
        agency.list_users(&agent(), &bad).await,
        Err(AgencyError::Invalid(_))
    ));

    // The .xlsx has the same rows in the same order, read back by an independent reader.
    let bytes = vouchers::export::users_xlsx(&valid, i18n::Lang::En).expect("xlsx");
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("open xlsx");
    let sheet = book.worksheet_range("Users").expect("sheet");
    let rows: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0][0], Data::String("Name".to_owned()));
    assert_eq!(rows[0][9], Data::String("Authorization until".to_owned()));
    assert_eq!(rows[1][0], Data::String("Zoé Adam".to_owned()));
    assert_eq!(rows[2][0], Data::String("Au Bon Pain".to_owned()));
    assert_eq!(
        rows[2][2],
        Data::String("Boulangerie Dupont SRL".to_owned())
    );
    assert_eq!(rows[2][3], Data::String("0412.000.075".to_owned()));
    assert_eq!(rows[3][9], Data::String("2026-12-31".to_owned()));
    assert_eq!(rows[3][11], Data::Float(0.0));
    let _ = (zoe, bob);
    app.close().await;
}

async fn registration_form_is_prefilled(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let app = app(db, &clock).await;
    let agency = app.agency();
    let empty = agency
        .prefill(&agent(), &PrefillQuery::default())
        .await
        .expect("prefill");
    assert_eq!(empty.input.valid_from.as_deref(), Some("2026-03-10"));
    assert_eq!(
        empty.input.valid_until.as_deref(),
        Some("2027-03-09"),
        "12 months by default"
    );
    assert_eq!(empty.input.language.as_deref(), Some("fr"));
    register(&app, &natural("Anne", "Dupont", "2026-12-31")).await;
    register(
        &app,
        &UserInput {
            email: Some("bob@example.be".to_owned()),
            ..natural("Bob", "Martin", "2026-12-31")
        },
    )
    .await;
    let usual = agency
        .prefill(&agent(), &PrefillQuery::default())
        .await
        .expect("prefill");
    assert_eq!(
        (usual.input.postcode.as_deref(), usual.input.city.as_deref()),
        (Some("5000"), Some("Namur"))
    );
    // A legal person known to another agency: public names and address, not its contacts.
    agency
        .register(
            &other_agent(),
            &legal(
                "Garage Martin SA",
                Some("Garage du Coin"),
                "0800000174",
                Some("boss@garage.be"),
            ),
        )
        .await
        .expect("other agency");
    let q = PrefillQuery {
        enterprise_number: Some("0800.000.174".to_owned()),
        ..PrefillQuery::default()
    };
    let known = agency.prefill(&agent(), &q).await.expect("prefill");
    assert_eq!(known.input.kind, "legal");
    assert_eq!(known.input.legal_name.as_deref(), Some("Garage Martin SA"));
    assert_eq!(known.input.common_name.as_deref(), Some("Garage du Coin"));
    assert_eq!(known.input.street.as_deref(), Some("Rue de Fer 1"));
    assert_eq!(
        known.input.email, None,
        "contact data stays with the other agency"
    );
    assert_eq!(known.already_registered, None);
    // Already a user here: the form says so.
    let here = register(&app, &legal("Garage Martin SA", None, "0800000174", None)).await;
    let again = agency.prefill(&agent(), &q).await.expect("prefill");
    assert_eq!(again.already_registered.as_deref(), Some(here.id.as_str()));
    let by_mail = PrefillQuery {
        email: Some("BOB@example.be".to_owned()),
        ..PrefillQuery::default()
    };
    let bob = agency.prefill(&agent(), &by_mail).await.expect("prefill");
    assert!(bob.already_registered.is_some());
    assert_eq!(bob.input.first_name.as_deref(), Some("Bob"));
    let bad = PrefillQuery {
        enterprise_number: Some("0800000175".to_owned()),
        ..PrefillQuery::default()
    };
    assert!(matches!(
        agency.prefill(&agent(), &bad).await,
        Err(AgencyError::Invalid(_))
    ));
    app.close().await;
}

db_tests!(
    registration_rules,
    renewals_follow_the_current_authorization,
    user_list_filters_sorts_and_exports,
    registration_form_is_prefilled,
);
