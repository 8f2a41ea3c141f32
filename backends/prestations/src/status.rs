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
//! The user sees a prestation as soon as it is encoded and may answer in parallel with the
//! worker's validation (seed 001: « La prestation sera, en parallèle, visible auprès de
//! l'utilisateur·rice pour qu'il·elle puisse la confirmer »). While the worker still
//! validates (`encoded`, `to_validate`) the user may contest (→ `contested`) or confirm:
//! the confirmation is kept ([`Facts::user_confirmed`]) and the status stays; when the
//! worker stage ends (the worker validates or sends, or 5 business days pass) a prestation
//! the user already confirmed is `confirmed` at once, with no user stage. A correction
//! changes what was confirmed, so it forgets the user's early confirmation.
//!
//! "Waiting" in the colour legend and "waiting for the user's confirmation" are one status
//! (`waiting`, yellow). A prestation in `validated_by_worker` or `validated` is also
//! waiting for the user: its name says how the worker stage ended. The user sees every
//! status of the worker stage as « En attente de validation » ([`Status::label_for_user`]).

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

    /// What people read (the enterprise, the worker). The seed's French names are in
    /// [`Status::seed_name`].
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

    /// The seed's own name of the status (French, seed 001), where the seed gives one.
    pub fn seed_name(self) -> Option<&'static str> {
        match self {
            Self::Encoded => Some("encodée"),
            Self::ToValidate => Some("à valider par le·la travailleur·euse"),
            Self::ContestedByWorker => Some("contesté par le·la travailleur·euse"),
            Self::ValidatedByWorker => Some("validé par le·la travailleur·euse"),
            Self::Validated => Some("validée"),
            Self::Waiting => Some("en attente"),
            Self::Confirmed | Self::Contested | Self::Cancelled => None,
        }
    }

    /// What the user (the client) reads: every status of the worker stage is « En attente
    /// de validation » for them (seed 001), the others as for everyone.
    pub fn label_for_user(self) -> &'static str {
        if self.with_the_worker() {
            USER_AWAITING_VALIDATION
        } else {
            self.label()
        }
    }

    /// Still with the worker: being encoded, to validate, or contested by the worker.
    pub fn with_the_worker(self) -> bool {
        matches!(
            self,
            Self::Encoded | Self::ToValidate | Self::ContestedByWorker
        )
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

/// The user's view of every status of the worker stage (seed 001: « En attente de
/// validation »).
pub const USER_AWAITING_VALIDATION: &str = "Waiting for validation";

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

/// What besides its status decides a prestation's next status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    /// A confirmed prestation was confirmed by the scheduler (for the message only: no
    /// confirmed prestation can be contested).
    pub auto_confirmed: bool,
    /// The user confirmed it while the worker still validated it.
    pub user_confirmed: bool,
}

/// The status after `action` by `actor` from `from`, or why not.
pub fn transition(
    from: Status,
    action: Action,
    actor: Actor,
    facts: Facts,
) -> Result<Status, TransitionError> {
    use Action as A;
    use Actor as R;
    use Status as S;
    // The end of the worker stage: straight to confirmed when the user already confirmed.
    let after_worker = |otherwise: Status| {
        if facts.user_confirmed {
            S::Confirmed
        } else {
            otherwise
        }
    };
    let to = match (from, action, actor) {
        (S::Encoded, A::Send, R::Worker) => after_worker(S::Waiting),
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
        (S::ToValidate, A::Validate, R::Worker) => after_worker(S::ValidatedByWorker),
        (S::ToValidate, A::Contest, R::Worker) => S::ContestedByWorker,
        // In parallel with the worker: the confirmation is kept, the status stays.
        (S::Encoded | S::ToValidate, A::Confirm, R::User) if !facts.user_confirmed => from,
        (S::Encoded | S::ToValidate, A::Contest, R::User) => S::Contested,
        (S::Waiting | S::ValidatedByWorker | S::Validated, A::Confirm, R::User) => S::Confirmed,
        (S::Waiting | S::ValidatedByWorker | S::Validated, A::Contest, R::User) => S::Contested,
        (S::Encoded | S::ToValidate, A::AutoValidate, R::System) => after_worker(S::Validated),
        (S::Waiting | S::ValidatedByWorker | S::Validated, A::AutoConfirm, R::System) => {
            S::Confirmed
        }
        _ => {
            return Err(TransitionError {
                from,
                action,
                actor,
                reason: refusal(from, action, actor, facts),
            });
        }
    };
    Ok(to)
}

fn refusal(from: Status, action: Action, actor: Actor, facts: Facts) -> &'static str {
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
        (S::Confirmed, A::Contest, R::User) if facts.auto_confirmed => {
            "it was confirmed automatically after 60 days and can no longer be contested"
        }
        (S::Confirmed, A::Contest, R::User) => "you confirmed it: it can no longer be contested",
        (S::Confirmed, _, _) => "it is confirmed and can no longer change",
        (S::Contested, A::Contest, R::User) => "it is already contested",
        (S::Encoded | S::ToValidate, A::Confirm, R::User) => {
            "you already confirmed it; it now waits for the worker's validation"
        }
        (S::ContestedByWorker, A::Confirm | A::Contest, R::User) => {
            "the worker contested it; the enterprise corrects it first"
        }
        (_, A::Confirm | A::Contest, R::User) => "it is not waiting for your confirmation",
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

