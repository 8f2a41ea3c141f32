//! The policy suite, run on SQLite and on PostgreSQL: model rules, escalation attempts,
//! expiry with an injected clock, the register import, attachment requests, the audit
//! log's immutability, casbin/index agreement, and propagation to another node.

mod common;

use std::time::Duration;

use common::*;
use policy::audit::{AuditEvent, AuditQuery, actions};
use policy::casbin_model::casbin_decide;
use policy::grants::GrantRequest;
use policy::{Actor, Decision, Policy, PolicyError, RequestStatus, Result, Scope, Subject, UserId};

db_tests!(
    representative_designates_and_pending_becomes_effective,
    grant_decide_revoke_and_structures_of,
    manager_of_a_cannot_touch_b,
    local_manager_stays_in_their_services,
    nobody_grants_what_they_cannot_exercise,
    last_main_manager_cannot_leave,
    grant_expires_at_valid_until,
    import_reports_bad_lines_and_is_idempotent,
    import_refuses_a_bad_header_and_renames_on_reimport,
    catalogue_follows_the_configuration,
    attachment_requests_flow,
    detach_narrows_or_removes_rights,
    audit_log_is_append_only_and_queryable,
    casbin_and_index_agree_on_a_stored_model,
    change_reaches_another_node,
    search_structures_by_number_and_name,
    find_structures_by_kind_status_and_page,
);

