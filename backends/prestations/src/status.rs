//! The prestation state machine: every status with its colour, and the one function that
//! says whether an action by an actor is allowed from a status ([`transition`]). Anything
//! not listed there is refused with a reason people can act on, and nothing changes.
//!
//! ```text
//! worker encodes ─► encoded ──send──► waiting ───────────────┐
//!                    │  ▲  (worker: correct, cancel)           │ user stage: confirm,
//!                    │  └── worker corrects `waiting`          │ contest; 60 calendar
//!                    └──── 5 business days ───► validated ─────┤ days ─► confirmed
//! enterprise encodes                                            │ (automatically)
//!  or corrects ─────► to_validate ─validate─► validated_by_worker┘
//!                      │  └──── 5 business days ──► validated
//!                      └─contest─► contested_by_worker ─(enterprise corrects)─► to_validate
//! user stage ─contest─► contested ─(enterprise corrects)─► to_validate
//! enterprise: cancel anything not yet confirmed ─► cancelled
//! ```
//!
//! "Waiting" in the issue's colour legend and "waiting for the user's confirmation" in its
//! list are one status (`waiting`, yellow). A prestation in `validated_by_worker` or
//! `validated` is also waiting for the user: its name says how the worker stage ended.

use serde::{Deserialize, Serialize};

/// Where a prestation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Encoded by the worker, not yet sent to the user (blue).
    Encoded,
    /// Encoded or corrected by the enterprise: to be validated by the worker (orange).
    ToValidate,
    /// The worker contested what the enterprise encoded (red).
    ContestedByWorker,
    /// The worker validated what the enterprise encoded; waiting for the user (green).
    ValidatedByWorker,
    /// Validated automatically after 5 business days; waiting for the user (green).
    Validated,
    /// Sent by the worker: waiting for the user's confirmation (yellow).
    Waiting,
    /// Confirmed by the user, or automatically after 60 calendar days (dark green).
    Confirmed,
    /// Contested by the user (red).
    Contested,
    /// Cancelled (grey). Final.
    Cancelled,
}

impl Status {
    /// Every status, in the order of the flow.
    pub const ALL: [Status; 9] = [
        Status::Encoded,
        Status::ToValidate,
        Status::ContestedByWorker,
        Status::ValidatedByWorker,
        Status::Validated,
        Status::Waiting,
        Status::Confirmed,
        Status::Contested,
        Status::Cancelled,
    ];

    /// The code stored and answered (`to_validate`, ...).
    pub fn code(self) -> &'static str {
        match self {
            Self::Encoded => "encoded",
            Self::ToValidate => "to_validate",
            Self::ContestedByWorker => "contested_by_worker",
            Self::ValidatedByWorker => "validated_by_worker",
            Self::Validated => "validated",
            Self::Waiting => "waiting",
            Self::Confirmed => "confirmed",
            Self::Contested => "contested",
            Self::Cancelled => "cancelled",
        }
    }

    /// From a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Self::Encoded => "Encoded",
            Self::ToValidate => "To be validated by the worker",
            Self::ContestedByWorker => "Contested by the worker",
            Self::ValidatedByWorker => "Validated by the worker",
            Self::Validated => "Validated",
            Self::Waiting => "Waiting for the user's confirmation",
            Self::Confirmed => "Confirmed",
            Self::Contested => "Contested",
            Self::Cancelled => "Cancelled",
        }
    }

    /// The colour the status shows.
    pub fn colour(self) -> &'static str {
        match self {
            Self::Encoded => "blue",
            Self::Waiting => "yellow",
            Self::ToValidate => "orange",
            Self::Validated | Self::ValidatedByWorker => "green",
            Self::Confirmed => "darkgreen",
            Self::ContestedByWorker | Self::Contested => "red",
            Self::Cancelled => "grey",
        }
    }

    /// Waiting for the worker's answer (5 business days run).
    pub fn in_worker_stage(self) -> bool {
        matches!(self, Self::Encoded | Self::ToValidate)
    }

    /// Waiting for the user's confirmation (60 calendar days run).
    pub fn in_user_stage(self) -> bool {
        matches!(
            self,
            Self::Waiting | Self::ValidatedByWorker | Self::Validated
        )
    }

    /// No action can change it any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Confirmed | Self::Cancelled)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Who acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The worker who performed the prestation.
    Worker,
    /// The approved enterprise's office (right `manage` in the structure).
    Enterprise,
    /// The user (client) the prestation was performed for.
    User,
    /// The deadline scheduler.
    System,
}

