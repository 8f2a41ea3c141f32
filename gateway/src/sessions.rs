//! Session lifecycle: open at login (fresh token, no fixation), resolve a cookie on every
//! request with the idle and absolute timeouts, slide the idle timeout, end at logout or
//! by the provider's back-channel logout.
//!
//! Resolved sessions are served from memory; the store is read on a miss and written
//! only when activity must be recorded (every `touch_every`). On SQLite (one node) every
//! change goes through this node, which forgets what it changes. On PostgreSQL (several
//! nodes) a trigger notifies `gateway_sessions` with the token hash of every session
//! changed or deleted by any writer (anything but an activity touch), and a listener task
//! ([`Sessions::watch`]) evicts it here: a logout on one node is refused on the others
//! as soon as the notification arrives. The memory is used only while that listener is
//! connected: when its connection is lost the node forgets every session and reads the
//! store on every request (never serving a session that may have been revoked meanwhile)
//! until it has reconnected, listened again and started from an empty memory. A session
//! this node would refuse as idle is read again from the store first, since another node
//! may have recorded later activity.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use prometheus_client::metrics::counter::Counter;
use tokio::sync::watch;

use crate::breaker::Breaker;
use crate::crypto::{self, Secret};
use crate::store::sessions::{self as store, Session};
use policy::Clock;

use crate::store::{Db, Engine, StoreError};

/// Why a cookie did not resolve to a live session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// No such session (never existed, logged out, or purged).
    Unknown,
    /// Idle for longer than the idle timeout.
    Idle,
    /// Idle for longer than the idle timeout of the route (or page) asked for, but not
    /// than a longer one of another route: refused here, kept for that route.
    IdleHere,
    /// Past its absolute lifetime.
    Absolute,
}

/// What a new session records about the login.
#[derive(Debug, Clone, Default)]
pub struct Opening {
    /// The person.
    pub user_id: String,
    /// The person's name.
    pub display_name: String,
    /// Provider id (`None` for local accounts).
    pub provider: Option<String>,
    /// Upstream issuer.
    pub idp_issuer: Option<String>,
    /// Upstream subject.
    pub idp_subject: Option<String>,
    /// Upstream session id.
    pub idp_sid: Option<String>,
    /// ACR reached.
    pub acr: String,
    /// Methods used.
    pub amr: Vec<String>,
    /// Browser user agent.
    pub user_agent: Option<String>,
    /// Client address.
    pub ip: Option<String>,
}

struct Cached {
    session: Arc<Session>,
    /// Last activity seen by this node (ms); the store may lag behind by `touch_every`.
    /// Slid under the map's read lock, so that concurrent requests of different
    /// sessions do not queue for its write lock.
    last_seen: AtomicI64,
}

/// Opens, resolves and ends sessions.
#[derive(Clone)]
pub struct Sessions {
    db: Db,
    idle_ms: i64,
    /// The longest idle timeout of any route: a session idle for less is refused where a
    /// shorter timeout applies but kept for the routes that still accept it (a reload of
    /// the routes may change it, hence shared).
    longest_idle_ms: Arc<AtomicI64>,
    absolute_ms: i64,
    touch_every_ms: i64,
    cache: Arc<RwLock<HashMap<String, Cached>>>,
    /// Whether the cache may be used: always on SQLite; on PostgreSQL only while the
    /// notification listener is connected and has started from an empty cache.
    synced: Arc<AtomicBool>,
    /// Bumped on every eviction: a session read from the store is cached only if nothing
    /// was evicted since the read began (the eviction may concern it).
    evictions: Arc<AtomicU64>,
    /// Sessions read from the store (`gateway_session_store_reads_total`).
    store_reads: Counter,
    /// How many times the listener has (re)connected and synchronised.
    syncs: Arc<AtomicU64>,
    /// Where "now" comes from: the system clock in production, a test clock in tests.
    clock: Arc<dyn Clock>,
    breaker: Arc<Breaker>,
}

