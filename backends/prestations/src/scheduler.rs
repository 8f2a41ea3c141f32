//! The deadline scheduler: from the switch date, the enterprise's encodings still waiting
//! for the user go to the worker; automatic validation after 5 business days, reminders at
//! day 20 and day 40, automatic confirmation after 60 calendar days; the enterprises'
//! daily digest of what their workers must validate and what was contested.
//!
//! All its state is in the database (the deadlines stored on each prestation), so it is
//! restart-safe: a pass looks for everything due *up to today*, which catches up whatever
//! fell due while the service was down; nothing is skipped. Each change is its own
//! transaction, a compare-and-set on the row's version together with its history line and
//! its mail (whose deduplication key makes a second enqueue a no-op), so a crash at any
//! point, a retry, or two nodes running passes at once never apply anything twice.
//!
//! Deadlines are legal dates, not moments the scheduler happened to run: after downtime
//! an automatic validation takes effect on the day after the worker's last day, and the
//! user's 60 days count from then. Reminders missed during downtime are sent when the
//! service is back, both of them if both fell due, and always before the automatic
//! confirmation they announce.

use backend_kit::outbox::NewMail;
use chrono::{Duration, NaiveDate};

use crate::OUTBOX;
use crate::model::{Deadlines, REMINDER_DAYS};
use crate::notices::confirm_body;
use crate::registry;
use crate::service::{Prestations, ServiceError};
use crate::status::{Action, Actor, Status, transition};
use crate::store::{self, NewEvent};

/// What one pass changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PassReport {
    /// Prestations sent to the worker on the switch date (encoded or corrected by the
    /// enterprise before the worker's validation existed, still waiting for the user).
    pub to_worker: usize,
    /// Prestations validated automatically.
    pub validated: usize,
    /// Reminders queued.
    pub reminded: usize,
    /// Prestations confirmed automatically.
    pub confirmed: usize,
}

impl PassReport {
    fn total(&self) -> usize {
        self.to_worker + self.validated + self.reminded + self.confirmed
    }
}

/// Runs deadline passes over the prestations.
#[derive(Clone)]
pub struct Scheduler {
    svc: Prestations,
}

impl Scheduler {
    /// A scheduler over the same rules and clock as the API.
    pub fn new(svc: Prestations) -> Self {
        Self { svc }
    }

    /// Apply everything due today.
    pub async fn pass(&self) -> Result<PassReport, ServiceError> {
        self.pass_limited(usize::MAX).await
    }

    /// Apply at most `budget` changes, then stop as if the process died there (used by the
    /// crash tests; production passes call [`Scheduler::pass`]).
    pub async fn pass_limited(&self, budget: usize) -> Result<PassReport, ServiceError> {
        let mut report = PassReport::default();
        let today = self.svc.today();
        if self.svc.worker_validation_applies() {
            for id in store::enterprise_work_without_worker_validation(&self.svc.pool).await? {
                if report.total() >= budget {
                    return Ok(report);
                }
                if self.to_worker(&id).await? {
                    report.to_worker += 1;
                }
            }
        }
        for id in store::due_for_validation(&self.svc.pool, today).await? {
            if report.total() >= budget {
                return Ok(report);
            }
            if self.auto_validate(&id, today).await? {
                report.validated += 1;
            }
        }
        // A prestation may owe two reminders after downtime: loop until none is due.
        loop {
            let due = store::due_for_reminder(&self.svc.pool, today).await?;
            let mut sent = 0;
            for id in due {
                if report.total() >= budget {
                    return Ok(report);
                }
                if self.remind(&id, today).await? {
                    report.reminded += 1;
                    sent += 1;
                }
            }
            if sent == 0 {
                break;
            }
        }
        for id in store::due_for_confirmation(&self.svc.pool, today).await? {
            if report.total() >= budget {
                return Ok(report);
            }
            if self.auto_confirm(&id, today).await? {
                report.confirmed += 1;
            }
        }

        if report.total() > 0 {
            tracing::info!(?report, %today, "deadline pass");
        }
        Ok(report)
    }

    /// Queue today's digest for every enterprise with news (see [`crate::enterprise`]).
    /// Runs after [`Scheduler::pass`], so it reports the states that pass produced.
    pub async fn digests(&self) -> Result<usize, ServiceError> {
        let today = self.svc.today();
        Ok(crate::enterprise::digest_pass(&self.svc.pool, self.svc.clock.as_ref(), today).await?)
    }