impl Actor {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Worker => "worker",
            Self::Enterprise => "enterprise",
            Self::User => "user",
            Self::System => "system",
        }
    }

    /// From a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        [Self::Worker, Self::Enterprise, Self::User, Self::System]
            .into_iter()
            .find(|a| a.code() == code)
    }
}

/// What an actor asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The worker sends their encoding to the user.
    Send,
    /// Change date, hours or activity.
    Correct,
    /// The worker agrees with what the enterprise encoded.
    Validate,
    /// The worker (worker stage) or the user (user stage) disagrees; a reason is required.
    Contest,
    /// The user agrees.
    Confirm,
    /// Withdraw it.
    Cancel,
    /// 5 business days passed without the worker's answer.
    AutoValidate,
    /// 60 calendar days passed without the user's answer.
    AutoConfirm,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 8] = [
        Action::Send,
        Action::Correct,
        Action::Validate,
        Action::Contest,
        Action::Confirm,
        Action::Cancel,
        Action::AutoValidate,
        Action::AutoConfirm,
    ];

    /// Stored code and URL segment.
    pub fn code(self) -> &'static str {
        match self {
            Self::Send => "send",
            Self::Correct => "correct",
            Self::Validate => "validate",
            Self::Contest => "contest",
            Self::Confirm => "confirm",
            Self::Cancel => "cancel",
            Self::AutoValidate => "auto_validate",
            Self::AutoConfirm => "auto_confirm",
        }
    }

    /// From a code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// An action refused from a status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {} a prestation that is \"{}\" as the {}: {reason}", .action.code(), .from.label(), .actor.code())]
pub struct TransitionError {
    /// Current status.
    pub from: Status,
    /// Refused action.
    pub action: Action,
    /// Who asked.
    pub actor: Actor,
    /// Why, in words.
    pub reason: &'static str,
}

/// The status after `action` by `actor` from `from`, or why not. `auto_confirmed` tells
/// whether a confirmed prestation was confirmed by the scheduler (for the message only:
/// no confirmed prestation can be contested).
pub fn transition(
    from: Status,
    action: Action,
    actor: Actor,
    auto_confirmed: bool,
) -> Result<Status, TransitionError> {
    use Action as A;
    use Actor as R;
    use Status as S;
    let to = match (from, action, actor) {
        (S::Encoded, A::Send, R::Worker) => S::Waiting,
        (S::Encoded | S::Waiting, A::Correct, R::Worker) => S::Encoded,
        (S::Encoded | S::Waiting, A::Cancel, R::Worker) => S::Cancelled,
        (
            S::Encoded
            | S::ToValidate
            | S::ContestedByWorker
            | S::Waiting
            | S::ValidatedByWorker
            | S::Validated
            | S::Contested,
            A::Correct,
            R::Enterprise,
        ) => S::ToValidate,
        (
            S::Encoded
            | S::ToValidate
            | S::ContestedByWorker
            | S::Waiting
            | S::ValidatedByWorker
            | S::Validated
            | S::Contested,
            A::Cancel,
            R::Enterprise,
        ) => S::Cancelled,
        (S::ToValidate, A::Validate, R::Worker) => S::ValidatedByWorker,
        (S::ToValidate, A::Contest, R::Worker) => S::ContestedByWorker,
        (S::Waiting | S::ValidatedByWorker | S::Validated, A::Confirm, R::User) => S::Confirmed,
        (S::Waiting | S::ValidatedByWorker | S::Validated, A::Contest, R::User) => S::Contested,
        (S::Encoded | S::ToValidate, A::AutoValidate, R::System) => S::Validated,
        (S::Waiting | S::ValidatedByWorker | S::Validated, A::AutoConfirm, R::System) => {
            S::Confirmed
        }
        _ => {
            return Err(TransitionError {
                from,
                action,
                actor,
                reason: refusal(from, action, actor, auto_confirmed),
            });
        }
    };
    Ok(to)
}

