//! The prestation as stored and as answered: activities, hours, dates, the deadlines it
//! carries, and its history events.

use backend_kit::error::Text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::status::{Actor, Facts, Status};
use crate::texts::refusal;

/// Activities allowed in the service-voucher scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// Cleaning the home, windows included.
    Cleaning,
    /// Washing and ironing at the user's home.
    LaundryIroning,
    /// Preparing meals.
    Meals,
    /// Household shopping.
    Shopping,
    /// Ironing in an ironing centre.
    IroningCentre,
    /// Accompanied transport of persons with reduced mobility.
    ReducedMobilityTransport,
}

impl Activity {
    /// Every activity.
    pub const ALL: [Activity; 6] = [
        Activity::Cleaning,
        Activity::LaundryIroning,
        Activity::Meals,
        Activity::Shopping,
        Activity::IroningCentre,
        Activity::ReducedMobilityTransport,
    ];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Cleaning => "cleaning",
            Self::LaundryIroning => "laundry_ironing",
            Self::Meals => "meals",
            Self::Shopping => "shopping",
            Self::IroningCentre => "ironing_centre",
            Self::ReducedMobilityTransport => "reduced_mobility_transport",
        }
    }

    /// From a code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Self::Cleaning => "Cleaning (windows included)",
            Self::LaundryIroning => "Washing and ironing",
            Self::Meals => "Preparing meals",
            Self::Shopping => "Household shopping",
            Self::IroningCentre => "Ironing centre",
            Self::ReducedMobilityTransport => "Transport of persons with reduced mobility",
        }
    }
}

/// Hours are counted in quarters of an hour, at most 12 hours for one prestation.
pub const MAX_MINUTES: i64 = 12 * 60;

/// Parse hours given as a number (`3`, `2.5`, `1.25`) into minutes.
pub fn minutes_from_hours(hours: f64) -> Result<i64, Text> {
    if !hours.is_finite() || hours <= 0.0 {
        return Err(refusal("prestations_refusal_hours_positive"));
    }
    let quarters = hours * 4.0;
    if (quarters - quarters.round()).abs() > 1e-9 {
        return Err(refusal("prestations_refusal_hours_quarters"));
    }
    let minutes = (quarters.round() as i64) * 15;
    if minutes > MAX_MINUTES {
        return Err(refusal("prestations_refusal_hours_most"));
    }
    Ok(minutes)
}

/// Parse a `YYYY-MM-DD` date of the field `field`.
pub fn parse_date(text: &str, field: &'static str) -> Result<NaiveDate, Text> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| refusal("prestations_refusal_date").with("field", field))
}

/// The deadlines a prestation carries, by stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Deadlines {
    /// Last day the worker may answer (worker stage).
    pub validation_due: Option<NaiveDate>,
    /// First day of the user stage (the day the worker stage ended).
    pub user_stage_from: Option<NaiveDate>,
    /// Day the next reminder is due (day 20, then day 40).
    pub next_reminder_on: Option<NaiveDate>,
    /// Reminders sent in this user stage.
    pub reminders_sent: i64,
    /// Last day the user may answer (day 60).
    pub confirm_due: Option<NaiveDate>,
}

/// Days after the start of the user stage when reminders are due.
pub const REMINDER_DAYS: [i64; 2] = [20, 40];
/// Calendar days the user has to answer.
pub const CONFIRM_DAYS: i64 = 60;
/// Business days the worker has to answer.
pub const VALIDATION_BUSINESS_DAYS: u32 = 5;

impl Deadlines {
    /// The user stage starting on `from`.
    pub fn user_stage(from: NaiveDate) -> Self {
        Self {
            validation_due: None,
            user_stage_from: Some(from),
            next_reminder_on: Some(from + chrono::Duration::days(REMINDER_DAYS[0])),
            reminders_sent: 0,
            confirm_due: Some(from + chrono::Duration::days(CONFIRM_DAYS)),
        }
    }

