//! Several gateway nodes on one PostgreSQL: shared sessions, logout seen at once, and a
//! database that goes away fails closed. Sessions are served from each node's memory,
//! kept true by LISTEN/NOTIFY: a logout on one node is refused on the others once
//! notified, and a node that lost its notification connection reads the store instead.

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use support::pg::FreshDb;
use support::*;

/// A second node on `db`, sharing A's secret and peers.
async fn node_b(a: &Env, db: &FreshDb) -> gateway::Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let b_addr = listener.local_addr().expect("addr");
    let text = config_text(b_addr, &db.url, &a.issuer, a.backend, &Options::default());
    let state = gateway::AppState::build(gateway::Config::from_toml(&text).expect("config"))
        .await
        .expect("state");
    gateway::spawn(state, listener).expect("spawn")
}

/// Wait (up to 5 s) until `node` serves sessions from memory.
async fn until_synced(node: &gateway::Running) {
    let start = Instant::now();
    while !node.state.sessions.served_from_memory() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the notification listener never synchronised"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The status of a proxied request on `addr` with `cookie`.
async fn status_on(c: &reqwest::Client, addr: SocketAddr, cookie: &str) -> u16 {
    c.get(format!("http://{addr}/vouchers/"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("proxied")
        .status()
        .as_u16()
}

/// `gateway_session_store_reads_total` of the node at `addr`.
async fn store_reads(c: &reqwest::Client, addr: SocketAddr) -> u64 {
    let text = c
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .find(|l| l.starts_with("gateway_session_store_reads_total "))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("gateway_session_store_reads_total is exposed")
}

/// Log out `cookie` on A (the form, with the session's CSRF token).
async fn logout(a: &Env, c: &reqwest::Client, cookie: &str) {
    let status: serde_json::Value = c
        .get(format!("{}/auth/session", a.url))
        .header("cookie", cookie)
        .send()
        .await
        .expect("s")
        .json()
        .await
        .expect("j");
    let csrf = status["csrf"].as_str().expect("csrf").to_owned();
    let out = c
        .post(format!("{}/auth/logout", a.url))
        .header("cookie", cookie)
        .header("accept", "application/json")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("logout");
    assert!(out.status().is_success() || out.status().is_redirection());
}

/// Poll B until it refuses `cookie` (up to 5 s); how long that took.
async fn refused_within(c: &reqwest::Client, b: SocketAddr, cookie: &str) -> Duration {
    let start = Instant::now();
    loop {
        let status = status_on(c, b, cookie).await;
        if status == 401 {
            return start.elapsed();
        }
        assert_eq!(status, 200, "a live session or a refusal, nothing else");
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "a logout on A still served on B after 5 s"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

#[tokio::test]
async fn two_nodes_share_sessions_and_logout_is_refused_on_the_other() {
    let db = FreshDb::create().await;
    let a = Env::start(Options {
        database_url: Some(db.url.clone()),
        ..Options::default()
    })
    .await;
    // Node B: same database and secret, its own address.
    let b = node_b(&a, &db).await;
    let b_addr = b.addr;
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
    logout(&a, &c, &cookie).await;
    // Refused on B once the notification arrives (polled, bounded).
    refused_within(&c, b_addr, &cookie).await;
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
    // Sessions are served from memory while the node's notification connection lives;
    // dropping the database ends it, and once the node has seen that, every request
    // reads the (gone) store.
    let start = std::time::Instant::now();
    while env.state().sessions.served_from_memory() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "the lost notification connection went unseen"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
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

/// With the memory on, a logout on A reaches B by notification: over 100 trials every
/// one is refused on B within the bound (the delays are printed, not asserted).
#[tokio::test]
async fn a_logout_on_one_node_is_notified_to_the_other() {
    let db = FreshDb::create().await;
    let a = Env::start(Options {
        database_url: Some(db.url.clone()),
        ..Options::default()
    })
    .await;
    let b = node_b(&a, &db).await;
    until_synced(&b).await;
    let c = client();
    let mut delays = Vec::new();
    for _ in 0..100 {
        let session = login(&a, &c, "citizen-2").await;
        let cookie = format!("gw_session={session}");
        // Twice: the second is served from B's memory.
        assert_eq!(status_on(&c, b.addr, &cookie).await, 200);
        assert_eq!(status_on(&c, b.addr, &cookie).await, 200);
        logout(&a, &c, &cookie).await;
        delays.push(refused_within(&c, b.addr, &cookie).await);
    }
    assert!(b.state.sessions.served_from_memory(), "still listening");
    delays.sort();
    eprintln!(
        "logout on A refused on B after: p50 {:?}, p99 {:?}, max {:?} (100 trials)",
        delays[49], delays[98], delays[99]
    );
    b.shutdown().await.expect("stop b");
}

/// While synchronised, B answers a known session from memory: repeated requests do not
/// read the store.
#[tokio::test]
async fn a_synchronised_node_serves_sessions_from_memory() {
    let db = FreshDb::create().await;
    let a = Env::start(Options {
        database_url: Some(db.url.clone()),
        ..Options::default()
    })
    .await;
    let b = node_b(&a, &db).await;
    until_synced(&b).await;
    let c = client();
    let session = login(&a, &c, "citizen-2").await;
    let cookie = format!("gw_session={session}");
    let before = store_reads(&c, b.addr).await;
    assert_eq!(status_on(&c, b.addr, &cookie).await, 200);
    let first = store_reads(&c, b.addr).await;
    assert!(first > before, "the first request reads the store");
    for _ in 0..20 {
        assert_eq!(status_on(&c, b.addr, &cookie).await, 200);
    }
    assert_eq!(
        store_reads(&c, b.addr).await,
        first,
        "later requests are served from memory"
    );
    b.shutdown().await.expect("stop b");
}

/// The notification connection cut: B reads the store on every request (a logout on A
/// is refused at once), then reconnects, serves from memory again, and a later logout is
/// still refused.
#[tokio::test]
async fn a_node_that_lost_its_notifications_reads_the_store_until_resynchronised() {
    let db = FreshDb::create().await;
    let a = Env::start(Options {
        database_url: Some(db.url.clone()),
        ..Options::default()
    })
    .await;
    let b = node_b(&a, &db).await;
    until_synced(&b).await;
    let c = client();
    let session = login(&a, &c, "citizen-2").await;
    let cookie = format!("gw_session={session}");
    assert_eq!(status_on(&c, b.addr, &cookie).await, 200);
    assert_eq!(status_on(&c, b.addr, &cookie).await, 200);
    let syncs = b.state.sessions.synchronisations();
    // Cut every node's notification connection to this database.
    let cut: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = $1 AND datname = current_database()",
    )
    .bind(gateway::sessions::LISTENER_NAME)
    .fetch_all(&a.state().db.pool)
    .await
    .expect("terminate");
    assert!(!cut.is_empty(), "the listeners were found");
    // B notices (the flag drops, or it has already reconnected from an empty memory).
    let start = Instant::now();
    while b.state.sessions.served_from_memory() && b.state.sessions.synchronisations() == syncs {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the cut went unseen"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    logout(&a, &c, &cookie).await;
    assert_eq!(
        status_on(&c, b.addr, &cookie).await,
        401,
        "refused on B at once: it read the store"
    );
    // Reconnected: memory again, and a logout is still seen.
    until_synced(&b).await;
    assert!(
        b.state.sessions.synchronisations() > syncs,
        "it reconnected"
    );
    let session = login(&a, &c, "citizen-2").await;
    let cookie = format!("gw_session={session}");
    assert_eq!(status_on(&c, b.addr, &cookie).await, 200);
    let reads = store_reads(&c, b.addr).await;
    assert_eq!(status_on(&c, b.addr, &cookie).await, 200);
    assert_eq!(
        store_reads(&c, b.addr).await,
        reads,
        "served from memory again"
    );
    logout(&a, &c, &cookie).await;
    refused_within(&c, b.addr, &cookie).await;
    b.shutdown().await.expect("stop b");
}
