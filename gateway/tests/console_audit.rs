//! The console's audit log and access check over real sockets: a grant made through the
//! console shows in the structure's log, the filters narrow it, the exports (CSV and
//! JSON lines, streamed) hold its rows with formula-like names neutralised; the log is
//! its legal representatives' and main managers' only (another organisation's manager
//! and a local manager are refused, learning nothing), the whole log an operator's. The
//! check page says who may use what and why, and agrees with the proxy before and after
//! a revocation.

mod support;

use policy::{ServiceId, StructureId};
use reqwest::StatusCode;
use serde_json::Value;
use support::*;

/// A (Acme: Bruno main manager, Chloé local manager of Liège, services Liège and
/// Namur), B (Bolt: Alice main manager); David an operator; Emma a person with no role
/// yet. The `vouchers` levels `read` and `modify`, and a policy route `/pvouchers` that
/// needs `read`.
struct World {
    env: Env,
    _upstream: tokio::task::JoinHandle<()>,
    a: StructureId,
    liege: ServiceId,
    b: StructureId,
    read: String,
    alice: Person,
    bruno: Person,
    chloe: Person,
    david: Person,
    emma: Person,
}

async fn world() -> World {
    let (backend, upstream) = echo_backend().await;
    let env = Env::start(Options {
        extra_routes: format!(
            "[[applications]]\nid = \"vouchers\"\nname = \"Vouchers\"\nlevels = [\"read\", \"modify\"]\n\
             [[routes]]\nprefix = \"/pvouchers\"\nupstream = \"http://{backend}\"\n\
             application = \"vouchers\"\naccess = \"policy\"\nmethods = {{ GET = \"read\" }}\n\
             [admin]\noperators = [\"sim:citizen-4\"]\n"
        ),
        ..Options::default()
    })
    .await;
    let read = levels(&env, "vouchers", &["read", "modify"]).await;
    let a = structure(&env, ACME).await;
    let (liege, _namur) = liege_and_namur(&env, &a).await;
    let b = structure(&env, BOLT).await;
    main_manager(&env, &a, BRUNO).await;
    main_manager(&env, &b, ALICE).await;
    local_manager(&env, &a, &liege, CHLOE).await;
    let alice = Person::login(&env, "citizen-1").await;
    let bruno = Person::login(&env, "citizen-2").await;
    let chloe = Person::login(&env, "citizen-3").await;
    let david = Person::login(&env, "citizen-4").await;
    let emma = Person::login(&env, "citizen-5").await;
    World {
        env,
        _upstream: upstream,
        a,
        liege,
        b,
        read: read.0,
        alice,
        bruno,
        chloe,
        david,
        emma,
    }
}

