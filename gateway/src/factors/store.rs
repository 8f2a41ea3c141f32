//! Tables of the second factors: pending challenges, trusted devices (and the sessions
//! they opened), TOTP authenticators. Every "check then change" is one conditional
//! statement, so that concurrent requests (or nodes) cannot exceed a limit.

use sqlx::Row;

use crate::store::{Db, StoreError};

/// A pending second-factor challenge.
#[derive(Clone)]
pub struct Challenge {
    /// SHA-256 of the challenge cookie.
    pub token_hash: String,
    /// The person.
    pub user_id: String,
    /// Sealed session opening.
    pub opening_sealed: String,
    /// Where to go after success.
    pub return_to: String,
    /// Language of the pages and mails.
    pub lang: String,
    /// `email` or `totp`.
    pub method: String,
    /// Keyed hash of the emailed code (`None` until one is sent).
    pub code_hash: Option<String>,
    /// Tries so far.
    pub attempts: i64,
    /// Codes sent so far.
    pub sends: i64,
    /// Last send (ms).
    pub last_sent_at: i64,
    /// End (ms).
    pub expires_at: i64,
}

impl std::fmt::Debug for Challenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Challenge")
            .field("user_id", &self.user_id)
            .field("method", &self.method)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

const CHALLENGE_COLUMNS: &str = "token_hash, user_id, opening, return_to, lang, method, code_hash, \
     attempts, sends, last_sent_at, expires_at";

fn challenge_from_row(row: &sqlx::any::AnyRow) -> Result<Challenge, StoreError> {
    Ok(Challenge {
        token_hash: row.try_get("token_hash")?,
        user_id: row.try_get("user_id")?,
        opening_sealed: row.try_get("opening")?,
        return_to: row.try_get("return_to")?,
        lang: row.try_get("lang")?,
        method: row.try_get("method")?,
        code_hash: row.try_get("code_hash")?,
        attempts: row.try_get("attempts")?,
        sends: row.try_get("sends")?,
        last_sent_at: row.try_get("last_sent_at")?,
        expires_at: row.try_get("expires_at")?,
    })
}

/// Record a new challenge (inside the caller's transaction, with its mail).
pub async fn insert_challenge(
    conn: &mut sqlx::AnyConnection,
    c: &Challenge,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO factor_challenges (token_hash, user_id, opening, return_to, lang, method, \
         code_hash, attempts, sends, last_sent_at, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, $11)",
    )
    .bind(&c.token_hash)
    .bind(&c.user_id)
    .bind(&c.opening_sealed)
    .bind(&c.return_to)
    .bind(&c.lang)
    .bind(&c.method)
    .bind(&c.code_hash)
    .bind(c.sends)
    .bind(c.last_sent_at)
    .bind(now)
    .bind(c.expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A live challenge (not expired, tries left).
pub async fn get_challenge(
    db: &Db,
    token_hash: &str,
    now: i64,
    max_attempts: i64,
) -> Result<Option<Challenge>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {CHALLENGE_COLUMNS} FROM factor_challenges WHERE token_hash = $1 \
         AND expires_at > $2 AND attempts < $3"
    ))
    .bind(token_hash)
    .bind(now)
    .bind(max_attempts)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(challenge_from_row).transpose()
}

/// Spend one try before checking a code: the number of tries spent so far (this one
/// included), or `None` when none was left (or the challenge ended). Counting before
/// checking, in one statement, keeps concurrent guesses within the limit.
pub async fn spend_attempt(
    db: &Db,
    token_hash: &str,
    now: i64,
    max_attempts: i64,
) -> Result<Option<i64>, StoreError> {
    let spent: Option<i64> = sqlx::query_scalar(
        "UPDATE factor_challenges SET attempts = attempts + 1 WHERE token_hash = $1 \
         AND expires_at > $2 AND attempts < $3 RETURNING attempts",
    )
    .bind(token_hash)
    .bind(now)
    .bind(max_attempts)
    .fetch_optional(&db.pool)
    .await?;
    Ok(spent)
}

