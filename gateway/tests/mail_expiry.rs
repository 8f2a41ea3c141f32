//! A mail carrying a one-time code or a link is never delivered after what it carries
//! expired (an SMTP outage with retries could otherwise bring a dead code a quarter of an
//! hour late): it is given up as `expired`, while mails still valid go out.

mod support;

use std::time::Duration;

use gateway::mail::outbox::{self, Outgoing};
use support::*;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64
}

#[tokio::test]
async fn an_expired_code_mail_is_not_delivered() {
    let mail_dir = tempfile::tempdir().expect("tempdir");
    let env = Env::start(Options {
        extra_routes: format!(
            "[mail]\nfrom = \"gateway@example.be\"\noutbox_dir = \"{}\"\npoll_secs = 1\n",
            mail_dir.path().display()
        ),
        ..Options::default()
    })
    .await;
    let state = env.state();
    let now = now_ms();
    let mut tx = state.db.pool.begin().await.expect("tx");
    let dead = outbox::enqueue(
        &mut tx,
        &state.keys,
        &Outgoing {
            to: "a@example.be".to_owned(),
            subject: "Your code".to_owned(),
            body: "dead code 11111111".to_owned(),
            expires_at: Some(now - 1_000),
        },
        now - 700_000,
    )
    .await
    .expect("queue");
    outbox::enqueue(
        &mut tx,
        &state.keys,
        &Outgoing {
            to: "b@example.be".to_owned(),
            subject: "Your code".to_owned(),
            body: "live code 22222222".to_owned(),
            expires_at: Some(now + 600_000),
        },
        now,
    )
    .await
    .expect("queue");
    tx.commit().await.expect("commit");
    state.mailer.wake();
    // The live one goes out (after the dead one was looked at: oldest first).
    let mut files = Vec::new();
    for _ in 0..120 {
        files = std::fs::read_dir(mail_dir.path())
            .expect("dir")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".eml"))
            .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
            .collect();
        if !files.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(files.len(), 1, "the live mail was not delivered");
    assert!(files[0].contains("live code"), "{}", files[0]);
    let (sent, error): (Option<i64>, Option<String>) =
        sqlx::query_as("SELECT sent_at, last_error FROM mail_outbox WHERE id = $1")
            .bind(&dead)
            .fetch_one(&state.db.pool)
            .await
            .expect("row");
    assert_eq!(sent, None, "the dead code was sent");
    assert_eq!(error.as_deref(), Some("expired"));
}