#[track_caller]
fn forbidden<T: std::fmt::Debug>(r: Result<T>) {
    match r {
        Err(PolicyError::Forbidden { .. }) => {}
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

fn req(
    w: &World,
    structure: &policy::Structure,
    who: &str,
    right: &policy::Right,
    scope: Scope,
    until: Option<i64>,
) -> GrantRequest {
    let _ = w;
    GrantRequest {
        structure: structure.id.clone(),
        subject: Subject::User(user(who)),
        right: right.id.clone(),
        scope,
        valid_until: until,
    }
}

fn d(
    p: &Policy,
    who: &str,
    s: &policy::Structure,
    svcs: &[String],
    app: &str,
    level: &str,
    now: i64,
) -> bool {
    p.decide(who, s.id.as_str(), svcs, app, level, now)
}

async fn representative_designates_and_pending_becomes_effective(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    let reps = p
        .represented_structures(&user("rep"))
        .await
        .expect("represented");
    assert_eq!(reps.iter().map(|s| &s.id).collect::<Vec<_>>(), [&w.a.id]);

    forbidden(
        p.designate_main_manager(&act("emp"), &w.a.id, &Subject::User(user("emp")))
            .await,
    );
    forbidden(
        p.designate_main_manager(&act("repb"), &w.a.id, &Subject::User(user("repb")))
            .await,
    );

    let pending = p
        .designate_main_manager(&act("rep"), &w.a.id, &Subject::Pending(nrn_hash(7)))
        .await
        .expect("pending designation");
    assert_eq!(pending.subject, Subject::Pending(nrn_hash(7)));
    // Not effective before the first login.
    forbidden(
        p.grant(
            &act("newbie"),
            &req(&w, &w.a, "emp", &w.read, Scope::Structure, None),
        )
        .await,
    );
    assert!(
        p.structures_of("newbie")
            .await
            .expect("structures")
            .is_empty()
    );

    let effects = p
        .on_login(&user("newbie"), Some(&nrn_hash(7)))
        .await
        .expect("login");
    assert!(effects.newly_linked);
    assert_eq!(effects.main_managers, 1);
    let mine = p.structures_of("newbie").await.expect("structures");
    assert_eq!(mine.len(), 1);
    assert!(mine[0].whole_structure);
    assert_eq!(mine[0].common_name, "Acme SA");
    assert_eq!(mine[0].services.len(), 2);
    p.grant(
        &act("newbie"),
        &req(&w, &w.a, "emp", &w.read, Scope::Structure, None),
    )
    .await
    .expect("effective main manager grants");
    // Second login: nothing new.
    let again = p
        .on_login(&user("newbie"), Some(&nrn_hash(7)))
        .await
        .expect("login");
    assert_eq!(again, policy::identities::LoginEffects::default());
    // The same national number on another account is not moved.
    let other = p
        .on_login(&user("intruder"), Some(&nrn_hash(7)))
        .await
        .expect("login");
    assert!(!other.newly_linked);
    assert!(
        p.structures_of("intruder")
            .await
            .expect("structures")
            .is_empty()
    );

    // A national number already linked resolves to the account.
    let by_nrn = p
        .designate_main_manager(&act("rep"), &w.a.id, &Subject::Pending(nrn_hash(2)))
        .await
        .expect("designate by nrn");
    assert_eq!(by_nrn.subject, Subject::User(user("repb")));
    assert!(matches!(
        p.designate_main_manager(&act("rep"), &w.a.id, &Subject::User(user("repb")))
            .await,
        Err(PolicyError::Conflict(_))
    ));
    // A main manager designates too (their replacement).
    p.designate_main_manager(&act("main"), &w.a.id, &Subject::User(user("main2")))
        .await
        .expect("main designates");

    let reps = p
        .representatives(&act("main"), &w.a.id)
        .await
        .expect("representatives");
    assert_eq!(reps.len(), 1);
    assert_eq!(reps[0].nrn_masked, nrn(1).0.masked());
    assert_eq!(reps[0].user_id, Some(user("rep")));
    assert_eq!(reps[0].function, "Administrateur");
    let mains = p.main_managers(&act("rep"), &w.a.id).await.expect("list");
    assert_eq!(mains.len(), 4);
}

async fn grant_decide_revoke_and_structures_of(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    let g = p
        .grant(
            &act("main"),
            &req(&w, &w.a, "emp", &w.read, Scope::Structure, None),
        )
        .await
        .expect("grant");
    assert!(d(&p, "emp", &w.a, &[], "vouchers", "read", T0));
    assert!(d(
        &p,
        "emp",
        &w.a,
        &ids(&[&w.a1, &w.a2]),
        "vouchers",
        "read",
        T0
    ));
    assert!(!d(&p, "emp", &w.a, &[], "vouchers", "modify", T0));
    assert!(!d(&p, "emp", &w.b, &[], "vouchers", "read", T0));
    assert_eq!(
        p.rights("emp", w.a.id.as_str(), &[], "vouchers", T0),
        ["read"]
    );
    let mine = p.structures_of("emp").await.expect("structures");
    assert_eq!(mine.len(), 1);
    assert!(mine[0].whole_structure);
    assert_eq!(mine[0].enterprise_number, w.a.enterprise_number);

    p.grant(
        &act("main"),
        &req(&w, &w.a, "emp2", &w.modify, services(&[&w.a2]), None),
    )
    .await
    .expect("service grant");
    assert!(d(
        &p,
        "emp2",
        &w.a,
        &ids(&[&w.a2]),
        "vouchers",
        "modify",
        T0
    ));
    assert!(!d(&p, "emp2", &w.a, &[], "vouchers", "modify", T0));
    assert!(!d(
        &p,
        "emp2",
        &w.a,
        &ids(&[&w.a1]),
        "vouchers",
        "modify",
        T0
    ));
    assert!(!d(
        &p,
        "emp2",
        &w.a,
        &ids(&[&w.a1, &w.a2]),
        "vouchers",
        "modify",
        T0
    ));
    let mine = p.structures_of("emp2").await.expect("structures");
    assert!(!mine[0].whole_structure);
    assert_eq!(
        mine[0].services.iter().map(|s| &s.id).collect::<Vec<_>>(),
        [&w.a2.id]
    );

    let revoked = p.revoke(&act("main"), &g.id).await.expect("revoke");
    assert!(revoked.revoked_at.is_some());
    assert!(!d(&p, "emp", &w.a, &[], "vouchers", "read", T0));
    assert!(p.grants_of(&user("emp")).await.expect("grants").is_empty());
    assert!(matches!(
        p.revoke(&act("main"), &g.id).await,
        Err(PolicyError::Conflict(_))
    ));

    // A grant to someone who never logged in works from their first login.
    p.grant(
        &act("main"),
        &GrantRequest {
            structure: w.a.id.clone(),
            subject: Subject::Pending(nrn_hash(9)),
            right: w.invoices.id.clone(),
            scope: services(&[&w.a1]),
            valid_until: None,
        },
    )
    .await
    .expect("pending grant");
    assert!(!d(&p, "emp9", &w.a, &ids(&[&w.a1]), "invoices", "read", T0));
    let effects = p
        .on_login(&user("emp9"), Some(&nrn_hash(9)))
        .await
        .expect("login");
    assert_eq!(effects.grants, 1);
    assert!(d(&p, "emp9", &w.a, &ids(&[&w.a1]), "invoices", "read", T0));
    assert_eq!(p.structures_of("emp9").await.expect("structures").len(), 1);
    let listed = p.grants_in(&act("main"), &w.a.id).await.expect("grants_in");
    assert_eq!(listed.len(), 2);
}

async fn manager_of_a_cannot_touch_b(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    forbidden(
        p.grant(
            &act("main"),
            &req(&w, &w.b, "emp", &w.read, Scope::Structure, None),
        )
        .await,
    );
    forbidden(
        p.grant(
            &act("main"),
            &req(&w, &w.b, "main", &w.read, services(&[&w.b1]), None),
        )
        .await,
    );
    forbidden(p.grants_in(&act("main"), &w.b.id).await);
    forbidden(p.main_managers(&act("main"), &w.b.id).await);
    forbidden(p.local_managers(&act("main"), &w.b.id).await);
    forbidden(p.members(&act("main"), &w.b.id).await);
    forbidden(p.representatives(&act("main"), &w.b.id).await);
    forbidden(p.attachment_requests(&act("main"), &w.b.id, None).await);
    forbidden(p.create_service(&act("main"), &w.b.id, "x", "X").await);
    forbidden(
        p.designate_local_manager(
            &act("main"),
            &w.b.id,
            &w.b1.id,
            &Subject::User(user("main")),
        )
        .await,
    );
    forbidden(
        p.designate_main_manager(&act("main"), &w.b.id, &Subject::User(user("main")))
            .await,
    );
    forbidden(
        p.remove_main_manager(&act("main"), &w.b.id, &Subject::User(user("mainb")))
            .await,
    );
    forbidden(p.may_read(&act("main"), &w.b.id).await);
    // A's services do not exist in B, nor B's in A.
    assert!(matches!(
        p.grant(
            &act("main"),
            &req(&w, &w.a, "emp", &w.read, services(&[&w.b1]), None)
        )
        .await,
        Err(PolicyError::NotFound { .. })
    ));
    let gb = p
        .grant(
            &act("mainb"),
            &req(&w, &w.b, "emp", &w.read, Scope::Structure, None),
        )
        .await
        .expect("grant in B");
    forbidden(p.revoke(&act("main"), &gb.id).await);
    forbidden(p.renew(&act("main"), &gb.id, Some(T0 + 1000)).await);
    forbidden(p.revoke(&act("local"), &gb.id).await);
    let r = p
        .request_attachment(&act("emp7"), &w.b.id, &Scope::Structure, "please")
        .await
        .expect("request B");
    forbidden(
        p.decide_attachment_request(&act("main"), &r.id, &Decision::Approve { reason: None })
            .await,
    );
    forbidden(p.may_decide_request(&act("local"), &r.id).await);
    // Platform-only actions refuse people.
    forbidden(
        p.create_structure(&act("main"), &be_number(50), "X", "X")
            .await,
    );
    forbidden(p.define_right(&act("main"), "x", "y", "X").await);
    forbidden(p.import_representatives(&act("main"), "", NRN_KEY).await);
    // Nothing of the refused actions reached B.
    assert_eq!(
        p.grants_in(&act("mainb"), &w.b.id)
            .await
            .expect("list")
            .len(),
        1
    );
}

async fn local_manager_stays_in_their_services(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    p.grant(
        &act("main"),
        &req(&w, &w.a, "local", &w.read, services(&[&w.a1]), None),
    )
    .await
    .expect("local gets read on a1");
    p.grant(
        &act("main"),
        &req(&w, &w.a, "local", &w.modify, Scope::Structure, None),
    )
    .await
    .expect("local gets modify on A");
    let ok = p
        .grant(
            &act("local"),
            &req(&w, &w.a, "emp", &w.read, services(&[&w.a1]), None),
        )
        .await
        .expect("local grants inside a1");
    forbidden(
        p.grant(
            &act("local"),
            &req(&w, &w.a, "emp", &w.read, Scope::Structure, None),
        )
        .await,
    );
    forbidden(
        p.grant(
            &act("local"),
            &req(&w, &w.a, "emp", &w.modify, Scope::Structure, None),
        )
        .await,
    );
    forbidden(
        p.grant(
            &act("local"),
            &req(&w, &w.a, "emp", &w.read, services(&[&w.a2]), None),
        )
        .await,
    );
    forbidden(
        p.grant(
            &act("local"),
            &req(&w, &w.a, "emp", &w.read, services(&[&w.a1, &w.a2]), None),
        )
        .await,
    );
    p.grant(
        &act("local"),
        &req(&w, &w.a, "emp", &w.modify, services(&[&w.a1]), None),
    )
    .await
    .expect("whole-structure right covers a1");
    let by_main = p
        .grant(
            &act("main"),
            &req(&w, &w.a, "emp", &w.invoices, Scope::Structure, None),
        )
        .await
        .expect("main grants");
    forbidden(p.revoke(&act("local"), &by_main.id).await);
    p.revoke(&act("local"), &ok.id)
        .await
        .expect("local revokes inside a1");
    forbidden(
        p.designate_local_manager(
            &act("local"),
            &w.a.id,
            &w.a2.id,
            &Subject::User(user("emp")),
        )
        .await,
    );
    forbidden(
        p.designate_main_manager(&act("local"), &w.a.id, &Subject::User(user("local")))
            .await,
    );
    forbidden(p.create_service(&act("local"), &w.a.id, "a3", "A3").await);
    let seen = p
        .grants_in(&act("local"), &w.a.id)
        .await
        .expect("local reads");
    assert!(
        seen.iter()
            .all(|g| matches!(&g.scope, Scope::Services(s) if s.contains(&w.a1.id)))
    );
    assert!(!seen.is_empty());
    assert_eq!(
        p.may_read(&act("local"), &w.a.id).await.expect("scope"),
        policy::ManagerScope::Services([w.a1.id.clone()].into_iter().collect())
    );
}

async fn nobody_grants_what_they_cannot_exercise(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    let until = T0 + 10_000;
    match p
        .grant(
            &act("local"),
            &req(&w, &w.a, "emp", &w.read, services(&[&w.a1]), None),
        )
        .await
    {
        Err(PolicyError::Forbidden { reason }) => assert!(reason.contains("could not exercise")),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    p.grant(
        &act("main"),
        &req(&w, &w.a, "local", &w.read, services(&[&w.a1]), Some(until)),
    )
    .await
    .expect("local gets a limited right");
    forbidden(
        p.grant(
            &act("local"),
            &req(&w, &w.a, "emp", &w.read, services(&[&w.a1]), None),
        )
        .await,
    );
    forbidden(
        p.grant(
            &act("local"),
            &req(
                &w,
                &w.a,
                "emp",
                &w.read,
                services(&[&w.a1]),
                Some(until + 1),
            ),
        )
        .await,
    );
    forbidden(
        p.grant(
            &act("local"),
            &req(&w, &w.a, "emp", &w.invoices, services(&[&w.a1]), None),
        )
        .await,
    );
    let g = p
        .grant(
            &act("local"),
            &req(&w, &w.a, "emp", &w.read, services(&[&w.a1]), Some(until)),
        )
        .await
        .expect("within the granter's own validity");
    forbidden(p.renew(&act("local"), &g.id, None).await);
    forbidden(
        p.may_grant(
            &act("local"),
            &w.a.id,
            &w.read.id,
            &services(&[&w.a1]),
            Some(until + 5),
        )
        .await,
    );
    // Once the granter's own right expired, they cannot grant it any more.
    ctx.clock.set(until);
    forbidden(
        p.grant(
            &act("local"),
            &req(
                &w,
                &w.a,
                "emp2",
                &w.read,
                services(&[&w.a1]),
                Some(until + 5),
            ),
        )
        .await,
    );
    // Holding a right without managing gives nothing to grant.
    p.grant(
        &act("main"),
        &req(&w, &w.a, "emp3", &w.read, Scope::Structure, None),
    )
    .await
    .expect("grant");
    forbidden(
        p.grant(
            &act("emp3"),
            &req(&w, &w.a, "emp4", &w.read, Scope::Structure, None),
        )
        .await,
    );
}

async fn last_main_manager_cannot_leave(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    let main = Subject::User(user("main"));
    assert!(matches!(
        p.remove_main_manager(&act("main"), &w.a.id, &main).await,
        Err(PolicyError::LastMainManager)
    ));
    assert!(matches!(
        p.detach(&act("main"), &w.a.id, None).await,
        Err(PolicyError::LastMainManager)
    ));
    assert!(matches!(
        p.may_deactivate(&user("main")).await,
        Err(PolicyError::LastMainManager)
    ));
    let sole = p.sole_main_manager_of(&user("main")).await.expect("sole");
    assert_eq!(
        sole.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
        vec![w.a.id.clone()]
    );
    assert!(matches!(
        p.remove_main_manager(&act("rep"), &w.a.id, &main).await,
        Err(PolicyError::LastMainManager)
    ));
    // A pending designation is no replacement yet.
    p.designate_main_manager(&act("main"), &w.a.id, &Subject::Pending(nrn_hash(8)))
        .await
        .expect("pending");
    assert!(matches!(
        p.detach(&act("main"), &w.a.id, None).await,
        Err(PolicyError::LastMainManager)
    ));
    // A replacement with an account lets them go.
    p.designate_main_manager(&act("main"), &w.a.id, &Subject::User(user("main2")))
        .await
        .expect("replacement");
    p.may_deactivate(&user("main"))
        .await
        .expect("may deactivate now");
    assert!(
        p.sole_main_manager_of(&user("main"))
            .await
            .expect("sole")
            .is_empty()
    );
    p.remove_main_manager(&act("main"), &w.a.id, &main)
        .await
        .expect("resign");
    assert!(matches!(
        p.detach(&act("main2"), &w.a.id, None).await,
        Err(PolicyError::LastMainManager)
    ));
    p.designate_main_manager(&act("main2"), &w.a.id, &main)
        .await
        .expect("back");
    p.detach(&act("main"), &w.a.id, None).await.expect("leave");
    assert!(
        p.structures_of("main")
            .await
            .expect("structures")
            .is_empty()
    );
    forbidden(
        p.grant(
            &act("main"),
            &req(&w, &w.a, "emp", &w.read, Scope::Structure, None),
        )
        .await,
    );
}

async fn grant_expires_at_valid_until(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    let until = T0 + 60_000;
    let g = p
        .grant(
            &act("main"),
            &req(&w, &w.a, "emp", &w.read, Scope::Structure, Some(until)),
        )
        .await
        .expect("grant");
    assert!(d(&p, "emp", &w.a, &[], "vouchers", "read", T0));
    assert!(d(&p, "emp", &w.a, &[], "vouchers", "read", until - 1));
    // No reload in between: the decision itself checks valid_until.
    assert!(!d(&p, "emp", &w.a, &[], "vouchers", "read", until));
    assert!(
        p.rights("emp", w.a.id.as_str(), &[], "vouchers", until)
            .is_empty()
    );
    assert!(matches!(
        p.grant(
            &act("main"),
            &req(&w, &w.a, "emp", &w.read, Scope::Structure, Some(T0))
        )
        .await,
        Err(PolicyError::Invalid(_))
    ));
    // The compiled casbin model at that time no longer has the grant.
    let compiled = p.compile_casbin(until).await.expect("compile");
    assert!(compiled.g.iter().all(|line| line[0] != "emp"));
    ctx.clock.set(until);
    p.reload().await.expect("reload");
    assert_eq!(p.stats().entries, 0);
    // Renewed: works again.
    p.renew(&act("main"), &g.id, Some(until + 60_000))
        .await
        .expect("renew");
    assert!(d(&p, "emp", &w.a, &[], "vouchers", "read", until));
    assert!(!d(&p, "emp", &w.a, &[], "vouchers", "read", until + 60_000));
}

async fn import_reports_bad_lines_and_is_idempotent(ctx: Ctx) {
    let p = ctx.policy().await;
    let op = Actor::operator();
    let n = |i| be_number(i).stored().to_owned();
    let bad_nrn = "85073003327";
    let csv = format!(
        "enterprise_number;organisation_name;function;national_number;start_date\n\
         {};Initech SA;Administrateur;{};2019-05-01\n\
         0123.456.748;Bad Co;Gérant;{};2019-05-01\n\
         {};Half Co;Gérant;{bad_nrn};2019-05-01\n\
         {};Short;Gérant;{}\n\
         {};Dates SA;Gérant;{};31/02/2020\n\
         \n\
         \"{}\";\"Umbrella; Corp\";Administrateur délégué;{};01.03.2018\n\
         {};\"Oops;x;y;2020-01-01\n",
        n(10),
        nrn(10).1,
        nrn(11).1,
        n(11),
        n(12),
        nrn(12).1,
        n(13),
        nrn(13).1,
        n(14),
        nrn(14).1,
        n(15),
    );
    let report = p
        .import_representatives(&op, &csv, NRN_KEY)
        .await
        .expect("import");
    let lines: Vec<usize> = report.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4, 5, 6, 9], "{:?}", report.errors);
    assert_eq!(report.inserted, 2);
    assert_eq!(report.structures_created, 2);
    assert_eq!(report.lines, 7);
    for e in &report.errors {
        assert!(!e.reason.is_empty());
        assert!(
            !e.reason.contains(bad_nrn) && !e.reason.contains(&nrn(11).1),
            "{}",
            e.reason
        );
    }
    assert!(report.errors[1].reason.contains("national register number"));
    assert!(report.errors[2].reason.contains("5 fields"));
    // The bad line created nothing.
    assert!(
        p.structure_by_number(&be_number(11))
            .await
            .expect("lookup")
            .is_none()
    );
    let umbrella = p
        .structure_by_number(&be_number(14))
        .await
        .expect("lookup")
        .expect("created");
    assert_eq!(umbrella.legal_name, "Umbrella; Corp");

    let again = p
        .import_representatives(&op, &csv, NRN_KEY)
        .await
        .expect("again");
    assert_eq!(
        (again.inserted, again.unchanged, again.structures_created),
        (0, 2, 0)
    );
    assert_eq!(again.errors.len(), 5);

    let changed = csv.replace("2019-05-01\n", "2019-06-01\n");
    let third = p
        .import_representatives(&op, &changed, NRN_KEY)
        .await
        .expect("third");
    assert_eq!((third.inserted, third.updated, third.unchanged), (0, 1, 1));

    let events = p
        .audit()
        .query(&AuditQuery::default())
        .await
        .expect("audit");
    let imports = events
        .iter()
        .filter(|e| e.event.action == actions::REPRESENTATIVE_IMPORT)
        .count();
    assert_eq!(imports, 3);
    assert!(
        events
            .iter()
            .all(|e| !e.event.detail.to_string().contains(&nrn(10).1))
    );
}

/// The header is mandatory and names the columns; a missing, unknown, repeated or
/// ambiguous column (`name`), or a data line where the header should be, refuses the
/// whole file naming line 1 and creates nothing. Columns may come in any order. A
/// re-import with the organisation's name corrected renames it and says so.
async fn import_refuses_a_bad_header_and_renames_on_reimport(ctx: Ctx) {
    let p = ctx.policy().await;
    let op = Actor::operator();
    let number = be_number(30).stored().to_owned();
    let (_, rrn) = nrn(30);
    let data = format!("{number};Alice Dupont;Gérante;{rrn};2020-01-01\n");
    for header in [
        String::new(),
        "enterprise_number;name;function;national_number;start_date\n".to_owned(),
        "enterprise_number;organisation_name;function;national_number\n".to_owned(),
        "enterprise_number;organisation_name;function;national_number;start_date;x\n".to_owned(),
        "enterprise_number;organisation_name;function;function;start_date\n".to_owned(),
        "\"enterprise_number;organisation_name;function;national_number;start_date\n".to_owned(),
    ] {
        let err = p
            .import_representatives(&op, &format!("{header}{data}"), NRN_KEY)
            .await
            .expect_err(&header);
        let msg = err.to_string();
        assert!(matches!(err, PolicyError::Invalid(_)), "{header}: {msg}");
        assert!(msg.contains("line 1"), "{header}: {msg}");
        assert!(!msg.contains(&rrn), "{msg}");
    }
    assert!(
        p.structure_by_number(&be_number(30))
            .await
            .expect("lookup")
            .is_none(),
        "a refused file creates nothing"
    );
    // Any column order; the wrong name goes in first.
    let csv = |name: &str| {
        format!(
            "start_date,national_number,function,organisation_name,enterprise_number\n\
             2020-01-01,{rrn},Gérante,{name},{number}\n"
        )
    };
    let first = p
        .import_representatives(&op, &csv("Alice Dupont"), NRN_KEY)
        .await
        .expect("import");
    assert_eq!(
        (first.inserted, first.structures_created),
        (1, 1),
        "{first:?}"
    );
    let fixed = p
        .import_representatives(&op, &csv("Dupont Nettoyage SRL"), NRN_KEY)
        .await
        .expect("re-import");
    assert_eq!(
        (fixed.updated, fixed.unchanged, fixed.structures_renamed),
        (1, 0, 1),
        "{fixed:?}"
    );
    let s = p
        .structure_by_number(&be_number(30))
        .await
        .expect("lookup")
        .expect("known");
    assert_eq!(s.legal_name, "Dupont Nettoyage SRL");
    assert_eq!(
        s.common_name, "Dupont Nettoyage SRL",
        "it was the registered name"
    );
    let again = p
        .import_representatives(&op, &csv("Dupont Nettoyage SRL"), NRN_KEY)
        .await
        .expect("again");
    assert_eq!((again.updated, again.unchanged), (0, 1), "{again:?}");
    let events = p
        .audit()
        .query(&AuditQuery::default())
        .await
        .expect("audit");
    assert!(
        events
            .iter()
            .any(|e| e.event.action == actions::STRUCTURE_RENAME && e.event.target == s.id.0)
    );
}

/// The catalogue follows the configuration: added once (a second identical sync writes
/// nothing), relabelled, a level removed stops deciding while its grants are kept and
/// counted, and comes back with them; each change is an audit line.
async fn catalogue_follows_the_configuration(ctx: Ctx) {
    use policy::catalogue::CatalogueEntry;
    let p = ctx.policy().await;
    let op = Actor::operator();
    let w = world(&p).await;
    let right = |application: &str, level: &str, label: &str| CatalogueEntry {
        application: application.to_owned(),
        level: level.to_owned(),
        label: label.to_owned(),
    };
    // The world's own rights stay as they are.
    let world_rights = [
        right("vouchers", "read", "Vouchers / read"),
        right("vouchers", "modify", "Vouchers / modification"),
        right("invoices", "read", "Invoices issued / read"),
    ];
    let with_world = |tickets: &[CatalogueEntry]| {
        let mut all = world_rights.to_vec();
        all.extend_from_slice(tickets);
        all
    };
    let entry = |level: &str, label: &str| right("tickets", level, label);
    let both = with_world(&[
        entry("read", "Tickets / read"),
        entry("write", "Tickets / write"),
    ]);
    let first = p.sync_catalogue(&op, &both).await.expect("sync");
    assert_eq!(first.added, ["tickets/read", "tickets/write"]);
    let audit_len = || async {
        p.audit()
            .query(&AuditQuery::default())
            .await
            .expect("audit")
            .len()
    };
    let before = audit_len().await;
    let same = p.sync_catalogue(&op, &both).await.expect("again");
    assert!(!same.changed(), "{same:?}");
    assert_eq!(
        audit_len().await,
        before,
        "an idempotent sync writes nothing"
    );
    forbidden(p.sync_catalogue(&act("main"), &both).await);
    assert!(
        p.sync_catalogue(&op, &[entry("Read", "x")]).await.is_err(),
        "names are checked"
    );

    // A grant of tickets/write to Dana, then the level leaves the configuration.
    let write = p.right_by_name("tickets", "write").await.expect("right").id;
    let now = p.now_ms();
    let dana = UserId::from("dana");
    p.on_login(&dana, None).await.expect("login");
    let g = p
        .grant(
            &act("main"),
            &GrantRequest {
                structure: w.a.id.clone(),
                subject: Subject::User(dana.clone()),
                right: write.clone(),
                scope: Scope::Structure,
                valid_until: None,
            },
        )
        .await;
    if g.is_err() {
        // The world's main manager may not hold tickets rights: the operator grants.
        p.grant(
            &op,
            &GrantRequest {
                structure: w.a.id.clone(),
                subject: Subject::User(dana.clone()),
                right: write.clone(),
                scope: Scope::Structure,
                valid_until: None,
            },
        )
        .await
        .expect("grant");
    }
    assert!(p.decide(dana.as_str(), w.a.id.as_str(), &[], "tickets", "write", now));
    let relabel = with_world(&[entry("read", "Tickets / consultation")]);
    let narrowed = p.sync_catalogue(&op, &relabel).await.expect("narrow");
    assert_eq!(narrowed.relabelled, ["tickets/read"]);
    assert_eq!(narrowed.newly_retired, ["tickets/write"]);
    let kept = narrowed
        .retired
        .iter()
        .find(|r| r.application == "tickets" && r.level == "write")
        .expect("reported");
    assert_eq!(kept.grants_kept, 1);
    assert!(
        !p.decide(dana.as_str(), w.a.id.as_str(), &[], "tickets", "write", now),
        "a retired level decides nothing"
    );
    assert!(p.right_by_name("tickets", "write").await.is_err());
    assert!(
        p.catalogue()
            .await
            .expect("catalogue")
            .iter()
            .all(|r| r.level != "write" || r.application != "tickets")
    );
    let back = p.sync_catalogue(&op, &both).await.expect("restore");
    assert_eq!(back.restored, ["tickets/write"]);
    assert!(p.decide(dana.as_str(), w.a.id.as_str(), &[], "tickets", "write", now));
    let events = p
        .audit()
        .query(&AuditQuery::default())
        .await
        .expect("audit");
    for action in [
        actions::RIGHT_DEFINE,
        actions::RIGHT_RELABEL,
        actions::RIGHT_RETIRE,
        actions::RIGHT_RESTORE,
    ] {
        assert!(
            events.iter().any(|e| e.event.action == action),
            "{action} audited"
        );
    }
}

async fn attachment_requests_flow(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    assert!(matches!(
        p.request_attachment(&act("emp"), &w.a.id, &Scope::Structure, "  ")
            .await,
        Err(PolicyError::Invalid(_))
    ));
    let r = p
        .request_attachment(&act("emp"), &w.a.id, &services(&[&w.a1]), "I work in Liège")
        .await
        .expect("request");
    assert!(matches!(
        p.request_attachment(&act("emp"), &w.a.id, &Scope::Structure, "again")
            .await,
        Err(PolicyError::Conflict(_))
    ));
    forbidden(
        p.decide_attachment_request(&act("mainb"), &r.id, &Decision::Approve { reason: None })
            .await,
    );
    forbidden(
        p.decide_attachment_request(&act("emp"), &r.id, &Decision::Approve { reason: None })
            .await,
    );
    let seen = p
        .attachment_requests(&act("local"), &w.a.id, Some(RequestStatus::Pending))
        .await
        .expect("list");
    assert_eq!(seen.len(), 1);
    let approved = p
        .decide_attachment_request(&act("local"), &r.id, &Decision::Approve { reason: None })
        .await
        .expect("local approves inside a1");
    assert_eq!(approved.status, RequestStatus::Approved);
    assert!(matches!(
        p.decide_attachment_request(
            &act("main"),
            &r.id,
            &Decision::Reject {
                reason: "late".into()
            }
        )
        .await,
        Err(PolicyError::Conflict(_))
    ));
    let att = p
        .attachment(&w.a.id, &user("emp"))
        .await
        .expect("attachment")
        .expect("attached");
    assert_eq!(att.scope, services(&[&w.a1]));
    assert!(matches!(
        p.request_attachment(&act("emp"), &w.a.id, &services(&[&w.a1]), "again")
            .await,
        Err(PolicyError::Conflict(_))
    ));

    let whole = p
        .request_attachment(&act("emp2"), &w.a.id, &Scope::Structure, "new colleague")
        .await
        .expect("request");
    forbidden(
        p.decide_attachment_request(
            &act("local"),
            &whole.id,
            &Decision::Approve { reason: None },
        )
        .await,
    );
    assert!(matches!(
        p.decide_attachment_request(
            &act("main"),
            &whole.id,
            &Decision::Reject { reason: " ".into() }
        )
        .await,
        Err(PolicyError::Invalid(_))
    ));
    p.decide_attachment_request(
        &act("main"),
        &whole.id,
        &Decision::Reject {
            reason: "unknown to us".into(),
        },
    )
    .await
    .expect("reject");
    let mine = p.my_attachment_requests(&user("emp2")).await.expect("mine");
    assert_eq!(mine[0].status, RequestStatus::Rejected);
    assert_eq!(mine[0].reason.as_deref(), Some("unknown to us"));
    assert!(
        p.attachment(&w.a.id, &user("emp2"))
            .await
            .expect("attachment")
            .is_none()
    );

    // A holder of the manage-attachments right decides without being a manager.
    p.grant(
        &act("main"),
        &req(
            &w,
            &w.a,
            "clerk",
            &w.manage_attachments,
            Scope::Structure,
            None,
        ),
    )
    .await
    .expect("grant manage-attachments");
    let r3 = p
        .request_attachment(&act("emp3"), &w.a.id, &services(&[&w.a2]), "Namur office")
        .await
        .expect("request");
    assert_eq!(
        p.attachment_requests(&act("clerk"), &w.a.id, None)
            .await
            .expect("list")
            .len(),
        3
    );
    p.decide_attachment_request(
        &act("clerk"),
        &r3.id,
        &Decision::Approve {
            reason: Some("ok".into()),
        },
    )
    .await
    .expect("clerk approves");
    forbidden(p.members(&act("clerk"), &w.a.id).await);
    let members = p.members(&act("local"), &w.a.id).await.expect("members");
    assert!(members.iter().any(|m| m.user_id == user("emp")));
    assert!(members.iter().all(|m| m.user_id != user("emp3")));
}

async fn detach_narrows_or_removes_rights(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    p.grant(
        &act("main"),
        &req(&w, &w.a, "emp", &w.read, Scope::Structure, None),
    )
    .await
    .expect("grant");
    p.grant(
        &act("main"),
        &req(&w, &w.a, "emp", &w.modify, services(&[&w.a1]), None),
    )
    .await
    .expect("grant");
    forbidden(p.detach(&Actor::operator(), &w.a.id, None).await);
    p.detach(&act("emp"), &w.a.id, Some(std::slice::from_ref(&w.a1.id)))
        .await
        .expect("leave a1");
    let att = p
        .attachment(&w.a.id, &user("emp"))
        .await
        .expect("attachment")
        .expect("still attached");
    assert_eq!(att.scope, services(&[&w.a2]));
    assert!(d(&p, "emp", &w.a, &ids(&[&w.a2]), "vouchers", "read", T0));
    assert!(!d(&p, "emp", &w.a, &ids(&[&w.a1]), "vouchers", "read", T0));
    assert!(!d(&p, "emp", &w.a, &[], "vouchers", "read", T0));
    assert!(!d(
        &p,
        "emp",
        &w.a,
        &ids(&[&w.a1]),
        "vouchers",
        "modify",
        T0
    ));
    p.detach(&act("emp"), &w.a.id, None).await.expect("leave A");
    assert!(!d(&p, "emp", &w.a, &ids(&[&w.a2]), "vouchers", "read", T0));
    assert!(p.structures_of("emp").await.expect("structures").is_empty());
    assert!(matches!(
        p.detach(&act("emp"), &w.a.id, None).await,
        Err(PolicyError::NotFound { .. })
    ));
    // A local manager leaving their service stops managing it.
    p.detach(&act("local"), &w.a.id, None)
        .await
        .expect("local leaves");
    forbidden(p.may_read(&act("local"), &w.a.id).await);
}

async fn audit_log_is_append_only_and_queryable(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    p.grant(
        &act("main"),
        &req(&w, &w.a, "emp", &w.read, Scope::Structure, None),
    )
    .await
    .expect("grant");
    let before = p
        .audit()
        .query(&AuditQuery::default())
        .await
        .expect("all")
        .len();
    forbidden(
        p.grant(
            &act("mainb"),
            &req(&w, &w.a, "emp", &w.read, Scope::Structure, None),
        )
        .await,
    );
    assert_eq!(
        p.audit()
            .query(&AuditQuery::default())
            .await
            .expect("all")
            .len(),
        before
    );

    let in_a = p
        .audit()
        .query(&AuditQuery {
            structure: Some(w.a.id.clone()),
            ..AuditQuery::default()
        })
        .await
        .expect("by structure");
    let kinds: Vec<&str> = in_a.iter().map(|e| e.event.action.as_str()).collect();
    for expected in [
        actions::MAIN_MANAGER_DESIGNATE,
        actions::LOCAL_MANAGER_DESIGNATE,
        actions::GRANT_CREATE,
    ] {
        assert!(kinds.contains(&expected), "{kinds:?}");
    }
    assert!(
        in_a.iter()
            .all(|e| e.event.structure.as_ref() == Some(&w.a.id))
    );
    let grant_event = in_a
        .iter()
        .find(|e| e.event.action == actions::GRANT_CREATE)
        .expect("grant event");
    assert_eq!(grant_event.event.actor, Some(user("main")));
    assert_eq!(grant_event.event.target, "emp");
    assert_eq!(grant_event.event.ip.as_deref(), Some("192.0.2.1"));
    assert_eq!(grant_event.at, T0);

    ctx.clock.set(T0 + 5_000);
    p.audit()
        .record(AuditEvent {
            actor: Some(user("emp")),
            action: actions::LOGIN.to_owned(),
            target: "emp".to_owned(),
            structure: None,
            ip: Some("198.51.100.7".to_owned()),
            detail: serde_json::json!({"acr": "eid"}),
        })
        .await
        .expect("record login");
    let emp = p
        .audit()
        .query(&AuditQuery {
            people: Some(vec![UserId::from("emp")]),
            ..AuditQuery::default()
        })
        .await
        .expect("by person");
    assert_eq!(emp.len(), 2);
    let logins = p
        .audit()
        .query(&AuditQuery {
            people: Some(vec![UserId::from("emp")]),
            action: Some(actions::LOGIN.to_owned()),
            ..AuditQuery::default()
        })
        .await
        .expect("by action");
    assert_eq!(logins.len(), 1);
    let nobody = p
        .audit()
        .query(&AuditQuery {
            people: Some(Vec::new()),
            ..AuditQuery::default()
        })
        .await
        .expect("nobody");
    assert!(
        nobody.is_empty(),
        "a search that found nobody matches nothing"
    );
    let later = p
        .audit()
        .query(&AuditQuery {
            from_ms: Some(T0 + 1),
            to_ms: Some(T0 + 10_000),
            ..AuditQuery::default()
        })
        .await
        .expect("by time");
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].event.action, actions::LOGIN);

    use futures_util::TryStreamExt;
    let jsonl: Vec<String> = p
        .audit()
        .export_jsonl(&AuditQuery::default())
        .try_collect()
        .await
        .expect("jsonl");
    let n = jsonl.concat().lines().count();
    assert_eq!(n, before + 1);
    let csv: Vec<String> = p
        .audit()
        .export_csv(&AuditQuery::default())
        .try_collect()
        .await
        .expect("csv");
    let csv = csv.concat();
    assert_eq!(csv.lines().count(), n + 1, "a header and every event");
    assert!(csv.starts_with("id,at,actor,action"));
    let first_two: Vec<String> = p
        .audit()
        .export_jsonl(&AuditQuery {
            limit: Some(2),
            ..AuditQuery::default()
        })
        .try_collect()
        .await
        .expect("limited");
    assert_eq!(first_two.concat().lines().count(), 2.min(n));

    let total = before + 1;
    let upd = sqlx::query("UPDATE audit_log SET action = 'tampered'")
        .execute(&ctx.pool)
        .await;
    assert!(upd.is_err(), "UPDATE must be refused");
    let del = sqlx::query("DELETE FROM audit_log")
        .execute(&ctx.pool)
        .await;
    assert!(del.is_err(), "DELETE must be refused");
    if ctx.kind == Kind::Postgres {
        let trunc = sqlx::query("TRUNCATE audit_log").execute(&ctx.pool).await;
        assert!(trunc.is_err(), "TRUNCATE must be refused");
    }
    let after = p.audit().query(&AuditQuery::default()).await.expect("all");
    assert_eq!(after.len(), total);
    assert!(after.iter().all(|e| e.event.action != "tampered"));
}

