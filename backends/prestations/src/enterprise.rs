//! The approved enterprise's office (right `manage` in the active structure): where its
//! notices go, which prestations its workers must still validate and which were contested
//! (a list on its home and a mail), and the people it works with (its clients and
//! workers, found by name or voucher-user number), with the email it may set for a worker
//! until the worker sets their own (seed 001: « si votre travailleur·euse modifie son
//! adresse e-mail, il ne vous sera plus possible de la modifier de votre côté »).
//!
//! The mail (seed 001: « de nouvelles communications vous informant des prestations que
//! vos travailleurs·euses doivent valider ou contester ») is a digest: at most one a day
//! per enterprise, sent by the scheduler's pass as soon as a prestation entered one of
//! those states since the last digest, listing every prestation still in them. A digest
//! already queued today leaves the news for tomorrow's.

use assertion::ActiveStructure;
use backend_kit::outbox::NewMail;
use backend_kit::{Caller, Clock};
use chrono::NaiveDate;
use sqlx::{AnyPool, Row};

use crate::model::Prestation;
use crate::notices::hours_text;
use crate::registry::{self, Person, Related, Role};
use crate::service::ServiceError;
use crate::status::Status;
use crate::texts;
use crate::{OUTBOX, RIGHT_MANAGE, store};
use i18n::Lang;

/// An enterprise's own settings.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Settings {
    /// Gateway structure id.
    pub structure_id: String,
    /// Enterprise number.
    pub enterprise_number: String,
    /// Name.
    pub name: String,
    /// Where its notices go.
    pub email: Option<String>,
}

/// The office's structure, or why not: acting for a structure, with `manage`.
pub fn office_of(caller: &Caller) -> Result<&ActiveStructure, ServiceError> {
    let structure = caller.0.organisation().ok_or_else(|| {
        ServiceError::Forbidden(crate::texts::refusal("prestations_refusal_office_act").into())
    })?;
    if !caller.has(RIGHT_MANAGE) {
        return Err(ServiceError::Forbidden(
            crate::texts::refusal("prestations_refusal_office_right")
                .with("right", RIGHT_MANAGE)
                .into(),
        ));
    }
    Ok(structure)
}

/// The address notices about the enterprise are kept under (its page lists them).
pub fn about(structure_id: &str) -> String {
    format!("enterprise:{structure_id}")
}

/// The enterprise's settings (its name and number from the assertion when none is kept).
pub async fn settings(pool: &AnyPool, s: &ActiveStructure) -> Result<Settings, sqlx::Error> {
    let row = sqlx::query(
        "SELECT structure_id, enterprise_number, name, email FROM prestation_enterprises \
         WHERE structure_id = $1",
    )
    .bind(&s.id)
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        Some(r) => Settings {
            structure_id: r.try_get("structure_id")?,
            enterprise_number: r.try_get("enterprise_number")?,
            name: r.try_get("name")?,
            email: r.try_get("email")?,
        },
        None => Settings {
            structure_id: s.id.clone(),
            enterprise_number: s.enterprise_number.clone(),
            name: s.name.clone(),
            email: None,
        },
    })
}

/// Set where the enterprise's notices go (`None` removes it), and in which language
/// (the one of the person setting it).
pub async fn set_email(
    pool: &AnyPool,
    s: &ActiveStructure,
    email: Option<&str>,
    lang: Lang,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO prestation_enterprises (structure_id, enterprise_number, name, email, last_digest_at, updated_at, lang) \
         VALUES ($1, $2, $3, $4, 0, $5, $6) ON CONFLICT (structure_id) DO UPDATE SET \
         enterprise_number = excluded.enterprise_number, name = excluded.name, email = excluded.email, \
         updated_at = excluded.updated_at, lang = excluded.lang",
    )
    .bind(&s.id)
    .bind(&s.enterprise_number)
    .bind(&s.name)
    .bind(email)
    .bind(now)
    .bind(lang.code())
    .execute(pool)
    .await?;
    Ok(())
}

