//! Several gateway nodes on one PostgreSQL: shared sessions, logout seen at once, and a
//! database that goes away fails closed. Sessions are served from each node's memory,
//! kept true by LISTEN/NOTIFY: a logout on one node is refused on the others once
//! notified, and a node that lost its notification connection reads the store instead.

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use policy::grants::GrantRequest;
use policy::ids::{NationalNumber, OrgNumber};
use policy::{Actor, Scope, Subject};
use support::pg::FreshDb;
use support::*;

/// A second node on `db`, sharing A's secret and peers.
async fn node_b(a: &Env, db: &FreshDb) -> gateway::Running {
    node(a, db, &Options::default()).await
}

/// Another node on `db` with the options A was started with (its routes), sharing A's
/// secret and peers.
async fn node(a: &Env, db: &FreshDb, o: &Options) -> gateway::Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let b_addr = listener.local_addr().expect("addr");
    let text = config_text(b_addr, &db.url, &a.issuer, a.backend, o);
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
    let status = session_status(a, c, cookie).await;
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

/// With the memory on, a logout on A reaches B and C by notification: over 100 trials,
/// with every node's sessions notification connection cut right after the 50th logout,
/// every one is refused on B and C within the bound (the delays are printed, not
/// asserted).
#[tokio::test]
async fn a_logout_on_one_node_is_notified_to_the_others() {
    let db = FreshDb::create().await;
    let a = Env::start(Options {
        database_url: Some(db.url.clone()),
        ..Options::default()
    })
    .await;
    let b = node_b(&a, &db).await;
    let cn = node_b(&a, &db).await;
    until_synced(&b).await;
    until_synced(&cn).await;
    let c = client();
    let mut delays = Vec::new();
    for trial in 0..100 {
        let session = login(&a, &c, "citizen-2").await;
        let cookie = format!("gw_session={session}");
        for node in [b.addr, cn.addr] {
            // Twice: the second is served from the node's memory (when synchronised).
            assert_eq!(status_on(&c, node, &cookie).await, 200);
            assert_eq!(status_on(&c, node, &cookie).await, 200);
        }
        logout(&a, &c, &cookie).await;
        let committed = Instant::now();
        if trial == 50 {
            // The notification of this logout may be lost with the connections.
            assert!(
                cut_session_listeners(&a).await >= 2,
                "the listeners were found"
            );
        }
        for node in [b.addr, cn.addr] {
            refused_within(&c, node, &cookie).await;
            delays.push(committed.elapsed());
        }
    }
    until_synced(&b).await;
    until_synced(&cn).await;
    let (p50, p99, max) = percentiles(&mut delays);
    eprintln!(
        "logout on A refused on B and C after: p50 {p50:?}, p99 {p99:?}, max {max:?} \
         ({} refusals, 100 trials, notification connections cut after the 50th logout)",
        delays.len()
    );
    b.shutdown().await.expect("stop b");
    cn.shutdown().await.expect("stop c");
}

/// Cut every node's sessions notification connection to this database; how many.
async fn cut_session_listeners(a: &Env) -> usize {
    cut_connections(a, gateway::sessions::LISTENER_NAME).await
}

/// Terminate every connection to this database named `application_name`; how many.
async fn cut_connections(a: &Env, application_name: &str) -> usize {
    let cut: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = $1 AND datname = current_database()",
    )
    .bind(application_name)
    .fetch_all(&a.state().db.pool)
    .await
    .expect("terminate");
    cut.len()
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
    assert!(
        cut_session_listeners(&a).await > 0,
        "the listeners were found"
    );
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

/// A route under `access = "policy"`: `GET /pvouchers/...` needs `vouchers/read` in the
/// session's organisation.
fn policy_route(database_url: &str, backend: SocketAddr) -> Options {
    Options {
        database_url: Some(database_url.to_owned()),
        extra_routes: format!(
            "[[applications]]\nid = \"vouchers\"\nname = \"Vouchers\"\nlevels = [\"read\"]\n\
             [[routes]]\nprefix = \"/pvouchers\"\nupstream = \"http://{backend}\"\n\
             application = \"vouchers\"\naccess = \"policy\"\nmethods = {{ GET = \"read\" }}\n"
        ),
        ..Options::default()
    }
}

