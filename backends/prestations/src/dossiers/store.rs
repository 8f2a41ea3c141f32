//! SQL for dossiers: rows, competences, history, references. Changes are compare-and-set
//! on `version`; a deletion is a conditional delete on status 01.

use chrono::NaiveDate;
use sqlx::{AnyConnection, AnyPool, Row};

use super::{Competence, DossierStatus};

/// A dossier with its competences.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Dossier {
    /// Id.
    pub id: String,
    /// Human reference, `CE-2026-000001`.
    pub reference: String,
    /// The provider's structure id.
    pub provider_structure_id: String,
    /// The provider's enterprise number.
    pub provider_number: String,
    /// The provider's name.
    pub provider_name: String,
    /// The beneficiary's enterprise number (10 digits).
    pub beneficiary_number: String,
    /// The beneficiary's name.
    pub beneficiary_name: String,
    /// Cheque code.
    pub cheque_code: String,
    /// Status.
    pub status: DossierStatus,
    /// The dossier it was copied from.
    pub duplicated_from: Option<String>,
    /// Reason of a refusal or cancellation.
    pub decision_note: Option<String>,
    /// Optimistic-lock version.
    pub version: i64,
    /// Who created it.
    pub created_by: String,
    /// Created (unix ms).
    pub created_at: i64,
    /// Changed (unix ms).
    pub updated_at: i64,
    /// Competences.
    pub competences: Vec<Competence>,
    /// Planned start of the prestation (none for dossiers from before the rule).
    pub start_date: Option<NaiveDate>,
    /// Last day to submit: the start date, or the date a regularisation granted.
    pub submit_by: Option<NaiveDate>,
    /// The subcontractor's enterprise number.
    pub subcontractor_number: Option<String>,
    /// The subcontractor's name.
    pub subcontractor_name: Option<String>,
    /// Whether the platform knew the subcontractor when it was chosen.
    pub subcontractor_known: bool,
}

const COLUMNS: &str = "id, reference, provider_structure_id, provider_number, provider_name, \
    beneficiary_number, beneficiary_name, cheque_code, status, duplicated_from, decision_note, \
    version, created_by, created_at, updated_at, start_date, submit_by, subcontractor_number, \
    subcontractor_name, subcontractor_known";

fn day(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

fn day_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Dossier, sqlx::Error> {
    let status: String = row.try_get("status")?;
    Ok(Dossier {
        id: row.try_get("id")?,
        reference: row.try_get("reference")?,
        provider_structure_id: row.try_get("provider_structure_id")?,
        provider_number: row.try_get("provider_number")?,
        provider_name: row.try_get("provider_name")?,
        beneficiary_number: row.try_get("beneficiary_number")?,
        beneficiary_name: row.try_get("beneficiary_name")?,
        cheque_code: row.try_get("cheque_code")?,
        status: DossierStatus::parse(&status)
            .ok_or_else(|| sqlx::Error::Decode("stored dossier has a bad status".into()))?,
        duplicated_from: row.try_get("duplicated_from")?,
        decision_note: row.try_get("decision_note")?,
        version: row.try_get("version")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        competences: Vec::new(),
        start_date: day(row.try_get("start_date")?),
        submit_by: day(row.try_get("submit_by")?),
        subcontractor_number: row.try_get("subcontractor_number")?,
        subcontractor_name: row.try_get("subcontractor_name")?,
        subcontractor_known: row.try_get::<i64, _>("subcontractor_known")? != 0,
    })
}

/// Next reference of `year` (gapless within a year, taken inside the transaction).
pub async fn next_reference(conn: &mut AnyConnection, year: i32) -> Result<String, sqlx::Error> {
    let n = crate::store::next_counter(conn, &format!("dossier:{year}")).await?;
    Ok(format!("CE-{year}-{n:06}"))
}

/// Insert a dossier and its competences.
pub async fn insert(conn: &mut AnyConnection, d: &Dossier) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO dossiers ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13, $14, $15, $16, $17, $18, $19, $20)"
    ))
    .bind(&d.id)
    .bind(&d.reference)
    .bind(&d.provider_structure_id)
    .bind(&d.provider_number)
    .bind(&d.provider_name)
    .bind(&d.beneficiary_number)
    .bind(&d.beneficiary_name)
    .bind(&d.cheque_code)
    .bind(d.status.code())
    .bind(&d.duplicated_from)
    .bind(&d.decision_note)
    .bind(d.version)
    .bind(&d.created_by)
    .bind(d.created_at)
    .bind(d.updated_at)
    .bind(day_text(d.start_date))
    .bind(day_text(d.submit_by))
    .bind(&d.subcontractor_number)
    .bind(&d.subcontractor_name)
    .bind(i64::from(d.subcontractor_known))
    .execute(&mut *conn)
    .await?;
    put_competences(conn, &d.id, &d.competences).await
}

