//! Tables of local accounts: `local_accounts` (login email, hash, failures, lockout)
//! and `local_links` (mailed one-time links, stored hashed: a password reset, a change
//! of login email, an invitation to an account).

use sqlx::Row;

use crate::store::{Db, StoreError};

/// A local account.
#[derive(Clone)]
pub struct Account {
    /// The person.
    pub user_id: String,
    /// Login email, lower-case.
    pub login_email: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Locked until (ms).
    pub locked_until: i64,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

fn account_from_row(r: &sqlx::any::AnyRow) -> Result<Account, StoreError> {
    Ok(Account {
        user_id: r.try_get("user_id")?,
        login_email: r.try_get("login_email")?,
        password_hash: r.try_get("password_hash")?,
        locked_until: r.try_get("locked_until")?,
    })
}

/// The account whose login is `email` (any case).
pub async fn by_email(db: &Db, email: &str) -> Result<Option<Account>, StoreError> {
    let row = sqlx::query(
        "SELECT user_id, login_email, password_hash, locked_until FROM local_accounts WHERE login_email = $1",
    )
    .bind(email.trim().to_lowercase())
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(account_from_row).transpose()
}

/// The account of a person.
pub async fn by_user(db: &Db, user_id: &str) -> Result<Option<Account>, StoreError> {
    let row = sqlx::query(
        "SELECT user_id, login_email, password_hash, locked_until FROM local_accounts WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(account_from_row).transpose()
}

/// Create a person with a local account; `false` when the email is already a login.
pub async fn create(
    db: &Db,
    user_id: &str,
    email: &str,
    name: &str,
    hash: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let mut tx = db.pool.begin().await?;
    if !create_on(&mut tx, user_id, email, name, hash, now).await? {
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}

/// [`create`] inside the caller's transaction.
pub async fn create_on(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    email: &str,
    name: &str,
    hash: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let email = email.trim().to_lowercase();
    let taken: Option<String> =
        sqlx::query_scalar("SELECT user_id FROM local_accounts WHERE login_email = $1")
            .bind(&email)
            .fetch_optional(&mut *conn)
            .await?;
    if taken.is_some() {
        return Ok(false);
    }
    sqlx::query("INSERT INTO users (id, display_name, email, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)")
        .bind(user_id)
        .bind(name)
        .bind(&email)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO local_accounts (user_id, login_email, password_hash, failures, locked_until, \
         password_changed_at, created_at) VALUES ($1, $2, $3, 0, 0, $4, $4)",
    )
    .bind(user_id)
    .bind(&email)
    .bind(hash)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// Count a wrong password; at `max` in a row the account locks for `lock_ms` (and the
/// count starts again).
pub async fn record_failure(
    db: &Db,
    user_id: &str,
    now: i64,
    max: i64,
    lock_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE local_accounts SET \
         locked_until = CASE WHEN failures + 1 >= $1 THEN $2 ELSE locked_until END, \
         failures = CASE WHEN failures + 1 >= $1 THEN 0 ELSE failures + 1 END \
         WHERE user_id = $3",
    )
    .bind(max)
    .bind(now + lock_ms)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A right password: the failure count starts again.
pub async fn record_success(db: &Db, user_id: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE local_accounts SET failures = 0 WHERE user_id = $1")
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Replace the password (and lift a lockout).
pub async fn set_password(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    hash: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE local_accounts SET password_hash = $1, failures = 0, locked_until = 0, \
         password_changed_at = $2 WHERE user_id = $3",
    )
    .bind(hash)
    .bind(now)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Record a mailed link (for `email`, replacing any pending one: one change at a time).
pub async fn insert_link(
    conn: &mut sqlx::AnyConnection,
    token_hash: &str,
    user_id: &str,
    purpose: &str,
    new_email: Option<&str>,
    now: i64,
    expires_at: i64,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM local_links WHERE user_id = $1 AND purpose = $2")
        .bind(user_id)
        .bind(purpose)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO local_links (token_hash, user_id, purpose, new_email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(purpose)
    .bind(new_email)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The person's live link for `purpose`, if any: (new email, end of validity).
pub async fn pending_link(
    db: &Db,
    user_id: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<(Option<String>, i64)>, StoreError> {
    let row = sqlx::query(
        "SELECT new_email, expires_at FROM local_links \
         WHERE user_id = $1 AND purpose = $2 AND expires_at > $3",
    )
    .bind(user_id)
    .bind(purpose)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    Ok(match row {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
        None => None,
    })
}

/// A live link: (user id, new email). An invitation, which names nobody yet, is not
/// one ([`live_invitation`]).
pub async fn peek_link(
    db: &Db,
    token_hash: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<(String, Option<String>)>, StoreError> {
    Ok(live_link(db, token_hash, purpose, now)
        .await?
        .and_then(|l| Some((l.user_id?, l.new_email))))
}

/// A mailed link as stored.
#[derive(Debug, Clone)]
pub struct Link {
    /// The person (none for an invitation).
    pub user_id: Option<String>,
    /// The new login email, or the invited address.
    pub new_email: Option<String>,
    /// The invited person's name.
    pub name: Option<String>,
    /// The language of the invitation's mail.
    pub lang: Option<String>,
}

/// A live link for `purpose`, if the token is one.
pub async fn live_link(
    db: &Db,
    token_hash: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<Link>, StoreError> {
    let row = sqlx::query(
        "SELECT user_id, new_email, name, lang FROM local_links \
         WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok(Link {
            user_id: r.try_get("user_id")?,
            new_email: r.try_get("new_email")?,
            name: r.try_get("name")?,
            lang: r.try_get("lang")?,
        })
    })
    .transpose()
}

/// A live invitation: its address, the person's name and the mail's language.
pub async fn live_invitation(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> Result<Option<(String, String, Option<String>)>, StoreError> {
    Ok(live_link(db, token_hash, INVITE, now)
        .await?
        .and_then(|l| Some((l.new_email?, l.name.unwrap_or_default(), l.lang))))
}

/// The purpose of an invitation's link.
pub const INVITE: &str = "invite";

/// Record an invitation's link for `email` (replacing any earlier one to that address:
/// the last mail is the one that works).
pub async fn insert_invitation(
    conn: &mut sqlx::AnyConnection,
    token_hash: &str,
    email: &str,
    name: &str,
    lang: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM local_links WHERE new_email = $1 AND purpose = $2")
        .bind(email)
        .bind(INVITE)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO local_links (token_hash, user_id, purpose, new_email, created_at, expires_at, \
         name, lang) VALUES ($1, NULL, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token_hash)
    .bind(INVITE)
    .bind(email)
    .bind(now)
    .bind(expires_at)
    .bind(name)
    .bind(lang)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Use a link once: `false` when already used or ended.
pub async fn take_link(
    conn: &mut sqlx::AnyConnection,
    token_hash: &str,
    purpose: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "DELETE FROM local_links WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Make `email` the login (and contact) address; `false` when another account has it.
pub async fn set_login_email(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    email: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let taken: Option<String> = sqlx::query_scalar(
        "SELECT user_id FROM local_accounts WHERE login_email = $1 AND user_id <> $2",
    )
    .bind(email)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    if taken.is_some() {
        return Ok(false);
    }
    sqlx::query("UPDATE local_accounts SET login_email = $1 WHERE user_id = $2")
        .bind(email)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE users SET email = $1, updated_at = $2 WHERE id = $3")
        .bind(email)
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}
