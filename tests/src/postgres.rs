//! PostgreSQL for the tests: the server named by `GATEWAY_TEST_PG_URL`, else the one on
//! 127.0.0.1:5432, else a throwaway cluster started here (initdb + pg_ctl, run as the
//! `postgres` user when root, fsync off) and stopped when the last handle goes. Each test
//! takes a fresh database, dropped when its guard is dropped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, Weak};

use anyhow::{Context, Result, anyhow, bail};
use rand::Rng;
use sqlx::{Connection, Executor, PgConnection};
use tempfile::TempDir;

use crate::process::{free_port, tail};

/// The default server of the conventions, used when nothing else is said.
pub const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Entry point: finds or starts a PostgreSQL server.
#[derive(Debug)]
pub struct Postgres;

/// A reachable PostgreSQL server. Cloning shares it; a throwaway cluster stops when the
/// last clone is dropped.
#[derive(Debug, Clone)]
pub struct PgServer {
    /// URL of its maintenance database (`postgres`), as superuser.
    pub url: String,
    cluster: Option<Arc<Cluster>>,
}

/// The cluster shared by the tests of one process, while any of them holds it.
static SHARED: Mutex<Weak<Cluster>> = Mutex::new(Weak::new());

impl Postgres {
    /// `GATEWAY_TEST_PG_URL` if set (used as is: a test must fail when it is down), else
    /// 127.0.0.1:5432 if a superuser connection succeeds there, else a throwaway cluster
    /// (shared by the tests of this process).
    pub async fn ensure() -> Result<PgServer> {
        if let Ok(url) = std::env::var("GATEWAY_TEST_PG_URL")
            && !url.is_empty()
        {
            return Ok(PgServer { url, cluster: None });
        }
        if PgConnection::connect(DEFAULT_URL).await.is_ok() {
            return Ok(PgServer {
                url: DEFAULT_URL.to_owned(),
                cluster: None,
            });
        }
        let existing = SHARED
            .lock()
            .map_err(|_| anyhow!("poisoned lock"))?
            .upgrade();
        let cluster = match existing {
            Some(cluster) => cluster,
            None => {
                let cluster = Arc::new(tokio::task::spawn_blocking(Cluster::start).await??);
                let mut shared = SHARED.lock().map_err(|_| anyhow!("poisoned lock"))?;
                // Another test may have started one meanwhile: keep the first.
                match shared.upgrade() {
                    Some(other) => other,
                    None => {
                        *shared = Arc::downgrade(&cluster);
                        cluster
                    }
                }
            }
        };
        Ok(PgServer {
            url: cluster.url(),
            cluster: Some(cluster),
        })
    }

    /// A throwaway cluster of this test's own, which it may stop and start again (to test
    /// "database down"). Needs the PostgreSQL server binaries.
    pub async fn start_private() -> Result<PgServer> {
        let cluster = Arc::new(tokio::task::spawn_blocking(Cluster::start).await??);
        Ok(PgServer {
            url: cluster.url(),
            cluster: Some(cluster),
        })
    }
}

impl PgServer {
    /// Creates a new empty database `t_<random>` and returns its guard; the database is
    /// dropped (connections forced out) when the guard is dropped.
    pub async fn fresh_database(&self) -> Result<TestDatabase> {
        let name = format!("t_{:016x}", rand::thread_rng().r#gen::<u64>());
        let mut conn = PgConnection::connect(&self.url)
            .await
            .with_context(|| format!("connecting to PostgreSQL at {}", redact(&self.url)))?;
        conn.execute(format!("CREATE DATABASE \"{name}\"").as_str())
            .await
            .with_context(|| format!("creating database {name}"))?;
        conn.close().await?;
        let mut url = url::Url::parse(&self.url)?;
        url.set_path(&name);
        Ok(TestDatabase {
            url: url.to_string(),
            name,
            admin_url: self.url.clone(),
            _server: self.clone(),
        })
    }

    /// Whether this is a throwaway cluster started by the harness.
    pub fn is_throwaway(&self) -> bool {
        self.cluster.is_some()
    }

    /// Stops a throwaway cluster (fast shutdown): connections fail until [`PgServer::start`].
    pub async fn stop(&self) -> Result<()> {
        let cluster = self.cluster.clone().context("not a throwaway cluster")?;
        tokio::task::spawn_blocking(move || cluster.pg_ctl_stop("fast")).await?
    }

    /// Starts a throwaway cluster again after [`PgServer::stop`], on the same port.
    pub async fn start(&self) -> Result<()> {
        let cluster = self.cluster.clone().context("not a throwaway cluster")?;
        tokio::task::spawn_blocking(move || cluster.pg_ctl_start()).await?
    }
}

/// A fresh database, dropped on drop.
#[derive(Debug)]
pub struct TestDatabase {
    /// Its URL (superuser).
    pub url: String,
    /// Its name.
    pub name: String,
    admin_url: String,
    _server: PgServer,
}

impl TestDatabase {
    /// Drops the database now, forcing out the connections of whoever still uses it (a
    /// test of "the database disappeared under a running server").
    pub async fn drop_now(&self) -> Result<()> {
        let mut conn = PgConnection::connect(&self.admin_url).await?;
        conn.execute(self.drop_sql().as_str()).await?;
        conn.close().await?;
        Ok(())
    }

