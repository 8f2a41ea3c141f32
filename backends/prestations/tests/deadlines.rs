//! Deadlines with an injected clock, on SQLite and PostgreSQL: automatic validation across
//! holidays and weekends, a correction that restarts it, reminders at day 20 and 40,
//! automatic confirmation at day 60, downtime catch-up, and a scheduler that applies
//! nothing twice across a crash and a restart or with two nodes at once.

mod common;

use backend_kit::ManualClock;
use backend_kit::db_tests;
use backend_kit::test_support::TestDb;
use common::*;
use prestations::scheduler::PassReport;
use prestations::service::{ActInput, EncodeInput, ServiceError};
use prestations::status::{Action, Status};
use prestations::{OUTBOX, store};

fn input(date: &str, office_encodes: bool) -> EncodeInput {
    EncodeInput {
        worker_number: office_encodes.then(w1_number),
        user_number: u1_number(),
        date: date.to_owned(),
        hours: 3.0,
        activity: "cleaning".to_owned(),
        send: true,
    }
}

fn report(validated: usize, reminded: usize, confirmed: usize) -> PassReport {
    PassReport {
        validated,
        reminded,
        confirmed,
        ..PassReport::default()
    }
}

async fn auto_validation_across_a_holiday_and_a_weekend(db: &TestDb) {
    // Friday 7 November 2025: the weekend, then Tuesday 11 November (Armistice Day).
    let clock = ManualClock::at_brussels(d(2025, 11, 7), 16);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let p = app
        .prestations()
        .encode(&office(), input("2025-11-07", true))
        .await
        .expect("encode");
    assert_eq!(p.deadlines.validation_due, Some(d(2025, 11, 17)));
    let scheduler = app.scheduler();
    for day in [10, 11, 12, 14, 16, 17] {
        clock.set_brussels(d(2025, 11, day), 23);
        assert_eq!(
            scheduler.pass().await.expect("pass"),
            report(0, 0, 0),
            "still the worker's time on the {day}th"
        );
    }
    clock.set_brussels(d(2025, 11, 18), 0);
    assert_eq!(scheduler.pass().await.expect("pass"), report(1, 0, 0));
    let v = app.prestations().get(&user(), &p.id).await.expect("get");
    assert_eq!(v.status, Status::Validated);
    assert_eq!(v.deadlines.user_stage_from, Some(d(2025, 11, 18)));
    assert_eq!(v.deadlines.confirm_due, Some(d(2026, 1, 17)));
    // Nothing left to do at once; the worker can no longer answer.
    assert_eq!(scheduler.pass().await.expect("pass"), report(0, 0, 0));
    let err = app
        .prestations()
        .act(&worker(), &p.id, Action::Validate, ActInput::default())
        .await
        .expect_err("late");
    assert!(matches!(err, ServiceError::Transition(_)));
    app.close().await;
}

async fn a_correction_restarts_validation(db: &TestDb) {
    // Monday 3 November 2025: due Monday 10 November.
    let clock = ManualClock::at_brussels(d(2025, 11, 3), 9);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let p = app
        .prestations()
        .encode(&office(), input("2025-11-03", true))
        .await
        .expect("encode");
    assert_eq!(p.deadlines.validation_due, Some(d(2025, 11, 10)));
    clock.set_brussels(d(2025, 11, 7), 9);
    let fix = ActInput {
        hours: Some(2.5),
        ..ActInput::default()
    };
    let c = app
        .prestations()
        .act(&office(), &p.id, Action::Correct, fix)
        .await
        .expect("correct");
    assert_eq!(c.deadlines.validation_due, Some(d(2025, 11, 17)));
    let scheduler = app.scheduler();
    for day in [11, 12, 17] {
        clock.set_brussels(d(2025, 11, day), 12);
        assert_eq!(
            scheduler.pass().await.expect("pass"),
            report(0, 0, 0),
            "old deadline passed on the {day}th"
        );
    }
    clock.set_brussels(d(2025, 11, 18), 6);
    assert_eq!(scheduler.pass().await.expect("pass"), report(1, 0, 0));
    app.close().await;
}