async fn put_competences(
    conn: &mut AnyConnection,
    id: &str,
    competences: &[Competence],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM dossier_competences WHERE dossier_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for c in competences {
        sqlx::query(
            "INSERT INTO dossier_competences (dossier_id, competence_code, weight, description) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(&c.code)
        .bind(c.weight)
        .bind(&c.description)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Write `next` if the stored dossier is still at `expected` version and in `from` status.
pub async fn compare_and_set(
    conn: &mut AnyConnection,
    expected: i64,
    from: DossierStatus,
    next: &Dossier,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE dossiers SET beneficiary_number = $1, beneficiary_name = $2, cheque_code = $3, \
         status = $4, decision_note = $5, version = $6, updated_at = $7, start_date = $8, \
         submit_by = $9, subcontractor_number = $10, subcontractor_name = $11, \
         subcontractor_known = $12 WHERE id = $13 AND version = $14 AND status = $15",
    )
    .bind(&next.beneficiary_number)
    .bind(&next.beneficiary_name)
    .bind(&next.cheque_code)
    .bind(next.status.code())
    .bind(&next.decision_note)
    .bind(next.version)
    .bind(next.updated_at)
    .bind(day_text(next.start_date))
    .bind(day_text(next.submit_by))
    .bind(&next.subcontractor_number)
    .bind(&next.subcontractor_name)
    .bind(i64::from(next.subcontractor_known))
    .bind(&next.id)
    .bind(expected)
    .bind(from.code())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    put_competences(conn, &next.id, &next.competences).await?;
    Ok(true)
}

/// Delete a dossier still in 01 at `expected` version.
pub async fn delete(
    conn: &mut AnyConnection,
    id: &str,
    expected: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM dossiers WHERE id = $1 AND version = $2 AND status = '01'")
        .bind(id)
        .bind(expected)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// One dossier with its competences.
pub async fn get(pool: &AnyPool, id: &str) -> Result<Option<Dossier>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM dossiers WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut d = from_row(&row)?;
    let rows = sqlx::query(
        "SELECT competence_code, weight, description FROM dossier_competences \
         WHERE dossier_id = $1 ORDER BY weight DESC, competence_code",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    for r in rows {
        d.competences.push(Competence {
            code: r.try_get("competence_code")?,
            weight: r.try_get("weight")?,
            description: r.try_get("description")?,
        });
    }
    Ok(Some(d))
}

/// Dossiers of a provider structure, and (for the administration) every submitted one and
/// every one with a regularisation request.
pub async fn list(
    pool: &AnyPool,
    provider_structure: Option<&str>,
    administration: bool,
) -> Result<Vec<Dossier>, sqlx::Error> {
    let rows = match (provider_structure, administration) {
        (Some(s), true) => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM dossiers WHERE provider_structure_id = $1 OR status <> '01' \
                 OR id IN (SELECT dossier_id FROM dossier_regularisations) \
                 ORDER BY updated_at DESC LIMIT 500"
            ))
            .bind(s)
            .fetch_all(pool)
            .await?
        }
        (Some(s), false) => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM dossiers WHERE provider_structure_id = $1 ORDER BY updated_at DESC LIMIT 500"
            ))
            .bind(s)
            .fetch_all(pool)
            .await?
        }
        (None, true) => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM dossiers WHERE status <> '01' \
                 OR id IN (SELECT dossier_id FROM dossier_regularisations) \
                 ORDER BY updated_at DESC LIMIT 500"
            ))
            .fetch_all(pool)
            .await?
        }
        (None, false) => Vec::new(),
    };
    rows.iter().map(from_row).collect()
}

/// The dossiers a provider introduced for one beneficiary (its record lists them).
pub async fn of_beneficiary(
    pool: &AnyPool,
    provider_structure: &str,
    beneficiary_number: &str,
) -> Result<Vec<Dossier>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM dossiers WHERE provider_structure_id = $1 AND beneficiary_number = $2 \
         ORDER BY updated_at DESC LIMIT 500"
    ))
    .bind(provider_structure)
    .bind(beneficiary_number)
    .fetch_all(pool)
    .await?;
    rows.iter().map(from_row).collect()
}

/// A history line.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct DossierEvent {
    /// Order.
    pub seq: i64,
    /// When (unix ms).
    pub at: i64,
    /// Who (gateway id).
    pub actor_id: String,
    /// Their name.
    pub actor_name: String,
    /// What.
    pub action: String,
    /// Before.
    pub from_status: Option<String>,
    /// After (none for a deletion).
    pub to_status: Option<String>,
    /// Reason or detail.
    pub note: Option<String>,
}

/// Append a history line.
#[allow(clippy::too_many_arguments)]
pub async fn add_event(
    conn: &mut AnyConnection,
    dossier_id: &str,
    at: i64,
    actor: (&str, &str),
    action: &str,
    from: Option<DossierStatus>,
    to: Option<DossierStatus>,
    note: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO dossier_events (dossier_id, seq, at, actor_id, actor_name, action, from_status, \
         to_status, note) SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8 \
         FROM dossier_events WHERE dossier_id = $1",
    )
    .bind(dossier_id)
    .bind(at)
    .bind(actor.0)
    .bind(actor.1)
    .bind(action)
    .bind(from.map(DossierStatus::code))
    .bind(to.map(DossierStatus::code))
    .bind(note)
    .execute(conn)
    .await?;
    Ok(())
}

/// History of a dossier (also after its deletion), oldest first.
pub async fn events(pool: &AnyPool, dossier_id: &str) -> Result<Vec<DossierEvent>, sqlx::Error> {
    sqlx::query_as(
        "SELECT seq, at, actor_id, actor_name, action, from_status, to_status, note \
         FROM dossier_events WHERE dossier_id = $1 ORDER BY seq",
    )
    .bind(dossier_id)
    .fetch_all(pool)
    .await
}
