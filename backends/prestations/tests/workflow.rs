//! The prestation workflow through the service, on SQLite and PostgreSQL: who may do what,
//! illegal transitions change nothing, who encoded it, history, the dates accepted and the
//! switch to the worker's validation, the user acting as themselves, the user's answer in
//! parallel with the worker's validation.

mod common;

use backend_kit::db_tests;
use backend_kit::test_support::TestDb;
use backend_kit::{Caller, ManualClock};
use common::*;
use prestations::service::{ActInput, EncodeInput, ServiceError};
use prestations::status::{Action, Actor, Status};
use prestations::{OUTBOX, store};

fn encode(date: &str, send: bool) -> EncodeInput {
    EncodeInput {
        worker_number: None,
        user_number: u1_number(),
        date: date.to_owned(),
        hours: 3.5,
        activity: "cleaning".to_owned(),
        send,
    }
}

fn for_worker(date: &str) -> EncodeInput {
    EncodeInput {
        worker_number: Some(w1_number()),
        ..encode(date, false)
    }
}

fn reason(text: &str) -> ActInput {
    ActInput {
        reason: Some(text.to_owned()),
        ..ActInput::default()
    }
}

async fn worker_encodes_sends_and_user_confirms(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 18);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let svc = app.prestations();
    let p = svc
        .encode(&worker(), encode("2025-09-10", true))
        .await
        .expect("encode");
    assert_eq!(p.status, Status::Waiting);
    assert_eq!(p.encoded_by, Actor::Worker);
    assert_eq!(p.minutes, 210);
    assert_eq!(p.enterprise_number, S1.1);
    assert_eq!(p.deadlines.confirm_due, Some(d(2025, 11, 9)));
    let done = svc
        .act(&user(), &p.id, Action::Confirm, ActInput::default())
        .await
        .expect("confirm");
    assert_eq!(done.status, Status::Confirmed);
    assert!(!done.auto_confirmed);
    let history = store::events(app.pool(), &p.id).await.expect("events");
    let steps: Vec<(&str, &str, &str)> = history
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str(), e.to_status.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("worker", "encode", "encoded"),
            ("worker", "send", "waiting"),
            ("user", "confirm", "confirmed")
        ]
    );
    assert_eq!(history[2].actor_name.as_deref(), Some("Ursula User"));
    // The user was asked to confirm (no address known: kept as a notice).
    let notices = OUTBOX.about(app.pool(), "u1", 10).await.expect("notices");
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].state, "no_address");
    app.close().await;
}

async fn enterprise_encodes_worker_validates(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let svc = app.prestations();
    // A worker without the office right cannot encode for someone else.
    let w2 = number(
        &app,
        &Caller::new(claims("w2", "Walter", Some(S1), &["read"])),
    )
    .await;
    assert_ne!(w2, w1_number());
    let mut input = for_worker("2025-09-09");
    input.worker_number = Some(w2);
    let err = svc
        .encode(&worker(), input)
        .await
        .expect_err("not the office");
    assert!(matches!(err, ServiceError::Forbidden(_)));
    let p = svc
        .encode(&office(), for_worker("2025-09-09"))
        .await
        .expect("encode");
    assert_eq!(p.status, Status::ToValidate);
    assert_eq!(p.encoded_by, Actor::Enterprise);
    assert_eq!(p.worker_id, "w1");
    // 10 September 2025 is a Wednesday: 5 business days later is Wednesday 17.
    assert_eq!(p.deadlines.validation_due, Some(d(2025, 9, 17)));
    let notices = OUTBOX.about(app.pool(), "w1", 10).await.expect("notices");
    assert_eq!(notices.len(), 1, "the worker is told");
    // The user sees it at once (and may answer in parallel, see
    // `the_user_answers_in_parallel_with_the_worker`) but never validates for the worker.
    assert_eq!(
        svc.get(&user(), &p.id).await.expect("seen").status,
        Status::ToValidate
    );
    let err = svc
        .act(&user(), &p.id, Action::Validate, ActInput::default())
        .await
        .expect_err("the worker's");
    assert!(
        err.to_string().contains("only the worker validates"),
        "{err}"
    );
    let v = svc
        .act(&worker(), &p.id, Action::Validate, ActInput::default())
        .await
        .expect("validate");
    assert_eq!(v.status, Status::ValidatedByWorker);
    assert_eq!(v.deadlines.validation_due, None);
    assert_eq!(v.deadlines.user_stage_from, Some(d(2025, 9, 10)));
    let c = svc
        .act(&user(), &p.id, Action::Confirm, ActInput::default())
        .await
        .expect("confirm");
    assert_eq!(c.status, Status::Confirmed);
    app.close().await;
}

