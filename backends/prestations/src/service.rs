//! The prestation rules, one function per thing a person does: encode, act (send, correct,
//! validate, contest, confirm, cancel), read, list, history. Each change runs in one
//! transaction: the compare-and-set of the row, its history line and the notices it
//! causes in the outbox, so nothing half-happens.
//!
//! Roles on a prestation come from the verified assertion: the **user** is the person whose
//! `sub` is its user, acting as themselves (a private client, `acting: self`); the
//! **worker** is the person whose `sub` is its worker, acting for its enterprise (active
//! structure); the **enterprise** is anyone acting for that structure with the right
//! `manage`. A person acting for an organisation is treated by that organisation's rights
//! only: their own prestations as a client are seen when they act as themselves.

use std::sync::Arc;

use backend_kit::error::Message;
use backend_kit::{ApiError, Caller, Clock};
use chrono::{Months, NaiveDate};
use sqlx::AnyPool;

use crate::RIGHT_MANAGE;
use crate::calendar::{CalendarError, HolidayCalendar};
use crate::model::{
    Activity, Deadlines, Prestation, VALIDATION_BUSINESS_DAYS, minutes_from_hours, parse_date,
};
use crate::registry::{self, Role};
use crate::status::{Action, Actor, Status, TransitionError, transition};
use crate::store::{self, ListFilter, NewEvent, Scope};

/// Why an operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Bad input.
    #[error("{0}")]
    Invalid(Message),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(Message),
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
            ServiceError::NotFound => {
                ApiError::not_found(crate::texts::refusal("prestations_refusal_no_prestation"))
            }
            ServiceError::Transition(t) => {
                ApiError::conflict("illegal_transition", crate::texts::refusal(t.reason_key()))
            }
            ServiceError::Stale => {
                ApiError::conflict("stale", crate::texts::refusal("prestations_refusal_stale"))
            }
            ServiceError::Calendar(c) => ApiError::internal(c),
            ServiceError::Db(d) => d.into(),
        }
    }
}

/// A new prestation as asked. People are named by their voucher-user number (see
/// [`crate::registry`]), never by an opaque id.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct EncodeInput {
    /// The worker's number; absent, empty or the caller's own: the caller is the worker.
    #[serde(default)]
    pub worker_number: Option<String>,
    /// The user's (client's) number.
    pub user_number: String,
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
    pub(crate) validation_start: NaiveDate,
}

/// A caller's roles on one prestation, strongest claim first.
pub fn roles(caller: &Caller, p: &Prestation) -> Vec<Actor> {
    let mut roles = Vec::new();
    if caller.0.acts_as_self() {
        if caller.sub() == p.user_id {
            roles.push(Actor::User);
        }
        return roles;
    }
    let in_structure = caller
        .0
        .organisation()
        .is_some_and(|s| s.id == p.structure_id);
    if in_structure && caller.sub() == p.worker_id {
        roles.push(Actor::Worker);
    }
    if in_structure && caller.has(RIGHT_MANAGE) {
        roles.push(Actor::Enterprise);
    }
    roles
}

/// Whether the caller sees `p` as its user (a private client): they read « En attente de
/// validation » for every status of the worker stage.
pub fn seen_as_user(caller: &Caller, p: &Prestation) -> bool {
    caller.0.acts_as_self() && caller.sub() == p.user_id
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
                .any(|r| transition(p.status, *a, *r, p.facts()).is_ok())
        })
        .collect()
}

