//! The console's structure pages over real sockets: each page for the people who may
//! read it (status and content) and 403 with the shell for the others; every form
//! (303, and the model really changed); and the attacks the JSON API refuses, replayed
//! through the forms (another organisation's manager, a local manager outside their
//! services, a legal representative doing a main manager's work, no CSRF token, another
//! session's token, a cross-site post): each refused, nothing changed.

mod support;

use policy::ids::{NationalNumber, OrgNumber};
use policy::{Actor, GrantId, Scope, ServiceId, StructureId, Subject};
use reqwest::StatusCode;
use support::*;

/// Two structures. A (Acme: Alice its legal representative from the register, Bruno
/// main manager, Chloé local manager of Liège holding `vouchers/read` there for a day,
/// services Liège and Namur) and B (Bolt: Alice main manager, David holding
/// `vouchers/read` on the whole of it), seeded before anyone logs in.
struct World {
    a: StructureId,
    liege: ServiceId,
    namur: ServiceId,
    b: StructureId,
    b_grant: GrantId,
    alice: Person,
    bruno: Person,
    chloe: Person,
    david: Person,
}

async fn world(env: &Env) -> World {
    let p = &env.state().policy;
    let op = Actor::operator();
    let report = p
        .import_representatives(
            &op,
            &format!(
                "enterprise_number;organisation_name;function;national_number;start_date\n\
                 0200065765;Acme SA;Administrateur;{ALICE};2020-01-01\n"
            ),
            env.state().keys.nrn_key(),
        )
        .await
        .expect("import");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let a = p
        .structure_by_number(&OrgNumber::parse("0200065765").expect("n"))
        .await
        .expect("lookup")
        .expect("a")
        .id;
    let o = organisations(env, a).await;
    World {
        alice: Person::login(env, "citizen-1").await,
        bruno: Person::login(env, "citizen-2").await,
        chloe: Person::login(env, "citizen-3").await,
        david: Person::login(env, "citizen-4").await,
        a: o.a,
        liege: o.liege,
        namur: o.namur,
        b: o.b,
        b_grant: o.b_grant,
    }
}

/// A 403 page with the shell, saying why.
fn assert_refused_page(a: &Answer, what: &str) {
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{what}: {}", a.text);
    assert!(a.text.contains("Access refused"), "{what}: {}", a.text);
    assert!(a.text.contains("class=\"shell"), "{what}: no shell");
}

/// A successful form: 303 back to `page` with a confirmation.
fn assert_done(a: &Answer, page: &str, what: &str) {
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{what}: {}", a.text);
    assert!(
        a.location.starts_with(page) && a.location.contains("done="),
        "{what}: {}",
        a.location
    );
}

#[tokio::test]
async fn the_organisation_page_is_for_its_representatives_and_managers() {
    let env = Env::start(Options::default()).await;
    let w = world(&env).await;
    let path = format!("/admin/structures/{}", w.a);
    for (who, p) in [
        ("bruno", &w.bruno),
        ("alice", &w.alice),
        ("chloe", &w.chloe),
    ] {
        let a = p.page(&path).await;
        assert_eq!(a.status, StatusCode::OK, "{who}: {}", a.text);
        for text in [
            "0200.065.765",
            "Acme SA",
            "Liège",
            "Namur",
            "Administrateur",
        ] {
            assert!(a.text.contains(text), "{who}: {text} missing");
        }
        // The representative by name, never by number.
        assert!(a.text.contains("Alice Dupont"), "{who}");
        for secret in [ALICE, "85.07.30", "033.28"] {
            assert!(!a.text.contains(secret), "{who}: {secret} shown");
        }
        assert!(
            a.text
                .contains("<nav aria-label=\"Organisation administration\"")
        );
        // Only a main manager gets the forms.
        let forms = a.text.contains("/name\"");
        assert_eq!(forms, who == "bruno", "{who}: forms shown: {forms}");
    }
    assert_refused_page(&w.david.page(&path).await, "david");
    assert_refused_page(
        &w.bruno.page(&format!("/admin/structures/{}", w.b)).await,
        "bruno on B",
    );
    assert_refused_page(&w.bruno.page("/admin/structures/nope").await, "unknown");
}