/// The status of a GET on the policy route on `addr` with `cookie`: 200 or 403, nothing
/// else.
async fn policy_status_on(c: &reqwest::Client, addr: SocketAddr, cookie: &str) -> u16 {
    let status = c
        .get(format!("http://{addr}/pvouchers/list"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("proxied")
        .status()
        .as_u16();
    assert!(
        status == 200 || status == 403,
        "allowed or refused by the policy, nothing else: {status}"
    );
    status
}

/// Poll every node until each allows `cookie` on the policy route (up to 10 s).
async fn allowed_on_all(c: &reqwest::Client, nodes: &[SocketAddr], cookie: &str) {
    let start = Instant::now();
    for &addr in nodes {
        while policy_status_on(c, addr, cookie).await != 200 {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "a grant made on A not in force on {addr} after 10 s"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
}

/// Poll every node until each refuses `cookie` on the policy route (up to 10 s), then
/// a few more times; how long each took from `since`. A node that refused once never
/// allows again.
async fn refused_on_all(
    c: &reqwest::Client,
    nodes: &[SocketAddr],
    cookie: &str,
    since: Instant,
) -> Vec<Duration> {
    let mut refused: Vec<Option<Duration>> = vec![None; nodes.len()];
    let mut after = vec![0u32; nodes.len()];
    while after.iter().any(|&n| n < 3) {
        for (i, &addr) in nodes.iter().enumerate() {
            let status = policy_status_on(c, addr, cookie).await;
            match (refused[i], status) {
                (None, 403) => refused[i] = Some(since.elapsed()),
                (Some(_), 403) => after[i] += 1,
                (Some(_), _) => panic!("{addr} refused the revoked grant, then allowed it again"),
                (None, _) => {}
            }
        }
        assert!(
            since.elapsed() < Duration::from_secs(10),
            "a grant revoked on A still in force after 10 s: {refused:?}"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    refused.into_iter().flatten().collect()
}

/// Cut the policy watchers' notification connections to `db` (every node's); how many.
async fn cut_policy_listeners(a: &Env) -> usize {
    cut_connections(a, policy::LISTENER_NAME).await
}

/// Wait (up to 10 s) until every node's policy watcher holds its LISTEN subscription.
async fn until_policy_listening(nodes: &[&gateway::AppState]) {
    let start = Instant::now();
    while !nodes.iter().all(|n| n.policy.is_listening()) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "a policy watcher never listened"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// p50, p99 and max of `delays` (sorted here).
fn percentiles(delays: &mut [Duration]) -> (Duration, Duration, Duration) {
    delays.sort();
    let at = |q: usize| delays[(delays.len() * q / 100).min(delays.len() - 1)];
    (at(50), at(99), delays[delays.len() - 1])
}

/// A grant revoked on A reaches B and C by notification: over 100 trials, with every
/// policy watcher's notification connection cut right after the 50th revocation, each
/// trial is refused on B and C in the end, and a node that refused once never allows
/// again within the trial (the delays are printed, not asserted).
#[tokio::test]
async fn a_grant_revoked_on_one_node_is_refused_on_the_others() {
    let db = FreshDb::create().await;
    let (backend, _echo) = echo_backend().await;
    let a = Env::start(policy_route(&db.url, backend)).await;
    let b = node(&a, &db, &policy_route(&db.url, backend)).await;
    let cn = node(&a, &db, &policy_route(&db.url, backend)).await;
    until_policy_listening(&[a.state(), &b.state, &cn.state]).await;

    // Citizen 2 holds vouchers/read in Acme, named by national number before their first
    // login: Acme, their only organisation, is active in the session made on A.
    let p = &a.state().policy;
    let op = Actor::operator();
    let acme = p
        .create_structure(
            &op,
            &OrgNumber::parse("0123.456.749").expect("number"),
            "Acme SA",
            "Acme",
        )
        .await
        .expect("structure");
    let read = p.right_by_name("vouchers", "read").await.expect("right");
    let rrn = demo::sim_idp::demo_citizens()
        .into_iter()
        .find(|c| c.id == "citizen-2")
        .expect("citizen-2")
        .rrn;
    let nrn = NationalNumber::parse(&rrn)
        .expect("nrn")
        .keyed_hash(a.state().keys.nrn_key());
    let request = |subject: Subject| GrantRequest {
        structure: acme.id.clone(),
        subject,
        right: read.id.clone(),
        scope: Scope::Structure,
        valid_until: None,
    };
    let mut grant = p
        .grant(&op, &request(Subject::Pending(nrn)))
        .await
        .expect("grant")
        .id;
    let c = client();
    let session = login(&a, &c, "citizen-2").await;
    let cookie = format!("gw_session={session}");
    let me = session_status(&a, &c, &cookie).await;
    assert_eq!(me["structure_id"], acme.id.as_str(), "{me}");
    let user = me["user"]["id"].as_str().expect("user id").to_owned();

    let others = [b.addr, cn.addr];
    let mut delays = Vec::new();
    for trial in 0..100 {
        if trial > 0 {
            grant = p
                .grant(&op, &request(Subject::User(user.as_str().into())))
                .await
                .expect("grant")
                .id;
        }
        allowed_on_all(&c, &[a.listen, b.addr, cn.addr], &cookie).await;
        p.revoke(&op, &grant).await.expect("revoke");
        let committed = Instant::now();
        assert_eq!(
            policy_status_on(&c, a.listen, &cookie).await,
            403,
            "refused at once on the node that revoked"
        );
        if trial == 50 {
            // The notification of this revocation may be lost with the connections.
            assert_eq!(
                cut_policy_listeners(&a).await,
                3,
                "every node's watcher cut"
            );
        }
        delays.extend(refused_on_all(&c, &others, &cookie, committed).await);
    }
    until_policy_listening(&[a.state(), &b.state, &cn.state]).await;
    let (p50, p99, max) = percentiles(&mut delays);
    eprintln!(
        "grant revoked on A refused on B and C after: p50 {p50:?}, p99 {p99:?}, max {max:?} \
         ({} refusals, 100 trials, watchers' connections cut after the 50th revocation)",
        delays.len()
    );
    b.shutdown().await.expect("stop b");
    cn.shutdown().await.expect("stop c");
}
