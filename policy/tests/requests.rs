//! Asking to be attached by enterprise number (the organisation may be new to the
//! platform), a manager detaching a member, and access requests (a person asks for a
//! right they miss; a manager grants it through the ordinary grant or refuses), on
//! SQLite and PostgreSQL.

mod common;

use common::*;
use policy::access::AccessRequestId;
use policy::audit::{AuditQuery, actions};
use policy::grants::GrantRequest;
use policy::{Actor, Clock, PolicyError, RequestStatus, Result, Scope, Subject};

db_tests!(
    asking_by_number_creates_a_pending_organisation_once,
    approving_with_a_chosen_scope_stays_within_the_decider,
    managers_detach_members_within_their_reach,
    access_requests_are_granted_through_the_ordinary_grant,
);

#[track_caller]
fn forbidden<T: std::fmt::Debug>(r: Result<T>) {
    match r {
        Err(PolicyError::Forbidden { .. }) => {}
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

async fn asking_by_number_creates_a_pending_organisation_once(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    // A known organisation: the request lands there, nothing created.
    let (r, created) = p
        .request_attachment_by_number(
            &act("emp"),
            &be_number(1),
            std::slice::from_ref(&w.a1.id),
            "Liège",
        )
        .await
        .expect("known number");
    assert!(!created);
    assert_eq!(r.structure_id, w.a.id);
    assert_eq!(r.scope, services(&[&w.a1]));
    assert!(p.pending_structures().await.expect("pending").is_empty());
    // The comment is mandatory; nothing is stored without it.
    let new_number = be_number(77);
    assert!(matches!(
        p.request_attachment_by_number(&act("emp"), &new_number, &[], "   ")
            .await,
        Err(PolicyError::Invalid(_))
    ));
    assert!(
        p.structure_by_number(&new_number)
            .await
            .expect("lookup")
            .is_none()
    );
    // An unknown one is created pending, from the number.
    let (r2, created) = p
        .request_attachment_by_number(&act("emp"), &new_number, &[], "I am the accountant")
        .await
        .expect("new number");
    assert!(created);
    assert_eq!(r2.status, RequestStatus::Pending);
    let s = p
        .structure_by_number(&new_number)
        .await
        .expect("lookup")
        .expect("created");
    assert_eq!(s.id, r2.structure_id);
    assert_eq!(s.legal_name, new_number.to_string());
    let pending = p.pending_structures().await.expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].0.id, s.id);
    // Asked again by another person: no second organisation.
    let (r3, created) = p
        .request_attachment_by_number(&act("other"), &new_number, &[], "Me too")
        .await
        .expect("second asker");
    assert!(!created);
    assert_eq!(r3.structure_id, s.id);
    // The same person twice: conflict.
    assert!(matches!(
        p.request_attachment_by_number(&act("emp"), &new_number, &[], "again")
            .await,
        Err(PolicyError::Conflict(_))
    ));
    // Services of a new organisation cannot be named.
    assert!(matches!(
        p.request_attachment_by_number(
            &act("emp"),
            &be_number(78),
            std::slice::from_ref(&w.a1.id),
            "x"
        )
        .await,
        Err(PolicyError::Invalid(_))
    ));
    assert!(
        p.structure_by_number(&be_number(78))
            .await
            .expect("lookup")
            .is_none()
    );
    // The operator does not ask for anybody.
    forbidden(
        p.request_attachment_by_number(&policy::Actor::operator(), &be_number(79), &[], "x")
            .await,
    );
    // Audited: the creation and the request.
    let events = p
        .audit()
        .query(&AuditQuery {
            structure: Some(s.id.clone()),
            ..AuditQuery::default()
        })
        .await
        .expect("audit");
    let names: Vec<&str> = events.iter().map(|e| e.event.action.as_str()).collect();
    assert!(names.contains(&actions::STRUCTURE_CREATE), "{names:?}");
    assert!(names.contains(&actions::ATTACHMENT_REQUEST), "{names:?}");
    // A register import naming it ends the pending state.
    let (_, rep) = nrn(9);
    let csv = format!(
        "enterprise_number;organisation_name;function;national_number;start_date\n\
         {};Newco SRL;Gérant;{rep};2024-01-01\n",
        new_number.stored()
    );
    p.import_representatives(&policy::Actor::operator(), &csv, NRN_KEY)
        .await
        .expect("import");
    assert!(p.pending_structures().await.expect("pending").is_empty());
    let s = p.structure(&s.id).await.expect("structure");
    assert_eq!(s.legal_name, "Newco SRL");
}