async fn illegal_transitions_change_nothing(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let svc = app.prestations();
    let p = svc
        .encode(&office(), for_worker("2025-09-10"))
        .await
        .expect("encode");
    let before = store::events(app.pool(), &p.id)
        .await
        .expect("events")
        .len();
    let attempts: Vec<(Caller, Action)> = vec![
        (user(), Action::Validate),
        (user(), Action::Cancel),
        (user(), Action::Send),
        (worker(), Action::Send),
        (worker(), Action::Confirm),
        (worker(), Action::Cancel),
        (office(), Action::Validate),
        (office(), Action::Confirm),
    ];
    for (caller, action) in attempts {
        let err = svc
            .act(&caller, &p.id, action, reason("r"))
            .await
            .expect_err("refused");
        assert!(
            matches!(err, ServiceError::Transition(_)),
            "{action:?}: {err}"
        );
    }
    let err = svc
        .act(&stranger(), &p.id, Action::Cancel, ActInput::default())
        .await
        .expect_err("no party");
    assert!(matches!(err, ServiceError::NotFound));
    let err = svc
        .act(&user(), &p.id, Action::AutoConfirm, ActInput::default())
        .await
        .expect_err("scheduler only");
    assert!(matches!(err, ServiceError::Forbidden(_)));
    let after = svc.get(&office(), &p.id).await.expect("get");
    assert_eq!(after.version, p.version);
    assert_eq!(after.status, Status::ToValidate);
    assert_eq!(
        store::events(app.pool(), &p.id)
            .await
            .expect("events")
            .len(),
        before
    );
    // Final states refuse everything, again without a trace.
    svc.act(&office(), &p.id, Action::Cancel, ActInput::default())
        .await
        .expect("cancel");
    for action in [Action::Correct, Action::Cancel, Action::Validate] {
        assert!(
            svc.act(&office(), &p.id, action, ActInput::default())
                .await
                .is_err()
        );
    }
    assert_eq!(
        svc.get(&office(), &p.id).await.expect("get").version,
        p.version + 1
    );
    app.close().await;
}

async fn worker_contests_then_enterprise_corrects(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 11, 3), 9);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let svc = app.prestations();
    let p = svc
        .encode(&office(), for_worker("2025-11-03"))
        .await
        .expect("encode");
    let err = svc
        .act(&worker(), &p.id, Action::Contest, reason("  "))
        .await
        .expect_err("reason");
    assert!(matches!(err, ServiceError::Invalid(_)));
    let c = svc
        .act(
            &worker(),
            &p.id,
            Action::Contest,
            reason("I worked 3 hours"),
        )
        .await
        .expect("contest");
    assert_eq!(c.status, Status::ContestedByWorker);
    assert_eq!(
        c.deadlines.validation_due, None,
        "no automatic validation of a contested one"
    );
    clock.set_brussels(d(2025, 11, 7), 10);
    let correction = ActInput {
        hours: Some(3.0),
        ..ActInput::default()
    };
    let fixed = svc
        .act(&office(), &p.id, Action::Correct, correction)
        .await
        .expect("correct");
    assert_eq!(fixed.status, Status::ToValidate);
    assert_eq!(fixed.minutes, 180);
    assert_eq!(fixed.corrected_by, Some(Actor::Enterprise));
    // From Friday 7 November: Tuesday 11 (Armistice) and the weekend do not count.
    assert_eq!(fixed.deadlines.validation_due, Some(d(2025, 11, 17)));
    let nothing = svc
        .act(
            &office(),
            &p.id,
            Action::Correct,
            ActInput {
                hours: Some(3.0),
                ..ActInput::default()
            },
        )
        .await;
    assert!(
        matches!(nothing, Err(ServiceError::Invalid(_))),
        "a correction must change something"
    );
    let history = store::events(app.pool(), &p.id).await.expect("events");
    assert_eq!(
        history.last().and_then(|e| e.note.clone()).as_deref(),
        Some("minutes 210 -> 180")
    );
    app.close().await;
}