    fn drop_sql(&self) -> String {
        format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name)
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let sql = self.drop_sql();
        // Drop may run inside a runtime, which cannot block on another: use a thread.
        let dropped = std::thread::spawn(move || -> Result<()> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut conn = PgConnection::connect(&admin_url).await?;
                conn.execute(sql.as_str()).await?;
                conn.close().await?;
                Ok(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("e2e: could not drop test database {}", self.name);
        }
    }
}

/// A throwaway cluster in a temporary folder.
#[derive(Debug)]
struct Cluster {
    dir: TempDir,
    bin: PathBuf,
    port: Mutex<u16>,
    as_postgres: bool,
}

impl Cluster {
    fn start() -> Result<Self> {
        let bin = server_bin_dir()?;
        let as_postgres = nix::unistd::geteuid().is_root();
        // Every parent of the folder must be enterable by the server's user: /tmp is.
        let base = if as_postgres {
            PathBuf::from("/tmp")
        } else {
            std::env::temp_dir()
        };
        let dir = tempfile::Builder::new()
            .prefix("e2e-pg-")
            .tempdir_in(&base)?;
        if as_postgres {
            let user = nix::unistd::User::from_name("postgres")?
                .context("running as root but there is no `postgres` user to run PostgreSQL")?;
            nix::unistd::chown(dir.path(), Some(user.uid), Some(user.gid))?;
        }
        let cluster = Self {
            dir,
            bin,
            port: Mutex::new(0),
            as_postgres,
        };
        cluster.run(
            "initdb",
            &[
                "-D",
                &cluster.data().to_string_lossy(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        )?;
        let mut last = None;
        for _ in 0..3 {
            *cluster.port.lock().map_err(|_| anyhow!("poisoned lock"))? = free_port()?;
            match cluster.pg_ctl_start() {
                Ok(()) => return Ok(cluster),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| anyhow!("PostgreSQL did not start")))
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn port(&self) -> u16 {
        self.port.lock().map(|p| *p).unwrap_or(0)
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port())
    }

    fn pg_ctl_start(&self) -> Result<()> {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=300",
            self.port(),
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data().to_string_lossy(),
                "-l",
                &log.to_string_lossy(),
                "-w",
                "-t",
                "60",
                "-o",
                &options,
                "start",
            ],
        )
        .map_err(|e| anyhow!("{e}\n--- server.log ---\n{}", tail(&log, 30)))
    }

    fn pg_ctl_stop(&self, mode: &str) -> Result<()> {
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data().to_string_lossy(),
                "-m",
                mode,
                "-w",
                "stop",
            ],
        )
    }

    /// Runs a server binary, as the `postgres` user when root.
    fn run(&self, program: &str, args: &[&str]) -> Result<()> {
        let path = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("LC_ALL", "C");
        let output = command
            .output()
            .with_context(|| format!("running {}", path.display()))?;
        if !output.status.success() {
            bail!(
                "{program} failed ({}):\n{}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.pg_ctl_stop("immediate");
    }
}

/// The folder of `initdb`, `pg_ctl` and `postgres`: the newest /usr/lib/postgresql/*/bin,
/// else where `pg_config --bindir` says.
fn server_bin_dir() -> Result<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| {
                    let version = e.file_name().to_str()?.parse::<u32>().ok()?;
                    let bin = e.path().join("bin");
                    bin.join("pg_ctl").exists().then_some((version, bin))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    if let Some((_, bin)) = found.pop() {
        return Ok(bin);
    }
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output() {
        let bin = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if Path::new(&bin).join("pg_ctl").exists() {
            return Ok(bin);
        }
    }
    bail!(
        "no PostgreSQL server binaries (initdb, pg_ctl) found: install Debian's `postgresql` \
         or set GATEWAY_TEST_PG_URL"
    )
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}
