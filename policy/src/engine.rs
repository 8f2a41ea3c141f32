//! [`Policy`]: the handle the gateway and the admin crate hold. It owns the pool, the
//! decision index and the watcher that keeps the index in step with the database.
//!
//! Every committed change writes a row to `policy_changes` naming the person whose rights
//! changed. [`Policy::refresh`] applies the rows it has not seen (re-reading only those
//! people's grants); it runs after each change made through this handle, on every
//! PostgreSQL notification, and on a periodic safety-net tick.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use sqlx::{AnyConnection, AnyPool};

use crate::audit::Audit;
use crate::clock::{Clock, SystemClock};
use crate::error::Result;
use crate::index::{self, GrantRow, Index};
use crate::model::{Structure, StructureSummary};
use crate::store::enforcement::{for_each_grant_row, load_catalogue, load_grant_rows};
use crate::store::{Backend, backend_of, changes};
use crate::watcher::{self, Watched, WatcherHandle};

pub use crate::index::IndexStats;

/// How a [`Policy`] runs.
#[derive(Clone)]
pub struct PolicyOptions {
    /// Where "now" comes from for validity checks of management actions and audit times.
    pub clock: Arc<dyn Clock>,
    /// Safety-net interval of the watcher's version check (default 1 s).
    pub poll_interval: Duration,
    /// Start the watcher task (default true; tests and tools may refresh by hand).
    pub watch: bool,
}

impl Default for PolicyOptions {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            poll_interval: Duration::from_secs(1),
            watch: true,
        }
    }
}

impl std::fmt::Debug for PolicyOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicyOptions")
            .field("poll_interval", &self.poll_interval)
            .field("watch", &self.watch)
            .finish_non_exhaustive()
    }
}

/// The access model and its enforcer. Cheap to clone.
#[derive(Clone)]
pub struct Policy {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("backend", &self.inner.backend)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// What every clone of a [`Policy`] shares.
struct Inner {
    pool: AnyPool,
    backend: Backend,
    clock: Arc<dyn Clock>,
    audit: Audit,
    index: RwLock<Index>,
    /// Every structure by id, for the assertion (reloaded when a structure changes).
    structures: RwLock<HashMap<String, Structure>>,
    /// Serialises refreshes; holds the last change number applied.
    sync: tokio::sync::Mutex<SyncState>,
    watcher: std::sync::Mutex<Option<WatcherHandle>>,
    /// The watcher holds a LISTEN subscription (PostgreSQL).
    listening: AtomicBool,
}

struct SyncState {
    last_seq: i64,
    last_ok_ms: i64,
}

/// A refresh that could not run for this long reloads everything, in case the change
/// rows it missed were pruned meanwhile.
const STALE_AFTER_MS: i64 = 60 * 60 * 1000;
/// Change rows older than this are deleted.
const KEEP_CHANGES_MS: i64 = 24 * 60 * 60 * 1000;
/// More pending changes than this: reload everything instead.
const MAX_INCREMENTAL: usize = 5_000;

impl Policy {
    /// Load the model from the gateway database and start watching for changes: on
    /// PostgreSQL, pass the database URL in `pg_url` for LISTEN/NOTIFY (without it, only
    /// the periodic check runs). The migrations must have run ([`crate::migrate`]).
    pub async fn open(pool: AnyPool, pg_url: Option<String>) -> Result<Self> {
        Self::open_with(pool, pg_url, PolicyOptions::default()).await
    }

    /// [`Policy::open`] with options (injected clock, poll interval, no watcher).
    pub async fn open_with(
        pool: AnyPool,
        pg_url: Option<String>,
        options: PolicyOptions,
    ) -> Result<Self> {
        let backend = backend_of(&pool).await?;
        let audit = Audit::new(pool.clone(), options.clock.clone());
        let policy = Self {
            inner: Arc::new(Inner {
                pool,
                backend,
                clock: options.clock,
                audit,
                index: RwLock::new(Index::new()),
                structures: RwLock::new(HashMap::new()),
                sync: tokio::sync::Mutex::new(SyncState {
                    last_seq: 0,
                    last_ok_ms: 0,
                }),
                watcher: std::sync::Mutex::new(None),
                listening: AtomicBool::new(false),
            }),
        };
        policy.reload().await?;
        if options.watch {
            let listen_url = match backend {
                Backend::Postgres => pg_url,
                Backend::Sqlite => None,
            };
            if backend == Backend::Postgres && listen_url.is_none() {
                tracing::warn!(
                    "policy: no PostgreSQL URL given; changes from other nodes are seen by polling only"
                );
            }
            let handle = watcher::spawn(
                Arc::downgrade(&policy.inner),
                listen_url,
                options.poll_interval,
            );
            *policy
                .inner
                .watcher
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(handle);
        }
        Ok(policy)
    }