async fn casbin_and_index_agree_on_a_stored_model(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    let grants = [
        ("emp", &w.read, Scope::Structure, None),
        ("emp", &w.modify, services(&[&w.a1]), Some(T0 + 5_000)),
        ("emp2", &w.read, services(&[&w.a1, &w.a2]), None),
        ("emp2", &w.invoices, services(&[&w.a2]), Some(T0 + 1_000)),
        ("emp3", &w.modify, Scope::Structure, Some(T0 + 2_000)),
        ("emp3", &w.modify, services(&[&w.a2]), None),
    ];
    for (who, right, scope, until) in grants {
        p.grant(&act("main"), &req(&w, &w.a, who, right, scope, until))
            .await
            .expect("grant");
    }
    p.grant(
        &act("mainb"),
        &req(&w, &w.b, "emp", &w.invoices, services(&[&w.b1]), None),
    )
    .await
    .expect("grant in B");
    let service_sets: Vec<Vec<String>> = vec![
        vec![],
        ids(&[&w.a1]),
        ids(&[&w.a2]),
        ids(&[&w.a1, &w.a2]),
        ids(&[&w.b1]),
        vec!["unknown".to_owned()],
    ];
    let rights = [
        ("vouchers", "read"),
        ("vouchers", "modify"),
        ("invoices", "read"),
        ("vouchers", "none"),
    ];
    let mut checked = 0;
    for now in [T0, T0 + 1_000, T0 + 2_000, T0 + 5_000] {
        let enforcer = p.casbin_enforcer(now).await.expect("casbin");
        for who in ["emp", "emp2", "emp3", "main", "nobody"] {
            for s in [&w.a, &w.b] {
                for svcs in &service_sets {
                    for (app, level) in rights {
                        let fast = p.decide(who, s.id.as_str(), svcs, app, level, now);
                        let reference =
                            casbin_decide(&enforcer, who, s.id.as_str(), svcs, app, level)
                                .expect("casbin decides");
                        assert_eq!(
                            fast, reference,
                            "{who} {:?} {svcs:?} {app}/{level} at {now}",
                            s.id
                        );
                        checked += usize::from(fast);
                    }
                }
            }
        }
    }
    assert!(checked > 20, "the scenario allows something ({checked})");
}

