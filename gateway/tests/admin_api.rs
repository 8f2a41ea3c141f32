//! The delegated-administration API over real sockets: the attacks first (another
//! structure, outside one's services, a right one cannot exercise, no CSRF token, no
//! session, malformed input), then the whole flow from the register import to a
//! proxied route opened by a grant and shut again when the grant expires.

mod support;

use policy::{Actor, GrantId, ServiceId, StructureId};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::*;

/// Two structures. A (Bruno main manager; Chloé local manager of Liège holding
/// `vouchers/read` there for a day) and B (Alice main manager, who granted David
/// `vouchers/read`), seeded by the operator before anyone logs in.
struct World {
    a: StructureId,
    liege: ServiceId,
    namur: ServiceId,
    b: StructureId,
    b_grant: GrantId,
    bruno: Person,
    chloe: Person,
    alice: Person,
    david: Person,
}

async fn world(env: &Env) -> World {
    let o = organisations(env, structure(env, ACME).await).await;
    World {
        bruno: Person::login(env, "citizen-2").await,
        chloe: Person::login(env, "citizen-3").await,
        alice: Person::login(env, "citizen-1").await,
        david: Person::login(env, "citizen-4").await,
        a: o.a,
        liege: o.liege,
        namur: o.namur,
        b: o.b,
        b_grant: o.b_grant,
    }
}

fn assert_status(got: (StatusCode, Value), want: StatusCode, what: &str) -> Value {
    assert_eq!(got.0, want, "{what}: {}", got.1);
    if !want.is_success() {
        assert!(
            got.1["error"].is_string(),
            "{what}: no error code: {}",
            got.1
        );
        assert!(
            got.1["message"].is_string(),
            "{what}: no message: {}",
            got.1
        );
    }
    got.1
}

#[tokio::test]
async fn a_manager_of_one_structure_can_neither_read_nor_change_another() {
    let env = Env::start(operators()).await;
    let w = world(&env).await;
    let b = w.b.as_str();
    for path in [
        format!("/admin/api/structures/{b}/grants"),
        format!("/admin/api/structures/{b}/main-managers"),
        format!("/admin/api/structures/{b}/local-managers"),
        format!("/admin/api/structures/{b}/representatives"),
        format!("/admin/api/structures/{b}/members"),
        format!("/admin/api/structures/{b}/attachment-requests"),
        format!("/admin/api/audit?structure={b}"),
    ] {
        assert_status(w.bruno.api_get(&path).await, StatusCode::FORBIDDEN, &path);
    }
    let person = json!({ "national_number": CHLOE });
    for (path, body) in [
        (
            format!("/admin/api/structures/{b}/main-managers"),
            person.clone(),
        ),
        (
            format!("/admin/api/structures/{b}/main-managers/remove"),
            json!({ "user_id": w.alice.id }),
        ),
        (
            format!("/admin/api/structures/{b}/grants"),
            json!({ "person": person, "rights": ["vouchers/read"] }),
        ),
        (
            format!("/admin/api/structures/{b}/local-managers"),
            json!({ "person": person, "services": [w.liege.as_str()] }),
        ),
        (format!("/admin/api/grants/{}/revoke", w.b_grant), json!({})),
        (
            format!("/admin/api/grants/{}/renew", w.b_grant),
            json!({ "valid_until": now_ms() + 60_000 }),
        ),
    ] {
        assert_status(
            w.bruno.api_post(&path, body).await,
            StatusCode::FORBIDDEN,
            &path,
        );
    }
    // The grant in B is untouched, and B's manager still sees it.
    let grants = assert_status(
        w.alice
            .api_get(&format!("/admin/api/structures/{b}/grants"))
            .await,
        StatusCode::OK,
        "alice reads B",
    );
    assert_eq!(grants.as_array().map(Vec::len), Some(1), "{grants}");
    assert!(grants[0]["revoked_at"].is_null());
}

