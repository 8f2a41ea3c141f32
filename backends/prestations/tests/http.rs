//! HTTP: real assertions signed with `assertion::KeyRing`, verified against a JWKS served
//! on 127.0.0.1:0; bad, missing, expired, wrong-audience assertions get 401 JSON; rights;
//! the JSON API; the HTML pages with CSRF; mail delivered over SMTP.

mod common;

use assertion::{Claims, KeyMaterial, KeyRing};
use axum::body::Body;
use axum::http::{Method, StatusCode};
use backend_kit::ManualClock;
use backend_kit::db_tests;
use backend_kit::test_support::TestDb;
use common::http::*;
use common::*;
use e2e::SmtpServer;
use prestations::OUTBOX;
use serde_json::{Value, json};

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

async fn refused(h: &Http, headers: &[(&str, &str)], why: &str) {
    let (status, resp_headers, body) = h.call(Method::GET, "/whoami", headers, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{why}");
    assert!(
        resp_headers
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json")),
        "{why}"
    );
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(body["error"], "unauthorized", "{why}");
    assert!(
        !body.to_string().contains("Wendy"),
        "no data without a valid assertion"
    );
}

async fn only_a_valid_assertion_gets_in(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let h = setup(db, &clock, |_| {}).await;
    let (status, _, body) = h.call(Method::GET, "/healthz", &[], None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
    refused(&h, &[], "missing").await;
    refused(&h, &[(assertion::HEADER, "")], "empty").await;
    refused(&h, &[(assertion::HEADER, "not.a.jwt")], "garbage").await;
    let now = chrono::Utc::now().timestamp();
    let base: Claims = h.issuer.claims("prestations", "w1", "Wendy Worker");
    let expired = Claims {
        iat: now - 600,
        exp: now - 540,
        ..base.clone()
    };
    refused(
        &h,
        &[(assertion::HEADER, &h.issuer.sign(&expired))],
        "expired",
    )
    .await;
    let wrong_aud = Claims {
        aud: "vouchers".to_owned(),
        ..base.clone()
    };
    refused(
        &h,
        &[(assertion::HEADER, &h.issuer.sign(&wrong_aud))],
        "wrong audience",
    )
    .await;
    let wrong_iss = Claims {
        iss: "http://evil.example".to_owned(),
        ..base.clone()
    };
    refused(
        &h,
        &[(assertion::HEADER, &h.issuer.sign(&wrong_iss))],
        "wrong issuer",
    )
    .await;
    let too_long = Claims {
        exp: now + 3600,
        ..base.clone()
    };
    refused(
        &h,
        &[(assertion::HEADER, &h.issuer.sign(&too_long))],
        "lifetime too long",
    )
    .await;
    let other_ring = KeyRing::new(vec![KeyMaterial::generate(now - 5, 3600)]);
    let foreign = other_ring.sign(&base, now).expect("sign");
    refused(&h, &[(assertion::HEADER, &foreign)], "unknown key").await;
    let good = h.issuer.sign(&base);
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    let mut forged: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &parts[1])
            .expect("payload"),
    )
    .expect("claims");
    forged["rights"] = json!(["read", "modify", "manage"]);
    parts[1] = b64(forged.to_string().as_bytes());
    refused(
        &h,
        &[(assertion::HEADER, &parts.join("."))],
        "tampered claims",
    )
    .await;
    let header = b64(br#"{"alg":"none","typ":"JWT"}"#);
    let none = format!(
        "{header}.{}.",
        b64(serde_json::to_string(&base).expect("json").as_bytes())
    );
    refused(&h, &[(assertion::HEADER, &none)], "alg none").await;
    refused(
        &h,
        &[(assertion::HEADER, &good), (assertion::HEADER, &good)],
        "two assertions",
    )
    .await;
    // An API path and a page are as closed as /whoami.
    let (status, _, _) = h.call(Method::GET, "/api/prestations", &[], None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = h
        .call(Method::GET, "/", &[("accept", "text/html")], None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The valid one.
    let token = h.token("w1", "Wendy Worker", Some(S1), &["read"]);
    let (status, me) = h.json(Method::GET, "/whoami", &token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["sub"], "w1");
    assert_eq!(me["name"], "Wendy Worker");
    assert_eq!(me["structure"]["enterprise_number"], S1.1);
    assert_eq!(me["rights"], json!(["read"]));
    h.app.close().await;
}

async fn rights_are_enforced(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let h = setup(db, &clock, |_| {}).await;
    let none = h.token("w1", "Wendy Worker", Some(S1), &[]);
    let (status, body) = h.json(Method::GET, "/api/prestations", &none, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "forbidden");
    let read = h.token("w1", "Wendy Worker", Some(S1), &["read"]);
    assert_eq!(
        h.json(Method::GET, "/api/prestations", &read, None).await.0,
        StatusCode::OK
    );
    let u1 = h.number(&h.user()).await;
    let new = json!({ "user_number": u1, "date": "2025-09-10", "hours": 3, "activity": "cleaning", "send": true });
    assert_eq!(
        h.json(Method::POST, "/api/prestations", &read, Some(new.clone()))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, created) = h
        .json(
            Method::POST,
            "/api/prestations",
            &h.worker(),
            Some(new.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let mut for_other = new.clone();
    for_other["worker_number"] = json!(prestations::registry::number_of(77));
    assert_eq!(
        h.json(
            Method::POST,
            "/api/prestations",
            &h.worker(),
            Some(for_other)
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    h.app.close().await;
}

async fn json_api_flow(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let h = setup(db, &clock, |_| {}).await;
    let u1 = h.number(&h.user()).await;
    let new = json!({ "user_number": u1, "date": "2025-09-09", "hours": 2.5, "activity": "laundry_ironing", "send": true });
    let (_, created) = h
        .json(Method::POST, "/api/prestations", &h.worker(), Some(new))
        .await;
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(created["status"]["code"], "waiting");
    assert_eq!(created["status"]["colour"], "yellow");
    assert_eq!(created["encoded_by_label"], "encoded by the worker");
    let (status, seen) = h
        .json(
            Method::GET,
            &format!("/api/prestations/{id}"),
            &h.user(),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["allowed_actions"], json!(["contest", "confirm"]));
    assert_eq!(seen["history"].as_array().map(Vec::len), Some(2));
    let (status, body) = h
        .json(
            Method::POST,
            &format!("/api/prestations/{id}/validate"),
            &h.user(),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"], "illegal_transition");
    let (status, body) = h
        .json(
            Method::POST,
            &format!("/api/prestations/{id}/contest"),
            &h.user(),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = h
        .json(
            Method::POST,
            &format!("/api/prestations/{id}/confirm"),
            &h.user(),
            None,
        )
        .await;
    assert_eq!(
        (status, body["status"]["code"].clone()),
        (StatusCode::OK, json!("confirmed"))
    );
    let (status, body) = h
        .json(
            Method::POST,
            &format!("/api/prestations/{id}/contest"),
            &h.user(),
            Some(json!({"reason": "no"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("you confirmed it")),
        "{body}"
    );
    let (status, _) = h
        .json(
            Method::POST,
            &format!("/api/prestations/{id}/fly"),
            &h.user(),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let stranger = h.token("x1", "Xavier", Some(S2), &["read", "modify", "manage"]);
    assert_eq!(
        h.json(
            Method::GET,
            &format!("/api/prestations/{id}"),
            &stranger,
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let (_, history) = h.json(Method::GET, "/api/history", &h.user(), None).await;
    assert_eq!(history["count"], 1);
    let (_, legend) = h.json(Method::GET, "/api/legend", &h.user(), None).await;
    assert_eq!(legend["statuses"].as_array().map(Vec::len), Some(9));
    h.app.close().await;
}

async fn html_pages_with_csrf(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let h = setup(db, &clock, |c| c.base_path = "/prestations".to_owned()).await;
    let w = h.worker();
    let auth = [(assertion::HEADER, w.as_str())];
    let (status, headers, page) = h
        .call(Method::GET, "/prestations/prestations/new", &auth, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
    );
    assert!(page.contains("<label for=\"hours\">"));
    let token = csrf_of(&page);
    let (_, me) = h
        .json(Method::GET, "/prestations/api/me", &h.user(), None)
        .await;
    let u1 = me["number"].as_str().expect("number").replace(' ', "+");
    let form = format!("user_number={u1}&hours=2%2C5&activity=cleaning");
    let post = |extra: Vec<(&'static str, String)>, body: String| {
        let mut hs: Vec<(String, String)> = vec![
            (assertion::HEADER.to_owned(), w.clone()),
            (
                "content-type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            ),
        ];
        hs.extend(extra.into_iter().map(|(k, v)| (k.to_owned(), v)));
        (hs, body)
    };
    let send = |(hs, body): (Vec<(String, String)>, String), path: String| {
        let h = &h;
        async move {
            let refs: Vec<(&str, &str)> =
                hs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            h.call(Method::POST, &path, &refs, Some(Body::from(body)))
                .await
        }
    };
    let (status, _, _) = send(
        post(vec![], format!("{form}&date=2025-09-10")),
        "/prestations/prestations".to_owned(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no token");
    let with_token = format!("{form}&_csrf={token}");
    let cross = vec![("sec-fetch-site", "cross-site".to_owned())];
    let (status, _, _) = send(
        post(cross, format!("{with_token}&date=2025-09-10")),
        "/prestations/prestations".to_owned(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "cross-site form");
    let (status, _, page) = send(
        post(vec![], format!("{with_token}&date=2025-09-11")),
        "/prestations/prestations".to_owned(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "refused date is answered on the page"
    );
    assert!(page.contains("role=\"alert\"") && page.contains("the date is in the future"));
    assert!(
        page.contains("id=\"date-error\""),
        "the reason stands next to the date"
    );
    let (status, headers, _) = send(
        post(vec![], format!("{with_token}&date=2025-09-10")),
        "/prestations/prestations".to_owned(),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_owned();
    assert!(location.starts_with("/prestations/prestations/"));
    let (status, _, page) = h.call(Method::GET, &location, &auth, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("badge blue") && page.contains("encoded by the worker"),
        "draft shown in blue: {page}"
    );
    assert!(page.contains("Send to the user"));
    let (status, _, page) = send(
        post(vec![], format!("_csrf={token}")),
        format!("{location}/validate"),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "illegal action answered on the page"
    );
    assert!(page.contains("only a prestation encoded or corrected by the enterprise"));
    let (status, _, _) = send(
        post(vec![], format!("_csrf={token}")),
        format!("{location}/send"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let u = h.user();
    let (status, headers, _) = h.call(Method::GET, "/prestations/", &[], None).await;
    assert_eq!(status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/prestations")
    );
    let (status, _, page) = h
        .call(
            Method::GET,
            "/prestations",
            &[(assertion::HEADER, u.as_str())],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("To confirm") && page.contains("Wendy Worker"));
    let (status, _, _) = h.call(Method::GET, "/whoami", &auth, None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "everything lives under the base path"
    );
    for path in [
        "/prestations/history",
        "/prestations/prestations",
        "/prestations/me",
        "/prestations/dossiers",
    ] {
        let (status, _, _) = h.call(Method::GET, path, &auth, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
    h.app.close().await;
}

async fn notices_are_mailed_over_smtp_with_retries(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let mail_dir = tempfile::tempdir().expect("tempdir");
    let smtp = SmtpServer::start(mail_dir.path())
        .await
        .expect("aiosmtpd: python3 with aiosmtpd (scripts/test.sh installs it)");
    let h = setup(db, &clock, |c| {
        c.smtp_url = Some(smtp.url());
        c.mail_from = "prestations@example.be".to_owned();
    })
    .await;
    let (status, _) = h
        .json(
            Method::PUT,
            "/api/me",
            &h.user(),
            Some(json!({"email": "not an address"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = h
        .json(
            Method::PUT,
            "/api/me",
            &h.user(),
            Some(json!({"email": "ursula@example.be"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let u1 = h.number(&h.user()).await;
    let new = json!({ "user_number": u1, "date": "2025-09-10", "hours": 3, "activity": "cleaning", "send": true });
    let (status, created) = h
        .json(Method::POST, "/api/prestations", &h.worker(), Some(new))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let sender = h.app.mail_sender();
    assert_eq!(sender.pass().await.expect("send").sent, 1);
    // Delivered when the pass returns: the SMTP server stores a mail before its 250.
    let got = smtp.messages().expect("mails");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt_tos, ["ursula@example.be"]);
    assert_eq!(got[0].mail_from, "prestations@example.be");
    assert_eq!(got[0].subject, "Please confirm a prestation");
    clock.set_brussels(d(2025, 9, 30), 9);
    h.app.scheduler().pass().await.expect("pass");
    assert_eq!(sender.pass().await.expect("send").sent, 1);
    let got = smtp.messages().expect("mails");
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].subject, "Reminder 1: please confirm a prestation");
    assert_eq!(sender.pass().await.expect("send").sent, 0, "nothing twice");
    let (_, me) = h.json(Method::GET, "/api/me", &h.user(), None).await;
    assert!(
        me["notices"]
            .as_array()
            .is_some_and(|n| n.len() == 2 && n.iter().all(|m| m["state"] == "sent"))
    );
    h.app.close().await;

    // The SMTP server is down: the mail stays queued and is retried later.
    let down = setup(db, &clock, |c| {
        c.smtp_url = Some("smtp://127.0.0.1:1".to_owned())
    })
    .await;
    clock.set_brussels(d(2025, 10, 20), 9);
    down.app.scheduler().pass().await.expect("pass");
    let report = down.app.mail_sender().pass().await.expect("send");
    assert_eq!((report.sent, report.failed), (0, 1));
    assert_eq!(
        down.app.mail_sender().pass().await.expect("send").failed,
        0,
        "backing off"
    );
    let queued = OUTBOX
        .with_prefix(down.app.pool(), "reminder:")
        .await
        .expect("outbox");
    let second = queued
        .iter()
        .find(|m| m.dedup_key.ends_with(":2"))
        .expect("reminder 2");
    assert_eq!((second.state.as_str(), second.attempts), ("pending", 1));
    clock.advance_ms(120_000);
    assert_eq!(
        down.app.mail_sender().pass().await.expect("send").failed,
        1,
        "retried"
    );
    down.app.close().await;
}

async fn background_starts_and_stops(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let h = setup(db, &clock, |_| {}).await;
    h.app.start();
    h.app.start();
    h.app.stop().await;
    h.app.stop().await;
    h.app.close().await;
}

async fn dossier_pages_and_api(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 2), 9);
    let h = setup(db, &clock, |c| c.catalogue_file = Some(energy_catalogue())).await;
    let provider = h.token(
        "p1",
        "Paula Provider",
        Some(("prov", "0203201340", "Conseil SA")),
        &["read", "modify"],
    );
    let admin = h.token(
        "a1",
        "Anna Admin",
        Some(("adm", "0403449625", "Administration")),
        &["read", "modify", "process"],
    );
    let auth = [(assertion::HEADER, provider.as_str())];
    let (status, _, page) = h.call(Method::GET, "/dossiers/new", &auth, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<optgroup label=\"Energie\">") && page.contains("(energy cheque)"));
    let (_, _, page) = h
        .call(Method::GET, "/dossiers/new?cheque=ENE-TEST", &auth, None)
        .await;
    assert!(page.contains("name=\"weight_ENE-AUDIT\""));
    let token = csrf_of(&page);
    let form = |weights: (u32, u32)| {
        format!(
            "_csrf={token}&cheque=ENE-TEST&start_date=2026-04-01&beneficiary_number=0412000075&beneficiary_name=Boulangerie&\
             weight_ENE-AUDIT={}&description_ENE-AUDIT=Audit+of+the+ovens&weight_ENE-PLAN={}&description_ENE-PLAN=Heat+pumps&weight_ENE-FOLLOW=0",
            weights.0, weights.1
        )
    };
    let post = |path: String, body: String| {
        let h = &h;
        let provider = provider.clone();
        async move {
            let headers = [
                (assertion::HEADER, provider.as_str()),
                ("content-type", "application/x-www-form-urlencoded"),
            ];
            h.call(Method::POST, &path, &headers, Some(Body::from(body)))
                .await
        }
    };
    let (status, _, page) = post("/dossiers".to_owned(), form((50, 40))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("90%"), "the page says why");
    let (status, headers, _) = post("/dossiers".to_owned(), form((60, 40))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_owned();
    let (_, _, page) = h.call(Method::GET, &location, &auth, None).await;
    assert!(page.contains("01 Being introduced") && page.contains(">Delete</button>"));
    let (status, _, _) = post(format!("{location}/submit"), format!("_csrf={token}")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, page) = post(format!("{location}/delete"), format!("_csrf={token}")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("only a dossier being introduced (01) can be deleted"));
    let id = location.trim_start_matches("/dossiers/").to_owned();
    assert_eq!(
        h.json(
            Method::POST,
            &format!("/api/dossiers/{id}/take"),
            &provider,
            None
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, taken) = h
        .json(
            Method::POST,
            &format!("/api/dossiers/{id}/take"),
            &admin,
            None,
        )
        .await;
    assert_eq!(
        (status, taken["status"]["code"].clone()),
        (StatusCode::OK, json!("03"))
    );
    let cyber = json!({ "beneficiary_number": "0412000075", "beneficiary_name": "Boulangerie", "cheque": "DIG-CYBER", "start_date": "2026-04-01" });
    let (status, body) = h
        .json(
            Method::POST,
            "/api/dossiers",
            &provider,
            Some(cyber.clone()),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "description is mandatory: {body}"
    );
    let mut with = cyber;
    with["description"] = json!("Audit of the web shop");
    let (status, created) = h
        .json(Method::POST, "/api/dossiers", &provider, Some(with))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        created["competences"],
        json!([{ "code": "DIG-CYBER", "weight": 100, "description": "Audit of the web shop" }])
    );
    let new_id = created["id"].as_str().expect("id").to_owned();
    let (status, _, _) = h
        .call(
            Method::DELETE,
            &format!("/api/dossiers/{new_id}"),
            &auth,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        h.json(
            Method::GET,
            &format!("/api/dossiers/{new_id}"),
            &provider,
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let (status, copy) = h
        .json(
            Method::POST,
            &format!("/api/dossiers/{id}/duplicate"),
            &provider,
            None,
        )
        .await;
    assert_eq!(
        (status, copy["status"]["code"].clone()),
        (StatusCode::CREATED, json!("01"))
    );
    let (_, cheques) = h.json(Method::GET, "/api/cheques", &provider, None).await;
    assert_eq!(
        cheques["cheque"].as_array().map(Vec::len),
        Some(2),
        "the operator's catalogue"
    );
    h.app.close().await;
}

db_tests!(
    only_a_valid_assertion_gets_in,
    rights_are_enforced,
    json_api_flow,
    html_pages_with_csrf,
    notices_are_mailed_over_smtp_with_retries,
    background_starts_and_stops,
    dossier_pages_and_api,
);