/// The catalogue key of each refusal's reason (the reasons above are the English text of
/// the API and the log; a page shows the catalogue's text in the person's language).
const REASON_KEYS: [(&str, &str); 20] = [
    (
        "only the worker sends their own encoding",
        "prestations_refusal_send_owner",
    ),
    (
        "only the worker validates what the enterprise encoded",
        "prestations_refusal_validate_owner",
    ),
    (
        "only the user confirms a prestation",
        "prestations_refusal_confirm_owner",
    ),
    (
        "only the worker or the user can contest",
        "prestations_refusal_contest_owner",
    ),
    (
        "only the worker or the enterprise can do this",
        "prestations_refusal_correct_owner",
    ),
    (
        "only the deadline scheduler does this",
        "prestations_refusal_scheduler_owner",
    ),
    ("it is cancelled", "prestations_refusal_cancelled"),
    (
        "it was confirmed automatically after 60 days and can no longer be contested",
        "prestations_refusal_auto_confirmed",
    ),
    (
        "you confirmed it: it can no longer be contested",
        "prestations_refusal_you_confirmed",
    ),
    (
        "it is confirmed and can no longer change",
        "prestations_refusal_confirmed",
    ),
    (
        "it is already contested",
        "prestations_refusal_already_contested",
    ),
    (
        "you already confirmed it; it now waits for the worker's validation",
        "prestations_refusal_already_confirmed",
    ),
    (
        "the worker contested it; the enterprise corrects it first",
        "prestations_refusal_worker_contested",
    ),
    (
        "it is not waiting for your confirmation",
        "prestations_refusal_not_waiting_user",
    ),
    (
        "only a prestation encoded or corrected by the enterprise waits for the worker's validation",
        "prestations_refusal_not_to_validate",
    ),
    (
        "only a prestation still being encoded can be sent",
        "prestations_refusal_not_encoded",
    ),
    (
        "a worker corrects or withdraws only their own encoding before it is validated; ask the enterprise",
        "prestations_refusal_worker_own_only",
    ),
    (
        "it is not waiting for the worker",
        "prestations_refusal_not_waiting_worker",
    ),
    (
        "it is not waiting for the user's confirmation",
        "prestations_refusal_not_waiting_confirmation",
    ),
    (
        "this action is not possible now",
        "prestations_refusal_not_now",
    ),
];

impl TransitionError {
    /// The catalogue key of [`TransitionError::reason`].
    pub fn reason_key(&self) -> &'static str {
        REASON_KEYS
            .iter()
            .find(|(reason, _)| *reason == self.reason)
            .map_or("prestations_refusal_not_now", |(_, key)| key)
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
        // The user answers in parallel with the worker's validation.
        for s in [S::Encoded, S::ToValidate] {
            m.insert((s, A::Confirm, R::User), s);
            m.insert((s, A::Contest, R::User), S::Contested);
        }
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
                    let got = transition(from, action, actor, Facts::default());
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
                let auto = Facts {
                    auto_confirmed: true,
                    ..Facts::default()
                };
                assert!(transition(Status::Confirmed, action, actor, auto).is_err());
                assert!(transition(Status::Cancelled, action, actor, Facts::default()).is_err());
            }
        }
    }

    #[test]
    fn auto_confirmed_cannot_be_contested_with_a_clear_reason() {
        let auto = Facts {
            auto_confirmed: true,
            ..Facts::default()
        };
        let err =
            transition(Status::Confirmed, Action::Contest, Actor::User, auto).expect_err("refused");
        assert!(err.reason.contains("confirmed automatically"));
    }

    #[test]
    fn an_early_confirmation_ends_the_worker_stage_in_confirmed() {
        use Action as A;
        use Actor as R;
        use Status as S;
        let confirmed = Facts {
            user_confirmed: true,
            ..Facts::default()
        };
        assert_eq!(
            transition(S::ToValidate, A::Validate, R::Worker, confirmed),
            Ok(S::Confirmed)
        );
        assert_eq!(
            transition(S::Encoded, A::Send, R::Worker, confirmed),
            Ok(S::Confirmed)
        );
        for s in [S::Encoded, S::ToValidate] {
            assert_eq!(
                transition(s, A::AutoValidate, R::System, confirmed),
                Ok(S::Confirmed)
            );
            let again = transition(s, A::Confirm, R::User, confirmed).expect_err("twice");
            assert!(again.reason.contains("already confirmed"));
        }
        // The worker may still contest what the user confirmed.
        assert_eq!(
            transition(S::ToValidate, A::Contest, R::Worker, confirmed),
            Ok(S::ContestedByWorker)
        );
    }

    #[test]
    fn the_user_sees_the_worker_stage_as_awaiting_validation() {
        for s in Status::ALL {
            let expected = if matches!(
                s,
                Status::Encoded | Status::ToValidate | Status::ContestedByWorker
            ) {
                "Waiting for validation"
            } else {
                s.label()
            };
            assert_eq!(s.label_for_user(), expected, "{s:?}");
        }
        assert_eq!(
            Status::ToValidate.seed_name(),
            Some("à valider par le·la travailleur·euse")
        );
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

    #[test]
    fn every_refusal_reason_has_its_catalogue_key() {
        for from in Status::ALL {
            for action in Action::ALL {
                for actor in [Actor::Worker, Actor::Enterprise, Actor::User, Actor::System] {
                    for auto_confirmed in [false, true] {
                        let facts = Facts {
                            auto_confirmed,
                            user_confirmed: false,
                        };
                        if let Err(e) = transition(from, action, actor, facts) {
                            let known = REASON_KEYS.iter().any(|(r, _)| *r == e.reason);
                            assert!(known, "no key for {:?}", e.reason);
                        }
                    }
                }
            }
        }
    }
}