    /// Send to the worker a prestation the enterprise encoded or corrected before the
    /// worker's validation existed (seed 001: « les prestations effectuées avant le mois de
    /// juin qui sont encore en cours ... devront également être validées »).
    async fn to_worker(&self, id: &str) -> Result<bool, ServiceError> {
        let Some(p) = store::get(&self.svc.pool, id).await? else {
            return Ok(false);
        };
        let enterprise_touched =
            p.encoded_by == Actor::Enterprise || p.corrected_by == Some(Actor::Enterprise);
        if p.status != Status::Waiting || !enterprise_touched {
            return Ok(false);
        }
        let now = self.svc.clock.now_ms();
        let mut next = p.clone();
        next.status = Status::ToValidate;
        next.deadlines = self.svc.worker_stage_from_today()?;
        next.user_confirmed = false;
        next.version = p.version + 1;
        next.updated_at = now;
        let mut tx = self.svc.pool.begin().await?;
        if !store::compare_and_set(&mut tx, p.version, &next).await? {
            return Ok(false);
        }
        let event = NewEvent {
            actor: Actor::System,
            person: None,
            action: "to_worker",
            from: Some(p.status),
            to: next.status,
            note: Some(format!(
                "the worker validates what the enterprise encodes or corrects from {}",
                self.svc.validation_start
            )),
        };
        store::add_event(&mut tx, id, now, &event).await?;
        crate::notices::notify_stage(&mut tx, &next, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn auto_validate(&self, id: &str, today: NaiveDate) -> Result<bool, ServiceError> {
        let Some(p) = store::get(&self.svc.pool, id).await? else {
            return Ok(false);
        };
        let Some(due) = p.deadlines.validation_due.filter(|d| *d < today) else {
            return Ok(false);
        };
        let Ok(to) = transition(p.status, Action::AutoValidate, Actor::System, p.facts()) else {
            return Ok(false);
        };
        let now = self.svc.clock.now_ms();
        let mut next = p.clone();
        next.status = to;
        // Confirmed at once when the user already confirmed it in parallel.
        next.deadlines = if to == Status::Confirmed {
            Deadlines::default()
        } else {
            Deadlines::user_stage(due + Duration::days(1))
        };
        next.version = p.version + 1;
        next.updated_at = now;
        let mut tx = self.svc.pool.begin().await?;
        if !store::compare_and_set(&mut tx, p.version, &next).await? {
            return Ok(false);
        }
        let event = NewEvent {
            actor: Actor::System,
            person: None,
            action: Action::AutoValidate.code(),
            from: Some(p.status),
            to,
            note: Some(format!("no answer from the worker by {due}")),
        };
        store::add_event(&mut tx, id, now, &event).await?;
        crate::notices::notify_stage(&mut tx, &next, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn remind(&self, id: &str, today: NaiveDate) -> Result<bool, ServiceError> {
        let Some(p) = store::get(&self.svc.pool, id).await? else {
            return Ok(false);
        };
        let d = p.deadlines;
        if !p.status.in_user_stage() || d.next_reminder_on.is_none_or(|on| on > today) {
            return Ok(false);
        }
        let number = d.reminders_sent + 1;
        let Some(from) = d.user_stage_from else {
            return Ok(false);
        };
        let day = usize::try_from(d.reminders_sent)
            .ok()
            .and_then(|i| REMINDER_DAYS.get(i))
            .copied()
            .unwrap_or_default();
        let now = self.svc.clock.now_ms();
        let mut next = p.clone();
        next.deadlines = d.after_reminder(number);
        next.version = p.version + 1;
        next.updated_at = now;
        let mut tx = self.svc.pool.begin().await?;
        if !store::compare_and_set(&mut tx, p.version, &next).await? {
            return Ok(false);
        }
        let event = NewEvent {
            actor: Actor::System,
            person: None,
            action: "reminder",
            from: Some(p.status),
            to: p.status,
            note: Some(format!("reminder {number} (day {day}) sent to the user")),
        };
        store::add_event(&mut tx, id, now, &event).await?;
        let recipient = registry::own_address(&mut tx, &p.user_id).await?;
        let lang = registry::lang_of(&mut tx, &p.user_id).await?;
        let mail = NewMail {
            dedup_key: format!("reminder:{id}:{from}:{number}"),
            recipient,
            about: Some(p.user_id.clone()),
            subject: crate::texts::t_args(
                lang,
                "prestations_mail_reminder_subject",
                &[("number", &number.to_string())],
            ),
            body: confirm_body(&p, Some(number), lang),
        };
        OUTBOX.enqueue(&mut tx, &mail, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn auto_confirm(&self, id: &str, today: NaiveDate) -> Result<bool, ServiceError> {
        let Some(p) = store::get(&self.svc.pool, id).await? else {
            return Ok(false);
        };
        let d = p.deadlines;
        let Some(due) = d.confirm_due.filter(|due| *due < today) else {
            return Ok(false);
        };
        if d.reminders_sent < 2 {
            return Ok(false);
        }
        let Ok(to) = transition(p.status, Action::AutoConfirm, Actor::System, p.facts()) else {
            return Ok(false);
        };
        let now = self.svc.clock.now_ms();
        let mut next = p.clone();
        next.status = to;
        next.auto_confirmed = true;
        next.deadlines = Deadlines::default();
        next.version = p.version + 1;
        next.updated_at = now;
        let mut tx = self.svc.pool.begin().await?;
        if !store::compare_and_set(&mut tx, p.version, &next).await? {
            return Ok(false);
        }
        let event = NewEvent {
            actor: Actor::System,
            person: None,
            action: Action::AutoConfirm.code(),
            from: Some(p.status),
            to,
            note: Some(format!("no answer from the user by {due}")),
        };
        store::add_event(&mut tx, id, now, &event).await?;
        let recipient = registry::own_address(&mut tx, &p.user_id).await?;
        let lang = registry::lang_of(&mut tx, &p.user_id).await?;
        let date = backend_kit::texts::day(lang, &p.work_date.to_string());
        let due_text = backend_kit::texts::day(lang, &due.to_string());
        let mail = NewMail {
            dedup_key: format!("auto_confirmed:{id}"),
            recipient,
            about: Some(p.user_id.clone()),
            subject: crate::texts::t(lang, "prestations_mail_auto_confirmed_subject"),
            body: crate::texts::t_args(
                lang,
                "prestations_mail_auto_confirmed_body",
                &[
                    ("date", &date),
                    ("worker", &p.worker_name),
                    ("due", &due_text),
                ],
            ),
        };
        OUTBOX.enqueue(&mut tx, &mail, now).await?;
        tx.commit().await?;
        debug_assert_eq!(to, Status::Confirmed);
        Ok(true)
    }
}
