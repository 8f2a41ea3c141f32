//! Test support for the backends (feature `test-support`): throwaway databases on both
//! engines, a gateway stand-in publishing a real JWKS on `127.0.0.1:0` and signing real
//! assertions. (Mail goes to the real SMTP server of the workspace's test support, `e2e`.)
//!
//! PostgreSQL comes from `GATEWAY_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); every test gets a fresh database that is
//! dropped at the end. When PostgreSQL is unreachable the test fails: it never skips.

use assertion::{ActiveStructure, Claims, KeyMaterial, KeyRing};
use axum::Json;
use axum::routing::get;
use sqlx::{Connection, Executor};
use tokio::net::TcpListener;

/// Which engine a test database runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// A SQLite file in a temporary folder.
    Sqlite,
    /// A fresh database on the test PostgreSQL server.
    Postgres,
}

/// A throwaway database; dropped (PostgreSQL) or deleted (SQLite) with the value.
pub struct TestDb {
    /// Connection URL for the backend under test.
    pub url: String,
    /// The engine.
    pub engine: Engine,
    dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl std::fmt::Debug for TestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDb")
            .field("engine", &self.engine)
            .finish()
    }
}

/// The PostgreSQL server URL tests use.
pub fn pg_admin_url() -> String {
    std::env::var("GATEWAY_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

impl TestDb {
    /// A fresh, empty database. Panics (fails the test) when it cannot be created.
    pub async fn new(engine: Engine) -> Self {
        sqlx::any::install_default_drivers();
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary folder");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                Self {
                    url,
                    engine,
                    dir: Some(dir),
                    pg: None,
                }
            }
            Engine::Postgres => {
                let admin = pg_admin_url();
                let name = format!("t_{}", uuid::Uuid::new_v4().simple());
                let mut conn = sqlx::AnyConnection::connect(&admin)
                    .await
                    .expect("PostgreSQL must be reachable at GATEWAY_TEST_PG_URL");
                conn.execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create test database");
                let _ = conn.close().await;
                let mut url = url::Url::parse(&admin).expect("PostgreSQL URL");
                url.set_path(&format!("/{name}"));
                Self {
                    url: url.to_string(),
                    engine,
                    dir: None,
                    pg: Some((admin, name)),
                }
            }
        }
    }

    /// The SQLite folder (to put other files next to the database).
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.dir.as_ref().map(|d| d.path())
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            // Drop runs inside the test's runtime: use a thread with its own.
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async move {
                    if let Ok(mut conn) = sqlx::AnyConnection::connect(&admin).await {
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        let _ = conn.execute(sql.as_str()).await;
                        let _ = conn.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// Run the same async test on both engines: `db_tests!(name1, name2)` expects
/// `async fn name1(db: &TestDb)` in scope and makes `name1::sqlite` and `name1::postgres`.
#[macro_export]
macro_rules! db_tests {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let db = $crate::test_support::TestDb::new(
                        $crate::test_support::Engine::Sqlite,
                    )
                    .await;
                    super::$name(&db).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let db = $crate::test_support::TestDb::new(
                        $crate::test_support::Engine::Postgres,
                    )
                    .await;
                    super::$name(&db).await;
                }
            }
        )*
    };
}

/// A stand-in for the gateway: a real key ring, its JWKS served on `127.0.0.1:0`.
pub struct TestIssuer {
    /// The signing keys.
    pub ring: KeyRing,
    /// `http://127.0.0.1:PORT/.well-known/jwks.json`.
    pub jwks_url: String,
    /// The `iss` value.
    pub issuer: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestIssuer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

impl TestIssuer {
    /// Generate a key and serve its JWKS.
    pub async fn start() -> Self {
        let ring = KeyRing::new(vec![KeyMaterial::generate(now_secs() - 5, 3600)]);
        let served = ring.clone();
        let app = axum::Router::new().route(
            assertion::JWKS_PATH,
            get(move || {
                let ring = served.clone();
                async move { Json(ring.jwks()) }
            }),
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind JWKS");
        let addr = listener.local_addr().expect("address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            ring,
            jwks_url: format!("http://{addr}{}", assertion::JWKS_PATH),
            issuer: format!("http://{addr}"),
            task,
        }
    }

    /// Claims for `sub` as the gateway would send them to `audience`, valid one minute.
    pub fn claims(&self, audience: &str, sub: &str, name: &str) -> Claims {
        let now = now_secs();
        Claims {
            iss: self.issuer.clone(),
            aud: audience.to_owned(),
            sub: sub.to_owned(),
            name: name.to_owned(),
            sid: format!("sid-{sub}"),
            acr: "eidas-high".to_owned(),
            amr: vec!["fed".to_owned()],
            iat: now,
            exp: now + 60,
            jti: uuid::Uuid::new_v4().to_string(),
            acting: assertion::Acting::Organisation,
            structure: None,
            services: vec![],
            rights: vec![],
            shell: None,
        }
    }

    /// Sign `claims` with the ring.
    pub fn sign(&self, claims: &Claims) -> String {
        self.ring.sign(claims, now_secs()).expect("sign assertion")
    }
}

/// A structure for claims.
pub fn structure(id: &str, number: &str, name: &str) -> ActiveStructure {
    ActiveStructure {
        id: id.to_owned(),
        enterprise_number: number.to_owned(),
        name: name.to_owned(),
    }
}