#[tokio::test]
async fn a_main_manager_renames_and_manages_services() {
    let env = Env::start(Options::default()).await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let page = format!("/admin/structures/{}", w.a);
    let a = w
        .bruno
        .form(&format!("{page}/name"), &[("common_name", "Acme Cleaning")])
        .await;
    assert_done(&a, &page, "rename");
    assert_eq!(
        p.structure(&w.a).await.expect("a").common_name,
        "Acme Cleaning"
    );
    let shown = w.bruno.page(&a.location).await;
    assert!(shown.text.contains("The common name was changed."));
    assert!(shown.text.contains("<h1>Acme Cleaning</h1>"));

    // A formula-like name is refused on the form, with the policy's message.
    let a = w
        .bruno
        .form(&format!("{page}/name"), &[("common_name", "=HYPERLINK(1)")])
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.text.contains("role=\"alert\""));
    assert!(a.text.contains("may not start with"));
    assert_eq!(
        p.structure(&w.a).await.expect("a").common_name,
        "Acme Cleaning"
    );

    let a = w
        .bruno
        .form(
            &format!("{page}/services"),
            &[("code", "HUY"), ("label", "Huy")],
        )
        .await;
    assert_done(&a, &page, "create service");
    let huy = p
        .services(&w.a)
        .await
        .expect("list")
        .into_iter()
        .find(|s| s.code == "HUY")
        .expect("created");
    let a = w
        .bruno
        .form(
            &format!("{page}/services/{}/label", huy.id),
            &[("label", "Huy centre")],
        )
        .await;
    assert_done(&a, &page, "rename service");
    assert!(
        p.services(&w.a)
            .await
            .expect("list")
            .iter()
            .any(|s| s.label == "Huy centre")
    );

    // Liège has a local manager and a valid grant: 409 and the page says why.
    let a = w
        .bruno
        .form(&format!("{page}/services/{}/close", w.liege), &[])
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.text);
    assert!(
        a.text
            .contains("refused.</strong> A service can be closed only once nobody"),
        "{}",
        a.text
    );
    assert!(a.text.contains("can be closed only once nobody"));
    assert_eq!(p.services(&w.a).await.expect("list").len(), 3);

    // Namur holds nothing: closed, and gone from the page.
    let a = w
        .bruno
        .form(&format!("{page}/services/{}/close", w.namur), &[])
        .await;
    assert_done(&a, &page, "close");
    let open = p.services(&w.a).await.expect("list");
    assert!(open.iter().all(|s| s.id != w.namur));
    assert!(!w.bruno.page(&page).await.text.contains("Namur"));
}

#[tokio::test]
async fn organisation_forms_refuse_whoever_the_api_refuses() {
    let env = Env::start(Options::default()).await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let a_page = format!("/admin/structures/{}", w.a);
    let b_page = format!("/admin/structures/{}", w.b);
    let liege = format!("{a_page}/services/{}", w.liege);
    // A legal representative, a local manager, another organisation's manager.
    for (who, person, path, fields) in [
        (
            "alice renames A",
            &w.alice,
            format!("{a_page}/name"),
            vec![("common_name", "Mine")],
        ),
        (
            "chloe renames A",
            &w.chloe,
            format!("{a_page}/name"),
            vec![("common_name", "Mine")],
        ),
        (
            "chloe creates",
            &w.chloe,
            format!("{a_page}/services"),
            vec![("code", "X"), ("label", "X")],
        ),
        (
            "chloe relabels",
            &w.chloe,
            format!("{liege}/label"),
            vec![("label", "Mine")],
        ),
        ("chloe closes", &w.chloe, format!("{liege}/close"), vec![]),
        (
            "bruno renames B",
            &w.bruno,
            format!("{b_page}/name"),
            vec![("common_name", "Mine")],
        ),
        (
            "bruno creates in B",
            &w.bruno,
            format!("{b_page}/services"),
            vec![("code", "X"), ("label", "X")],
        ),
        (
            "david renames A",
            &w.david,
            format!("{a_page}/name"),
            vec![("common_name", "Mine")],
        ),
    ] {
        let a = person.form(&path, &fields).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{who}: {}", a.text);
    }
    // Bruno's own form, without a token, with Chloé's, or from another site.
    let path = format!("{a_page}/name");
    for (what, fields, headers) in [
        ("no token", vec![("common_name", "Mine")], vec![]),
        (
            "another session's token",
            vec![("csrf", w.chloe.csrf.as_str()), ("common_name", "Mine")],
            vec![],
        ),
        (
            "cross-site",
            vec![("csrf", w.bruno.csrf.as_str()), ("common_name", "Mine")],
            vec![("sec-fetch-site", "cross-site")],
        ),
    ] {
        let a = w.bruno.raw_form(&path, &fields, &headers).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{what}: {}", a.text);
    }
    // Nothing changed.
    assert_eq!(p.structure(&w.a).await.expect("a").common_name, "Acme SA");
    assert_eq!(p.structure(&w.b).await.expect("b").common_name, "Bolt");
    assert_eq!(p.services(&w.a).await.expect("a").len(), 2);
    assert!(p.services(&w.b).await.expect("b").is_empty());
    let _ = (&w.b_grant, &w.david.id);
}

