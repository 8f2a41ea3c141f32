//! SQL for prestations and their history (the people this backend knows are in
//! [`crate::registry`]). Every change is a compare-and-set on the row's `version`, so two
//! writers (two nodes, a person and the scheduler, a retry after a crash) can never both
//! apply a change to the same state. Write transactions start with a write so SQLite takes
//! its lock at once.

use chrono::NaiveDate;
use sqlx::{AnyConnection, AnyPool, Row};

use crate::model::{Activity, Deadlines, Event, Prestation};
use crate::status::{Actor, Status};

const COLUMNS: &str = "id, structure_id, enterprise_number, enterprise_name, worker_id, \
    worker_name, user_id, user_name, work_date, minutes, activity, status, encoded_by, \
    encoded_by_id, corrected_by, validation_due, user_stage_from, next_reminder_on, \
    reminders_sent, confirm_due, auto_confirmed, version, created_at, updated_at, \
    worker_number, user_number, user_confirmed";

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn corrupt(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored prestation has a bad {what}").into())
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Prestation, sqlx::Error> {
    let work_date: String = row.try_get("work_date")?;
    let status: String = row.try_get("status")?;
    let activity: String = row.try_get("activity")?;
    let encoded_by: String = row.try_get("encoded_by")?;
    let corrected_by: Option<String> = row.try_get("corrected_by")?;
    Ok(Prestation {
        id: row.try_get("id")?,
        structure_id: row.try_get("structure_id")?,
        enterprise_number: row.try_get("enterprise_number")?,
        enterprise_name: row.try_get("enterprise_name")?,
        worker_id: row.try_get("worker_id")?,
        worker_name: row.try_get("worker_name")?,
        worker_number: row.try_get("worker_number")?,
        user_id: row.try_get("user_id")?,
        user_name: row.try_get("user_name")?,
        user_number: row.try_get("user_number")?,
        work_date: date(Some(work_date)).ok_or_else(|| corrupt("date"))?,
        minutes: row.try_get("minutes")?,
        activity: Activity::parse(&activity).ok_or_else(|| corrupt("activity"))?,
        status: Status::parse(&status).ok_or_else(|| corrupt("status"))?,
        encoded_by: Actor::parse(&encoded_by).ok_or_else(|| corrupt("encoder"))?,
        encoded_by_id: row.try_get("encoded_by_id")?,
        corrected_by: corrected_by.as_deref().and_then(Actor::parse),
        deadlines: Deadlines {
            validation_due: date(row.try_get("validation_due")?),
            user_stage_from: date(row.try_get("user_stage_from")?),
            next_reminder_on: date(row.try_get("next_reminder_on")?),
            reminders_sent: row.try_get("reminders_sent")?,
            confirm_due: date(row.try_get("confirm_due")?),
        },
        auto_confirmed: row.try_get::<i64, _>("auto_confirmed")? != 0,
        user_confirmed: row.try_get::<i64, _>("user_confirmed")? != 0,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Insert a new prestation (version 1).
pub async fn insert(conn: &mut AnyConnection, p: &Prestation) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO prestations ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)"
    ))
    .bind(&p.id)
    .bind(&p.structure_id)
    .bind(&p.enterprise_number)
    .bind(&p.enterprise_name)
    .bind(&p.worker_id)
    .bind(&p.worker_name)
    .bind(&p.user_id)
    .bind(&p.user_name)
    .bind(p.work_date.format("%Y-%m-%d").to_string())
    .bind(p.minutes)
    .bind(p.activity.code())
    .bind(p.status.code())
    .bind(p.encoded_by.code())
    .bind(&p.encoded_by_id)
    .bind(p.corrected_by.map(Actor::code))
    .bind(date_text(p.deadlines.validation_due))
    .bind(date_text(p.deadlines.user_stage_from))
    .bind(date_text(p.deadlines.next_reminder_on))
    .bind(p.deadlines.reminders_sent)
    .bind(date_text(p.deadlines.confirm_due))
    .bind(i64::from(p.auto_confirmed))
    .bind(p.version)
    .bind(p.created_at)
    .bind(p.updated_at)
    .bind(&p.worker_number)
    .bind(&p.user_number)
    .bind(i64::from(p.user_confirmed))
    .execute(conn)
    .await?;
    Ok(())
}

