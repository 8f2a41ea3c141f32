//! The rights catalogue and the routes reloaded from the configuration file without a
//! restart, over real sockets: a route added to the file is served after the reload; a
//! wrong file (a level removed that a route still needs, a missing file) is refused
//! naming the key while the routes in force keep serving; a change outside the catalogue
//! and routes is reported as needing a restart and not applied; a non-operator, a
//! request without the CSRF token or from another site change nothing, through the API
//! and the console page alike; every attempt is in the audit log; and `SIGHUP` sent to
//! the process reloads (the handler `gateway serve` installs).

mod support;

use policy::UserId;
use policy::audit::AuditQuery;
use reqwest::StatusCode;
use serde_json::Value;
use support::*;

/// The catalogue of the test file: `reports` with two levels, a policy route needing
/// `export` for POST, and David (`citizen-4`) operator.
const CATALOGUE: &str = r#"
[[applications]]
id = "reports"
name = "Reports"
levels = ["read", "export"]
methods = { GET = "read" }
[[routes]]
prefix = "/reports"
upstream = "http://127.0.0.1:9"
application = "reports"
access = "policy"
methods = { GET = "read", POST = "export" }
[admin]
operators = ["sim:citizen-4"]
"#;

async fn start() -> Env {
    Env::start(Options {
        extra_routes: CATALOGUE.to_owned(),
        config_file: true,
        ..Options::default()
    })
    .await
}

/// Rewrite the configuration file: `edit` turns the start's text into the new one.
fn edit_file(env: &Env, edit: impl FnOnce(String) -> String) {
    let path = env.config_path.as_ref().expect("config file");
    write_config(path, &edit(env.config_text.clone()));
}

/// The start's file with an `authenticated` route `/added` to the echo backend.
fn with_added_route(env: &Env, text: String) -> String {
    format!(
        "{text}\n[[routes]]\nprefix = \"/added\"\nupstream = \"http://{}\"\n\
         application = \"added\"\naccess = \"authenticated\"\n",
        env.backend
    )
}

/// `POST /admin/api/catalogue/reload` by `p`, with their CSRF token when `csrf`.
async fn api_reload(p: &Person, csrf: bool) -> (StatusCode, Value) {
    let token = csrf.then_some(p.csrf.as_str());
    p.api_post_with("/admin/api/catalogue/reload", Value::Null, token)
        .await
}

/// The console's reload form by `p` with exactly these fields, from `site`.
async fn form_reload(p: &Person, fields: &[(&str, &str)], site: &str) -> (StatusCode, String) {
    let a = p
        .raw_form(
            "/admin/catalogue/reload",
            fields,
            &[("sec-fetch-site", site)],
        )
        .await;
    (a.status, a.text)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The `reports` levels in force in the access model, sorted.
async fn levels(env: &Env) -> Vec<String> {
    labels(env)
        .await
        .into_iter()
        .map(|(level, _)| level)
        .collect()
}

/// The `catalogue.reload` audit lines, oldest first.
async fn reload_lines(env: &Env) -> Vec<Value> {
    let all = env
        .state()
        .policy
        .audit()
        .query(&AuditQuery::default())
        .await
        .expect("audit");
    let mut lines: Vec<Value> = all
        .into_iter()
        .filter(|r| r.event.action == "catalogue.reload")
        .map(|r| serde_json::to_value(&r).expect("json"))
        .collect();
    lines.sort_by_key(|l| l["id"].as_i64());
    lines
}

#[tokio::test]
async fn a_route_and_a_level_added_to_the_file_are_in_force_after_a_reload() {
    let env = start().await;
    let david = Person::login(&env, "citizen-4").await;
    assert_eq!(david.proxied("/added/x").await, StatusCode::NOT_FOUND);
    edit_file(&env, |text| {
        with_added_route(&env, text).replace(
            "levels = [\"read\", \"export\"]",
            "levels = [\"read\", \"export\", \"archive\"]",
        )
    });
    let (status, report) = api_reload(&david, true).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["outcome"], "applied", "{report}");
    assert_eq!(strings(&report["routes_added"]), ["/added"]);
    assert_eq!(strings(&report["levels_added"]), ["reports/archive"]);
    assert!(strings(&report["routes_removed"]).is_empty());
    assert!(strings(&report["needs_restart"]).is_empty(), "{report}");
    // Served at once, without a restart, to the echo backend.
    assert_eq!(david.proxied("/added/x").await, StatusCode::OK);
    assert_eq!(david.proxied("/vouchers/x").await, StatusCode::OK);
    // The level is in the access model (grantable), through the start's own code.
    assert_eq!(levels(&env).await, ["archive", "export", "read"]);
    // The console page shows the routes and levels in force.
    let Answer {
        status, text: page, ..
    } = david.page("/admin/catalogue").await;
    assert_eq!(status, StatusCode::OK);
    // (`/` is escaped in HTML text.)
    for shown in [
        "<td>&#x2f;added</td><td>added</td>",
        "<td>&#x2f;reports</td><td>reports</td>",
        "<li>archive (Reports",
        "POST: export",
    ] {
        assert!(page.contains(shown), "{shown} missing from the page");
    }
    // The same file again changes nothing.
    let (status, report) = api_reload(&david, true).await;
    assert_eq!(
        (status, report["outcome"].as_str()),
        (StatusCode::OK, Some("unchanged"))
    );
    // A change outside the catalogue and routes is reported, not applied.
    edit_file(&env, |text| {
        with_added_route(&env, text)
            .replace(
                "levels = [\"read\", \"export\"]",
                "levels = [\"read\", \"export\", \"archive\"]",
            )
            .replace("shutdown_grace_secs = 2", "shutdown_grace_secs = 7")
    });
    let (status, report) = api_reload(&david, true).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["outcome"], "unchanged", "{report}");
    assert_eq!(strings(&report["needs_restart"]), ["server"]);
    assert_eq!(env.state().config.server.shutdown_grace_secs, 2);
}

