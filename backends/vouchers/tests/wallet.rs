//! Wallets, payments, providers judged by their type on the date, contested and unpaid
//! views, invoices for legal persons, on SQLite and PostgreSQL.

mod common;

use backend_kit::ManualClock;
use backend_kit::db_tests;
use backend_kit::test_support::TestDb;
use common::*;
use e2e::SmtpServer;
use vouchers::providers::{ChangeInput, Provider, ProviderInput};
use vouchers::users::UserInput;
use vouchers::wallet::PurchaseInput;
use vouchers::work::{ResolveInput, WorkInput};
use vouchers::{AgencyError, App, OUTBOX};

async fn provider(app: &App, kind: &str, cpas: Option<&str>, from: &str) -> Provider {
    let input = ProviderInput {
        first_name: "Paul".to_owned(),
        last_name: "Provider".to_owned(),
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

fn work(user: &str, provider: &str, date: &str, hours: i64) -> WorkInput {
    WorkInput {
        user_id: user.to_owned(),
        provider_id: provider.to_owned(),
        date: date.to_owned(),
        hours,
        activity: "gardening".to_owned(),
    }
}

fn from_jan(input: UserInput) -> UserInput {
    UserInput {
        valid_from: Some("2026-01-01".to_owned()),
        ..input
    }
}

fn buy(n: i64) -> PurchaseInput {
    PurchaseInput { quantity: n }
}

async fn wallet_pays_without_ever_going_negative(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let app = app(db, &clock).await;
    let agency = app.agency();
    let u = register(&app, &from_jan(natural("Anne", "Dupont", "2026-12-31"))).await;
    let p = provider(&app, "unemployed", None, "2026-01-01").await;
    assert!(matches!(
        agency.purchase(&agent(), &u.id, &buy(0)).await,
        Err(AgencyError::Invalid(_))
    ));
    let bought = agency
        .purchase(&agent(), &u.id, &buy(3))
        .await
        .expect("buy");
    assert_eq!(bought.balance, 3);
    assert_eq!(
        bought.numbers,
        ("2026-00000001".to_owned(), "2026-00000003".to_owned())
    );
    assert!(bought.invoice.is_none(), "no invoice for a natural person");
    assert_eq!(bought.total_cents, 3 * 595);
    let w = agency
        .record_work(&agent(), &work(&u.id, &p.id, "2026-03-09", 4))
        .await
        .expect("record");
    let err = agency.pay_work(&agent(), &w.id).await.expect_err("3 < 4");
    assert!(
        matches!(
            err,
            AgencyError::Conflict {
                code: "insufficient_balance",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        agency.balance(&u.id).await.expect("balance"),
        3,
        "nothing changed"
    );
    assert_eq!(
        agency.work(&agent(), &w.id).await.expect("work").status,
        "unpaid"
    );
    assert!(
        agency
            .vouchers(&u.id)
            .await
            .expect("vouchers")
            .iter()
            .all(|v| v.prestation_id.is_none())
    );
    agency
        .purchase(&agent(), &u.id, &buy(2))
        .await
        .expect("buy more");
    let paid = agency.pay_work(&agent(), &w.id).await.expect("pay");
    assert_eq!(paid.status, "paid");
    assert_eq!(agency.balance(&u.id).await.expect("balance"), 1);
    let vouchers = agency.vouchers(&u.id).await.expect("vouchers");
    assert_eq!(
        vouchers[0].number, "2026-00000005",
        "the unspent one is the newest: oldest spent first"
    );
    assert_eq!(
        vouchers
            .iter()
            .filter(|v| v.prestation_id.as_deref() == Some(w.id.as_str()))
            .count(),
        4
    );
    for again in [
        agency.pay_work(&agent(), &w.id).await,
        agency.contest_work(&agent(), &w.id, Some("x")).await,
        agency.cancel_work(&agent(), &w.id).await,
    ] {
        assert!(matches!(
            again,
            Err(AgencyError::Conflict {
                code: "illegal_transition",
                ..
            })
        ));
    }
    app.close().await;
}

async fn concurrent_payments_from_one_wallet(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let app = app(db, &clock).await;
    let agency = app.agency();
    let u = register(&app, &from_jan(natural("Anne", "Dupont", "2026-12-31"))).await;
    let p = provider(&app, "unemployed", None, "2026-01-01").await;
    agency
        .purchase(&agent(), &u.id, &buy(5))
        .await
        .expect("buy");
    let mut ids = Vec::new();
    for day in 2..=5 {
        ids.push(
            agency
                .record_work(&agent(), &work(&u.id, &p.id, &format!("2026-03-0{day}"), 2))
                .await
                .expect("record")
                .id,
        );
    }
    let caller = agent();
    // Polled together so the payments really overlap.
    let results = join_all(ids.iter().map(|id| agency.pay_work(&caller, id)).collect()).await;
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(
        ok, 2,
        "5 vouchers pay two prestations of 2 hours: {results:?}"
    );
    for r in results.iter().filter(|r| r.is_err()) {
        assert!(
            matches!(
                r,
                Err(AgencyError::Conflict {
                    code: "insufficient_balance",
                    ..
                }) | Err(AgencyError::Conflict { code: "stale", .. })
            ),
            "{r:?}"
        );
    }
    assert_eq!(agency.balance(&u.id).await.expect("balance"), 1);
    let spent = agency
        .vouchers(&u.id)
        .await
        .expect("vouchers")
        .iter()
        .filter(|v| v.prestation_id.is_some())
        .count();
    assert_eq!(spent, 4);
    let (_, unpaid) = agency.counts(&agent()).await.expect("counts");
    assert_eq!(unpaid, 2);
    app.close().await;
}

async fn join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    use std::pin::Pin;
    use std::task::Poll;
    let mut pinned: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut results: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(move |cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if results[i].is_none() {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => results[i] = Some(v),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(results.iter_mut().filter_map(Option::take).collect())
        }
    })
    .await
}

async fn provider_type_on_the_date_decides(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 7, 10), 9);
    let app = app(db, &clock).await;
    let agency = app.agency();
    let u = register(
        &app,
        &UserInput {
            valid_from: Some("2026-01-01".to_owned()),
            ..natural("Anne", "Dupont", "2026-12-31")
        },
    )
    .await;
    agency
        .purchase(&agent(), &u.id, &buy(50))
        .await
        .expect("buy");
    let p = provider(&app, "unemployed", None, "2026-01-01").await;
    assert!(
        matches!(
            agency
                .add_provider(
                    &agent(),
                    &ProviderInput {
                        first_name: "X".to_owned(),
                        last_name: "Y".to_owned(),
                        email: None,
                        change: ChangeInput {
                            provider_type: "social_aid".to_owned(),
                            ..ChangeInput::default()
                        }
                    }
                )
                .await,
            Err(AgencyError::Invalid(_))
        ),
        "a CPAS type needs its centre"
    );
    clock.advance_ms(1000);
    let change = ChangeInput {
        effective_from: Some("2026-06-01".to_owned()),
        provider_type: "not_eligible".to_owned(),
        cpas: None,
        note: Some("found a job".to_owned()),
    };
    agency
        .change_provider(&agent(), &p.id, &change)
        .await
        .expect("change");
    clock.advance_ms(1000);
    let change = ChangeInput {
        effective_from: Some("2026-07-01".to_owned()),
        provider_type: "integration_income".to_owned(),
        cpas: Some("CPAS de Namur".to_owned()),
        note: None,
    };
    agency
        .change_provider(&agent(), &p.id, &change)
        .await
        .expect("change");
    let state = |day| agency.provider_state_on(&p.id, day);
    assert_eq!(
        state(d(2026, 5, 31))
            .await
            .expect("s")
            .map(|s| s.provider_type.code()),
        Some("unemployed")
    );
    assert_eq!(
        state(d(2026, 6, 15))
            .await
            .expect("s")
            .map(|s| s.provider_type.code()),
        Some("not_eligible")
    );
    let july = state(d(2026, 7, 2)).await.expect("s").expect("state");
    assert_eq!(
        (july.provider_type.code(), july.cpas.as_deref()),
        ("integration_income", Some("CPAS de Namur"))
    );
    assert!(
        state(d(2025, 12, 31)).await.expect("s").is_none(),
        "before registration"
    );
    let may = agency
        .record_work(&agent(), &work(&u.id, &p.id, "2026-05-20", 3))
        .await
        .expect("May: unemployed");
    let june = agency
        .record_work(&agent(), &work(&u.id, &p.id, "2026-06-05", 3))
        .await
        .expect_err("June: not eligible");
    assert!(
        matches!(
            june,
            AgencyError::Conflict {
                code: "not_eligible",
                ..
            }
        ),
        "{june}"
    );
    let july = agency
        .record_work(&agent(), &work(&u.id, &p.id, "2026-07-02", 3))
        .await
        .expect("July: eligible again");
    let view = agency
        .view_work(&agent(), july.clone())
        .await
        .expect("view");
    assert_eq!(
        view.provider_type_on_date.as_deref(),
        Some("integration_income")
    );
    assert_eq!(view.cpas_on_date.as_deref(), Some("CPAS de Namur"));
    // A retroactive change: not eligible since 15 May after all. The May prestation is
    // judged again at payment and refused; its view shows the type on its date.
    clock.advance_ms(1000);
    let change = ChangeInput {
        effective_from: Some("2026-05-15".to_owned()),
        provider_type: "not_eligible".to_owned(),
        cpas: None,
        note: Some("correction".to_owned()),
    };
    agency
        .change_provider(&agent(), &p.id, &change)
        .await
        .expect("retroactive");
    let err = agency
        .pay_work(&agent(), &may.id)
        .await
        .expect_err("judged on its date");
    assert!(matches!(
        err,
        AgencyError::Conflict {
            code: "not_eligible",
            ..
        }
    ));
    agency
        .pay_work(&agent(), &july.id)
        .await
        .expect("July still fine");
    assert_eq!(
        agency.provider_history(&p.id).await.expect("history").len(),
        4,
        "every change kept"
    );
    // Monthly hours: 70 in July.
    for day in 3..=7 {
        agency
            .record_work(
                &agent(),
                &work(&u.id, &p.id, &format!("2026-07-0{day}"), 12),
            )
            .await
            .expect("within 70");
    }
    let over = agency
        .record_work(&agent(), &work(&u.id, &p.id, "2026-07-08", 8))
        .await
        .expect_err("63 + 8 > 70");
    assert!(
        matches!(
            over,
            AgencyError::Conflict {
                code: "monthly_limit",
                ..
            }
        ),
        "{over}"
    );
    agency
        .record_work(&agent(), &work(&u.id, &p.id, "2026-07-08", 7))
        .await
        .expect("exactly 70");
    // No authorization on the date: refused.
    let early = agency
        .record_work(&agent(), &work(&u.id, &p.id, "2025-12-20", 1))
        .await
        .expect_err("not authorized");
    assert!(matches!(
        early,
        AgencyError::Conflict {
            code: "not_authorized",
            ..
        }
    ));
    app.close().await;
}

