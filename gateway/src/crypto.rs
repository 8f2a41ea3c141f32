//! Small cryptographic helpers used across the gateway: random tokens, token hashes,
//! sealing secrets at rest, constant-time comparison. One place, so that every caller
//! gets the same choices.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// A secret value (cookie token, code, PKCE verifier): the configuration's secret type,
/// redacted when printed and compared in constant time.
pub use crate::config::Secret;

/// `n` random bytes from the OS, base64url without padding.
pub fn random_token(n: usize) -> Secret {
    let mut bytes = Zeroizing::new(vec![0u8; n]);
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::new(URL_SAFE_NO_PAD.encode(&*bytes))
}

/// A random public identifier (not a secret): 16 bytes base64url.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of a token, hex: what is stored in place of the token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Constant-time equality of two byte strings.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// Keys derived from the master secret, one per purpose.
#[derive(Clone)]
pub struct Keys {
    seal: Zeroizing<[u8; 32]>,
    nrn: Zeroizing<[u8; 32]>,
    csrf: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys([redacted])")
    }
}

/// Failure to open a sealed value: wrong key or tampered data.
#[derive(Debug, thiserror::Error)]
#[error("sealed value cannot be opened")]
pub struct SealError;

impl Keys {
    /// Derive the purpose keys from the master secret.
    pub fn derive(master: &[u8]) -> Self {
        Self {
            seal: Zeroizing::new(derive(master, b"gateway seal v1")),
            nrn: Zeroizing::new(derive(master, b"gateway nrn hash v1")),
            csrf: Zeroizing::new(derive(master, b"gateway csrf v1")),
        }
    }

    /// The key of national register number hashes.
    pub fn nrn_key(&self) -> &[u8] {
        self.nrn.as_ref()
    }

    /// HMAC for CSRF tokens bound to a session.
    pub fn csrf_tag(&self, data: &str) -> String {
        hex::encode(derive(self.csrf.as_ref(), data.as_bytes()))
    }

    /// Encrypt `plain` for storage; `context` binds the ciphertext to its use.
    pub fn seal(&self, context: &str, plain: &[u8]) -> String {
        let cipher = XChaCha20Poly1305::new(self.seal.as_ref().into());
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let aad = chacha20poly1305::aead::Payload {
            msg: plain,
            aad: context.as_bytes(),
        };
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), aad)
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        URL_SAFE_NO_PAD.encode(out)
    }

    /// Decrypt what [`Keys::seal`] produced with the same context.
    pub fn open(&self, context: &str, sealed: &str) -> Result<Zeroizing<Vec<u8>>, SealError> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).map_err(|_| SealError)?;
        if bytes.len() < 24 + 16 {
            return Err(SealError);
        }
        let (nonce, body) = bytes.split_at(24);
        let cipher = XChaCha20Poly1305::new(self.seal.as_ref().into());
        let payload = chacha20poly1305::aead::Payload {
            msg: body,
            aad: context.as_bytes(),
        };
        cipher
            .decrypt(XNonce::from_slice(nonce), payload)
            .map(Zeroizing::new)
            .map_err(|_| SealError)
    }
}

fn derive(key: &[u8], label: &[u8]) -> [u8; 32] {
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return [0u8; 32], // HMAC takes keys of any length: not reachable
    };
    mac.update(label);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_round_trips_and_binds_context() {
        let keys = Keys::derive(&[7u8; 32]);
        let sealed = keys.seal("a", b"secret");
        assert_eq!(&keys.open("a", &sealed).expect("open")[..], b"secret");
        assert!(keys.open("b", &sealed).is_err());
        let other = Keys::derive(&[8u8; 32]);
        assert!(other.open("a", &sealed).is_err());
        let mut tampered = sealed.into_bytes();
        let last = tampered.len() - 2;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).expect("ascii");
        assert!(keys.open("a", &tampered).is_err());
    }

    #[test]
    fn tokens_are_unique_and_redacted() {
        let a = random_token(32);
        let b = random_token(32);
        assert_ne!(a, b);
        assert_eq!(format!("{a:?}"), "[redacted]");
        assert_eq!(a.expose().len(), 43);
    }

    #[test]
    fn ct_eq_works() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
