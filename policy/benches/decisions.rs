//! Decision-path benchmark with a large model: 100,000 people, 10,000 structures (five
//! services each), a catalogue of 10 rights, 1,000,000 grants, in a SQLite file.
//!
//! Reports (on stdout): time to load the model from the database, resident memory before
//! and after, p50/p99/p99.9 of single decisions (each timed alone), then criterion's
//! mean for `decide` and `rights`; and, for comparison, casbin-rs on a tenth of the model.
//!
//! Run: `cargo bench -p policy --bench decisions`
//! Sizes: `POLICY_BENCH_GRANTS` (default 1000000; people = grants / 10, structures =
//! grants / 100), `POLICY_BENCH_CASBIN_GRANTS` (default 100000; 0 skips casbin).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use policy::casbin_model::casbin_decide;
use policy::{ManualClock, Policy, PolicyOptions};
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

const NOW: i64 = 1_800_000_000_000;
const RIGHTS: [(&str, &str); 10] = [
    ("vouchers", "read"),
    ("vouchers", "modify"),
    ("invoices", "read"),
    ("invoices", "modify"),
    ("prestations", "read"),
    ("prestations", "modify"),
    ("wallet", "read"),
    ("wallet", "modify"),
    ("reports", "read"),
    ("access", "manage-attachments"),
];

struct Sizes {
    grants: i64,
    people: i64,
    structures: i64,
}

impl Sizes {
    fn from_env(var: &str, default: i64) -> Self {
        let grants = std::env::var(var)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default);
        Self {
            grants,
            people: (grants / 10).max(1),
            structures: (grants / 100).max(1),
        }
    }
}

/// Resident memory of this process in KiB, from /proc/self/status.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// The structure of grant `x` (people have 10 grants over 3 structures).
fn structure_of(person: i64, k: i64, structures: i64) -> i64 {
    ((person * 7919) % structures + k * 17) % structures
}

/// Fill the database with generated data, in SQL (recursive CTEs), in seconds.
async fn populate(pool: &AnyPool, sz: &Sizes) {
    policy::migrate(pool).await.expect("migrate");
    let mut tx = pool.begin().await.expect("tx");
    for (i, (app, level)) in RIGHTS.iter().enumerate() {
        sqlx::query(
            "INSERT INTO policy_rights (id, application, level, label, created_at) \
             VALUES ($1, $2, $3, $1, 0) ON CONFLICT DO NOTHING",
        )
        .bind(format!("r{i}"))
        .bind(*app)
        .bind(*level)
        .execute(&mut *tx)
        .await
        .expect("right");
    }
    // The seed right keeps its own id; point r9 at the same pair by using the seed.
    sqlx::query("UPDATE policy_rights SET id = 'r9' WHERE application = 'access'")
        .execute(&mut *tx)
        .await
        .expect("seed right id");
    let statements = [
        format!(
            "WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < {n} - 1) \
             INSERT INTO policy_structures (id, number_kind, enterprise_number, legal_name, common_name, created_at) \
             SELECT 's' || x, 'be', printf('%08d%02d', 10000000 + x, 97 - (10000000 + x) % 97), \
             'Structure ' || x, 'S' || x, 0 FROM c",
            n = sz.structures
        ),
        format!(
            "WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < {n} * 5 - 1) \
             INSERT INTO policy_services (id, structure_id, code, label, created_at) \
             SELECT 's' || (x / 5) || '-v' || (x % 5), 's' || (x / 5), 'v' || (x % 5), 'Service', 0 FROM c",
            n = sz.structures
        ),
        // Grant x: person x / 10; structure one of three; right by a stride; 70% whole
        // structure; 20% with an end of validity (a tenth of those already past).
        format!(
            "WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < {g} - 1) \
             INSERT INTO policy_grants (id, structure_id, right_id, user_id, whole_structure, \
             valid_until, granted_at, updated_at) \
             SELECT 'g' || x, 's' || ((((x / 10) * 7919) % {s} + ((x % 10) / 4) * 17) % {s}), \
             'r' || ((x * 7) % 10), 'u' || (x / 10), CASE WHEN x % 10 < 7 THEN 1 ELSE 0 END, \
             CASE WHEN x % 5 = 0 THEN (CASE WHEN x % 50 = 0 THEN {now} - 1000 ELSE {now} + 86400000 + x END) ELSE NULL END, \
             0, 0 FROM c",
            g = sz.grants,
            s = sz.structures,
            now = NOW
        ),
        "INSERT INTO policy_grant_services (grant_id, service_id) \
         SELECT id, structure_id || '-v' || (CAST(substr(id, 2) AS INTEGER) % 5) \
         FROM policy_grants WHERE whole_structure = 0"
            .to_owned(),
        "INSERT INTO policy_grant_services (grant_id, service_id) \
         SELECT id, structure_id || '-v' || ((CAST(substr(id, 2) AS INTEGER) + 1) % 5) \
         FROM policy_grants WHERE whole_structure = 0 AND CAST(substr(id, 2) AS INTEGER) % 3 = 0"
            .to_owned(),
    ];
    for sql in &statements {
        sqlx::query(sql).execute(&mut *tx).await.expect("generate");
    }
    tx.commit().await.expect("commit");
}