#[tokio::test]
async fn a_local_manager_cannot_act_outside_their_services() {
    let env = Env::start(operators()).await;
    let w = world(&env).await;
    let a = w.a.as_str();
    let david = json!({ "national_number": DAVID });
    let until = now_ms() + 3_600_000;
    for (what, body) in [
        (
            "grant in another service",
            json!({ "person": david, "rights": ["vouchers/read"], "services": [w.namur.as_str()], "valid_until": until }),
        ),
        (
            "grant on the whole structure",
            json!({ "person": david, "rights": ["vouchers/read"], "valid_until": until }),
        ),
    ] {
        assert_status(
            w.chloe
                .api_post(&format!("/admin/api/structures/{a}/grants"), body)
                .await,
            StatusCode::FORBIDDEN,
            what,
        );
    }
    for (path, body) in [
        (
            format!("/admin/api/structures/{a}/main-managers"),
            david.clone(),
        ),
        (
            format!("/admin/api/structures/{a}/local-managers"),
            json!({ "person": david, "services": [w.namur.as_str()] }),
        ),
    ] {
        assert_status(
            w.chloe.api_post(&path, body).await,
            StatusCode::FORBIDDEN,
            &path,
        );
    }
    // Her view of the structure's grants stops at her service.
    let grants = assert_status(
        w.chloe
            .api_get(&format!("/admin/api/structures/{a}/grants"))
            .await,
        StatusCode::OK,
        "chloe lists",
    );
    for g in grants.as_array().expect("list") {
        assert_eq!(g["services"], json!([w.liege.as_str()]), "{g}");
    }
    // Inside her service, a right she holds, not for longer than she holds it: allowed.
    assert_status(
        w.chloe
            .api_post(
                &format!("/admin/api/structures/{a}/grants"),
                json!({ "person": david, "rights": ["vouchers/read"], "services": [w.liege.as_str()], "valid_until": until }),
            )
            .await,
        StatusCode::CREATED,
        "chloe grants inside",
    );
    // The audit log of the structure is for its main managers.
    assert_status(
        w.chloe
            .api_get(&format!("/admin/api/audit?structure={a}"))
            .await,
        StatusCode::FORBIDDEN,
        "chloe reads the log",
    );
}

#[tokio::test]
async fn nobody_grants_a_right_they_could_not_exercise() {
    let env = Env::start(operators()).await;
    let w = world(&env).await;
    let a = w.a.as_str();
    let path = format!("/admin/api/structures/{a}/grants");
    let david = json!({ "national_number": DAVID });
    let liege = [w.liege.as_str()];
    for (what, body) in [
        (
            "a right she does not hold",
            json!({ "person": david, "rights": ["vouchers/modify"], "services": liege, "valid_until": now_ms() + 60_000 }),
        ),
        (
            "without end while hers ends",
            json!({ "person": david, "rights": ["vouchers/read"], "services": liege }),
        ),
        (
            "beyond her own end",
            json!({ "person": david, "rights": ["vouchers/read"], "services": liege, "valid_until": now_ms() + 2 * 86_400_000 }),
        ),
        (
            "one right she holds and one she does not",
            json!({ "person": david, "rights": ["vouchers/read", "vouchers/modify"], "services": liege, "valid_until": now_ms() + 60_000 }),
        ),
    ] {
        assert_status(
            w.chloe.api_post(&path, body).await,
            StatusCode::FORBIDDEN,
            what,
        );
    }
    // Nothing was granted to David in A by the refused calls.
    let grants = assert_status(
        w.bruno
            .api_get(&format!("{path}?person={}", w.david.id))
            .await,
        StatusCode::OK,
        "bruno lists",
    );
    assert_eq!(grants, json!([]));
}

