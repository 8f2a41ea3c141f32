//! Password hashing: Argon2id run on the blocking pool behind a semaphore (each hash
//! takes ~19 MiB and a core; a burst of logins must not starve the proxy). Verifying against an unknown account checks a dummy hash, so a
//! failed login takes the same time whether the account exists or not.

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use tokio::sync::Semaphore;
use zeroize::Zeroizing;

/// Hashing failed (the blocking pool is gone, or the stored hash is not a PHC string).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed")]
pub struct HashError;

/// Argon2id with the crate's defaults (m = 19 MiB, t = 2, p = 1: OWASP's advice).
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    dummy: Arc<String>,
}

impl Hasher {
    /// A hasher allowing `concurrency` hashes at once.
    pub fn new(concurrency: usize) -> Self {
        let salt = SaltString::generate(&mut OsRng);
        let dummy = Argon2::default()
            .hash_password(b"dummy password never used", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default();
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy: Arc::new(dummy),
        }
    }

    /// Hash a new password.
    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let password = Zeroizing::new(password.to_owned());
        let _permit = self.permits.acquire().await.map_err(|_| HashError)?;
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|_| HashError)
        })
        .await
        .map_err(|_| HashError)?
    }

    /// Verify a password against a stored hash, or against the dummy hash when there is
    /// none (same work either way); `false` for `None`.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, HashError> {
        let password = Zeroizing::new(password.to_owned());
        let real = stored.is_some();
        let hash = stored
            .map(str::to_owned)
            .unwrap_or_else(|| (*self.dummy).clone());
        let _permit = self.permits.acquire().await.map_err(|_| HashError)?;
        let ok = tokio::task::spawn_blocking(move || {
            let parsed = PasswordHash::new(&hash).map_err(|_| HashError)?;
            Ok::<bool, HashError>(
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok(),
            )
        })
        .await
        .map_err(|_| HashError)??;
        Ok(ok && real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_unknown_accounts_never_do() {
        let h = Hasher::new(2);
        let stored = h.hash("Correct-Horse-42").await.expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(
            h.verify("Correct-Horse-42", Some(&stored))
                .await
                .expect("verify")
        );
        assert!(
            !h.verify("correct-horse-42", Some(&stored))
                .await
                .expect("verify")
        );
        assert!(
            !h.verify("dummy password never used", None)
                .await
                .expect("verify")
        );
    }
}