/// Bruno grants Emma `vouchers/read` on the whole of Acme through the people page.
async fn grant_emma(w: &World) {
    let Answer { status, .. } = w
        .bruno
        .form(
            &format!("/admin/structures/{}/people/grant", w.a),
            &[
                ("person", w.emma.id.as_str()),
                ("right", w.read.as_str()),
                ("scope", "structure"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "grant");
}

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

/// The rows of the log's table (between `<tbody>` and `</tbody>`).
fn table(html: &str) -> &str {
    html.split("<tbody>")
        .nth(1)
        .and_then(|t| t.split("</tbody>").next())
        .unwrap_or("")
}

#[tokio::test]
async fn the_structure_log_shows_a_console_grant_and_its_filters_narrow_it() {
    let w = world().await;
    grant_emma(&w).await;
    let log = format!("/admin/structures/{}/audit", w.a);

    let Answer {
        status, text: html, ..
    } = w.bruno.page(&log).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let rows = table(&html);
    assert!(rows.contains("Habilitation granted"), "{html}");
    assert!(rows.contains("Emma Leroy"), "about whom: {rows}");
    assert!(rows.contains("Bruno Peeters"), "who: {rows}");
    assert!(
        rows.contains("Service created"),
        "the operator's events too: {rows}"
    );
    assert!(html.contains("aria-current=\"page\">Audit log</a>"), "nav");

    // By action: only the grant.
    let Answer { text: html, .. } = w.bruno.page(&format!("{log}?action=grant.create")).await;
    let rows = table(&html);
    assert!(rows.contains("Habilitation granted"), "{rows}");
    assert!(!rows.contains("Service created"), "{rows}");
    // By person, by a part of the name: what concerns Emma only.
    let Answer { text: html, .. } = w.bruno.page(&format!("{log}?person=emma")).await;
    let rows = table(&html);
    assert!(rows.contains("Habilitation granted"), "{rows}");
    assert!(!rows.contains("Service created"), "{rows}");
    // By a person's id.
    let Answer { text: html, .. } = w.bruno.page(&format!("{log}?person={}", w.emma.id)).await;
    assert!(table(&html).contains("Habilitation granted"), "{html}");
    // A name nobody has: nothing, not everything.
    let Answer {
        status, text: html, ..
    } = w.bruno.page(&format!("{log}?person=zzzunknown")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(table(&html).is_empty(), "{html}");
    assert!(html.contains("No event matches these filters."));
    // By days: today holds it, tomorrow onwards nothing.
    let today = today();
    let Answer { text: html, .. } = w
        .bruno
        .page(&format!(
            "{log}?from={today}&to={today}&action=grant.create"
        ))
        .await;
    assert!(table(&html).contains("Habilitation granted"), "{html}");
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let Answer { text: html, .. } = w.bruno.page(&format!("{log}?from={tomorrow}")).await;
    assert!(table(&html).is_empty(), "{html}");
    // A range backwards is said, not silently empty.
    let Answer {
        status, text: html, ..
    } = w
        .bruno
        .page(&format!("{log}?from={tomorrow}&to={today}"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("The first day is after the last one."),
        "{html}"
    );

    // Paging by event id: the next page starts after the last row shown.
    let Answer { text: html, .. } = w.bruno.page(&format!("{log}?after=999999")).await;
    assert!(table(&html).is_empty(), "{html}");
    assert!(html.contains("First events"), "{html}");
}

#[tokio::test]
async fn the_log_is_for_representatives_and_main_managers_of_that_structure_only() {
    let w = world().await;
    grant_emma(&w).await;
    let log = format!("/admin/structures/{}/audit", w.a);
    // Alice manages B, not A: refused, nothing of A's log in the answer.
    for path in [
        log.clone(),
        format!("{log}?action=grant.create"),
        format!("{log}/export?format=csv"),
        format!("{log}/export?format=jsonl"),
    ] {
        let Answer {
            status, text: html, ..
        } = w.alice.page(&path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(!html.contains("Emma"), "{path}: {html}");
        assert!(!html.contains("Habilitation granted"), "{path}");
    }
    // Her own log is hers (and holds nothing of A's).
    let Answer {
        status, text: html, ..
    } = w
        .alice
        .page(&format!("/admin/structures/{}/audit", w.b))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("Emma"), "{html}");
    // Chloé, a local manager of A: refused, and her pages do not link it.
    let Answer {
        status, text: html, ..
    } = w.chloe.page(&log).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!html.contains("Emma"));
    let Answer {
        status, text: html, ..
    } = w
        .chloe
        .page(&format!("/admin/structures/{}/people", w.a))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("/audit\""), "no link for a local manager");
    let Answer { text: html, .. } = w
        .bruno
        .page(&format!("/admin/structures/{}/people", w.a))
        .await;
    assert!(html.contains(&format!("/admin/structures/{}/audit\"", w.a)));
    // The API answers the same for the same people.
    for (who, p, want) in [
        ("alice", &w.alice, StatusCode::FORBIDDEN),
        ("chloe", &w.chloe, StatusCode::FORBIDDEN),
        ("bruno", &w.bruno, StatusCode::OK),
    ] {
        let r =
            p.c.get(format!("{}/admin/api/audit?structure={}", p.base, w.a))
                .header("cookie", &p.cookie)
                .send()
                .await
                .expect("api");
        assert_eq!(r.status(), want, "{who}");
    }
    // The whole log: the operator's, not a main manager's.
    let Answer {
        status, text: html, ..
    } = w.bruno.page("/admin/audit").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!html.contains("Emma"));
    let Answer {
        status, text: html, ..
    } = w.david.page("/admin/audit").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(table(&html).contains("Habilitation granted"), "{html}");
    let Answer { text: index, .. } = w.david.page("/admin/").await;
    assert!(
        index.contains("href=\"/admin/audit\""),
        "linked for operators"
    );
    // By organisation: B's log holds no grant to Emma.
    let Answer { text: html, .. } = w
        .david
        .page("/admin/audit?organisation=0403123486&action=grant.create")
        .await;
    assert!(table(&html).is_empty(), "{html}");
    let Answer { text: html, .. } = w
        .david
        .page("/admin/audit?organisation=0200065765&action=grant.create")
        .await;
    assert!(table(&html).contains("Emma Leroy"), "{html}");
}

#[tokio::test]
async fn exports_hold_the_rows_and_neutralise_formulas() {
    let w = world().await;
    // A name a spreadsheet would run.
    sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
        .bind("=cmd|' /C calc'!A0")
        .bind(&w.emma.id)
        .execute(&w.env.state().db.pool)
        .await
        .expect("rename");
    grant_emma(&w).await;
    let log = format!("/admin/structures/{}/audit", w.a);

    let Answer {
        status,
        kind,
        text: csv,
        ..
    } = w
        .bruno
        .page(&format!("{log}/export?format=csv&action=grant.create"))
        .await;
    assert_eq!(status, StatusCode::OK, "{csv}");
    assert!(kind.starts_with("text/csv"), "{kind}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "header and the grant: {csv}");
    assert!(lines[0].contains("When (UTC)"), "{csv}");
    assert!(lines[1].contains("Habilitation granted"), "{csv}");
    assert!(lines[1].contains("'=cmd|' /C calc'!A0"), "{csv}");
    assert!(
        !lines[1].split(',').any(|cell| cell.starts_with('=')),
        "no cell starts a formula: {csv}"
    );

    let Answer {
        status,
        kind,
        text: jsonl,
        ..
    } = w.bruno.page(&format!("{log}/export?format=jsonl")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/x-ndjson");
    let events: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let grant = events
        .iter()
        .find(|e| e["action"] == "grant.create")
        .expect("the grant");
    assert_eq!(grant["target"], w.emma.id.as_str());
    assert_eq!(grant["about"], "=cmd|' /C calc'!A0");
    assert_eq!(grant["detail"]["application"], "vouchers");
    assert!(events.iter().any(|e| e["action"] == "service.create"));

    // The API's export streams the same events, raw.
    let r = w
        .bruno
        .c
        .get(format!(
            "{}/admin/api/audit/export?structure={}&format=jsonl&action=grant.create",
            w.env.url, w.a
        ))
        .header("cookie", &w.bruno.cookie)
        .send()
        .await
        .expect("api export");
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.expect("body");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("line"))
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert_eq!(lines[0]["target"], w.emma.id.as_str());
    let r = w
        .bruno
        .c
        .get(format!(
            "{}/admin/api/audit/export?structure={}&format=csv",
            w.env.url, w.a
        ))
        .header("cookie", &w.bruno.cookie)
        .send()
        .await
        .expect("api export");
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.expect("body");
    assert!(text.starts_with("id,at,actor,action"), "{text}");
    assert!(text.contains("grant.create"), "{text}");
}

#[tokio::test]
async fn the_check_page_agrees_with_the_proxy_before_and_after_a_revocation() {
    let w = world().await;
    grant_emma(&w).await;
    let switched = w.emma.switch(w.a.as_str()).await;
    assert!(
        switched.is_redirection() || switched.is_success(),
        "switch: {switched}"
    );
    let check = |level: &str| {
        format!(
            "/admin/structures/{}/check?person={}&application=vouchers&level={level}",
            w.a, w.emma.id
        )
    };

    let Answer {
        status, text: html, ..
    } = w.bruno.page(&check("read")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("<h2 id=\"verdict-title\">Allowed</h2>"),
        "{html}"
    );
    assert!(html.contains("Vouchers &#x2f; read"), "the grant: {html}");
    assert!(
        html.contains("<dd>Bruno Peeters</dd>"),
        "granted by: {html}"
    );
    assert!(
        html.contains("<dd>Until revoked</dd>") || html.contains("until revoked"),
        "{html}"
    );
    assert_eq!(
        w.emma.proxied("/pvouchers/list").await,
        StatusCode::OK,
        "the proxy agrees"
    );
    // Another level: no, and why.
    let Answer { text: html, .. } = w.bruno.page(&check("modify")).await;
    assert!(
        html.contains("<h2 id=\"verdict-title\">Not allowed</h2>"),
        "{html}"
    );
    assert!(
        html.contains("They hold another level of this application: read."),
        "{html}"
    );

    // Chloé, local manager of Liège, may not check Emma (attached to the whole of
    // Acme), nor in another service than hers; Alice may not check in Acme at all.
    let Answer {
        status, text: html, ..
    } = w.chloe.page(&check("read")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{html}");
    assert!(!html.contains("verdict-title"), "{html}");
    let Answer {
        status, text: html, ..
    } = w.alice.page(&check("read")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!html.contains("Emma"), "{html}");
    assert!(!html.contains("verdict-title"));

    // Revoked through the console: the page says no, and why; so does the proxy.
    let grant = w
        .env
        .state()
        .policy
        .grants_of(&policy::UserId::from(w.emma.id.as_str()))
        .await
        .expect("grants")
        .into_iter()
        .find(|g| g.structure_id == w.a)
        .expect("emma's grant");
    let Answer { status, .. } = w
        .bruno
        .form(
            &format!(
                "/admin/structures/{}/people/grants/{}/revoke",
                w.a, grant.id
            ),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "revoke");
    let Answer { text: html, .. } = w.bruno.page(&check("read")).await;
    assert!(
        html.contains("<h2 id=\"verdict-title\">Not allowed</h2>"),
        "{html}"
    );
    assert!(
        html.contains("The person holds no habilitation for this application at this level."),
        "{html}"
    );
    assert_eq!(
        w.emma.proxied("/pvouchers/list").await,
        StatusCode::FORBIDDEN,
        "the proxy agrees"
    );
    // For a service: the same question asked there.
    let Answer { text: html, .. } = w
        .bruno
        .page(&format!("{}&service={}", check("read"), w.liege))
        .await;
    assert!(html.contains("Checked for: LGE"), "{html}");
    assert!(html.contains("Not allowed"), "{html}");
    // The revocation is in the log.
    let Answer { text: html, .. } = w
        .bruno
        .page(&format!(
            "/admin/structures/{}/audit?action=grant.revoke",
            w.a
        ))
        .await;
    assert!(table(&html).contains("Habilitation revoked"), "{html}");
}
