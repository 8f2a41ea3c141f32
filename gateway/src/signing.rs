//! Assertions for backends: the key ring (shared by all nodes through the store, rotated
//! on schedule, published before it signs and after it stops), and a per-session cache so
//! that a signature is made once per session, audience and context while it is fresh.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use assertion::{ActiveStructure, Claims, KeyMaterial, KeyRing};

use crate::crypto::{self, Keys};
use crate::store::{self, Db, StoreError};

/// A new key is published this long (seconds) before it signs, so that every node and
/// every backend's cache can know it first.
const PREPUBLISH_SECS: i64 = 120;

/// What the assertion says beyond the session itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// Acting as oneself: the assertion says `Myself`, with no structure, services or
    /// rights.
    pub myself: bool,
    /// Active structure.
    pub structure: Option<ActiveStructure>,
    /// Service scope.
    pub services: Vec<String>,
    /// Rights held for the audience's application.
    pub rights: Vec<String>,
    /// What the backend needs to draw the portal shell.
    pub shell: Option<assertion::ShellClaims>,
}

/// Signed assertions by cache key, as the header value sent upstream (shared bytes: a
/// cached one is sent without copying or validating it again), with their expiry
/// (seconds).
type AssertionCache = Arc<RwLock<HashMap<String, (http::HeaderValue, i64)>>>;

/// Signs and caches assertions.
#[derive(Clone)]
pub struct Assertions {
    ring: KeyRing,
    db: Db,
    keys: Keys,
    issuer: String,
    lifetime: i64,
    rotate_after: i64,
    cache: AssertionCache,
    /// The key set as last read from the store, and when (read at most once a second,
    /// so the open JWKS endpoint cannot make the store work harder than that).
    published: Arc<std::sync::Mutex<Option<(std::time::Instant, serde_json::Value)>>>,
}

/// Failure to produce an assertion.
#[derive(Debug, thiserror::Error)]
pub enum AssertError {
    /// Key store unreachable.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No key can sign.
    #[error(transparent)]
    Sign(#[from] assertion::SignError),
    /// The signed token is not a header value (never for a compact JWS).
    #[error("the signed assertion is not a valid header value")]
    Header,
}

impl Assertions {
    /// Load the keys (creating the first one if there is none).
    pub async fn init(
        db: Db,
        keys: Keys,
        issuer: String,
        lifetime_secs: u64,
        rotate_after_secs: u64,
    ) -> Result<Self, StoreError> {
        let this = Self {
            ring: KeyRing::default(),
            db,
            keys,
            issuer,
            lifetime: i64::try_from(lifetime_secs).unwrap_or(60),
            rotate_after: i64::try_from(rotate_after_secs).unwrap_or(7 * 86_400),
            cache: Arc::new(RwLock::new(HashMap::new())),
            published: Arc::new(std::sync::Mutex::new(None)),
        };
        this.maintain().await?;
        Ok(this)
    }

    /// Reload the keys from the store, create the next one when the current one nears its
    /// end, drop stale cache entries. Run periodically (every 30 s).
    pub async fn maintain(&self) -> Result<(), StoreError> {
        let now = now_secs();
        let mut keys = store::keys::published(&self.db, &self.keys, now).await?;
        let signs_now = keys
            .iter()
            .any(|k| k.sign_from <= now && now < k.sign_until);
        let newest_end = keys.iter().map(|k| k.sign_until).max().unwrap_or(now);
        let next_waiting = keys.iter().any(|k| k.sign_from > now);
        let start = if !signs_now {
            // Nothing can sign: a key that signs at once (first start, or a long outage).
            Some(now)
        } else if !next_waiting && newest_end - now <= PREPUBLISH_SECS * 2 {
            // The current key ends soon: publish its successor ahead of time.
            Some((now + PREPUBLISH_SECS).min(newest_end))
        } else {
            None
        };
        if let Some(start) = start {
            let key = KeyMaterial::generate(start, self.rotate_after);
            let publish_until = key.sign_until + self.lifetime + 60;
            store::keys::insert(&self.db, &self.keys, &key, publish_until).await?;
            tracing::info!(kid = %key.kid, sign_from = key.sign_from, "new assertion signing key");
            keys.push(key);
        }
        store::keys::purge(&self.db, now).await?;
        self.ring.replace(keys);
        let mut cache = self.cache.write().unwrap_or_else(|p| p.into_inner());
        cache.retain(|_, (_, exp)| *exp > now);
        Ok(())
    }

