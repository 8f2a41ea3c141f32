//! Tables of the WebAuthn security keys: the registered credentials of each person, and
//! the sealed state of a ceremony between its two round trips. A state is consumed by
//! one statement (`DELETE ... RETURNING`), so that one answer, replayed or raced, is
//! checked at most once.

use sqlx::Row;

use crate::store::{Db, StoreError};

/// A registered security key.
#[derive(Clone)]
pub struct KeyRow {
    /// Public id (forms, audit).
    pub id: String,
    /// Base64url of the authenticator's credential id.
    pub credential_id: String,
    /// Name given by the person.
    pub name: String,
    /// The verified credential (`webauthn_rs::prelude::Passkey` as JSON).
    pub credential: String,
    /// Registration (ms).
    pub created_at: i64,
    /// Last login with it (ms).
    pub last_used_at: Option<i64>,
}

impl std::fmt::Debug for KeyRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRow")
            .field("id", &self.id)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// A person's keys, oldest first.
pub async fn keys(db: &Db, user_id: &str) -> Result<Vec<KeyRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, credential_id, name, credential, created_at, last_used_at \
         FROM webauthn_credentials WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(KeyRow {
                id: r.try_get("id")?,
                credential_id: r.try_get("credential_id")?,
                name: r.try_get("name")?,
                credential: r.try_get("credential")?,
                created_at: r.try_get("created_at")?,
                last_used_at: r.try_get("last_used_at")?,
            })
        })
        .collect()
}

/// Whether the person has at least one key.
pub async fn has_keys(db: &Db, user_id: &str) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webauthn_credentials WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// Record a new key; `false` when its credential id is already registered (to anyone).
pub async fn insert_key(
    db: &Db,
    user_id: &str,
    key: &KeyRow,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO webauthn_credentials (id, user_id, credential_id, name, credential, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (credential_id) DO NOTHING",
    )
    .bind(&key.id)
    .bind(user_id)
    .bind(&key.credential_id)
    .bind(&key.name)
    .bind(&key.credential)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Store the credential after a login with it (new counter, backup state).
pub async fn update_key(
    db: &Db,
    user_id: &str,
    credential_id: &str,
    credential: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE webauthn_credentials SET credential = $1, last_used_at = $2 \
         WHERE user_id = $3 AND credential_id = $4",
    )
    .bind(credential)
    .bind(now)
    .bind(user_id)
    .bind(credential_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Remove one of a person's keys: its name, `None` when it is not theirs.
pub async fn delete_key(db: &Db, user_id: &str, id: &str) -> Result<Option<String>, StoreError> {
    let name: Option<String> = sqlx::query_scalar(
        "DELETE FROM webauthn_credentials WHERE id = $1 AND user_id = $2 RETURNING name",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(name)
}

/// Keep the state of a ceremony, replacing any earlier one under the same key.
pub async fn put_state(
    db: &Db,
    key: &str,
    user_id: &str,
    purpose: &str,
    name: Option<&str>,
    sealed: &str,
    expires_at: i64,
) -> Result<(), StoreError> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("DELETE FROM webauthn_states WHERE state_key = $1")
        .bind(key)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO webauthn_states (state_key, user_id, purpose, name, state_sealed, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(key)
    .bind(user_id)
    .bind(purpose)
    .bind(name)
    .bind(sealed)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A consumed ceremony state: (sealed state, key name).
pub type TakenState = (String, Option<String>);

/// Take (and delete) the live state of a ceremony for this person and purpose.
pub async fn take_state(
    db: &Db,
    key: &str,
    user_id: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<TakenState>, StoreError> {
    let row = sqlx::query(
        "DELETE FROM webauthn_states WHERE state_key = $1 AND user_id = $2 AND purpose = $3 \
         AND expires_at > $4 RETURNING state_sealed, name",
    )
    .bind(key)
    .bind(user_id)
    .bind(purpose)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| Ok((r.try_get("state_sealed")?, r.try_get("name")?)))
        .transpose()
}

/// Remove ended ceremony states.
pub async fn purge(db: &Db, now: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM webauthn_states WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
