//! Several gateway nodes on one PostgreSQL: shared sessions, logout seen at once, and a
//! database that goes away fails closed.

mod support;

use support::pg::FreshDb;
use support::*;

#[tokio::test]
async fn two_nodes_share_sessions_and_logout_is_refused_at_once_on_the_other() {
    let db = FreshDb::create().await;
    let a = Env::start(Options {
        database_url: Some(db.url.clone()),
        ..Options::default()
    })
    .await;
    // Node B: same database and secret, its own address.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let b_addr = listener.local_addr().expect("addr");
    let text = config_text(b_addr, &db.url, &a.issuer, a.backend, &Options::default());
    let state = gateway::AppState::build(gateway::Config::from_toml(&text).expect("config"))
        .await
        .expect("state");
    let b = gateway::spawn(state, listener).expect("spawn");
    let c = client();
    let session = login(&a, &c, "citizen-2").await;
    let cookie = format!("gw_session={session}");
    let on_b = c
        .get(format!("http://{b_addr}/vouchers/"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("b");
    assert_eq!(on_b.status(), 200, "a login on A is valid on B");
    let echo: serde_json::Value = on_b.json().await.expect("json");
    let token = echo["headers"]["x-gateway-assertion"]
        .as_str()
        .expect("assertion")
        .to_owned();
    // B signs with the key A published (one key ring shared through the database).
    let kid = jsonwebtoken::decode_header(&token)
        .expect("header")
        .kid
        .expect("kid");
    let jwks: serde_json::Value = c
        .get(format!("{}/.well-known/jwks.json", a.url))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    assert!(
        jwks["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .any(|k| k["kid"] == kid.as_str())
    );
    let status: serde_json::Value = c
        .get(format!("{}/auth/session", a.url))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("s")
        .json()
        .await
        .expect("j");
    let csrf = status["csrf"].as_str().expect("csrf").to_owned();
    let out = c
        .post(format!("{}/auth/logout", a.url))
        .header("cookie", &cookie)
        .header("accept", "application/json")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("logout");
    assert!(out.status().is_success() || out.status().is_redirection());
    let on_b = c
        .get(format!("http://{b_addr}/vouchers/"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("b");
    assert_eq!(on_b.status(), 401, "logout on A is refused on B at once");
    b.shutdown().await.expect("stop b");
}

#[tokio::test]
async fn database_down_fails_closed() {
    let db = FreshDb::create().await;
    let env = Env::start(Options {
        database_url: Some(db.url.clone()),
        ..Options::default()
    })
    .await;
    let c = client();
    let session = login(&env, &c, "citizen-3").await;
    let cookie = format!("gw_session={session}");
    assert_eq!(
        c.get(format!("{}/vouchers/", env.url))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("get")
            .status(),
        200
    );
    db.drop_now().await;
    let r = c
        .get(format!("{}/vouchers/", env.url))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 503, "nothing forwarded without a session check");
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["error"], "unavailable");
    assert!(
        body.get("headers").is_none(),
        "the backend's echo never came back"
    );
    assert_eq!(
        c.get(format!("{}/readyz", env.url))
            .send()
            .await
            .expect("ready")
            .status(),
        503
    );
    assert_eq!(
        c.get(format!("{}/healthz", env.url))
            .send()
            .await
            .expect("health")
            .status(),
        200
    );
}

/// Nodes started at once on an empty database may each create a signing key. Every
/// node's JWKS must publish every key in the store at once (not after the next
/// maintenance), or a backend that fetched the set from one node refuses the assertions
/// another node signs.
#[tokio::test]
async fn a_key_another_node_created_is_published_at_once() {
    let db = FreshDb::create().await;
    let a = Env::start(Options {
        database_url: Some(db.url.clone()),
        ..Options::default()
    })
    .await;
    // What node B does when it starts before it can see A's key: a key of its own.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let other = assertion::KeyMaterial::generate(now, 7 * 86_400);
    let app = a.state();
    gateway::store::keys::insert(&app.db, &app.keys, &other, now + 8 * 86_400)
        .await
        .expect("insert");
    let jwks: serde_json::Value = client()
        .get(format!("{}{}", a.url, assertion::JWKS_PATH))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .filter_map(|k| k["kid"].as_str())
        .collect();
    assert!(
        kids.contains(&other.kid.as_str()),
        "node A publishes the key node B created: {kids:?}"
    );
    assert!(kids.len() >= 2, "and its own: {kids:?}");
}