/// A valid national register number nobody of the demo has (`i` from 1 to 90).
fn fresh_nrn(i: u64) -> String {
    let body = 850_730_100 + i;
    format!("{body:09}{:02}", 97 - body % 97)
}

#[tokio::test]
async fn the_managers_page_shows_who_manages_what() {
    let env = Env::start(Options::default()).await;
    let w = world(&env).await;
    let path = format!("/admin/structures/{}/managers", w.a);
    for (who, p) in [("bruno", &w.bruno), ("alice", &w.alice)] {
        let a = p.page(&path).await;
        assert_eq!(a.status, StatusCode::OK, "{who}: {}", a.text);
        for text in [
            "Bruno Peeters",
            "Chloé Janssens",
            "LGE",
            "NAM",
            "can neither leave nor be removed",
        ] {
            assert!(a.text.contains(text), "{who}: {text} missing");
        }
        assert!(
            a.text.contains("/managers/main\""),
            "{who}: designation form"
        );
    }
    // The local manager sees her service only, and no designation form.
    let a = w.chloe.page(&path).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert!(
        a.text.contains("LGE") && !a.text.contains("NAM"),
        "{}",
        a.text
    );
    assert!(!a.text.contains("/managers/main\""));
    assert!(!a.text.contains("/managers/local\""));
    assert_refused_page(&w.david.page(&path).await, "david");
    assert_refused_page(
        &w.bruno
            .page(&format!("/admin/structures/{}/managers", w.b))
            .await,
        "bruno on B",
    );
}

#[tokio::test]
async fn managers_are_designated_withdrawn_and_removed_through_the_forms() {
    let env = Env::start(Options::default()).await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let op = Actor::operator();
    let page = format!("/admin/structures/{}/managers", w.a);
    let main = format!("{page}/main");
    let count_main = || async { p.main_managers(&op, &w.a).await.expect("mains").len() };

    // A bad number: 400, said on the form, nothing designated.
    let a = w
        .alice
        .form(&main, &[("national_number", "85073003327")])
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text);
    assert!(a.text.contains("not a valid national register number"));
    assert!(
        a.text
            .contains("aria-describedby=\"main-nrn-hint notice-main\"")
    );
    assert_eq!(count_main().await, 1);

    // Someone who never logged in: pending, shown masked, then withdrawn.
    let number = fresh_nrn(1);
    let a = w.alice.form(&main, &[("national_number", &number)]).await;
    assert_done(&a, &page, "designate pending");
    assert_eq!(count_main().await, 2);
    let shown = w.alice.page(&page).await;
    let masked = format!("**.**.**-***.{}", &number[9..]);
    assert!(shown.text.contains(&masked), "{}", shown.text);
    assert!(shown.text.contains("Pending until their first login"));
    assert!(!shown.text.contains(&number));
    let hash = NationalNumber::parse(&number)
        .expect("nrn")
        .keyed_hash(env.state().keys.nrn_key());
    let who = format!("nrn:{}", hash.as_str());
    assert!(shown.text.contains(&who), "withdraw form");
    let a = w
        .alice
        .form(&format!("{main}/remove"), &[("who", &who)])
        .await;
    assert_done(&a, &page, "withdraw");
    assert_eq!(count_main().await, 1);

    // The last main manager can neither leave nor be removed.
    let bruno = format!("user:{}", w.bruno.id);
    for (who, person) in [("bruno leaves", &w.bruno), ("alice removes", &w.alice)] {
        let a = person
            .form(&format!("{main}/remove"), &[("who", &bruno)])
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{who}: {}", a.text);
        assert!(
            a.text
                .contains("refused.</strong> An organisation always keeps"),
            "{who}"
        );
        assert!(a.text.contains("role=\"alert\""), "{who}");
    }
    assert_eq!(count_main().await, 1);

    // A successor by number (David has logged in: effective at once), then Bruno goes.
    let a = w.bruno.form(&main, &[("national_number", DAVID)]).await;
    assert_done(&a, &page, "designate david");
    let mains = p.main_managers(&op, &w.a).await.expect("mains");
    assert!(
        mains
            .iter()
            .any(|d| d.subject == Subject::User(w.david.id.as_str().into()))
    );
    let a = w
        .alice
        .form(&format!("{main}/remove"), &[("who", &bruno)])
        .await;
    assert_done(&a, &page, "remove bruno");
    assert_eq!(count_main().await, 1);

    // Local managers, named by a main manager (David now): Chloé in Namur by picking
    // her among the people attached, someone else by number; a legal representative
    // names none.
    let local = format!("{page}/local");
    let a = w
        .david
        .form(
            &local,
            &[("service", w.namur.as_str()), ("person", &w.chloe.id)],
        )
        .await;
    assert_done(&a, &page, "local by person");
    let a = w
        .david
        .form(
            &local,
            &[
                ("service", w.namur.as_str()),
                ("national_number", &fresh_nrn(2)),
            ],
        )
        .await;
    assert_done(&a, &page, "local by number");
    let locals = p.local_managers(&op, &w.a).await.expect("locals");
    assert_eq!(
        locals
            .iter()
            .filter(|d| d.service_id.as_ref() == Some(&w.namur))
            .count(),
        2
    );
    let a = w.david.form(&local, &[("service", w.namur.as_str())]).await;
    assert_eq!(
        a.status,
        StatusCode::BAD_REQUEST,
        "neither person nor number"
    );
    let a = w
        .alice
        .form(
            &local,
            &[("service", w.namur.as_str()), ("person", &w.chloe.id)],
        )
        .await;
    assert_eq!(
        a.status,
        StatusCode::FORBIDDEN,
        "a representative names no local manager"
    );
    let a = w
        .david
        .form(
            &format!("{local}/remove"),
            &[
                ("service", w.namur.as_str()),
                ("who", &format!("user:{}", w.chloe.id)),
            ],
        )
        .await;
    assert_done(&a, &page, "remove local");
    let locals = p.local_managers(&op, &w.a).await.expect("locals");
    assert_eq!(
        locals.len(),
        2,
        "Chloé in Liège and the pending one in Namur"
    );
}

