//! The prestation rules, one function per thing a person does: encode, act (send, correct,
//! validate, contest, confirm, cancel), read, list, history. Each change runs in one
//! transaction: the compare-and-set of the row, its history line and the notices it
//! causes in the outbox, so nothing half-happens.
//!
//! Roles on a prestation come from the verified assertion: the **worker** is the person
//! whose `sub` is the prestation's worker, acting in its enterprise (active structure);
//! the **user** is the person whose `sub` is its user; the **enterprise** is anyone acting
//! in that structure with the right `manage`.

use std::sync::Arc;

use backend_kit::{ApiError, Caller, Clock};
use chrono::{Months, NaiveDate};
use sqlx::AnyPool;

use crate::RIGHT_MANAGE;
use crate::calendar::{CalendarError, HolidayCalendar};
use crate::model::{
    Activity, Deadlines, Prestation, VALIDATION_BUSINESS_DAYS, minutes_from_hours, parse_date,
};
use crate::status::{Action, Actor, Status, TransitionError, transition};
use crate::store::{self, ListFilter, NewEvent, Scope};

/// Why an operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Bad input.
    #[error("{0}")]
    Invalid(String),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// No such prestation visible to the caller.
    #[error("no such prestation")]
    NotFound,
    /// The state machine refused.
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// Someone changed it between read and write.
    #[error("the prestation changed meanwhile; reload it and try again")]
    Stale,
    /// The holiday calendar does not cover the dates.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// Storage failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(m) => ApiError::Invalid(m),
            ServiceError::Forbidden(m) => ApiError::Forbidden(m),
            ServiceError::NotFound => ApiError::not_found("no such prestation"),
            ServiceError::Transition(t) => ApiError::conflict("illegal_transition", t.to_string()),
            ServiceError::Stale => ApiError::conflict("stale", e.to_string()),
            ServiceError::Calendar(c) => ApiError::internal(c),
            ServiceError::Db(d) => d.into(),
        }
    }
}

/// A new prestation as asked.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct EncodeInput {
    /// The worker; absent or the caller's own id: the caller encodes as the worker.
    #[serde(default)]
    pub worker_id: Option<String>,
    /// The worker's name, when the backend does not know them yet.
    #[serde(default)]
    pub worker_name: Option<String>,
    /// The user (client), by gateway id.
    pub user_id: String,
    /// The user's name, when the backend does not know them yet.
    #[serde(default)]
    pub user_name: Option<String>,
    /// Day of the prestation, `YYYY-MM-DD`.
    pub date: String,
    /// Hours, in quarters of an hour.
    pub hours: f64,
    /// Activity code.
    pub activity: String,
    /// A worker's encoding goes to the user at once (`true`) or stays a draft.
    #[serde(default)]
    pub send: bool,
}

/// What an action may carry.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ActInput {
    /// Why (required to contest).
    #[serde(default)]
    pub reason: Option<String>,
    /// New date (correct).
    #[serde(default)]
    pub date: Option<String>,
    /// New hours (correct).
    #[serde(default)]
    pub hours: Option<f64>,
    /// New activity (correct).
    #[serde(default)]
    pub activity: Option<String>,
}

/// The prestation rules over one database.
#[derive(Clone)]
pub struct Prestations {
    pub(crate) pool: AnyPool,
    pub(crate) calendar: Arc<HolidayCalendar>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) scheme_start: NaiveDate,
}

/// A caller's roles on one prestation, strongest claim first.
pub fn roles(caller: &Caller, p: &Prestation) -> Vec<Actor> {
    let in_structure = caller
        .0
        .structure
        .as_ref()
        .is_some_and(|s| s.id == p.structure_id);
    let mut roles = Vec::new();
    if caller.sub() == p.worker_id && in_structure {
        roles.push(Actor::Worker);
    }
    if caller.sub() == p.user_id {
        roles.push(Actor::User);
    }
    if in_structure && caller.has(RIGHT_MANAGE) {
        roles.push(Actor::Enterprise);
    }
    roles
}

/// The actions `caller` can take now on `p` (for buttons).
pub fn allowed_actions(caller: &Caller, p: &Prestation) -> Vec<Action> {
    let roles = roles(caller, p);
    Action::ALL
        .into_iter()
        .filter(|a| !matches!(a, Action::AutoValidate | Action::AutoConfirm))
        .filter(|a| {
            roles
                .iter()
                .any(|r| transition(p.status, *a, *r, p.auto_confirmed).is_ok())
        })
        .collect()
}

