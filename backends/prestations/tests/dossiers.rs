//! Business dossiers on SQLite and PostgreSQL: mandatory description, competence rules,
//! delete in 01, cancel in 03, duplicate into a new 01, the administration's decisions,
//! illegal transitions refused without a trace, visibility.

mod common;

use backend_kit::db_tests;
use backend_kit::test_support::TestDb;
use backend_kit::{Caller, ManualClock};
use common::*;
use prestations::dossiers::service::DossierError;
use prestations::dossiers::{Competence, DossierAction, DossierInput, DossierStatus};

fn provider() -> Caller {
    Caller::new(claims(
        "p1",
        "Paula Provider",
        Some(("prov", "0203201340", "Conseil SA")),
        &["read", "modify"],
    ))
}

fn other_provider() -> Caller {
    Caller::new(claims(
        "p2",
        "Piet",
        Some(("prov2", "0403449625", "Advies BV")),
        &["read", "modify"],
    ))
}

fn administration() -> Caller {
    Caller::new(claims(
        "a1",
        "Anna Admin",
        Some(("admin", "0403449625", "Administration")),
        &["read", "modify", "process"],
    ))
}

fn cyber() -> DossierInput {
    DossierInput {
        beneficiary_number: "0403.449.625".to_owned(),
        beneficiary_name: "Boulangerie Dupont".to_owned(),
        cheque: "DIG-CYBER".to_owned(),
        description: Some("Security audit of the web shop and staff training".to_owned()),
        competences: None,
        start_date: Some("2026-04-01".to_owned()),
        subcontractor_number: None,
        subcontractor_name: None,
    }
}

async fn introduce_edit_submit_process(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 2), 9);
    let app = app_with_energy(db, &clock).await;
    let svc = app.dossiers();
    let mut missing = cyber();
    missing.description = None;
    assert!(matches!(
        svc.create(&provider(), &missing).await,
        Err(DossierError::Invalid(_))
    ));
    let d1 = svc.create(&provider(), &cyber()).await.expect("create");
    assert_eq!(d1.status, DossierStatus::BeingIntroduced);
    assert_eq!(d1.reference, "CE-2026-000001");
    assert_eq!(
        d1.competences,
        [Competence {
            code: "DIG-CYBER".to_owned(),
            weight: 100,
            description: "Security audit of the web shop and staff training".to_owned()
        }]
    );
    let d2 = svc.create(&provider(), &cyber()).await.expect("create");
    assert_eq!(d2.reference, "CE-2026-000002");
    // Energy cheque: weights.
    let mut energy = cyber();
    energy.cheque = "ENE-TEST".to_owned();
    energy.competences = Some(vec![
        Competence {
            code: "ENE-AUDIT".to_owned(),
            weight: 70,
            description: "Audit of the ovens".to_owned(),
        },
        Competence {
            code: "ENE-PLAN".to_owned(),
            weight: 30,
            description: "Plan for heat pumps".to_owned(),
        },
    ]);
    let edited = svc
        .edit(&provider(), &d1.id, &energy)
        .await
        .expect("edit in 01");
    assert_eq!(edited.cheque_code, "ENE-TEST");
    assert_eq!(edited.competences.len(), 2);
    // The administration does not see dossiers being introduced.
    assert!(matches!(
        svc.get(&administration(), &d1.id).await,
        Err(DossierError::NotFound)
    ));
    let submitted = svc
        .act(&provider(), &d1.id, DossierAction::Submit, None)
        .await
        .expect("submit");
    assert_eq!(submitted.status, DossierStatus::Introduced);
    assert!(matches!(
        svc.edit(&provider(), &d1.id, &cyber()).await,
        Err(DossierError::Transition(_))
    ));
    assert!(matches!(
        svc.act(&provider(), &d1.id, DossierAction::Take, None)
            .await,
        Err(DossierError::Forbidden(_))
    ));
    let taken = svc
        .act(&administration(), &d1.id, DossierAction::Take, None)
        .await
        .expect("take");
    assert_eq!(taken.status, DossierStatus::BeingProcessed);
    assert!(matches!(
        svc.act(&administration(), &d1.id, DossierAction::Refuse, Some(" "))
            .await,
        Err(DossierError::Invalid(_))
    ));
    let accepted = svc
        .act(&administration(), &d1.id, DossierAction::Accept, None)
        .await
        .expect("accept");
    assert_eq!(accepted.status, DossierStatus::Accepted);
    let closed = svc
        .act(&provider(), &d1.id, DossierAction::Close, None)
        .await
        .expect("close");
    assert_eq!(closed.status, DossierStatus::Closed);
    let history = svc.events(&provider(), &d1.id).await.expect("events");
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["create", "edit", "submit", "take", "accept", "close"]
    );
    app.close().await;
}

