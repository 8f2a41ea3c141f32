//! The console's request pages over real sockets: "My organisations" (attachments,
//! detaching oneself, asking to be attached by number), the managers' side of attachment
//! requests, "My habilitations", and access requests from a 403. Each for the right
//! people and refused to others, with the model checked after every answer (changed, or
//! not), forms without or with a foreign CSRF token refused, and the mails counted.

mod support;

use policy::ids::OrgNumber;
use policy::{Actor, RequestStatus, Scope, ServiceId, StructureId, Subject};
use reqwest::StatusCode;
use support::*;

fn options(extra: &str) -> Options {
    Options {
        extra_routes: format!("{extra}[admin]\noperators = [\"sim:citizen-4\"]\n"),
        ..Options::default()
    }
}

/// Acme (services Liège and Namur), Bruno its main manager; Bolt, nobody's.
struct World {
    acme: StructureId,
    liege: ServiceId,
    namur: ServiceId,
    bolt: StructureId,
}

async fn world(env: &Env) -> World {
    let acme = structure(env, ACME).await;
    let (liege, namur) = liege_and_namur(env, &acme).await;
    let bolt = structure(env, BOLT).await;
    main_manager(env, &acme, BRUNO).await;
    World {
        acme,
        liege,
        namur,
        bolt,
    }
}

