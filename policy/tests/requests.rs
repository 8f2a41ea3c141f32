//! Asking to be attached by enterprise number (the organisation may be new to the
//! platform), a manager detaching a member, and access requests (a person asks for a
//! right they miss; a manager grants it through the ordinary grant or refuses), on
//! SQLite and PostgreSQL.

mod common;

use common::*;
use policy::audit::{AuditQuery, actions};
use policy::{PolicyError, RequestStatus, Result};

db_tests!(asking_by_number_creates_a_pending_organisation_once,);

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
        .request_attachment_by_number(&act("emp"), &be_number(1), &[w.a1.id.clone()], "Liège")
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
    assert!(p.structure_by_number(&new_number).await.expect("lookup").is_none());
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
        p.request_attachment_by_number(&act("emp"), &be_number(78), &[w.a1.id.clone()], "x")
            .await,
        Err(PolicyError::Invalid(_))
    ));
    assert!(p.structure_by_number(&be_number(78)).await.expect("lookup").is_none());
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