async fn delete_only_in_01_cancel_only_in_03(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 2), 9);
    let app = app(db, &clock).await;
    let svc = app.dossiers();
    let gone = svc.create(&provider(), &cyber()).await.expect("create");
    assert!(
        matches!(
            svc.act(&provider(), &gone.id, DossierAction::Cancel, Some("no"))
                .await,
            Err(DossierError::Transition(_))
        ),
        "01 cannot be cancelled, only deleted"
    );
    assert!(matches!(
        svc.delete(&other_provider(), &gone.id).await,
        Err(DossierError::NotFound)
    ));
    svc.delete(&provider(), &gone.id)
        .await
        .expect("delete in 01");
    assert!(matches!(
        svc.get(&provider(), &gone.id).await,
        Err(DossierError::NotFound)
    ));
    let kept = prestations::dossiers::store::events(app.pool(), &gone.id)
        .await
        .expect("events");
    assert_eq!(
        kept.last().map(|e| e.action.as_str()),
        Some("delete"),
        "the deletion is recorded"
    );

    let d = svc.create(&provider(), &cyber()).await.expect("create");
    svc.act(&provider(), &d.id, DossierAction::Submit, None)
        .await
        .expect("submit");
    for (action, who) in [
        (DossierAction::Cancel, provider()),
        (DossierAction::Accept, administration()),
    ] {
        let err = svc
            .act(&who, &d.id, action, Some("why"))
            .await
            .expect_err("not in 02");
        assert!(matches!(err, DossierError::Transition(_)), "{action:?}");
    }
    assert!(matches!(
        svc.delete(&provider(), &d.id).await,
        Err(DossierError::Transition(_))
    ));
    let before = svc.get(&provider(), &d.id).await.expect("get");
    svc.act(&administration(), &d.id, DossierAction::Take, None)
        .await
        .expect("take");
    assert!(
        matches!(
            svc.delete(&provider(), &d.id).await,
            Err(DossierError::Transition(_))
        ),
        "no deletion in 03"
    );
    assert!(
        matches!(
            svc.act(&provider(), &d.id, DossierAction::Cancel, None)
                .await,
            Err(DossierError::Invalid(_))
        ),
        "a reason is required"
    );
    let cancelled = svc
        .act(
            &provider(),
            &d.id,
            DossierAction::Cancel,
            Some("the beneficiary gave up"),
        )
        .await
        .expect("cancel in 03");
    assert_eq!(cancelled.status, DossierStatus::Cancelled);
    assert_eq!(
        cancelled.decision_note.as_deref(),
        Some("the beneficiary gave up")
    );
    assert_eq!(cancelled.version, before.version + 2);
    for action in [
        DossierAction::Submit,
        DossierAction::Take,
        DossierAction::Cancel,
        DossierAction::Close,
    ] {
        assert!(
            svc.act(&administration(), &d.id, action, Some("x"))
                .await
                .is_err()
        );
        assert!(
            svc.act(&provider(), &d.id, action, Some("x"))
                .await
                .is_err()
        );
    }
    assert_eq!(
        svc.get(&provider(), &d.id).await.expect("get").version,
        cancelled.version,
        "refusals change nothing"
    );
    app.close().await;
}

async fn any_dossier_duplicates_into_a_new_01(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 2), 9);
    let app = app(db, &clock).await;
    let svc = app.dossiers();
    let d = svc.create(&provider(), &cyber()).await.expect("create");
    svc.act(&provider(), &d.id, DossierAction::Submit, None)
        .await
        .expect("submit");
    svc.act(&administration(), &d.id, DossierAction::Take, None)
        .await
        .expect("take");
    let refused = svc
        .act(
            &administration(),
            &d.id,
            DossierAction::Refuse,
            Some("incomplete"),
        )
        .await
        .expect("refuse");
    assert_eq!(refused.status, DossierStatus::Refused);
    let copy = svc.duplicate(&provider(), &d.id).await.expect("duplicate");
    assert_eq!(copy.status, DossierStatus::BeingIntroduced);
    assert_eq!(copy.duplicated_from.as_deref(), Some(d.id.as_str()));
    assert_eq!(copy.competences, refused.competences);
    assert_eq!(copy.decision_note, None);
    assert_ne!(copy.reference, d.reference);
    assert_eq!(
        svc.get(&provider(), &d.id).await.expect("source").status,
        DossierStatus::Refused,
        "source unchanged"
    );
    assert!(matches!(
        svc.duplicate(&other_provider(), &d.id).await,
        Err(DossierError::NotFound)
    ));
    assert!(
        matches!(
            svc.duplicate(&administration(), &d.id).await,
            Err(DossierError::Forbidden(_))
        ),
        "only its provider"
    );
    svc.delete(&provider(), &copy.id)
        .await
        .expect("the copy is a 01: deletable");
    let listed = svc.list(&other_provider()).await.expect("list");
    assert!(listed.is_empty(), "another provider sees nothing");
    assert_eq!(svc.list(&administration()).await.expect("list").len(), 1);
    app.close().await;
}

db_tests!(
    introduce_edit_submit_process,
    delete_only_in_01_cancel_only_in_03,
    any_dossier_duplicates_into_a_new_01,
);