async fn worker_draft_is_corrected_then_sent(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let svc = app.prestations();
    let p = svc
        .encode(&worker(), encode("2025-09-10", false))
        .await
        .expect("encode");
    assert_eq!(p.status, Status::Encoded);
    let fix = ActInput {
        activity: Some("meals".to_owned()),
        ..ActInput::default()
    };
    let p2 = svc
        .act(&worker(), &p.id, Action::Correct, fix)
        .await
        .expect("own correction");
    assert_eq!(p2.status, Status::Encoded);
    assert_eq!(p2.corrected_by, Some(Actor::Worker));
    let sent = svc
        .act(&worker(), &p.id, Action::Send, ActInput::default())
        .await
        .expect("send");
    assert_eq!(sent.status, Status::Waiting);
    // The worker can still take back their encoding before the user answers...
    let back = svc
        .act(
            &worker(),
            &p.id,
            Action::Correct,
            ActInput {
                hours: Some(4.0),
                ..ActInput::default()
            },
        )
        .await
        .expect("take back");
    assert_eq!(back.status, Status::Encoded);
    svc.act(&worker(), &p.id, Action::Send, ActInput::default())
        .await
        .expect("send again");
    svc.act(&user(), &p.id, Action::Contest, reason("nobody came"))
        .await
        .expect("user contests");
    // ...but not after: only the enterprise corrects a contested prestation.
    let err = svc
        .act(
            &worker(),
            &p.id,
            Action::Correct,
            ActInput {
                hours: Some(2.0),
                ..ActInput::default()
            },
        )
        .await
        .expect_err("worker");
    assert!(matches!(err, ServiceError::Transition(_)));
    let again = svc
        .act(
            &office(),
            &p.id,
            Action::Correct,
            ActInput {
                hours: Some(2.0),
                ..ActInput::default()
            },
        )
        .await
        .expect("office");
    assert_eq!(again.status, Status::ToValidate, "back to the worker");
    app.close().await;
}

async fn future_dates_are_refused_older_ones_are_not(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 6, 3), 9);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let svc = app.prestations();
    assert!(
        svc.encode(&worker(), encode("2025-06-04", true))
            .await
            .is_err(),
        "future"
    );
    // Seed 001: prestations from before June still in progress go to the worker too; they
    // are not refused.
    let may = svc
        .encode(&office(), for_worker("2025-05-20"))
        .await
        .expect("a prestation of May is accepted");
    assert_eq!(may.status, Status::ToValidate);
    assert_eq!(may.worker_id, "w1");
    svc.encode(&worker(), encode("2025-05-31", true))
        .await
        .expect("the worker's own, of May");
    let moved = svc
        .act(
            &office(),
            &may.id,
            Action::Correct,
            ActInput {
                date: Some("2025-05-10".to_owned()),
                ..ActInput::default()
            },
        )
        .await
        .expect("a correction may move it earlier");
    assert_eq!(moved.status, Status::ToValidate, "back to the worker");
    let mut same = encode("2025-06-02", true);
    same.user_number = w1_number();
    assert!(
        svc.encode(&worker(), same).await.is_err(),
        "worker and user must differ"
    );
    let mut bad = encode("2025-06-02", true);
    bad.hours = 2.1;
    assert!(
        svc.encode(&worker(), bad).await.is_err(),
        "quarters of an hour"
    );
    let mut unknown = encode("2025-06-02", true);
    unknown.user_number = prestations::registry::number_of(99);
    let err = svc
        .encode(&worker(), unknown)
        .await
        .expect_err("nobody has it");
    assert!(err.to_string().contains("no client"), "{err}");
    let mut typo = encode("2025-06-02", true);
    typo.user_number = "0000000195".to_owned();
    let err = svc.encode(&worker(), typo).await.expect_err("check digits");
    assert!(err.to_string().contains("check digits"), "{err}");
    app.close().await;
}

