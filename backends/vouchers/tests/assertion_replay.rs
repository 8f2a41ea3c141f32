//! An assertion replayed straight to the backend (past the gateway, after a logout) is
//! refused once its lifetime and a few seconds of clock skew are over; the skew is
//! configurable but bounded.

mod common;

use assertion::Claims;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use backend_kit::ManualClock;
use backend_kit::test_support::{Engine, TestDb, TestIssuer};
use common::*;
use tower::ServiceExt;

async fn status(router: &axum::Router, token: &str) -> StatusCode {
    let req = Request::builder()
        .uri("/whoami")
        .header(assertion::HEADER, token)
        .body(Body::empty())
        .expect("request");
    router
        .clone()
        .oneshot(req)
        .await
        .expect("response")
        .status()
}

#[tokio::test]
async fn an_assertion_expired_ten_seconds_ago_is_refused() {
    let db = TestDb::new(Engine::Sqlite).await;
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let issuer = TestIssuer::start().await;
    let mut config = common::config(&db, &clock);
    config.jwks_url = issuer.jwks_url.clone();
    config.issuer = issuer.issuer.clone();
    let app = vouchers::build(config).await.expect("build");
    let router = app.router();
    let now = chrono::Utc::now().timestamp();
    let base: Claims = issuer.claims("vouchers", "a1", "Agent One");
    assert_eq!(status(&router, &issuer.sign(&base)).await, StatusCode::OK);
    for ago in [10, 20, 29] {
        let replayed = issuer.sign(&Claims {
            iat: now - 60 - ago,
            exp: now - ago,
            ..base.clone()
        });
        assert_eq!(
            status(&router, &replayed).await,
            StatusCode::UNAUTHORIZED,
            "expired {ago} s ago and still accepted"
        );
    }
    app.close().await;
}

#[test]
fn the_accepted_clock_skew_is_bounded() {
    let c = vouchers::Config::new(
        "sqlite://x.db",
        "http://127.0.0.1:9/.well-known/jwks.json",
        "http://127.0.0.1:9",
    );
    assert_eq!(c.clock_skew_secs, assertion::DEFAULT_LEEWAY_SECS);
    const { assert!(assertion::DEFAULT_LEEWAY_SECS <= 5) };
    let mut bad = c.clone();
    bad.clock_skew_secs = 90;
    let e = bad.validate().expect_err("refused");
    assert!(e.to_string().contains("clock_skew_secs"), "{e}");
}