#[tokio::test]
async fn state_changes_need_the_csrf_token_and_a_session() {
    let env = Env::start(operators()).await;
    let w = world(&env).await;
    let path = format!("{}/admin/api/structures/{}/main-managers", env.url, w.a);
    let body = json!({ "national_number": DAVID });
    let c = client();
    // No token, a wrong token, the right token from another site or origin.
    for (what, headers) in [
        ("no token", vec![]),
        ("wrong token", vec![("x-csrf-token", "0".repeat(64))]),
        (
            "cross-site",
            vec![
                ("x-csrf-token", w.bruno.csrf.clone()),
                ("sec-fetch-site", "cross-site".to_owned()),
            ],
        ),
        (
            "other origin",
            vec![
                ("x-csrf-token", w.bruno.csrf.clone()),
                ("origin", "https://evil.example".to_owned()),
            ],
        ),
        (
            "another session's token",
            vec![("x-csrf-token", w.chloe.csrf.clone())],
        ),
    ] {
        let mut req = c.post(&path).header("cookie", &w.bruno.cookie).json(&body);
        for (k, v) in headers {
            req = req.header(k, v);
        }
        let r = req.send().await.expect("post");
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{what}");
        let v: Value = r.json().await.expect("json");
        assert_eq!(v["error"], "csrf", "{what}: {v}");
    }
    // No session: 401 on reads and writes, JSON.
    for r in [
        c.get(format!("{}/admin/api/me", env.url))
            .send()
            .await
            .expect("me"),
        c.post(&path)
            .header("x-csrf-token", &w.bruno.csrf)
            .json(&body)
            .send()
            .await
            .expect("post"),
        c.get(format!("{}/admin/api/structures?q=acme", env.url))
            .header("cookie", "gw_session=forged")
            .send()
            .await
            .expect("forged"),
    ] {
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let v: Value = r.json().await.expect("json");
        assert_eq!(v["error"], "session_required", "{v}");
    }
    // Nothing changed.
    let managers = assert_status(
        w.bruno
            .api_get(&format!("/admin/api/structures/{}/main-managers", w.a))
            .await,
        StatusCode::OK,
        "list",
    );
    assert_eq!(managers.as_array().map(Vec::len), Some(1), "{managers}");
}

#[tokio::test]
async fn malformed_input_is_refused_naming_the_field() {
    let env = Env::start(operators()).await;
    let w = world(&env).await;
    let a = w.a.as_str();
    let cases = [
        (
            format!("/admin/api/structures/{a}/main-managers"),
            json!({ "national_number": 85073003328_u64 }),
            "national_number",
        ),
        (
            format!("/admin/api/structures/{a}/main-managers"),
            json!({ "national_number": "85073003327" }),
            "person.national_number",
        ),
        (
            format!("/admin/api/structures/{a}/main-managers"),
            json!({ "nrn": ALICE }),
            "nrn",
        ),
        (
            format!("/admin/api/structures/{a}/main-managers"),
            json!({}),
            "person",
        ),
        (
            format!("/admin/api/structures/{a}/grants"),
            json!({ "person": { "national_number": DAVID }, "rights": "vouchers/read" }),
            "rights",
        ),
        (
            format!("/admin/api/structures/{a}/grants"),
            json!({ "person": { "national_number": DAVID }, "rights": ["vouchers/read"], "valid_until": "tomorrow" }),
            "valid_until",
        ),
        (
            format!("/admin/api/structures/{a}/grants"),
            json!({ "person": { "national_number": DAVID }, "rights": ["vouchers/read"], "valid_until": 1_000 }),
            "valid_until",
        ),
        (
            format!("/admin/api/structures/{a}/grants"),
            json!({ "person": { "national_number": DAVID }, "rights": ["vouchers/read"], "services": [] }),
            "services",
        ),
        (
            format!("/admin/api/structures/{}/attachment-requests", w.b),
            json!({ "services": null }),
            "comment",
        ),
        (
            format!("/admin/api/structures/{}/attachment-requests", w.b),
            json!({ "comment": "  " }),
            "comment",
        ),
    ];
    for (path, body, field) in cases {
        let v = assert_status(
            w.bruno.api_post(&path, body.clone()).await,
            StatusCode::BAD_REQUEST,
            &format!("{path} {body}"),
        );
        assert_eq!(v["field"], field, "{body}: {v}");
        assert!(v["message"].as_str().unwrap_or("").contains(field), "{v}");
    }
    // Not JSON at all.
    let r = w
        .bruno
        .c
        .post(format!(
            "{}/admin/api/structures/{a}/main-managers",
            env.url
        ))
        .header("cookie", &w.bruno.cookie)
        .header("x-csrf-token", &w.bruno.csrf)
        .header("content-type", "application/json")
        .body("{\"national_number\": ")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // Unknown structure, unknown path.
    assert_status(
        w.bruno.api_get("/admin/api/structures/nope").await,
        StatusCode::NOT_FOUND,
        "404",
    );
    assert_status(
        w.bruno.api_get("/admin/api/nothing-here").await,
        StatusCode::NOT_FOUND,
        "404 path",
    );
}