impl Sessions {
    /// A manager with the configured timeouts (seconds), reading the time from `clock`.
    pub fn new(db: Db, idle_secs: u64, absolute_secs: u64, clock: Arc<dyn Clock>) -> Self {
        let idle_ms = i64::try_from(idle_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
        let absolute_ms = i64::try_from(absolute_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
        let synced = Arc::new(AtomicBool::new(db.engine == Engine::Sqlite));
        Self {
            db,
            idle_ms,
            longest_idle_ms: Arc::new(AtomicI64::new(idle_ms)),
            absolute_ms,
            // Record activity at most every tenth of the idle timeout (between 1 s and 60 s):
            // the idle timeout is then exact to within that step.
            touch_every_ms: (idle_ms / 10).clamp(1_000, 60_000),
            cache: Arc::new(RwLock::new(HashMap::new())),
            synced,
            evictions: Arc::new(AtomicU64::new(0)),
            store_reads: Counter::default(),
            syncs: Arc::new(AtomicU64::new(0)),
            clock,
            breaker: Arc::new(Breaker::new(3, Duration::from_secs(5))),
        }
    }

    /// The same manager with its circuit breaker opening after `failures` store errors
    /// in a row, for `open_for`.
    pub fn with_breaker(mut self, failures: u32, open_for: Duration) -> Self {
        self.breaker = Arc::new(Breaker::new(failures, open_for));
        self
    }

    /// The same manager counting its store reads on `counter`.
    pub fn counting_reads(mut self, counter: Counter) -> Self {
        self.store_reads = counter;
        self
    }

    /// Whether sessions are served from memory now (on PostgreSQL: the notification
    /// listener is connected and synchronised).
    pub fn served_from_memory(&self) -> bool {
        self.synced.load(Ordering::SeqCst)
    }

    /// How many times the notification listener has connected and synchronised (0 on
    /// SQLite).
    pub fn synchronisations(&self) -> u64 {
        self.syncs.load(Ordering::SeqCst)
    }

    /// The cache, when it may be used.
    fn cache(&self) -> Option<&RwLock<HashMap<String, Cached>>> {
        self.served_from_memory().then_some(&*self.cache)
    }

    /// The same manager keeping sessions for up to `longest_ms` of inactivity, the
    /// longest idle timeout a route sets (never less than the session's own).
    pub fn with_longest_idle(self, longest_ms: i64) -> Self {
        self.set_longest_idle(longest_ms);
        self
    }

    /// Keep sessions for up to `longest_ms` of inactivity from now on (never less than
    /// the session's own idle timeout): the routes were reloaded.
    pub fn set_longest_idle(&self, longest_ms: i64) {
        self.longest_idle_ms
            .store(longest_ms.max(self.idle_ms), Ordering::Relaxed);
    }

    fn longest_idle(&self) -> i64 {
        self.longest_idle_ms.load(Ordering::Relaxed)
    }

    /// Whether the session store's circuit is open (requests answered 503 at once).
    pub fn circuit_open(&self) -> bool {
        self.breaker.is_open()
    }

    /// Idle timeout in milliseconds.
    pub fn idle_ms(&self) -> i64 {
        self.idle_ms
    }

    /// Open a session; returns the cookie token (shown once, stored hashed).
    pub async fn open(&self, o: Opening) -> Result<(Secret, Session), StoreError> {
        let token = crypto::random_token(32);
        let now = self.clock.now_ms();
        let session = Session {
            token_hash: crypto::token_hash(token.expose()),
            sid: crypto::random_id(),
            user_id: o.user_id,
            display_name: o.display_name,
            provider: o.provider,
            idp_issuer: o.idp_issuer,
            idp_subject: o.idp_subject,
            idp_sid: o.idp_sid,
            acr: o.acr,
            amr: o.amr,
            structure_id: None,
            myself: false,
            services: Vec::new(),
            created_at: now,
            last_seen_at: now,
            expires_at: now.saturating_add(self.absolute_ms),
            user_agent: o.user_agent,
            ip: o.ip,
        };
        store::insert(&self.db, &session).await?;
        Ok((token, session))
    }

    /// Resolve a cookie token to a live session, recording activity when `touch`. While
    /// the store's circuit is open this fails at once ([`StoreError::CircuitOpen`]).
    pub async fn resolve(
        &self,
        token: &str,
        touch: bool,
    ) -> Result<Result<Arc<Session>, Ended>, StoreError> {
        self.resolve_for(token, touch, None).await
    }

    /// [`resolve`](Self::resolve) with the idle timeout of the route being used (ms;
    /// `None`: the session's). Inactivity is measured from the last activity anywhere: a
    /// session idle for longer than `idle_ms` is refused here ([`Ended::Idle`]) without
    /// recording activity, and ended only once no route's timeout would still accept it.
    pub async fn resolve_for(
        &self,
        token: &str,
        touch: bool,
        idle_ms: Option<i64>,
    ) -> Result<Result<Arc<Session>, Ended>, StoreError> {
        self.breaker.admit()?;
        let idle = idle_ms.unwrap_or(self.idle_ms);
        let result = self.resolve_in_store(token, touch, idle).await;
        match &result {
            Err(StoreError::Db(_)) => self.breaker.failure(),
            _ => self.breaker.success(),
        }
        result
    }

    async fn resolve_in_store(
        &self,
        token: &str,
        touch: bool,
        idle_ms: i64,
    ) -> Result<Result<Arc<Session>, Ended>, StoreError> {
        let hash = crypto::token_hash(token);
        let now = self.clock.now_ms();
        // Activity this node saw that the store may not have yet.
        let mut seen_here = None;
        if let Some(cache) = self.cache() {
            let hit = {
                let guard = cache.read().unwrap_or_else(|p| p.into_inner());
                guard
                    .get(&hash)
                    .map(|c| (c.session.clone(), c.last_seen.load(Ordering::Relaxed)))
            };
            if let Some((session, last_seen)) = hit {
                let idle_here =
                    now < session.expires_at && now >= last_seen.saturating_add(idle_ms);
                if !(idle_here && self.db.engine == Engine::Postgres) {
                    return self.check(session, last_seen, now, touch, idle_ms).await;
                }
                // Idle as far as this node knows: another node may have seen activity
                // since, so read the store before refusing.
                seen_here = Some(last_seen);
            }
        }
        let evictions = self.evictions.load(Ordering::SeqCst);
        self.store_reads.inc();
        let Some(session) = store::get(&self.db, &hash).await? else {
            if seen_here.is_some() {
                self.forget(&hash);
            }
            return Ok(Err(Ended::Unknown));
        };
        let last_seen = session.last_seen_at.max(seen_here.unwrap_or(i64::MIN));
        let session = Arc::new(session);
        if let Some(cache) = self.cache() {
            let mut guard = cache.write().unwrap_or_else(|p| p.into_inner());
            // Evictions are counted under this lock: none since the read began means
            // none concerned this session.
            if self.evictions.load(Ordering::SeqCst) == evictions {
                guard.insert(
                    hash,
                    Cached {
                        session: session.clone(),
                        last_seen: AtomicI64::new(last_seen),
                    },
                );
            }
        }
        self.check(session, last_seen, now, touch, idle_ms).await
    }

    async fn check(
        &self,
        session: Arc<Session>,
        last_seen: i64,
        now: i64,
        touch: bool,
        idle_ms: i64,
    ) -> Result<Result<Arc<Session>, Ended>, StoreError> {
        let ended = if now >= session.expires_at {
            Some(Ended::Absolute)
        } else if now >= last_seen.saturating_add(idle_ms) {
            Some(Ended::Idle)
        } else {
            None
        };
        if let Some(why) = ended {
            // Idle past this route's timeout only: refused here, still alive for a route
            // with a longer one.
            if why == Ended::Idle && now < last_seen.saturating_add(self.longest_idle()) {
                return Ok(Err(Ended::IdleHere));
            }
            self.end(&session.token_hash).await?;
            return Ok(Err(why));
        }
        if touch {
            if let Some(cache) = self.cache() {
                let guard = cache.read().unwrap_or_else(|p| p.into_inner());
                if let Some(c) = guard.get(&session.token_hash) {
                    c.last_seen.store(now, Ordering::Relaxed);
                }
            }
            if now - session.last_seen_at >= self.touch_every_ms {
                store::touch(&self.db, &session.token_hash, now).await?;
                if let Some(cache) = self.cache() {
                    let mut guard = cache.write().unwrap_or_else(|p| p.into_inner());
                    if let Some(c) = guard.get_mut(&session.token_hash) {
                        let mut s = (*c.session).clone();
                        s.last_seen_at = now;
                        c.session = Arc::new(s);
                    }
                }
            }
        }
        Ok(Ok(session))
    }

    /// Seconds left before the session ends (idle or absolute, whichever comes first),
    /// without recording activity.
    pub fn remaining_secs(&self, session: &Session, last_seen: i64) -> (i64, i64) {
        let now = self.clock.now_ms();
        let idle_left = (last_seen.max(session.last_seen_at) + self.idle_ms - now).max(0) / 1000;
        let absolute_left = (session.expires_at - now).max(0) / 1000;
        (idle_left, absolute_left)
    }

    /// Last activity this node knows of (ms).
    pub fn last_seen(&self, session: &Session) -> i64 {
        self.cache()
            .and_then(|cache| {
                let guard = cache.read().unwrap_or_else(|p| p.into_inner());
                guard
                    .get(&session.token_hash)
                    .map(|c| c.last_seen.load(Ordering::Relaxed))
            })
            .unwrap_or(session.last_seen_at)
            .max(session.last_seen_at)
    }

    /// End one session by its token hash.
    pub async fn end(&self, token_hash: &str) -> Result<bool, StoreError> {
        let deleted = store::delete(&self.db, token_hash).await;
        self.forget(token_hash);
        deleted
    }

    /// End the sessions of an upstream login (back-channel logout). Returns how many.
    pub async fn end_by_idp(
        &self,
        issuer: &str,
        idp_sid: Option<&str>,
        subject: Option<&str>,
    ) -> Result<usize, StoreError> {
        let ended = store::delete_by_idp(&self.db, issuer, idp_sid, subject).await?;
        for h in &ended {
            self.forget(h);
        }
        Ok(ended.len())
    }

    /// Change the active structure of a session.
    pub async fn set_structure(
        &self,
        token_hash: &str,
        structure_id: Option<&str>,
        services: &[String],
    ) -> Result<(), StoreError> {
        store::set_structure(&self.db, token_hash, structure_id, services).await?;
        self.forget(token_hash);
        Ok(())
    }

    /// Make a session act as oneself (no organisation, no services).
    pub async fn set_myself(&self, token_hash: &str) -> Result<(), StoreError> {
        store::set_structure(&self.db, token_hash, Some(store::MYSELF), &[]).await?;
        self.forget(token_hash);
        Ok(())
    }

    /// Remove expired sessions from the store and the cache.
    pub async fn purge(&self) -> Result<u64, StoreError> {
        let now = self.clock.now_ms();
        {
            let mut guard = self.cache.write().unwrap_or_else(|p| p.into_inner());
            let idle = self.longest_idle();
            guard.retain(|_, c| {
                now < c.session.expires_at && now < c.last_seen.load(Ordering::Relaxed) + idle
            });
        }
        store::purge_expired(&self.db, now, self.longest_idle() + self.touch_every_ms).await
    }

    /// Evict one session from memory (ended or changed here or, on PostgreSQL, by any
    /// node).
    fn forget(&self, token_hash: &str) {
        let mut guard = self.cache.write().unwrap_or_else(|p| p.into_inner());
        self.evictions.fetch_add(1, Ordering::SeqCst);
        guard.remove(token_hash);
    }

    /// Evict every session from memory.
    fn forget_all(&self) {
        let mut guard = self.cache.write().unwrap_or_else(|p| p.into_inner());
        self.evictions.fetch_add(1, Ordering::SeqCst);
        guard.clear();
    }

    /// Stop serving from memory (the notification connection is lost): every request
    /// reads the store until [`watch`](Self::watch) has synchronised again.
    fn unsync(&self) {
        self.synced.store(false, Ordering::SeqCst);
        self.forget_all();
    }

    /// On PostgreSQL, start the task that keeps the memory true: it LISTENs on
    /// [`CHANNEL`], evicts every session notified, and while it is not connected keeps
    /// the memory off (every request reads the store). It reconnects by itself and ends
    /// when `stop` turns true. Nothing on SQLite (nothing to listen to).
    pub fn watch(&self, stop: watch::Receiver<bool>) {
        if self.db.engine == Engine::Postgres {
            let this = self.clone();
            tokio::spawn(async move { this.listen(stop).await });
        }
    }

    async fn listen(self, mut stop: watch::Receiver<bool>) {
        let mut backoff = RECONNECT_FIRST;
        loop {
            if *stop.borrow() {
                break;
            }
            if let Some(mut listener) =
                policy::listen_as(&self.db.url, LISTENER_NAME, CHANNEL).await
            {
                // Subscribed first, then an empty memory: whatever changes from now on
                // is notified; whatever changed before is read afresh from the store.
                self.forget_all();
                self.synced.store(true, Ordering::SeqCst);
                self.syncs.fetch_add(1, Ordering::SeqCst);
                backoff = RECONNECT_FIRST;
                loop {
                    tokio::select! {
                        _ = stop.changed() => {
                            self.unsync();
                            return;
                        }
                        n = listener.try_recv() => match n {
                            Ok(Some(n)) => self.forget(n.payload()),
                            // `None`: the connection was lost (sqlx would reconnect on the
                            // next call, silently missing what was notified meanwhile).
                            Ok(None) | Err(_) => {
                                self.unsync();
                                tracing::warn!(
                                    "sessions: notification connection lost, reading the store on every request until reconnected"
                                );
                                break;
                            }
                        }
                    }
                }
            }
            tokio::select! {
                _ = stop.changed() => break,
                _ = tokio::time::sleep(backoff) => {}
            }
            backoff = (backoff * 2).min(RECONNECT_MAX);
        }
        self.unsync();
    }
}

/// The channel the sessions trigger notifies (token hashes).
pub const CHANNEL: &str = "gateway_sessions";

/// The `application_name` of the notification connection (seen in `pg_stat_activity`).
pub const LISTENER_NAME: &str = "gateway-sessions";

const RECONNECT_FIRST: Duration = Duration::from_millis(500);
const RECONNECT_MAX: Duration = Duration::from_secs(5);