    /// Stop the watcher task and wait for it to end (decisions keep working on the
    /// last loaded model; [`Policy::refresh`] still works by hand).
    pub async fn stop(&self) {
        let handle = self
            .inner
            .watcher
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(h) = handle {
            h.stop().await;
        }
    }

    /// True while the watcher holds its PostgreSQL LISTEN subscription (changes from
    /// other nodes then arrive within milliseconds; otherwise by the periodic check).
    pub fn is_listening(&self) -> bool {
        self.inner.listening.load(Ordering::SeqCst)
    }

    /// Start a write transaction: `BEGIN IMMEDIATE` on SQLite, so that two writers queue
    /// on the busy timeout instead of failing when a read lock would have to be upgraded.
    pub(crate) async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.inner.backend {
            Backend::Sqlite => self.inner.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.inner.pool.begin().await?,
        })
    }

    /// The pool this policy works on.
    pub fn pool(&self) -> &AnyPool {
        &self.inner.pool
    }

    /// The audit log.
    pub fn audit(&self) -> &Audit {
        &self.inner.audit
    }

    /// Now, from the injected clock.
    pub fn now_ms(&self) -> i64 {
        self.inner.clock.now_ms()
    }

    /// The injected clock, for a caller that must read the same "now" (the gateway's
    /// session checks read it, so that one test clock moves sessions and grants alike).
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.inner.clock.clone()
    }

    /// May `user_id`, acting in `structure_id` for `services` (empty: the whole
    /// structure), use `application` at `level` at `now_ms`? True when they hold a grant
    /// valid at `now_ms` (`now_ms < valid_until`) for the whole structure, or, with
    /// services, one covering each service. Synchronous, no allocation: the per-request
    /// hot path.
    pub fn decide(
        &self,
        user_id: &str,
        structure_id: &str,
        services: &[String],
        application: &str,
        level: &str,
        now_ms: i64,
    ) -> bool {
        self.inner
            .index
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .decide(user_id, structure_id, services, application, level, now_ms)
    }

    /// The levels of `application` the person holds there at `now_ms` (same rule as
    /// [`Policy::decide`]), sorted: what the assertion carries for that backend.
    pub fn rights(
        &self,
        user_id: &str,
        structure_id: &str,
        services: &[String],
        application: &str,
        now_ms: i64,
    ) -> Vec<String> {
        self.inner
            .index
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .rights(user_id, structure_id, services, application, now_ms)
    }

    /// The structures a person is attached to, with the services of their attachment:
    /// the structure picker after login and the "active structure" check.
    pub async fn structures_of(&self, user_id: &str) -> Result<Vec<StructureSummary>> {
        let mut conn = self.inner.pool.acquire().await?;
        crate::store::attachments::structures_of(&mut conn, user_id).await
    }

    /// A structure by id from memory (no I/O): what the assertion shows of the active
    /// structure. Kept in step like the decisions.
    pub fn structure_info(&self, structure_id: &str) -> Option<Structure> {
        self.inner
            .structures
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(structure_id)
            .cloned()
    }

    async fn reload_structures(&self, conn: &mut AnyConnection) -> Result<()> {
        let all = crate::store::structures::all_structures(conn).await?;
        let map: HashMap<String, Structure> =
            all.into_iter().map(|s| (s.id.0.clone(), s)).collect();
        *self
            .inner
            .structures
            .write()
            .unwrap_or_else(PoisonError::into_inner) = map;
        Ok(())
    }

    /// Sizes of the decision index.
    pub fn stats(&self) -> IndexStats {
        self.inner
            .index
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .stats()
    }

    /// The last change number applied to the index.
    pub async fn version(&self) -> i64 {
        self.inner.sync.lock().await.last_seq
    }

    /// Reload the whole index from the database.
    pub async fn reload(&self) -> Result<()> {
        let mut sync = self.inner.sync.lock().await;
        self.reload_locked(&mut sync).await
    }

    async fn reload_locked(&self, sync: &mut SyncState) -> Result<()> {
        let now = self.inner.clock.now_ms();
        let mut conn = self.inner.pool.acquire().await?;
        let seq = changes::latest(&mut conn).await?;
        self.reload_structures(&mut conn).await?;
        let catalogue = load_catalogue(&mut conn).await?;
        let mut builder = index::Builder::new(&catalogue);
        // A reload is about the size of the model it replaces.
        builder.reserve(self.stats().entries);
        for_each_grant_row(
            &mut conn,
            now,
            None,
            |user, structure, right, service, until| {
                builder.push(user, structure, right, service, until);
            },
        )
        .await?;
        drop(conn);
        let fresh = builder.finish();
        *self
            .inner
            .index
            .write()
            .unwrap_or_else(PoisonError::into_inner) = fresh;
        sync.last_seq = seq;
        sync.last_ok_ms = now;
        Ok(())
    }

    /// Apply the changes committed since the last refresh (only the people they name are
    /// re-read). Returns whether anything changed.
    pub async fn refresh(&self) -> Result<bool> {
        let mut sync = self.inner.sync.lock().await;
        let now = self.inner.clock.now_ms();
        if sync.last_ok_ms != 0 && now - sync.last_ok_ms > STALE_AFTER_MS {
            self.reload_locked(&mut sync).await?;
            return Ok(true);
        }
        let mut conn = self.inner.pool.acquire().await?;
        let pending = changes::since(&mut conn, sync.last_seq, MAX_INCREMENTAL + 1).await?;
        let Some(&(max_seq, _)) = pending.last() else {
            sync.last_ok_ms = now;
            return Ok(false);
        };
        if pending.len() > MAX_INCREMENTAL {
            drop(conn);
            self.reload_locked(&mut sync).await?;
            return Ok(true);
        }
        if pending.iter().any(|(_, u)| u.is_none()) {
            self.reload_structures(&mut conn).await?;
        }
        let users: BTreeSet<String> = pending.into_iter().filter_map(|(_, u)| u).collect();
        let users: Vec<String> = users.into_iter().collect();
        let catalogue = load_catalogue(&mut conn).await?;
        let mut rows: Vec<GrantRow> = Vec::new();
        for chunk in users.chunks(500) {
            rows.extend(load_grant_rows(&mut conn, now, Some(chunk)).await?);
        }
        if max_seq / 1000 > sync.last_seq / 1000 {
            // Occasionally forget old change rows; every node has applied them long ago.
            changes::forget_before(&mut conn, now - KEEP_CHANGES_MS).await?;
        }
        drop(conn);
        let mut by_user: std::collections::HashMap<&str, Vec<GrantRow>> =
            users.iter().map(|u| (u.as_str(), Vec::new())).collect();
        for row in rows {
            if let Some(v) = by_user.get_mut(row.user.as_str()) {
                v.push(row);
            }
        }
        {
            let mut index = self
                .inner
                .index
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            index.set_catalogue(&catalogue);
            for (user, rows) in &by_user {
                index.set_user(user, rows);
            }
        }
        sync.last_seq = max_seq;
        sync.last_ok_ms = now;
        Ok(true)
    }

    /// Refresh after a change made through this handle; a failure is logged, the watcher
    /// will catch up.
    pub(crate) async fn after_change(&self) {
        if let Err(e) = self.refresh().await {
            tracing::warn!(error = %e, "policy: refresh after change failed");
        }
    }
}

/// The watcher keeps the index in step through this, holding the state weakly: it ends
/// when the last [`Policy`] is dropped.
impl Watched for Inner {
    fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    async fn refresh(self: Arc<Self>) -> Result<bool> {
        Policy { inner: self }.refresh().await
    }

    /// Drops expired entries from the index if the earliest expiry has passed.
    /// Decisions ignore expired entries anyway; this keeps memory in step.
    fn prune_expired(&self, now_ms: i64) -> i64 {
        let next = self
            .index
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .next_expiry();
        if next > now_ms {
            return next;
        }
        let mut index = self.index.write().unwrap_or_else(PoisonError::into_inner);
        index.prune(now_ms);
        index.next_expiry()
    }

    fn set_listening(&self, on: bool) {
        self.listening.store(on, Ordering::SeqCst);
    }
}