#[tokio::test]
async fn a_wrong_file_is_refused_naming_the_key_and_the_routes_in_force_keep_serving() {
    let env = start().await;
    let david = Person::login(&env, "citizen-4").await;
    // The level `export` removed while the route still needs it for POST, and a new
    // route beside it: all or nothing.
    edit_file(&env, |text| {
        with_added_route(&env, text)
            .replace("levels = [\"read\", \"export\"]", "levels = [\"read\"]")
    });
    let (status, report) = api_reload(&david, true).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
    assert_eq!(report["outcome"], "refused");
    let message = report["message"].as_str().unwrap_or_default();
    assert!(message.contains("routes[4].methods.POST"), "{message}");
    assert!(strings(&report["routes_added"]).is_empty());
    assert_eq!(david.proxied("/added/x").await, StatusCode::NOT_FOUND);
    assert_eq!(david.proxied("/vouchers/x").await, StatusCode::OK);
    assert_eq!(levels(&env).await, ["export", "read"]);
    // A typo in a level, through the console's form: the page names the key.
    edit_file(&env, |text| {
        text.replace("POST = \"export\"", "POST = \"exprot\"")
    });
    let (status, page) = form_reload(&david, &[("csrf", david.csrf.as_str())], "same-origin").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("routes[4].methods.POST"), "{page}");
    assert!(page.contains("role=\"alert\""));
    // The file gone: named as such, nothing changes.
    std::fs::remove_file(env.config_path.as_ref().expect("path")).expect("remove");
    let (status, report) = api_reload(&david, true).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
    let message = report["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("configuration file not found"),
        "{message}"
    );
    assert_eq!(david.proxied("/vouchers/x").await, StatusCode::OK);
    assert_eq!(levels(&env).await, ["export", "read"]);
}

#[tokio::test]
async fn removing_a_level_no_route_needs_retires_it_and_keeps_its_grants_out_of_decisions() {
    let env = start().await;
    let david = Person::login(&env, "citizen-4").await;
    edit_file(&env, |text| {
        text.replace("levels = [\"read\", \"export\"]", "levels = [\"read\"]")
            .replace("POST = \"export\"", "POST = \"read\"")
    });
    let (status, report) = api_reload(&david, true).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(strings(&report["levels_removed"]), ["reports/export"]);
    assert_eq!(strings(&report["routes_changed"]), ["/reports"]);
    assert_eq!(levels(&env).await, ["read"]);
}

#[tokio::test]
async fn a_non_operator_changes_nothing_through_the_api_or_the_page() {
    let env = start().await;
    let chloe = Person::login(&env, "citizen-3").await;
    edit_file(&env, |text| with_added_route(&env, text));
    let (status, body) = api_reload(&chloe, true).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let Answer { status, .. } = chloe.page("/admin/catalogue").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = form_reload(&chloe, &[("csrf", chloe.csrf.as_str())], "same-origin").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(chloe.proxied("/added/x").await, StatusCode::NOT_FOUND);
    assert!(reload_lines(&env).await.is_empty());
    // The console's index links the page for operators only.
    let Answer { text: index, .. } = chloe.page("/admin/").await;
    assert!(!index.contains("/admin/catalogue"));
    let david = Person::login(&env, "citizen-4").await;
    let Answer { text: index, .. } = david.page("/admin/").await;
    assert!(index.contains("href=\"/admin/catalogue\""));
}

#[tokio::test]
async fn a_reload_without_the_csrf_token_or_from_another_site_is_refused() {
    let env = start().await;
    let david = Person::login(&env, "citizen-4").await;
    edit_file(&env, |text| with_added_route(&env, text));
    let (status, body) = api_reload(&david, false).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = form_reload(&david, &[], "same-origin").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = form_reload(&david, &[("csrf", "not-the-token")], "same-origin").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = form_reload(&david, &[("csrf", david.csrf.as_str())], "cross-site").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(david.proxied("/added/x").await, StatusCode::NOT_FOUND);
    assert!(reload_lines(&env).await.is_empty());
    // The form with its token reloads, and the page says so.
    let (status, page) = form_reload(&david, &[("csrf", david.csrf.as_str())], "same-origin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Reloaded"), "{page}");
    assert_eq!(david.proxied("/added/x").await, StatusCode::OK);
}