async fn approving_with_a_chosen_scope_stays_within_the_decider(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    let r = p
        .request_attachment(&act("emp"), &w.a.id, &services(&[&w.a1, &w.a2]), "both")
        .await
        .expect("ask");
    // The local manager of a1 can decide neither the request as asked nor a wider one.
    forbidden(
        p.approve_attachment_request(&act("local"), &r.id, &services(&[&w.a1]), None)
            .await,
    );
    forbidden(
        p.approve_attachment_request(&act("emp"), &r.id, &services(&[&w.a1]), None)
            .await,
    );
    forbidden(
        p.approve_attachment_request(&act("mainb"), &r.id, &services(&[&w.a1]), None)
            .await,
    );
    assert!(
        p.attachment(&w.a.id, &user("emp"))
            .await
            .expect("a")
            .is_none()
    );
    // A service of another structure is refused.
    assert!(
        p.approve_attachment_request(&act("main"), &r.id, &services(&[&w.b1]), None)
            .await
            .is_err()
    );
    let done = p
        .approve_attachment_request(&act("main"), &r.id, &services(&[&w.a2]), None)
        .await
        .expect("main approves a2 only");
    assert_eq!(done.status, RequestStatus::Approved);
    let att = p
        .attachment(&w.a.id, &user("emp"))
        .await
        .expect("a")
        .expect("attached");
    assert_eq!(att.scope, services(&[&w.a2]));
    // A local manager approves inside their service only.
    let r = p
        .request_attachment(&act("emp2"), &w.a.id, &services(&[&w.a1]), "a1")
        .await
        .expect("ask");
    forbidden(
        p.approve_attachment_request(&act("local"), &r.id, &Scope::Structure, None)
            .await,
    );
    p.approve_attachment_request(&act("local"), &r.id, &services(&[&w.a1]), None)
        .await
        .expect("inside a1");
}

async fn managers_detach_members_within_their_reach(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    let op = Actor::operator();
    for (who, scope) in [("emp1", services(&[&w.a1])), ("emp2", services(&[&w.a2]))] {
        p.grant(
            &op,
            &GrantRequest {
                structure: w.a.id.clone(),
                subject: Subject::User(user(who)),
                right: w.read.id.clone(),
                scope,
                valid_until: None,
            },
        )
        .await
        .expect("grant");
    }
    // Not oneself, not another structure's manager, not a local manager outside their
    // services, not the representative who manages nobody.
    forbidden(p.detach_member(&act("emp1"), &w.a.id, &user("emp1")).await);
    forbidden(p.detach_member(&act("emp1"), &w.a.id, &user("emp2")).await);
    forbidden(p.detach_member(&act("mainb"), &w.a.id, &user("emp1")).await);
    forbidden(p.detach_member(&act("local"), &w.a.id, &user("emp2")).await);
    forbidden(p.detach_member(&act("rep"), &w.a.id, &user("emp2")).await);
    assert!(
        p.attachment(&w.a.id, &user("emp2"))
            .await
            .expect("a")
            .is_some()
    );
    // The local manager of a1 detaches emp1; the main manager emp2; grants go.
    p.detach_member(&act("local"), &w.a.id, &user("emp1"))
        .await
        .expect("local detaches inside a1");
    p.detach_member(&act("main"), &w.a.id, &user("emp2"))
        .await
        .expect("main detaches");
    for who in ["emp1", "emp2"] {
        assert!(
            p.attachment(&w.a.id, &user(who))
                .await
                .expect("a")
                .is_none()
        );
        assert!(p.grants_of(&user(who)).await.expect("g").is_empty());
    }
    let now = ctx.clock.now_ms();
    assert!(!p.decide(
        "emp1",
        w.a.id.as_str(),
        &ids(&[&w.a1]),
        "vouchers",
        "read",
        now
    ));
    // The last main manager stays.
    assert!(matches!(
        p.detach_member(&op, &w.a.id, &user("main")).await,
        Err(PolicyError::LastMainManager)
    ));
    // Not attached: not found.
    assert!(matches!(
        p.detach_member(&act("main"), &w.a.id, &user("nobody"))
            .await,
        Err(PolicyError::NotFound { .. })
    ));
}