#[tokio::test]
async fn the_register_import_is_for_operators_only() {
    let env = Env::start(operators()).await;
    let w = world(&env).await;
    let csv = format!(
        "enterprise_number;organisation_name;function;national_number;start_date\n\
         0876543270;Cedar SA;Administrateur;{CHLOE};2021-01-01\n"
    );
    let send = |p: &Person| {
        p.c.post(format!("{}/admin/api/representatives/import", env.url))
            .header("cookie", &p.cookie)
            .header("x-csrf-token", &p.csrf)
            .header("content-type", "text/csv")
            .body(csv.clone())
            .send()
    };
    let r = send(&w.bruno).await.expect("import");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = send(&w.david).await.expect("import");
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.expect("json");
    assert_eq!(report["inserted"], 1, "{report}");
    assert_eq!(report["structures_created"], 1, "{report}");
    // The operator reads the whole log; the import is recorded with who and from where.
    let log = assert_status(
        w.david.api_get("/admin/api/audit?limit=1000").await,
        StatusCode::OK,
        "operator log",
    );
    let by_operator = log
        .as_array()
        .expect("list")
        .iter()
        .find(|e| e["action"] == "representative.import" && e["actor"] == w.david.id.as_str())
        .unwrap_or_else(|| panic!("no import by the operator in {log}"));
    assert_eq!(by_operator["ip"], "127.0.0.1");
    // Not an operator: no whole log.
    assert_status(
        w.bruno.api_get("/admin/api/audit").await,
        StatusCode::FORBIDDEN,
        "log",
    );
}

/// The done-means flow, all through HTTP: the register import names Alice legal
/// representative; she designates Bruno main manager by national number; Bruno grants
/// Chloé a right for a minute; Chloé's proxied request goes from 403 to 200, and back
/// to 403 when the grant ends (on the gateway's test clock: no sleeping).
#[tokio::test]
async fn a_grant_opens_a_proxied_route_and_its_end_shuts_it() {
    let (backend, _task) = echo_backend().await;
    let clock = manual_clock();
    let env = Env::start(Options {
        clock: Some(clock.clone()),
        extra_routes: format!(
            "[[applications]]\nid = \"vouchers\"\nname = \"Vouchers\"\nlevels = [\"read\"]\n\
             [[routes]]\nprefix = \"/pvouchers\"\nupstream = \"http://{backend}\"\n\
             application = \"vouchers\"\naccess = \"policy\"\nmethods = {{ GET = \"read\" }}\n\
             [admin]\noperators = [\"sim:citizen-4\"]\n"
        ),
        ..Options::default()
    })
    .await;
    let david = Person::login(&env, "citizen-4").await;
    let r = david
        .c
        .post(format!("{}/admin/api/representatives/import", env.url))
        .header("cookie", &david.cookie)
        .header("x-csrf-token", &david.csrf)
        .body(format!("enterprise_number;organisation_name;function;national_number;start_date\n0123456749;Acme SA;Administrateur;{ALICE};2020-01-01\n"))
        .send()
        .await
        .expect("import");
    assert_eq!(r.status(), StatusCode::OK);

    let alice = Person::login(&env, "citizen-1").await;
    let me = assert_status(alice.api_get("/admin/api/me").await, StatusCode::OK, "me");
    let acme = &me["structures"][0];
    assert_eq!(acme["legal_name"], "Acme SA", "{me}");
    assert_eq!(acme["roles"], json!(["legal_representative"]), "{me}");
    let acme = acme["id"].as_str().expect("id").to_owned();
    let found = assert_status(
        alice.api_get("/admin/api/structures?q=0123456749").await,
        StatusCode::OK,
        "search",
    );
    assert_eq!(found[0]["id"], acme.as_str());

    let chloe = Person::login(&env, "citizen-3").await;
    assert_eq!(
        chloe.switch(&acme).await,
        StatusCode::FORBIDDEN,
        "not attached yet"
    );
    assert_eq!(
        chloe.proxied("/pvouchers/list").await,
        StatusCode::FORBIDDEN
    );

    let d = assert_status(
        alice
            .api_post(
                &format!("/admin/api/structures/{acme}/main-managers"),
                json!({ "national_number": BRUNO }),
            )
            .await,
        StatusCode::CREATED,
        "designate",
    );
    assert_eq!(d["pending"], true, "{d}");
    let bruno = Person::login(&env, "citizen-2").await;
    let me = assert_status(bruno.api_get("/admin/api/me").await, StatusCode::OK, "me");
    assert_eq!(
        me["structures"][0]["roles"],
        json!(["main_manager", "member"]),
        "{me}"
    );

    // A grant of one minute on the gateway's test clock, which the test moves.
    let until = env.state().clock.now_ms() + 60_000;
    let granted = assert_status(
        bruno
            .api_post(
                &format!("/admin/api/structures/{acme}/grants"),
                json!({ "person": { "email": "chloe@example.be" }, "rights": ["vouchers/read"], "valid_until": until }),
            )
            .await,
        StatusCode::CREATED,
        "grant",
    );
    assert_eq!(granted[0]["user_id"], chloe.id.as_str(), "{granted}");
    assert_eq!(chloe.switch(&acme).await, StatusCode::OK);
    assert_eq!(chloe.proxied("/pvouchers/list").await, StatusCode::OK);

    // Valid up to its last millisecond, refused from its end on.
    clock.set(until - 1);
    assert_eq!(chloe.proxied("/pvouchers/list").await, StatusCode::OK);
    clock.set(until);
    assert_eq!(
        chloe.proxied("/pvouchers/list").await,
        StatusCode::FORBIDDEN,
        "expired"
    );

    // Every step is in the structure's log, with who acted and from where.
    let log = assert_status(
        bruno
            .api_get(&format!("/admin/api/audit?structure={acme}"))
            .await,
        StatusCode::OK,
        "log",
    );
    let find = |action: &str| {
        log.as_array()
            .expect("list")
            .iter()
            .find(|e| e["action"] == action)
            .cloned()
            .unwrap_or_else(|| panic!("no {action} in {log}"))
    };
    let designated = find("main_manager.designate");
    assert_eq!(designated["actor"], alice.id.as_str());
    assert_eq!(designated["ip"], "127.0.0.1");
    let grant = find("grant.create");
    assert_eq!(grant["actor"], bruno.id.as_str());
    assert_eq!(grant["ip"], "127.0.0.1");
    let export = bruno
        .c
        .get(format!(
            "{}/admin/api/audit/export?structure={acme}&format=jsonl",
            env.url
        ))
        .header("cookie", &bruno.cookie)
        .send()
        .await
        .expect("export");
    assert_eq!(export.status(), StatusCode::OK);
    let text = export.text().await.expect("text");
    assert!(
        text.lines().count() >= 2 && text.contains("grant.create"),
        "{text}"
    );
}

