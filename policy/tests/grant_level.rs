//! Changing a grant's access level: another level of the same application, authorised
//! as revoking the grant and granting the new level, in one audited transaction, and
//! enforced at once.

mod common;

use common::*;
use policy::grants::GrantRequest;
use policy::{PolicyError, Subject};

async fn a_level_changes_within_its_application_for_those_who_could_grant_it(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    let g = p
        .grant(
            &act("main"),
            &GrantRequest {
                structure: w.a.id.clone(),
                subject: Subject::User(user("emp")),
                right: w.read.id.clone(),
                scope: services(&[&w.a1]),
                valid_until: None,
            },
        )
        .await
        .expect("grant");
    // The local manager of a1 holds no right there; another structure's manager and a
    // legal representative manage nothing here.
    for who in ["local", "mainb", "rep"] {
        let r = p.change_level(&act(who), &g.id, &w.modify.id).await;
        assert!(
            matches!(r, Err(PolicyError::Forbidden { .. })),
            "{who}: {r:?}"
        );
    }
    let r = p.change_level(&act("main"), &g.id, &w.invoices.id).await;
    assert!(matches!(r, Err(PolicyError::Invalid(_))), "{r:?}");
    let r = p.change_level(&act("main"), &g.id, &w.read.id).await;
    assert!(matches!(r, Err(PolicyError::Conflict(_))), "{r:?}");
    let a1 = ids(&[&w.a1]);
    let at = p.now_ms();
    assert!(!p.decide("emp", w.a.id.as_str(), &a1, "vouchers", "modify", at));
    let changed = p
        .change_level(&act("main"), &g.id, &w.modify.id)
        .await
        .expect("change");
    assert_eq!(changed.right.level, "modify");
    assert_eq!(changed.scope, g.scope);
    assert!(p.decide("emp", w.a.id.as_str(), &a1, "vouchers", "modify", at));
    assert!(!p.decide("emp", w.a.id.as_str(), &a1, "vouchers", "read", at));
    p.revoke(&act("main"), &g.id).await.expect("revoke");
    let r = p.change_level(&act("main"), &g.id, &w.read.id).await;
    assert!(matches!(r, Err(PolicyError::Conflict(_))), "{r:?}");
}

db_tests!(a_level_changes_within_its_application_for_those_who_could_grant_it);