impl Prestations {
    /// The same rules over the same database, with "now" from `clock`: what is done
    /// through it happens at that time, deadlines counted from then (the demo writes a
    /// past with it, which the scheduler then brings to today).
    pub fn with_clock(&self, clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            ..self.clone()
        }
    }

    /// Today in Brussels, from the injected clock.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The worker's validation of what the enterprise encodes or corrects applies from
    /// `validation_start` (seed 001: « à partir du 1er juin »); before, it went to the user.
    pub fn worker_validation_applies(&self) -> bool {
        self.today() >= self.validation_start
    }

    /// A prestation's date: any past day, also before the worker's validation started
    /// (seed 001: those still in progress go to the worker too; they are not refused).
    fn check_date(&self, date: NaiveDate) -> Result<(), ServiceError> {
        if date > self.today() {
            return Err(ServiceError::Invalid(
                crate::texts::refusal("prestations_refusal_future").into(),
            ));
        }
        Ok(())
    }

    /// The worker's stage starting today: 5 business days.
    pub(crate) fn worker_stage_from_today(&self) -> Result<Deadlines, ServiceError> {
        self.worker_stage()
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
    /// (another worker; needs `manage`), in the caller's active structure. The client and
    /// the other worker are named by their voucher-user numbers; both join the
    /// enterprise's lists.
    pub async fn encode(
        &self,
        caller: &Caller,
        input: EncodeInput,
    ) -> Result<Prestation, ServiceError> {
        let structure = caller.0.organisation().cloned().ok_or_else(|| {
            ServiceError::Forbidden(
                crate::texts::refusal("prestations_refusal_act_for_enterprise").into(),
            )
        })?;
        let worker_number = match input.worker_number.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(n) => Some(
                registry::parse_number(n)
                    .map_err(|e| ServiceError::Invalid(e.text(Some("worker")).into()))?,
            ),
        };
        let user_number = registry::parse_number(&input.user_number)
            .map_err(|e| ServiceError::Invalid(e.text(Some("client")).into()))?;
        let date = parse_date(&input.date, "date").map_err(|t| ServiceError::Invalid(t.into()))?;
        self.check_date(date)?;
        let minutes =
            minutes_from_hours(input.hours).map_err(|t| ServiceError::Invalid(t.into()))?;
        let activity = Activity::parse(&input.activity).ok_or_else(|| {
            ServiceError::Invalid(crate::texts::refusal("prestations_refusal_activity").into())
        })?;
        let now = self.clock.now_ms();
        let mut tx = self.pool.begin().await?;
        let me = registry::ensure(&mut tx, caller.sub(), caller.name(), now).await?;
        let worker = match worker_number {
            Some(n) if n != me.number => {
                if !caller.has(RIGHT_MANAGE) {
                    return Err(ServiceError::Forbidden(
                        crate::texts::refusal("prestations_refusal_other_worker_right")
                            .with("right", RIGHT_MANAGE)
                            .into(),
                    ));
                }
                registry::by_number(&mut tx, &n).await?.ok_or_else(|| {
                    ServiceError::Invalid(
                        crate::texts::refusal("prestations_refusal_no_worker_number")
                            .with("number", registry::show_number(&n))
                            .into(),
                    )
                })?
            }
            _ => me.clone(),
        };
        let as_worker = worker.id == me.id;
        let user = registry::by_number(&mut tx, &user_number)
            .await?
            .ok_or_else(|| {
                ServiceError::Invalid(
                    crate::texts::refusal("prestations_refusal_no_client_number")
                        .with("number", registry::show_number(&user_number))
                        .into(),
                )
            })?;
        if worker.id == user.id {
            return Err(ServiceError::Invalid(
                crate::texts::refusal("prestations_refusal_same_person").into(),
            ));
        }
        let (status, deadlines) = if !as_worker && self.worker_validation_applies() {
            (Status::ToValidate, self.worker_stage()?)
        } else if !as_worker || input.send {
            // Before the worker's validation existed, the enterprise's encoding went to
            // the user directly.
            (Status::Waiting, Deadlines::user_stage(self.today()))
        } else {
            (Status::Encoded, self.worker_stage()?)
        };
        registry::relate(
            &mut tx,
            &structure.id,
            &user.id,
            Role::Client,
            caller.sub(),
            now,
        )
        .await?;
        registry::relate(
            &mut tx,
            &structure.id,
            &worker.id,
            Role::Worker,
            caller.sub(),
            now,
        )
        .await?;
        let p = Prestation {
            id: backend_kit::db::new_id(),
            structure_id: structure.id,
            enterprise_number: structure.enterprise_number,
            enterprise_name: structure.name,
            worker_id: worker.id,
            worker_name: worker.name,
            worker_number: Some(worker.number),
            user_id: user.id,
            user_name: user.name,
            user_number: Some(user.number),
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
            user_confirmed: false,
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
                crate::texts::refusal("prestations_refusal_scheduler_only").into(),
            ));
        }
        let p = self.get(caller, id).await?;
        let roles = roles(caller, &p);
        let mut first_error = None;
        let mut chosen = None;
        for role in &roles {
            match transition(p.status, action, *role, p.facts()) {
                Ok(to) => {
                    chosen = Some((*role, to));
                    break;
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        let Some((actor, mut to)) = chosen else {
            return Err(first_error.map_or(ServiceError::NotFound, ServiceError::Transition));
        };
        if to == Status::ToValidate && !self.worker_validation_applies() {
            // Before the worker's validation existed, a correction went to the user.
            to = Status::Waiting;
        }
        let reason = input
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        if action == Action::Contest && reason.is_none() {
            return Err(ServiceError::Invalid(
                crate::texts::refusal("prestations_refusal_reason").into(),
            ));
        }
        let now = self.clock.now_ms();
        let mut next = p.clone();
        let mut note = reason.map(str::to_owned);
        if action == Action::Correct {
            note = Some(self.apply_correction(&mut next, &input)?);
            next.corrected_by = Some(actor);
            // What the user may have confirmed has changed.
            next.user_confirmed = false;
        }
        // The user's confirmation while the worker validates: kept, the worker's stage
        // and its deadline go on.
        let early_confirmation = action == Action::Confirm && to == p.status;
        if early_confirmation {
            next.user_confirmed = true;
            note = Some("confirmed by the user while the worker validates".to_owned());
        }
        next.status = to;
        next.deadlines = if early_confirmation {
            p.deadlines
        } else if to.in_worker_stage() {
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
        registry::ensure(&mut tx, caller.sub(), caller.name(), now).await?;
        if to != p.status || action == Action::Correct {
            crate::notices::notify_stage(&mut tx, &next, now).await?;
        }
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
            let date = parse_date(text, "date").map_err(|t| ServiceError::Invalid(t.into()))?;
            self.check_date(date)?;
            if date != next.work_date {
                changes.push(format!("date {} -> {date}", next.work_date));
                next.work_date = date;
            }
        }
        if let Some(hours) = input.hours {
            let minutes = minutes_from_hours(hours).map_err(|t| ServiceError::Invalid(t.into()))?;
            if minutes != next.minutes {
                changes.push(format!("minutes {} -> {minutes}", next.minutes));
                next.minutes = minutes;
            }
        }
        if let Some(code) = input.activity.as_deref().filter(|t| !t.is_empty()) {
            let activity = Activity::parse(code).ok_or_else(|| {
                ServiceError::Invalid(crate::texts::refusal("prestations_refusal_activity").into())
            })?;
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
                crate::texts::refusal("prestations_refusal_correction_empty").into(),
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
            .unwrap_or_else(|| self.today());
        let filter = ListFilter {
            exclude: vec![Status::Cancelled],
            since: Some(since),
            limit: 1000,
            ..ListFilter::default()
        };
        self.list(caller, &filter).await
    }
}

/// What `caller` may list: as themselves, the prestations performed for them; for an
/// organisation, those they performed there, and all of the structure's with `manage`.
pub fn scope_of(caller: &Caller) -> Scope {
    if caller.0.acts_as_self() {
        return Scope {
            user: Some(caller.sub().to_owned()),
            ..Scope::default()
        };
    }
    let Some(structure) = caller.0.organisation().map(|s| s.id.clone()) else {
        return Scope::default();
    };
    Scope {
        user: None,
        worker: Some((caller.sub().to_owned(), structure.clone())),
        office_structure: caller.has(RIGHT_MANAGE).then_some(structure),
    }
}