async fn contested_and_unpaid_views(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let app = app(db, &clock).await;
    let agency = app.agency();
    let u = register(
        &app,
        &from_jan(legal(
            "Boulangerie Dupont SRL",
            Some("Au Bon Pain"),
            "0412000075",
            None,
        )),
    )
    .await;
    let p = provider(&app, "unemployed", None, "2026-01-01").await;
    let mut ids = Vec::new();
    for day in 2..=5 {
        ids.push(
            agency
                .record_work(&agent(), &work(&u.id, &p.id, &format!("2026-03-0{day}"), 2))
                .await
                .expect("record")
                .id,
        );
    }
    assert_eq!(agency.counts(&agent()).await.expect("counts"), (0, 4));
    assert!(matches!(
        agency.contest_work(&agent(), &ids[0], Some(" ")).await,
        Err(AgencyError::Invalid(_))
    ));
    agency
        .contest_work(&agent(), &ids[0], Some("only one hour"))
        .await
        .expect("contest");
    agency
        .contest_work(&agent(), &ids[1], Some("not done"))
        .await
        .expect("contest");
    assert_eq!(agency.counts(&agent()).await.expect("counts"), (2, 2));
    let contested = agency
        .list_work(&agent(), Some("contested"), None)
        .await
        .expect("view");
    assert_eq!(contested.len(), 2);
    assert!(
        contested.iter().all(|w| w.user_name == "Au Bon Pain"),
        "common name shown"
    );
    let unpaid = agency
        .list_work(&agent(), Some("unpaid"), None)
        .await
        .expect("view");
    assert_eq!(unpaid.len(), 2);
    assert!(
        matches!(
            agency
                .resolve_work(
                    &agent(),
                    &ids[2],
                    &ResolveInput {
                        outcome: "cancel".to_owned(),
                        ..ResolveInput::default()
                    }
                )
                .await,
            Err(AgencyError::Conflict { .. })
        ),
        "not contested"
    );
    let upheld = agency
        .resolve_work(
            &agent(),
            &ids[0],
            &ResolveInput {
                outcome: "uphold".to_owned(),
                hours: Some(1),
                note: Some("agreed on one hour".to_owned()),
            },
        )
        .await
        .expect("uphold");
    assert_eq!((upheld.status.as_str(), upheld.hours), ("unpaid", 1));
    let gone = agency
        .resolve_work(
            &agent(),
            &ids[1],
            &ResolveInput {
                outcome: "cancel".to_owned(),
                ..ResolveInput::default()
            },
        )
        .await
        .expect("cancel");
    assert_eq!(gone.status, "cancelled");
    assert_eq!(agency.counts(&agent()).await.expect("counts"), (0, 3));
    assert_eq!(
        agency.counts(&other_agent()).await.expect("counts"),
        (0, 0),
        "per agency"
    );
    assert!(matches!(
        agency.work(&other_agent(), &ids[2]).await,
        Err(AgencyError::NotFound(_))
    ));
    app.close().await;
}