#[tokio::test]
async fn my_organisations_asks_by_number_and_refuses_bad_forms() {
    let env = Env::start(options("")).await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let chloe = Person::login(&env, "citizen-3").await;
    let bruno = Person::login(&env, "citizen-2").await;

    let Answer {
        status, text: html, ..
    } = chloe.page("/admin/mine").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>My organisations</h1>"), "{html}");
    assert!(html.contains("You are attached to no organisation yet."));
    let Answer { text: html, .. } = chloe.page("/admin/").await;
    assert!(html.contains("href=\"/admin/mine\""), "{html}");
    let Answer { text: html, .. } = chloe.page("/account/").await;
    assert!(html.contains("href=\"/admin/mine\""), "{html}");

    // A bad number: the form says so, nothing stored.
    let Answer {
        status, text: html, ..
    } = chloe
        .form(
            "/admin/mine/attachment-requests",
            &[("number", "0200065766"), ("comment", "I work there")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(
        html.contains("This is not a valid enterprise number"),
        "{html}"
    );
    assert!(
        html.contains("value=\"0200065766\""),
        "the form keeps what was typed"
    );
    // No comment.
    let Answer {
        status, text: html, ..
    } = chloe
        .form(
            "/admin/mine/attachment-requests",
            &[("number", "0200.065.765"), ("comment", "  ")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("Please say why"), "{html}");
    // An unknown service code.
    let Answer {
        status, text: html, ..
    } = chloe
        .form(
            "/admin/mine/attachment-requests",
            &[
                ("number", "0200.065.765"),
                ("comment", "Liège office"),
                ("services", "XYZ"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("not a service of this organisation"),
        "{html}"
    );
    // No token, a foreign token.
    let fields = [("number", "0200.065.765"), ("comment", "Liège office")];
    let Answer { status, .. } = chloe
        .raw_form("/admin/mine/attachment-requests", &fields, &[])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut foreign = vec![("csrf", bruno.csrf.as_str())];
    foreign.extend_from_slice(&fields);
    let Answer { status, .. } = chloe
        .raw_form("/admin/mine/attachment-requests", &foreign, &[])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        p.my_attachment_requests(&chloe.user_id())
            .await
            .expect("mine")
            .is_empty(),
        "nothing stored by refused forms"
    );
    assert_eq!(env.mails_queued(Some("bruno@example.be")).await, 0);

    // A good request for the Liège service.
    let Answer {
        status,
        location: to,
        ..
    } = chloe
        .form(
            "/admin/mine/attachment-requests",
            &[
                ("number", "0200.065.765"),
                ("comment", "Liège office"),
                ("services", "lge"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/admin/mine?done=asked");
    assert_eq!(
        env.mails_queued(Some("bruno@example.be")).await,
        1,
        "the main manager is told"
    );
    let mine = p
        .my_attachment_requests(&chloe.user_id())
        .await
        .expect("mine");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].structure_id, w.acme);
    assert_eq!(mine[0].scope, Scope::Services(vec![w.liege.clone()]));
    let Answer { text: html, .. } = chloe.page(&to).await;
    assert!(html.contains("Your request was sent"), "{html}");
    assert!(html.contains("Waiting for an access manager"), "{html}");
    assert!(html.contains("Liège office"));
    // Twice: refused on the form, still one.
    let Answer {
        status, text: html, ..
    } = chloe
        .form(
            "/admin/mine/attachment-requests",
            &[("number", "0200065765"), ("comment", "again")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("already waiting"), "{html}");
    assert_eq!(
        p.my_attachment_requests(&chloe.user_id())
            .await
            .expect("mine")
            .len(),
        1
    );

    // An organisation new to the platform: created pending, the operator sees it.
    let Answer {
        status,
        location: to,
        ..
    } = chloe
        .form(
            "/admin/mine/attachment-requests",
            &[("number", "0417.497.106"), ("comment", "My new employer")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/admin/mine?done=asked_new");
    let created = p
        .structure_by_number(&OrgNumber::parse("0417497106").expect("n"))
        .await
        .expect("lookup")
        .expect("created");
    let pending = p.pending_structures().await.expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].0.id, created.id);
    let david = Person::login(&env, "citizen-4").await;
    let Answer { text: html, .. } = david.page("/admin/").await;
    assert!(html.contains("0417.497.106"), "operator sees it: {html}");
    let Answer { text: html, .. } = chloe.page("/admin/").await;
    assert!(!html.contains("0417.497.106"), "only the operator");
    let _ = (w.namur, w.bolt);
}

#[tokio::test]
async fn detaching_oneself_needs_the_token_and_changes_the_model() {
    let env = Env::start(options("")).await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let chloe = Person::login(&env, "citizen-3").await;
    let bruno = Person::login(&env, "citizen-2").await;
    let r = p
        .request_attachment(
            &Actor::user(chloe.id.as_str(), None),
            &w.acme,
            &Scope::Structure,
            "hello",
        )
        .await
        .expect("ask");
    p.decide_attachment_request(
        &Actor::user(bruno.id.as_str(), None),
        &r.id,
        &policy::Decision::Approve { reason: None },
    )
    .await
    .expect("approve");
    let Answer {
        status, text: html, ..
    } = chloe.page("/admin/mine").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Detach me from Acme"), "{html}");
    assert!(html.contains("Approved"), "{html}");

    let fields = [("structure", w.acme.as_str())];
    let Answer { status, .. } = chloe.raw_form("/admin/mine/detach", &fields, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let foreign = [
        ("csrf", bruno.csrf.as_str()),
        ("structure", w.acme.as_str()),
    ];
    let Answer { status, .. } = chloe.raw_form("/admin/mine/detach", &foreign, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        p.attachment(&w.acme, &chloe.user_id())
            .await
            .expect("a")
            .is_some()
    );

    let Answer {
        status,
        location: to,
        ..
    } = chloe.form("/admin/mine/detach", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    assert!(
        p.attachment(&w.acme, &chloe.user_id())
            .await
            .expect("a")
            .is_none()
    );
    let Answer { text: html, .. } = chloe.page(&to).await;
    assert!(html.contains("You are no longer attached"), "{html}");
    // Not attached to Bolt: the model refuses, nothing changes.
    let Answer { status, .. } = chloe
        .form("/admin/mine/detach", &[("structure", w.bolt.as_str())])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let _ = RequestStatus::Pending;
}

async fn read_right(env: &Env) -> policy::Right {
    let p = &env.state().policy;
    match p.right_by_name("vouchers", "read").await {
        Ok(r) => r,
        Err(_) => p
            .define_right(&Actor::operator(), "vouchers", "read", "Vouchers / read")
            .await
            .expect("right"),
    }
}

fn count_pending(list: &[policy::AttachmentRequest]) -> usize {
    list.iter()
        .filter(|r| r.status == RequestStatus::Pending)
        .count()
}

#[tokio::test]
async fn managers_decide_attachment_requests_and_only_they() {
    let env = Env::start(options("")).await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let read = read_right(&env).await;
    p.designate_main_manager(&Actor::operator(), &w.bolt, &nrn(&env, ALICE))
        .await
        .expect("alice");
    let chloe = Person::login(&env, "citizen-3").await;
    let bruno = Person::login(&env, "citizen-2").await;
    let alice = Person::login(&env, "citizen-1").await;
    let david = Person::login(&env, "citizen-4").await;
    let asked = p
        .request_attachment(
            &Actor::user(chloe.id.as_str(), None),
            &w.acme,
            &Scope::Services(vec![w.liege.clone(), w.namur.clone()]),
            "I keep the Liège books",
        )
        .await
        .expect("ask");
    let page = format!("/admin/structures/{}/requests", w.acme);

    // Who sees the page.
    for (who, name) in [
        (&chloe, "requester"),
        (&alice, "other organisation"),
        (&david, "nobody"),
    ] {
        let Answer { status, .. } = who.page(&page).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}");
    }
    let Answer {
        status, text: html, ..
    } = bruno.page(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Chloé Janssens"), "{html}");
    assert!(html.contains("I keep the Liège books"));
    assert!(html.contains(&format!("/admin/attachment-requests/{}/approve", asked.id)));

    // Nobody but a manager of Acme decides; nothing changes on a refusal.
    let approve = format!("/admin/attachment-requests/{}/approve", asked.id);
    let right_field = format!("right_{}", read.id);
    let svc_field = format!("svc_{}", w.liege);
    let fields = [
        ("scope", "services"),
        (svc_field.as_str(), "on"),
        (right_field.as_str(), "on"),
        ("valid_until", "2099-12-31"),
    ];
    let Answer { status, .. } = chloe.form(&approve, &fields).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "own request");
    let Answer { status, .. } = alice.form(&approve, &fields).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "another organisation's manager"
    );
    let Answer { status, .. } = bruno.raw_form(&approve, &fields, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no token");
    let mut foreign = vec![("csrf", chloe.csrf.as_str())];
    foreign.extend_from_slice(&fields);
    let Answer { status, .. } = bruno.raw_form(&approve, &foreign, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "foreign token");
    assert_eq!(
        count_pending(&p.my_attachment_requests(&chloe.user_id()).await.expect("r")),
        1
    );
    assert!(
        p.attachment(&w.acme, &chloe.user_id())
            .await
            .expect("a")
            .is_none()
    );
    assert_eq!(env.mails_queued(Some("chloe@example.be")).await, 0);

    // A right outside the catalogue: refused before anything changes.
    let Answer { status, .. } = bruno
        .form(
            &approve,
            &[("scope", "whole"), ("right_no-such-right", "on")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        p.attachment(&w.acme, &chloe.user_id())
            .await
            .expect("a")
            .is_none()
    );
    // Bruno approves for Liège only, giving vouchers/read at once.
    let Answer {
        status,
        location: to,
        ..
    } = bruno.form(&approve, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, format!("{page}?done=approved"));
    let att = p
        .attachment(&w.acme, &chloe.user_id())
        .await
        .expect("a")
        .expect("attached");
    assert_eq!(att.scope, Scope::Services(vec![w.liege.clone()]));
    let grants = p.grants_of(&chloe.user_id()).await.expect("grants");
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].right.id, read.id);
    assert_eq!(grants[0].scope, Scope::Services(vec![w.liege.clone()]));
    assert_eq!(env.mails_queued(Some("chloe@example.be")).await, 1);
    let Answer { text: html, .. } = bruno.page(&to).await;
    assert!(html.contains("The request was approved"), "{html}");
    // Decided once only.
    let Answer { status, .. } = bruno.form(&approve, &fields).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        p.grants_of(&chloe.user_id()).await.expect("grants").len(),
        1
    );

    // David asks; a rejection needs a reason; he is mailed.
    let asked = p
        .request_attachment(
            &Actor::user(david.id.as_str(), None),
            &w.acme,
            &Scope::Structure,
            "let me in",
        )
        .await
        .expect("ask");
    let reject = format!("/admin/attachment-requests/{}/reject", asked.id);
    let Answer { status, .. } = bruno.form(&reject, &[("reason", "  ")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let Answer { status, .. } = alice.form(&reject, &[("reason", "no")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        count_pending(&p.my_attachment_requests(&david.user_id()).await.expect("r")),
        1
    );
    assert_eq!(env.mails_queued(Some("david@example.be")).await, 0);
    let Answer { status, .. } = bruno
        .form(&reject, &[("reason", "You do not work here")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mine = p.my_attachment_requests(&david.user_id()).await.expect("r");
    assert_eq!(mine[0].status, RequestStatus::Rejected);
    assert_eq!(mine[0].reason.as_deref(), Some("You do not work here"));
    assert_eq!(env.mails_queued(Some("david@example.be")).await, 1);
    let Answer { text: html, .. } = david.page("/admin/mine").await;
    assert!(html.contains("You do not work here"), "{html}");

    // Detaching a person: not by the person's peers, not without a token; by Bruno.
    let detach = format!("/admin/structures/{}/members/{}/detach", w.acme, chloe.id);
    let Answer { text: html, .. } = bruno.page(&page).await;
    assert!(html.contains(&detach), "{html}");
    let Answer { status, .. } = alice.form(&detach, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let Answer { status, .. } = bruno.raw_form(&detach, &[], &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        p.attachment(&w.acme, &chloe.user_id())
            .await
            .expect("a")
            .is_some()
    );
    let bruno_out = format!("/admin/structures/{}/members/{}/detach", w.acme, bruno.id);
    let Answer { status, .. } = chloe.form(&bruno_out, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a member is no manager");
    let Answer { status, .. } = bruno.form(&detach, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        p.attachment(&w.acme, &chloe.user_id())
            .await
            .expect("a")
            .is_none()
    );
    assert!(
        p.grants_of(&chloe.user_id())
            .await
            .expect("grants")
            .is_empty()
    );
}

#[tokio::test]
async fn my_habilitations_show_what_where_and_until_when() {
    let env = Env::start(options(
        "[[applications]]\nid = \"vouchers\"\nname = \"Vouchers\"\nlevels = [\"read\", \"modify\"]\n",
    ))
    .await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let op = Actor::operator();
    let read = p.right_by_name("vouchers", "read").await.expect("read");
    let modify = p.right_by_name("vouchers", "modify").await.expect("modify");
    let chloe = Person::login(&env, "citizen-3").await;
    let david = Person::login(&env, "citizen-4").await;
    let now = env.state().clock.now_ms();
    let grant =
        |right: &policy::Right, scope: Scope, until: Option<i64>| policy::grants::GrantRequest {
            structure: w.acme.clone(),
            subject: Subject::User(chloe.user_id()),
            right: right.id.clone(),
            scope,
            valid_until: until,
        };
    p.grant(&op, &grant(&read, Scope::Structure, None))
        .await
        .expect("read");
    p.grant(
        &op,
        &grant(
            &modify,
            Scope::Services(vec![w.namur.clone()]),
            Some(now + 10 * 86_400_000),
        ),
    )
    .await
    .expect("modify");

    let Answer {
        status, text: html, ..
    } = chloe.page("/admin/mine/habilitations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>My habilitations</h1>"), "{html}");
    assert!(html.contains("Vouchers &#x2f; read"), "{html}");
    assert!(html.contains("Until revoked"), "{html}");
    assert!(html.contains("Namur"), "{html}");
    assert!(html.contains("Ends in 10 days"), "{html}");
    assert!(html.contains("<th scope=\"col\">"));
    // Someone else's page shows none of it.
    let Answer {
        status, text: html, ..
    } = david.page("/admin/mine/habilitations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("Vouchers &#x2f; read"), "{html}");
    assert!(html.contains("You hold no habilitation in force."));
    // A revoked right is gone from the page.
    let g = p
        .grants_of(&chloe.user_id())
        .await
        .expect("g")
        .into_iter()
        .find(|g| g.right.id == modify.id)
        .expect("modify grant");
    p.revoke(&op, &g.id).await.expect("revoke");
    let Answer { text: html, .. } = chloe.page("/admin/mine/habilitations").await;
    assert!(!html.contains("Ends in 10 days"), "{html}");
    // Without a session: sent to log in.
    let anonymous = client()
        .get(format!("{}/admin/mine/habilitations", env.url))
        .header("accept", "text/html")
        .send()
        .await
        .expect("get");
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
}

/// The story: Chloé, attached to Acme's Liège service, is refused a policy route; the
/// page names who can grant the right and she asks for it; the managers are mailed; a
/// local manager of another service cannot decide, one without the right cannot grant
/// it, she cannot grant it herself; Bruno grants it in one click and her next request
/// reaches the backend.
#[tokio::test]
async fn a_refused_person_asks_for_access_and_a_manager_grants_it() {
    let (backend, _task) = echo_backend().await;
    let env = Env::start(options(&format!(
        "[[applications]]\nid = \"vouchers\"\nname = \"Vouchers\"\nlevels = [\"read\"]\n\
         [[routes]]\nprefix = \"/pvouchers\"\nupstream = \"http://{backend}\"\n\
         application = \"vouchers\"\naccess = \"policy\"\nmethods = {{ GET = \"read\" }}\n"
    )))
    .await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let op = Actor::operator();
    p.designate_local_manager(&op, &w.acme, &w.liege, &nrn(&env, ALICE))
        .await
        .expect("alice local liège");
    p.designate_local_manager(&op, &w.acme, &w.namur, &nrn(&env, DAVID))
        .await
        .expect("david local namur");
    let bruno = Person::login(&env, "citizen-2").await;
    let alice = Person::login(&env, "citizen-1").await;
    let david = Person::login(&env, "citizen-4").await;
    let chloe = Person::login(&env, "citizen-3").await;
    let asked = p
        .request_attachment(
            &Actor::user(chloe.id.as_str(), None),
            &w.acme,
            &Scope::Services(vec![w.liege.clone()]),
            "Liège office",
        )
        .await
        .expect("ask");
    p.decide_attachment_request(
        &Actor::user(bruno.id.as_str(), None),
        &asked.id,
        &policy::Decision::Approve { reason: None },
    )
    .await
    .expect("approve");
    let switched = chloe
        .c
        .post(format!("{}/auth/structure", env.url))
        .header("cookie", &chloe.cookie)
        .header("x-csrf-token", &chloe.csrf)
        .form(&[("structure_id", w.acme.as_str())])
        .send()
        .await
        .expect("switch");
    assert!(switched.status().is_redirection() || switched.status().is_success());

    // Refused: an API client gets the plain refusal, a browser the page that offers more.
    let api = chloe
        .c
        .get(format!("{}/pvouchers/list", env.url))
        .header("cookie", &chloe.cookie)
        .header("accept", "application/json")
        .send()
        .await
        .expect("api");
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    let Answer {
        status, text: html, ..
    } = chloe.page("/pvouchers/list").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("<h1>Access refused</h1>"), "{html}");
    assert!(html.contains("Vouchers &#x2f; read"), "{html}");
    assert!(html.contains("Bruno Peeters"), "main manager named: {html}");
    assert!(
        html.contains("Alice Dupont"),
        "local manager of Liège named: {html}"
    );
    assert!(
        !html.contains("David Lambert"),
        "Namur's manager is not hers: {html}"
    );
    assert!(html.contains("action=\"/admin/access-requests\""), "{html}");
    assert!(html.contains("name=\"level\" value=\"read\""), "{html}");

    // The form without a token, or with someone else's: refused, nothing stored.
    let fields = [
        ("application", "vouchers"),
        ("level", "read"),
        ("comment", "I prepare the vouchers"),
    ];
    let Answer { status, .. } = chloe.raw_form("/admin/access-requests", &fields, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut foreign = vec![("csrf", bruno.csrf.as_str())];
    foreign.extend_from_slice(&fields);
    let Answer { status, .. } = chloe
        .raw_form("/admin/access-requests", &foreign, &[])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        p.my_access_requests(&chloe.user_id())
            .await
            .expect("r")
            .is_empty()
    );
    assert_eq!(env.mails_queued(Some("bruno@example.be")).await, 0);

    // Asked: stored once, audited, the managers who can grant it are mailed.
    let Answer {
        status,
        location: to,
        ..
    } = chloe.form("/admin/access-requests", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/admin/mine/habilitations?done=access_requested");
    let mine = p.my_access_requests(&chloe.user_id()).await.expect("r");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].status, RequestStatus::Pending);
    assert_eq!(mine[0].comment.as_deref(), Some("I prepare the vouchers"));
    let request = mine[0].id.clone();
    assert_eq!(env.mails_queued(Some("bruno@example.be")).await, 1);
    assert_eq!(env.mails_queued(Some("alice@example.be")).await, 1);
    assert_eq!(env.mails_queued(Some("david@example.be")).await, 0);
    let audit = p
        .audit()
        .query(&policy::AuditQuery {
            structure: Some(w.acme.clone()),
            ..policy::AuditQuery::default()
        })
        .await
        .expect("audit");
    assert!(audit.iter().any(|e| e.event.action == "access.request"));
    let Answer { text: html, .. } = chloe.page(&to).await;
    assert!(html.contains("Your request was sent"), "{html}");
    assert!(html.contains("Waiting for an access manager"), "{html}");
    // Once only while pending.
    let Answer {
        status, text: html, ..
    } = chloe.form("/admin/access-requests", &fields).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("already asked"), "{html}");
    assert_eq!(
        p.my_access_requests(&chloe.user_id())
            .await
            .expect("r")
            .len(),
        1
    );
    // The refusal page now says it is asked, and offers no second form.
    let Answer {
        status, text: html, ..
    } = chloe.page("/pvouchers/list").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("You already asked for this right"), "{html}");
    assert!(
        !html.contains("action=\"/admin/access-requests\""),
        "{html}"
    );

    // Who may not decide it: herself, Namur's manager, Liège's manager without the right.
    let grant = format!("/admin/access-requests/{}/grant", request.as_str());
    let until = [("valid_until", "2099-12-31")];
    let Answer { status, .. } = chloe
        .page(&format!("/admin/structures/{}/requests", w.acme))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let Answer { status, .. } = chloe.form(&grant, &until).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "her own request");
    let Answer { status, .. } = david.form(&grant, &until).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "outside his service");
    let Answer { status, .. } = alice.form(&grant, &until).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a right she cannot exercise");
    let Answer { status, .. } = bruno.raw_form(&grant, &until, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no token");
    assert!(p.grants_of(&chloe.user_id()).await.expect("g").is_empty());
    assert_eq!(
        p.my_access_requests(&chloe.user_id()).await.expect("r")[0].status,
        RequestStatus::Pending
    );
    assert_eq!(
        chloe.page("/pvouchers/list").await.status,
        StatusCode::FORBIDDEN
    );

    // Bruno sees it in the second list and grants it in one click.
    let page = format!("/admin/structures/{}/requests", w.acme);
    let Answer {
        status, text: html, ..
    } = bruno.page(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&grant), "{html}");
    assert!(html.contains("I prepare the vouchers"), "{html}");
    let default_until = html
        .split(&format!(
            "id=\"au-{}\" name=\"valid_until\" value=\"",
            request.as_str()
        ))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("pre-filled end date")
        .to_owned();
    let Answer {
        status,
        location: to,
        ..
    } = bruno
        .form(&grant, &[("valid_until", default_until.as_str())])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let grants = p.grants_of(&chloe.user_id()).await.expect("g");
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].right.level, "read");
    assert_eq!(grants[0].scope, Scope::Services(vec![w.liege.clone()]));
    let year = grants[0].valid_until.expect("an end") - env.state().clock.now_ms();
    assert!(year > 364 * 86_400_000 && year < 367 * 86_400_000, "{year}");
    let mine = p.my_access_requests(&chloe.user_id()).await.expect("r");
    assert_eq!(mine[0].status, RequestStatus::Approved);
    assert_eq!(mine[0].grant_id.as_ref(), Some(&grants[0].id));
    assert_eq!(env.mails_queued(Some("chloe@example.be")).await, 1);
    let Answer { status, .. } = bruno.form(&grant, &until).await;
    assert_eq!(status, StatusCode::CONFLICT, "closed");
    assert_eq!(p.grants_of(&chloe.user_id()).await.expect("g").len(), 1);

    // Her next request goes through to the backend.
    let r = chloe
        .c
        .get(format!("{}/pvouchers/list", env.url))
        .header("cookie", &chloe.cookie)
        .header("accept", "text/html")
        .send()
        .await
        .expect("proxied");
    assert_eq!(r.status(), StatusCode::OK);
    let Answer { text: html, .. } = chloe.page("/admin/mine/habilitations").await;
    assert!(html.contains("Granted"), "{html}");
}

#[tokio::test]
async fn a_refused_access_request_is_mailed_with_its_reason() {
    let env = Env::start(options(
        "[[applications]]\nid = \"vouchers\"\nname = \"Vouchers\"\nlevels = [\"read\"]\n",
    ))
    .await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let bruno = Person::login(&env, "citizen-2").await;
    let chloe = Person::login(&env, "citizen-3").await;
    let asked = p
        .request_attachment(
            &Actor::user(chloe.id.as_str(), None),
            &w.acme,
            &Scope::Structure,
            "hello",
        )
        .await
        .expect("ask");
    p.decide_attachment_request(
        &Actor::user(bruno.id.as_str(), None),
        &asked.id,
        &policy::Decision::Approve { reason: None },
    )
    .await
    .expect("approve");
    let r = p
        .request_access(
            &Actor::user(chloe.id.as_str(), None),
            &w.acme,
            "vouchers",
            "read",
            None,
        )
        .await
        .expect("request");
    let refuse = format!("/admin/access-requests/{}/refuse", r.id.as_str());
    let Answer { status, .. } = bruno.form(&refuse, &[("reason", "")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let Answer { status, .. } = chloe.form(&refuse, &[("reason", "mine")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A manager of another organisation decides nothing here.
    p.designate_main_manager(&Actor::operator(), &w.bolt, &nrn(&env, ALICE))
        .await
        .expect("alice");
    let alice = Person::login(&env, "citizen-1").await;
    let Answer { status, .. } = alice.form(&refuse, &[("reason", "not yours")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let grant = format!("/admin/access-requests/{}/grant", r.id.as_str());
    let Answer { status, .. } = alice.form(&grant, &[("valid_until", "")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let Answer { status, .. } = alice
        .page(&format!("/admin/structures/{}/requests", w.acme))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        p.my_access_requests(&chloe.user_id()).await.expect("r")[0].status,
        RequestStatus::Pending
    );
    assert_eq!(env.mails_queued(Some("chloe@example.be")).await, 0);
    let Answer { status, .. } = bruno
        .form(&refuse, &[("reason", "Not needed for your job")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mine = p.my_access_requests(&chloe.user_id()).await.expect("r");
    assert_eq!(mine[0].status, RequestStatus::Rejected);
    assert!(p.grants_of(&chloe.user_id()).await.expect("g").is_empty());
    assert_eq!(env.mails_queued(Some("chloe@example.be")).await, 1);
    let Answer { text: html, .. } = chloe.page("/admin/mine/habilitations").await;
    assert!(html.contains("Not needed for your job"), "{html}");
}

/// The JSON API offers the same access requests and detaching, refused alike.
#[tokio::test]
async fn the_api_answers_access_requests_and_detaching_like_the_forms() {
    let env = Env::start(options(
        "[[applications]]\nid = \"vouchers\"\nname = \"Vouchers\"\nlevels = [\"read\"]\n",
    ))
    .await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let bruno = Person::login(&env, "citizen-2").await;
    let chloe = Person::login(&env, "citizen-3").await;
    let david = Person::login(&env, "citizen-4").await;
    let api = |who: &Person, path: &str, body: serde_json::Value| {
        who.c
            .post(format!("{}/admin/api{path}", env.url))
            .header("cookie", &who.cookie)
            .header("x-csrf-token", &who.csrf)
            .json(&body)
            .send()
    };
    let path = format!("/structures/{}/access-requests", w.acme);
    // Not attached yet: refused.
    let r = api(
        &chloe,
        &path,
        serde_json::json!({ "right": "vouchers/read" }),
    )
    .await
    .expect("ask");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let asked = p
        .request_attachment(
            &Actor::user(chloe.id.as_str(), None),
            &w.acme,
            &Scope::Services(vec![w.liege.clone(), w.namur.clone()]),
            "both",
        )
        .await
        .expect("ask");
    // Approved for Namur only, through the API's new `services`.
    let r = api(
        &bruno,
        &format!("/attachment-requests/{}/approve", asked.id),
        serde_json::json!({ "services": [w.namur.as_str()] }),
    )
    .await
    .expect("approve");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        p.attachment(&w.acme, &chloe.user_id())
            .await
            .expect("a")
            .expect("attached")
            .scope,
        Scope::Services(vec![w.namur.clone()])
    );
    let r = api(
        &chloe,
        &path,
        serde_json::json!({ "right": "vouchers/read", "comment": "please" }),
    )
    .await
    .expect("ask");
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: serde_json::Value = r.json().await.expect("json");
    let id = created["id"].as_str().expect("id").to_owned();
    let r = api(
        &chloe,
        &path,
        serde_json::json!({ "right": "vouchers/read" }),
    )
    .await
    .expect("again");
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let list = |who: &Person| {
        who.c
            .get(format!("{}/admin/api{path}", env.url))
            .header("cookie", &who.cookie)
            .send()
    };
    assert_eq!(
        list(&david).await.expect("l").status(),
        StatusCode::FORBIDDEN
    );
    let l: serde_json::Value = list(&bruno).await.expect("l").json().await.expect("json");
    assert_eq!(l.as_array().map(Vec::len), Some(1), "{l}");
    let grant = format!("/access-requests/{id}/grant");
    let r = api(&chloe, &grant, serde_json::json!({}))
        .await
        .expect("own");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(p.grants_of(&chloe.user_id()).await.expect("g").is_empty());
    let r = api(&bruno, &grant, serde_json::json!({}))
        .await
        .expect("grant");
    assert_eq!(r.status(), StatusCode::OK);
    let grants = p.grants_of(&chloe.user_id()).await.expect("g");
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].scope, Scope::Services(vec![w.namur.clone()]));
    // Detaching through the API: not by the member, by the manager.
    let detach = format!("/structures/{}/members/{}/detach", w.acme, chloe.id);
    let bruno_out = format!("/structures/{}/members/{}/detach", w.acme, bruno.id);
    let r = api(&chloe, &bruno_out, serde_json::json!({}))
        .await
        .expect("d");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = api(&bruno, &detach, serde_json::json!({}))
        .await
        .expect("d");
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(
        p.attachment(&w.acme, &chloe.user_id())
            .await
            .expect("a")
            .is_none()
    );
    assert!(p.grants_of(&chloe.user_id()).await.expect("g").is_empty());
}
