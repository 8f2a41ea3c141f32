//! How long a grant change takes to reach the other nodes: two or more [`Policy`]
//! handles ("nodes", each with its own pool and its own watcher, LISTEN/NOTIFY) on one
//! fresh PostgreSQL database. Each trial grants a right on node A, then revokes it, and
//! times, from the start of A's call, the moment every other node's decision has changed
//! (a thread polls their `decide` every 20 µs). Prints p50/p99/max of both; asserts no
//! time.
//!
//! ```text
//! cargo run --release -p policy --example grant_propagation -- \
//!     [--trials 100] [--nodes 2] [--background-grants 1000000] [--pg postgres://postgres@127.0.0.1:5432/postgres]
//! ```
//!
//! `--background-grants`: grants held by other people, loaded by every node before the
//! trials, so that the change is applied to an index of that size. The database is
//! created under the admin URL given by `--pg` (default: `GATEWAY_TEST_PG_URL`, else the
//! local server) and dropped at the end. The safety-net poll of the watchers is set to an
//! hour, so only the notification can bring the change within the trial.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use policy::ids::OrgNumber;
use policy::{Actor, Policy, PolicyOptions, Scope, Subject, SystemClock, UserId};
use sqlx::Connection as _;
use sqlx::any::AnyPoolOptions;

struct Args {
    trials: usize,
    nodes: usize,
    background: i64,
    pg: String,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut a = Args {
        trials: 100,
        nodes: 2,
        background: 0,
        pg: std::env::var("GATEWAY_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned()),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--trials" => a.trials = value.parse().context("--trials")?,
            "--nodes" => a.nodes = value.parse().context("--nodes")?,
            "--background-grants" => a.background = value.parse().context("--background-grants")?,
            "--pg" => a.pg = value,
            other => bail!("unknown argument {other:?}"),
        }
    }
    if a.trials == 0 || a.nodes < 2 {
        bail!("--trials must be at least 1 and --nodes at least 2");
    }
    Ok(a)
}

/// `url` with its database name replaced by `db`.
fn with_database(url: &str, db: &str) -> anyhow::Result<String> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").context("URL without scheme")? + 3;
    let prefix = match base[scheme_end..].rfind('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    Ok(match query {
        Some(q) => format!("{prefix}/{db}?{q}"),
        None => format!("{prefix}/{db}"),
    })
}

fn percentiles(mut us: Vec<f64>) -> (f64, f64, f64) {
    us.sort_by(f64::total_cmp);
    let at = |p: f64| us[((us.len() as f64 * p) as usize).min(us.len() - 1)];
    (at(0.50), at(0.99), us[us.len() - 1])
}

async fn node(url: &str) -> anyhow::Result<Policy> {
    let pool = AnyPoolOptions::new()
        .max_connections(4)
        .connect(url)
        .await?;
    let options = PolicyOptions {
        clock: Arc::new(SystemClock),
        poll_interval: Duration::from_secs(3600),
        watch: true,
    };
    Ok(Policy::open_with(pool, Some(url.to_owned()), options).await?)
}

/// Grants held by other people in `structure`, generated in SQL (ten per person, each
/// with its own end of validity in 2100, so that each is an entry of the index).
async fn background(url: &str, structure: &str, right: &str, n: i64) -> anyhow::Result<Duration> {
    let t = Instant::now();
    let mut conn = sqlx::AnyConnection::connect(url).await?;
    sqlx::query(
        "INSERT INTO policy_grants (id, structure_id, right_id, user_id, whole_structure, \
         valid_until, granted_at, updated_at) \
         SELECT 'bg' || x, $1, $2, 'bg-user-' || (x / 10), 1, 4102444800000 + x, 0, 0 \
         FROM generate_series(0, $3 - 1) AS x",
    )
    .bind(structure)
    .bind(right)
    .bind(n)
    .execute(&mut conn)
    .await?;
    conn.close().await?;
    Ok(t.elapsed())
}

/// Polls, on a thread of its own, until every node's decision is `want`; the instant.
fn watch_for(
    nodes: Vec<Policy>,
    structure: String,
    want: bool,
    armed: Arc<AtomicBool>,
) -> std::thread::JoinHandle<Instant> {
    std::thread::spawn(move || {
        armed.store(true, Ordering::SeqCst);
        loop {
            let now = policy::Clock::now_ms(&SystemClock);
            if nodes
                .iter()
                .all(|n| n.decide("emp", &structure, &[], "bench", "use", now) == want)
            {
                return Instant::now();
            }
            std::thread::sleep(Duration::from_micros(20));
        }
    })
}