async fn invoices_for_legal_persons_are_mailed_when_an_email_is_known(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let mail_dir = tempfile::tempdir().expect("tempdir");
    let smtp = SmtpServer::start(mail_dir.path())
        .await
        .expect("aiosmtpd: python3 with aiosmtpd (scripts/test.sh installs it)");
    let mut config = common::config(db, &clock);
    config.smtp_url = Some(smtp.url());
    config.mail_from = "ale@namur.example".to_owned();
    let app = vouchers::build(config).await.expect("app");
    let agency = app.agency();
    let with_mail = register(
        &app,
        &legal(
            "Boulangerie Dupont SRL",
            Some("Au Bon Pain"),
            "0412000075",
            Some("compta@bonpain.be"),
        ),
    )
    .await;
    let without = register(&app, &legal("Garage Martin SA", None, "0800000174", None)).await;
    let person = register(&app, &natural("Anne", "Dupont", "2026-12-31")).await;
    let first = agency
        .purchase(&agent(), &with_mail.id, &buy(10))
        .await
        .expect("buy")
        .invoice
        .expect("invoice");
    assert_eq!(first.number, "2026-00001");
    assert_eq!(first.total_cents, 5950);
    assert_eq!(first.mailed, 1);
    let second = agency
        .purchase(&agent(), &without.id, &buy(2))
        .await
        .expect("buy")
        .invoice
        .expect("invoice");
    assert_eq!((second.number.as_str(), second.mailed), ("2026-00002", 0));
    assert!(
        agency
            .purchase(&agent(), &person.id, &buy(2))
            .await
            .expect("buy")
            .invoice
            .is_none()
    );
    let queued = OUTBOX
        .with_prefix(app.pool(), "invoice:")
        .await
        .expect("outbox");
    assert_eq!(queued.len(), 1);
    assert!(
        queued[0]
            .body
            .contains("Au Bon Pain (Boulangerie Dupont SRL)")
    );
    assert!(queued[0].body.contains("EUR 59.50"));
    let report = app.mail_sender().pass().await.expect("send");
    assert_eq!(report.sent, 1);
    // Delivered when the pass returns: the SMTP server stores a mail before its 250.
    let got = smtp.messages().expect("mails");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt_tos, ["compta@bonpain.be"]);
    assert_eq!(got[0].mail_from, "ale@namur.example");
    // In the language chosen at registration (French unless said otherwise).
    assert_eq!(got[0].subject, "Facture 2026-00001 de ALE Namur");
    assert!(
        got[0].text.contains("TVA : non applicable."),
        "{}",
        got[0].text
    );
    assert!(got[0].text.contains("EUR 59.50"), "{}", got[0].text);
    // The garage's email becomes known: its invoice goes out then, once.
    let contact = vouchers::users::ContactInput {
        email: Some("boss@garage.be".to_owned()),
        ..vouchers::users::ContactInput::default()
    };
    agency
        .update_contact(&agent(), &without.id, &contact)
        .await
        .expect("email");
    agency
        .update_contact(&agent(), &without.id, &contact)
        .await
        .expect("again");
    assert_eq!(
        OUTBOX
            .with_prefix(app.pool(), "invoice:")
            .await
            .expect("outbox")
            .len(),
        2
    );
    assert_eq!(app.mail_sender().pass().await.expect("send").sent, 1);
    let got = smtp.messages().expect("mails");
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].rcpt_tos, ["boss@garage.be"]);
    assert!(
        agency
            .invoices(&agent(), None)
            .await
            .expect("invoices")
            .iter()
            .all(|i| i.mailed == 1)
    );
    // Renewal needed before buying again once the authorization has ended.
    clock.set_brussels(d(2027, 1, 2), 9);
    let err = agency
        .purchase(&agent(), &person.id, &buy(1))
        .await
        .expect_err("ended");
    assert!(matches!(
        err,
        AgencyError::Conflict {
            code: "not_authorized",
            ..
        }
    ));
    app.close().await;
}

db_tests!(
    wallet_pays_without_ever_going_negative,
    concurrent_payments_from_one_wallet,
    provider_type_on_the_date_decides,
    contested_and_unpaid_views,
    invoices_for_legal_persons_are_mailed_when_an_email_is_known,
);