    /// The published key set: every key in the store, so that a key another node created
    /// a moment ago is published by this one too (nodes started at once on an empty
    /// database may each create one). The store down: this node's own keys.
    pub async fn jwks(&self) -> serde_json::Value {
        {
            let last = self.published.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((at, set)) = last.as_ref()
                && at.elapsed() < std::time::Duration::from_secs(1)
            {
                return set.clone();
            }
        }
        match store::keys::published(&self.db, &self.keys, now_secs()).await {
            Ok(keys) => {
                let keys: Vec<serde_json::Value> = keys
                    .iter()
                    .map(assertion::KeyMaterial::public_jwk)
                    .collect();
                let set = serde_json::json!({ "keys": keys });
                let mut last = self.published.lock().unwrap_or_else(|p| p.into_inner());
                *last = Some((std::time::Instant::now(), set.clone()));
                set
            }
            Err(e) => {
                tracing::warn!(error = %e, "signing keys could not be read: publishing this node's");
                self.ring.jwks()
            }
        }
    }

    /// The issuer in every assertion.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// An assertion for this session and audience, reused while more than half of its
    /// lifetime is left.
    pub fn for_request(
        &self,
        session: &store::sessions::Session,
        audience: &str,
        context: &Context,
    ) -> Result<http::HeaderValue, AssertError> {
        let now = now_secs();
        let key = cache_key(&session.sid, audience, context);
        {
            let cache = self.cache.read().unwrap_or_else(|p| p.into_inner());
            if let Some((token, exp)) = cache.get(&key)
                && exp - now > self.lifetime / 2
            {
                return Ok(token.clone());
            }
        }
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: audience.to_owned(),
            sub: session.user_id.clone(),
            name: session.display_name.clone(),
            sid: session.sid.clone(),
            acr: session.acr.clone(),
            amr: session.amr.clone(),
            iat: now,
            exp: now + self.lifetime,
            jti: crypto::random_id(),
            acting: if context.myself {
                assertion::Acting::Myself
            } else {
                assertion::Acting::Organisation
            },
            structure: context.structure.clone().filter(|_| !context.myself),
            services: if context.myself {
                Vec::new()
            } else {
                context.services.clone()
            },
            rights: if context.myself {
                Vec::new()
            } else {
                context.rights.clone()
            },
            shell: context.shell.clone(),
        };
        let token = http::HeaderValue::from_maybe_shared(axum::body::Bytes::from(
            self.ring.sign(&claims, now)?,
        ))
        .map_err(|_| AssertError::Header)?;
        let mut cache = self.cache.write().unwrap_or_else(|p| p.into_inner());
        cache.insert(key, (token.clone(), claims.exp));
        Ok(token)
    }

    /// Forget the cached assertions of a session (logout, structure switch).
    pub fn forget_session(&self, sid: &str) {
        let prefix = format!("{sid}\u{1f}");
        let mut cache = self.cache.write().unwrap_or_else(|p| p.into_inner());
        cache.retain(|k, _| !k.starts_with(&prefix));
    }
}

fn cache_key(sid: &str, audience: &str, c: &Context) -> String {
    let mut key = String::with_capacity(64);
    key.push_str(sid);
    key.push('\u{1f}');
    key.push_str(audience);
    key.push('\u{1f}');
    if c.myself {
        key.push_str("\u{1f}myself");
    }
    if let Some(s) = &c.structure {
        key.push_str(&s.id);
    }
    if let Some(shell) = &c.shell {
        key.push('\u{1f}');
        key.push_str(&shell.lang);
        for a in &shell.apps {
            key.push(',');
            key.push_str(&a[0]);
        }
    }
    for part in [&c.services, &c.rights] {
        key.push('\u{1f}');
        for s in part {
            key.push_str(s);
            key.push(',');
        }
    }
    key
}

/// Seconds since the epoch.
pub fn now_secs() -> i64 {
    store::now_ms() / 1000
}
