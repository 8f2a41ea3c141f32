//! The database becomes unreachable under a running gateway (a TCP relay to PostgreSQL
//! is cut, its connections killed): after a few failures the session store's circuit
//! opens and requests are answered 503 without asking the database (counted as
//! `db_circuit_open`), nothing is forwarded, and once the database is back a probe
//! closes the circuit again.

mod support;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use support::pg::FreshDb;
use support::*;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A TCP relay to `target` that can be cut (every open connection killed, new ones
/// closed at once) and restored.
struct Relay {
    addr: SocketAddr,
    down: Arc<AtomicBool>,
    kill: watch::Sender<u64>,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    async fn start(target: SocketAddr) -> Self {
        let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = l.local_addr().expect("addr");
        let down = Arc::new(AtomicBool::new(false));
        let (kill, _) = watch::channel(0u64);
        let (d, k) = (down.clone(), kill.clone());
        let task = tokio::spawn(async move {
            while let Ok((mut client, _)) = l.accept().await {
                if d.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let mut killed = k.subscribe();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = killed.changed() => {}
                    }
                });
            }
        });
        Self {
            addr,
            down,
            kill,
            task,
        }
    }

    fn cut(&self) {
        self.down.store(true, Ordering::SeqCst);
        self.kill.send_modify(|n| *n += 1);
    }

    fn restore(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn circuit_opened(env: &Env, c: &reqwest::Client) -> u64 {
    let text = c
        .get(format!("{}/metrics", env.url))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .find(|l| l.starts_with("gateway_denials_total{reason=\"db_circuit_open\"}"))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn an_unreachable_database_opens_the_circuit_and_a_probe_closes_it() {
    let db = FreshDb::create().await;
    let mut url = url::Url::parse(&db.url).expect("url");
    let target: SocketAddr = format!(
        "{}:{}",
        url.host_str().expect("host"),
        url.port().unwrap_or(5432)
    )
    .parse()
    .expect("PostgreSQL on an IP address");
    let relay = Relay::start(target).await;
    url.set_port(Some(relay.addr.port())).expect("port");
    url.set_host(Some("127.0.0.1")).expect("host");
    let env = Env::start(Options {
        database_url: Some(url.to_string()),
        database_extra: "breaker_failures = 3\nbreaker_open_secs = 20\n".to_owned(),
        ..Options::default()
    })
    .await;
    let c = client();
    let session = login(&env, &c, "citizen-3").await;
    let cookie = format!("gw_session={session}");
    assert_eq!(reaches_backend(&env, &c, &cookie).await, 200);
    assert_eq!(circuit_opened(&env, &c).await, 0);

    relay.cut();
    // Sessions are served from memory while the node's notification connection lives;
    // the cut kills it too, and from then on every request reads the (gone) store.
    let start = std::time::Instant::now();
    while env.state().sessions.served_from_memory() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the cut went unseen"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    for _ in 0..3 {
        let r = c
            .get(format!("{}/vouchers/x", env.url))
            .header("cookie", &cookie)
            .header("accept", "application/json")
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 503);
        let body: serde_json::Value = r.json().await.expect("json");
        assert_eq!(body["error"], "unavailable");
        assert!(body.get("headers").is_none(), "forwarded: {body}");
    }
    // Open: answered without asking the database.
    assert_eq!(reaches_backend(&env, &c, &cookie).await, 503);
    assert!(circuit_opened(&env, &c).await >= 1);
    // The database is back, but the circuit stays open for its while: still 503, still
    // not asked.
    relay.restore();
    assert_eq!(reaches_backend(&env, &c, &cookie).await, 503);
    assert!(circuit_opened(&env, &c).await >= 2);
    // Then one request probes, succeeds, and the circuit closes.
    let mut status = 503;
    for _ in 0..60 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        status = reaches_backend(&env, &c, &cookie).await;
        if status == 200 {
            break;
        }
    }
    assert_eq!(status, 200, "the circuit never closed again");
    let before = circuit_opened(&env, &c).await;
    assert_eq!(reaches_backend(&env, &c, &cookie).await, 200);
    assert_eq!(circuit_opened(&env, &c).await, before);
}