/// Write `next` over the stored row if it is still at version `expected`; `next.version`
/// must be `expected + 1`. Returns false when someone changed it first.
pub async fn compare_and_set(
    conn: &mut AnyConnection,
    expected: i64,
    next: &Prestation,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE prestations SET work_date = $1, minutes = $2, activity = $3, status = $4, \
         corrected_by = $5, validation_due = $6, user_stage_from = $7, next_reminder_on = $8, \
         reminders_sent = $9, confirm_due = $10, auto_confirmed = $11, version = $12, \
         updated_at = $13, user_id = $14, user_name = $15, user_confirmed = $16 \
         WHERE id = $17 AND version = $18",
    )
    .bind(next.work_date.format("%Y-%m-%d").to_string())
    .bind(next.minutes)
    .bind(next.activity.code())
    .bind(next.status.code())
    .bind(next.corrected_by.map(Actor::code))
    .bind(date_text(next.deadlines.validation_due))
    .bind(date_text(next.deadlines.user_stage_from))
    .bind(date_text(next.deadlines.next_reminder_on))
    .bind(next.deadlines.reminders_sent)
    .bind(date_text(next.deadlines.confirm_due))
    .bind(i64::from(next.auto_confirmed))
    .bind(next.version)
    .bind(next.updated_at)
    .bind(&next.user_id)
    .bind(&next.user_name)
    .bind(i64::from(next.user_confirmed))
    .bind(&next.id)
    .bind(expected)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One prestation.
pub async fn get(pool: &AnyPool, id: &str) -> Result<Option<Prestation>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM prestations WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// What a caller may list: the union of the parts given; nothing when none is.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Acting as themselves: the prestations whose user is this person.
    pub user: Option<String>,
    /// Acting for a structure: the prestations this person performed there (worker id,
    /// structure id).
    pub worker: Option<(String, String)>,
    /// The active structure when the caller has its office's right: all its prestations.
    pub office_structure: Option<String>,
}

/// Filters of a list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only these statuses (empty: all).
    pub statuses: Vec<Status>,
    /// Exclude these statuses.
    pub exclude: Vec<Status>,
    /// Work date on or after.
    pub since: Option<NaiveDate>,
    /// At most this many, newest work date first.
    pub limit: i64,
}

/// Prestations visible in `scope`, filtered.
pub async fn list(
    pool: &AnyPool,
    scope: &Scope,
    filter: &ListFilter,
) -> Result<Vec<Prestation>, sqlx::Error> {
    let mut binds: Vec<String> = Vec::new();
    let next = |value: String, binds: &mut Vec<String>| {
        binds.push(value);
        format!("${}", binds.len())
    };
    let mut parties = Vec::new();
    if let Some(user) = &scope.user {
        parties.push(format!("user_id = {}", next(user.clone(), &mut binds)));
    }
    if let Some((worker, structure)) = &scope.worker {
        let p = next(worker.clone(), &mut binds);
        let s = next(structure.clone(), &mut binds);
        parties.push(format!("(worker_id = {p} AND structure_id = {s})"));
    }
    if let Some(structure) = &scope.office_structure {
        parties.push(format!(
            "structure_id = {}",
            next(structure.clone(), &mut binds)
        ));
    }
    if parties.is_empty() {
        return Ok(Vec::new());
    }
    let mut clauses = vec![format!("({})", parties.join(" OR "))];
    if !filter.statuses.is_empty() {
        let list: Vec<String> = filter
            .statuses
            .iter()
            .map(|s| next(s.code().to_owned(), &mut binds))
            .collect();
        clauses.push(format!("status IN ({})", list.join(", ")));
    }
    if !filter.exclude.is_empty() {
        let list: Vec<String> = filter
            .exclude
            .iter()
            .map(|s| next(s.code().to_owned(), &mut binds))
            .collect();
        clauses.push(format!("status NOT IN ({})", list.join(", ")));
    }
    if let Some(since) = filter.since {
        let p = next(since.format("%Y-%m-%d").to_string(), &mut binds);
        clauses.push(format!("work_date >= {p}"));
    }
    let limit = if filter.limit > 0 { filter.limit } else { 500 };
    let sql = format!(
        "SELECT {COLUMNS} FROM prestations WHERE {} ORDER BY work_date DESC, created_at DESC LIMIT {limit}",
        clauses.join(" AND ")
    );
    let mut query = sqlx::query(&sql);
    for value in binds {
        query = query.bind(value);
    }
    let rows = query.fetch_all(pool).await?;
    rows.iter().map(from_row).collect()
}

/// Ids of prestations whose worker stage ended before `today`.
pub async fn due_for_validation(
    pool: &AnyPool,
    today: NaiveDate,
) -> Result<Vec<String>, sqlx::Error> {
    ids(
        pool,
        "SELECT id FROM prestations WHERE validation_due < $1 AND status IN ('encoded', 'to_validate') \
         ORDER BY validation_due, id",
        today,
    )
    .await
}

