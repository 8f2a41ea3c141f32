//! Users of the agency (natural and legal persons), their authorizations with an end of
//! validity chosen at creation or renewal, the agent's filtered and sorted list, and the
//! registration form pre-filled from what the backend already knows.
//!
//! A legal person is shown by its common name (its legal name when it has none) wherever
//! it appears: the user list, vouchers, invoices.

use backend_kit::Caller;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::agency::{Agency, AgencyError, agency_of, date, text};
use crate::texts::refusal;

/// Languages of the scheme's mails and documents.
pub const LANGUAGES: [&str; 4] = ["fr", "nl", "de", "en"];

/// A user as stored.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct User {
    /// Id.
    pub id: String,
    /// The agency.
    pub structure_id: String,
    /// `natural` or `legal`.
    pub kind: String,
    /// Natural person's first name.
    pub first_name: Option<String>,
    /// Natural person's last name.
    pub last_name: Option<String>,
    /// Legal person's registered name.
    pub legal_name: Option<String>,
    /// Legal person's common name (nom commun).
    pub common_name: Option<String>,
    /// Legal person's enterprise number (10 digits).
    pub enterprise_number: Option<String>,
    /// Email, for invoices.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Street and number.
    pub street: Option<String>,
    /// Postcode.
    pub postcode: Option<String>,
    /// Municipality.
    pub city: Option<String>,
    /// `fr`, `nl`, `de` or `en`.
    pub language: String,
    /// Registered (unix ms).
    pub created_at: i64,
}

impl User {
    /// A legal person.
    pub fn is_legal(&self) -> bool {
        self.kind == "legal"
    }

    /// The name shown: common name for a legal person (legal name if none), else
    /// first and last name.
    pub fn display_name(&self) -> String {
        if self.is_legal() {
            text(self.common_name.as_deref())
                .or_else(|| text(self.legal_name.as_deref()))
                .unwrap_or_default()
        } else {
            format!(
                "{} {}",
                self.first_name.as_deref().unwrap_or_default(),
                self.last_name.as_deref().unwrap_or_default()
            )
            .trim()
            .to_owned()
        }
    }

    /// One line of address.
    pub fn address(&self) -> String {
        [
            self.street.as_deref(),
            self.postcode.as_deref(),
            self.city.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    }
}

pub(crate) const USER_COLUMNS: &str = "u.id, u.structure_id, u.kind, u.first_name, u.last_name, u.legal_name, \
    u.common_name, u.enterprise_number, u.email, u.phone, u.street, u.postcode, u.city, u.language, u.created_at";

/// An authorization period.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Authorization {
    /// Id.
    pub id: String,
    /// First day.
    pub valid_from: String,
    /// Last day (end of validity).
    pub valid_until: String,
    /// `creation` or `renewal`.
    pub kind: String,
    /// Recorded (unix ms).
    pub created_at: i64,
}

/// A registration as submitted.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UserInput {
    /// `natural` or `legal`.
    pub kind: String,
    /// Natural person.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Natural person.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Legal person.
    #[serde(default)]
    pub legal_name: Option<String>,
    /// Legal person, optional.
    #[serde(default)]
    pub common_name: Option<String>,
    /// Legal person.
    #[serde(default)]
    pub enterprise_number: Option<String>,
    /// Optional.
    #[serde(default)]
    pub email: Option<String>,
    /// Optional.
    #[serde(default)]
    pub phone: Option<String>,
    /// Optional.
    #[serde(default)]
    pub street: Option<String>,
    /// Optional.
    #[serde(default)]
    pub postcode: Option<String>,
    /// Optional.
    #[serde(default)]
    pub city: Option<String>,
    /// Default `fr`.
    #[serde(default)]
    pub language: Option<String>,
    /// Default today.
    #[serde(default)]
    pub valid_from: Option<String>,
    /// End of validity of the first authorization (required).
    #[serde(default)]
    pub valid_until: Option<String>,
}

/// Contact details that may change.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ContactInput {
    /// Email; setting it mails the invoices not mailed yet.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Common name (legal persons).
    #[serde(default)]
    pub common_name: Option<String>,
    /// Street.
    #[serde(default)]
    pub street: Option<String>,
    /// Postcode.
    #[serde(default)]
    pub postcode: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
}

/// A renewal.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RenewInput {
    /// Default: the day after the current end, or today when it has ended.
    #[serde(default)]
    pub valid_from: Option<String>,
    /// New end of validity (required).
    #[serde(default)]
    pub valid_until: Option<String>,
}

/// The longest authorization accepted, in months.
pub const MAX_AUTHORIZATION_MONTHS: u32 = 60;