/// One decision to ask: user, structure, services, application, level.
struct Query {
    user: String,
    structure: String,
    services: Vec<String>,
    app: &'static str,
    level: &'static str,
}

/// Queries about people's own structures (about half allowed) and a few elsewhere.
fn queries(sz: &Sizes, n: usize) -> Vec<Query> {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..n)
        .map(|_| {
            let person = (next() % sz.people as u64) as i64;
            let k = (next() % 4) as i64; // k = 3: a structure they are not in (mostly)
            let s = structure_of(person, k, sz.structures);
            let (app, level) = RIGHTS[(next() % 10) as usize];
            let services = match next() % 4 {
                0 | 1 => Vec::new(),
                2 => vec![format!("s{s}-v{}", next() % 5)],
                _ => vec![
                    format!("s{s}-v{}", next() % 5),
                    format!("s{s}-v{}", next() % 5),
                ],
            };
            Query {
                user: format!("u{person}"),
                structure: format!("s{s}"),
                services,
                app,
                level,
            }
        })
        .collect()
}

fn percentiles(mut ns: Vec<u64>) -> (u64, u64, u64, u64) {
    ns.sort_unstable();
    let at = |p: f64| ns[((ns.len() as f64 * p) as usize).min(ns.len() - 1)];
    (at(0.50), at(0.99), at(0.999), ns[ns.len() - 1])
}

/// Time each decision alone (the timer's own cost, ~20-30 ns, is included).
fn single_decision_latency(policy: &Policy, qs: &[Query]) -> (u64, u64, u64, u64, usize) {
    let mut ns = Vec::with_capacity(qs.len());
    let mut allowed = 0usize;
    for q in qs {
        let t = Instant::now();
        let ok = policy.decide(&q.user, &q.structure, &q.services, q.app, q.level, NOW);
        ns.push(t.elapsed().as_nanos() as u64);
        allowed += usize::from(black_box(ok));
    }
    let (p50, p99, p999, max) = percentiles(ns);
    (p50, p99, p999, max, allowed)
}

async fn open_model(sz: &Sizes, dir: &std::path::Path, name: &str) -> (Policy, AnyPool) {
    let url = format!("sqlite://{}/{name}.db?mode=rwc", dir.display());
    let pool = AnyPoolOptions::new()
        .max_connections(2)
        .connect(&url)
        .await
        .expect("pool");
    let t = Instant::now();
    populate(&pool, sz).await;
    println!(
        "[{name}] generated {} grants in {:.1?}",
        sz.grants,
        t.elapsed()
    );
    let options = PolicyOptions {
        clock: std::sync::Arc::new(ManualClock::new(NOW)),
        poll_interval: Duration::from_secs(3600),
        watch: false,
    };
    let rss0 = rss_kib();
    let t = Instant::now();
    let policy = Policy::open_with(pool.clone(), None, options)
        .await
        .expect("open");
    let load = t.elapsed();
    let rss1 = rss_kib();
    let stats = policy.stats();
    println!(
        "[{name}] load: {load:.2?} for {} entries, {} people, {} structures; RSS {} MiB -> {} MiB (+{} MiB)",
        stats.entries,
        stats.users,
        stats.structures,
        rss0 / 1024,
        rss1 / 1024,
        rss1.saturating_sub(rss0) / 1024
    );
    (policy, pool)
}

