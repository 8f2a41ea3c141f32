//! The platform operator's pages over real sockets: the company-register import
//! (`/admin/register`, a multipart upload), the search of every organisation
//! (`/admin/organisations`) and the invitations to local password accounts
//! (`/admin/accounts` and `POST /admin/api/accounts/invitations`), with a real SMTP
//! server (Python `aiosmtpd`) receiving the invitation. Every page and form refuses
//! anyone but an operator, and every form a post without the CSRF token, nothing
//! changed; the invitation's link creates the account once, within 24 hours.

mod support;

use reqwest::StatusCode;
use support::pg::FreshDb;
use support::smtp::{self, Smtp};
use support::*;

/// Operators: `sim:citizen-4` (David). Local accounts and mail on when `local`.
async fn start(db: Option<String>, smtp: &Smtp, local: bool) -> Env {
    let local = if local {
        "[local]\nmax_failures = 3\nlockout_secs = 600\n"
    } else {
        ""
    };
    Env::start(Options {
        database_url: db,
        extra_routes: format!(
            "[mail]\nfrom = \"gw@example.be\"\nsmtp_url = \"smtp://127.0.0.1:{}\"\nretry_base_secs = 1\npoll_secs = 1\n\
             {local}[admin]\noperators = [\"sim:citizen-4\"]\n",
            smtp.port
        ),
        ..Options::default()
    })
    .await
}

/// What only these tests send.
impl Person {
    /// The register extract `file` uploaded as a browser sends the form
    /// (`multipart/form-data`), with this session's CSRF token when `csrf`.
    async fn upload(&self, file: &str, csrf: bool) -> Answer {
        let b = "----operator-pages-boundary";
        let mut body = String::new();
        if csrf {
            body.push_str(&format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n",
                self.csrf
            ));
        }
        body.push_str(&format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"extract\"; filename=\"extract.csv\"\r\n\
             Content-Type: text/csv\r\n\r\n{file}\r\n--{b}--\r\n"
        ));
        let r = self
            .c
            .post(format!("{}/admin/register", self.base))
            .header("cookie", &self.cookie)
            .header("accept", "text/html")
            .header("sec-fetch-site", "same-origin")
            .header("content-type", format!("multipart/form-data; boundary={b}"))
            .body(body)
            .send()
            .await
            .expect("upload");
        answer(r).await
    }
}

/// A valid Belgian enterprise number built from `i` (10 digits, mod 97).
fn be_number(i: u64) -> String {
    let body = 30_000_000 + i;
    format!("{body:08}{:02}", 97 - body % 97)
}

/// As the pages show it: `0300.000.123`.
fn dotted(n: &str) -> String {
    format!("{}.{}.{}", &n[..4], &n[4..7], &n[7..])
}

const HEADER: &str = "enterprise_number;organisation_name;function;national_number;start_date";

async fn structures(env: &Env) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM policy_structures")
        .fetch_one(&env.state().db.pool)
        .await
        .expect("count")
}