impl Prestations {
    /// Today in Brussels, from the injected clock.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    fn check_date(&self, date: NaiveDate) -> Result<(), ServiceError> {
        if date < self.scheme_start {
            return Err(ServiceError::Invalid(format!(
                "electronic prestations start on {}: a prestation of {date} is refused",
                self.scheme_start
            )));
        }
        if date > self.today() {
            return Err(ServiceError::Invalid(
                "a prestation is encoded once performed: the date is in the future".to_owned(),
            ));
        }
        Ok(())
    }

    fn worker_stage(&self) -> Result<Deadlines, ServiceError> {
        let due = self
            .calendar
            .add_business_days(self.today(), VALIDATION_BUSINESS_DAYS)?;
        Ok(Deadlines {
            validation_due: Some(due),
            ..Deadlines::default()
        })
    }

    /// Encode a prestation: as the worker (the caller is the worker) or as the enterprise
    /// (another worker; needs `manage`), in the caller's active structure.
    pub async fn encode(
        &self,
        caller: &Caller,
        input: EncodeInput,
    ) -> Result<Prestation, ServiceError> {
        let structure = caller.0.structure.clone().ok_or_else(|| {
            ServiceError::Forbidden("choose your enterprise as active structure".to_owned())
        })?;
        let as_worker = input
            .worker_id
            .as_deref()
            .is_none_or(|w| w.trim().is_empty() || w == caller.sub());
        if !as_worker && !caller.has(RIGHT_MANAGE) {
            return Err(ServiceError::Forbidden(format!(
                "encoding for another worker needs the right \"{RIGHT_MANAGE}\""
            )));
        }
        let date = parse_date(&input.date, "date").map_err(ServiceError::Invalid)?;
        self.check_date(date)?;
        let minutes = minutes_from_hours(input.hours).map_err(ServiceError::Invalid)?;
        let activity = Activity::parse(&input.activity)
            .ok_or_else(|| ServiceError::Invalid("unknown activity".to_owned()))?;
        let user_id = input.user_id.trim().to_owned();
        if user_id.is_empty() {
            return Err(ServiceError::Invalid("user_id is required".to_owned()));
        }
        let worker_id = if as_worker {
            caller.sub().to_owned()
        } else {
            input
                .worker_id
                .clone()
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        if worker_id == user_id {
            return Err(ServiceError::Invalid(
                "the worker and the user must be different people".to_owned(),
            ));
        }
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        store::remember_person(&mut tx, caller.sub(), caller.name(), now).await?;
        let worker_name = if as_worker {
            caller.name().to_owned()
        } else {
            known_name(&mut tx, &worker_id, input.worker_name.as_deref(), "worker").await?
        };
        let user_name = known_name(&mut tx, &user_id, input.user_name.as_deref(), "user").await?;
        let (status, deadlines) = if !as_worker {
            (Status::ToValidate, self.worker_stage()?)
        } else if input.send {
            (Status::Waiting, Deadlines::user_stage(self.today()))
        } else {
            (Status::Encoded, self.worker_stage()?)
        };
        let p = Prestation {
            id: backend_kit::db::new_id(),
            structure_id: structure.id,
            enterprise_number: structure.enterprise_number,
            enterprise_name: structure.name,
            worker_id,
            worker_name,
            user_id,
            user_name,
            work_date: date,
            minutes,
            activity,
            status,
            encoded_by: if as_worker {
                Actor::Worker
            } else {
                Actor::Enterprise
            },
            encoded_by_id: caller.sub().to_owned(),
            corrected_by: None,
            deadlines,
            auto_confirmed: false,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        store::insert(&mut tx, &p).await?;
        let actor = p.encoded_by;
        let person = Some((caller.sub(), caller.name()));
        let first = if status == Status::Waiting {
            Status::Encoded
        } else {
            status
        };
        let event = NewEvent {
            actor,
            person,
            action: "encode",
            from: None,
            to: first,
            note: None,
        };
        store::add_event(&mut tx, &p.id, now, &event).await?;
        if status == Status::Waiting {
            let event = NewEvent {
                actor,
                person,
                action: Action::Send.code(),
                from: Some(Status::Encoded),
                to: status,
                note: None,
            };
            store::add_event(&mut tx, &p.id, now, &event).await?;
        }
        crate::notices::notify_stage(&mut tx, &p, now).await?;
        tx.commit().await?;
        tracing::info!(prestation = %p.id, status = %p.status, by = actor.code(), "prestation encoded");
        Ok(p)
    }

    /// A prestation the caller is party to.
    pub async fn get(&self, caller: &Caller, id: &str) -> Result<Prestation, ServiceError> {
        let p = store::get(&self.pool, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if roles(caller, &p).is_empty() {
            return Err(ServiceError::NotFound);
        }
        Ok(p)
    }

    /// Apply `action` as the first role of the caller for which it is legal.
    pub async fn act(
        &self,
        caller: &Caller,
        id: &str,
        action: Action,
        input: ActInput,
    ) -> Result<Prestation, ServiceError> {
        if matches!(action, Action::AutoValidate | Action::AutoConfirm) {
            return Err(ServiceError::Forbidden(
                "only the deadline scheduler does this".to_owned(),
            ));
        }
        let p = self.get(caller, id).await?;
        let roles = roles(caller, &p);
        let mut first_error = None;
        let mut chosen = None;
        for role in &roles {
            match transition(p.status, action, *role, p.auto_confirmed) {
                Ok(to) => {
                    chosen = Some((*role, to));
                    break;
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        let Some((actor, to)) = chosen else {
            return Err(first_error.map_or(ServiceError::NotFound, ServiceError::Transition));
        };
        let reason = input
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        if action == Action::Contest && reason.is_none() {
            return Err(ServiceError::Invalid(
                "a reason is required to contest".to_owned(),
            ));
        }
        let now = self.clock.now_ms();
        let mut next = p.clone();
        let mut note = reason.map(str::to_owned);
        if action == Action::Correct {
            note = Some(self.apply_correction(&mut next, &input)?);
            next.corrected_by = Some(actor);
        }
        next.status = to;
        next.deadlines = if to.in_worker_stage() {
            self.worker_stage()?
        } else if to.in_user_stage() {
            Deadlines::user_stage(self.today())
        } else {
            Deadlines::default()
        };
        next.version = p.version + 1;
        next.updated_at = now;
        let mut tx = self.pool.begin().await?;
        if !store::compare_and_set(&mut tx, p.version, &next).await? {
            return Err(ServiceError::Stale);
        }
        let event = NewEvent {
            actor,
            person: Some((caller.sub(), caller.name())),
            action: action.code(),
            from: Some(p.status),
            to,
            note,
        };
        store::add_event(&mut tx, &p.id, now, &event).await?;
        store::remember_person(&mut tx, caller.sub(), caller.name(), now).await?;
        crate::notices::notify_stage(&mut tx, &next, now).await?;
        tx.commit().await?;
        tracing::info!(prestation = %p.id, from = %p.status, to = %to, by = actor.code(), "prestation changed");
        Ok(next)
    }

    fn apply_correction(
        &self,
        next: &mut Prestation,
        input: &ActInput,
    ) -> Result<String, ServiceError> {
        let mut changes = Vec::new();
        if let Some(text) = input.date.as_deref().filter(|t| !t.trim().is_empty()) {
            let date = parse_date(text, "date").map_err(ServiceError::Invalid)?;
            self.check_date(date)?;
            if date != next.work_date {
                changes.push(format!("date {} -> {date}", next.work_date));
                next.work_date = date;
            }
        }
        if let Some(hours) = input.hours {
            let minutes = minutes_from_hours(hours).map_err(ServiceError::Invalid)?;
            if minutes != next.minutes {
                changes.push(format!("minutes {} -> {minutes}", next.minutes));
                next.minutes = minutes;
            }
        }
        if let Some(code) = input.activity.as_deref().filter(|t| !t.is_empty()) {
            let activity = Activity::parse(code)
                .ok_or_else(|| ServiceError::Invalid("unknown activity".to_owned()))?;
            if activity != next.activity {
                changes.push(format!(
                    "activity {} -> {}",
                    next.activity.code(),
                    activity.code()
                ));
                next.activity = activity;
            }
        }
        if changes.is_empty() {
            return Err(ServiceError::Invalid(
                "a correction must change the date, the hours or the activity".to_owned(),
            ));
        }
        Ok(changes.join("; "))
    }

    /// Prestations the caller sees, filtered.
    pub async fn list(
        &self,
        caller: &Caller,
        filter: &ListFilter,
    ) -> Result<Vec<Prestation>, ServiceError> {
        Ok(store::list(&self.pool, &scope_of(caller), filter).await?)
    }

    /// The history view: the last 3 months (by work date), cancelled ones excluded.
    pub async fn history(&self, caller: &Caller) -> Result<Vec<Prestation>, ServiceError> {
        let since = self
            .today()
            .checked_sub_months(Months::new(3))
            .unwrap_or(self.scheme_start);
        let filter = ListFilter {
            exclude: vec![Status::Cancelled],
            since: Some(since),
            limit: 1000,
            ..ListFilter::default()
        };
        self.list(caller, &filter).await
    }
}

/// What `caller` may list.
pub fn scope_of(caller: &Caller) -> Scope {
    let structure = caller.0.structure.as_ref().map(|s| s.id.clone());
    Scope {
        person: caller.sub().to_owned(),
        worker_structure: structure.clone(),
        office_structure: structure.filter(|_| caller.has(RIGHT_MANAGE)),
    }
}

async fn known_name(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    given: Option<&str>,
    role: &str,
) -> Result<String, ServiceError> {
    if let Some(name) = given.map(str::trim).filter(|n| !n.is_empty()) {
        return Ok(name.to_owned());
    }
    match store::person(conn, id).await? {
        Some(p) => Ok(p.name),
        None => Err(ServiceError::Invalid(format!(
            "this {role} is not known yet: give {role}_name"
        ))),
    }
}
