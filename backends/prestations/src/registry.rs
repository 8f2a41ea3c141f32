//! The people this backend knows, by gateway `sub`, each with a **voucher-user number**
//! the backend gives them the first time they act here and that is shown to people; and
//! the people each enterprise works with (its clients and its workers).
//!
//! A worker encoding a prestation picks the client by name or by voucher-user number,
//! never by an opaque id: a number is looked up exactly, in the whole registry (the client
//! tells it, as on their vouchers); a name is searched only among the enterprise's own
//! clients and workers, so a name search never lists strangers. An enterprise adds a
//! person to its clients or workers by their number; a prestation adds its client and its
//! worker by itself.
//!
//! A number is 8 digits of sequence and 2 check digits (97 minus the sequence modulo 97),
//! so a mistyped number is refused rather than finding someone else.

use backend_kit::Caller;
use i18n::Lang;
use sqlx::{AnyConnection, AnyPool, Row};

/// A person known to this backend.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Person {
    /// Gateway `sub`.
    pub id: String,
    /// Name, as the gateway last said.
    pub name: String,
    /// Voucher-user number (10 digits).
    pub number: String,
    /// Email the person set for notices.
    pub email: Option<String>,
    /// The person set their own email at least once: the enterprise may no longer set it.
    pub email_self_set: bool,
}

impl Person {
    /// The number as shown: `0000 0042 55`.
    pub fn shown_number(&self) -> String {
        show_number(&self.number)
    }
}

/// A role of a person for an enterprise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Someone the enterprise's workers perform prestations for.
    Client,
    /// Someone who performs the enterprise's prestations.
    Worker,
}

impl Role {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Client => "client",
            Self::Worker => "worker",
        }
    }

    /// From a code.
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "client" => Some(Self::Client),
            "worker" => Some(Self::Worker),
            _ => None,
        }
    }
}

/// Why a typed number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Not 10 digits (spaces, dots, dashes and slashes are allowed between them).
    #[error("a voucher-user number has 10 digits")]
    Length,
    /// The check digits do not match: a typing mistake.
    #[error("the voucher-user number's check digits do not match: check it")]
    Checksum,
}

impl NumberError {
    /// Why, as a refusal a person reads in their language: of the form field `field`
    /// when named.
    pub fn text(&self, field: Option<&'static str>) -> backend_kit::error::Text {
        let key = match (self, field) {
            (Self::Length, Some(_)) => "prestations_refusal_field_number_length",
            (Self::Checksum, Some(_)) => "prestations_refusal_field_number_checksum",
            (Self::Length, None) => "prestations_refusal_number_length",
            (Self::Checksum, None) => "prestations_refusal_number_checksum",
        };
        crate::texts::refusal(key).with("field", field.unwrap_or_default())
    }
}

/// The 10 digits of sequence `n`.
pub fn number_of(n: i64) -> String {
    format!("{n:08}{:02}", 97 - n.rem_euclid(97))
}

/// Normalise a typed number to its 10 digits.
pub fn parse_number(text: &str) -> Result<String, NumberError> {
    let mut digits = String::with_capacity(10);
    for c in text.trim().chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '.' | '-' | '/' => {}
            _ => return Err(NumberError::Length),
        }
    }
    if digits.len() != 10 {
        return Err(NumberError::Length);
    }
    let body: i64 = digits[..8].parse().map_err(|_| NumberError::Length)?;
    if number_of(body) == digits {
        Ok(digits)
    } else {
        Err(NumberError::Checksum)
    }
}

