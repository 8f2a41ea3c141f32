//! The portal's own rules for prestations (seed 001) through HTTP, with real assertions,
//! on SQLite and PostgreSQL: a person acting as themselves, the office's lists and daily
//! mail over SMTP, a worker's email set by the enterprise until the worker sets theirs,
//! the exports with the statuses, the colour legend, picking the client by name or
//! voucher-user number without JavaScript.

mod common;

use axum::http::{Method, StatusCode};
use backend_kit::ManualClock;
use backend_kit::db_tests;
use backend_kit::test_support::TestDb;
use common::http::*;
use common::*;
use e2e::SmtpServer;
use prestations::OUTBOX;
use serde_json::{Value, json};

/// The office encodes for `worker` a prestation of `date` for the client `user`.
async fn office_encodes(h: &Http, user: &str, worker: &str, date: &str) -> String {
    let body = json!({ "user_number": user, "worker_number": worker, "date": date, "hours": 3, "activity": "cleaning" });
    let (status, p) = h
        .json(Method::POST, "/api/prestations", &h.office(), Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    p["id"].as_str().expect("id").to_owned()
}

async fn act(h: &Http, token: &str, id: &str, action: &str, body: Value) -> Value {
    let (status, p) = h
        .json(
            Method::POST,
            &format!("/api/prestations/{id}/{action}"),
            token,
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{action}: {p}");
    p
}

async fn acting_as_oneself(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let h = setup(db, &clock, |_| {}).await;
    let (u1, w1) = (h.number(&h.user()).await, h.number(&h.worker()).await);
    let (_, me) = h.json(Method::GET, "/whoami", &h.user(), None).await;
    assert_eq!(me["acting"], "self");
    let id = office_encodes(&h, &u1, &w1, "2025-09-09").await;
    // The user sees it at once, as « En attente de validation ».
    let (status, list) = h
        .json(Method::GET, "/api/prestations", &h.user(), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["count"], 1);
    let seen = &list["prestations"][0];
    assert_eq!(seen["status"]["code"], "to_validate");
    assert_eq!(seen["status"]["label"], "Waiting for validation");
    assert_eq!(seen["allowed_actions"], json!(["contest", "confirm"]));
    let (_, page) = h.page("/", &h.user()).await;
    assert!(page.contains("Waiting for validation") && page.contains(&u1));
    // The office reads the status by its own name.
    let (_, office_view) = h
        .json(
            Method::GET,
            &format!("/api/prestations/{id}"),
            &h.office(),
            None,
        )
        .await;
    assert_eq!(
        office_view["status"]["label"],
        "To be validated by the worker"
    );
    // The user confirms in parallel with the worker's validation.
    let early = act(&h, &h.user(), &id, "confirm", json!({})).await;
    assert_eq!(early["status"]["code"], "to_validate");
    assert_eq!(early["user_confirmed"], true);
    let done = act(&h, &h.worker(), &id, "validate", json!({})).await;
    assert_eq!(done["status"]["code"], "confirmed");
    // The same person acting for an organisation does not see it.
    let at_work = h.token("u1", "Ursula User", Some(S2), &["read", "modify"]);
    let (_, list) = h
        .json(Method::GET, "/api/prestations", &at_work, None)
        .await;
    assert_eq!(list["count"], 0);
    // A structure beside `self` is never trusted for organisation actions.
    let mut forged = h.issuer.claims("prestations", "o1", "Olivier Office");
    forged.acting = assertion::Acting::Myself;
    forged.structure = Some(backend_kit::test_support::structure(S1.0, S1.1, S1.2));
    forged.rights = vec!["read".to_owned(), "modify".to_owned(), "manage".to_owned()];
    let forged = h.issuer.sign(&forged);
    let encode = json!({ "user_number": u1, "worker_number": w1, "date": "2025-09-09", "hours": 3, "activity": "cleaning" });
    let (status, _) = h
        .json(Method::POST, "/api/prestations", &forged, Some(encode))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for path in ["/api/enterprise", "/api/people?q=Ursula"] {
        let (status, body) = h.json(Method::GET, path, &forged, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
    }
    let (status, _) = h.page("/enterprise", &forged).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, list) = h.json(Method::GET, "/api/prestations", &forged, None).await;
    assert_eq!(list["count"], 0, "o1 is no one's client");
    h.app.close().await;
}

async fn the_office_is_told_on_its_home_and_by_mail(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let mail_dir = tempfile::tempdir().expect("tempdir");
    let smtp = SmtpServer::start(mail_dir.path())
        .await
        .expect("aiosmtpd: python3 with aiosmtpd (scripts/test.sh installs it)");
    let h = setup(db, &clock, |c| c.smtp_url = Some(smtp.url())).await;
    let (u1, w1) = (h.number(&h.user()).await, h.number(&h.worker()).await);
    let (status, _) = h
        .json(
            Method::PUT,
            "/api/enterprise",
            &h.office(),
            Some(json!({ "email": "office@clean.example" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = h
        .json(
            Method::PUT,
            "/api/enterprise",
            &h.worker(),
            Some(json!({ "email": "w@clean.example" })),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the office's, not a worker's"
    );
    let pending = office_encodes(&h, &u1, &w1, "2025-09-09").await;
    let contested = office_encodes(&h, &u1, &w1, "2025-09-08").await;
    act(
        &h,
        &h.worker(),
        &contested,
        "contest",
        json!({ "reason": "I was ill that day" }),
    )
    .await;
    // Its home lists both.
    let (_, page) = h.page("/", &h.office()).await;
    let validate_at = page.find("Your workers must still validate").expect("list");
    let contested_at = page.find("Contested, to correct or cancel").expect("list");
    let rows = |from: usize, to: usize| page[from..to].matches("/prestations/").count();
    assert_eq!(rows(validate_at, contested_at), 1);
    assert!(page[contested_at..].contains("Contested by the worker"));
    let (_, office) = h
        .json(Method::GET, "/api/enterprise", &h.office(), None)
        .await;
    assert_eq!(office["to_validate"][0]["id"], pending.as_str());
    assert_eq!(office["contested"][0]["id"], contested.as_str());
    // And a mail, once a day when something changed.
    let scheduler = h.app.scheduler();
    assert_eq!(scheduler.digests().await.expect("digest"), 1);
    assert_eq!(scheduler.digests().await.expect("digest"), 0, "once a day");
    assert_eq!(h.app.mail_sender().pass().await.expect("send").sent, 1);
    let got = smtp.messages().expect("mails");
    assert_eq!(got.len(), 1);
    let digest = got
        .iter()
        .find(|m| m.is_to("office@clean.example"))
        .expect("the office's mail");
    let text = format!("{}\n{}", digest.subject, digest.text);
    assert!(
        text.contains("1 to validate by your workers, 1 contested"),
        "{text}"
    );
    assert!(
        text.contains("I was ill") || text.contains("Contested by the worker"),
        "{text}"
    );
    clock.set_brussels(d(2025, 9, 11), 9);
    assert_eq!(scheduler.digests().await.expect("digest"), 0, "no news");
    act(
        &h,
        &h.user(),
        &pending,
        "contest",
        json!({ "reason": "nobody came" }),
    )
    .await;
    assert_eq!(scheduler.digests().await.expect("digest"), 1, "news");
    let kept = OUTBOX
        .about(h.app.pool(), &prestations::enterprise::about(S1.0), 10)
        .await
        .expect("outbox");
    assert_eq!(kept.len(), 2);
    assert!(
        kept[0]
            .subject
            .contains("0 to validate by your workers, 2 contested")
    );
    h.app.close().await;
}

async fn the_office_sets_a_workers_email_until_the_worker_does(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let h = setup(db, &clock, |_| {}).await;
    let u1 = h.number(&h.user()).await;
    let w2_token = h.token("w2", "Walter Worker", Some(S1), &["read", "modify"]);
    let w2 = h.number(&w2_token).await;
    let path = format!("/api/enterprise/workers/{}/email", w2.replace(' ', "%20"));
    let set = |email: &str| Some(json!({ "email": email }));
    let (status, _) = h
        .json(Method::PUT, &path, &h.office(), set("walter@home.example"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not one of its workers yet");
    let (status, added) = h
        .json(
            Method::POST,
            "/api/enterprise/people",
            &h.office(),
            Some(json!({ "number": w2, "role": "worker" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let (status, _) = h
        .json(Method::PUT, &path, &h.office(), set("walter@home.example"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = h
        .json(
            Method::PUT,
            &format!("/api/enterprise/workers/{}/email", u1.replace(' ', "%20")),
            &h.office(),
            set("ursula@elsewhere.example"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a client is not its worker");
    // The worker's notices go to the address the enterprise set.
    office_encodes(&h, &u1, &w2, "2025-09-09").await;
    let notices = OUTBOX.about(h.app.pool(), "w2", 10).await.expect("outbox");
    assert_eq!(notices[0].recipient.as_deref(), Some("walter@home.example"));
    // The worker sets their own: the enterprise can no longer change it.
    let (status, _) = h
        .json(Method::PUT, "/api/me", &w2_token, set("walter@own.example"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = h
        .json(Method::PUT, &path, &h.office(), set("other@home.example"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("set their own email")),
        "{body}"
    );
    let (_, page) = h.page("/enterprise/people?role=worker", &h.office()).await;
    assert!(page.contains("Set by the worker"));
    clock.advance_ms(1000);
    office_encodes(&h, &u1, &w2, "2025-09-08").await;
    let notices = OUTBOX.about(h.app.pool(), "w2", 10).await.expect("outbox");
    assert_eq!(notices[0].recipient.as_deref(), Some("walter@own.example"));
    h.app.close().await;
}

async fn exports_carry_the_statuses(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let h = setup(db, &clock, |_| {}).await;
    let (u1, w1) = (h.number(&h.user()).await, h.number(&h.worker()).await);
    office_encodes(&h, &u1, &w1, "2025-09-09").await;
    let contested = office_encodes(&h, &u1, &w1, "2025-09-08").await;
    act(
        &h,
        &h.worker(),
        &contested,
        "contest",
        json!({ "reason": "no" }),
    )
    .await;
    let (status, headers, body) = h
        .call(
            Method::GET,
            "/prestations.csv",
            &[(assertion::HEADER, h.office().as_str())],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("attachment; filename=\"prestations-2025-09-10.csv\""))
    );
    let mut csv = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = csv
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    let statuses: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (&r[col("Status code")], &r[col("Status")]))
        .collect();
    assert_eq!(
        statuses,
        [
            ("to_validate", "To be validated by the worker"),
            ("contested_by_worker", "Contested by the worker")
        ]
    );
    assert_eq!(&rows[0][col("Client's number")], &u1);
    // The user's export reads the worker's stage as they see it.
    let (_, _, mine) = h
        .call(
            Method::GET,
            "/prestations.csv?status=to_validate",
            &[(assertion::HEADER, h.user().as_str())],
            None,
        )
        .await;
    assert!(mine.contains("Waiting for validation") && !mine.contains("contested_by_worker"));
    // The workbook has the same rows.
    let resp = h.bytes("/prestations.xlsx", &h.office()).await;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(resp)).expect("xlsx");
    let sheet = calamine::Reader::worksheet_range(&mut book, "Prestations").expect("sheet");
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(cells.len(), 3);
    assert_eq!(cells[0], prestations_headers());
    assert_eq!(cells[1][10], "to_validate");
    assert_eq!(cells[2][9], "Contested by the worker");
    assert_eq!(cells[1][8], "3");
    h.app.close().await;
}

fn prestations_headers() -> Vec<String> {
    [
        "Date",
        "Enterprise",
        "Enterprise number",
        "Worker",
        "Worker's number",
        "Client",
        "Client's number",
        "Activity",
        "Hours",
        "Status",
        "Status code",
        "Encoded",
        "Worker may answer until",
        "Client may answer until",
        "Client confirmed while the worker validates",
    ]
    .map(str::to_owned)
    .to_vec()
}

async fn the_history_shows_the_colour_legend(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let h = setup(db, &clock, |_| {}).await;
    let (status, page) = h.page("/history", &h.worker()).await;
    assert_eq!(status, StatusCode::OK);
    let legend = &page[page.find("Colour legend").expect("legend")..];
    for (colour, label, seed) in [
        ("blue", "Encoded", "encodée"),
        ("yellow", "Waiting for the user", "en attente"),
        (
            "orange",
            "To be validated by the worker",
            "à valider par le·la travailleur·euse",
        ),
        (
            "green",
            "Validated by the worker",
            "validé par le·la travailleur·euse",
        ),
        (
            "red",
            "Contested by the worker",
            "contesté par le·la travailleur·euse",
        ),
    ] {
        assert!(
            legend.contains(&format!("<span class=\"badge {colour}\">{label}")),
            "{label}"
        );
        assert!(legend.contains(&format!("« {seed} »")), "{seed}");
    }
    let (_, page) = h.page("/history", &h.user()).await;
    assert!(page.contains("<span class=\"badge orange\">Waiting for validation</span>"));
    h.app.close().await;
}

async fn the_client_is_picked_by_name_or_number(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2025, 9, 10), 9);
    let h = setup(db, &clock, |_| {}).await;
    let u1 = h.number(&h.user()).await;
    h.number(&h.as_self("u9", "Ulla Stranger")).await;
    let w = h.worker();
    let (status, page) = h.page("/prestations/new?q=U", &w).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("No client found"),
        "a name finds only the enterprise's clients"
    );
    let (_, page) = h
        .page(&format!("/prestations/new?q={}", u1.replace(' ', "+")), &w)
        .await;
    assert!(page.contains("Ursula User") && !page.contains("Ulla"));
    assert!(
        page.contains(&format!("name=\"user_number\" value=\"{u1}\"")),
        "the choice carries the number"
    );
    assert!(!page.contains("value=\"u1\""), "never the opaque id");
    let (_, page) = h.page("/prestations/new?q=0000000195", &w).await;
    assert!(page.contains("id=\"q-error\"") && page.contains("check digits"));
    let token = csrf_of(&page);
    let (status, _, page) = h
        .form(
            "/prestations",
            &w,
            &format!("_csrf={token}&date=2025-09-10&hours=3&activity=cleaning&send=1"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no client chosen");
    assert!(page.contains("id=\"user-error\""));
    let (status, headers, _) = h
        .form(
            "/prestations",
            &w,
            &format!(
                "_csrf={token}&user_number={}&date=2025-09-10&hours=3&activity=cleaning&send=1",
                u1.replace(' ', "+")
            ),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers.get("location").is_some());
    // Now a client of the enterprise: found by name, still alone.
    let (_, page) = h.page("/prestations/new?q=urs", &w).await;
    assert!(page.contains("Ursula User") && !page.contains("Ulla"));
    let (_, found) = h.json(Method::GET, "/api/people?q=Ursula", &w, None).await;
    assert_eq!(
        found["people"],
        json!([{ "name": "Ursula User", "number": u1, "enterprise_email": null, "email_self_set": false }])
    );
    h.app.close().await;
}

db_tests!(
    acting_as_oneself,
    the_office_is_told_on_its_home_and_by_mail,
    the_office_sets_a_workers_email_until_the_worker_does,
    exports_carry_the_statuses,
    the_history_shows_the_colour_legend,
    the_client_is_picked_by_name_or_number,
);
