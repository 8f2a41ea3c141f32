//! Server-side sessions. The cookie carries a random token; only its SHA-256 is stored.

use sqlx::Row;

use super::{Db, StoreError};

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 of the cookie token (the key).
    pub token_hash: String,
    /// Public session handle (assertion `sid`, logs, account page).
    pub sid: String,
    /// The person.
    pub user_id: String,
    /// The person's name at login.
    pub display_name: String,
    /// Provider id used at login (`None` for local accounts).
    pub provider: Option<String>,
    /// Issuer of the upstream login.
    pub idp_issuer: Option<String>,
    /// Subject at the upstream provider.
    pub idp_subject: Option<String>,
    /// The provider's session id (`sid` claim), for back-channel logout.
    pub idp_sid: Option<String>,
    /// Authentication context class reached.
    pub acr: String,
    /// Authentication methods used.
    pub amr: Vec<String>,
    /// Active structure, when chosen (never while acting as oneself).
    pub structure_id: Option<String>,
    /// Acting as oneself, a private person, not for an organisation (stored as the
    /// structure id [`MYSELF`], which no structure has: theirs are uuids).
    pub myself: bool,
    /// Services of the active structure acted in (empty: whole structure).
    pub services: Vec<String>,
    /// Login time (ms).
    pub created_at: i64,
    /// Last activity recorded in the store (ms).
    pub last_seen_at: i64,
    /// Absolute end (ms).
    pub expires_at: i64,
    /// Browser user agent at login.
    pub user_agent: Option<String>,
    /// Client address at login.
    pub ip: Option<String>,
}

const COLUMNS: &str = "token_hash, sid, user_id, display_name, provider, idp_issuer, idp_subject, idp_sid, \
     acr, amr, structure_id, services, created_at, last_seen_at, expires_at, user_agent, ip";

/// The stored `structure_id` of a session acting as oneself.
pub const MYSELF: &str = "myself";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Session, StoreError> {
    let amr: String = row.try_get("amr")?;
    let services: String = row.try_get("services")?;
    let structure_id: Option<String> = row.try_get("structure_id")?;
    let myself = structure_id.as_deref() == Some(MYSELF);
    Ok(Session {
        token_hash: row.try_get("token_hash")?,
        sid: row.try_get("sid")?,
        user_id: row.try_get("user_id")?,
        display_name: row.try_get("display_name")?,
        provider: row.try_get("provider")?,
        idp_issuer: row.try_get("idp_issuer")?,
        idp_subject: row.try_get("idp_subject")?,
        idp_sid: row.try_get("idp_sid")?,
        acr: row.try_get("acr")?,
        amr: serde_json::from_str(&amr).map_err(|_| StoreError::Corrupt("sessions.amr"))?,
        structure_id: structure_id.filter(|_| !myself),
        myself,
        services: serde_json::from_str(&services)
            .map_err(|_| StoreError::Corrupt("sessions.services"))?,
        created_at: row.try_get("created_at")?,
        last_seen_at: row.try_get("last_seen_at")?,
        expires_at: row.try_get("expires_at")?,
        user_agent: row.try_get("user_agent")?,
        ip: row.try_get("ip")?,
    })
}

/// Store a new session.
pub async fn insert(db: &Db, s: &Session) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO sessions ({COLUMNS}) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
    ))
    .bind(&s.token_hash)
    .bind(&s.sid)
    .bind(&s.user_id)
    .bind(&s.display_name)
    .bind(&s.provider)
    .bind(&s.idp_issuer)
    .bind(&s.idp_subject)
    .bind(&s.idp_sid)
    .bind(&s.acr)
    .bind(serde_json::to_string(&s.amr).unwrap_or_else(|_| "[]".to_owned()))
    .bind(if s.myself {
        Some(MYSELF)
    } else {
        s.structure_id.as_deref()
    })
    .bind(serde_json::to_string(&s.services).unwrap_or_else(|_| "[]".to_owned()))
    .bind(s.created_at)
    .bind(s.last_seen_at)
    .bind(s.expires_at)
    .bind(&s.user_agent)
    .bind(&s.ip)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The session behind a token hash, if any (expiry is the caller's decision).
pub async fn get(db: &Db, token_hash: &str) -> Result<Option<Session>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM sessions WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Record activity.
pub async fn touch(db: &Db, token_hash: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $1",
    )
    .bind(now)
    .bind(token_hash)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Change the active structure and services.
pub async fn set_structure(
    db: &Db,
    token_hash: &str,
    structure_id: Option<&str>,
    services: &[String],
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET structure_id = $1, services = $2 WHERE token_hash = $3")
        .bind(structure_id)
        .bind(serde_json::to_string(services).unwrap_or_else(|_| "[]".to_owned()))
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// End one session. Returns whether it existed.
pub async fn delete(db: &Db, token_hash: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// End the sessions opened through an upstream login, by the provider's `sid` or, without
/// one, by subject. Returns the token hashes ended.
pub async fn delete_by_idp(
    db: &Db,
    issuer: &str,
    idp_sid: Option<&str>,
    subject: Option<&str>,
) -> Result<Vec<String>, StoreError> {
    let mut tx = db.pool.begin().await?;
    let hashes: Vec<String> = match (idp_sid, subject) {
        (Some(sid), _) => {
            sqlx::query_scalar(
                "SELECT token_hash FROM sessions WHERE idp_issuer = $1 AND idp_sid = $2",
            )
            .bind(issuer)
            .bind(sid)
            .fetch_all(&mut *tx)
            .await?
        }
        (None, Some(sub)) => {
            sqlx::query_scalar(
                "SELECT token_hash FROM sessions WHERE idp_issuer = $1 AND idp_subject = $2",
            )
            .bind(issuer)
            .bind(sub)
            .fetch_all(&mut *tx)
            .await?
        }
        (None, None) => Vec::new(),
    };
    for h in &hashes {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(h)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(hashes)
}

/// Sessions of one person, newest first (account page).
pub async fn list_for_user(db: &Db, user_id: &str) -> Result<Vec<Session>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM sessions WHERE user_id = $1 ORDER BY created_at DESC"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Remove sessions past their absolute end or idle for longer than `idle_ms`.
pub async fn purge_expired(db: &Db, now: i64, idle_ms: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(now - idle_ms)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

/// The token hash of the session `sid` if it is one of `user_id`'s (a session of someone
/// else is `None`, as an unknown one).
pub async fn hash_of(db: &Db, user_id: &str, sid: &str) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT token_hash FROM sessions WHERE sid = $1 AND user_id = $2")
            .bind(sid)
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?,
    )
}