async fn enterprise_work_from_before_the_switch_goes_to_the_worker(db: &TestDb) {
    // Before 1 June 2025 the enterprise's encodings went to the user directly.
    let clock = ManualClock::at_brussels(d(2025, 5, 20), 9);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let svc = app.prestations();
    let recorded = svc
        .encode(&office(), for_worker("2025-05-19"))
        .await
        .expect("recorded by the enterprise");
    assert_eq!(recorded.status, Status::Waiting);
    assert_eq!(recorded.encoded_by, Actor::Enterprise);
    let own = svc
        .encode(&worker(), encode("2025-05-19", true))
        .await
        .expect("the worker's own");
    let to_correct = svc
        .encode(&worker(), encode("2025-05-16", true))
        .await
        .expect("the worker's own, corrected by the enterprise");
    let corrected = svc
        .act(
            &office(),
            &to_correct.id,
            Action::Correct,
            ActInput {
                hours: Some(2.0),
                ..ActInput::default()
            },
        )
        .await
        .expect("corrected");
    assert_eq!(
        corrected.status,
        Status::Waiting,
        "to the user, as before June"
    );
    let confirmed = svc
        .encode(&office(), for_worker("2025-05-12"))
        .await
        .expect("recorded");
    svc.act(&user(), &confirmed.id, Action::Confirm, ActInput::default())
        .await
        .expect("confirmed before June: done");
    let scheduler = app.scheduler();
    clock.set_brussels(d(2025, 5, 31), 12);
    assert_eq!(scheduler.pass().await.expect("pass").to_worker, 0);
    // Monday 2 June: the worker validates what the enterprise recorded or corrected and
    // the user has not answered yet.
    clock.set_brussels(d(2025, 6, 2), 0);
    assert_eq!(scheduler.pass().await.expect("pass").to_worker, 2);
    for id in [&recorded.id, &to_correct.id] {
        let p = svc.get(&office(), id).await.expect("get");
        assert_eq!(p.status, Status::ToValidate);
        // Whit Monday (9 June 2025) is no business day.
        assert_eq!(p.deadlines.validation_due, Some(d(2025, 6, 10)));
        let last = store::events(app.pool(), id)
            .await
            .expect("events")
            .pop()
            .expect("event");
        assert_eq!(
            (last.actor.as_str(), last.action.as_str()),
            ("system", "to_worker")
        );
    }
    assert_eq!(
        svc.get(&worker(), &own.id).await.expect("get").status,
        Status::Waiting,
        "the worker's own encoding needs no validation"
    );
    assert_eq!(
        svc.get(&user(), &confirmed.id).await.expect("get").status,
        Status::Confirmed
    );
    let to_worker = OUTBOX.about(app.pool(), "w1", 10).await.expect("notices");
    assert_eq!(to_worker.len(), 2, "the worker is asked to validate both");
    assert_eq!(scheduler.pass().await.expect("pass").to_worker, 0, "once");
    app.close().await;
    // The switch date is configurable.
    let mut config = common::config(db, &clock);
    config.validation_start = d(2025, 7, 1);
    let app = prestations::build(config).await.expect("app");
    let later = app
        .prestations()
        .encode(&office(), for_worker("2025-06-02"))
        .await
        .expect("encode");
    assert_eq!(
        later.status,
        Status::Waiting,
        "the worker validates from July"
    );
    app.close().await;
}

