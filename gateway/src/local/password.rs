//! Passwords: the configurable policy, and Argon2id hashing run on the blocking pool
//! behind a semaphore (each hash takes ~19 MiB and a core; a burst of logins must not
//! starve the proxy). Verifying against an unknown account checks a dummy hash, so a
//! failed login takes the same time whether the account exists or not.

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use tokio::sync::Semaphore;
use zeroize::Zeroizing;

use crate::config::LocalConfig;

/// Why a password is refused by the policy (the page names what is missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    /// Fewer characters than `min_length`.
    TooShort,
    /// No digit.
    NoDigit,
    /// No lower-case letter.
    NoLower,
    /// No upper-case letter.
    NoUpper,
    /// No special character.
    NoSpecial,
    /// More than 1024 bytes (refused before hashing).
    TooLong,
}

impl Weakness {
    /// The text key of the message.
    pub fn key(self) -> &'static str {
        match self {
            Weakness::TooShort => "pw_short",
            Weakness::NoDigit => "pw_digit",
            Weakness::NoLower => "pw_lower",
            Weakness::NoUpper => "pw_upper",
            Weakness::NoSpecial => "pw_special",
            Weakness::TooLong => "pw_long",
        }
    }
}

/// Check a new password against the policy.
pub fn check_policy(c: &LocalConfig, password: &str) -> Result<(), Weakness> {
    if password.len() > 1024 {
        return Err(Weakness::TooLong);
    }
    if password.chars().count() < c.min_length {
        return Err(Weakness::TooShort);
    }
    let has = |f: fn(&char) -> bool| password.chars().any(|ch| f(&ch));
    if c.require_digit && !has(char::is_ascii_digit) {
        return Err(Weakness::NoDigit);
    }
    if c.require_lower && !has(|ch| ch.is_lowercase()) {
        return Err(Weakness::NoLower);
    }
    if c.require_upper && !has(|ch| ch.is_uppercase()) {
        return Err(Weakness::NoUpper);
    }
    if c.require_special && !has(|ch| !ch.is_alphanumeric()) {
        return Err(Weakness::NoSpecial);
    }
    Ok(())
}

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

    fn policy() -> LocalConfig {
        let c = crate::Config::from_toml(
            "secret_key = \"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\"\n[server]\nlisten = \"127.0.0.1:1\"\n\
             public_url = \"http://127.0.0.1:1\"\n[database]\nurl = \"sqlite://x\"\n[mail]\nfrom = \"a@b.be\"\n\
             outbox_dir = \"m\"\n[local]\n",
        )
        .expect("config");
        c.local.expect("local")
    }

    #[test]
    fn policy_names_what_is_missing() {
        let c = policy();
        assert_eq!(check_policy(&c, "Sh0rt!"), Err(Weakness::TooShort));
        assert_eq!(check_policy(&c, "NoDigitsHere!!"), Err(Weakness::NoDigit));
        assert_eq!(check_policy(&c, "NOLOWER1234!!"), Err(Weakness::NoLower));
        assert_eq!(check_policy(&c, "noupper1234!!"), Err(Weakness::NoUpper));
        assert_eq!(check_policy(&c, "NoSpecial1234"), Err(Weakness::NoSpecial));
        assert_eq!(
            check_policy(&c, &"Aa1!".repeat(300)),
            Err(Weakness::TooLong)
        );
        assert_eq!(check_policy(&c, "Correct-Horse-42"), Ok(()));
        assert_eq!(
            check_policy(&c, "Éléphant-rosé-42"),
            Ok(()),
            "non-ASCII letters count"
        );
    }

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
