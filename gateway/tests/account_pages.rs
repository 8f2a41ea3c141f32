//! "My account" over real sockets: each page for the logged-in person (and the login
//! redirect without a session); every form changes what it says and nothing else (read
//! back from the store), and refuses a missing or foreign CSRF token with nothing
//! changed.

mod support;

use gateway::store::account::{self, Profile};
use reqwest::StatusCode;
use serde_json::Value;
use support::*;

async fn profile_of(env: &Env, id: &str) -> Profile {
    account::profile(&env.state().db, id)
        .await
        .expect("profile")
}

async fn audit_count(env: &Env, action: &str, id: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND target = $2")
        .bind(action)
        .bind(id)
        .fetch_one(&env.state().db.pool)
        .await
        .expect("audit count")
}

#[tokio::test]
async fn pages_send_a_browser_without_session_to_log_in() {
    let env = Env::start(Options::default()).await;
    let c = client();
    for path in [
        "/account/",
        "/account/profile",
        "/account/preferences",
        "/account/sessions",
        "/account/deactivate",
    ] {
        let r = c
            .get(format!("{}{path}", env.url))
            .header("accept", "text/html")
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(
            location(&r),
            format!("/auth/login?return_to={}", urlencode(path)),
            "{path}"
        );
    }
    // A form without a session changes nothing and asks to log in.
    let r = c
        .post(format!("{}/account/profile", env.url))
        .header("accept", "application/json")
        .form(&[("phone", "+32 2 555 12 34")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn my_account_links_every_page_of_the_person() {
    let env = Env::start(Options::default()).await;
    let anne = Person::login(&env, "citizen-1").await;
    let Answer {
        status, text: html, ..
    } = anne.page("/account/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>My account</h1>"), "{html}");
    for link in [
        "/account/profile",
        "/account/preferences",
        "/auth/factors",
        "/account/sessions",
        "/account/deactivate",
    ] {
        assert!(
            html.contains(&format!("<a href=\"{link}\">")),
            "{link}: {html}"
        );
        let Answer {
            status, text: page, ..
        } = anne.page(link).await;
        assert_eq!(status, StatusCode::OK, "{link}");
        assert_eq!(page.matches("<h1>").count(), 1, "{link}: one heading");
    }
}

async fn profile_changes_only_what_the_form_says(o: Options) {
    let env = Env::start(o).await;
    let anne = Person::login(&env, "citizen-1").await;
    let Answer {
        status, text: html, ..
    } = anne.page("/account/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>My profile</h1>"), "{html}");
    // The names from the eID are shown, read-only, and said to come from it.
    assert!(html.contains("Names from your eID"), "{html}");
    assert!(html.contains("<dd>Dupont</dd>"), "{html}");
    assert!(!html.contains("name=\"surname\""), "{html}");
    assert_eq!(
        field(&html, "csrf").as_deref(),
        Some(anne.csrf.as_str()),
        "the form carries the session's token"
    );

    // One field: only it changes.
    let Answer {
        status,
        location: to,
        ..
    } = anne
        .form("/account/profile", &[("phone", " +32 2 555 12 34 ")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/account/profile?done=saved");
    let p = profile_of(&env, &anne.id).await;
    assert_eq!(
        p,
        Profile {
            phone: Some("+32 2 555 12 34".to_owned()),
            ..Profile::default()
        }
    );
    assert_eq!(audit_count(&env, "profile.change", &anne.id).await, 1);
    let Answer { text: html, .. } = anne.page("/account/profile?done=saved").await;
    assert!(html.contains("Your profile is saved."), "{html}");
    assert!(html.contains("value=\"+32 2 555 12 34\""), "{html}");

    // Another: the first stays.
    let Answer { status, .. } = anne
        .form(
            "/account/profile",
            &[
                ("contact_email", "Anne@Example.BE"),
                ("phone", "+32 2 555 12 34"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let p = profile_of(&env, &anne.id).await;
    assert_eq!(p.contact_email.as_deref(), Some("anne@example.be"));
    assert_eq!(p.phone.as_deref(), Some("+32 2 555 12 34"));
    assert_eq!(p.address, None);
    assert_eq!(audit_count(&env, "profile.change", &anne.id).await, 2);

    // Nothing changed: nothing stored, nothing audited.
    let Answer { location: to, .. } = anne
        .form("/account/profile", &[("phone", "+32 2 555 12 34")])
        .await;
    assert_eq!(to, "/account/profile?done=unchanged");
    assert_eq!(audit_count(&env, "profile.change", &anne.id).await, 2);

    // A bad value: its message tied to its field, nothing stored, not even the good one.
    let Answer {
        status, text: html, ..
    } = anne
        .form(
            "/account/profile",
            &[
                ("phone", "02.555.12.34"),
                ("address", "Rue Haute 1, 1000 Bruxelles"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(
        html.contains("aria-describedby=\"f-phone-hint f-phone-error\""),
        "{html}"
    );
    assert!(
        html.contains("id=\"f-phone-error\">Enter a phone number"),
        "{html}"
    );
    assert!(html.contains("value=\"02.555.12.34\""), "{html}");
    let Answer {
        status, text: html, ..
    } = anne
        .form("/account/profile", &[("contact_email", "anne@")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"f-contact_email-error\">Enter a valid email"),
        "{html}"
    );
    // A name the eID gave cannot be changed through the form.
    let Answer {
        status, text: html, ..
    } = anne
        .form("/account/profile", &[("surname", "Durand")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("comes from your eID"), "{html}");
    assert_eq!(profile_of(&env, &anne.id).await, p);
    assert_eq!(audit_count(&env, "profile.change", &anne.id).await, 2);

    // Emptying a field removes it.
    let Answer { status, .. } = anne.form("/account/profile", &[("phone", "")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(profile_of(&env, &anne.id).await.phone, None);

    // Without names from the provider, the person fills them in; only that one changes.
    sqlx::query("UPDATE users SET idp_given_name = NULL, idp_family_name = NULL WHERE id = $1")
        .bind(&anne.id)
        .execute(&env.state().db.pool)
        .await
        .expect("no provider names");
    let Answer { text: html, .. } = anne.page("/account/profile").await;
    assert!(!html.contains("Names from your eID"), "{html}");
    assert!(
        html.contains("<label for=\"f-surname\">Surname</label>"),
        "{html}"
    );
    let before = profile_of(&env, &anne.id).await;
    let Answer { status, .. } = anne
        .form("/account/profile", &[("surname", "Dupont-Durand")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        profile_of(&env, &anne.id).await,
        Profile {
            surname: Some("Dupont-Durand".to_owned()),
            ..before
        }
    );
}

#[tokio::test]
async fn profile_form_refuses_a_missing_or_foreign_csrf_token() {
    let env = Env::start(Options::default()).await;
    let anne = Person::login(&env, "citizen-1").await;
    let bruno = Person::login(&env, "citizen-2").await;
    for token in [None, Some(bruno.csrf.as_str()), Some("forged")] {
        let Answer { status, .. } = anne
            .form_with("/account/profile", &[("phone", "+32 2 555 12 34")], token)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{token:?}");
    }
    assert_eq!(profile_of(&env, &anne.id).await, Profile::default());
    assert_eq!(audit_count(&env, "profile.change", &anne.id).await, 0);
}

/// An error page of a logged-in person is theirs: their language (the message the
/// gateway wrote translated), inside the portal shell (their name, log out), for a
/// handler's refusal and for an address nothing serves alike.
#[tokio::test]
async fn error_pages_are_in_the_persons_language_with_the_shell() {
    let env = Env::start(Options::default()).await;
    let anne = Person::login(&env, "citizen-1").await;
    let Answer { status, .. } = anne
        .form("/account/preferences/display", &[("lang", "nl")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let Answer {
        status, text: page, ..
    } = anne
        .form_with(
            "/account/profile",
            &[("phone", "+32 2 555 12 34")],
            Some("forged"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("<html lang=\"nl\""), "{page}");
    assert!(
        page.contains("Dit formulier is verlopen"),
        "translated: {page}"
    );
    assert!(!page.contains("This form has expired"), "{page}");
    assert!(
        page.contains("action=\"/auth/logout\""),
        "the shell's log out: {page}"
    );
    assert_eq!(profile_of(&env, &anne.id).await, Profile::default());

    let Answer {
        status, text: page, ..
    } = anne.page("/account/no-such-page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("<html lang=\"nl\""), "{page}");
    assert!(page.contains("action=\"/auth/logout\""), "{page}");

    // Without a session: the request's language, the anonymous shell.
    let r = client()
        .get(format!("{}/account/no-such-page", env.url))
        .header("accept", "text/html")
        .header("accept-language", "fr-BE,fr;q=0.9")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let page = r.text().await.unwrap_or_default();
    assert!(page.contains("<html lang=\"fr\""), "{page}");
    assert!(!page.contains("action=\"/auth/logout\""), "{page}");
}

async fn prefs_of(env: &Env, id: &str) -> account::Preferences {
    account::preferences(&env.state().db, id)
        .await
        .expect("preferences")
}

async fn muted_of(env: &Env, id: &str) -> Vec<String> {
    account::muted_applications(&env.state().db, id)
        .await
        .expect("muted")
}

/// The `shell` claim of the assertion a backend gets for a page of `p`.
async fn shell_claim(p: &Person) -> Value {
    let echo: Value =
        p.c.get(format!("{}/vouchers/page", p.base))
            .header("cookie", &p.cookie)
            .header("accept", "text/html")
            .send()
            .await
            .expect("proxied")
            .json()
            .await
            .expect("echo");
    let token = echo["headers"]["x-gateway-assertion"]
        .as_str()
        .expect("assertion");
    let payload = token.split('.').nth(1).expect("payload");
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64");
    let claims: Value = serde_json::from_slice(&bytes).expect("claims");
    claims["shell"].clone()
}

async fn display_preferences_reach_every_page(o: Options) {
    let env = Env::start(o).await;
    let anne = Person::login(&env, "citizen-1").await;
    let Answer {
        status, text: html, ..
    } = anne.page("/account/preferences").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>My preferences</h1>"), "{html}");
    assert!(
        html.contains("<html lang=\"en\">"),
        "no class before a choice"
    );
    // Nothing about the digest for a person who manages nothing.
    assert!(!html.contains("weekly_digest"), "{html}");

    let Answer {
        status,
        location: to,
        ..
    } = anne
        .form(
            "/account/preferences/display",
            &[
                ("lang", "en"),
                ("large_text", "on"),
                ("high_contrast", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/account/preferences?done=display");
    let p = prefs_of(&env, &anne.id).await;
    assert!(p.large_text && p.high_contrast && !p.reduced_motion && !p.weekly_digest);
    assert!(muted_of(&env, &anne.id).await.is_empty());
    assert_eq!(audit_count(&env, "preferences.change", &anne.id).await, 1);
    // Every page of the portal carries the classes, the backends' through the assertion.
    for path in ["/account/", "/account/profile", "/auth/factors"] {
        let Answer { text: html, .. } = anne.page(path).await;
        assert!(
            html.contains("class=\"pref-large-text pref-high-contrast\""),
            "{path}: {html}"
        );
    }
    let shell = shell_claim(&anne).await;
    assert_eq!(shell["prefs"]["large_text"], true, "{shell}");
    assert_eq!(shell["prefs"]["high_contrast"], true, "{shell}");
    assert_eq!(shell["prefs"]["reduced_motion"], false, "{shell}");

    // The language, through the same form: the page is now in French.
    let Answer { status, .. } = anne
        .form(
            "/account/preferences/display",
            &[
                ("lang", "fr"),
                ("large_text", "on"),
                ("high_contrast", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let Answer { text: html, .. } = anne.page("/account/preferences").await;
    assert!(html.contains("<h1>Mes préférences</h1>"), "{html}");
    assert_eq!(prefs_of(&env, &anne.id).await, p);
    // An unknown language changes nothing.
    let Answer { status, .. } = anne
        .form("/account/preferences/display", &[("lang", "de")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(prefs_of(&env, &anne.id).await, p);

    // A missing or foreign token: nothing changes.
    let bruno = Person::login(&env, "citizen-2").await;
    for token in [None, Some(bruno.csrf.as_str())] {
        let Answer { status, .. } = anne
            .form_with(
                "/account/preferences/display",
                &[("reduced_motion", "on")],
                token,
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{token:?}");
    }
    assert_eq!(prefs_of(&env, &anne.id).await, p);
}

async fn notifications_and_digest(o: Options) {
    let env = Env::start(o).await;
    let anne = Person::login(&env, "citizen-1").await;
    let Answer { text: html, .. } = anne.page("/account/preferences").await;
    assert!(
        html.contains("value=\"vouchers\" class=\"check\" checked"),
        "{html}"
    );
    // Only vouchers stays on; the digest of someone who manages nothing is not stored.
    let Answer {
        status,
        location: to,
        ..
    } = anne
        .form(
            "/account/preferences/notifications",
            &[
                ("app", "vouchers"),
                ("app", "unknown"),
                ("weekly_digest", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/account/preferences?done=notifications");
    assert_eq!(muted_of(&env, &anne.id).await, vec!["down", "public"]);
    assert_eq!(
        prefs_of(&env, &anne.id).await,
        account::Preferences::default()
    );
    assert_eq!(audit_count(&env, "preferences.change", &anne.id).await, 1);
    let Answer { text: html, .. } = anne.page("/account/preferences").await;
    assert!(html.contains("value=\"public\" class=\"check\">"), "{html}");

    // A foreign token: nothing changes.
    let bruno = Person::login(&env, "citizen-2").await;
    let Answer { status, .. } = anne
        .form_with(
            "/account/preferences/notifications",
            &[("app", "public"), ("app", "down"), ("app", "vouchers")],
            Some(&bruno.csrf),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(muted_of(&env, &anne.id).await, vec!["down", "public"]);

    // A main manager sees what the digest holds and may opt in.
    let op = policy::Actor::operator();
    let p = &env.state().policy;
    let s = p
        .create_structure(
            &op,
            &policy::ids::OrgNumber::parse("0200065765").expect("n"),
            "Acme SA",
            "Acme",
        )
        .await
        .expect("structure");
    p.designate_main_manager(&op, &s.id, &policy::Subject::User(bruno.id.as_str().into()))
        .await
        .expect("bruno");
    let Answer { text: html, .. } = bruno.page("/account/preferences").await;
    assert!(html.contains("arrived"), "{html}");
    assert!(html.contains("within 30 days"), "{html}");
    let Answer { status, .. } = bruno
        .form(
            "/account/preferences/notifications",
            &[
                ("app", "public"),
                ("app", "down"),
                ("app", "vouchers"),
                ("weekly_digest", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(prefs_of(&env, &bruno.id).await.weekly_digest);
    assert!(muted_of(&env, &bruno.id).await.is_empty());
    assert_eq!(
        prefs_of(&env, &anne.id).await,
        account::Preferences::default()
    );
}

/// The public id of the session behind `p`'s cookie.
async fn sid_of(env: &Env, p: &Person) -> String {
    let token = p.cookie.trim_start_matches("gw_session=");
    gateway::store::sessions::get(&env.state().db, &gateway::crypto::token_hash(token))
        .await
        .expect("session")
        .expect("live")
        .sid
}

async fn sessions_listed_and_ended(o: Options) {
    let env = Env::start(o).await;
    let anne = Person::login(&env, "citizen-1").await;
    // Her second session from a browser whose User-Agent the gateway kept at login.
    let firefox = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
        .build()
        .expect("client");
    let token = login(&env, &firefox, "citizen-1").await;
    let anne2 = Person {
        c: firefox,
        base: env.url.clone(),
        cookie: format!("gw_session={token}"),
        csrf: String::new(),
        id: anne.id.clone(),
    };
    let bruno = Person::login(&env, "citizen-2").await;
    let Answer {
        status, text: html, ..
    } = anne.page("/account/sessions").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>My sessions</h1>"), "{html}");
    assert_eq!(html.matches("name=\"sid\"").count(), 2, "{html}");
    assert_eq!(html.matches("(this session)").count(), 1, "{html}");
    assert!(html.contains("127.0.0.0&#x2f;24"), "{html}");
    assert!(!html.contains("127.0.0.1"), "the address is masked: {html}");
    assert!(html.contains("<caption>"), "{html}");
    assert!(html.contains("<td>Firefox on Linux</td>"), "{html}");

    // Another person's session: refused as unknown, and it lives on.
    let bruno_sid = sid_of(&env, &bruno).await;
    let Answer { status, .. } = anne
        .form("/account/sessions/end", &[("sid", &bruno_sid)])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(reaches_backend(&env, &bruno.c, &bruno.cookie).await, 200);

    // Without the token, or with another's: nothing ends.
    let anne2_sid = sid_of(&env, &anne2).await;
    for token in [None, Some(bruno.csrf.as_str())] {
        let Answer { status, .. } = anne
            .form_with("/account/sessions/end", &[("sid", &anne2_sid)], token)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{token:?}");
    }
    assert_eq!(reaches_backend(&env, &anne2.c, &anne2.cookie).await, 200);

    // Ending her other session: its cookie is refused at once, hers still works.
    let Answer {
        status,
        location: to,
        ..
    } = anne
        .form("/account/sessions/end", &[("sid", &anne2_sid)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/account/sessions?done=ended");
    assert_eq!(reaches_backend(&env, &anne2.c, &anne2.cookie).await, 401);
    assert_eq!(reaches_backend(&env, &anne.c, &anne.cookie).await, 200);
    assert_eq!(audit_count(&env, "session.end", &anne.id).await, 1);

    // "End all other sessions".
    let anne3 = Person::login(&env, "citizen-1").await;
    let anne4 = Person::login(&env, "citizen-1").await;
    let Answer {
        status,
        location: to,
        ..
    } = anne.form("/account/sessions/end-others", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/account/sessions?done=others");
    for other in [&anne3, &anne4] {
        assert_eq!(reaches_backend(&env, &other.c, &other.cookie).await, 401);
    }
    assert_eq!(reaches_backend(&env, &anne.c, &anne.cookie).await, 200);
    assert_eq!(reaches_backend(&env, &bruno.c, &bruno.cookie).await, 200);
    let Answer { text: html, .. } = anne.page("/account/sessions?done=others").await;
    assert_eq!(html.matches("name=\"sid\"").count(), 1, "{html}");

    // "End this session" logs out.
    let own = sid_of(&env, &anne).await;
    let Answer {
        status,
        location: to,
        ..
    } = anne.form("/account/sessions/end", &[("sid", &own)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/auth/logged-out");
    assert_eq!(reaches_backend(&env, &anne.c, &anne.cookie).await, 401);
    assert_eq!(reaches_backend(&env, &bruno.c, &bruno.cookie).await, 200);
}

async fn disabled(env: &Env, id: &str) -> bool {
    gateway::store::users::get(&env.state().db, id)
        .await
        .expect("user")
        .expect("known")
        .disabled
}

async fn deactivation_and_reactivation(mut o: Options) {
    o.extra_routes = "[admin]\noperators = [\"sim:citizen-4\"]\n".to_owned();
    let env = Env::start(o).await;
    let bruno = Person::login(&env, "citizen-2").await;
    let bruno2 = Person::login(&env, "citizen-2").await;
    let chloe = Person::login(&env, "citizen-3").await;
    let david = Person::login(&env, "citizen-4").await;
    let op = policy::Actor::operator();
    let p = &env.state().policy;
    let acme = p
        .create_structure(
            &op,
            &policy::ids::OrgNumber::parse("0200065765").expect("n"),
            "Acme SA",
            "Acme",
        )
        .await
        .expect("structure");
    p.designate_main_manager(
        &op,
        &acme.id,
        &policy::Subject::User(bruno.id.as_str().into()),
    )
    .await
    .expect("bruno");

    // The last main manager: the page names the organisation and asks for a successor.
    let Answer {
        status, text: html, ..
    } = bruno.page("/account/deactivate").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Deactivate my account</h1>"), "{html}");
    assert!(html.contains("<li>Acme ("), "{html}");
    assert!(html.contains("successor"), "{html}");
    assert!(!html.contains("name=\"confirm\""), "{html}");
    let Answer {
        status, text: html, ..
    } = bruno
        .form("/account/deactivate", &[("confirm", "yes")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("<li>Acme ("), "{html}");
    assert!(!disabled(&env, &bruno.id).await);
    assert_eq!(reaches_backend(&env, &bruno.c, &bruno.cookie).await, 200);

    // With a successor: the box must be ticked, and the token be his.
    p.designate_main_manager(
        &op,
        &acme.id,
        &policy::Subject::User(chloe.id.as_str().into()),
    )
    .await
    .expect("chloe");
    let Answer {
        status, text: html, ..
    } = bruno.page("/account/deactivate").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"confirm\""), "{html}");
    let Answer {
        status, text: html, ..
    } = bruno.form("/account/deactivate", &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"confirm-error\">Tick the box"), "{html}");
    for token in [None, Some(chloe.csrf.as_str())] {
        let Answer { status, .. } = bruno
            .form_with("/account/deactivate", &[("confirm", "yes")], token)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{token:?}");
    }
    assert!(!disabled(&env, &bruno.id).await);
    assert_eq!(audit_count(&env, "account.deactivate", &bruno.id).await, 0);

    let Answer {
        status, text: html, ..
    } = bruno
        .form("/account/deactivate", &[("confirm", "yes")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Account deactivated"), "{html}");
    assert!(disabled(&env, &bruno.id).await);
    assert_eq!(audit_count(&env, "account.deactivate", &bruno.id).await, 1);
    for s in [&bruno, &bruno2] {
        assert_eq!(reaches_backend(&env, &s.c, &s.cookie).await, 401);
    }
    assert_eq!(reaches_backend(&env, &chloe.c, &chloe.cookie).await, 200);

    // Logging in is refused with a page saying why.
    let c = client();
    let cb = login_until_callback(&env, &c, "citizen-2", "/account/").await;
    let r = c
        .get(&cb.url)
        .header("cookie", format!("gw_login={}", cb.login_cookie))
        .header("accept", "text/html")
        .send()
        .await
        .expect("callback");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(set_cookie(&r, "gw_session").is_none());
    let html = r.text().await.expect("page");
    assert!(html.contains("Your account is deactivated"), "{html}");

    // Only an operator reactivates, and only an account that exists and is deactivated.
    let path = format!("/admin/api/people/{}/reactivate", bruno.id);
    let (status, body) = chloe.api_post(&path, serde_json::json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(disabled(&env, &bruno.id).await);
    let (status, _) = david
        .api_post("/admin/api/people/nobody/reactivate", serde_json::json!({}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = david.api_post(&path, serde_json::json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["reactivated"], true);
    assert!(!disabled(&env, &bruno.id).await);
    assert_eq!(audit_count(&env, "account.reactivate", &bruno.id).await, 1);
    let (status, _) = david.api_post(&path, serde_json::json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(audit_count(&env, "account.reactivate", &bruno.id).await, 1);

    // He logs in again.
    let back = Person::login(&env, "citizen-2").await;
    assert_eq!(back.id, bruno.id);
    assert_eq!(reaches_backend(&env, &back.c, &back.cookie).await, 200);
}

// Each flow on SQLite and on PostgreSQL (the store's SQL must hold on both).

async fn on_postgres(flow: impl AsyncFnOnce(Options)) {
    let db = support::pg::FreshDb::create().await;
    flow(Options {
        database_url: Some(db.url.clone()),
        ..Options::default()
    })
    .await;
}

#[tokio::test]
async fn the_profile_changes_only_what_the_form_says() {
    profile_changes_only_what_the_form_says(Options::default()).await;
}

#[tokio::test]
async fn the_profile_changes_only_what_the_form_says_on_postgres() {
    on_postgres(profile_changes_only_what_the_form_says).await;
}

#[tokio::test]
async fn display_preferences_reach_every_page_and_change_nothing_else() {
    display_preferences_reach_every_page(Options::default()).await;
}

#[tokio::test]
async fn display_preferences_reach_every_page_and_change_nothing_else_on_postgres() {
    on_postgres(display_preferences_reach_every_page).await;
}

#[tokio::test]
async fn notifications_per_application_and_the_digest_for_managers_only() {
    notifications_and_digest(Options::default()).await;
}

#[tokio::test]
async fn notifications_per_application_and_the_digest_for_managers_only_on_postgres() {
    on_postgres(notifications_and_digest).await;
}

#[tokio::test]
async fn sessions_are_listed_and_ended_one_by_one_or_all_others() {
    sessions_listed_and_ended(Options::default()).await;
}

#[tokio::test]
async fn sessions_are_listed_and_ended_one_by_one_or_all_others_on_postgres() {
    on_postgres(sessions_listed_and_ended).await;
}

#[tokio::test]
async fn deactivation_waits_for_a_successor_then_login_is_refused_until_an_operator_reactivates() {
    deactivation_and_reactivation(Options::default()).await;
}

#[tokio::test]
async fn deactivation_waits_for_a_successor_then_login_is_refused_until_an_operator_reactivates_on_postgres()
 {
    on_postgres(deactivation_and_reactivation).await;
}

#[tokio::test]
async fn a_session_ended_on_one_node_is_refused_on_the_other() {
    let db = support::pg::FreshDb::create().await;
    let a = Env::start(Options {
        database_url: Some(db.url.clone()),
        ..Options::default()
    })
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let b_addr = listener.local_addr().expect("addr");
    let text = config_text(b_addr, &db.url, &a.issuer, a.backend, &Options::default());
    let state = gateway::AppState::build(gateway::Config::from_toml(&text).expect("config"))
        .await
        .expect("state");
    let b = gateway::spawn(state, listener).expect("spawn");
    let anne = Person::login(&a, "citizen-1").await;
    let other = Person::login(&a, "citizen-1").await;
    let on_b = |p: &Person| {
        let req =
            p.c.get(format!("http://{b_addr}/vouchers/x"))
                .header("cookie", &p.cookie)
                .header("accept", "application/json");
        async move { req.send().await.expect("b").status() }
    };
    assert_eq!(
        on_b(&other).await,
        StatusCode::OK,
        "node B knows the session"
    );
    let sid = sid_of(&a, &other).await;
    let Answer { status, .. } = anne.form("/account/sessions/end", &[("sid", &sid)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        on_b(&other).await,
        StatusCode::UNAUTHORIZED,
        "refused on B at once"
    );
    assert_eq!(on_b(&anne).await, StatusCode::OK);
    b.shutdown().await.expect("stop b");
}

/// The bodies of the mails queued to `to`, unsealed.
async fn mail_bodies(env: &Env, to: &str) -> Vec<String> {
    let now = i64::MAX / 2;
    gateway::mail::outbox::lease_due(&env.state().db, &env.state().keys, now, 0, 100)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|q| q.mail.to == to)
        .map(|q| format!("{}\n{}", q.mail.subject, q.mail.body))
        .collect()
}

#[tokio::test]
async fn the_weekly_digest_goes_to_managers_who_asked_once_a_week() {
    let clock = manual_clock();
    let env = Env::start(Options {
        clock: Some(clock.clone()),
        ..Options::default()
    })
    .await;
    let bruno = Person::login(&env, "citizen-2").await;
    let chloe = Person::login(&env, "citizen-3").await;
    let david = Person::login(&env, "citizen-4").await;
    let anne = Person::login(&env, "citizen-1").await;
    let op = policy::Actor::operator();
    let p = &env.state().policy;
    p.define_right(&op, "vouchers", "read", "Vouchers / read")
        .await
        .expect("right");
    let read = p.right_by_name("vouchers", "read").await.expect("read").id;
    let acme = p
        .create_structure(
            &op,
            &policy::ids::OrgNumber::parse("0200065765").expect("n"),
            "Acme SA",
            "Acme",
        )
        .await
        .expect("structure")
        .id;
    p.designate_main_manager(&op, &acme, &policy::Subject::User(bruno.id.as_str().into()))
        .await
        .expect("bruno");
    let now = env.state().clock.now_ms();
    for (who, days) in [(&chloe, 10), (&david, 90)] {
        p.grant(
            &op,
            &policy::grants::GrantRequest {
                structure: acme.clone(),
                subject: policy::Subject::User(who.id.as_str().into()),
                right: read.clone(),
                scope: policy::Scope::Structure,
                valid_until: Some(now + days * 86_400_000),
            },
        )
        .await
        .expect("grant");
    }
    p.detach(&policy::Actor::user(david.id.as_str(), None), &acme, None)
        .await
        .expect("david leaves");

    // Opting in, through the form; Anne manages nothing and asks for nothing.
    let Answer { status, .. } = bruno
        .form(
            "/account/preferences/notifications",
            &[
                ("app", "vouchers"),
                ("app", "public"),
                ("app", "down"),
                ("weekly_digest", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let send = || gateway::account::digest::send_due(env.state());
    assert_eq!(send().await.expect("digest"), 1);
    let bodies = mail_bodies(&env, "bruno@example.be").await;
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    let body = &bodies[0];
    assert!(body.contains("Acme ("), "{body}");
    let arrivals = body.split("Arrivals").nth(1).expect("arrivals");
    let departures = arrivals.split("Departures").nth(1).expect("departures");
    let ending = departures
        .split("Authorisations ending")
        .nth(1)
        .expect("ending");
    assert!(arrivals.contains("Chloé Janssens"), "{body}");
    assert!(
        departures
            .split("Authorisations")
            .next()
            .unwrap_or("")
            .contains("David Lambert"),
        "{body}"
    );
    assert!(
        ending.contains("Chloé Janssens: Vouchers / read, until"),
        "{body}"
    );
    assert!(
        !ending.contains("David"),
        "90 days is not within 30: {body}"
    );
    assert_eq!(env.mails_queued(Some("anne@example.be")).await, 0);
    let _ = anne;

    // Once a week, on the model's clock.
    assert_eq!(send().await.expect("digest"), 0);
    clock.advance(6 * 86_400_000);
    assert_eq!(send().await.expect("digest"), 0);
    clock.advance(86_400_000);
    assert_eq!(send().await.expect("digest"), 1);
    assert_eq!(env.mails_queued(Some("bruno@example.be")).await, 2);

    // Opting out stops it (a new login: the old session ended while the clock moved).
    let bruno = Person::login(&env, "citizen-2").await;
    let Answer {
        status,
        location: to,
        ..
    } = bruno
        .form("/account/preferences/notifications", &[("app", "vouchers")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/account/preferences?done=notifications");
    assert!(!prefs_of(&env, &bruno.id).await.weekly_digest);
    clock.advance(8 * 86_400_000);
    assert_eq!(send().await.expect("digest"), 0);
}