async fn links(env: &Env) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM local_links WHERE purpose = 'invite'")
        .fetch_one(&env.state().db.pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn only_an_operator_reaches_the_pages_and_forms_and_every_form_needs_csrf() {
    let smtp = Smtp::start(smtp::free_port()).await;
    let env = start(None, &smtp, true).await;
    let bruno = Person::login(&env, "citizen-2").await;
    let david = Person::login(&env, "citizen-4").await;
    let csv = format!(
        "{HEADER}\n{};Acme SA;Gérant;{ALICE};2020-01-01\n",
        be_number(1)
    );

    for path in ["/admin/register", "/admin/organisations", "/admin/accounts"] {
        let r = bruno.page(path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(david.page(path).await.status, StatusCode::OK, "{path}");
    }
    let r = bruno.page("/admin/organisations?status=pending").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The operator's entries are on the console's home for the operator only.
    assert!(david.page("/admin/").await.text.contains("/admin/register"));
    assert!(!bruno.page("/admin/").await.text.contains("/admin/register"));

    // A person who is not an operator, with a right token: refused, nothing changed.
    let before = structures(&env).await;
    assert_eq!(bruno.upload(&csv, true).await.status, StatusCode::FORBIDDEN);
    let invite = [("email", "zoe@example.be"), ("name", "Zoé"), ("lang", "fr")];
    let r = bruno.form("/admin/accounts/invitations", &invite).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (status, _) = bruno
        .api_post(
            "/admin/api/accounts/invitations",
            serde_json::json!({"email": "zoe@example.be", "name": "Zoé"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The operator without the token: refused, nothing changed.
    assert_eq!(
        david.upload(&csv, false).await.status,
        StatusCode::FORBIDDEN
    );
    let r = david
        .form_with("/admin/accounts/invitations", &invite, None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (status, _) = david
        .api_post_with(
            "/admin/api/accounts/invitations",
            serde_json::json!({"email": "zoe@example.be", "name": "Zoé"}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    assert_eq!(structures(&env).await, before, "nothing imported");
    assert_eq!(links(&env).await, 0, "no invitation");
    assert_eq!(env.mails_queued(Some("zoe@example.be")).await, 0, "no mail");
}

#[tokio::test]
async fn the_register_import_shows_each_line_and_refuses_a_bad_header() {
    let smtp = Smtp::start(smtp::free_port()).await;
    let env = start(None, &smtp, false).await;
    let david = Person::login(&env, "citizen-4").await;
    let page = david.page("/admin/register").await;
    assert!(page.text.contains("start_date") && page.text.contains("YYYY-MM-DD"));
    assert!(page.text.contains("enctype=\"multipart/form-data\""));

    let (a, b) = (be_number(1), be_number(2));
    let csv = format!(
        "{HEADER}\n{a};Acme SA;Gérant;{ALICE};2020-01-01\n{b};Bolt SRL;Administrateur;{BRUNO};01/02/2021\n"
    );
    let first = david.upload(&csv, true).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert!(first.text.contains(&dotted(&a)) && first.text.contains(&dotted(&b)));
    assert_eq!(
        first.text.matches("<td>created</td>").count(),
        2,
        "{}",
        first.text
    );
    assert!(
        first
            .text
            .contains("2 lines: 2 created, 0 changed, 0 unchanged, 0 refused")
    );

    let again = david.upload(&csv, true).await;
    assert_eq!(again.text.matches("<td>unchanged</td>").count(), 2);

    // One start date changed, one line refused with its number and reason.
    let changed = format!(
        "{HEADER}\n{a};Acme SA;Gérant;{ALICE};2020-03-01\n{b};Bolt SRL;Administrateur;{BRUNO};2021-02-01\n{};X;Gérant;123;2020-01-01\n",
        be_number(3)
    );
    let third = david.upload(&changed, true).await;
    assert_eq!(third.status, StatusCode::OK);
    assert_eq!(
        third.text.matches("<td>changed</td>").count(),
        1,
        "{}",
        third.text
    );
    assert_eq!(third.text.matches("<td>unchanged</td>").count(), 1);
    assert_eq!(third.text.matches("<td>refused</td>").count(), 1);
    assert!(third.text.contains("<td>4</td>") && third.text.contains("national register number"));
    assert!(
        !third.text.contains(ALICE),
        "a national number is never shown"
    );

    // A bad header refuses the whole file, naming line 1.
    let before = structures(&env).await;
    let bad = format!("number;name\n{};Other SA\n", be_number(5));
    let r = david.upload(&bad, true).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("line 1"), "{}", r.text);
    assert!(!r.text.contains("<td>created</td>"));
    assert_eq!(structures(&env).await, before);

    // Over the limit: a clear refusal.
    let huge = format!(
        "{HEADER}\n{}",
        "x".repeat(gateway::extract::MAX_UPLOAD_BYTES)
    );
    let r = david.upload(&huge, true).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text.contains("too large"), "{}", r.text);
}

#[tokio::test]
async fn the_operator_finds_any_organisation_by_number_name_kind_or_status() {
    let smtp = Smtp::start(smtp::free_port()).await;
    let env = start(None, &smtp, false).await;
    let david = Person::login(&env, "citizen-4").await;
    let bruno = Person::login(&env, "citizen-2").await;
    let (a, b, pending) = (be_number(1), be_number(2), be_number(9));
    let csv = format!(
        "{HEADER}\n{a};Acme SA;Gérant;{ALICE};2020-01-01\n{b};Bolt SRL;Administrateur;{BRUNO};2021-02-01\n"
    );
    assert_eq!(david.upload(&csv, true).await.status, StatusCode::OK);
    // An organisation new to the platform, asked for by Bruno: pending.
    let r = bruno
        .form(
            "/admin/mine/attachment-requests",
            &[
                ("number", pending.as_str()),
                ("comment", "I am its accountant"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let p = &env.state().policy;
    let id_of = |n: &str| policy::ids::OrgNumber::parse(n).expect("n");
    let acme = p
        .structure_by_number(&id_of(&a))
        .await
        .expect("a")
        .expect("a");

    let r = david
        .page(&format!("/admin/organisations?q={}", dotted(&a)))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text
            .contains(&format!("/admin/audit?organisation={}", acme.id.as_str())),
        "each organisation found opens its audit log, which operators read: {}",
        r.text
    );
    let log = david
        .page(&format!("/admin/audit?organisation={}", acme.id.as_str()))
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.text);
    assert!(r.text.contains("Acme SA") && !r.text.contains("Bolt SRL"));

    let r = david.page("/admin/organisations?q=bolt").await;
    assert!(r.text.contains("Bolt SRL") && !r.text.contains("Acme SA"));

    let r = david.page("/admin/organisations?status=pending").await;
    assert!(r.text.contains(&dotted(&pending)), "{}", r.text);
    assert!(!r.text.contains("Acme SA") && !r.text.contains("Bolt SRL"));
    assert!(r.text.contains("pending since"));

    let r = david.page("/admin/organisations?type=siren").await;
    assert!(r.text.contains("No organisation matches."));
    let r = david.page("/admin/organisations?type=be").await;
    assert!(r.text.contains("Acme SA") && r.text.contains("Bolt SRL"));
    assert!(!r.text.contains("rel=\"next\""), "three fit on one page");
    let r = david.page("/admin/organisations?page=2").await;
    assert!(r.text.contains("No organisation matches.") && r.text.contains("rel=\"prev\""));
}

/// The whole invitation: the operator's form, the mail on the SMTP server in the
/// chosen language, the link's page, a weak password refused, the account created and
/// its password logging in; the link used twice, an expired link, an address already
/// a login, and the API's invitation.
async fn an_invitation_creates_an_account_once(db: Option<String>) {
    let smtp = Smtp::start(smtp::free_port()).await;
    let env = start(db, &smtp, true).await;
    let david = Person::login(&env, "citizen-4").await;
    let page = david.page("/admin/accounts").await;
    assert!(page.text.contains("action=\"/admin/accounts/invitations\""));

    let r = david
        .form(
            "/admin/accounts/invitations",
            &[
                ("email", "Zoe@Example.be"),
                ("name", "Zoé Lambert"),
                ("lang", "fr"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let done = david.page(&r.location).await;
    assert!(done.text.contains("zoe@example.be"), "{}", done.text);
    let mail = smtp.next_for("zoe@example.be").await;
    assert_eq!(mail.subject, "Votre compte sur le portail");
    assert!(mail.text.contains("Zoé Lambert") && mail.text.contains("24 heures"));
    let link = mail
        .text
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("link")
        .to_owned();
    let token = link.split("token=").nth(1).expect("token").to_owned();
    let stored: String =
        sqlx::query_scalar("SELECT token_hash FROM local_links WHERE purpose = 'invite'")
            .fetch_one(&env.state().db.pool)
            .await
            .expect("link row");
    assert_ne!(stored, token, "the token is stored hashed");

    let c = client();
    let opened = answer(c.get(&link).send().await.expect("open")).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.text.contains("zoe@example.be") && opened.text.contains("name=\"password\""));
    let accept = |password: &'static str, token: String| {
        let c = c.clone();
        let url = format!("{}/auth/local/invitation", env.url);
        async move {
            answer(
                c.post(url)
                    .header("sec-fetch-site", "same-origin")
                    .form(&[("token", token.as_str()), ("password", password)])
                    .send()
                    .await
                    .expect("accept"),
            )
            .await
        }
    };
    let weak = accept("short", token.clone()).await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text.contains("role=\"alert\"") && weak.text.contains("name=\"password\""));
    assert!(
        weak.text.contains("12"),
        "the reason names the rule: {}",
        weak.text
    );
    assert!(
        gateway::local::store::by_email(&env.state().db, "zoe@example.be")
            .await
            .expect("lookup")
            .is_none(),
        "no account for a weak password"
    );
    let created = accept("Correct-Horse-42", token.clone()).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    assert!(created.text.contains("href=\"/auth/local\""));

    let (status, session, _) =
        password_login(&env, &client(), "zoe@example.be", "Correct-Horse-42").await;
    assert_eq!(status, 303);
    assert!(session.is_some(), "the chosen password logs in");

    // The link used twice: a clear page, nothing more created.
    let twice = accept("Other-Horse-43", token.clone()).await;
    assert_eq!(twice.status, StatusCode::GONE);
    assert!(
        twice.text.contains("already used or it expired")
            || twice.text.contains("déjà été utilisée")
    );
    let reopened = answer(c.get(&link).send().await.expect("reopen")).await;
    assert_eq!(reopened.status, StatusCode::GONE);
    let (status, _, _) = password_login(&env, &client(), "zoe@example.be", "Other-Horse-43").await;
    assert_ne!(status, 303);

    // An address that is already a login is refused, nothing mailed.
    let queued = env.mails_queued(None).await;
    let r = david
        .form(
            "/admin/accounts/invitations",
            &[("email", "zoe@example.be"), ("name", "Zoé"), ("lang", "en")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("already has an account"));
    assert_eq!(env.mails_queued(None).await, queued);

    // The API's invitation; its link, 24 hours later, is refused.
    let (status, body) = david
        .api_post(
            "/admin/api/accounts/invitations",
            serde_json::json!({"email": "yann@example.be", "name": "Yann Peeters", "lang": "nl"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["email"], "yann@example.be");
    let mail = smtp.next_for("yann@example.be").await;
    assert_eq!(mail.subject, "Uw account op het portaal");
    let link = mail
        .text
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("link")
        .to_owned();
    let token = link.split("token=").nth(1).expect("token").to_owned();
    sqlx::query("UPDATE local_links SET expires_at = $1 WHERE purpose = 'invite'")
        .bind(body["expires_at"].as_i64().expect("expires_at") - 24 * 3600 * 1000)
        .execute(&env.state().db.pool)
        .await
        .expect("move the link's end back 24 hours");
    let expired = answer(c.get(&link).send().await.expect("open")).await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert_eq!(
        accept("Correct-Horse-42", token).await.status,
        StatusCode::GONE
    );
    assert!(
        gateway::local::store::by_email(&env.state().db, "yann@example.be")
            .await
            .expect("lookup")
            .is_none()
    );
    let (status, body) = david
        .api_post(
            "/admin/api/accounts/invitations",
            serde_json::json!({"email": "zoe@example.be", "name": "Zoé"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // Audited: two invitations, one account created.
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action LIKE 'account.%' ORDER BY id",
    )
    .fetch_all(&env.state().db.pool)
    .await
    .expect("audit");
    assert_eq!(
        actions,
        ["account.invite", "account.create", "account.invite"]
    );
}

#[tokio::test]
async fn an_invitation_creates_an_account_once_sqlite() {
    an_invitation_creates_an_account_once(None).await;
}

#[tokio::test]
async fn an_invitation_creates_an_account_once_postgres() {
    let db = FreshDb::create().await;
    an_invitation_creates_an_account_once(Some(db.url.clone())).await;
}

#[tokio::test]
async fn without_local_accounts_the_page_says_they_are_off() {
    let smtp = Smtp::start(smtp::free_port()).await;
    let env = start(None, &smtp, false).await;
    let david = Person::login(&env, "citizen-4").await;
    let page = david.page("/admin/accounts").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Local password accounts are off"));
    assert!(!page.text.contains("action=\"/admin/accounts/invitations\""));
    let r = david
        .form(
            "/admin/accounts/invitations",
            &[("email", "zoe@example.be"), ("name", "Zoé"), ("lang", "fr")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let (status, _) = david
        .api_post(
            "/admin/api/accounts/invitations",
            serde_json::json!({"email": "zoe@example.be", "name": "Zoé"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(env.mails_queued(None).await, 0);
}