fn check_email(email: Option<&str>) -> Result<Option<String>, AgencyError> {
    match text(email) {
        Some(e) if !backend_kit::outbox::is_mail_address(&e) => {
            Err(AgencyError::invalid(refusal("vouchers_refusal_email")))
        }
        other => Ok(other),
    }
}

fn check_period(from: NaiveDate, until: NaiveDate) -> Result<(), AgencyError> {
    if until < from {
        return Err(AgencyError::invalid(refusal("vouchers_refusal_period")));
    }
    let max = from
        .checked_add_months(Months::new(MAX_AUTHORIZATION_MONTHS))
        .unwrap_or(from);
    if until > max {
        return Err(AgencyError::invalid(
            refusal("vouchers_refusal_longest").with("months", MAX_AUTHORIZATION_MONTHS),
        ));
    }
    Ok(())
}

impl Agency {
    /// Register a user with a first authorization and an empty wallet.
    pub async fn register(&self, caller: &Caller, input: &UserInput) -> Result<User, AgencyError> {
        let (structure, _) = agency_of(caller)?;
        let kind = input.kind.trim();
        let legal = match kind {
            "legal" => true,
            "natural" => false,
            _ => return Err(AgencyError::invalid(refusal("vouchers_refusal_kind"))),
        };
        let (first, last, legal_name, common, number) = if legal {
            let name = text(input.legal_name.as_deref())
                .ok_or_else(|| AgencyError::invalid(refusal("vouchers_refusal_legal_name")))?;
            let raw = text(input.enterprise_number.as_deref()).ok_or_else(|| {
                AgencyError::invalid(refusal("vouchers_refusal_enterprise_number"))
            })?;
            let number = backend_kit::ids::enterprise_number(&raw)
                .map_err(|e| AgencyError::invalid(e.text()))?;
            (
                None,
                None,
                Some(name),
                text(input.common_name.as_deref()),
                Some(number),
            )
        } else {
            let first = text(input.first_name.as_deref())
                .ok_or_else(|| AgencyError::invalid(refusal("vouchers_refusal_first_name")))?;
            let last = text(input.last_name.as_deref())
                .ok_or_else(|| AgencyError::invalid(refusal("vouchers_refusal_last_name")))?;
            (Some(first), Some(last), None, None, None)
        };
        let language = text(input.language.as_deref()).unwrap_or_else(|| "fr".to_owned());
        if !LANGUAGES.contains(&language.as_str()) {
            return Err(AgencyError::invalid(refusal("vouchers_refusal_language")));
        }
        let email = check_email(input.email.as_deref())?;
        let from = match text(input.valid_from.as_deref()) {
            Some(t) => date(&t, "valid_from")?,
            None => self.today(),
        };
        let until_text = text(input.valid_until.as_deref())
            .ok_or_else(|| AgencyError::invalid(refusal("vouchers_refusal_valid_until")))?;
        let until = date(&until_text, "valid_until")?;
        check_period(from, until)?;
        if let Some(n) = &number {
            let taken = sqlx::query(
                "SELECT id FROM ale_users WHERE structure_id = $1 AND enterprise_number = $2",
            )
            .bind(&structure)
            .bind(n)
            .fetch_optional(&self.pool)
            .await?;
            if taken.is_some() {
                return Err(AgencyError::conflict(
                    "already_registered",
                    refusal("vouchers_refusal_registered"),
                ));
            }
        }
        let now = self.clock.now_ms();
        let user = User {
            id: backend_kit::db::new_id(),
            structure_id: structure,
            kind: kind.to_owned(),
            first_name: first,
            last_name: last,
            legal_name,
            common_name: common,
            enterprise_number: number,
            email,
            phone: text(input.phone.as_deref()),
            street: text(input.street.as_deref()),
            postcode: text(input.postcode.as_deref()),
            city: text(input.city.as_deref()),
            language,
            created_at: now,
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO ale_users (id, structure_id, kind, first_name, last_name, legal_name, common_name, \
             enterprise_number, email, phone, street, postcode, city, language, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)",
        )
        .bind(&user.id)
        .bind(&user.structure_id)
        .bind(&user.kind)
        .bind(&user.first_name)
        .bind(&user.last_name)
        .bind(&user.legal_name)
        .bind(&user.common_name)
        .bind(&user.enterprise_number)
        .bind(&user.email)
        .bind(&user.phone)
        .bind(&user.street)
        .bind(&user.postcode)
        .bind(&user.city)
        .bind(&user.language)
        .bind(caller.sub())
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| match e.as_database_error() {
            // Two agents registering the same legal person at once: the index decides.
            Some(d) if d.is_unique_violation() => AgencyError::conflict(
                "already_registered",
                refusal("vouchers_refusal_registered"),
            ),
            _ => AgencyError::Db(e),
        })?;
        insert_authorization(
            &mut tx,
            &user.id,
            from,
            until,
            "creation",
            caller.sub(),
            now,
        )
        .await?;
        sqlx::query("INSERT INTO ale_wallets (user_id, balance, updated_at) VALUES ($1, 0, $2)")
            .bind(&user.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// A user of the caller's agency.
    pub async fn user(&self, caller: &Caller, id: &str) -> Result<User, AgencyError> {
        let (structure, _) = agency_of(caller)?;
        sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM ale_users u WHERE u.id = $1 AND u.structure_id = $2"
        ))
        .bind(id)
        .bind(&structure)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(AgencyError::NotFound(crate::agency::Thing::User))
    }

    /// Every authorization of a user, oldest first.
    pub async fn authorizations(&self, user_id: &str) -> Result<Vec<Authorization>, AgencyError> {
        Ok(sqlx::query_as(
            "SELECT id, valid_from, valid_until, kind, created_at FROM ale_authorizations \
             WHERE user_id = $1 ORDER BY valid_from",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Whether an authorization of the user covers `day`.
    pub async fn authorized_on(&self, user_id: &str, day: NaiveDate) -> Result<bool, AgencyError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM ale_authorizations WHERE user_id = $1 AND valid_from <= $2 AND valid_until >= $2",
        )
        .bind(user_id)
        .bind(day.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// Renew: a new period after the current one, with an end of validity chosen now.
    pub async fn renew(
        &self,
        caller: &Caller,
        user_id: &str,
        input: &RenewInput,
    ) -> Result<Authorization, AgencyError> {
        let user = self.user(caller, user_id).await?;
        let existing = self.authorizations(&user.id).await?;
        let last_end = existing
            .iter()
            .filter_map(|a| NaiveDate::parse_from_str(&a.valid_until, "%Y-%m-%d").ok())
            .max();
        let today = self.today();
        let from = match text(input.valid_from.as_deref()) {
            Some(t) => date(&t, "valid_from")?,
            None => match last_end {
                Some(end) if end >= today => end.succ_opt().unwrap_or(end),
                _ => today,
            },
        };
        if let Some(end) = last_end
            && from <= end
        {
            return Err(AgencyError::conflict(
                "overlap",
                refusal("vouchers_refusal_overlap").with("end", end),
            ));
        }
        let until_text = text(input.valid_until.as_deref())
            .ok_or_else(|| AgencyError::invalid(refusal("vouchers_refusal_valid_until")))?;
        let until = date(&until_text, "valid_until")?;
        check_period(from, until)?;
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let id = insert_authorization(&mut tx, &user.id, from, until, "renewal", caller.sub(), now)
            .await?;
        tx.commit().await?;
        Ok(Authorization {
            id,
            valid_from: from.to_string(),
            valid_until: until.to_string(),
            kind: "renewal".to_owned(),
            created_at: now,
        })
    }

    /// Change contact details; an email newly known mails the invoices not mailed yet.
    pub async fn update_contact(
        &self,
        caller: &Caller,
        user_id: &str,
        input: &ContactInput,
    ) -> Result<User, AgencyError> {
        let mut user = self.user(caller, user_id).await?;
        let email = check_email(input.email.as_deref())?;
        user.email = email;
        user.phone = text(input.phone.as_deref());
        user.street = text(input.street.as_deref());
        user.postcode = text(input.postcode.as_deref());
        user.city = text(input.city.as_deref());
        if user.is_legal() {
            user.common_name = text(input.common_name.as_deref());
        }
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE ale_users SET email = $1, phone = $2, street = $3, postcode = $4, city = $5, \
             common_name = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(&user.email)
        .bind(&user.phone)
        .bind(&user.street)
        .bind(&user.postcode)
        .bind(&user.city)
        .bind(&user.common_name)
        .bind(now)
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
        if user.email.is_some() {
            crate::wallet::mail_pending_invoices(&mut tx, &user, now).await?;
        }
        tx.commit().await?;
        Ok(user)
    }
}

async fn insert_authorization(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    from: NaiveDate,
    until: NaiveDate,
    kind: &str,
    by: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = backend_kit::db::new_id();
    sqlx::query(
        "INSERT INTO ale_authorizations (id, user_id, valid_from, valid_until, kind, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(from.to_string())
    .bind(until.to_string())
    .bind(kind)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(id)
}