#[tokio::test]
async fn manager_forms_refuse_whoever_the_api_refuses() {
    let env = Env::start(Options::default()).await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let op = Actor::operator();
    let a_page = format!("/admin/structures/{}/managers", w.a);
    let b_page = format!("/admin/structures/{}/managers", w.b);
    let bruno = format!("user:{}", w.bruno.id);
    let alice = format!("user:{}", w.alice.id);
    for (who, person, path, fields) in [
        (
            "chloe designates a main manager",
            &w.chloe,
            format!("{a_page}/main"),
            vec![("national_number", DAVID)],
        ),
        (
            "chloe names a local manager elsewhere",
            &w.chloe,
            format!("{a_page}/local"),
            vec![("service", w.namur.as_str()), ("national_number", DAVID)],
        ),
        (
            "chloe names one in her own service",
            &w.chloe,
            format!("{a_page}/local"),
            vec![("service", w.liege.as_str()), ("national_number", DAVID)],
        ),
        (
            "chloe removes bruno",
            &w.chloe,
            format!("{a_page}/main/remove"),
            vec![("who", bruno.as_str())],
        ),
        (
            "bruno designates in B",
            &w.bruno,
            format!("{b_page}/main"),
            vec![("national_number", DAVID)],
        ),
        (
            "bruno removes alice in B",
            &w.bruno,
            format!("{b_page}/main/remove"),
            vec![("who", alice.as_str())],
        ),
        (
            "david designates in A",
            &w.david,
            format!("{a_page}/main"),
            vec![("national_number", DAVID)],
        ),
    ] {
        let a = person.form(&path, &fields).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{who}: {}", a.text);
    }
    let path = format!("{a_page}/main");
    for (what, fields, headers) in [
        ("no token", vec![("national_number", DAVID)], vec![]),
        (
            "another session's token",
            vec![("csrf", w.chloe.csrf.as_str()), ("national_number", DAVID)],
            vec![],
        ),
        (
            "cross-site",
            vec![("csrf", w.alice.csrf.as_str()), ("national_number", DAVID)],
            vec![("sec-fetch-site", "cross-site")],
        ),
    ] {
        let a = w.alice.raw_form(&path, &fields, &headers).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{what}: {}", a.text);
    }
    assert_eq!(p.main_managers(&op, &w.a).await.expect("a").len(), 1);
    assert_eq!(p.main_managers(&op, &w.b).await.expect("b").len(), 1);
    assert_eq!(p.local_managers(&op, &w.a).await.expect("a").len(), 1);
}

/// The grants of a structure as the operator sees them (not revoked).
async fn grants_of(env: &Env, s: &StructureId) -> Vec<policy::Grant> {
    env.state()
        .policy
        .grants_in(&Actor::operator(), s)
        .await
        .expect("grants")
}

