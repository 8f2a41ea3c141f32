//! The HTTP harness: the app behind a router, a gateway stand-in signing real assertions
//! served from a JWKS on 127.0.0.1:0, calls with headers and JSON, forms with CSRF.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use backend_kit::ManualClock;
use backend_kit::test_support::{TestDb, TestIssuer, structure};
use http_body_util::BodyExt;
use prestations::App;
use serde_json::Value;
use tower::ServiceExt;

use super::S1;

pub struct Http {
    pub app: App,
    pub router: Router,
    pub issuer: TestIssuer,
}

pub async fn setup(
    db: &TestDb,
    clock: &ManualClock,
    tweak: impl FnOnce(&mut prestations::Config),
) -> Http {
    let issuer = TestIssuer::start().await;
    let mut config = super::config(db, clock);
    config.jwks_url = issuer.jwks_url.clone();
    config.issuer = issuer.issuer.clone();
    tweak(&mut config);
    let app = prestations::build(config).await.expect("build");
    let router = app.router();
    Http {
        app,
        router,
        issuer,
    }
}

impl Http {
    pub fn token(
        &self,
        sub: &str,
        name: &str,
        s: Option<(&str, &str, &str)>,
        rights: &[&str],
    ) -> String {
        let mut c = self.issuer.claims("prestations", sub, name);
        c.structure = s.map(|(id, n, name)| structure(id, n, name));
        c.rights = rights.iter().map(|r| (*r).to_owned()).collect();
        self.issuer.sign(&c)
    }

    pub fn worker(&self) -> String {
        self.token("w1", "Wendy Worker", Some(S1), &["read", "modify"])
    }

    /// The user, acting as themselves.
    pub fn user(&self) -> String {
        self.as_self("u1", "Ursula User")
    }

    /// A person acting as themselves, as the gateway signs it: no rights (the gateway
    /// makes no policy decision for them; the backend scopes them to their records).
    pub fn as_self(&self, sub: &str, name: &str) -> String {
        let mut c = self.issuer.claims("prestations", sub, name);
        c.acting = assertion::Acting::Myself;
        c.rights = Vec::new();
        self.issuer.sign(&c)
    }

    /// The office of S1.
    pub fn office(&self) -> String {
        self.token(
            "o1",
            "Olivier Office",
            Some(S1),
            &["read", "modify", "manage"],
        )
    }

    /// The voucher-user number `token`'s person gets by visiting their page.
    pub async fn number(&self, token: &str) -> String {
        let (status, me) = self.json(Method::GET, "/api/me", token, None).await;
        assert_eq!(status, StatusCode::OK, "{me}");
        me["number"].as_str().expect("number").to_owned()
    }

    /// A form post with the assertion, answered with status, headers and body.
    pub async fn form(
        &self,
        path: &str,
        token: &str,
        body: &str,
    ) -> (StatusCode, HeaderMap, String) {
        let headers = [
            (assertion::HEADER, token),
            ("content-type", "application/x-www-form-urlencoded"),
        ];
        self.call(
            Method::POST,
            path,
            &headers,
            Some(Body::from(body.to_owned())),
        )
        .await
    }

    /// A download's bytes, read with the assertion.
    pub async fn bytes(&self, path: &str, token: &str) -> Vec<u8> {
        let req = Request::builder()
            .uri(path)
            .header(assertion::HEADER, token)
            .body(Body::empty())
            .expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("response");
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        resp.into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec()
    }

    /// A page read with the assertion.
    pub async fn page(&self, path: &str, token: &str) -> (StatusCode, String) {
        let (status, _, body) = self
            .call(Method::GET, path, &[(assertion::HEADER, token)], None)
            .await;
        (status, body)
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Body>,
    ) -> (StatusCode, HeaderMap, String) {
        let mut req = Request::builder().method(method).uri(path);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(body.unwrap_or_else(Body::empty)).expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("response");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    pub async fn json(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut headers = vec![(assertion::HEADER, token)];
        let body = body.map(|b| {
            headers.push(("content-type", "application/json"));
            Body::from(b.to_string())
        });
        let (status, _, text) = self.call(method, path, &headers, body).await;
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

/// The CSRF token of the first form of a page.
pub fn csrf_of(page: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = page.find(marker).expect("csrf field") + marker.len();
    page[start..].split('"').next().expect("token").to_owned()
}
