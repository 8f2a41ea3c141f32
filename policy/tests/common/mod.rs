//! Test harness: a fresh database per test (SQLite temp file, or a new PostgreSQL
//! database dropped at the end), the migrations, and a small model to act on.
#![allow(dead_code)]

use std::future::Future;
use std::sync::Arc;

use policy::ids::{NationalNumber, NrnHash, OrgNumber};
use policy::{
    Actor, ManualClock, Policy, PolicyOptions, Right, Scope, Service, Structure, Subject, UserId,
};
use sqlx::AnyPool;
use sqlx::Connection;
use sqlx::any::AnyPoolOptions;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// Key used for national-number hashes in tests.
pub const NRN_KEY: &[u8] = b"test-nrn-key";
/// The injected clock's start.
pub const T0: i64 = 1_800_000_000_000;

/// What a test body gets.
pub struct Ctx {
    pub kind: Kind,
    pub pool: AnyPool,
    pub url: String,
    pub clock: Arc<ManualClock>,
}

impl Ctx {
    /// A policy handle on the test database, with the injected clock and no watcher.
    pub async fn policy(&self) -> Policy {
        self.policy_with(false).await
    }

    /// A policy handle, watching (LISTEN on PostgreSQL) when `watch`.
    pub async fn policy_with(&self, watch: bool) -> Policy {
        let options = PolicyOptions {
            clock: self.clock.clone(),
            poll_interval: std::time::Duration::from_millis(200),
            watch,
        };
        let pg_url = (self.kind == Kind::Postgres).then(|| self.url.clone());
        Policy::open_with(self.pool.clone(), pg_url, options)
            .await
            .expect("open policy")
    }

    /// A second pool on the same database (another "node").
    pub async fn other_pool(&self) -> AnyPool {
        AnyPoolOptions::new()
            .max_connections(4)
            .connect(&self.url)
            .await
            .expect("second pool")
    }
}

fn pg_admin_url() -> String {
    std::env::var("GATEWAY_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// `url` with its database name replaced.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let prefix = match base.rfind('/') {
        Some(i) if i > base.find("://").map_or(0, |p| p + 2) => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{db}?{q}"),
        None => format!("{prefix}/{db}"),
    }
}

/// A fresh, empty database of `kind` (nothing migrated): a SQLite file in a temporary
/// folder, or a new PostgreSQL database. [`TestDb::remove`] drops it.
struct TestDb {
    url: String,
    _dir: Option<tempfile::TempDir>,
    /// The admin URL and the name of the PostgreSQL database to drop.
    pg: Option<(String, String)>,
}

impl TestDb {
    async fn create(kind: Kind) -> Self {
        sqlx::any::install_default_drivers();
        match kind {
            Kind::Sqlite => {
                let dir = tempfile::tempdir().expect("tempdir");
                let url = format!("sqlite://{}/policy.db?mode=rwc", dir.path().display());
                Self {
                    url,
                    _dir: Some(dir),
                    pg: None,
                }
            }
            Kind::Postgres => {
                let admin = pg_admin_url();
                let name = format!("t_{}", uuid_like());
                let mut conn = sqlx::AnyConnection::connect(&admin)
                    .await
                    .expect("PostgreSQL must be reachable (GATEWAY_TEST_PG_URL)");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                conn.close().await.expect("close admin connection");
                let url = with_database(&admin, &name);
                Self {
                    url,
                    _dir: None,
                    pg: Some((admin, name)),
                }
            }
        }
    }

    /// A pool on the database.
    async fn pool(&self) -> AnyPool {
        AnyPoolOptions::new()
            .max_connections(4)
            .connect(&self.url)
            .await
            .expect("connect test database")
    }

    /// Drop the database (the SQLite folder goes with `self`).
    async fn remove(self) {
        if let Some((admin, name)) = &self.pg {
            let mut conn = sqlx::AnyConnection::connect(admin)
                .await
                .expect("admin connection");
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await
                .expect("drop test database");
            let _ = conn.close().await;
        }
    }
}

/// Run `body` on a fresh, migrated database of `kind`, then drop the database, even if
/// the body panicked (the panic is re-raised).
pub async fn run<F, Fut>(kind: Kind, body: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_on(kind, true, body).await;
}

/// [`run`] on an empty database: nothing migrated.
pub async fn run_unmigrated<F, Fut>(kind: Kind, body: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_on(kind, false, body).await;
}

async fn run_on<F, Fut>(kind: Kind, migrate: bool, body: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let db = TestDb::create(kind).await;
    let pool = db.pool().await;
    if migrate {
        policy::migrate(&pool).await.expect("migrations");
    }
    let ctx = Ctx {
        kind,
        pool: pool.clone(),
        url: db.url.clone(),
        clock: Arc::new(ManualClock::new(T0)),
    };
    let outcome = tokio::spawn(body(ctx)).await;
    pool.close().await;
    db.remove().await;
    if let Err(e) = outcome {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("test task failed: {e}");
    }
}

