//! People known to the gateway and the external identities (issuer, subject) linked to
//! them. A national register number is kept only as a keyed hash and a masked form.

use sqlx::Row;

use super::{Db, StoreError};

/// A person, as the gateway knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Stable id, the assertion's `sub`.
    pub id: String,
    /// Name shown to people and backends.
    pub display_name: String,
    /// Contact address, if known.
    pub email: Option<String>,
    /// Masked national register number, if known.
    pub nrn_masked: Option<String>,
    /// Preferred language (`fr`, `nl`, `en`), if chosen.
    pub locale: Option<String>,
    /// A disabled person cannot log in.
    pub disabled: bool,
}

/// What a provider told us at login.
#[derive(Debug, Clone)]
pub struct LoginIdentity {
    /// Issuer URL of the provider.
    pub issuer: String,
    /// Subject at that issuer.
    pub subject: String,
    /// Configured provider id.
    pub provider: String,
    /// Name from the ID token (or the subject when none).
    pub display_name: String,
    /// Email claim, if any.
    pub email: Option<String>,
    /// `given_name` claim, if any (shown read-only on the profile).
    pub given_name: Option<String>,
    /// `family_name` claim, if any (shown read-only on the profile).
    pub family_name: Option<String>,
    /// Keyed hash of the validated national register number, if the provider sent one.
    pub nrn_hash: Option<policy::ids::NrnHash>,
    /// Its masked form.
    pub nrn_masked: Option<String>,
}

const USER_COLUMNS: &str = "id, display_name, email, nrn_masked, locale, disabled";

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<User, StoreError> {
    Ok(User {
        id: row.try_get("id")?,
        display_name: row.try_get("display_name")?,
        email: row.try_get("email")?,
        nrn_masked: row.try_get("nrn_masked")?,
        locale: row.try_get("locale")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
    })
}

/// Find or create the person behind an external identity. Identities are linked by
/// (issuer, subject); a new identity carrying a national register number already known is
/// linked to that person (the number identifies a person across providers).
pub async fn link_login(db: &Db, ident: &LoginIdentity, now: i64) -> Result<User, StoreError> {
    let mut tx = db.pool.begin().await?;
    let existing: Option<String> = sqlx::query_scalar(
        "SELECT user_id FROM user_identities WHERE issuer = $1 AND subject = $2",
    )
    .bind(&ident.issuer)
    .bind(&ident.subject)
    .fetch_optional(&mut *tx)
    .await?;
    let user_id = match existing {
        Some(id) => id,
        None => {
            let by_nrn: Option<String> = match &ident.nrn_hash {
                Some(h) => {
                    sqlx::query_scalar("SELECT id FROM users WHERE nrn_hash = $1")
                        .bind(h.as_str())
                        .fetch_optional(&mut *tx)
                        .await?
                }
                None => None,
            };
            let id = match by_nrn {
                Some(id) => id,
                None => {
                    let id = uuid::Uuid::new_v4().to_string();
                    sqlx::query(
                        "INSERT INTO users (id, display_name, email, nrn_hash, nrn_masked, \
                         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
                    )
                    .bind(&id)
                    .bind(&ident.display_name)
                    .bind(&ident.email)
                    .bind(ident.nrn_hash.as_ref().map(|h| h.as_str().to_owned()))
                    .bind(&ident.nrn_masked)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    id
                }
            };
            sqlx::query(
                "INSERT INTO user_identities (issuer, subject, provider, user_id, created_at, \
                 last_login_at) VALUES ($1, $2, $3, $4, $5, $5)",
            )
            .bind(&ident.issuer)
            .bind(&ident.subject)
            .bind(&ident.provider)
            .bind(&id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            id
        }
    };
    sqlx::query("UPDATE user_identities SET last_login_at = $1 WHERE issuer = $2 AND subject = $3")
        .bind(now)
        .bind(&ident.issuer)
        .bind(&ident.subject)
        .execute(&mut *tx)
        .await?;
    // Refresh what the provider asserts; keep a known email when the provider sends none.
    sqlx::query(
        "UPDATE users SET display_name = $1, email = COALESCE($2, email), updated_at = $3, \
         idp_given_name = $5, idp_family_name = $6 WHERE id = $4",
    )
    .bind(&ident.display_name)
    .bind(&ident.email)
    .bind(now)
    .bind(&user_id)
    .bind(&ident.given_name)
    .bind(&ident.family_name)
    .execute(&mut *tx)
    .await?;
    if let Some(h) = &ident.nrn_hash {
        // Record the number on a person who had none, unless another person holds it.
        sqlx::query(
            "UPDATE users SET nrn_hash = $1, nrn_masked = $2 WHERE id = $3 AND nrn_hash IS NULL \
             AND NOT EXISTS (SELECT 1 FROM users u2 WHERE u2.nrn_hash = $1)",
        )
        .bind(h.as_str())
        .bind(&ident.nrn_masked)
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
    }
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(&user_id)
        .fetch_one(&mut *tx)
        .await?;
    let user = user_from_row(&row)?;
    tx.commit().await?;
    Ok(user)
}

/// The id of the person with this national register number, created (with no login
/// yet) when unknown: a person known before their first login, as a register import
/// knows them (the demo's people). Their first login links to this person by the number
/// (see [`link_login`]), so what other services keep under this id is theirs from then.
pub async fn enrol(
    db: &Db,
    display_name: &str,
    nrn_hash: &policy::ids::NrnHash,
    nrn_masked: &str,
    now: i64,
) -> Result<String, StoreError> {
    if let Some(user) = find_by_nrn(db, nrn_hash).await? {
        return Ok(user.id);
    }
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO users (id, display_name, email, nrn_hash, nrn_masked, created_at, \
         updated_at) VALUES ($1, $2, NULL, $3, $4, $5, $5)",
    )
    .bind(&id)
    .bind(display_name)
    .bind(nrn_hash.as_str())
    .bind(nrn_masked)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// One person by id.
pub async fn get(db: &Db, id: &str) -> Result<Option<User>, StoreError> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(user_from_row).transpose()
}

/// One person by the keyed hash of their national register number.
pub async fn find_by_nrn(db: &Db, hash: &policy::ids::NrnHash) -> Result<Option<User>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE nrn_hash = $1"
    ))
    .bind(hash.as_str())
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(user_from_row).transpose()
}

/// People by email (case-insensitive); several people may share an address.
pub async fn find_by_email(db: &Db, email: &str) -> Result<Vec<User>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE LOWER(email) = LOWER($1) ORDER BY created_at"
    ))
    .bind(email)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(user_from_row).collect()
}

/// People whose name or address contains `text` (case-insensitive), at most `limit`,
/// by name.
pub async fn search(db: &Db, text: &str, limit: u32) -> Result<Vec<User>, StoreError> {
    let mut pattern = String::from("%");
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    let rows = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE LOWER(display_name) LIKE $1 ESCAPE '\\' \
         OR LOWER(COALESCE(email, '')) LIKE $1 ESCAPE '\\' ORDER BY display_name, id LIMIT $2"
    ))
    .bind(pattern)
    .bind(i64::from(limit))
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(user_from_row).collect()
}

/// The organisation the person last acted for, if any.
pub async fn last_structure(db: &Db, user_id: &str) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT last_structure_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(match row {
        Some(r) => r.try_get("last_structure_id")?,
        None => None,
    })
}

/// Remember the organisation the person acts for, for their next login.
pub async fn set_last_structure(
    db: &Db,
    user_id: &str,
    structure_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET last_structure_id = $1 WHERE id = $2")
        .bind(structure_id)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}
