//! How a [`Subject`] is stored (the two columns `user_id`, `nrn_hash` of designations and
//! grants), and the `policy_identities` lookup that turns a pending national-number
//! subject into the account it is linked to.

use sqlx::AnyConnection;

use crate::error::{PolicyError, Result};
use crate::ids::NrnHash;
use crate::model::{Subject, UserId};

/// A subject as the two columns `(user_id, nrn_hash)`.
pub(crate) fn subject_columns(s: &Subject) -> (Option<&str>, Option<&str>) {
    match s {
        Subject::User(u) => (Some(u.as_str()), None),
        Subject::Pending(h) => (None, Some(h.as_str())),
    }
}

/// Read the two columns back.
pub(crate) fn subject_from(user: Option<String>, nrn: Option<String>) -> Result<Subject> {
    match (user, nrn) {
        (Some(u), _) => Ok(Subject::User(UserId(u))),
        (None, Some(h)) => Ok(Subject::Pending(NrnHash(h))),
        (None, None) => Err(PolicyError::Corrupt(
            "subject without user or national number",
        )),
    }
}

/// A pending subject whose national number is linked to an account is that account.
pub(crate) async fn resolve(conn: &mut AnyConnection, subject: &Subject) -> Result<Subject> {
    let Subject::Pending(hash) = subject else {
        return Ok(subject.clone());
    };
    let row: Option<(String,)> =
        sqlx::query_as("SELECT user_id FROM policy_identities WHERE nrn_hash = $1")
            .bind(hash.as_str())
            .fetch_optional(conn)
            .await?;
    Ok(match row {
        Some((u,)) => Subject::User(UserId(u)),
        None => subject.clone(),
    })
}