fn uuid_like() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Generate the tests `sqlite::name` and `postgres::name` for each async fn
/// `name(ctx: Ctx)` in scope.
#[macro_export]
macro_rules! db_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    $crate::common::run($crate::common::Kind::Sqlite, super::$name).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    $crate::common::run($crate::common::Kind::Postgres, super::$name).await
                }
            )*
        }
    };
}

/// A valid Belgian enterprise number built from `i`.
pub fn be_number(i: u64) -> OrgNumber {
    let body = 20_000_000 + i;
    let text = format!("{body:08}{:02}", 97 - body % 97);
    OrgNumber::parse(&text).expect("valid generated number")
}

/// A valid national register number built from `i`, and its text.
pub fn nrn(i: u64) -> (NationalNumber, String) {
    let body = 850_730_000 + i;
    let text = format!("{body:09}{:02}", 97 - body % 97);
    (
        NationalNumber::parse(&text).expect("valid generated nrn"),
        text,
    )
}

pub fn nrn_hash(i: u64) -> NrnHash {
    nrn(i).0.keyed_hash(NRN_KEY)
}

pub fn user(name: &str) -> UserId {
    UserId::from(name)
}

pub fn act(name: &str) -> Actor {
    Actor::user(name, Some("192.0.2.1".to_owned()))
}

/// A small model: structures A (services a1, a2) and B (service b1); rights vouchers
/// read/modify and invoices read; `rep` legal representative of A (logged in), `main`
/// main manager of A, `local` local manager of a1, `mainb` main manager of B (through
/// B's representative `repb`).
pub struct World {
    pub a: Structure,
    pub b: Structure,
    pub a1: Service,
    pub a2: Service,
    pub b1: Service,
    pub read: Right,
    pub modify: Right,
    pub invoices: Right,
    pub manage_attachments: Right,
}

pub async fn world(p: &Policy) -> World {
    let op = Actor::operator();
    let (_, rep_nrn) = nrn(1);
    let (_, repb_nrn) = nrn(2);
    let a_num = be_number(1);
    let b_num = be_number(2);
    let csv = format!(
        "enterprise_number;organisation_name;function;national_number;start_date\n\
         {};Acme SA;Administrateur;{rep_nrn};2020-01-01\n\
         {};Globex SRL;Gérant;{repb_nrn};01/02/2021\n",
        a_num.stored(),
        b_num.stored()
    );
    let report = p
        .import_representatives(&op, &csv, NRN_KEY)
        .await
        .expect("import");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let a = p
        .structure_by_number(&a_num)
        .await
        .expect("lookup")
        .expect("A");
    let b = p
        .structure_by_number(&b_num)
        .await
        .expect("lookup")
        .expect("B");
    let a1 = p
        .create_service(&op, &a.id, "a1", "Liège")
        .await
        .expect("a1");
    let a2 = p
        .create_service(&op, &a.id, "a2", "Namur")
        .await
        .expect("a2");
    let b1 = p
        .create_service(&op, &b.id, "b1", "Paris")
        .await
        .expect("b1");
    let read = p
        .define_right(&op, "vouchers", "read", "Vouchers / read")
        .await
        .expect("read");
    let modify = p
        .define_right(&op, "vouchers", "modify", "Vouchers / modification")
        .await
        .expect("modify");
    let invoices = p
        .define_right(&op, "invoices", "read", "Invoices issued / read")
        .await
        .expect("invoices");
    let manage_attachments = p
        .right_by_name("access", "manage-attachments")
        .await
        .expect("seed right");
    p.on_login(&user("rep"), Some(&nrn_hash(1)))
        .await
        .expect("rep login");
    p.on_login(&user("repb"), Some(&nrn_hash(2)))
        .await
        .expect("repb login");
    p.designate_main_manager(&act("rep"), &a.id, &Subject::User(user("main")))
        .await
        .expect("designate main");
    p.designate_main_manager(&act("repb"), &b.id, &Subject::User(user("mainb")))
        .await
        .expect("designate mainb");
    p.designate_local_manager(&act("main"), &a.id, &a1.id, &Subject::User(user("local")))
        .await
        .expect("designate local");
    World {
        a,
        b,
        a1,
        a2,
        b1,
        read,
        modify,
        invoices,
        manage_attachments,
    }
}

/// A services scope.
pub fn services(list: &[&Service]) -> Scope {
    Scope::Services(list.iter().map(|s| s.id.clone()).collect())
}

/// Service ids as the decision API takes them.
pub fn ids(list: &[&Service]) -> Vec<String> {
    list.iter().map(|s| s.id.0.clone()).collect()
}