#[tokio::test]
async fn the_openapi_document_lists_every_path() {
    let env = Env::start(Options::default()).await;
    let r = client()
        .get(format!("{}/admin/api/openapi.json", env.url))
        .send()
        .await
        .expect("doc");
    assert_eq!(r.status(), StatusCode::OK);
    let doc: Value = r.json().await.expect("json");
    assert!(
        doc["openapi"].as_str().unwrap_or("").starts_with("3."),
        "{doc}"
    );
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/admin/api/me",
        "/admin/api/me/grants",
        "/admin/api/me/attachment-requests",
        "/admin/api/rights",
        "/admin/api/structures",
        "/admin/api/structures/{id}",
        "/admin/api/structures/{id}/services",
        "/admin/api/structures/{id}/members",
        "/admin/api/structures/{id}/representatives",
        "/admin/api/representatives/import",
        "/admin/api/structures/{id}/main-managers",
        "/admin/api/structures/{id}/main-managers/remove",
        "/admin/api/structures/{id}/local-managers",
        "/admin/api/structures/{id}/local-managers/remove",
        "/admin/api/structures/{id}/grants",
        "/admin/api/grants/{id}/revoke",
        "/admin/api/grants/{id}/renew",
        "/admin/api/grants/{id}/level",
        "/admin/api/structures/{id}/common-name",
        "/admin/api/structures/{id}/services/{service}/label",
        "/admin/api/structures/{id}/services/{service}/close",
        "/admin/api/structures/{id}/attachment-requests",
        "/admin/api/attachment-requests/{id}/approve",
        "/admin/api/attachment-requests/{id}/reject",
        "/admin/api/structures/{id}/detach",
        "/admin/api/structures/{id}/members/{user}/detach",
        "/admin/api/structures/{id}/access-requests",
        "/admin/api/access-requests/{id}/grant",
        "/admin/api/access-requests/{id}/refuse",
        "/admin/api/people/{id}/reactivate",
        "/admin/api/catalogue/reload",
        "/admin/api/audit",
        "/admin/api/audit/export",
    ] {
        assert!(paths.contains_key(p), "{p} missing from the document");
    }
    assert_eq!(paths.len(), 34, "{:?}", paths.keys().collect::<Vec<_>>());
    assert!(paths["/admin/api/structures/{id}/main-managers"]["post"].is_object());
    assert!(paths["/admin/api/structures/{id}/services"]["post"].is_object());
}