fn refusal(from: Status, action: Action, actor: Actor, auto_confirmed: bool) -> &'static str {
    use Action as A;
    use Actor as R;
    use Status as S;
    let owner_ok = match action {
        A::Send | A::Validate => actor == R::Worker,
        A::Confirm => actor == R::User,
        A::Contest => matches!(actor, R::Worker | R::User),
        A::Correct | A::Cancel => matches!(actor, R::Worker | R::Enterprise),
        A::AutoValidate | A::AutoConfirm => actor == R::System,
    };
    if !owner_ok {
        return match action {
            A::Send => "only the worker sends their own encoding",
            A::Validate => "only the worker validates what the enterprise encoded",
            A::Confirm => "only the user confirms a prestation",
            A::Contest => "only the worker or the user can contest",
            A::Correct | A::Cancel => "only the worker or the enterprise can do this",
            A::AutoValidate | A::AutoConfirm => "only the deadline scheduler does this",
        };
    }
    match (from, action, actor) {
        (S::Cancelled, _, _) => "it is cancelled",
        (S::Confirmed, A::Contest, R::User) if auto_confirmed => {
            "it was confirmed automatically after 60 days and can no longer be contested"
        }
        (S::Confirmed, A::Contest, R::User) => "you confirmed it: it can no longer be contested",
        (S::Confirmed, _, _) => "it is confirmed and can no longer change",
        (S::Contested, A::Contest, R::User) => "it is already contested",
        (_, A::Confirm | A::Contest, R::User) => {
            "the worker has not validated it yet; it is not waiting for your confirmation"
        }
        (_, A::Validate | A::Contest, R::Worker) => {
            "only a prestation encoded or corrected by the enterprise waits for the worker's validation"
        }
        (_, A::Send, _) => "only a prestation still being encoded can be sent",
        (_, A::Correct | A::Cancel, R::Worker) => {
            "a worker corrects or withdraws only their own encoding before it is validated; ask the enterprise"
        }
        (_, A::AutoValidate, _) => "it is not waiting for the worker",
        (_, A::AutoConfirm, _) => "it is not waiting for the user's confirmation",
        _ => "this action is not possible now",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const ACTORS: [Actor; 4] = [Actor::Worker, Actor::Enterprise, Actor::User, Actor::System];

    fn legal() -> HashMap<(Status, Action, Actor), Status> {
        use Action as A;
        use Actor as R;
        use Status as S;
        let mut m = HashMap::new();
        m.insert((S::Encoded, A::Send, R::Worker), S::Waiting);
        for s in [S::Encoded, S::Waiting] {
            m.insert((s, A::Correct, R::Worker), S::Encoded);
            m.insert((s, A::Cancel, R::Worker), S::Cancelled);
        }
        for s in [
            S::Encoded,
            S::ToValidate,
            S::ContestedByWorker,
            S::Waiting,
            S::ValidatedByWorker,
            S::Validated,
            S::Contested,
        ] {
            m.insert((s, A::Correct, R::Enterprise), S::ToValidate);
            m.insert((s, A::Cancel, R::Enterprise), S::Cancelled);
        }
        m.insert(
            (S::ToValidate, A::Validate, R::Worker),
            S::ValidatedByWorker,
        );
        m.insert((S::ToValidate, A::Contest, R::Worker), S::ContestedByWorker);
        for s in [S::Waiting, S::ValidatedByWorker, S::Validated] {
            m.insert((s, A::Confirm, R::User), S::Confirmed);
            m.insert((s, A::Contest, R::User), S::Contested);
            m.insert((s, A::AutoConfirm, R::System), S::Confirmed);
        }
        for s in [S::Encoded, S::ToValidate] {
            m.insert((s, A::AutoValidate, R::System), S::Validated);
        }
        m
    }

    #[test]
    fn every_combination_is_either_listed_or_refused() {
        let legal = legal();
        let mut checked = 0;
        for from in Status::ALL {
            for action in Action::ALL {
                for actor in ACTORS {
                    let got = transition(from, action, actor, false);
                    match legal.get(&(from, action, actor)) {
                        Some(to) => assert_eq!(got, Ok(*to), "{from:?} {action:?} {actor:?}"),
                        None => {
                            let err = got.expect_err("must be refused");
                            assert!(!err.reason.is_empty());
                            assert!(err.to_string().contains(from.label()));
                        }
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 9 * 8 * 4);
    }

    #[test]
    fn final_statuses_accept_nothing() {
        for action in Action::ALL {
            for actor in ACTORS {
                assert!(transition(Status::Confirmed, action, actor, true).is_err());
                assert!(transition(Status::Cancelled, action, actor, false).is_err());
            }
        }
    }

    #[test]
    fn auto_confirmed_cannot_be_contested_with_a_clear_reason() {
        let err =
            transition(Status::Confirmed, Action::Contest, Actor::User, true).expect_err("refused");
        assert!(err.reason.contains("confirmed automatically"));
    }

    #[test]
    fn codes_round_trip_and_colours_match_the_legend() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
        for a in Action::ALL {
            assert_eq!(Action::parse(a.code()), Some(a));
        }
        assert_eq!(Status::Encoded.colour(), "blue");
        assert_eq!(Status::Waiting.colour(), "yellow");
        assert_eq!(Status::ToValidate.colour(), "orange");
        assert_eq!(Status::Validated.colour(), "green");
    }
}
