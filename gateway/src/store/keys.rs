//! The assertion signing keys, sealed under the master secret and shared by every node
//! through the database.

use sqlx::Row;
use zeroize::Zeroizing;

use super::{Db, StoreError};
use crate::crypto::Keys;

const CONTEXT: &str = "signing-key";

/// Every key still to be published at `now` (seconds).
pub async fn published(
    db: &Db,
    keys: &Keys,
    now: i64,
) -> Result<Vec<assertion::KeyMaterial>, StoreError> {
    let rows = sqlx::query(
        "SELECT kid, sealed_seed, sign_from, sign_until FROM signing_keys \
         WHERE publish_until > $1 ORDER BY sign_from",
    )
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let kid: String = row.try_get("kid")?;
        let sealed: String = row.try_get("sealed_seed")?;
        let plain = keys
            .open(&format!("{CONTEXT}:{kid}"), &sealed)
            .map_err(|_| StoreError::Corrupt("signing_keys.sealed_seed"))?;
        let seed: [u8; 32] = plain
            .as_slice()
            .try_into()
            .map_err(|_| StoreError::Corrupt("signing_keys.sealed_seed"))?;
        out.push(assertion::KeyMaterial {
            kid,
            seed: Zeroizing::new(seed),
            sign_from: row.try_get("sign_from")?,
            sign_until: row.try_get("sign_until")?,
        });
    }
    Ok(out)
}

/// Store a new key, published until `publish_until` (seconds).
pub async fn insert(
    db: &Db,
    keys: &Keys,
    key: &assertion::KeyMaterial,
    publish_until: i64,
) -> Result<(), StoreError> {
    let sealed = keys.seal(&format!("{CONTEXT}:{}", key.kid), key.seed.as_ref());
    sqlx::query(
        "INSERT INTO signing_keys (kid, sealed_seed, sign_from, sign_until, publish_until) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&key.kid)
    .bind(sealed)
    .bind(key.sign_from)
    .bind(key.sign_until)
    .bind(publish_until)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Delete keys no longer published.
pub async fn purge(db: &Db, now: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM signing_keys WHERE publish_until <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