/// What the office follows: prestations its workers must still validate, and contested
/// ones (by a worker or by the user) waiting for its correction.
#[derive(Debug, Clone, Default)]
pub struct Pending {
    /// `to_validate`.
    pub to_validate: Vec<Prestation>,
    /// `contested_by_worker` and `contested`.
    pub contested: Vec<Prestation>,
}

/// The enterprise's pending prestations.
pub async fn pending(pool: &AnyPool, structure_id: &str) -> Result<Pending, sqlx::Error> {
    let all = store::pending_for_enterprise(pool, structure_id).await?;
    let (to_validate, contested) = all
        .into_iter()
        .partition(|p| p.status == Status::ToValidate);
    Ok(Pending {
        to_validate,
        contested,
    })
}

fn line(p: &Prestation, lang: Lang) -> String {
    let date = backend_kit::texts::day(lang, &p.work_date.to_string());
    let hours = hours_text(p.minutes);
    let activity = texts::t(lang, crate::notices::activity_key(p.activity));
    let status = texts::t(lang, crate::notices::status_key(p.status));
    let args = [
        ("date", date.as_str()),
        ("worker", p.worker_name.as_str()),
        ("user", p.user_name.as_str()),
        ("hours", hours.as_str()),
        ("activity", activity.as_str()),
        ("status", status.as_str()),
    ];
    match p.deadlines.validation_due {
        Some(d) => {
            let due = backend_kit::texts::day(lang, &d.to_string());
            let mut with_due = args.to_vec();
            with_due.push(("due", due.as_str()));
            texts::t_args(lang, "prestations_mail_digest_line_due", &with_due)
        }
        None => texts::t_args(lang, "prestations_mail_digest_line", &args),
    }
}

/// The digest's text, in `lang`.
pub fn digest_body(name: &str, pending: &Pending, lang: Lang) -> String {
    let mut body = texts::t_args(lang, "prestations_mail_digest_intro", &[("name", name)]);
    body.push_str("\n\n");
    body.push_str(&texts::t(lang, "prestations_mail_digest_to_validate"));
    body.push('\n');
    if pending.to_validate.is_empty() {
        body.push_str(&texts::t(lang, "prestations_mail_digest_none"));
        body.push('\n');
    }
    for p in &pending.to_validate {
        body.push_str(&line(p, lang));
        body.push('\n');
    }
    body.push('\n');
    body.push_str(&texts::t(lang, "prestations_mail_digest_contested"));
    body.push('\n');
    if pending.contested.is_empty() {
        body.push_str(&texts::t(lang, "prestations_mail_digest_none"));
        body.push('\n');
    }
    for p in &pending.contested {
        body.push_str(&line(p, lang));
        body.push('\n');
    }
    body
}