/// Wrong second-factor codes are counted per person over this window.
pub const FAILURE_WINDOW_MS: i64 = 24 * 3600 * 1000;

/// Record one wrong code of this person.
pub async fn record_failure(db: &Db, user_id: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO factor_failures (user_id, at) VALUES ($1, $2)")
        .bind(user_id)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Wrong codes of this person within the last [`FAILURE_WINDOW_MS`].
pub async fn recent_failures(db: &Db, user_id: &str, now: i64) -> Result<i64, StoreError> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM factor_failures WHERE user_id = $1 AND at > $2")
            .bind(user_id)
            .bind(now - FAILURE_WINDOW_MS)
            .fetch_one(&db.pool)
            .await?;
    Ok(n)
}

/// Consume a challenge after success: `false` if another request consumed it first.
pub async fn consume_challenge(
    conn: &mut sqlx::AnyConnection,
    token_hash: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM factor_challenges WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Replace the code of a challenge (a send or resend), if the throttle allows: at most
/// `max_sends` sends, at least `interval_ms` apart. Extends the challenge to `expires_at`.
/// Runs in the caller's transaction, with the mail.
#[allow(clippy::too_many_arguments)]
pub async fn replace_code(
    conn: &mut sqlx::AnyConnection,
    token_hash: &str,
    code_hash: &str,
    now: i64,
    interval_ms: i64,
    max_sends: i64,
    max_attempts: i64,
    expires_at: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE factor_challenges SET code_hash = $1, method = 'email', sends = sends + 1, \
         last_sent_at = $2, expires_at = $3 WHERE token_hash = $4 AND expires_at > $2 \
         AND attempts < $5 AND sends < $6 AND last_sent_at <= $7",
    )
    .bind(code_hash)
    .bind(now)
    .bind(expires_at)
    .bind(token_hash)
    .bind(max_attempts)
    .bind(max_sends)
    .bind(now - interval_ms)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Remove ended challenges.
pub async fn purge(db: &Db, now: i64) -> Result<u64, StoreError> {
    let a = sqlx::query("DELETE FROM factor_challenges WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    let b = sqlx::query("DELETE FROM trusted_devices WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    let d = sqlx::query("DELETE FROM factor_failures WHERE at <= $1")
        .bind(now - FAILURE_WINDOW_MS)
        .execute(&db.pool)
        .await?;
    // Links to sessions that have ended (logout, timeout, purge).
    let c = sqlx::query("DELETE FROM device_sessions WHERE session_token_hash NOT IN (SELECT token_hash FROM sessions)")
        .execute(&db.pool)
        .await?;
    Ok(a.rows_affected() + b.rows_affected() + c.rows_affected() + d.rows_affected())
}

/// A trusted device.
#[derive(Debug, Clone)]
pub struct Device {
    /// Public id.
    pub id: String,
    /// SHA-256 of the device cookie.
    pub token_hash: String,
    /// Browser user agent when it was confirmed.
    pub user_agent: Option<String>,
    /// Confirmation (ms).
    pub created_at: i64,
    /// Last login through it (ms).
    pub last_seen_at: i64,
}

/// Record a newly confirmed device.
#[allow(clippy::too_many_arguments)]
pub async fn insert_device(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    token_hash: &str,
    user_id: &str,
    user_agent: Option<&str>,
    now: i64,
    expires_at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO trusted_devices (id, token_hash, user_id, user_agent, created_at, \
         last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(id)
    .bind(token_hash)
    .bind(user_id)
    .bind(user_agent)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The live device of this person behind a cookie hash, marked as seen now.
pub async fn use_device(
    db: &Db,
    token_hash: &str,
    user_id: &str,
    now: i64,
) -> Result<Option<String>, StoreError> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT id FROM trusted_devices WHERE token_hash = $1 AND user_id = $2 AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    if let Some(id) = &id {
        sqlx::query("UPDATE trusted_devices SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&db.pool)
            .await?;
    }
    Ok(id)
}

/// A person's live devices, most recently used first.
pub async fn devices(db: &Db, user_id: &str, now: i64) -> Result<Vec<Device>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, token_hash, user_agent, created_at, last_seen_at FROM trusted_devices \
         WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Device {
                id: r.try_get("id")?,
                token_hash: r.try_get("token_hash")?,
                user_agent: r.try_get("user_agent")?,
                created_at: r.try_get("created_at")?,
                last_seen_at: r.try_get("last_seen_at")?,
            })
        })
        .collect()
}

