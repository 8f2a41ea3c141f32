//! Memory per cached session: opens `--sessions` sessions (default 100,000) through the
//! real [`Sessions`] API on a SQLite store in a temporary directory, then resolves every
//! one of them once (each a store read that fills the node's session memory), and
//! reports the resident memory the filled memory added, per session.
//!
//! ```text
//! cargo run --release -p gateway --example bench_sessions [-- --sessions 100000]
//! ```
//!
//! What is measured: VmRSS (/proc/self/status) just before the resolving pass and just
//! after it. Everything else that pass could grow is in place before the first reading:
//! the store's pages and prepared statements (warmed by the inserts and by a first
//! resolve), the list of tokens. Each session carries what a login through an OpenID
//! provider records: a browser user agent, an issuer, subject and upstream session id,
//! two authentication methods. Same allocator as the gateway binary (mimalloc).

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context as _, bail};
use gateway::sessions::{Opening, Sessions};
use gateway::store::Db;
use policy::SystemClock;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A current desktop browser's user agent (its usual length, ~110 characters).
const USER_AGENT: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/// Resident memory of this process in KiB.
fn rss_kib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("no VmRSS in /proc/self/status")
}

fn opening(i: usize) -> Opening {
    Opening {
        user_id: uuid::Uuid::new_v4().to_string(),
        display_name: format!("Person Number{i}"),
        provider: Some("citizens".to_owned()),
        idp_issuer: Some("https://idp.example.be/realms/citizens".to_owned()),
        idp_subject: Some(uuid::Uuid::new_v4().to_string()),
        idp_sid: Some(uuid::Uuid::new_v4().to_string()),
        acr: "eidas-substantial".to_owned(),
        amr: vec!["pwd".to_owned(), "otp".to_owned()],
        user_agent: Some(USER_AGENT.to_owned()),
        ip: Some(format!("198.51.{}.{}", (i / 256) % 256, i % 256)),
    }
}

fn parse_args() -> anyhow::Result<usize> {
    let mut n = 100_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--sessions" => {
                n = args
                    .next()
                    .context("--sessions needs a number")?
                    .parse()
                    .context("--sessions needs a number")?;
            }
            other => bail!("unknown argument {other:?} (expected --sessions N)"),
        }
    }
    if n == 0 {
        bail!("--sessions must be at least 1");
    }
    Ok(n)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let n = parse_args()?;
    // A memory file system when there is one: the inserts then cost no disk flush.
    let dir = match tempfile::tempdir_in("/dev/shm") {
        Ok(d) => d,
        Err(_) => tempfile::tempdir()?,
    };
    let url = format!("sqlite://{}/sessions.db", dir.path().display());
    let db = Db::connect(&url, 1).await?;
    db.migrate().await?;
    let sessions = Sessions::new(db.clone(), 8 * 3600, 24 * 3600, Arc::new(SystemClock));

    let t = Instant::now();
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let opening = opening(i);
        // The person, as a first login records them (sessions refer to users).
        sqlx::query(
            "INSERT INTO users (id, display_name, created_at, updated_at) VALUES ($1, $2, 0, 0)",
        )
        .bind(&opening.user_id)
        .bind(&opening.display_name)
        .execute(&db.pool)
        .await?;
        let (token, _) = sessions.open(opening).await?;
        tokens.push(token);
    }
    println!("opened {n} sessions in {:.1?}", t.elapsed());

    // Warm the read path (statement, pages) with one session, then measure the rest.
    let first = &tokens[0];
    if sessions.resolve(first.expose(), false).await?.is_err() {
        bail!("a fresh session did not resolve");
    }
    let before = rss_kib()?;
    let t = Instant::now();
    for token in &tokens[1..] {
        if sessions.resolve(token.expose(), false).await?.is_err() {
            bail!("a fresh session did not resolve");
        }
    }
    let elapsed = t.elapsed();
    let after = rss_kib()?;
    let cached = n - 1;
    // A second pass is served from memory: proof the first one filled it.
    let t = Instant::now();
    for token in &tokens {
        if sessions.resolve(token.expose(), false).await?.is_err() {
            bail!("a cached session did not resolve");
        }
    }
    let hits = t.elapsed();
    let added = after.saturating_sub(before) * 1024;
    println!(
        "resolved {cached} sessions from the store in {elapsed:.1?} ({:.1} µs each), then all {n} from memory in {hits:.1?} ({:.2} µs each)",
        elapsed.as_secs_f64() * 1e6 / cached as f64,
        hits.as_secs_f64() * 1e6 / n as f64,
    );
    println!(
        "RSS {} KiB -> {} KiB: +{} KiB for {cached} cached sessions = {} bytes per session (target < 1024)",
        before,
        after,
        added / 1024,
        added / cached as u64
    );
    Ok(())
}
