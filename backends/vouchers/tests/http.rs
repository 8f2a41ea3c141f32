//! HTTP: real assertions verified against a JWKS on 127.0.0.1:0 (bad, missing, expired,
//! wrong-audience: 401 JSON), rights, the `.xlsx` download, the HTML pages with CSRF.

mod common;

use assertion::Claims;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use backend_kit::ManualClock;
use backend_kit::db_tests;
use backend_kit::test_support::{TestDb, TestIssuer, structure};
use calamine::{Data, Reader, Xlsx};
use common::*;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use vouchers::App;

struct Http {
    app: App,
    router: Router,
    issuer: TestIssuer,
}

async fn setup(db: &TestDb, clock: &ManualClock) -> Http {
    let issuer = TestIssuer::start().await;
    let mut config = common::config(db, clock);
    config.jwks_url = issuer.jwks_url.clone();
    config.issuer = issuer.issuer.clone();
    let app = vouchers::build(config).await.expect("build");
    let router = app.router();
    Http {
        app,
        router,
        issuer,
    }
}

impl Http {
    fn token(&self, s: (&str, &str, &str), rights: &[&str]) -> String {
        let mut c = self.issuer.claims("vouchers", "a1", "Agent One");
        c.structure = Some(structure(s.0, s.1, s.2));
        c.rights = rights.iter().map(|r| (*r).to_owned()).collect();
        self.issuer.sign(&c)
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut req = Request::builder().method(method).uri(path);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req
            .body(body.map(Body::from).unwrap_or_else(Body::empty))
            .expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("response");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        (status, headers, bytes)
    }

