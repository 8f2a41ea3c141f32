//! The agency's rules over one database: the service every handler calls. Its methods
//! live in the domain modules (`users`, `providers`, `wallet`, `work`); each takes the
//! verified caller and works only inside the caller's active structure (the agency).

use std::sync::Arc;

use backend_kit::error::Message;
use backend_kit::{ApiError, Caller, Clock};

use crate::texts::refusal;
use chrono::NaiveDate;
use sqlx::AnyPool;

/// Why an operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum AgencyError {
    /// Bad input; the message names the field.
    #[error("{0}")]
    Invalid(Message),
    /// Not allowed.
    #[error("{0}")]
    Forbidden(Message),
    /// Unknown, or another agency's.
    #[error("no such {0}")]
    NotFound(Thing),
    /// The state forbids it; nothing changed.
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: &'static str,
        /// Why.
        message: Message,
    },
    /// Storage failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl AgencyError {
    pub(crate) fn invalid(m: impl Into<Message>) -> Self {
        Self::Invalid(m.into())
    }

    pub(crate) fn conflict(code: &'static str, m: impl Into<Message>) -> Self {
        Self::Conflict {
            code,
            message: m.into(),
        }
    }
}

impl From<AgencyError> for ApiError {
    fn from(e: AgencyError) -> Self {
        match e {
            AgencyError::Invalid(m) => ApiError::Invalid(m),
            AgencyError::Forbidden(m) => ApiError::Forbidden(m),
            AgencyError::NotFound(what) => ApiError::not_found(not_found(what)),
            AgencyError::Conflict { code, message } => ApiError::conflict(code, message),
            AgencyError::Db(d) => d.into(),
        }
    }
}

/// The agency rules.
#[derive(Clone)]
pub struct Agency {
    pub(crate) pool: AnyPool,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) voucher_price_cents: i64,
    pub(crate) authorization_months: u32,
    pub(crate) electronic_start: NaiveDate,
}

/// The agency (gateway structure) the caller acts for; never one for a person acting as
/// themselves, whatever the assertion names.
pub(crate) fn agency_of(caller: &Caller) -> Result<(String, String), AgencyError> {
    caller
        .0
        .organisation()
        .map(|s| (s.id.clone(), s.name.clone()))
        .ok_or_else(|| AgencyError::Forbidden(refusal("vouchers_refusal_choose_agency").into()))
}

/// Parse a `YYYY-MM-DD` field.
pub(crate) fn date(text: &str, field: &str) -> Result<NaiveDate, AgencyError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AgencyError::invalid(refusal("vouchers_refusal_date").with("field", field)))
}

/// What an agency holds, as [`AgencyError::NotFound`] names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thing {
    /// A prestation.
    Prestation,
    /// A provider.
    Provider,
    /// A user.
    User,
    /// An invoice.
    Invoice,
}

impl std::fmt::Display for Thing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Prestation => "prestation",
            Self::Provider => "provider",
            Self::User => "user",
            Self::Invoice => "invoice",
        })
    }
}

/// "No such ..." for what [`AgencyError::NotFound`] names.
fn not_found(what: Thing) -> backend_kit::error::Text {
    refusal(match what {
        Thing::Prestation => "vouchers_refusal_no_prestation",
        Thing::Provider => "vouchers_refusal_no_provider",
        Thing::User => "vouchers_refusal_no_user",
        Thing::Invoice => "vouchers_refusal_no_invoice",
    })
}

/// "Choose a ..." for what [`AgencyError::NotFound`] names, on the form that asked for it.
pub(crate) fn choose(what: Thing) -> backend_kit::error::Text {
    refusal(match what {
        Thing::Provider => "vouchers_refusal_choose_provider",
        _ => "vouchers_refusal_choose_user",
    })
}

/// `Some(trimmed)` unless blank.
pub(crate) fn text(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Euros from cents, `12.50`.
pub fn euros(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

impl Agency {
    /// Today in Brussels.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The database pool.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub(crate) async fn next_counter(
        conn: &mut sqlx::AnyConnection,
        scope: &str,
        by: i64,
    ) -> Result<i64, sqlx::Error> {
        use sqlx::Row;
        sqlx::query(
            "INSERT INTO ale_counters (scope, next) VALUES ($1, 0) ON CONFLICT (scope) DO NOTHING",
        )
        .bind(scope)
        .execute(&mut *conn)
        .await?;
        let row =
            sqlx::query("UPDATE ale_counters SET next = next + $2 WHERE scope = $1 RETURNING next")
                .bind(scope)
                .bind(by)
                .fetch_one(&mut *conn)
                .await?;
        row.try_get("next")
    }
}