/// A day `days` from now, as a date field holds it.
fn day_in(days: i64) -> String {
    chrono::DateTime::from_timestamp_millis(now_ms() + days * 86_400_000)
        .expect("date")
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn the_people_page_lists_habilitations_as_far_as_the_caller_manages() {
    let env = Env::start(Options::default()).await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let read = p.right_by_name("vouchers", "read").await.expect("read").id;
    // David holds a right in Namur, outside Chloé's service.
    p.grant(
        &Actor::operator(),
        &policy::grants::GrantRequest {
            structure: w.a.clone(),
            subject: Subject::User(w.david.id.as_str().into()),
            right: read,
            scope: Scope::Services(vec![w.namur.clone()]),
            valid_until: None,
        },
    )
    .await
    .expect("david in namur");
    let path = format!("/admin/structures/{}/people", w.a);
    let a = w.bruno.page(&path).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    for text in [
        "Chloé Janssens",
        "David Lambert",
        "Bruno Peeters",
        "Vouchers &#x2f; read",
        "No habilitation",
        "id=\"bulk-grant\"",
    ] {
        assert!(a.text.contains(text), "bruno: {text} missing");
    }
    assert!(
        a.text
            .contains("<nav aria-label=\"Organisation administration\"")
    );
    // The local manager sees her service only.
    let a = w.chloe.page(&path).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert!(a.text.contains("Chloé Janssens"));
    assert!(!a.text.contains("David Lambert"), "outside her service");
    // The legal representative reads, without forms.
    let a = w.alice.page(&path).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert!(a.text.contains("David Lambert"));
    assert!(!a.text.contains("id=\"bulk-grant\""));
    assert!(!a.text.contains("/revoke\""));
    assert_refused_page(&w.david.page(&path).await, "david");
    assert_refused_page(
        &w.bruno
            .page(&format!("/admin/structures/{}/people", w.b))
            .await,
        "bruno on B",
    );
    for export in ["export.csv", "export.xlsx"] {
        let a = w.david.page(&format!("{path}/{export}")).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "david exports");
    }
}