async fn a_person_acting_as_themselves_is_the_user_only(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let svc = app.prestations();
    let by_office = svc
        .encode(&office(), for_worker("2025-09-09"))
        .await
        .expect("to validate");
    let sent = svc
        .encode(&worker(), encode("2025-09-09", true))
        .await
        .expect("waiting");
    let draft = svc
        .encode(&worker(), encode("2025-09-10", false))
        .await
        .expect("draft");
    let seen: Vec<Status> = svc
        .list(&user(), &store::ListFilter::default())
        .await
        .expect("list")
        .into_iter()
        .map(|p| p.status)
        .collect();
    assert_eq!(seen.len(), 3, "every status: {seen:?}");
    for s in [Status::ToValidate, Status::Waiting, Status::Encoded] {
        assert!(seen.contains(&s), "{s:?}");
    }
    // The same person acting for an organisation is only that organisation's.
    let at_work = Caller::new(claims("u1", "Ursula User", Some(S2), &["read", "modify"]));
    assert!(
        svc.list(&at_work, &store::ListFilter::default())
            .await
            .expect("list")
            .is_empty()
    );
    assert!(matches!(
        svc.act(&at_work, &sent.id, Action::Confirm, ActInput::default())
            .await,
        Err(ServiceError::NotFound)
    ));
    // A structure beside `self` is never trusted: no enterprise's powers.
    let mut forged = claims(
        "o1",
        "Olivier Office",
        Some(S1),
        &["read", "modify", "manage"],
    );
    forged.acting = assertion::Acting::Myself;
    let forged = Caller::new(forged);
    assert!(matches!(
        svc.act(&forged, &draft.id, Action::Cancel, ActInput::default())
            .await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        svc.encode(&forged, for_worker("2025-09-09")).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(
        svc.list(&forged, &store::ListFilter::default())
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        svc.get(&office(), &by_office.id)
            .await
            .expect("get")
            .version,
        1
    );
    app.close().await;
}

async fn the_user_answers_in_parallel_with_the_worker(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let svc = app.prestations();
    let p = svc
        .encode(&office(), for_worker("2025-09-09"))
        .await
        .expect("encode");
    let early = svc
        .act(&user(), &p.id, Action::Confirm, ActInput::default())
        .await
        .expect("confirmed while the worker validates");
    assert_eq!(early.status, Status::ToValidate, "still with the worker");
    assert!(early.user_confirmed);
    assert_eq!(
        early.deadlines, p.deadlines,
        "the worker's deadline runs on"
    );
    let again = svc
        .act(&user(), &p.id, Action::Confirm, ActInput::default())
        .await
        .expect_err("once");
    assert!(again.to_string().contains("already confirmed"), "{again}");
    let done = svc
        .act(&worker(), &p.id, Action::Validate, ActInput::default())
        .await
        .expect("validate");
    assert_eq!(done.status, Status::Confirmed);
    assert!(!done.auto_confirmed, "the user's own word");
    // Confirmed early, then validated automatically: confirmed.
    let q = svc
        .encode(&office(), for_worker("2025-09-10"))
        .await
        .expect("encode");
    svc.act(&user(), &q.id, Action::Confirm, ActInput::default())
        .await
        .expect("early");
    clock.set_brussels(d(2025, 9, 18), 6);
    let report = app.scheduler().pass().await.expect("pass");
    assert_eq!(report.validated, 1);
    let q = svc.get(&user(), &q.id).await.expect("get");
    assert_eq!(q.status, Status::Confirmed);
    assert_eq!(q.deadlines, prestations::model::Deadlines::default());
    // A correction forgets what the user confirmed.
    let r = svc
        .encode(&office(), for_worker("2025-09-17"))
        .await
        .expect("encode");
    svc.act(&user(), &r.id, Action::Confirm, ActInput::default())
        .await
        .expect("early");
    let fixed = svc
        .act(
            &office(),
            &r.id,
            Action::Correct,
            ActInput {
                hours: Some(1.0),
                ..ActInput::default()
            },
        )
        .await
        .expect("correct");
    assert!(!fixed.user_confirmed);
    let validated = svc
        .act(&worker(), &r.id, Action::Validate, ActInput::default())
        .await
        .expect("validate");
    assert_eq!(
        validated.status,
        Status::ValidatedByWorker,
        "the user answers again"
    );
    // The user may contest while the worker validates.
    let s2 = svc
        .encode(&office(), for_worker("2025-09-17"))
        .await
        .expect("encode");
    let contested = svc
        .act(&user(), &s2.id, Action::Contest, reason("nobody came"))
        .await
        .expect("contest");
    assert_eq!(contested.status, Status::Contested);
    assert_eq!(contested.deadlines.validation_due, None);
    app.close().await;
}

async fn history_lists_three_months_without_cancelled(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 12, 15), 9);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let svc = app.prestations();
    let old = svc
        .encode(&worker(), encode("2025-09-14", true))
        .await
        .expect("old");
    let edge = svc
        .encode(&worker(), encode("2025-09-15", true))
        .await
        .expect("edge");
    let recent = svc
        .encode(&worker(), encode("2025-11-20", true))
        .await
        .expect("recent");
    let cancelled = svc
        .encode(&worker(), encode("2025-12-01", true))
        .await
        .expect("to cancel");
    svc.act(
        &office(),
        &cancelled.id,
        Action::Cancel,
        ActInput::default(),
    )
    .await
    .expect("cancel");
    for who in [worker(), office(), user()] {
        let ids: Vec<String> = svc
            .history(&who)
            .await
            .expect("history")
            .into_iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(ids, [recent.id.clone(), edge.id.clone()], "{}", who.sub());
    }
    assert!(svc.history(&stranger()).await.expect("history").is_empty());
    let all = svc
        .list(&office(), &store::ListFilter::default())
        .await
        .expect("list");
    assert_eq!(all.len(), 4, "the full list still has them");
    assert!(all.iter().any(|p| p.id == old.id));
    app.close().await;
}