async fn reminders_on_day_20_and_40_then_automatic_confirmation(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 1), 17);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let svc = app.prestations();
    svc.encode(&user(), input("2025-09-01", false))
        .await
        .expect_err("a user is no worker here");
    let mut conn = app.pool().acquire().await.expect("conn");
    prestations::registry::set_own_email(&mut conn, "u1", Some("ursula@example.be"), 0)
        .await
        .expect("email");
    drop(conn);
    let p = svc
        .encode(&worker(), input("2025-09-01", false))
        .await
        .expect("encode");
    assert_eq!(p.status, Status::Waiting);
    let scheduler = app.scheduler();
    let steps = [
        (d(2025, 9, 20), report(0, 0, 0)),
        (d(2025, 9, 21), report(0, 1, 0)),
        (d(2025, 10, 10), report(0, 0, 0)),
        (d(2025, 10, 11), report(0, 1, 0)),
        (d(2025, 10, 31), report(0, 0, 0)),
        (d(2025, 11, 1), report(0, 0, 1)),
        (d(2025, 11, 2), report(0, 0, 0)),
    ];
    for (day, expected) in steps {
        clock.set_brussels(day, 1);
        assert_eq!(scheduler.pass().await.expect("pass"), expected, "{day}");
    }
    let done = svc.get(&user(), &p.id).await.expect("get");
    assert_eq!(done.status, Status::Confirmed);
    assert!(done.auto_confirmed);
    let err = svc
        .act(
            &user(),
            &p.id,
            Action::Contest,
            ActInput {
                reason: Some("late".to_owned()),
                ..ActInput::default()
            },
        )
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("confirmed automatically"), "{err}");
    let reminders = OUTBOX
        .with_prefix(app.pool(), &format!("reminder:{}:", p.id))
        .await
        .expect("outbox");
    assert_eq!(reminders.len(), 2);
    assert!(
        reminders
            .iter()
            .all(|m| m.recipient.as_deref() == Some("ursula@example.be") && m.state == "pending")
    );
    assert!(
        reminders[0].body.contains("2025-10-31"),
        "the reminder names the last day"
    );
    app.close().await;
}

async fn reminders_due_while_the_service_was_down_are_sent(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 1), 17);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let svc = app.prestations();
    let a = svc
        .encode(&worker(), input("2025-09-01", false))
        .await
        .expect("a");
    clock.set_brussels(d(2025, 9, 2), 9);
    let b = svc
        .encode(&worker(), input("2025-09-02", false))
        .await
        .expect("b");
    app.close().await;
    // Down from 2 September to 15 October: both reminders of both prestations fell due.
    clock.set_brussels(d(2025, 10, 15), 8);
    let app = common::app(db, &clock).await;
    assert_eq!(app.scheduler().pass().await.expect("pass"), report(0, 4, 0));
    for p in [&a, &b] {
        let got = app.prestations().get(&user(), &p.id).await.expect("get");
        assert_eq!(
            got.status,
            Status::Waiting,
            "not confirmed before its 60 days"
        );
        assert_eq!(got.deadlines.reminders_sent, 2);
    }
    // Down again until 20 November: past day 60, so confirmed, never twice reminded.
    app.close().await;
    clock.set_brussels(d(2025, 11, 20), 8);
    let app = common::app(db, &clock).await;
    assert_eq!(app.scheduler().pass().await.expect("pass"), report(0, 0, 2));
    let mails = OUTBOX
        .with_prefix(app.pool(), "reminder:")
        .await
        .expect("outbox");
    assert_eq!(mails.len(), 4);
    app.close().await;
}

async fn reminders_and_confirmation_after_long_downtime_keep_their_order(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 1), 17);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let p = app
        .prestations()
        .encode(&office(), input("2025-09-01", true))
        .await
        .expect("encode");
    // Due 8 September; down until 20 December: validated as of 9 September, both
    // reminders, then confirmed (day 60 was 8 November), all in one pass, in that order.
    clock.set_brussels(d(2025, 12, 20), 3);
    assert_eq!(app.scheduler().pass().await.expect("pass"), report(1, 2, 1));
    let history = store::events(app.pool(), &p.id).await.expect("events");
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "encode",
            "auto_validate",
            "reminder",
            "reminder",
            "auto_confirm"
        ]
    );
    assert!(
        history[4]
            .note
            .as_deref()
            .is_some_and(|n| n.contains("2025-11-08"))
    );
    app.close().await;
}

async fn late_validation_counts_from_the_legal_day(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 11, 7), 10);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let p = app
        .prestations()
        .encode(&office(), input("2025-11-07", true))
        .await
        .expect("encode");
    clock.set_brussels(d(2025, 12, 10), 10);
    assert_eq!(app.scheduler().pass().await.expect("pass"), report(1, 1, 0));
    let got = app.prestations().get(&user(), &p.id).await.expect("get");
    assert_eq!(got.deadlines.user_stage_from, Some(d(2025, 11, 18)));
    assert_eq!(got.deadlines.next_reminder_on, Some(d(2025, 12, 28)));
    app.close().await;
}