#[tokio::test]
async fn the_people_list_filters_sorts_pages_and_exports() {
    let clock = manual_clock();
    let env = Env::start(Options {
        clock: Some(clock.clone()),
        ..Options::default()
    })
    .await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let op = Actor::operator();
    let read = p.right_by_name("vouchers", "read").await.expect("read").id;
    let modify = p.right_by_name("vouchers", "modify").await.expect("m").id;
    // 30 people known by number only, in Namur, for 10 days; one of them for a minute.
    for i in 1..=30 {
        let until = if i == 30 { 60_000 } else { 10 * 86_400_000 };
        p.grant(
            &op,
            &policy::grants::GrantRequest {
                structure: w.a.clone(),
                subject: nrn(&env, &fresh_nrn(i)),
                right: if i % 2 == 0 {
                    modify.clone()
                } else {
                    read.clone()
                },
                scope: Scope::Services(vec![w.namur.clone()]),
                valid_until: Some(policy::Clock::now_ms(&*clock) + until),
            },
        )
        .await
        .expect("grant");
    }
    clock.advance(120_000);
    let path = format!("/admin/structures/{}/people", w.a);

    // Paging: 25 a page, the filters kept in the links.
    let a = w.bruno.page(&format!("{path}?service={}", w.namur)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert!(a.text.contains("page 1 of 2"), "{}", a.text);
    let next = format!("service={}&amp;sort=name&amp;dir=asc&amp;page=2", w.namur);
    assert!(a.text.contains(&next), "next link keeps the filter");
    let a2 = w
        .bruno
        .page(&format!(
            "{path}?service={}&sort=name&dir=asc&page=2",
            w.namur
        ))
        .await;
    assert!(a2.text.contains("page 2 of 2"));
    assert!(a2.text.contains("rel=\"prev\""));
    // Bruno is attached to the whole structure: Namur covers him too (31 lines).
    assert!(a.text.contains("31 line(s) found."), "{}", a.text);

    // Filters.
    let a = w.bruno.page(&format!("{path}?name=chlo")).await;
    assert!(a.text.contains("1 line(s) found."), "{}", a.text);
    assert!(a.text.contains("Chloé Janssens"));
    let a = w.bruno.page(&format!("{path}?level=modify")).await;
    assert!(a.text.contains("15 line(s) found."), "{}", a.text);
    let a = w
        .bruno
        .page(&format!("{path}?application=vouchers&level=read"))
        .await;
    assert!(
        a.text.contains("16 line(s) found."),
        "15 numbers and Chloé: {}",
        a.text
    );
    let a = w.bruno.page(&format!("{path}?ending=2")).await;
    assert!(
        a.text.contains("1 line(s) found."),
        "Chloé's day: {}",
        a.text
    );
    let a = w.bruno.page(&format!("{path}?expired=1")).await;
    assert!(a.text.contains("1 line(s) found."), "{}", a.text);
    assert!(a.text.contains("Expired"));

    // Sorting on a column, said by aria-sort.
    let a = w
        .bruno
        .page(&format!("{path}?sort=name&dir=desc&level=read"))
        .await;
    assert!(a.text.contains("aria-sort=\"descending\""));
    let a = w
        .bruno
        .page(&format!("{path}?sort=until&dir=asc&service={}", w.liege))
        .await;
    assert!(a.text.contains("aria-sort=\"ascending\""));
    let table = &a.text[a.text.find("<tbody>").expect("table")..];
    let chloe_at = table.find("Chloé Janssens").expect("chloé");
    let bruno_at = table.find("Bruno Peeters").expect("bruno");
    assert!(chloe_at < bruno_at, "an end date sorts before none");
    for (dir, chloe_first) in [("asc", false), ("desc", true)] {
        let a = w
            .bruno
            .page(&format!("{path}?sort=name&dir={dir}&service={}", w.liege))
            .await;
        let table = &a.text[a.text.find("<tbody>").expect("table")..];
        let c = table.find("Chloé Janssens").expect("chloé");
        let b = table.find("Bruno Peeters").expect("bruno");
        assert_eq!(c < b, chloe_first, "name {dir}");
    }

    // Export: the same filtered list.
    let r = w
        .bruno
        .c
        .get(format!("{}{path}/export.csv?name=chlo", env.url))
        .header("cookie", &w.bruno.cookie)
        .send()
        .await
        .expect("csv");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/csv")
    );
    let csv = r.text().await.expect("csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].starts_with("Name,Attached to,Application"));
    assert!(lines[1].starts_with("Chloé Janssens,LGE,vouchers,read,LGE,"));
    let r = w
        .bruno
        .c
        .get(format!("{}{path}/export.xlsx?level=modify", env.url))
        .header("cookie", &w.bruno.cookie)
        .send()
        .await
        .expect("xlsx");
    assert_eq!(r.status(), StatusCode::OK);
    let book = r.bytes().await.expect("bytes");
    assert!(book.starts_with(b"PK"), "a zip");
}

#[tokio::test]
async fn habilitations_are_granted_changed_renewed_and_revoked_through_the_forms() {
    let env = Env::start(Options::default()).await;
    let w = world(&env).await;
    let page = format!("/admin/structures/{}/people", w.a);
    let p = &env.state().policy;
    let modify = p.right_by_name("vouchers", "modify").await.expect("m").id;
    let before = grants_of(&env, &w.a).await.len();
    // To two people at once, in Namur, until a day.
    let last = day_in(30);
    let a = w
        .bruno
        .form(
            &format!("{page}/grant"),
            &[
                ("person", &w.chloe.id),
                ("person", &w.bruno.id),
                ("right", modify.as_str()),
                ("scope", "services"),
                ("service", w.namur.as_str()),
                ("until", &last),
            ],
        )
        .await;
    assert_done(&a, &page, "grant");
    let grants = grants_of(&env, &w.a).await;
    assert_eq!(grants.len(), before + 2);
    let new: Vec<_> = grants.iter().filter(|g| g.right.id == modify).collect();
    assert_eq!(new.len(), 2);
    for g in &new {
        assert_eq!(g.scope, Scope::Services(vec![w.namur.clone()]));
        assert!(g.valid_until.is_some());
    }
    // Refused input, said on the form.
    for (what, fields) in [
        ("nobody", vec![("right", modify.as_str())]),
        (
            "bad date",
            vec![
                ("person", w.chloe.id.as_str()),
                ("right", modify.as_str()),
                ("until", "31/12/2030"),
            ],
        ),
        (
            "no service",
            vec![
                ("person", w.chloe.id.as_str()),
                ("right", modify.as_str()),
                ("scope", "services"),
            ],
        ),
        (
            "bad number",
            vec![
                ("national_number", "12345678901"),
                ("right", modify.as_str()),
            ],
        ),
    ] {
        let a = w.bruno.form(&format!("{page}/grant"), &fields).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{what}: {}", a.text);
        assert!(a.text.contains("role=\"alert\""), "{what}");
    }
    assert_eq!(grants_of(&env, &w.a).await.len(), before + 2);

    // Chloé's read grant in Liège: level, end, revoke.
    let chloe = Subject::User(w.chloe.id.as_str().into());
    let g = grants_of(&env, &w.a)
        .await
        .into_iter()
        .find(|g| g.holder == chloe && g.right.level == "read")
        .expect("chloé's read");
    let grant_path = format!("{page}/grants/{}", g.id);
    let a = w
        .bruno
        .form(
            &format!("{grant_path}/level"),
            &[("right", modify.as_str())],
        )
        .await;
    assert_done(&a, &page, "level");
    let now_level = grants_of(&env, &w.a)
        .await
        .into_iter()
        .find(|x| x.id == g.id)
        .expect("still there");
    assert_eq!(now_level.right.level, "modify");
    let later = day_in(60);
    let a = w
        .bruno
        .form(&format!("{grant_path}/renew"), &[("until", &later)])
        .await;
    assert_done(&a, &page, "renew");
    let renewed = grants_of(&env, &w.a)
        .await
        .into_iter()
        .find(|x| x.id == g.id)
        .expect("still there");
    assert!(renewed.valid_until.expect("until") > now_ms() + 59 * 86_400_000);
    let shown = w.bruno.page(&a.location).await;
    assert!(shown.text.contains("The habilitation was renewed."));
    assert!(shown.text.contains(&later));
    let a = w.bruno.form(&format!("{grant_path}/revoke"), &[]).await;
    assert_done(&a, &page, "revoke");
    assert!(grants_of(&env, &w.a).await.iter().all(|x| x.id != g.id));

    // To someone who never logged in, by number: pending, shown masked.
    let number = fresh_nrn(7);
    let a = w
        .bruno
        .form(
            &format!("{page}/grant"),
            &[
                ("national_number", number.as_str()),
                ("right", modify.as_str()),
            ],
        )
        .await;
    assert_done(&a, &page, "grant by number");
    let shown = w.bruno.page(&page).await;
    assert!(
        shown
            .text
            .contains(&format!("**.**.**-***.{}", &number[9..]))
    );
    assert!(shown.text.contains("Pending until their first login"));
    assert!(!shown.text.contains(&number));
    assert!(
        grants_of(&env, &w.a)
            .await
            .iter()
            .any(|g| g.holder == nrn(&env, &number))
    );

    // A local manager is told the rule she grants under.
    let c = w.chloe.page(&page).await;
    assert!(c.text.contains("only within your services"));
}

#[tokio::test]
async fn habilitation_forms_refuse_whoever_the_api_refuses() {
    let env = Env::start(Options::default()).await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let op = Actor::operator();
    let read = p.right_by_name("vouchers", "read").await.expect("read").id;
    let modify = p.right_by_name("vouchers", "modify").await.expect("m").id;
    let namur_grant = p
        .grant(
            &op,
            &policy::grants::GrantRequest {
                structure: w.a.clone(),
                subject: Subject::User(w.david.id.as_str().into()),
                right: read.clone(),
                scope: Scope::Services(vec![w.namur.clone()]),
                valid_until: None,
            },
        )
        .await
        .expect("david in namur")
        .id;
    let a_page = format!("/admin/structures/{}/people", w.a);
    let b_page = format!("/admin/structures/{}/people", w.b);
    let before_a = grants_of(&env, &w.a).await;
    let tomorrow = day_in(0);
    let far = day_in(5);
    let namur_path = format!("{a_page}/grants/{namur_grant}");
    let b_grant = format!("{a_page}/grants/{}", w.b_grant);
    let b_grant_own = format!("{b_page}/grants/{}", w.b_grant);
    let david = w.david.id.as_str();
    for (who, person, path, fields) in [
        (
            "chloe grants in Namur",
            &w.chloe,
            format!("{a_page}/grant"),
            vec![
                ("person", david),
                ("right", read.as_str()),
                ("scope", "services"),
                ("service", w.namur.as_str()),
                ("until", tomorrow.as_str()),
            ],
        ),
        (
            "chloe grants on the whole structure",
            &w.chloe,
            format!("{a_page}/grant"),
            vec![
                ("person", david),
                ("right", read.as_str()),
                ("scope", "structure"),
                ("until", tomorrow.as_str()),
            ],
        ),
        (
            "chloe grants a right she lacks",
            &w.chloe,
            format!("{a_page}/grant"),
            vec![
                ("person", david),
                ("right", modify.as_str()),
                ("scope", "services"),
                ("service", w.liege.as_str()),
                ("until", tomorrow.as_str()),
            ],
        ),
        (
            "chloe grants without end",
            &w.chloe,
            format!("{a_page}/grant"),
            vec![
                ("person", david),
                ("right", read.as_str()),
                ("scope", "services"),
                ("service", w.liege.as_str()),
            ],
        ),
        (
            "chloe grants beyond her end",
            &w.chloe,
            format!("{a_page}/grant"),
            vec![
                ("person", david),
                ("right", read.as_str()),
                ("scope", "services"),
                ("service", w.liege.as_str()),
                ("until", far.as_str()),
            ],
        ),
        (
            "chloe revokes in Namur",
            &w.chloe,
            format!("{namur_path}/revoke"),
            vec![],
        ),
        (
            "chloe renews in Namur",
            &w.chloe,
            format!("{namur_path}/renew"),
            vec![("until", far.as_str())],
        ),
        (
            "chloe changes a level in Namur",
            &w.chloe,
            format!("{namur_path}/level"),
            vec![("right", modify.as_str())],
        ),
        (
            "bruno revokes B's grant through A",
            &w.bruno,
            format!("{b_grant}/revoke"),
            vec![],
        ),
        (
            "bruno renews B's grant through A",
            &w.bruno,
            format!("{b_grant}/renew"),
            vec![("until", far.as_str())],
        ),
        (
            "bruno revokes on B's page",
            &w.bruno,
            format!("{b_grant_own}/revoke"),
            vec![],
        ),
        (
            "bruno grants in B",
            &w.bruno,
            format!("{b_page}/grant"),
            vec![("person", david), ("right", modify.as_str())],
        ),
        (
            "alice grants in A",
            &w.alice,
            format!("{a_page}/grant"),
            vec![("person", david), ("right", modify.as_str())],
        ),
        (
            "david grants in A",
            &w.david,
            format!("{a_page}/grant"),
            vec![("person", david), ("right", modify.as_str())],
        ),
        (
            "david revokes in A",
            &w.david,
            format!("{namur_path}/revoke"),
            vec![],
        ),
    ] {
        let a = person.form(&path, &fields).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{who}: {}", a.text);
    }
    // The refusal is said in the person's words, on the form.
    let a = w
        .chloe
        .form(
            &format!("{a_page}/grant"),
            &[
                ("person", david),
                ("right", read.as_str()),
                ("scope", "services"),
                ("service", w.namur.as_str()),
                ("until", tomorrow.as_str()),
            ],
        )
        .await;
    assert!(
        a.text
            .contains("refused.</strong> As a local access manager you act only within"),
        "{}",
        a.text
    );
    let path = format!("{a_page}/grant");
    for (what, fields, headers) in [
        (
            "no token",
            vec![("person", david), ("right", modify.as_str())],
            vec![],
        ),
        (
            "another session's token",
            vec![
                ("csrf", w.chloe.csrf.as_str()),
                ("person", david),
                ("right", modify.as_str()),
            ],
            vec![],
        ),
        (
            "cross-site",
            vec![
                ("csrf", w.bruno.csrf.as_str()),
                ("person", david),
                ("right", modify.as_str()),
            ],
            vec![("sec-fetch-site", "cross-site")],
        ),
    ] {
        let a = w.bruno.raw_form(&path, &fields, &headers).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{what}: {}", a.text);
    }
    // Nothing changed, in A or in B.
    assert_eq!(grants_of(&env, &w.a).await, before_a);
    let b = grants_of(&env, &w.b).await;
    assert_eq!(b.len(), 1);
    assert!(b[0].revoked_at.is_none());

    // Inside her service, a right she holds, until tomorrow: the form works for her.
    let a = w
        .chloe
        .form(
            &format!("{a_page}/grant"),
            &[
                ("person", david),
                ("right", read.as_str()),
                ("scope", "services"),
                ("service", w.liege.as_str()),
                ("until", tomorrow.as_str()),
            ],
        )
        .await;
    assert_done(&a, &a_page, "chloe grants inside");
    assert_eq!(grants_of(&env, &w.a).await.len(), before_a.len() + 1);
}

#[tokio::test]
async fn the_pages_speak_the_persons_language_and_escape_names() {
    let env = Env::start(Options::default()).await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let path = format!("/admin/structures/{}", w.a);
    for (lang, words) in [
        (
            "fr",
            [
                "Gestionnaires d'accès",
                "Représentants légaux",
                "Personnes et habilitations",
            ],
        ),
        (
            "nl",
            [
                "Toegangsbeheerders",
                "Wettelijke vertegenwoordigers",
                "Personen en machtigingen",
            ],
        ),
    ] {
        let r = w
            .bruno
            .c
            .get(format!("{}{path}", env.url))
            .header("cookie", &w.bruno.cookie)
            .header("accept-language", lang)
            .send()
            .await
            .expect("page");
        assert_eq!(r.status(), StatusCode::OK);
        let text = r.text().await.expect("text");
        for word in words {
            let shown = word.replace('\'', "&#x27;");
            assert!(
                text.contains(&shown) || text.contains(word),
                "{lang}: {word}"
            );
        }
    }
    // A name is text, never markup.
    let a = w
        .bruno
        .form(&format!("{path}/name"), &[("common_name", "<b>Acme</b>")])
        .await;
    assert_done(&a, &path, "rename");
    assert_eq!(
        p.structure(&w.a).await.expect("a").common_name,
        "<b>Acme</b>"
    );
    let page = w.bruno.page(&path).await;
    assert!(
        page.text.contains("&lt;b&gt;Acme&lt;&#x2f;b&gt;"),
        "escaped"
    );
    assert!(!page.text.contains("<b>Acme</b>"));
}