/// Queue today's digest of every enterprise with news since its last one. Returns how
/// many were queued. Each is one transaction: the mail (keyed by enterprise and day) and
/// the moment it covers, so a crash or a second node never sends two.
pub async fn digest_pass(
    pool: &AnyPool,
    clock: &dyn Clock,
    today: NaiveDate,
) -> Result<usize, sqlx::Error> {
    let mut queued = 0;
    for structure_id in store::structures_with_news(pool).await? {
        let pending = pending(pool, &structure_id).await?;
        let Some(any) = pending
            .to_validate
            .first()
            .or_else(|| pending.contested.first())
        else {
            continue;
        };
        let now = clock.now_ms();
        let mut tx = pool.begin().await?;
        let settings = sqlx::query(
            "SELECT name, email, lang FROM prestation_enterprises WHERE structure_id = $1",
        )
        .bind(&structure_id)
        .fetch_optional(&mut *tx)
        .await?;
        let (name, email, lang) = match settings {
            Some(r) => (
                r.try_get("name")?,
                r.try_get("email")?,
                r.try_get::<Option<String>, _>("lang")?,
            ),
            None => (any.enterprise_name.clone(), None, None),
        };
        let lang = lang
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or(Lang::En);
        let to_validate = pending.to_validate.len().to_string();
        let contested = pending.contested.len().to_string();
        let mail = NewMail {
            dedup_key: format!("enterprise:{structure_id}:{today}"),
            recipient: email,
            about: Some(about(&structure_id)),
            subject: texts::t_args(
                lang,
                "prestations_mail_digest_subject",
                &[("to_validate", &to_validate), ("contested", &contested)],
            ),
            body: digest_body(&name, &pending, lang),
        };
        if !OUTBOX.enqueue(&mut tx, &mail, now).await? {
            // Already told today: the news waits for tomorrow's digest.
            continue;
        }
        sqlx::query(
            "INSERT INTO prestation_enterprises (structure_id, enterprise_number, name, email, last_digest_at, updated_at) \
             VALUES ($1, $2, $3, NULL, $4, $4) ON CONFLICT (structure_id) DO UPDATE SET \
             last_digest_at = excluded.last_digest_at",
        )
        .bind(&structure_id)
        .bind(&any.enterprise_number)
        .bind(&name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        queued += 1;
    }
    Ok(queued)
}

/// Add a person, by voucher-user number, to the office's clients or workers.
pub async fn add_person(
    pool: &AnyPool,
    caller: &Caller,
    number: &str,
    role: Role,
    now: i64,
) -> Result<Person, ServiceError> {
    let structure = office_of(caller)?;
    let number =
        registry::parse_number(number).map_err(|e| ServiceError::Invalid(e.text(None).into()))?;
    let mut tx = pool.begin().await?;
    let person = registry::by_number(&mut tx, &number)
        .await?
        .ok_or_else(|| {
            ServiceError::Invalid(
                crate::texts::refusal("prestations_refusal_nobody_number")
                    .with("number", registry::show_number(&number))
                    .into(),
            )
        })?;
    registry::relate(&mut tx, &structure.id, &person.id, role, caller.sub(), now).await?;
    tx.commit().await?;
    Ok(person)
}

/// The office sets the email of one of its workers, which is allowed until the worker
/// set their own.
pub async fn set_worker_email(
    pool: &AnyPool,
    caller: &Caller,
    number: &str,
    email: Option<&str>,
    now: i64,
) -> Result<Person, ServiceError> {
    let structure = office_of(caller)?;
    let number =
        registry::parse_number(number).map_err(|e| ServiceError::Invalid(e.text(None).into()))?;
    if let Some(e) = email
        && !backend_kit::outbox::is_mail_address(e)
    {
        return Err(ServiceError::Invalid(
            crate::texts::refusal("prestations_refusal_email").into(),
        ));
    }
    let mut tx = pool.begin().await?;
    let person = registry::by_number(&mut tx, &number)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !registry::is_related(&mut tx, &structure.id, &person.id, Role::Worker).await? {
        return Err(ServiceError::Forbidden(
            crate::texts::refusal("prestations_refusal_not_your_worker").into(),
        ));
    }
    if person.email_self_set {
        return Err(ServiceError::Forbidden(
            crate::texts::refusal("prestations_refusal_email_self_set").into(),
        ));
    }
    registry::set_enterprise_email(&mut tx, &structure.id, &person.id, email, now).await?;
    tx.commit().await?;
    tracing::info!(structure = %structure.id, "worker email set by the enterprise");
    Ok(person)
}

/// The office's list of clients or workers matching `query` (name, or a number).
pub async fn people(
    pool: &AnyPool,
    caller: &Caller,
    role: Role,
    query: &str,
) -> Result<Vec<Related>, ServiceError> {
    let structure = office_of(caller)?;
    registry::search(pool, &structure.id, role, query)
        .await?
        .map_err(|e| ServiceError::Invalid(e.text(None).into()))
}
