//! Backend side: verify an assertion against the gateway's JWKS, fetched and cached,
//! refreshed when a token names a key the cache does not hold.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use tokio::sync::{Mutex, RwLock};

use crate::Claims;

/// Longest lifetime a backend accepts in an assertion, whatever the token says.
const MAX_LIFETIME_SECS: i64 = 300;

/// Why an assertion was refused. The text is safe to log; it never contains the token.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// No assertion header at all.
    #[error("no assertion")]
    Missing,
    /// Not a JWT, or a header that is not ours.
    #[error("malformed assertion")]
    Malformed,
    /// An algorithm other than EdDSA (including `none`).
    #[error("algorithm not accepted")]
    Algorithm,
    /// The key id is unknown even after a refresh of the JWKS.
    #[error("unknown signing key")]
    UnknownKey,
    /// Signature, issuer, audience, expiry or lifetime check failed.
    #[error("invalid assertion: {0}")]
    Invalid(String),
    /// The JWKS could not be fetched and no cached key matches.
    #[error("key set unavailable: {0}")]
    KeySet(String),
}

/// What a backend trusts.
#[derive(Debug, Clone)]
pub struct VerifierConfig {
    /// URL of the gateway's JWKS, e.g. `http://127.0.0.1:8080/.well-known/jwks.json`.
    pub jwks_url: String,
    /// The issuer the gateway puts in `iss`.
    pub issuer: String,
    /// This backend's application name, expected in `aud`.
    pub audience: String,
    /// Clock skew tolerated on `exp` and `iat`, in seconds (a few:
    /// [`crate::DEFAULT_LEEWAY_SECS`]; capped at [`crate::MAX_LEEWAY_SECS`]).
    pub leeway_secs: u64,
    /// Least time between two fetches of the JWKS caused by unknown key ids.
    pub min_refresh: Duration,
}

/// Verifies assertions; share one per backend (it caches the keys).
pub struct Verifier {
    config: VerifierConfig,
    http: reqwest::Client,
    keys: RwLock<HashMap<String, DecodingKey>>,
    last_fetch: Mutex<Option<Instant>>,
}

impl Verifier {
    /// A verifier with an empty cache; keys are fetched on first use.
    pub fn new(config: VerifierConfig) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_default();
        Self {
            config,
            http,
            keys: RwLock::new(HashMap::new()),
            last_fetch: Mutex::new(None),
        }
    }

    /// Verify the value of the assertion header and return its claims.
    pub async fn verify(&self, token: &str) -> Result<Claims, VerifyError> {
        if token.is_empty() {
            return Err(VerifyError::Missing);
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| VerifyError::Malformed)?;
        if header.alg != Algorithm::EdDSA {
            return Err(VerifyError::Algorithm);
        }
        let kid = header.kid.ok_or(VerifyError::Malformed)?;
        let key = match self.cached(&kid).await {
            Some(key) => key,
            None => {
                self.refresh(false).await?;
                self.cached(&kid).await.ok_or(VerifyError::UnknownKey)?
            }
        };
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_audience(&[&self.config.audience]);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        let leeway_secs = self.config.leeway_secs.min(crate::MAX_LEEWAY_SECS);
        validation.leeway = leeway_secs;
        let data = jsonwebtoken::decode::<Claims>(token, &key, &validation)
            .map_err(|e| VerifyError::Invalid(e.kind_name()))?;
        let claims = data.claims;
        let now = now_secs();
        let leeway = i64::try_from(leeway_secs).unwrap_or(0);
        if claims.iat > now + leeway {
            return Err(VerifyError::Invalid("issued in the future".to_owned()));
        }
        if claims.exp - claims.iat > MAX_LIFETIME_SECS {
            return Err(VerifyError::Invalid("lifetime too long".to_owned()));
        }
        Ok(claims)
    }

    /// Fetch the JWKS now (at most once per `min_refresh` unless `force`).
    pub async fn refresh(&self, force: bool) -> Result<(), VerifyError> {
        let mut last = self.last_fetch.lock().await;
        if !force
            && let Some(at) = *last
            && at.elapsed() < self.config.min_refresh
        {
            return Ok(());
        }
        *last = Some(Instant::now());
        let set: JwkSet = self
            .http
            .get(&self.config.jwks_url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| VerifyError::KeySet(e.without_url().to_string()))?
            .json()
            .await
            .map_err(|e| VerifyError::KeySet(e.without_url().to_string()))?;
        let mut fresh = HashMap::new();
        for jwk in &set.keys {
            let Some(kid) = jwk.common.key_id.clone() else {
                continue;
            };
            if let Ok(key) = DecodingKey::from_jwk(jwk) {
                fresh.insert(kid, key);
            }
        }
        *self.keys.write().await = fresh;
        Ok(())
    }

    async fn cached(&self, kid: &str) -> Option<DecodingKey> {
        self.keys.read().await.get(kid).cloned()
    }
}

trait KindName {
    fn kind_name(&self) -> String;
}

impl KindName for jsonwebtoken::errors::Error {
    fn kind_name(&self) -> String {
        use jsonwebtoken::errors::ErrorKind as K;
        match self.kind() {
            K::InvalidSignature => "bad signature",
            K::ExpiredSignature => "expired",
            K::InvalidAudience => "wrong audience",
            K::InvalidIssuer => "wrong issuer",
            K::ImmatureSignature => "not yet valid",
            K::MissingRequiredClaim(_) => "missing claim",
            K::InvalidAlgorithm => "algorithm not accepted",
            _ => "malformed",
        }
        .to_owned()
    }
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample_claims(now: i64) -> Claims {
        Claims {
            iss: "http://gw".to_owned(),
            aud: "vouchers".to_owned(),
            sub: "u1".to_owned(),
            name: "Alice".to_owned(),
            sid: "s1".to_owned(),
            acr: "eidas-high".to_owned(),
            amr: vec!["fed".to_owned()],
            iat: now,
            exp: now + 60,
            jti: "j".to_owned(),
            acting: crate::Acting::Organisation,
            structure: None,
            services: vec![],
            rights: vec![],
            shell: None,
        }
    }

    #[test]
    fn signed_token_verifies_with_published_key() {
        let now = now_secs();
        let ring = crate::KeyRing::new(vec![crate::KeyMaterial::generate(now, 100)]);
        let token = ring.sign(&sample_claims(now), now).expect("sign");
        let set: JwkSet = serde_json::from_value(ring.jwks()).expect("jwks");
        let key = DecodingKey::from_jwk(&set.keys[0]).expect("key");
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_audience(&["vouchers"]);
        let data = jsonwebtoken::decode::<Claims>(&token, &key, &validation).expect("valid");
        assert_eq!(data.claims.sub, "u1");
        validation.set_audience(&["prestations"]);
        assert!(jsonwebtoken::decode::<Claims>(&token, &key, &validation).is_err());
    }
}