#[tokio::test]
async fn attachment_requests_local_managers_and_detaching() {
    let env = Env::start(operators()).await;
    let w = world(&env).await;
    let a = w.a.as_str();
    let asked = assert_status(
        w.david
            .api_post(
                &format!("/admin/api/structures/{a}/attachment-requests"),
                json!({ "services": [w.namur.as_str()], "comment": "I work in Namur" }),
            )
            .await,
        StatusCode::CREATED,
        "ask",
    );
    let id = asked["id"].as_str().expect("id").to_owned();
    let mine = assert_status(
        w.david.api_get("/admin/api/me/attachment-requests").await,
        StatusCode::OK,
        "mine",
    );
    assert_eq!(mine[0]["status"], "pending", "{mine}");
    // The local manager of Liège neither sees nor decides a request for Namur.
    let seen = assert_status(
        w.chloe
            .api_get(&format!("/admin/api/structures/{a}/attachment-requests"))
            .await,
        StatusCode::OK,
        "chloe lists",
    );
    assert_eq!(seen, json!([]));
    let approve = format!("/admin/api/attachment-requests/{id}/approve");
    let reject = format!("/admin/api/attachment-requests/{id}/reject");
    assert_status(
        w.chloe.api_post(&approve, json!({})).await,
        StatusCode::FORBIDDEN,
        "chloe approves",
    );
    assert_status(
        w.alice.api_post(&approve, json!({})).await,
        StatusCode::FORBIDDEN,
        "alice approves",
    );
    assert_status(
        w.david.api_post(&approve, json!({})).await,
        StatusCode::FORBIDDEN,
        "own request",
    );
    let v = assert_status(
        w.bruno.api_post(&reject, json!({ "reason": " " })).await,
        StatusCode::BAD_REQUEST,
        "no reason",
    );
    assert_eq!(v["field"], "reason");
    let pending = assert_status(
        w.bruno
            .api_get(&format!("/admin/api/structures/{a}/attachment-requests"))
            .await,
        StatusCode::OK,
        "bruno lists",
    );
    assert_eq!(pending[0]["id"], id.as_str(), "{pending}");
    let done = assert_status(
        w.bruno
            .api_post(&approve, json!({ "reason": "welcome" }))
            .await,
        StatusCode::OK,
        "approve",
    );
    assert_eq!(done["status"], "approved");
    assert_status(
        w.bruno.api_post(&approve, json!({})).await,
        StatusCode::CONFLICT,
        "twice",
    );
    let me = assert_status(w.david.api_get("/admin/api/me").await, StatusCode::OK, "me");
    let acme = me["structures"]
        .as_array()
        .expect("list")
        .iter()
        .find(|s| s["id"] == a)
        .cloned()
        .unwrap_or_else(|| panic!("not attached: {me}"));
    assert_eq!(acme["attached_services"], json!([w.namur.as_str()]));

    // Local managers: designated by email, listed, removed.
    let local = format!("/admin/api/structures/{a}/local-managers");
    let body = json!({ "person": { "email": "david@example.be" }, "services": [w.namur.as_str()] });
    let d = assert_status(
        w.bruno.api_post(&local, body.clone()).await,
        StatusCode::CREATED,
        "local",
    );
    assert_eq!(d[0]["user_id"], w.david.id.as_str(), "{d}");
    let list = assert_status(w.bruno.api_get(&local).await, StatusCode::OK, "list");
    assert!(
        list.as_array()
            .expect("list")
            .iter()
            .any(|d| d["user_id"] == w.david.id.as_str())
    );
    let r = w.bruno.api_post(&format!("{local}/remove"), body).await;
    assert_eq!(r.0, StatusCode::NO_CONTENT, "{}", r.1);

    // Detaching oneself; the last main manager cannot leave.
    let r = w
        .david
        .api_post(&format!("/admin/api/structures/{a}/detach"), json!({}))
        .await;
    assert_eq!(r.0, StatusCode::NO_CONTENT, "{}", r.1);
    let me = assert_status(w.david.api_get("/admin/api/me").await, StatusCode::OK, "me");
    assert!(
        !me["structures"]
            .as_array()
            .expect("list")
            .iter()
            .any(|s| s["id"] == a),
        "{me}"
    );
    assert_status(
        w.bruno
            .api_post(&format!("/admin/api/structures/{a}/detach"), json!({}))
            .await,
        StatusCode::CONFLICT,
        "last main manager",
    );
}

