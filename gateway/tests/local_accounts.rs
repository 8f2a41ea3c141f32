//! Local password accounts over real sockets, with a real SMTP server (Python
//! `aiosmtpd`) receiving the reset and confirmation links and the emailed codes; on
//! SQLite and PostgreSQL.

mod support;

use support::pg::FreshDb;
use support::smtp::{self, Smtp};
use support::*;

async fn start(db: Option<String>, smtp: &Smtp, factors: bool) -> Env {
    let factors = if factors { "[factors]\n" } else { "" };
    Env::start(Options {
        database_url: db,
        extra_routes: format!(
            "[mail]\nfrom = \"gw@example.be\"\nsmtp_url = \"smtp://127.0.0.1:{}\"\nretry_base_secs = 1\npoll_secs = 1\n\
             {factors}[local]\nmax_failures = 3\nlockout_secs = 600\n",
            smtp.port
        ),
        ..Options::default()
    })
    .await
}

fn link_in(text: &str) -> String {
    text.split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("link")
        .to_owned()
}

const PASSWORD: &str = "Correct-Horse-42";

async fn password_accounts(db: Option<String>) {
    let smtp = Smtp::start(smtp::free_port()).await;
    let env = start(db, &smtp, false).await;
    let c = client();
    let app = env.state();
    use gateway::local::{CreateError, create_account};
    assert!(matches!(
        create_account(app, "eve@example.be", "Eve", "short").await,
        Err(CreateError::Weak(_))
    ));
    assert!(matches!(
        create_account(app, "not an address", "Eve", PASSWORD).await,
        Err(CreateError::BadEmail)
    ));
    let id = create_account(app, "Eve@Example.be", "Eve Martin", PASSWORD)
        .await
        .expect("create");
    assert!(matches!(
        create_account(app, "eve@example.be", "Eve", PASSWORD).await,
        Err(CreateError::Taken)
    ));
    let stored: String =
        sqlx::query_scalar("SELECT password_hash FROM local_accounts WHERE user_id = $1")
            .bind(&id)
            .fetch_one(&app.db.pool)
            .await
            .expect("row");
    assert!(stored.starts_with("$argon2id$"));

    // Right password (any case of the email): a session.
    let (status, session, to) = password_login(&env, &c, "EVE@example.be", PASSWORD).await;
    assert_eq!((status, to.as_str()), (303, "/vouchers/"));
    let session = session.expect("session");
    assert_eq!(
        reaches_backend(&env, &c, &format!("gw_session={session}")).await,
        200
    );

    // A wrong password and an unknown email get the same answer.
    let (s1, _, wrong) = password_login(&env, &c, "eve@example.be", "Wrong-Horse-42").await;
    let (s2, _, unknown) = password_login(&env, &c, "nobody@example.be", PASSWORD).await;
    assert_eq!((s1, s2), (401, 401));
    let message = |html: &str| {
        html.split("role=\"alert\"")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .map(str::to_owned)
    };
    assert_eq!(message(&wrong), message(&unknown));
    assert!(message(&wrong).is_some());
    // Without the form's token (login CSRF): refused.
    let r = c
        .post(format!("{}/auth/local", env.url))
        .form(&[("email", "eve@example.be"), ("password", PASSWORD)])
        .send()
        .await
        .expect("no csrf");
    assert_eq!(r.status(), 403);

    // Three wrong passwords in a row (the one above counts): locked, even the right one.
    for _ in 0..2 {
        assert_eq!(
            password_login(&env, &c, "eve@example.be", "Wrong-Horse-42")
                .await
                .0,
            401
        );
    }
    let (status, session2, body) = password_login(&env, &c, "eve@example.be", PASSWORD).await;
    assert_eq!(status, 401, "locked");
    assert!(session2.is_none());
    assert_eq!(
        message(&body),
        message(&unknown),
        "a locked account looks like any failure"
    );

    // A reset link lifts the lockout; the answer is the same for an unknown address.
    let forgot = |email: &'static str| {
        let (c, url) = (c.clone(), env.url.clone());
        async move {
            let r = c
                .post(format!("{url}/auth/local/forgot"))
                .form(&[("email", email)])
                .send()
                .await
                .expect("forgot");
            (r.status().as_u16(), r.text().await.expect("html"))
        }
    };
    let before = smtp.count();
    let (s_unknown, page_unknown) = forgot("nobody@example.be").await;
    let (s_known, page_known) = forgot("eve@example.be").await;
    assert_eq!((s_unknown, s_known), (200, 200));
    assert_eq!(page_unknown, page_known);
    let mail = smtp.next_for("eve@example.be").await;
    assert_eq!(mail.subject, "Reset your password");
    assert_eq!(smtp.count(), before + 1, "no mail for an unknown address");
    let link = link_in(&mail.text);
    let token = link.split("token=").nth(1).expect("token").to_owned();
    let r = c.get(&link).send().await.expect("open link");
    assert_eq!(r.status(), 200);
    let reset = |password: &'static str| {
        let (c, url, token) = (c.clone(), env.url.clone(), token.clone());
        async move {
            let r = c
                .post(format!("{url}/auth/local/reset"))
                .form(&[("token", token.as_str()), ("password", password)])
                .send()
                .await
                .expect("reset");
            (r.status().as_u16(), r.text().await.expect("html"))
        }
    };
    let (status, page) = reset("nouppercase-42!").await;
    assert_eq!(status, 422);
    assert!(page.contains("upper-case"), "{page}");
    let (status, _) = reset("New-Battery-Staple-7").await;
    assert_eq!(status, 200);
    assert_eq!(
        reset("Other-Battery-Staple-7").await.0,
        410,
        "a link works once"
    );
    assert_eq!(
        reaches_backend(&env, &c, &format!("gw_session={session}")).await,
        401,
        "a reset ends the sessions"
    );
    assert_eq!(
        password_login(&env, &c, "eve@example.be", PASSWORD).await.0,
        401
    );
    let (status, session, _) =
        password_login(&env, &c, "eve@example.be", "New-Battery-Staple-7").await;
    assert_eq!(status, 303);
    let session = session.expect("session");

    // Change the password with the current one.
    let page = c
        .get(format!("{}/auth/factors", env.url))
        .header("cookie", format!("gw_session={session}"))
        .send()
        .await
        .expect("page");
    let csrf = field(&page.text().await.expect("html"), "csrf").expect("no csrf in page");
    let post = |path: &'static str, form: Vec<(&'static str, String)>| {
        let (c, url, session) = (c.clone(), env.url.clone(), session.clone());
        async move {
            let r = c
                .post(format!("{url}{path}"))
                .header("cookie", format!("gw_session={session}"))
                .form(&form)
                .send()
                .await
                .expect("post");
            (r.status().as_u16(), r.text().await.expect("html"))
        }
    };
    let (status, _) = post(
        "/auth/local/password",
        vec![
            ("csrf", csrf.clone()),
            ("current", "Wrong-1!aaaaaa".into()),
            ("password", "Third-Battery-Staple-7".into()),
        ],
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = post(
        "/auth/local/password",
        vec![
            ("csrf", csrf.clone()),
            ("current", "New-Battery-Staple-7".into()),
            ("password", "Third-Battery-Staple-7".into()),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        password_login(&env, &c, "eve@example.be", "Third-Battery-Staple-7")
            .await
            .0,
        303
    );

    // Change the login email: confirmed by a link to the new address; until then the
    // old address stays the login; one change pending at a time: a second request is
    // refused with the time left, nothing mailed, until the first expires (24 hours).
    let (status, _) = post(
        "/auth/local/email",
        vec![
            ("csrf", csrf.clone()),
            ("email", "eve.first@example.be".into()),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let first_link = link_in(&smtp.next_for("eve.first@example.be").await.text);
    let (status, page) = post(
        "/auth/local/email",
        vec![
            ("csrf", csrf.clone()),
            ("email", "eve.martin@example.be".into()),
        ],
    )
    .await;
    assert_eq!(status, 409, "a second change while one is pending: {page}");
    assert!(
        page.contains("eve.first@example.be")
            && (page.contains("24 h 0 min") || page.contains("23 h 59 min")),
        "the pending address and the time left are named: {page}"
    );
    assert_eq!(
        env.mails_queued(Some("eve.martin@example.be")).await,
        0,
        "nothing mailed for a refused change"
    );
    // The pending link expires: a new request is accepted.
    sqlx::query("UPDATE local_links SET expires_at = 1 WHERE purpose = 'email'")
        .execute(&env.state().db.pool)
        .await
        .expect("expire the link");
    let (status, page) = post(
        "/auth/local/email",
        vec![
            ("csrf", csrf.clone()),
            ("email", "eve.martin@example.be".into()),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("eve@example.be"), "old login named: {page}");
    let mail = smtp.next_for("eve.martin@example.be").await;
    assert_eq!(mail.subject, "Confirm your new email address");
    let link = link_in(&mail.text);
    assert_eq!(
        password_login(&env, &c, "eve@example.be", "Third-Battery-Staple-7")
            .await
            .0,
        303,
        "old login still works"
    );
    assert_eq!(
        password_login(&env, &c, "eve.martin@example.be", "Third-Battery-Staple-7")
            .await
            .0,
        401
    );
    let r = c.get(&first_link).send().await.expect("first link");
    assert_eq!(r.status(), 410, "the expired change cannot be confirmed");
    let r = c.get(&link).send().await.expect("link");
    assert_eq!(r.status(), 200);
    let token = field(&r.text().await.expect("html"), "token").expect("no token in page");
    let r = c
        .post(format!("{}/auth/local/email/confirm", env.url))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("confirm");
    assert_eq!(r.status(), 200);
    assert_eq!(
        password_login(&env, &c, "eve.martin@example.be", "Third-Battery-Staple-7")
            .await
            .0,
        303
    );
    assert_eq!(
        password_login(&env, &c, "eve@example.be", "Third-Battery-Staple-7")
            .await
            .0,
        401
    );
    let r = c
        .post(format!("{}/auth/local/email/confirm", env.url))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("again");
    assert_eq!(r.status(), 410, "a link works once");
}

#[tokio::test]
async fn password_accounts_sqlite() {
    password_accounts(None).await;
}

#[tokio::test]
async fn password_accounts_postgres() {
    let db = FreshDb::create().await;
    password_accounts(Some(db.url.clone())).await;
}

#[tokio::test]
async fn a_password_login_on_a_new_device_asks_for_the_emailed_code() {
    let smtp = Smtp::start(smtp::free_port()).await;
    let env = start(None, &smtp, true).await;
    let c = client();
    gateway::local::create_account(env.state(), "frank@example.be", "Frank", PASSWORD)
        .await
        .expect("create");
    let (status, session, to) = password_login(&env, &c, "frank@example.be", PASSWORD).await;
    assert_eq!((status, to.as_str()), (303, "/auth/factor"));
    assert!(session.is_none());
    let mail = smtp.next_for("frank@example.be").await;
    assert_eq!(mail.subject, "Your verification code");
}

/// A person who deactivated their password account cannot log in with the right
/// password; the login form says why.
#[tokio::test]
async fn a_deactivated_password_account_cannot_log_in() {
    let smtp = Smtp::start(smtp::free_port()).await;
    let env = start(None, &smtp, false).await;
    let c = client();
    gateway::local::create_account(env.state(), "grace@example.be", "Grace", PASSWORD)
        .await
        .expect("create");
    let (status, session, _) = password_login(&env, &c, "grace@example.be", PASSWORD).await;
    assert_eq!(status, 303);
    let cookie = format!("gw_session={}", session.expect("session"));
    let page = c
        .get(format!("{}/account/deactivate", env.url))
        .header("cookie", &cookie)
        .header("accept", "text/html")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let csrf = field(&page, "csrf").expect("no csrf in page");
    let r = c
        .post(format!("{}/account/deactivate", env.url))
        .header("cookie", &cookie)
        .header("accept", "text/html")
        .form(&[("confirm", "yes"), ("csrf", csrf.as_str())])
        .send()
        .await
        .expect("deactivate");
    assert_eq!(r.status(), 200, "deactivated");
    let (status, session, body) = password_login(&env, &c, "grace@example.be", PASSWORD).await;
    assert_eq!(status, 403, "{body}");
    assert!(session.is_none(), "no session for a deactivated account");
    assert!(body.contains("Your account is deactivated"), "{body}");
    // A wrong password says nothing more than for anyone else.
    let (status, _, body) = password_login(&env, &c, "grace@example.be", "Wrong-Horse-42!").await;
    assert_eq!(status, 401);
    assert!(!body.contains("deactivated"), "{body}");
}
