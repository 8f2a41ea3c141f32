//! The console's request pages over real sockets: "My organisations" (attachments,
//! detaching oneself, asking to be attached by number), the managers' side of attachment
//! requests, "My habilitations", and access requests from a 403. Each for the right
//! people and refused to others, with the model checked after every answer (changed, or
//! not), forms without or with a foreign CSRF token refused, and the mails counted.

mod support;

use policy::ids::{NationalNumber, OrgNumber};
use policy::{Actor, RequestStatus, Scope, ServiceId, StructureId, Subject, UserId};
use reqwest::StatusCode;
use support::*;

const BRUNO: &str = "90021512766";
const CHLOE: &str = "78010124512";

/// A logged-in browser: its session cookie, its CSRF token and user id.
struct Person {
    c: reqwest::Client,
    base: String,
    cookie: String,
    csrf: String,
    id: UserId,
}

impl Person {
    async fn login(env: &Env, citizen: &str) -> Self {
        let c = client();
        let session = login(env, &c, citizen).await;
        let cookie = format!("gw_session={session}");
        let me: serde_json::Value = c
            .get(format!("{}/admin/api/me", env.url))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("me")
            .json()
            .await
            .expect("me json");
        Self {
            c,
            base: env.url.clone(),
            cookie,
            csrf: me["csrf_token"].as_str().expect("csrf").to_owned(),
            id: UserId::from(me["user_id"].as_str().expect("id")),
        }
    }

    /// A page, as a browser asks for it: status and text.
    async fn page(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .c
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept", "text/html")
            .send()
            .await
            .expect("get");
        let status = r.status();
        (status, r.text().await.unwrap_or_default())
    }

    /// A form sent with this person's CSRF token.
    async fn form(&self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String, String) {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.send(path, &all).await
    }

    /// A form sent exactly as given (no token added).
    async fn send(&self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String, String) {
        let r = self
            .c
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept", "text/html")
            .form(fields)
            .send()
            .await
            .expect("post");
        let status = r.status();
        let to = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        (status, to, r.text().await.unwrap_or_default())
    }
}

fn nrn(env: &Env, number: &str) -> Subject {
    Subject::Pending(
        NationalNumber::parse(number)
            .expect("nrn")
            .keyed_hash(env.state().keys.nrn_key()),
    )
}

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
    let p = &env.state().policy;
    let op = Actor::operator();
    let acme = p
        .create_structure(
            &op,
            &OrgNumber::parse("0200065765").expect("n"),
            "Acme SA",
            "Acme",
        )
        .await
        .expect("acme")
        .id;
    let liege = p
        .create_service(&op, &acme, "LGE", "Liège")
        .await
        .expect("s")
        .id;
    let namur = p
        .create_service(&op, &acme, "NAM", "Namur")
        .await
        .expect("s")
        .id;
    let bolt = p
        .create_structure(
            &op,
            &OrgNumber::parse("0403123486").expect("n"),
            "Bolt SRL",
            "Bolt",
        )
        .await
        .expect("bolt")
        .id;
    p.designate_main_manager(&op, &acme, &nrn(env, BRUNO))
        .await
        .expect("bruno");
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

    let (status, html) = chloe.page("/admin/mine").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>My organisations</h1>"), "{html}");
    assert!(html.contains("You are attached to no organisation yet."));
    let (_, html) = chloe.page("/admin/").await;
    assert!(html.contains("href=\"/admin/mine\""), "{html}");
    let (_, html) = chloe.page("/account/").await;
    assert!(html.contains("href=\"/admin/mine\""), "{html}");

    // A bad number: the form says so, nothing stored.
    let (status, _, html) = chloe
        .form(
            "/admin/mine/attachment-requests",
            &[("number", "0200065766"), ("comment", "I work there")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(html.contains("This is not a valid enterprise number"), "{html}");
    assert!(html.contains("value=\"0200065766\""), "the form keeps what was typed");
    // No comment.
    let (status, _, html) = chloe
        .form(
            "/admin/mine/attachment-requests",
            &[("number", "0200.065.765"), ("comment", "  ")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("Please say why"), "{html}");
    // An unknown service code.
    let (status, _, html) = chloe
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
    assert!(html.contains("not a service of this organisation"), "{html}");
    // No token, a foreign token.
    let fields = [("number", "0200.065.765"), ("comment", "Liège office")];
    let (status, _, _) = chloe.send("/admin/mine/attachment-requests", &fields).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut foreign = vec![("csrf", bruno.csrf.as_str())];
    foreign.extend_from_slice(&fields);
    let (status, _, _) = chloe.send("/admin/mine/attachment-requests", &foreign).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        p.my_attachment_requests(&chloe.id)
            .await
            .expect("mine")
            .is_empty(),
        "nothing stored by refused forms"
    );

    // A good request for the Liège service.
    let (status, to, _) = chloe
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
    let mine = p.my_attachment_requests(&chloe.id).await.expect("mine");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].structure_id, w.acme);
    assert_eq!(mine[0].scope, Scope::Services(vec![w.liege.clone()]));
    let (_, html) = chloe.page(&to).await;
    assert!(html.contains("Your request was sent"), "{html}");
    assert!(html.contains("Waiting for an access manager"), "{html}");
    assert!(html.contains("Liège office"));
    // Twice: refused on the form, still one.
    let (status, _, html) = chloe
        .form(
            "/admin/mine/attachment-requests",
            &[("number", "0200065765"), ("comment", "again")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("already waiting"), "{html}");
    assert_eq!(p.my_attachment_requests(&chloe.id).await.expect("mine").len(), 1);

    // An organisation new to the platform: created pending, the operator sees it.
    let (status, to, _) = chloe
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
    let (_, html) = david.page("/admin/").await;
    assert!(html.contains("0417.497.106"), "operator sees it: {html}");
    let (_, html) = chloe.page("/admin/").await;
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
    let (status, html) = chloe.page("/admin/mine").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Detach me from Acme"), "{html}");
    assert!(html.contains("Approved"), "{html}");

    let fields = [("structure", w.acme.as_str())];
    let (status, _, _) = chloe.send("/admin/mine/detach", &fields).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let foreign = [("csrf", bruno.csrf.as_str()), ("structure", w.acme.as_str())];
    let (status, _, _) = chloe.send("/admin/mine/detach", &foreign).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(p.attachment(&w.acme, &chloe.id).await.expect("a").is_some());

    let (status, to, _) = chloe.form("/admin/mine/detach", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    assert!(p.attachment(&w.acme, &chloe.id).await.expect("a").is_none());
    let (_, html) = chloe.page(&to).await;
    assert!(html.contains("You are no longer attached"), "{html}");
    // Not attached to Bolt: the model refuses, nothing changes.
    let (status, _, _) = chloe
        .form("/admin/mine/detach", &[("structure", w.bolt.as_str())])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let _ = RequestStatus::Pending;
}