#[tokio::test]
async fn main_managers_rename_their_organisation_and_manage_its_services() {
    let env = Env::start(operators()).await;
    let w = world(&env).await;
    let a = w.a.as_str();
    let p = &env.state().policy;
    // A local manager, another organisation's manager: refused, nothing changed.
    for who in [&w.chloe, &w.alice] {
        assert_status(
            who.api_post(
                &format!("/admin/api/structures/{a}/common-name"),
                json!({ "common_name": "Mine" }),
            )
            .await,
            StatusCode::FORBIDDEN,
            "rename",
        );
        assert_status(
            who.api_post(
                &format!("/admin/api/structures/{a}/services"),
                json!({ "code": "X", "label": "X" }),
            )
            .await,
            StatusCode::FORBIDDEN,
            "create",
        );
    }
    assert_eq!(p.structure(&w.a).await.expect("a").common_name, "Acme");
    let s = assert_status(
        w.bruno
            .api_post(
                &format!("/admin/api/structures/{a}/common-name"),
                json!({ "common_name": "Acme Cleaning" }),
            )
            .await,
        StatusCode::OK,
        "rename",
    );
    assert_eq!(s["common_name"], "Acme Cleaning");
    let created = assert_status(
        w.bruno
            .api_post(
                &format!("/admin/api/structures/{a}/services"),
                json!({ "code": "HUY", "label": "Huy" }),
            )
            .await,
        StatusCode::CREATED,
        "create",
    );
    let huy = created["id"].as_str().expect("id").to_owned();
    assert_status(
        w.bruno
            .api_post(
                &format!("/admin/api/structures/{a}/services/{huy}/label"),
                json!({ "label": "Huy centre" }),
            )
            .await,
        StatusCode::OK,
        "relabel",
    );
    // Liège still has its local manager and a valid grant.
    assert_status(
        w.bruno
            .api_post(
                &format!("/admin/api/structures/{a}/services/{}/close", w.liege),
                json!({}),
            )
            .await,
        StatusCode::CONFLICT,
        "close liège",
    );
    let r = w
        .bruno
        .api_post(
            &format!("/admin/api/structures/{a}/services/{huy}/close"),
            json!({}),
        )
        .await;
    assert_eq!(r.0, StatusCode::NO_CONTENT, "{}", r.1);
    let open = p.services(&w.a).await.expect("list");
    assert_eq!(open.len(), 2, "{open:?}");
    assert!(open.iter().all(|s| s.id.as_str() != huy));
}

#[tokio::test]
async fn a_grant_changes_level_within_its_application_for_those_who_could_grant_it() {
    let env = Env::start(operators()).await;
    let w = world(&env).await;
    let p = &env.state().policy;
    let g = p
        .grants_in(&Actor::operator(), &w.a)
        .await
        .expect("grants")
        .into_iter()
        .next()
        .expect("chloé's grant");
    let path = format!("/admin/api/grants/{}/level", g.id);
    // Chloé does not hold modify; Alice manages another structure.
    for who in [&w.chloe, &w.alice] {
        assert_status(
            who.api_post(&path, json!({ "right": "vouchers/modify" }))
                .await,
            StatusCode::FORBIDDEN,
            "level",
        );
    }
    let changed = assert_status(
        w.bruno
            .api_post(&path, json!({ "right": "vouchers/modify" }))
            .await,
        StatusCode::OK,
        "bruno",
    );
    assert_eq!(changed["right"], "vouchers/modify");
    assert_status(
        w.bruno
            .api_post(&path, json!({ "right": "vouchers/modify" }))
            .await,
        StatusCode::CONFLICT,
        "same level",
    );
}