/// For comparison with the load: the SQL alone (counting), and the same grants read one
/// driver row each (what the load did before SQLite's packed read), with no index.
async fn load_breakdown(pool: &AnyPool) {
    use futures_util::TryStreamExt;
    use sqlx::Row;
    let filter = "g.revoked_at IS NULL AND g.user_id IS NOT NULL \
                  AND (g.valid_until IS NULL OR g.valid_until > $1)";
    let whole = format!(
        "SELECT g.user_id, g.structure_id, g.right_id, g.valid_until FROM policy_grants g \
         WHERE g.whole_structure = 1 AND {filter}"
    );
    let per_service = format!(
        "SELECT g.user_id, g.structure_id, g.right_id, g.valid_until, gs.service_id \
         FROM policy_grants g JOIN policy_grant_services gs ON gs.grant_id = g.id \
         WHERE g.whole_structure = 0 AND {filter}"
    );
    let t = Instant::now();
    let mut rows = 0i64;
    for sql in [&whole, &per_service] {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM ({sql}) q"))
            .bind(NOW)
            .fetch_one(pool)
            .await
            .expect("count");
        rows += n;
    }
    let sql_only = t.elapsed();
    let t = Instant::now();
    let mut bytes = 0usize;
    for sql in [&whole, &per_service] {
        let mut stream = sqlx::query(sql).bind(NOW).fetch(pool);
        while let Some(row) = stream.try_next().await.expect("row") {
            let user: &str = row.try_get(0).expect("user");
            let structure: &str = row.try_get(1).expect("structure");
            bytes += user.len() + structure.len();
        }
    }
    let streamed = t.elapsed();
    println!(
        "[index] for comparison, {rows} rows: SQL alone (COUNT) {sql_only:.2?}; one Any driver row \
         per grant (stream and decode every row, no index) {streamed:.2?}; ({bytes} bytes of ids)"
    );
}

fn bench(c: &mut Criterion) {
    sqlx::any::install_default_drivers();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let sz = Sizes::from_env("POLICY_BENCH_GRANTS", 1_000_000);
    let (policy, pool) = rt.block_on(open_model(&sz, dir.path(), "index"));
    rt.block_on(load_breakdown(&pool));
    let qs = queries(&sz, 1_000_000);
    let (p50, p99, p999, max, allowed) = single_decision_latency(&policy, &qs);
    println!(
        "[index] one decision over {} queries ({} allowed): p50 {p50} ns, p99 {p99} ns, p99.9 {p999} ns, max {max} ns",
        qs.len(),
        allowed
    );

    let mut i = 0usize;
    c.bench_function("index/decide", |b| {
        b.iter(|| {
            let q = &qs[i % qs.len()];
            i += 1;
            black_box(policy.decide(&q.user, &q.structure, &q.services, q.app, q.level, NOW))
        })
    });
    let mut i = 0usize;
    c.bench_function("index/rights", |b| {
        b.iter(|| {
            let q = &qs[i % qs.len()];
            i += 1;
            black_box(policy.rights(&q.user, &q.structure, &q.services, q.app, NOW))
        })
    });
    drop(policy);

    let csz = Sizes::from_env("POLICY_BENCH_CASBIN_GRANTS", 100_000);
    if csz.grants == 0 {
        return;
    }
    let (small, _pool2) = rt.block_on(open_model(&csz, dir.path(), "casbin"));
    let rss0 = rss_kib();
    let t = Instant::now();
    let enforcer = rt.block_on(small.casbin_enforcer(NOW)).expect("casbin");
    let load = t.elapsed();
    let rss1 = rss_kib();
    println!(
        "[casbin] enforcer built in {load:.2?} for {} grants; RSS +{} MiB",
        csz.grants,
        rss1.saturating_sub(rss0) / 1024
    );
    let cqs = queries(&csz, 20_000);
    let mut ns = Vec::with_capacity(cqs.len());
    let mut disagreements = 0usize;
    for q in &cqs {
        let t = Instant::now();
        let ok = casbin_decide(
            &enforcer,
            &q.user,
            &q.structure,
            &q.services,
            q.app,
            q.level,
        )
        .expect("casbin decides");
        ns.push(t.elapsed().as_nanos() as u64);
        if ok != small.decide(&q.user, &q.structure, &q.services, q.app, q.level, NOW) {
            disagreements += 1;
        }
    }
    let (p50, p99, p999, max) = percentiles(ns);
    println!(
        "[casbin] one decision over {} queries: p50 {p50} ns, p99 {p99} ns, p99.9 {p999} ns, max {max} ns; disagreements with the index: {disagreements}",
        cqs.len()
    );
    let mut i = 0usize;
    c.bench_function("casbin/decide (1/10 model)", |b| {
        b.iter(|| {
            let q = &cqs[i % cqs.len()];
            i += 1;
            black_box(
                casbin_decide(
                    &enforcer,
                    &q.user,
                    &q.structure,
                    &q.services,
                    q.app,
                    q.level,
                )
                .ok(),
            )
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
