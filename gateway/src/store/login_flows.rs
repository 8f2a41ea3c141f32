//! Logins in progress: between leaving for the provider and coming back. Keyed by the
//! hash of the OAuth `state`, bound to the browser by the hash of a login cookie, and
//! consumed exactly once.

use sqlx::Row;

use super::{Db, StoreError};

/// A login in progress.
#[derive(Debug, Clone)]
pub struct LoginFlow {
    /// SHA-256 of `state`.
    pub state_hash: String,
    /// SHA-256 of the login cookie of the browser that started it.
    pub browser_hash: String,
    /// Provider id.
    pub provider: String,
    /// Nonce sent to the provider.
    pub nonce: String,
    /// PKCE verifier, sealed.
    pub pkce_verifier_sealed: String,
    /// Where to go after login (a checked same-origin path).
    pub return_to: String,
    /// Start (ms).
    pub created_at: i64,
    /// End (ms).
    pub expires_at: i64,
}

/// Record a new login in progress.
pub async fn insert(db: &Db, f: &LoginFlow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO login_flows (state_hash, browser_hash, provider, nonce, pkce_verifier, \
         return_to, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&f.state_hash)
    .bind(&f.browser_hash)
    .bind(&f.provider)
    .bind(&f.nonce)
    .bind(&f.pkce_verifier_sealed)
    .bind(&f.return_to)
    .bind(f.created_at)
    .bind(f.expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Take (read and delete) the flow for a state hash; a second take finds nothing.
pub async fn take(db: &Db, state_hash: &str) -> Result<Option<LoginFlow>, StoreError> {
    let mut tx = db.pool.begin().await?;
    let row = sqlx::query(
        "SELECT state_hash, browser_hash, provider, nonce, pkce_verifier, return_to, created_at, \
         expires_at FROM login_flows WHERE state_hash = $1",
    )
    .bind(state_hash)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let deleted = sqlx::query("DELETE FROM login_flows WHERE state_hash = $1")
        .bind(state_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    if deleted.rows_affected() == 0 {
        // Another request consumed it first.
        return Ok(None);
    }
    Ok(Some(LoginFlow {
        state_hash: row.try_get("state_hash")?,
        browser_hash: row.try_get("browser_hash")?,
        provider: row.try_get("provider")?,
        nonce: row.try_get("nonce")?,
        pkce_verifier_sealed: row.try_get("pkce_verifier")?,
        return_to: row.try_get("return_to")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
    }))
}

/// Remove flows that were never completed.
pub async fn purge_expired(db: &Db, now: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM login_flows WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