async fn change_reaches_another_node(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    let other = Policy::open_with(
        ctx.other_pool().await,
        (ctx.kind == Kind::Postgres).then(|| ctx.url.clone()),
        policy::PolicyOptions {
            clock: ctx.clock.clone(),
            poll_interval: Duration::from_secs(if ctx.kind == Kind::Postgres { 3600 } else { 1 }),
            watch: true,
        },
    )
    .await
    .expect("second node");
    // PostgreSQL relies on NOTIFY here (its safety-net poll is an hour away): wait for
    // the subscription before the change.
    if ctx.kind == Kind::Postgres {
        wait_until(|| other.is_listening()).await;
    }
    let g = p
        .grant(
            &act("main"),
            &req(&w, &w.a, "emp", &w.read, Scope::Structure, None),
        )
        .await
        .expect("grant");
    assert!(
        d(&p, "emp", &w.a, &[], "vouchers", "read", T0),
        "local node at once"
    );
    wait_until(|| d(&other, "emp", &w.a, &[], "vouchers", "read", T0)).await;
    p.revoke(&act("main"), &g.id).await.expect("revoke");
    wait_until(|| !d(&other, "emp", &w.a, &[], "vouchers", "read", T0)).await;
    assert_eq!(other.version().await, p.version().await);
    assert_eq!(other.structure_info(w.a.id.as_str()), Some(w.a.clone()));
    let fresh = p
        .create_structure(&Actor::operator(), &be_number(60), "Fresh SA", "Fresh")
        .await
        .expect("new structure");
    assert_eq!(p.structure_info(fresh.id.as_str()), Some(fresh.clone()));
    wait_until(|| other.structure_info(fresh.id.as_str()).is_some()).await;
    other.stop().await;
}