    async fn json(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut headers = vec![(assertion::HEADER, token)];
        if body.is_some() {
            headers.push(("content-type", "application/json"));
        }
        let (status, _, bytes) = self
            .call(method, path, &headers, body.map(|b| b.to_string()))
            .await;
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn html(&self, path: &str, token: &str) -> (StatusCode, String) {
        let (status, _, bytes) = self
            .call(Method::GET, path, &[(assertion::HEADER, token)], None)
            .await;
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    async fn form(&self, path: &str, token: &str, body: &str) -> (StatusCode, HeaderMap, String) {
        let headers = [
            (assertion::HEADER, token),
            ("content-type", "application/x-www-form-urlencoded"),
        ];
        let (status, headers, bytes) = self
            .call(Method::POST, path, &headers, Some(body.to_owned()))
            .await;
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }
}

async fn refused(h: &Http, token: Option<&str>, why: &str) {
    let headers: Vec<(&str, &str)> = token
        .map(|t| vec![(assertion::HEADER, t)])
        .unwrap_or_default();
    for path in ["/whoami", "/api/users", "/users.xlsx", "/"] {
        let (status, headers, body) = h.call(Method::GET, path, &headers, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{why} {path}");
        assert!(
            headers
                .get("content-type")
                .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
        );
        let body: Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(body["error"], "unauthorized");
    }
}

async fn only_a_valid_assertion_gets_in(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let h = setup(db, &clock).await;
    refused(&h, None, "missing").await;
    refused(&h, Some("x.y.z"), "garbage").await;
    let now = chrono::Utc::now().timestamp();
    let base: Claims = h.issuer.claims("vouchers", "a1", "Agent One");
    refused(
        &h,
        Some(&h.issuer.sign(&Claims {
            iat: now - 600,
            exp: now - 500,
            ..base.clone()
        })),
        "expired",
    )
    .await;
    refused(
        &h,
        Some(&h.issuer.sign(&Claims {
            aud: "prestations".to_owned(),
            ..base.clone()
        })),
        "wrong audience",
    )
    .await;
    refused(
        &h,
        Some(&h.issuer.sign(&Claims {
            iss: "http://other".to_owned(),
            ..base.clone()
        })),
        "wrong issuer",
    )
    .await;
    let good = h.issuer.sign(&base);
    let tampered = format!("{}x", &good[..good.len() - 1]);
    refused(&h, Some(&tampered), "bad signature").await;
    let (status, me) = h.json(Method::GET, "/whoami", &good, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["sub"], "a1");
    assert_eq!(me["audience"], "vouchers");
    let (status, _, _) = h.call(Method::GET, "/healthz", &[], None).await;
    assert_eq!(status, StatusCode::OK);
    h.app.close().await;
}

async fn rights_agencies_and_the_xlsx_download(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let h = setup(db, &clock).await;
    let reader = h.token(ALE1, &["read"]);
    let writer = h.token(ALE1, &["read", "modify"]);
    let new = json!({ "kind": "legal", "legal_name": "Boulangerie Dupont SRL", "common_name": "Au Bon Pain", "enterprise_number": "0412000075", "valid_until": "2026-12-31" });
    assert_eq!(
        h.json(Method::POST, "/api/users", &reader, Some(new.clone()))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        h.json(Method::GET, "/api/users", &h.token(ALE1, &[]), None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, created) = h
        .json(Method::POST, "/api/users", &writer, Some(new.clone()))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["display_name"], "Au Bon Pain");
    let (status, body) = h.json(Method::POST, "/api/users", &writer, Some(new)).await;
    assert_eq!(
        (status, body["error"].clone()),
        (StatusCode::CONFLICT, json!("already_registered"))
    );
    let id = created["id"].as_str().expect("id").to_owned();
    let (status, bought) = h
        .json(
            Method::POST,
            &format!("/api/users/{id}/purchases"),
            &writer,
            Some(json!({ "quantity": 2 })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{bought}");
    assert_eq!(bought["invoice"]["number"], "2026-00001");
    let (_, detail) = h
        .json(Method::GET, &format!("/api/users/{id}"), &reader, None)
        .await;
    assert_eq!(detail["balance"], 2);
    assert_eq!(
        detail["vouchers"][0]["holder"], "Au Bon Pain",
        "the common name on vouchers"
    );
    let other = h.token(ALE2, &["read", "modify"]);
    assert_eq!(
        h.json(Method::GET, &format!("/api/users/{id}"), &other, None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, list) = h.json(Method::GET, "/api/users", &other, None).await;
    assert_eq!(list["count"], 0);
    let (_, home) = h.json(Method::GET, "/api/home", &reader, None).await;
    assert_eq!(home, json!({ "contested": 0, "unpaid": 0 }));
    let (status, headers, bytes) = h
        .call(
            Method::GET,
            "/users.xlsx?sort=valid_until&dir=desc",
            &[(assertion::HEADER, reader.as_str())],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert!(
        headers
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("users-2026-03-10.xlsx"))
    );
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
    let sheet = book.worksheet_range("Users").expect("sheet");
    let rows: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(rows[1][0], Data::String("Au Bon Pain".to_owned()));
    assert_eq!(rows[1][11], Data::Float(2.0));
    let (status, _, _) = h
        .call(
            Method::GET,
            "/users.xlsx?sort=nope",
            &[(assertion::HEADER, reader.as_str())],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    h.app.close().await;
}

fn csrf_of(page: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = page.find(marker).expect("csrf field") + marker.len();
    page[start..].split('"').next().expect("token").to_owned()
}

async fn html_pages(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let h = setup(db, &clock).await;
    let t = h.token(ALE1, &["read", "modify"]);
    let (status, page) = h.html("/users/new?kind=natural", &t).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("value=\"2027-03-09\""),
        "end of validity pre-filled"
    );
    let csrf = csrf_of(&page);
    let body = "kind=natural&first_name=Anne&last_name=Dupont&postcode=5000&city=Namur&valid_until=2026-12-31";
    let (status, _, _) = h.form("/users", &t, body).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no CSRF token");
    let (status, _, page) = h
        .form(
            "/users",
            &t,
            &format!("{body}&_csrf={csrf}&valid_from=2026-12-31&valid_until=2026-01-01"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("role=\"alert\""));
    let (status, headers, _) = h.form("/users", &t, &format!("{body}&_csrf={csrf}")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_owned();
    let (status, _, _) = h
        .form(
            &format!("{location}/purchase"),
            &t,
            &format!("_csrf={csrf}&quantity=3"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = h.html(&location, &t).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Wallet: 3 vouchers") && page.contains("Anne Dupont"));
    let (status, page) = h.html("/users/new?kind=natural", &t).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("value=\"Namur\""),
        "municipality most common among the agency's users"
    );
    let (status, page) = h.html("/users?auth=valid&sort=valid_until", &t).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("users.xlsx?auth=valid&amp;sort=valid_until"),
        "the download keeps the filters"
    );
    for path in [
        "/",
        "/providers",
        "/prestations",
        "/prestations/new",
        "/prestations?status=contested",
        "/invoices",
    ] {
        let (status, page) = h.html(path, &t).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(page.starts_with("<!doctype html>"));
    }
    let (_, page) = h.html("/", &t).await;
    assert!(
        page.contains("Contested prestations: <strong>0</strong>")
            && page.contains("Unpaid prestations: <strong>0</strong>")
    );
    h.app.close().await;
}

async fn provider_list_and_cutoff_pages(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let h = setup(db, &clock).await;
    let t = h.token(ALE1, &["read", "modify"]);
    for (first, last, kind, cpas) in [
        ("Anne", "Zeta", "unemployed", ""),
        ("Bruno", "Alpha", "integration_income", "CPAS+Namur"),
        ("Carla", "Mid", "not_eligible", ""),
    ] {
        let (_, page) = h.html("/providers", &t).await;
        let csrf = csrf_of(&page);
        let body = format!(
            "_csrf={csrf}&first_name={first}&last_name={last}&provider_type={kind}&cpas={cpas}&effective_from=2026-01-01"
        );
        let (status, _, _) = h.form("/providers", &t, &body).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{last}");
    }
    let (status, page) = h
        .html("/providers?type=eligible&sort=name&dir=desc", &t)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (zeta, alpha) = (
        page.find(">Anne Zeta<").expect("Zeta"),
        page.find(">Bruno Alpha<").expect("Alpha"),
    );
    assert!(zeta < alpha, "sorted by name, descending");
    assert!(!page.contains("Carla Mid"), "not eligible");
    assert!(page.contains("<option value=\"eligible\" selected>"));
    let (status, page) = h.html("/providers?sort=age", &t).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("id=\"filter-error\"") && page.contains("Carla Mid"));
    let (_, json) = h
        .json(Method::GET, "/api/providers?cpas=namur", &t, None)
        .await;
    assert_eq!(json["providers"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["providers"][0]["provider"]["last_name"], "Alpha");
    // A prestation before the cutoff is refused next to its date.
    let (_, page) = h.html("/users/new?kind=natural", &t).await;
    let csrf = csrf_of(&page);
    let (_, headers, _) = h
        .form(
            "/users",
            &t,
            &format!("_csrf={csrf}&kind=natural&first_name=Anne&last_name=Dupont&valid_from=2023-01-01&valid_until=2027-12-31"),
        )
        .await;
    let user = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .and_then(|l| l.rsplit('/').next())
        .expect("user")
        .to_owned();
    let (_, providers) = h.json(Method::GET, "/api/providers?q=zeta", &t, None).await;
    let provider = providers["providers"][0]["provider"]["id"]
        .as_str()
        .expect("provider")
        .to_owned();
    let (status, _, page) = h
        .form(
            "/prestations",
            &t,
            &format!("_csrf={csrf}&user_id={user}&provider_id={provider}&date=2023-08-31&hours=2&activity=gardening"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("id=\"date-error\"")
            && page.contains("electronic prestations start on 1 September 2023")
    );
    h.app.close().await;
}

async fn a_user_links_and_reads_their_wallet(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let h = setup(db, &clock).await;
    let t = h.token(ALE1, &["read", "modify"]);
    let (_, page) = h.html("/users/new?kind=natural", &t).await;
    let csrf = csrf_of(&page);
    let (_, headers, _) = h
        .form(
            "/users",
            &t,
            &format!(
                "_csrf={csrf}&kind=natural&first_name=Anne&last_name=Dupont&valid_until=2026-12-31"
            ),
        )
        .await;
    let location = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_owned();
    h.form(
        &format!("{location}/purchase"),
        &t,
        &format!("_csrf={csrf}&quantity=2"),
    )
    .await;
    let (status, _, page) = h
        .form(
            &format!("{location}/link-code"),
            &t,
            &format!("_csrf={csrf}"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let marker = "Give this code to Anne Dupont: <strong>";
    let start = page.find(marker).expect("code shown") + marker.len();
    let code = page[start..].split('<').next().expect("code").to_owned();
    let mut me = h.issuer.claims("vouchers", "citizen-7", "Anne Dupont");
    me.acting = assertion::Acting::Myself;
    me.rights = Vec::new(); // as the gateway signs it
    let me = h.issuer.sign(&me);
    let (status, page) = h.html("/", &me).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("No wallet is linked to you yet"));
    let my_csrf = csrf_of(&page);
    let (status, _, page) = h
        .form("/me/link", &me, &format!("_csrf={my_csrf}&code=nope"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("id=\"code-error\""));
    let (status, _, page) = h
        .form("/me/link", &me, &format!("_csrf={my_csrf}&code={code}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("ALE Namur: 2 vouchers"), "{page}");
    let (_, json) = h.json(Method::GET, "/api/me", &me, None).await;
    assert_eq!(json["wallets"][0]["balance"], 2);
    // Read only: no agency page for a person acting as themselves.
    for path in ["/users", "/providers", "/prestations", "/api/users"] {
        let (status, _) = h.html(path, &me).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let (status, _) = h.html("/me", &t).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an agent has no wallet page");
    h.app.close().await;
}

db_tests!(
    only_a_valid_assertion_gets_in,
    rights_agencies_and_the_xlsx_download,
    html_pages,
    provider_list_and_cutoff_pages,
    a_user_links_and_reads_their_wallet,
);
