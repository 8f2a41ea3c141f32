//! The attack: someone who holds a person's first factor (a stolen password, an eID
//! session) searches the emailed code space by opening challenge after challenge, each
//! with its own tries. Each challenge dies after `max_attempts` wrong codes; across
//! challenges, `max_failures_per_day` wrong codes per person stop everything, even the
//! right code, and no further code is mailed.

mod support;

use e2e::http::browser;
use support::*;

fn csrf_in(html: &str) -> String {
    field(html, "csrf").expect("csrf on the code page")
}

/// First factor at the simulated provider; returns the callback's answer.
async fn first_factor(env: &Env, c: &reqwest::Client) -> reqwest::Response {
    let cb = login_until_callback(env, c, "citizen-3", "/vouchers/x").await;
    c.get(&cb.url)
        .header("accept", "text/html")
        .send()
        .await
        .expect("callback")
}

/// First factor, then the code page: the challenge's CSRF token.
async fn open_challenge(env: &Env, c: &reqwest::Client) -> String {
    let r = first_factor(env, c).await;
    assert_eq!(location(&r), "/auth/factor");
    let page = c
        .get(format!("{}/auth/factor", env.url))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page");
    csrf_in(&page.text().await.expect("html"))
}

async fn wrong_code(env: &Env, c: &reqwest::Client, csrf: &str, code: &str) -> u16 {
    c.post(format!("{}/auth/factor", env.url))
        .header("accept", "text/html")
        .form(&[("code", code), ("csrf", csrf)])
        .send()
        .await
        .expect("submit")
        .status()
        .as_u16()
}

#[tokio::test]
async fn wrong_codes_across_challenges_are_capped_per_person() {
    let mail_dir = tempfile::tempdir().expect("tempdir");
    let env = Env::start(Options {
        extra_routes: format!(
            "[mail]\nfrom = \"gw@example.test\"\noutbox_dir = \"{}\"\n\
             [factors]\nmax_attempts = 4\nmax_failures_per_day = 6\n",
            mail_dir.path().display()
        ),
        ..Options::default()
    })
    .await;

    // Challenge 1: four wrong codes kill it.
    let c = browser();
    let csrf = open_challenge(&env, &c).await;
    let mut statuses = Vec::new();
    for guess in ["00000001", "00000002", "00000003", "00000004", "00000005"] {
        statuses.push(wrong_code(&env, &c, &csrf, guess).await);
    }
    assert_eq!(statuses, vec![422, 422, 422, 410, 410]);

    // Challenge 2 (a fresh login, a fresh code): two more wrong codes reach the cap of
    // six, and then nothing is checked any more.
    let c = browser();
    let csrf = open_challenge(&env, &c).await;
    assert_eq!(wrong_code(&env, &c, &csrf, "00000006").await, 422);
    assert_eq!(wrong_code(&env, &c, &csrf, "00000007").await, 422);
    assert_eq!(wrong_code(&env, &c, &csrf, "00000008").await, 410);

    // Challenge 3: refused before any code is mailed. The outbox row of a mail is
    // written with its cause, before the answer: its count right after is exact.
    let queued = env.mails_queued(None).await;
    assert_eq!(queued, 2, "one code per challenge so far");
    let c = browser();
    let r = first_factor(&env, &c).await;
    assert_eq!(r.status(), 429);
    let body = r.text().await.expect("page");
    assert!(body.contains("Too many wrong codes"), "{body}");
    assert_eq!(
        env.mails_queued(None).await,
        queued,
        "a code was mailed anyway"
    );
}

/// The 8-digit code of the newest mail in the folder (in the body, after the headers).
async fn mailed_code(dir: &std::path::Path) -> String {
    for _ in 0..300 {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|x| x == "eml"));
        files.sort();
        if let Some(text) = files.last().and_then(|p| std::fs::read_to_string(p).ok()) {
            let body = text
                .split("\r\n\r\n")
                .skip(1)
                .collect::<Vec<_>>()
                .join("\n");
            if let Some(code) = body
                .split(|ch: char| !ch.is_ascii_digit())
                .find(|w| w.len() == 8)
            {
                return code.to_owned();
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no code mailed into {}", dir.display());
}

#[tokio::test]
async fn wrong_codes_while_enrolling_an_app_are_capped_too() {
    let mail_dir = tempfile::tempdir().expect("tempdir");
    let env = Env::start(Options {
        extra_routes: format!(
            "[mail]\nfrom = \"gw@example.test\"\noutbox_dir = \"{}\"\n\
             [factors]\nmax_failures_per_day = 3\n",
            mail_dir.path().display()
        ),
        ..Options::default()
    })
    .await;
    let c = browser();
    let csrf = open_challenge(&env, &c).await;
    let code = mailed_code(mail_dir.path()).await;
    let ok = c
        .post(format!("{}/auth/factor", env.url))
        .header("accept", "text/html")
        .form(&[("code", code.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .expect("code");
    assert_eq!(ok.status(), 303);

    let page = c
        .get(format!("{}/auth/factors", env.url))
        .header("accept", "text/html")
        .send()
        .await
        .expect("factors page");
    assert_eq!(page.status(), 200);
    let csrf = csrf_in(&page.text().await.expect("html"));
    let started = c
        .post(format!("{}/auth/factors/totp", env.url))
        .header("accept", "text/html")
        .form(&[("csrf", csrf.as_str()), ("name", "phone")])
        .send()
        .await
        .expect("start");
    assert_eq!(started.status(), 200);
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let r = c
            .post(format!("{}/auth/factors/totp/confirm", env.url))
            .header("accept", "text/html")
            .form(&[("csrf", csrf.as_str()), ("code", "1234567")])
            .send()
            .await
            .expect("confirm");
        statuses.push(r.status().as_u16());
    }
    // Seven digits are never an app's six-digit code: three wrong, then refused.
    assert_eq!(statuses, vec![422, 422, 422, 429]);
}