/// Wait for a condition the watcher brings about (bounded; no timing is asserted).
async fn wait_until(mut cond: impl FnMut() -> bool) {
    for _ in 0..1500 {
        if cond() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("condition not reached within 30 s");
}

async fn search_structures_by_number_and_name(ctx: Ctx) {
    let p = ctx.policy().await;
    let w = world(&p).await;
    let op = Actor::operator();
    let siren = policy::ids::OrgNumber::parse("732 829 320").expect("siren");
    let fr = p
        .create_structure(&op, &siren, "Société Exemple SAS", "Exemple")
        .await
        .expect("fr");
    assert_eq!(fr.enterprise_number, "732 829 320");
    assert!(matches!(
        p.create_structure(&op, &siren, "Dup", "").await,
        Err(PolicyError::Conflict(_))
    ));
    let ids_of = |v: Vec<policy::Structure>| v.into_iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(
        ids_of(p.search_structures("acme", 10).await.expect("name")),
        vec![w.a.id.clone()]
    );
    assert_eq!(
        ids_of(p.search_structures("EXEMPLE", 10).await.expect("common")),
        vec![fr.id.clone()]
    );
    assert_eq!(
        ids_of(
            p.search_structures(&w.a.enterprise_number, 10)
                .await
                .expect("number")
        ),
        vec![w.a.id.clone()]
    );
    let digits: String =
        w.b.enterprise_number
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
    assert_eq!(
        ids_of(
            p.search_structures(&digits[4..], 10)
                .await
                .expect("partial")
        ),
        vec![w.b.id.clone()]
    );
    assert!(
        p.search_structures("%%", 10)
            .await
            .expect("escaped")
            .is_empty()
    );
    assert!(matches!(
        p.search_structures("a", 10).await,
        Err(PolicyError::Invalid(_))
    ));
}

/// The operator's search: by number with dots, by kind, only the pending ones, paged;
/// one query on both databases.
async fn find_structures_by_kind_status_and_page(ctx: Ctx) {
    use policy::ids::{OrgNumber, OrgNumberKind};
    use policy::structures::StructureSearch;
    let p = ctx.policy().await;
    let w = world(&p).await;
    let op = Actor::operator();
    let siren = OrgNumber::parse("732 829 320").expect("siren");
    let fr = p
        .create_structure(&op, &siren, "Société Exemple SAS", "Exemple")
        .await
        .expect("fr");
    let pending_number = be_number(40);
    let (request, created) = p
        .request_attachment_by_number(&act("emp"), &pending_number, &[], "accountant")
        .await
        .expect("request");
    assert!(created);
    let find = |q: StructureSearch| {
        let p = p.clone();
        async move {
            p.find_structures(&StructureSearch { limit: 10, ..q })
                .await
                .expect("find")
                .into_iter()
                .map(|f| (f.structure.id, f.pending_since.is_some()))
                .collect::<Vec<_>>()
        }
    };
    // The number as shown, with its dots, finds the organisation.
    assert_eq!(
        find(StructureSearch {
            text: w.a.enterprise_number.clone(),
            ..StructureSearch::default()
        })
        .await,
        vec![(w.a.id.clone(), false)]
    );
    assert!(w.a.enterprise_number.contains('.'));
    assert_eq!(
        find(StructureSearch {
            kind: Some(OrgNumberKind::Siren),
            ..StructureSearch::default()
        })
        .await,
        vec![(fr.id.clone(), false)]
    );
    assert_eq!(
        find(StructureSearch {
            pending: true,
            ..StructureSearch::default()
        })
        .await,
        vec![(request.structure_id.clone(), true)]
    );
    // A kind and a text that match different structures find none.
    assert!(
        find(StructureSearch {
            text: "acme".to_owned(),
            kind: Some(OrgNumberKind::Siren),
            ..StructureSearch::default()
        })
        .await
        .is_empty()
    );
    // Pages: everything, one at a time, each once, in the name's order.
    let all = find(StructureSearch::default()).await;
    assert_eq!(all.len(), 4);
    let mut paged = Vec::new();
    for offset in 0..5 {
        let page = p
            .find_structures(&StructureSearch {
                offset,
                limit: 1,
                ..StructureSearch::default()
            })
            .await
            .expect("page");
        paged.extend(
            page.into_iter()
                .map(|f| (f.structure.id, f.pending_since.is_some())),
        );
    }
    assert_eq!(paged, all);
}

#[tokio::test]
async fn casbin_fixture_model_and_policy_decide_as_documented() {
    use casbin::{CoreApi, DefaultModel, Enforcer, FileAdapter};
    let dir = env!("CARGO_MANIFEST_DIR");
    let model = DefaultModel::from_file(format!("{dir}/fixtures/habilitations_model.conf"))
        .await
        .expect("model");
    let adapter = FileAdapter::new(format!("{dir}/fixtures/habilitations_policy.csv"));
    let e = Enforcer::new(model, adapter).await.expect("enforcer");
    let svc = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let check = |u: &str, s: &str, v: &[String], a: &str, l: &str| {
        casbin_decide(&e, u, s, v, a, l).expect("decide")
    };
    assert!(check("alice", "s-acme", &[], "vouchers", "modify"));
    assert!(check(
        "alice",
        "s-acme",
        &svc(&["svc-liege"]),
        "vouchers",
        "read"
    ));
    assert!(!check("alice", "s-globex", &[], "vouchers", "read"));
    assert!(!check("bob", "s-acme", &[], "vouchers", "read"));
    assert!(check(
        "bob",
        "s-acme",
        &svc(&["svc-liege", "svc-namur"]),
        "vouchers",
        "read"
    ));
    assert!(!check(
        "bob",
        "s-acme",
        &svc(&["svc-liege", "svc-other"]),
        "vouchers",
        "read"
    ));
    assert!(!check(
        "bob",
        "s-acme",
        &svc(&["svc-liege"]),
        "vouchers",
        "modify"
    ));
    assert!(check(
        "carol",
        "s-globex",
        &svc(&["svc-paris"]),
        "access",
        "manage-attachments"
    ));
    assert!(!check(
        "carol",
        "s-globex",
        &[],
        "access",
        "manage-attachments"
    ));
    // The model file is the one the crate compiles to.
    assert_eq!(
        std::fs::read_to_string(format!("{dir}/fixtures/habilitations_model.conf")).expect("read"),
        policy::casbin_model::MODEL
    );
}
