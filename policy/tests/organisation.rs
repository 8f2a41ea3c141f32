//! What main managers change in their organisation: the common name, a service's label,
//! closing a service. Each is refused to anyone else (a legal representative who is not
//! a main manager, a local manager, another structure's manager), audited, and closing
//! waits until nobody holds anything in the service.

mod common;

use common::*;
use policy::grants::GrantRequest;
use policy::{AuditQuery, PolicyError, Subject};

async fn only_main_managers_rename(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    for who in ["rep", "local", "mainb", "stranger"] {
        let r = p.rename_structure(&act(who), &w.a.id, "New name").await;
        assert!(
            matches!(r, Err(PolicyError::Forbidden { .. })),
            "{who}: {r:?}"
        );
        let r = p
            .rename_service(&act(who), &w.a.id, &w.a1.id, "New label")
            .await;
        assert!(
            matches!(r, Err(PolicyError::Forbidden { .. })),
            "{who}: {r:?}"
        );
    }
    assert_eq!(
        p.structure(&w.a.id).await.expect("a").common_name,
        "Acme SA"
    );
    let r = p.rename_structure(&act("main"), &w.a.id, "=cmd").await;
    assert!(matches!(r, Err(PolicyError::Invalid(_))), "{r:?}");
    let s = p
        .rename_structure(&act("main"), &w.a.id, " Acme Cleaning ")
        .await
        .expect("rename");
    assert_eq!(s.common_name, "Acme Cleaning");
    assert_eq!(s.legal_name, "Acme SA");
    assert_eq!(
        p.structure(&w.a.id).await.expect("a").common_name,
        "Acme Cleaning"
    );
    // Every node's copy follows (the assertion shows the common name).
    assert_eq!(
        p.structure_info(w.a.id.as_str())
            .expect("in memory")
            .common_name,
        "Acme Cleaning"
    );
    // A service of another structure is not found through this one.
    let r = p
        .rename_service(&act("main"), &w.a.id, &w.b1.id, "Mine")
        .await;
    assert!(matches!(r, Err(PolicyError::NotFound { .. })), "{r:?}");
    let sv = p
        .rename_service(&act("main"), &w.a.id, &w.a2.id, "Namur centre")
        .await
        .expect("relabel");
    assert_eq!(sv.label, "Namur centre");
    let log = p
        .audit()
        .query(&AuditQuery {
            structure: Some(w.a.id.clone()),
            ..AuditQuery::default()
        })
        .await
        .expect("audit");
    for action in ["structure.rename", "service.rename"] {
        assert!(
            log.iter().any(|r| r.event.action == action
                && r.event.actor.as_ref().is_some_and(|a| a.0 == "main")),
            "{action} not audited"
        );
    }
}

async fn a_service_closes_once_nobody_holds_anything_there(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    // a1 has a local manager: refused, and a local manager cannot close anyway.
    let r = p.close_service(&act("local"), &w.a.id, &w.a2.id).await;
    assert!(matches!(r, Err(PolicyError::Forbidden { .. })), "{r:?}");
    let r = p.close_service(&act("main"), &w.a.id, &w.a1.id).await;
    assert!(matches!(r, Err(PolicyError::Conflict(_))), "{r:?}");
    // a2 has a valid grant: refused until it is revoked.
    let g = p
        .grant(
            &act("main"),
            &GrantRequest {
                structure: w.a.id.clone(),
                subject: Subject::User(user("emp")),
                right: w.read.id.clone(),
                scope: services(&[&w.a2]),
                valid_until: None,
            },
        )
        .await
        .expect("grant");
    let r = p.close_service(&act("main"), &w.a.id, &w.a2.id).await;
    assert!(matches!(r, Err(PolicyError::Conflict(_))), "{r:?}");
    assert_eq!(p.services(&w.a.id).await.expect("list").len(), 2);
    p.revoke(&act("main"), &g.id).await.expect("revoke");
    p.close_service(&act("main"), &w.a.id, &w.a2.id)
        .await
        .expect("close");
    // Offered nowhere any more: the list, a new grant's scope, a second close.
    let open = p.services(&w.a.id).await.expect("list");
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].id, w.a1.id);
    let r = p
        .grant(
            &act("main"),
            &GrantRequest {
                structure: w.a.id.clone(),
                subject: Subject::User(user("emp")),
                right: w.read.id.clone(),
                scope: services(&[&w.a2]),
                valid_until: None,
            },
        )
        .await;
    assert!(matches!(r, Err(PolicyError::NotFound { .. })), "{r:?}");
    let r = p.close_service(&act("main"), &w.a.id, &w.a2.id).await;
    assert!(matches!(r, Err(PolicyError::NotFound { .. })), "{r:?}");
    // Its name is still known for the history.
    let names = p.service_names(&act("main"), &w.a.id).await.expect("names");
    assert!(names.contains_key(&w.a2.id));
}

async fn masked_numbers_are_kept_for_pending_designations(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    let (n, _) = nrn(40);
    let hash = p
        .remember_masked_number(&n, NRN_KEY)
        .await
        .expect("remember");
    assert_eq!(hash, n.keyed_hash(NRN_KEY));
    p.remember_masked_number(&n, NRN_KEY)
        .await
        .expect("twice is fine");
    p.designate_main_manager(&act("rep"), &w.a.id, &Subject::Pending(hash.clone()))
        .await
        .expect("designate");
    let rep = nrn_hash(1);
    let masks = p.masked_numbers(&[&hash, &rep]).await.expect("masks");
    assert_eq!(masks.get(&hash), Some(&n.masked()));
    assert_eq!(masks.get(&rep), Some(&nrn(1).0.masked()));
}

db_tests!(
    only_main_managers_rename,
    a_service_closes_once_nobody_holds_anything_there,
    masked_numbers_are_kept_for_pending_designations,
);