async fn access_requests_are_granted_through_the_ordinary_grant(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    let op = Actor::operator();
    // Not attached: ask to be attached first.
    forbidden(
        p.request_access(&act("emp"), &w.a.id, "vouchers", "read", None)
            .await,
    );
    let r = p
        .request_attachment(&act("emp"), &w.a.id, &services(&[&w.a1]), "a1")
        .await
        .expect("ask");
    p.decide_attachment_request(
        &act("main"),
        &r.id,
        &policy::Decision::Approve { reason: None },
    )
    .await
    .expect("attach");
    assert!(matches!(
        p.request_access(&act("emp"), &w.a.id, "vouchers", "nope", None)
            .await,
        Err(PolicyError::NotFound { .. })
    ));
    let asked = p
        .request_access(
            &act("emp"),
            &w.a.id,
            "vouchers",
            "read",
            Some("for the books"),
        )
        .await
        .expect("ask access");
    assert!(matches!(
        p.request_access(&act("emp"), &w.a.id, "vouchers", "read", None)
            .await,
        Err(PolicyError::Conflict(_))
    ));
    // Another right, or later, another request: allowed.
    p.request_access(&act("emp"), &w.a.id, "vouchers", "modify", None)
        .await
        .expect("another right");
    // Who is named as able to grant: A's main manager and a1's local manager.
    let granters = p
        .access_granters(&w.a.id, &user("emp"))
        .await
        .expect("granters");
    assert!(granters.contains(&user("main")), "{granters:?}");
    assert!(granters.contains(&user("local")), "{granters:?}");
    assert!(!granters.contains(&user("mainb")));
    // Who sees it: A's managers, not B's.
    assert_eq!(
        p.access_requests(&act("main"), &w.a.id)
            .await
            .expect("list")
            .len(),
        2
    );
    assert_eq!(
        p.access_requests(&act("local"), &w.a.id)
            .await
            .expect("list")
            .len(),
        2
    );
    forbidden(p.access_requests(&act("mainb"), &w.a.id).await);
    forbidden(p.access_requests(&act("emp"), &w.a.id).await);
    // Who may not grant: the requester, B's manager, the local manager without the right.
    let scope = services(&[&w.a1]);
    forbidden(
        p.grant_access_request(&act("emp"), &asked.id, &scope, None)
            .await,
    );
    forbidden(
        p.grant_access_request(&act("mainb"), &asked.id, &scope, None)
            .await,
    );
    forbidden(
        p.grant_access_request(&act("local"), &asked.id, &scope, None)
            .await,
    );
    assert!(p.grants_of(&user("emp")).await.expect("g").is_empty());
    let until = ctx.clock.now_ms() + 86_400_000;
    let (done, grant) = p
        .grant_access_request(&act("main"), &asked.id, &scope, Some(until))
        .await
        .expect("main grants");
    assert_eq!(done.status, RequestStatus::Approved);
    assert_eq!(done.grant_id.as_ref(), Some(&grant.id));
    assert_eq!(grant.valid_until, Some(until));
    let now = ctx.clock.now_ms();
    assert!(p.decide(
        "emp",
        w.a.id.as_str(),
        &ids(&[&w.a1]),
        "vouchers",
        "read",
        now
    ));
    assert!(matches!(
        p.grant_access_request(&act("main"), &asked.id, &scope, None)
            .await,
        Err(PolicyError::Conflict(_))
    ));
    // Granted, it no longer blocks a new request; refusing needs a reason.
    let other = p
        .my_access_requests(&user("emp"))
        .await
        .expect("mine")
        .into_iter()
        .find(|r| r.status == RequestStatus::Pending)
        .expect("modify request");
    assert!(matches!(
        p.refuse_access_request(&act("main"), &other.id, " ").await,
        Err(PolicyError::Invalid(_))
    ));
    forbidden(p.refuse_access_request(&act("emp"), &other.id, "no").await);
    let refused = p
        .refuse_access_request(&act("main"), &other.id, "not for you")
        .await
        .expect("refuse");
    assert_eq!(refused.status, RequestStatus::Rejected);
    assert!(matches!(
        p.access_request(&act("main"), &AccessRequestId::from("missing"))
            .await,
        Err(PolicyError::NotFound { .. })
    ));
    let events = p
        .audit()
        .query(&AuditQuery {
            structure: Some(w.a.id.clone()),
            ..AuditQuery::default()
        })
        .await
        .expect("audit");
    let names: Vec<&str> = events.iter().map(|e| e.event.action.as_str()).collect();
    for action in [
        actions::ACCESS_REQUEST,
        actions::ACCESS_GRANT,
        actions::ACCESS_REFUSE,
    ] {
        assert!(names.contains(&action), "{action}: {names:?}");
    }
    let _ = op;
}
