//! The one error type of the policy crate. Messages are safe to show: they never carry
//! a national register number nor a database error's text (that stays in `source`).

use crate::ids::IdError;

/// Result type of this crate.
pub type Result<T, E = PolicyError> = std::result::Result<T, E>;

/// What went wrong in a policy operation.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The actor may not do this here (a manager of another structure, a local manager
    /// outside their services, a right the actor could not exercise...).
    #[error("forbidden: {reason}")]
    Forbidden {
        /// Which rule refused, for the log and the API answer.
        reason: &'static str,
    },
    /// The named object does not exist (or is not visible to the actor).
    #[error("not found: {what}")]
    NotFound {
        /// What kind of object was missing.
        what: &'static str,
    },
    /// The action would leave a structure without a main manager: designate a
    /// replacement first.
    #[error("the last main manager of a structure cannot leave it; designate a replacement first")]
    LastMainManager,
    /// The object already exists or is in a state that does not allow the action.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// Input refused; the message names the field, never echoes a secret.
    #[error("invalid input: {0}")]
    Invalid(String),
    /// An identifier with check digits was refused.
    #[error("invalid identifier: {0}")]
    Id(#[from] IdError),
    /// The database failed.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration error")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Building the casbin model failed.
    #[error("casbin error: {0}")]
    Casbin(String),
    /// The stored data broke an invariant (e.g. an unknown status code).
    #[error("corrupt data: {0}")]
    Corrupt(&'static str),
}

impl PolicyError {
    /// Shorthand for [`PolicyError::Forbidden`].
    pub(crate) fn forbidden(reason: &'static str) -> Self {
        Self::Forbidden { reason }
    }

    /// Shorthand for [`PolicyError::NotFound`].
    pub(crate) fn not_found(what: &'static str) -> Self {
        Self::NotFound { what }
    }

    /// True for [`PolicyError::Forbidden`].
    pub fn is_forbidden(&self) -> bool {
        matches!(self, Self::Forbidden { .. })
    }
}

impl From<casbin::Error> for PolicyError {
    fn from(e: casbin::Error) -> Self {
        Self::Casbin(e.to_string())
    }
}
