//! The gateway's signing keys: generation, rotation and the published JWKS.

use std::sync::{Arc, RwLock};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::SigningKey;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use zeroize::Zeroizing;

/// PKCS#8 v1 prefix of an Ed25519 private key (RFC 8410); the 32-byte seed follows.
const PKCS8_ED25519_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// Why an assertion could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The ring holds no key usable for signing.
    #[error("no active signing key")]
    NoKey,
    /// The JWT library refused to sign.
    #[error("signing failed: {0}")]
    Jwt(#[from] jsonwebtoken::errors::Error),
}

/// One Ed25519 key as stored by the gateway.
#[derive(Clone)]
pub struct KeyMaterial {
    /// Key id (`kid`), unique.
    pub kid: String,
    /// The 32-byte private seed.
    pub seed: Zeroizing<[u8; 32]>,
    /// Unix seconds from which the key signs. A key is published before it signs, so
    /// that every node and backend holds it by then; the newest signing key is used.
    pub sign_from: i64,
    /// Unix seconds after which the key no longer signs (it stays published until its last
    /// token has expired).
    pub sign_until: i64,
}

impl std::fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyMaterial")
            .field("kid", &self.kid)
            .field("seed", &"[redacted]")
            .field("sign_from", &self.sign_from)
            .field("sign_until", &self.sign_until)
            .finish()
    }
}

impl KeyMaterial {
    /// A fresh random key that signs from `sign_from` for `sign_for_secs`.
    pub fn generate(sign_from: i64, sign_for_secs: i64) -> Self {
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        let mut id = [0u8; 12];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut id);
        Self {
            kid: URL_SAFE_NO_PAD.encode(id),
            seed: Zeroizing::new(key.to_bytes()),
            sign_from,
            sign_until: sign_from.saturating_add(sign_for_secs),
        }
    }

    /// The public half, as a JWK.
    pub fn public_jwk(&self) -> Value {
        let public = SigningKey::from_bytes(&self.seed).verifying_key();
        json!({
            "kty": "OKP",
            "crv": "Ed25519",
            "use": "sig",
            "alg": crate::ALGORITHM,
            "kid": self.kid,
            "x": URL_SAFE_NO_PAD.encode(public.as_bytes()),
        })
    }

    fn encoding_key(&self) -> EncodingKey {
        let mut der = Zeroizing::new(Vec::with_capacity(48));
        der.extend_from_slice(&PKCS8_ED25519_PREFIX);
        der.extend_from_slice(self.seed.as_ref());
        EncodingKey::from_ed_der(&der)
    }
}

struct Loaded {
    material: KeyMaterial,
    encoding: EncodingKey,
}

/// The keys the gateway signs with and publishes. Cheap to clone; replace the set with
/// [`KeyRing::replace`] when the stored keys change (rotation, another node's new key).
#[derive(Clone, Default)]
pub struct KeyRing {
    inner: Arc<RwLock<Vec<Loaded>>>,
}

impl KeyRing {
    /// A ring holding `keys`.
    pub fn new(keys: Vec<KeyMaterial>) -> Self {
        let ring = Self::default();
        ring.replace(keys);
        ring
    }

    /// Replace the whole set of keys.
    pub fn replace(&self, keys: Vec<KeyMaterial>) {
        let loaded = keys
            .into_iter()
            .map(|material| Loaded {
                encoding: material.encoding_key(),
                material,
            })
            .collect();
        let mut guard = self.inner.write().unwrap_or_else(|p| p.into_inner());
        *guard = loaded;
    }

    /// Kids currently held, newest first.
    pub fn kids(&self) -> Vec<String> {
        let guard = self.inner.read().unwrap_or_else(|p| p.into_inner());
        let mut keys: Vec<_> = guard.iter().map(|k| &k.material).collect();
        keys.sort_by_key(|k| std::cmp::Reverse(k.sign_from));
        keys.into_iter().map(|k| k.kid.clone()).collect()
    }

    /// Sign `claims` with the newest key allowed to sign at `now`.
    pub fn sign<T: serde::Serialize>(&self, claims: &T, now: i64) -> Result<String, SignError> {
        let guard = self.inner.read().unwrap_or_else(|p| p.into_inner());
        let key = guard
            .iter()
            .filter(|k| k.material.sign_from <= now && now < k.material.sign_until)
            .max_by_key(|k| k.material.sign_from)
            .ok_or(SignError::NoKey)?;
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(key.material.kid.clone());
        header.typ = Some("JWT".to_owned());
        Ok(jsonwebtoken::encode(&header, claims, &key.encoding)?)
    }

    /// The JWKS document: every key of the ring (the caller removes keys whose last token
    /// has expired).
    pub fn jwks(&self) -> Value {
        let guard = self.inner.read().unwrap_or_else(|p| p.into_inner());
        let keys: Vec<Value> = guard.iter().map(|k| k.material.public_jwk()).collect();
        json!({ "keys": keys })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwks_never_contains_private_parts() {
        let ring = KeyRing::new(vec![KeyMaterial::generate(0, 100)]);
        let text = ring.jwks().to_string();
        assert!(text.contains("\"x\""));
        assert!(!text.contains("\"d\""));
    }

    #[test]
    fn newest_key_signs_and_expired_key_does_not() {
        let old = KeyMaterial::generate(0, 100);
        let new = KeyMaterial::generate(50, 1000);
        let future = KeyMaterial::generate(500, 1000);
        let ring = KeyRing::new(vec![old.clone(), new.clone(), future]);
        let claims = crate::verify::tests::sample_claims(60);
        let token = ring.sign(&claims, 60).expect("sign");
        let header = jsonwebtoken::decode_header(&token).expect("header");
        assert_eq!(header.kid.as_deref(), Some(new.kid.as_str()));
        let ring = KeyRing::new(vec![old]);
        assert!(matches!(ring.sign(&claims, 200), Err(SignError::NoKey)));
    }

    #[test]
    fn debug_redacts_seed() {
        let key = KeyMaterial::generate(0, 1);
        assert!(format!("{key:?}").contains("[redacted]"));
    }
}