async fn a_correction_in_the_user_stage_resets_reminders(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 1), 17);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let p = app
        .prestations()
        .encode(&worker(), input("2025-09-01", false))
        .await
        .expect("encode");
    clock.set_brussels(d(2025, 9, 25), 9);
    assert_eq!(app.scheduler().pass().await.expect("pass"), report(0, 1, 0));
    let fix = ActInput {
        hours: Some(2.0),
        ..ActInput::default()
    };
    let c = app
        .prestations()
        .act(&office(), &p.id, Action::Correct, fix)
        .await
        .expect("correct");
    assert_eq!(c.status, Status::ToValidate);
    assert_eq!(c.deadlines.reminders_sent, 0);
    let v = app
        .prestations()
        .act(&worker(), &p.id, Action::Validate, ActInput::default())
        .await
        .expect("validate");
    assert_eq!(v.deadlines.next_reminder_on, Some(d(2025, 10, 15)));
    clock.set_brussels(d(2025, 10, 15), 9);
    assert_eq!(app.scheduler().pass().await.expect("pass"), report(0, 1, 0));
    let mails = OUTBOX
        .with_prefix(app.pool(), &format!("reminder:{}:", p.id))
        .await
        .expect("outbox");
    assert_eq!(mails.len(), 2, "one per stage, distinct keys");
    app.close().await;
}

async fn scheduler_applies_nothing_twice_across_a_crash_and_restart(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 1), 10);
    let app = app(db, &clock).await;
    register_people(&app).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(
            app.prestations()
                .encode(&office(), input("2025-09-01", true))
                .await
                .expect("encode")
                .id,
        );
        ids.push(
            app.prestations()
                .encode(&worker(), input("2025-09-01", false))
                .await
                .expect("encode")
                .id,
        );
    }
    clock.set_brussels(d(2025, 10, 20), 2);
    // The process dies after two changes of its pass.
    let partial = app.scheduler().pass_limited(2).await.expect("partial pass");
    assert_eq!(partial, report(2, 0, 0));
    drop(app);
    // Restart on the same database: the pass catches up the rest, exactly once.
    let app = common::app(db, &clock).await;
    let rest = app.scheduler().pass().await.expect("pass");
    assert_eq!(rest, report(1, 12, 0));
    assert_eq!(
        app.scheduler().pass().await.expect("again"),
        report(0, 0, 0)
    );
    for id in &ids {
        let events = store::events(app.pool(), id).await.expect("events");
        let count = |a: &str| events.iter().filter(|e| e.action == a).count();
        assert!(count("auto_validate") <= 1, "{id}");
        assert_eq!(count("reminder"), 2, "{id}");
        let mails = OUTBOX
            .with_prefix(app.pool(), &format!("reminder:{id}:"))
            .await
            .expect("outbox");
        assert_eq!(mails.len(), 2);
    }
    app.close().await;
}

async fn two_nodes_running_passes_at_once_apply_each_change_once(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 1), 10);
    let node_a = app(db, &clock).await;
    let node_b = common::app(db, &clock).await;
    register_people(&node_a).await;
    for _ in 0..4 {
        node_a
            .prestations()
            .encode(&office(), input("2025-09-01", true))
            .await
            .expect("encode");
    }
    clock.set_brussels(d(2025, 11, 20), 2);
    let (sa, sb) = (node_a.scheduler(), node_b.scheduler());
    let (a, b) = tokio::join!(sa.pass(), sb.pass());
    let (a, b) = (a.expect("a"), b.expect("b"));
    assert_eq!(a.validated + b.validated, 4);
    assert_eq!(a.reminded + b.reminded, 8);
    assert_eq!(a.confirmed + b.confirmed, 4);
    let mails = OUTBOX
        .with_prefix(node_a.pool(), "reminder:")
        .await
        .expect("outbox");
    assert_eq!(mails.len(), 8);
    node_a.close().await;
    node_b.close().await;
}

db_tests!(
    auto_validation_across_a_holiday_and_a_weekend,
    a_correction_restarts_validation,
    reminders_on_day_20_and_40_then_automatic_confirmation,
    reminders_due_while_the_service_was_down_are_sent,
    reminders_and_confirmation_after_long_downtime_keep_their_order,
    late_validation_counts_from_the_legal_day,
    a_correction_in_the_user_stage_resets_reminders,
    scheduler_applies_nothing_twice_across_a_crash_and_restart,
    two_nodes_running_passes_at_once_apply_each_change_once,
);