/// Ids of prestations with a reminder due on or before `today`.
pub async fn due_for_reminder(
    pool: &AnyPool,
    today: NaiveDate,
) -> Result<Vec<String>, sqlx::Error> {
    ids(
        pool,
        "SELECT id FROM prestations WHERE next_reminder_on <= $1 \
         AND status IN ('waiting', 'validated_by_worker', 'validated') ORDER BY next_reminder_on, id",
        today,
    )
    .await
}

/// Ids of prestations whose user stage ended before `today`, all reminders sent.
pub async fn due_for_confirmation(
    pool: &AnyPool,
    today: NaiveDate,
) -> Result<Vec<String>, sqlx::Error> {
    ids(
        pool,
        "SELECT id FROM prestations WHERE confirm_due < $1 AND reminders_sent >= 2 \
         AND status IN ('waiting', 'validated_by_worker', 'validated') ORDER BY confirm_due, id",
        today,
    )
    .await
}

async fn ids(pool: &AnyPool, sql: &str, today: NaiveDate) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(sql)
        .bind(today.format("%Y-%m-%d").to_string())
        .fetch_all(pool)
        .await?;
    rows.iter().map(|r| r.try_get("id")).collect()
}

/// A history line to append.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    /// Who.
    pub actor: Actor,
    /// Their id and name, unless the scheduler.
    pub person: Option<(&'a str, &'a str)>,
    /// What.
    pub action: &'a str,
    /// Before.
    pub from: Option<Status>,
    /// After.
    pub to: Status,
    /// Reason or details.
    pub note: Option<String>,
}

/// Append a history line (sequence = last + 1).
pub async fn add_event(
    conn: &mut AnyConnection,
    prestation_id: &str,
    at: i64,
    event: &NewEvent<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO prestation_events (prestation_id, seq, at, actor, actor_id, actor_name, action, \
         from_status, to_status, note) SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9 \
         FROM prestation_events WHERE prestation_id = $1",
    )
    .bind(prestation_id)
    .bind(at)
    .bind(event.actor.code())
    .bind(event.person.map(|p| p.0.to_owned()))
    .bind(event.person.map(|p| p.1.to_owned()))
    .bind(event.action)
    .bind(event.from.map(Status::code))
    .bind(event.to.code())
    .bind(&event.note)
    .execute(conn)
    .await?;
    Ok(())
}

/// History of one prestation, oldest first.
pub async fn events(pool: &AnyPool, prestation_id: &str) -> Result<Vec<Event>, sqlx::Error> {
    sqlx::query_as(
        "SELECT seq, at, actor, actor_id, actor_name, action, from_status, to_status, note \
         FROM prestation_events WHERE prestation_id = $1 ORDER BY seq",
    )
    .bind(prestation_id)
    .fetch_all(pool)
    .await
}

/// Ids of prestations the enterprise encoded or corrected before the worker's validation
/// existed and that are still waiting for the user: from the switch date they go to the
/// worker (seed 001).
pub async fn enterprise_work_without_worker_validation(
    pool: &AnyPool,
) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id FROM prestations WHERE status = 'waiting' \
         AND (encoded_by = 'enterprise' OR corrected_by = 'enterprise') ORDER BY work_date, id",
    )
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| r.try_get("id")).collect()
}

/// The prestations of a structure its workers must still validate or that were contested
/// (by a worker or the user), oldest work date first.
pub async fn pending_for_enterprise(
    pool: &AnyPool,
    structure_id: &str,
) -> Result<Vec<Prestation>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM prestations WHERE structure_id = $1 \
         AND status IN ('to_validate', 'contested_by_worker', 'contested') \
         ORDER BY work_date, created_at LIMIT 1000"
    ))
    .bind(structure_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Structures with a prestation that entered a state the enterprise is told about (to
/// validate by a worker, contested) since the enterprise was last told.
pub async fn structures_with_news(pool: &AnyPool) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT DISTINCT p.structure_id AS id FROM prestations p \
         LEFT JOIN prestation_enterprises e ON e.structure_id = p.structure_id \
         WHERE p.status IN ('to_validate', 'contested_by_worker', 'contested') \
         AND p.updated_at > COALESCE(e.last_digest_at, 0) ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| r.try_get("id")).collect()
}

/// The next value (from 1) of a named counter, taken inside the caller's transaction: two
/// transactions never get the same value.
pub async fn next_counter(conn: &mut AnyConnection, scope: &str) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO prestation_counters (scope, next) VALUES ($1, 0) ON CONFLICT (scope) DO NOTHING",
    )
    .bind(scope)
    .execute(&mut *conn)
    .await?;
    let row = sqlx::query(
        "UPDATE prestation_counters SET next = next + 1 WHERE scope = $1 RETURNING next",
    )
    .bind(scope)
    .fetch_one(&mut *conn)
    .await?;
    row.try_get("next")
}