/// Remember that a device opened a session.
pub async fn link_session(
    db: &Db,
    device_id: &str,
    session_token_hash: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO device_sessions (device_id, session_token_hash, created_at) VALUES ($1, $2, $3)")
        .bind(device_id)
        .bind(session_token_hash)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Move the device links of a session to the session replacing it (step-up), so that
/// revoking the device still ends it.
pub async fn relink_session(db: &Db, old_hash: &str, new_hash: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE device_sessions SET session_token_hash = $1 WHERE session_token_hash = $2")
        .bind(new_hash)
        .bind(old_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Remove one of a person's devices; returns the token hashes of the sessions it opened
/// (`None` when the device is not theirs).
pub async fn revoke_device(
    db: &Db,
    user_id: &str,
    device_id: &str,
) -> Result<Option<Vec<String>>, StoreError> {
    let mut tx = db.pool.begin().await?;
    let gone = sqlx::query("DELETE FROM trusted_devices WHERE id = $1 AND user_id = $2")
        .bind(device_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if gone.rows_affected() != 1 {
        return Ok(None);
    }
    let sessions: Vec<String> =
        sqlx::query_scalar("SELECT session_token_hash FROM device_sessions WHERE device_id = $1")
            .bind(device_id)
            .fetch_all(&mut *tx)
            .await?;
    sqlx::query("DELETE FROM device_sessions WHERE device_id = $1")
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(sessions))
}

/// A person's authenticator app.
#[derive(Clone)]
pub struct TotpRow {
    /// Name given by the person.
    pub name: String,
    /// Sealed secret.
    pub secret_sealed: String,
    /// Confirmed by a first code.
    pub confirmed: bool,
    /// Highest time step accepted.
    pub last_step: i64,
}

/// The person's authenticator app, confirmed or not.
pub async fn totp(db: &Db, user_id: &str) -> Result<Option<TotpRow>, StoreError> {
    let row = sqlx::query(
        "SELECT name, secret_sealed, confirmed, last_step FROM totp_factors WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok(TotpRow {
            name: r.try_get("name")?,
            secret_sealed: r.try_get("secret_sealed")?,
            confirmed: r.try_get::<i64, _>("confirmed")? != 0,
            last_step: r.try_get("last_step")?,
        })
    })
    .transpose()
}

/// Start an enrollment, replacing an unconfirmed one; `false` when a confirmed app exists.
pub async fn start_totp(
    db: &Db,
    user_id: &str,
    name: &str,
    secret_sealed: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("DELETE FROM totp_factors WHERE user_id = $1 AND confirmed = 0")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT confirmed FROM totp_factors WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    if exists.is_some() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO totp_factors (user_id, name, secret_sealed, confirmed, last_step, created_at) \
         VALUES ($1, $2, $3, 0, 0, $4)",
    )
    .bind(user_id)
    .bind(name)
    .bind(secret_sealed)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Accept time step `step` for this person's app (confirming it when `confirm`): `false`
/// when a step at or after it was already used (a replay) or there is no such app.
pub async fn accept_totp_step(
    db: &Db,
    user_id: &str,
    step: i64,
    confirm: bool,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE totp_factors SET last_step = $1, confirmed = 1 WHERE user_id = $2 \
         AND last_step < $1 AND confirmed = $3",
    )
    .bind(step)
    .bind(user_id)
    .bind(if confirm { 0i64 } else { 1i64 })
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Remove the person's app.
pub async fn delete_totp(db: &Db, user_id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM totp_factors WHERE user_id = $1")
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Record a person's language (`fr`, `nl`, `en`) for pages and mails.
pub async fn set_locale(db: &Db, user_id: &str, locale: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET locale = $1, updated_at = $2 WHERE id = $3")
        .bind(locale)
        .bind(now)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}