#[tokio::test]
async fn every_attempt_is_in_the_audit_log_with_who_and_what_changed() {
    let env = start().await;
    let david = Person::login(&env, "citizen-4").await;
    edit_file(&env, |text| with_added_route(&env, text));
    let (status, _) = api_reload(&david, true).await;
    assert_eq!(status, StatusCode::OK);
    edit_file(&env, |text| {
        text.replace("POST = \"export\"", "POST = \"exprot\"")
    });
    let (status, _) = api_reload(&david, true).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let lines = reload_lines(&env).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    let applied = &lines[0];
    assert_eq!(applied["actor"], david.id.as_str());
    assert_eq!(applied["detail"]["via"], "admin_api");
    assert_eq!(applied["detail"]["report"]["outcome"], "applied");
    assert_eq!(
        strings(&applied["detail"]["report"]["routes_added"]),
        ["/added"]
    );
    assert!(applied["ip"].as_str().is_some());
    let refused = &lines[1];
    assert_eq!(refused["detail"]["report"]["outcome"], "refused");
    let message = refused["detail"]["report"]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("routes[4].methods.POST"), "{message}");
    // The person's own audit view holds it too.
    let mine = env
        .state()
        .policy
        .audit()
        .query(&AuditQuery {
            people: Some(vec![UserId::from(david.id.as_str())]),
            ..AuditQuery::default()
        })
        .await
        .expect("audit");
    assert!(mine.iter().any(|r| r.event.action == "catalogue.reload"));
}

/// The `reports` levels in force in the access model with their labels, by level.
async fn labels(env: &Env) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = env
        .state()
        .policy
        .catalogue()
        .await
        .expect("catalogue")
        .into_iter()
        .filter(|r| r.application == "reports")
        .map(|r| (r.level, r.label))
        .collect();
    all.sort();
    all
}

#[tokio::test]
async fn a_catalogue_changed_in_the_database_behind_the_nodes_back_is_restored_by_a_reload() {
    let env = start().await;
    let david = Person::login(&env, "citizen-4").await;
    let before = labels(&env).await;
    assert_eq!(before.len(), 2, "{before:?}");
    // Another node of the cluster, started with another file, writes its catalogue into
    // the shared database: `export` gone, `read` relabelled, `archive` added.
    let entry = |level: &str, label: &str| policy::catalogue::CatalogueEntry {
        application: "reports".to_owned(),
        level: level.to_owned(),
        label: label.to_owned(),
    };
    let other = env
        .state()
        .policy
        .sync_catalogue(
            &policy::Actor::operator(),
            &[
                entry("read", "Another node's label"),
                entry("archive", "Reports / archive"),
            ],
        )
        .await
        .expect("the other node's catalogue");
    assert!(other.changed());
    assert_eq!(levels(&env).await, ["archive", "read"]);
    // This node's file has not changed; its reload writes it back all the same.
    let (status, report) = api_reload(&david, true).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["outcome"], "applied", "{report}");
    for unchanged in [
        "levels_added",
        "levels_removed",
        "routes_added",
        "routes_changed",
    ] {
        assert!(
            strings(&report[unchanged]).is_empty(),
            "{unchanged}: {report}"
        );
    }
    let shared = &report["shared_catalogue"];
    assert_eq!(strings(&shared["restored"]), ["reports/export"], "{report}");
    assert_eq!(strings(&shared["relabelled"]), ["reports/read"], "{report}");
    assert_eq!(strings(&shared["retired"]), ["reports/archive"], "{report}");
    assert!(strings(&shared["added"]).is_empty(), "{report}");
    assert_eq!(labels(&env).await, before);
    // The audit line says what the reload wrote into the database.
    let lines = reload_lines(&env).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(
        strings(&lines[0]["detail"]["report"]["shared_catalogue"]["restored"]),
        ["reports/export"]
    );
    // The database holds the file's catalogue again: a further reload changes nothing.
    let (status, report) = api_reload(&david, true).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["outcome"], "unchanged", "{report}");
    assert!(strings(&report["shared_catalogue"]["restored"]).is_empty());
}

/// `SIGHUP` sent to this very process reaches the handler `gateway serve` installs
/// ([`gateway::reload::reload_on_hangup`]) and reloads; the answer is awaited by
/// watching the audit log (the only test of this binary that installs the handler).
#[cfg(unix)]
#[tokio::test]
async fn sighup_reloads_the_file() {
    let env = start().await;
    let david = Person::login(&env, "citizen-4").await;
    gateway::reload::reload_on_hangup(env.state().clone()).expect("handler");
    edit_file(&env, |text| with_added_route(&env, text));
    let sent = std::process::Command::new("kill")
        .args(["-HUP", &std::process::id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let mut lines = Vec::new();
    for _ in 0..200 {
        lines = reload_lines(&env).await;
        if !lines.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(lines.len(), 1, "no reload after SIGHUP");
    assert_eq!(lines[0]["actor"], Value::Null);
    assert_eq!(lines[0]["detail"]["via"], "signal");
    assert_eq!(lines[0]["detail"]["report"]["outcome"], "applied");
    assert_eq!(david.proxied("/added/x").await, StatusCode::OK);
}
