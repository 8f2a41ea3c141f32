//! An idle timeout per application: a route's `idle_timeout_secs` decides, per request,
//! measured from the last activity anywhere; a shorter one elsewhere does not end the
//! session for a route with a longer one.

mod support;

use support::*;

fn cookie(session: &str) -> String {
    format!("gw_session={session}")
}

async fn get(env: &Env, c: &reqwest::Client, session: &str, path: &str) -> (u16, String) {
    let r = c
        .get(format!("{}{path}", env.url))
        .header("cookie", cookie(session))
        .header("accept", "application/json")
        .send()
        .await
        .expect("get");
    let status = r.status().as_u16();
    (status, r.text().await.unwrap_or_default())
}

async fn start(clock: std::sync::Arc<policy::ManualClock>) -> Env {
    let (backend, _task) = echo_backend().await;
    let routes = format!(
        "[[routes]]\nprefix = \"/ale\"\nupstream = \"http://{b}\"\naccess = \"authenticated\"\n\
         idle_timeout_secs = 1800\n\
         [[routes]]\nprefix = \"/short\"\nupstream = \"http://{b}\"\naccess = \"authenticated\"\n\
         idle_timeout_secs = 600\n",
        b = backend
    );
    Env::start(Options {
        idle_secs: 600,
        absolute_secs: 7200,
        clock: Some(clock),
        extra_routes: routes,
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn a_longer_route_timeout_outlives_a_shorter_one() {
    let clock = manual_clock();
    let env = start(clock.clone()).await;
    let c = client();
    let session = login(&env, &c, "citizen-3").await;
    assert_eq!(get(&env, &c, &session, "/ale/x").await.0, 200);
    // 20 minutes idle: the 10-minute route refuses, after inactivity...
    clock.advance(20 * 60_000);
    let (status, body) = get(&env, &c, &session, "/short/x").await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("after a period of inactivity"), "{body}");
    // ...while the 30-minute application still works, and the refusal counted as no
    // activity nor ended the session.
    let (status, body) = get(&env, &c, &session, "/ale/x").await;
    assert_eq!(status, 200, "{body}");
    // Activity there counts everywhere: the short route works again.
    clock.advance(5 * 60_000);
    assert_eq!(get(&env, &c, &session, "/short/x").await.0, 200);
    // 31 minutes idle: over on every route, the session is gone.
    clock.advance(31 * 60_000);
    let (status, body) = get(&env, &c, &session, "/ale/x").await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("after a period of inactivity"), "{body}");
    clock.advance(-(30 * 60_000));
    let (status, _) = get(&env, &c, &session, "/ale/x").await;
    assert_eq!(status, 401, "ended for good, not only refused");
}

#[tokio::test]
async fn the_gateway_pages_use_the_session_default() {
    let clock = manual_clock();
    let env = start(clock.clone()).await;
    let c = client();
    let session = login(&env, &c, "citizen-3").await;
    clock.advance(20 * 60_000);
    let (_, status) = get(&env, &c, &session, "/auth/session").await;
    let status: serde_json::Value = serde_json::from_str(&status).expect("json");
    assert_eq!(status["authenticated"], false, "{status}");
    assert_eq!(get(&env, &c, &session, "/ale/x").await.0, 200);
}