    /// After reminder number `sent` (1 or 2) of this stage.
    pub fn after_reminder(self, sent: i64) -> Self {
        let next = usize::try_from(sent)
            .ok()
            .and_then(|i| REMINDER_DAYS.get(i))
            .and_then(|days| {
                self.user_stage_from
                    .map(|f| f + chrono::Duration::days(*days))
            });
        Self {
            reminders_sent: sent,
            next_reminder_on: next,
            ..self
        }
    }
}

/// A prestation.
#[derive(Debug, Clone, Serialize)]
pub struct Prestation {
    /// Id.
    pub id: String,
    /// The approved enterprise (gateway structure id).
    pub structure_id: String,
    /// Its enterprise number.
    pub enterprise_number: String,
    /// Its common name.
    pub enterprise_name: String,
    /// The worker's id (gateway `sub`).
    pub worker_id: String,
    /// The worker's name.
    pub worker_name: String,
    /// The worker's voucher-user number, shown to people.
    pub worker_number: Option<String>,
    /// The user's (client's) id (gateway `sub`).
    pub user_id: String,
    /// The user's name.
    pub user_name: String,
    /// The user's voucher-user number, shown to people.
    pub user_number: Option<String>,
    /// Day of the prestation.
    pub work_date: NaiveDate,
    /// Duration in minutes.
    pub minutes: i64,
    /// What was done.
    pub activity: Activity,
    /// Where it stands.
    pub status: Status,
    /// Who encoded it first: the worker or the enterprise.
    pub encoded_by: Actor,
    /// The id of the person who encoded it.
    pub encoded_by_id: String,
    /// Who corrected it last, if anyone.
    pub corrected_by: Option<Actor>,
    /// Deadlines.
    pub deadlines: Deadlines,
    /// Confirmed by the scheduler rather than the user.
    pub auto_confirmed: bool,
    /// The user confirmed it while the worker still validated it.
    pub user_confirmed: bool,
    /// Optimistic-lock version, bumped by every change.
    pub version: i64,
    /// Created (unix ms).
    pub created_at: i64,
    /// Last change (unix ms).
    pub updated_at: i64,
}

impl Prestation {
    /// What the state machine needs besides the status.
    pub fn facts(&self) -> Facts {
        Facts {
            auto_confirmed: self.auto_confirmed,
            user_confirmed: self.user_confirmed,
        }
    }
}

/// One line of a prestation's history.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Event {
    /// Order within the prestation.
    pub seq: i64,
    /// When (unix ms).
    pub at: i64,
    /// `worker`, `enterprise`, `user` or `system`.
    pub actor: String,
    /// The person, unless the scheduler.
    pub actor_id: Option<String>,
    /// Their name.
    pub actor_name: Option<String>,
    /// What happened (`encode`, `send`, `correct`, ..., `reminder`).
    pub action: String,
    /// Status before.
    pub from_status: Option<String>,
    /// Status after.
    pub to_status: String,
    /// Reason, correction details, reminder number.
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_in_quarters() {
        assert_eq!(minutes_from_hours(3.0), Ok(180));
        assert_eq!(minutes_from_hours(2.25), Ok(135));
        assert!(minutes_from_hours(2.1).is_err());
        assert!(minutes_from_hours(0.0).is_err());
        assert!(minutes_from_hours(-1.0).is_err());
        assert!(minutes_from_hours(12.25).is_err());
        assert!(minutes_from_hours(f64::NAN).is_err());
    }

    #[test]
    fn user_stage_reminders_at_day_20_and_40_deadline_day_60() {
        let from = NaiveDate::from_ymd_opt(2025, 6, 2).expect("date");
        let d = Deadlines::user_stage(from);
        assert_eq!(d.next_reminder_on, NaiveDate::from_ymd_opt(2025, 6, 22));
        assert_eq!(d.confirm_due, NaiveDate::from_ymd_opt(2025, 8, 1));
        let d1 = d.after_reminder(1);
        assert_eq!(d1.next_reminder_on, NaiveDate::from_ymd_opt(2025, 7, 12));
        let d2 = d1.after_reminder(2);
        assert_eq!(d2.next_reminder_on, None);
        assert_eq!(d2.reminders_sent, 2);
    }
}