/// `0000 0042 55` for display.
pub fn show_number(digits: &str) -> String {
    if digits.len() == 10 && digits.chars().all(|c| c.is_ascii_digit()) {
        format!("{} {} {}", &digits[..4], &digits[4..8], &digits[8..])
    } else {
        digits.to_owned()
    }
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Person, sqlx::Error> {
    Ok(Person {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        number: row
            .try_get::<Option<String>, _>("number")?
            .unwrap_or_default(),
        email: row.try_get("email")?,
        email_self_set: row.try_get::<i64, _>("email_self_set")? != 0,
    })
}

const PERSON: &str = "SELECT id, name, number, email, email_self_set FROM prestation_people";

/// Record the person (or refresh their name) and give them a number if they have none.
/// Call inside the transaction of what they do.
pub async fn ensure(
    conn: &mut AnyConnection,
    id: &str,
    name: &str,
    now: i64,
) -> Result<Person, sqlx::Error> {
    sqlx::query(
        "INSERT INTO prestation_people (id, name, email, updated_at) VALUES ($1, $2, NULL, $3) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(name)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let mut person = get(conn, id)
        .await?
        .ok_or_else(|| sqlx::Error::RowNotFound)?;
    if person.number.is_empty() {
        let n = crate::store::next_counter(conn, "voucher-user").await?;
        let number = number_of(n);
        // Only a row still without a number takes it: two first visits at once give one.
        sqlx::query("UPDATE prestation_people SET number = $1 WHERE id = $2 AND number IS NULL")
            .bind(&number)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        person = get(conn, id)
            .await?
            .ok_or_else(|| sqlx::Error::RowNotFound)?;
    }
    Ok(person)
}

/// [`ensure`] in its own transaction (a visit to a page); a read only when the person is
/// known with their number and name already.
pub async fn ensure_now(
    pool: &AnyPool,
    id: &str,
    name: &str,
    now: i64,
) -> Result<Person, sqlx::Error> {
    {
        let mut conn = pool.acquire().await?;
        if let Some(known) = get(&mut conn, id).await?
            && !known.number.is_empty()
            && known.name == name
        {
            return Ok(known);
        }
    }
    let mut tx = pool.begin().await?;
    let person = ensure(&mut tx, id, name, now).await?;
    tx.commit().await?;
    Ok(person)
}

/// The language of `id`'s mails: the language of their pages at their last visit;
/// English until known.
pub async fn lang_of(conn: &mut AnyConnection, id: &str) -> Result<Lang, sqlx::Error> {
    let lang: Option<Option<String>> =
        sqlx::query_scalar("SELECT lang FROM prestation_people WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(lang
        .flatten()
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or(Lang::En))
}

/// [`ensure_now`] for a visit of `caller`, who is also remembered to read `caller`'s
/// language (for their mails); written only when it changed.
pub async fn visit(pool: &AnyPool, caller: &Caller, now: i64) -> Result<Person, sqlx::Error> {
    let person = ensure_now(pool, caller.sub(), caller.name(), now).await?;
    let lang = caller.lang().code();
    sqlx::query(
        "UPDATE prestation_people SET lang = $1 WHERE id = $2 AND (lang IS NULL OR lang <> $1)",
    )
    .bind(lang)
    .bind(caller.sub())
    .execute(pool)
    .await?;
    Ok(person)
}

/// A person by id.
pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<Person>, sqlx::Error> {
    let row = sqlx::query(&format!("{PERSON} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// A person by their (normalised) number.
pub async fn by_number(
    conn: &mut AnyConnection,
    number: &str,
) -> Result<Option<Person>, sqlx::Error> {
    let row = sqlx::query(&format!("{PERSON} WHERE number = $1"))
        .bind(number)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The person's own email (`None` removes it). Once set by the person, the enterprise may
/// no longer set it.
pub async fn set_own_email(
    conn: &mut AnyConnection,
    id: &str,
    email: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE prestation_people SET email = $1, email_self_set = 1, updated_at = $2 WHERE id = $3",
    )
    .bind(email)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Add `person` to the enterprise's clients or workers (nothing when already there).
pub async fn relate(
    conn: &mut AnyConnection,
    structure_id: &str,
    person_id: &str,
    role: Role,
    by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO prestation_relations (structure_id, person_id, role, email, added_by, added_at, updated_at) \
         VALUES ($1, $2, $3, NULL, $4, $5, $5) ON CONFLICT (structure_id, role, person_id) DO NOTHING",
    )
    .bind(structure_id)
    .bind(person_id)
    .bind(role.code())
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether `person` is in the enterprise's list for `role`.
pub async fn is_related(
    conn: &mut AnyConnection,
    structure_id: &str,
    person_id: &str,
    role: Role,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM prestation_relations WHERE structure_id = $1 AND person_id = $2 AND role = $3",
    )
    .bind(structure_id)
    .bind(person_id)
    .bind(role.code())
    .fetch_one(conn)
    .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// One person of an enterprise's list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Related {
    /// The person.
    pub person: Person,
    /// Their number as shown.
    pub shown_number: String,
    /// The email the enterprise set for them (workers).
    pub enterprise_email: Option<String>,
}

/// The enterprise's clients or workers whose name contains `name` (all when empty), or the
/// one person with number `number` when given (they need not be in the list yet).
pub async fn search(
    pool: &AnyPool,
    structure_id: &str,
    role: Role,
    query: &str,
) -> Result<Result<Vec<Related>, NumberError>, sqlx::Error> {
    let query = query.trim();
    let looks_like_number = !query.is_empty()
        && query
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '/'));
    if looks_like_number {
        let number = match parse_number(query) {
            Ok(n) => n,
            Err(e) => return Ok(Err(e)),
        };
        let mut conn = pool.acquire().await?;
        let Some(person) = by_number(&mut conn, &number).await? else {
            return Ok(Ok(Vec::new()));
        };
        let email = enterprise_email(&mut conn, structure_id, &person.id).await?;
        return Ok(Ok(vec![Related {
            shown_number: person.shown_number(),
            person,
            enterprise_email: email,
        }]));
    }
    let cleaned: String = query
        .chars()
        .filter(|c| !matches!(c, '%' | '_'))
        .collect::<String>()
        .to_lowercase();
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.number, p.email, p.email_self_set, r.email AS enterprise_email \
         FROM prestation_relations r JOIN prestation_people p ON p.id = r.person_id \
         WHERE r.structure_id = $1 AND r.role = $2 AND LOWER(p.name) LIKE $3 \
         ORDER BY p.name, p.number LIMIT 50",
    )
    .bind(structure_id)
    .bind(role.code())
    .bind(format!("%{cleaned}%"))
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let person = from_row(row)?;
        out.push(Related {
            shown_number: person.shown_number(),
            enterprise_email: row.try_get("enterprise_email")?,
            person,
        });
    }
    Ok(Ok(out))
}

/// The email the enterprise set for one of its workers.
pub async fn enterprise_email(
    conn: &mut AnyConnection,
    structure_id: &str,
    person_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT email FROM prestation_relations WHERE structure_id = $1 AND person_id = $2 AND role = 'worker'",
    )
    .bind(structure_id)
    .bind(person_id)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some(r) => r.try_get("email")?,
        None => None,
    })
}

