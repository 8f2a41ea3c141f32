//! What "My account" keeps of a person: the profile they fill in themselves (beside the
//! names their eID provider gave), their preferences (display, notifications per
//! application, the weekly digest) and the deactivation of their account.

use sqlx::Row;

use super::{Db, StoreError};

/// The person's own profile, every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// Surname.
    pub surname: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Email for notifications (not the login of a local account).
    pub contact_email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Workplace address.
    pub address: Option<String>,
}

/// One field of the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileField {
    /// Surname.
    Surname,
    /// First name.
    FirstName,
    /// Email for notifications.
    ContactEmail,
    /// Phone number.
    Phone,
    /// Workplace address.
    Address,
}

impl ProfileField {
    /// Every field, in the page's order.
    pub const ALL: [Self; 5] = [
        Self::Surname,
        Self::FirstName,
        Self::ContactEmail,
        Self::Phone,
        Self::Address,
    ];

    /// Its column (and form field) name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Surname => "surname",
            Self::FirstName => "first_name",
            Self::ContactEmail => "contact_email",
            Self::Phone => "phone",
            Self::Address => "address",
        }
    }

    /// Its value in `p`.
    pub fn get(self, p: &Profile) -> Option<&str> {
        match self {
            Self::Surname => p.surname.as_deref(),
            Self::FirstName => p.first_name.as_deref(),
            Self::ContactEmail => p.contact_email.as_deref(),
            Self::Phone => p.phone.as_deref(),
            Self::Address => p.address.as_deref(),
        }
    }

    /// Set its value in `p`.
    pub fn set(self, p: &mut Profile, value: Option<String>) {
        let slot = match self {
            Self::Surname => &mut p.surname,
            Self::FirstName => &mut p.first_name,
            Self::ContactEmail => &mut p.contact_email,
            Self::Phone => &mut p.phone,
            Self::Address => &mut p.address,
        };
        *slot = value;
    }
}

/// The names the person's eID provider gave at their last login, if it gave them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderNames {
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
}

/// The person's profile (empty when never filled in).
pub async fn profile(db: &Db, user_id: &str) -> Result<Profile, StoreError> {
    let row = sqlx::query(
        "SELECT surname, first_name, contact_email, phone, address FROM user_profiles \
         WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else {
        return Ok(Profile::default());
    };
    Ok(Profile {
        surname: row.try_get("surname")?,
        first_name: row.try_get("first_name")?,
        contact_email: row.try_get("contact_email")?,
        phone: row.try_get("phone")?,
        address: row.try_get("address")?,
    })
}

/// Store the whole profile (the caller changed only what the person changed).
pub async fn set_profile(db: &Db, user_id: &str, p: &Profile, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO user_profiles (user_id, surname, first_name, contact_email, phone, \
         address, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (user_id) DO UPDATE SET surname = $2, first_name = $3, \
         contact_email = $4, phone = $5, address = $6, updated_at = $7",
    )
    .bind(user_id)
    .bind(&p.surname)
    .bind(&p.first_name)
    .bind(&p.contact_email)
    .bind(&p.phone)
    .bind(&p.address)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The names the provider gave at the person's last login.
pub async fn provider_names(db: &Db, user_id: &str) -> Result<ProviderNames, StoreError> {
    let row = sqlx::query("SELECT idp_given_name, idp_family_name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else {
        return Ok(ProviderNames::default());
    };
    Ok(ProviderNames {
        given_name: row.try_get("idp_given_name")?,
        family_name: row.try_get("idp_family_name")?,
    })
}

/// The person's display and digest preferences.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Preferences {
    /// Larger text.
    pub large_text: bool,
    /// Reduced motion.
    pub reduced_motion: bool,
    /// High contrast.
    pub high_contrast: bool,
    /// The weekly digest of a manager.
    pub weekly_digest: bool,
}

/// The person's preferences (all off when never chosen).
pub async fn preferences(db: &Db, user_id: &str) -> Result<Preferences, StoreError> {
    let row = sqlx::query(
        "SELECT large_text, reduced_motion, high_contrast, weekly_digest FROM user_preferences \
         WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else {
        return Ok(Preferences::default());
    };
    Ok(Preferences {
        large_text: row.try_get::<i64, _>("large_text")? != 0,
        reduced_motion: row.try_get::<i64, _>("reduced_motion")? != 0,
        high_contrast: row.try_get::<i64, _>("high_contrast")? != 0,
        weekly_digest: row.try_get::<i64, _>("weekly_digest")? != 0,
    })
}

/// Store the person's preferences.
pub async fn set_preferences(
    db: &Db,
    user_id: &str,
    p: Preferences,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO user_preferences (user_id, large_text, reduced_motion, high_contrast, \
         weekly_digest, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (user_id) DO UPDATE SET large_text = $2, reduced_motion = $3, \
         high_contrast = $4, weekly_digest = $5, updated_at = $6",
    )
    .bind(user_id)
    .bind(i64::from(p.large_text))
    .bind(i64::from(p.reduced_motion))
    .bind(i64::from(p.high_contrast))
    .bind(i64::from(p.weekly_digest))
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The applications whose notifications the person turned off.
pub async fn muted_applications(db: &Db, user_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT application FROM user_app_notifications WHERE user_id = $1 AND enabled = 0 \
         ORDER BY application",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?)
}

/// Turn one application's notifications on or off.
pub async fn set_notifications(
    db: &Db,
    user_id: &str,
    application: &str,
    enabled: bool,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO user_app_notifications (user_id, application, enabled, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, application) DO UPDATE SET \
         enabled = $3, updated_at = $4",
    )
    .bind(user_id)
    .bind(application)
    .bind(i64::from(enabled))
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Mark the account deactivated: the person can no longer log in. Returns whether it
/// was active.
pub async fn deactivate(db: &Db, user_id: &str, now: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE users SET disabled = 1, deactivated_at = $1, updated_at = $1 \
         WHERE id = $2 AND disabled = 0",
    )
    .bind(now)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Whether the account was deactivated by its person (not merely disabled).
pub async fn deactivated(db: &Db, user_id: &str) -> Result<bool, StoreError> {
    let at: Option<Option<i64>> =
        sqlx::query_scalar("SELECT deactivated_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(at.flatten().is_some())
}

/// Reactivate an account: the person may log in again. Returns whether it existed and
/// was deactivated.
pub async fn reactivate(db: &Db, user_id: &str, now: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE users SET disabled = 0, deactivated_at = NULL, updated_at = $1 \
         WHERE id = $2 AND disabled <> 0",
    )
    .bind(now)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The people who want the weekly digest and got none since `before` (unix ms).
pub async fn digest_due(db: &Db, before: i64) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT p.user_id FROM user_preferences p JOIN users u ON u.id = p.user_id \
         WHERE p.weekly_digest = 1 AND u.disabled = 0 \
         AND (p.digest_sent_at IS NULL OR p.digest_sent_at <= $1) ORDER BY p.user_id",
    )
    .bind(before)
    .fetch_all(&db.pool)
    .await?)
}

/// Record that the person's digest was queued at `now`, inside the queuing transaction.
pub async fn digest_sent(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE user_preferences SET digest_sent_at = $1 WHERE user_id = $2")
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}