async fn visibility_follows_roles(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let svc = app.prestations();
    let p = svc
        .encode(&worker(), encode("2025-09-10", true))
        .await
        .expect("encode");
    for who in [worker(), office(), user()] {
        assert!(svc.get(&who, &p.id).await.is_ok(), "{}", who.sub());
    }
    assert!(matches!(
        svc.get(&stranger(), &p.id).await,
        Err(ServiceError::NotFound)
    ));
    // The worker acting for another structure is not the worker of this one.
    let elsewhere = Caller::new(claims("w1", "Wendy Worker", Some(S2), &["read", "modify"]));
    assert!(matches!(
        svc.get(&elsewhere, &p.id).await,
        Err(ServiceError::NotFound)
    ));
    // A colleague without the office right sees only their own.
    let colleague = Caller::new(claims("w2", "Walter", Some(S1), &["read", "modify"]));
    assert!(matches!(
        svc.get(&colleague, &p.id).await,
        Err(ServiceError::NotFound)
    ));
    app.close().await;
}

db_tests!(
    worker_encodes_sends_and_user_confirms,
    enterprise_encodes_worker_validates,
    illegal_transitions_change_nothing,
    worker_contests_then_enterprise_corrects,
    worker_draft_is_corrected_then_sent,
    future_dates_are_refused_older_ones_are_not,
    enterprise_work_from_before_the_switch_goes_to_the_worker,
    a_person_acting_as_themselves_is_the_user_only,
    the_user_answers_in_parallel_with_the_worker,
    history_lists_three_months_without_cancelled,
    visibility_follows_roles,
);