/// Set the email the enterprise knows for one of its workers.
pub async fn set_enterprise_email(
    conn: &mut AnyConnection,
    structure_id: &str,
    person_id: &str,
    email: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE prestation_relations SET email = $1, updated_at = $2 \
         WHERE structure_id = $3 AND person_id = $4 AND role = 'worker'",
    )
    .bind(email)
    .bind(now)
    .bind(structure_id)
    .bind(person_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Where a notice to the worker of a prestation of `structure_id` goes: the worker's own
/// email, else the one their enterprise set.
pub async fn worker_address(
    conn: &mut AnyConnection,
    structure_id: &str,
    person_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let own = get(conn, person_id).await?.and_then(|p| p.email);
    match own {
        Some(e) => Ok(Some(e)),
        None => enterprise_email(conn, structure_id, person_id).await,
    }
}

/// Where a notice to a person about their own prestations goes: their own email only.
pub async fn own_address(
    conn: &mut AnyConnection,
    person_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    Ok(get(conn, person_id).await?.and_then(|p| p.email))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_carry_check_digits() {
        assert_eq!(number_of(1), "0000000196");
        assert_eq!(number_of(97), "0000009797");
        assert_eq!(parse_number("0000 0001 96"), Ok("0000000196".to_owned()));
        assert_eq!(parse_number("00000001-96"), Ok("0000000196".to_owned()));
        assert_eq!(parse_number("0000000195"), Err(NumberError::Checksum));
        assert_eq!(parse_number("00000001"), Err(NumberError::Length));
        assert_eq!(parse_number("0000x00196"), Err(NumberError::Length));
        assert_eq!(show_number("0000000196"), "0000 0001 96");
        for n in [1, 42, 96, 97, 98, 12_345_678] {
            assert_eq!(parse_number(&number_of(n)), Ok(number_of(n)));
        }
    }
}
