//! The prestation workflow through the service, on SQLite and PostgreSQL: who may do what,
//! illegal transitions change nothing, who encoded it, history, the scheme start date.

mod common;

use backend_kit::ManualClock;
use backend_kit::db_tests;
use backend_kit::test_support::TestDb;
use common::*;
use prestations::service::{ActInput, EncodeInput, ServiceError};
use prestations::status::{Action, Actor, Status};
use prestations::{OUTBOX, store};

fn encode(date: &str, send: bool) -> EncodeInput {
    EncodeInput {
        worker_id: None,
        worker_name: None,
        user_id: "u1".to_owned(),
        user_name: Some("Ursula User".to_owned()),
        date: date.to_owned(),
        hours: 3.5,
        activity: "cleaning".to_owned(),
        send,
    }
}

fn for_worker(date: &str) -> EncodeInput {
    EncodeInput {
        worker_id: Some("w1".to_owned()),
        worker_name: Some("Wendy Worker".to_owned()),
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
    let svc = app.prestations();
    // A worker without the office right cannot encode for someone else.
    let mut input = for_worker("2025-09-09");
    input.worker_id = Some("w2".to_owned());
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
    // The user cannot confirm before the worker validated.
    let err = svc
        .act(&user(), &p.id, Action::Confirm, ActInput::default())
        .await
        .expect_err("too early");
    assert!(err.to_string().contains("not validated it yet"), "{err}");
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
    let svc = app.prestations();
    let p = svc
        .encode(&office(), for_worker("2025-09-10"))
        .await
        .expect("encode");
    let before = store::events(app.pool(), &p.id)
        .await
        .expect("events")
        .len();
    let attempts: Vec<(backend_kit::Caller, Action)> = vec![
        (user(), Action::Confirm),
        (user(), Action::Contest),
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

async fn dates_before_the_scheme_or_in_the_future_are_refused(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 6, 3), 9);
    let app = app(db, &clock).await;
    let svc = app.prestations();
    let err = svc
        .encode(&worker(), encode("2025-05-31", true))
        .await
        .expect_err("before start");
    assert!(err.to_string().contains("2025-06-01"), "{err}");
    assert!(
        svc.encode(&worker(), encode("2025-06-04", true))
            .await
            .is_err(),
        "future"
    );
    let ok = svc
        .encode(&worker(), encode("2025-06-01", true))
        .await
        .expect("first day");
    let err = svc
        .act(
            &office(),
            &ok.id,
            Action::Correct,
            ActInput {
                date: Some("2025-05-30".to_owned()),
                ..ActInput::default()
            },
        )
        .await
        .expect_err("a correction cannot move it before the start");
    assert!(matches!(err, ServiceError::Invalid(_)));
    let mut same = encode("2025-06-02", true);
    same.user_id = "w1".to_owned();
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
    app.close().await;
    // The start date is configurable.
    let mut config = common::config(db, &clock);
    config.scheme_start = d(2025, 1, 1);
    let app = prestations::build(config).await.expect("app");
    app.prestations()
        .encode(&worker(), encode("2025-05-31", true))
        .await
        .expect("now allowed");
    app.close().await;
}

async fn history_lists_three_months_without_cancelled(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 12, 15), 9);
    let app = app(db, &clock).await;
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
    let elsewhere =
        backend_kit::Caller(claims("w1", "Wendy Worker", Some(S2), &["read", "modify"]));
    assert!(matches!(
        svc.get(&elsewhere, &p.id).await,
        Err(ServiceError::NotFound)
    ));
    // A colleague without the office right sees only their own.
    let colleague = backend_kit::Caller(claims("w2", "Walter", Some(S1), &["read", "modify"]));
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
    dates_before_the_scheme_or_in_the_future_are_refused,
    history_lists_three_months_without_cancelled,
    visibility_follows_roles,
);