async fn trials(args: &Args, url: &str) -> anyhow::Result<()> {
    let op = Actor::operator();
    let a = node(url).await?;
    let structure = a
        .create_structure(&op, &OrgNumber::parse("0203201340")?, "Bench SA", "Bench")
        .await?;
    let right = a.define_right(&op, "bench", "use", "Bench / use").await?;
    if args.background > 0 {
        let took = background(
            url,
            structure.id.as_str(),
            right.id.as_str(),
            args.background,
        )
        .await?;
        println!(
            "{} background grants written in {took:.1?}",
            args.background
        );
        let t = Instant::now();
        a.reload().await?;
        println!("node A reloaded them in {:.2?}", t.elapsed());
    }
    let mut others = Vec::new();
    for i in 1..args.nodes {
        let t = Instant::now();
        let n = node(url).await?;
        println!(
            "node {} opened in {:.2?} ({} entries)",
            i,
            t.elapsed(),
            n.stats().entries
        );
        others.push(n);
    }
    for (i, n) in others.iter().enumerate() {
        let t = Instant::now();
        while !n.is_listening() {
            if t.elapsed() > Duration::from_secs(30) {
                bail!("node {} never subscribed", i + 1);
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    let request = policy::grants::GrantRequest {
        structure: structure.id.clone(),
        subject: Subject::User(UserId::from("emp")),
        right: right.id.clone(),
        scope: Scope::Structure,
        valid_until: None,
    };
    let (mut granted, mut revoked, mut calls) = (Vec::new(), Vec::new(), Vec::new());
    let mut after_call = Vec::new();
    let mut held: Option<policy::GrantId> = None;
    for _ in 0..args.trials {
        for want in [true, false] {
            let armed = Arc::new(AtomicBool::new(false));
            let poller = watch_for(
                others.clone(),
                structure.id.as_str().to_owned(),
                want,
                armed.clone(),
            );
            while !armed.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
            let t0 = Instant::now();
            if want {
                let g = a.grant(&op, &request).await?;
                let call = t0.elapsed().as_secs_f64() * 1e6;
                calls.push(call);
                seen(poller, t0, &mut granted)?;
                after_call.push((granted[granted.len() - 1] - call).max(0.0));
                held = Some(g.id);
            } else {
                let id = held.take().context("no grant to revoke")?;
                a.revoke(&op, &id).await?;
                let call = t0.elapsed().as_secs_f64() * 1e6;
                calls.push(call);
                seen(poller, t0, &mut revoked)?;
                after_call.push((revoked[revoked.len() - 1] - call).max(0.0));
            }
        }
    }
    let report = |what: &str, v: Vec<f64>| {
        let n = v.len();
        let (p50, p99, max) = percentiles(v);
        println!(
            "{what} ({n} trials): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            p50 / 1e3,
            p99 / 1e3,
            max / 1e3
        );
    };
    println!(
        "{} nodes, {} entries in each index; from the start of node A's call until every other node decides the new way (target < 100 ms):",
        args.nodes,
        a.stats().entries
    );
    report("  grant seen on every node", granted);
    report("  revocation seen on every node", revoked);
    report("  node A's own call (write, commit, local refresh)", calls);
    report(
        "  the other nodes after A's call returned (0: before)",
        after_call,
    );
    for n in &others {
        n.stop().await;
    }
    a.stop().await;
    Ok(())
}

fn seen(
    poller: std::thread::JoinHandle<Instant>,
    t0: Instant,
    into: &mut Vec<f64>,
) -> anyhow::Result<()> {
    let at = poller
        .join()
        .map_err(|_| anyhow::anyhow!("poller thread panicked"))?;
    into.push(at.saturating_duration_since(t0).as_secs_f64() * 1e6);
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    sqlx::any::install_default_drivers();
    let args = parse_args()?;
    let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::AnyConnection::connect(&args.pg)
        .await
        .context("PostgreSQL must be reachable (--pg)")?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await?;
    let url = with_database(&args.pg, &name)?;
    let outcome = async {
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await?;
        policy::migrate(&pool).await?;
        pool.close().await;
        trials(&args, &url).await
    }
    .await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await?;
    outcome
}
