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
use serde_json::Value;
use support::*;

const ALICE: &str = "85073003328";
const BRUNO: &str = "90021512766";
const CHLOE: &str = "78010124512";
const DAVID: &str = "02030405613";

/// A logged-in browser: its session cookie and CSRF token.
struct Person {
    c: reqwest::Client,
    base: String,
    cookie: String,
    csrf: String,
    id: String,
}

/// What a page or a form answered.
struct Answer {
    status: StatusCode,
    location: String,
    text: String,
}

impl Person {
    async fn login(env: &Env, citizen: &str) -> Self {
        let c = client();
        let session = login(env, &c, citizen).await;
        let mut p = Self {
            c,
            base: env.url.clone(),
            cookie: format!("gw_session={session}"),
            csrf: String::new(),
            id: String::new(),
        };
        let r =
            p.c.get(format!("{}/admin/api/me", p.base))
                .header("cookie", &p.cookie)
                .send()
                .await
                .expect("me");
        let me: Value = r.json().await.expect("me json");
        p.csrf = me["csrf_token"].as_str().expect("csrf").to_owned();
        p.id = me["user_id"].as_str().expect("id").to_owned();
        p
    }

    async fn page(&self, path: &str) -> Answer {
        let r = self
            .c
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept", "text/html")
            .send()
            .await
            .expect("get");
        answer(r).await
    }

    /// A form post with this session's CSRF token, as a browser on this site sends it.
    async fn form(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let mut all: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.raw_form(path, &all, &[]).await
    }

    /// A form post with exactly these fields and extra headers.
    async fn raw_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut req = self
            .c
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept", "text/html")
            .form(fields);
        if !headers.iter().any(|(k, _)| *k == "sec-fetch-site") {
            req = req.header("sec-fetch-site", "same-origin");
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        answer(req.send().await.expect("post")).await
    }
}

async fn answer(r: reqwest::Response) -> Answer {
    let status = r.status();
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = r.text().await.unwrap_or_default();
    Answer {
        status,
        location,
        text,
    }
}

fn nrn(env: &Env, number: &str) -> Subject {
    Subject::Pending(
        NationalNumber::parse(number)
            .expect("nrn")
            .keyed_hash(env.state().keys.nrn_key()),
    )
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64
}

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
    for (level, label) in [("read", "Vouchers / read"), ("modify", "Vouchers / modify")] {
        p.define_right(&op, "vouchers", level, label)
            .await
            .expect("right");
    }
    let read = p.right_by_name("vouchers", "read").await.expect("read").id;
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
    let liege = p
        .create_service(&op, &a, "LGE", "Liège")
        .await
        .expect("s")
        .id;
    let namur = p
        .create_service(&op, &a, "NAM", "Namur")
        .await
        .expect("s")
        .id;
    let b = p
        .create_structure(
            &op,
            &OrgNumber::parse("0403123486").expect("n"),
            "Bolt SRL",
            "Bolt",
        )
        .await
        .expect("b")
        .id;
    p.designate_main_manager(&op, &a, &nrn(env, BRUNO))
        .await
        .expect("bruno");
    p.designate_main_manager(&op, &b, &nrn(env, ALICE))
        .await
        .expect("alice");
    p.designate_local_manager(&op, &a, &liege, &nrn(env, CHLOE))
        .await
        .expect("chloe");
    let grant = |structure: &StructureId, who: &str, scope: Scope, until: Option<i64>| {
        policy::grants::GrantRequest {
            structure: structure.clone(),
            subject: nrn(env, who),
            right: read.clone(),
            scope,
            valid_until: until,
        }
    };
    p.grant(
        &op,
        &grant(
            &a,
            CHLOE,
            Scope::Services(vec![liege.clone()]),
            Some(now_ms() + 86_400_000),
        ),
    )
    .await
    .expect("chloe grant");
    let b_grant = p
        .grant(&op, &grant(&b, DAVID, Scope::Structure, None))
        .await
        .expect("david grant")
        .id;
    World {
        alice: Person::login(env, "citizen-1").await,
        bruno: Person::login(env, "citizen-2").await,
        chloe: Person::login(env, "citizen-3").await,
        david: Person::login(env, "citizen-4").await,
        a,
        liege,
        namur,
        b,
        b_grant,
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
        a.text.contains("valid grants or local managers"),
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
        assert!(a.text.contains("last main manager"), "{who}");
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
