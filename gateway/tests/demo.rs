//! The README's first command, `cargo run --release -p gateway -- demo`, walked as a new
//! user would: the gateway binary is run with `demo`, and over real sockets a browser
//! asks for a backend page, logs in at the simulated eID provider, reads the one-time code
//! from the mail folder the demo prints, picks the structure and reaches both backends
//! with the rights the seed gave; a person without rights is refused the organisations'
//! pages and, acting as himself, sees the prestations the demo's data performed for him
//! and his ALE wallet; Ctrl-C (SIGTERM) stops it cleanly. Then the portals' rules
//! (`backends/README.md`, "The rules by URL") as the demo's people reach them: the ALE
//! cutoff date and provider list for the agent, nothing of another user for a person
//! acting as himself, an older prestation encoded by the enterprise office; and the
//! chèques-entreprises rules: the competence matrix, beneficiary and organisation records,
//! a subcontractor not yet known, a regularisation asked with its proof and decided by the
//! administration's operator, refused to the provider and to another organisation.
#![cfg(feature = "demo")]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use e2e::http::{absolute, browser, field, location};
use e2e::process::{PeerProcess, free_port};

/// `gateway demo` running as a process, with what it printed.
struct DemoRun {
    process: PeerProcess,
    url: String,
    mail_dir: PathBuf,
}

impl DemoRun {
    /// Run the binary in `dir` and wait for its banner. The port is chosen free just
    /// before; should another process take it first, the demo cannot listen and exits,
    /// and it is started again on another.
    async fn start(dir: &Path) -> Self {
        let mut last = None;
        for _ in 0..3 {
            match Self::try_start(dir).await {
                Ok(run) => return run,
                Err(e) => last = Some(e),
            }
        }
        panic!("the demo did not start: {last:?}");
    }

    async fn try_start(dir: &Path) -> anyhow::Result<Self> {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gateway"));
        let port = free_port()?;
        command
            .args([
                "demo",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(dir.join("data"))
            .env("RUST_LOG", "info");
        let mut process = PeerProcess::spawn("gateway-demo", command, &dir.join("logs"))?;
        // The banner's last line first: once it is there, every line above it is whole.
        let wait = Duration::from_secs(120);
        process.wait_for_line("  Stop with Ctrl-C.", wait).await?;
        let open = "  Gateway demo running. Open ";
        let url = process.wait_for_line(open, wait).await?;
        let mail = "  Mail (one-time codes on a new device) is delivered as .eml files to ";
        let mail_dir = process.wait_for_line(mail, wait).await?;
        Ok(Self {
            url: url.trim_start_matches(open).trim().to_owned(),
            mail_dir: PathBuf::from(mail_dir.trim_start_matches(mail).trim()),
            process,
        })
    }

    /// Ctrl-C's twin, SIGTERM: the demo stops cleanly.
    async fn stop(&mut self) {
        self.process.terminate().expect("SIGTERM");
        let status = self
            .process
            .wait_exit(Duration::from_secs(30))
            .await
            .expect("the demo exits");
        assert!(status.success(), "the demo stopped with {status}");
    }
}

/// Wait for a mail to `to` in the demo's mail folder and return its code.
async fn code_for(dir: &Path, to: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut mails: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .filter(|m| m.contains(to))
                    .collect()
            })
            .unwrap_or_default();
        if !mails.is_empty() {
            mails.sort();
            let text = mails.concat();
            // An 8-digit code in the body (quoted-printable keeps digits as they are).
            if let Some(code) = text
                .split(|c: char| !c.is_ascii_digit())
                .find(|w| w.len() == 8)
            {
                return code.to_owned();
            }
        }
        assert!(
            Instant::now() < deadline,
            "no mail with a code for {to} in {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// From a protected page to a live session; returns the page it lands on.
async fn login(demo: &DemoRun, c: &reqwest::Client, citizen: &str, email: &str, page: &str) {
    let base = demo.url.clone();
    let mut r = c
        .get(format!("{base}{page}"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page");
    // Follow the gateway's redirects to the provider's page.
    let mut hops = 0;
    while r.status().is_redirection() {
        let to = absolute(&base, &location(&r));
        r = c
            .get(&to)
            .header("accept", "text/html")
            .send()
            .await
            .expect("hop");
        hops += 1;
        assert!(hops < 6, "too many redirects");
    }
    let authorize = r.url().clone();
    let html = r.text().await.expect("provider page");
    let request = field(&html, "request").expect("provider login form");
    let issuer = format!(
        "{}://{}",
        authorize.scheme(),
        authorize.authority().to_owned()
    );
    let chosen = c
        .post(format!("{issuer}/authorize"))
        .form(&[("request", request.as_str()), ("citizen", citizen)])
        .send()
        .await
        .expect("choose");
    assert_eq!(chosen.status(), 303);
    let done = c
        .get(location(&chosen))
        .header("accept", "text/html")
        .send()
        .await
        .expect("callback");
    assert_eq!(done.status(), 303);
    // A new device: the demo mails a code.
    assert_eq!(location(&done), "/auth/factor");
    let form = c
        .get(format!("{base}/auth/factor"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("code page");
    assert_eq!(form.status(), 200);
    let csrf = field(&form.text().await.expect("html"), "csrf").expect("csrf");
    let code = code_for(&demo.mail_dir, email).await;
    let ok = c
        .post(format!("{base}/auth/factor"))
        .header("accept", "text/html")
        .form(&[("code", code.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .expect("code");
    assert_eq!(ok.status(), 303, "{:?}", ok.text().await);
    assert_eq!(location(&ok), page);
}

/// A new browser, logged in as `citizen` (see [`login`]).
async fn logged_in(demo: &DemoRun, citizen: &str, email: &str, page: &str) -> reqwest::Client {
    let c = browser();
    login(demo, &c, citizen, email, page).await;
    c
}

async fn get_json(c: &reqwest::Client, url: &str) -> (u16, serde_json::Value) {
    let r = c
        .get(url)
        .header("accept", "application/json")
        .send()
        .await
        .expect("get");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_works_as_the_readme_says() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut demo = DemoRun::start(dir.path()).await;
    let base = demo.url.clone();

    // Chloé, an employee with rights in the seeded structure.
    let chloe = logged_in(
        &demo,
        "citizen-3",
        "chloe@example.be",
        "/prestations/whoami",
    )
    .await;
    // Attached to one structure: pick it on the home page, as the page offers.
    act_for(&chloe, &base, "0123456749").await;

    let (status, who) = get_json(&chloe, &format!("{base}/prestations/whoami")).await;
    assert_eq!(status, 200, "{who}");
    let text = who.to_string();
    assert!(
        text.contains("0123456749") || text.contains("0123.456.749"),
        "{text}"
    );
    assert!(text.contains("modify"), "{text}");
    let (status, who) = get_json(&chloe, &format!("{base}/vouchers/whoami")).await;
    assert_eq!(status, 200, "{who}");
    assert!(who.to_string().contains("read"));
    // No national register number ever reaches a backend.
    assert!(!who.to_string().contains("78010124512"));

    // David holds no right anywhere: he acts as himself, and the vouchers backend sees
    // him so, with no organisation and no right.
    let david = logged_in(&demo, "citizen-4", "david@example.be", "/vouchers/me").await;
    let (status, who) = get_json(&david, &format!("{base}/vouchers/whoami")).await;
    assert_eq!(status, 200, "{who}");
    assert_eq!(who["acting"], "self", "{who}");
    assert!(
        who["structure"].is_null() && who["rights"] == serde_json::json!([]),
        "{who}"
    );
    // His ALE wallet, linked with the code the agent gave him: 10 vouchers bought, 3
    // spent on Paul's gardening (paid), Sarah's paperwork help still unpaid.
    let (status, me) = get_json(&david, &format!("{base}/vouchers/api/me")).await;
    assert_eq!(status, 200, "{me}");
    let wallets = me["wallets"].as_array().cloned().unwrap_or_default();
    assert_eq!(wallets.len(), 1, "{me}");
    let wallet = &wallets[0];
    assert_eq!(wallet["agency_name"], "ALE Schaerbeek", "{me}");
    assert_eq!(wallet["display_name"], "David Lambert", "{me}");
    assert_eq!(wallet["balance"], 7, "{me}");
    let vouchers = wallet["vouchers"].as_array().cloned().unwrap_or_default();
    assert_eq!(vouchers.len(), 10, "{me}");
    assert_eq!(
        vouchers
            .iter()
            .filter(|v| v["prestation_id"].is_string())
            .count(),
        3,
        "{me}"
    );
    let mut works: Vec<(String, String)> = wallet["prestations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|w| {
            (
                w["provider_name"].as_str().unwrap_or_default().to_owned(),
                w["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    works.sort();
    assert_eq!(
        works,
        [
            ("Paul Renard".to_owned(), "paid".to_owned()),
            ("Sarah Haddad".to_owned(), "unpaid".to_owned())
        ],
        "{me}"
    );
    // The same on his page.
    let page = david
        .get(format!("{base}/vouchers/me"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("ALE Schaerbeek") && html.contains("Paul Renard"),
        "{html}"
    );
    // No agency page for him: the backend refuses what an agent does.
    for path in ["/vouchers/users", "/vouchers/providers"] {
        let r = david
            .get(format!("{base}{path}"))
            .header("accept", "text/html")
            .send()
            .await
            .expect("agency page");
        assert_eq!(r.status(), 403, "{path}");
    }
    let (status, body) = get_json(&david, &format!("{base}/vouchers/api/users")).await;
    assert_eq!(status, 403, "{body}");
    // Acting as himself, he sees the prestations performed for him (the demo's backend
    // data, written before his first login), the worker's stage as « En attente de
    // validation », and may answer them.
    let (status, list) = get_json(&david, &format!("{base}/prestations/api/prestations")).await;
    assert_eq!(status, 200, "{list}");
    let items = list["prestations"].as_array().cloned().unwrap_or_default();
    let codes: Vec<&str> = items
        .iter()
        .filter_map(|p| p["status"]["code"].as_str())
        .collect();
    for code in [
        "encoded",
        "to_validate",
        "validated",
        "waiting",
        "confirmed",
        "contested",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    assert!(
        items
            .iter()
            .any(|p| p["status"]["label"] == "Waiting for validation"
                && p["allowed_actions"] == serde_json::json!(["contest", "confirm"])),
        "{list}"
    );

    demo.stop().await;
}

/// A JSON request through the gateway: status and body.
async fn send_json(
    c: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let r = c
        .request(method, url)
        .header("accept", "application/json")
        .json(body)
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// The number of the first of the office's clients or workers matching `q`.
async fn person_number(c: &reqwest::Client, base: &str, role: &str, q: &str) -> String {
    let (status, body) = get_json(
        c,
        &format!("{base}/prestations/api/people?role={role}&q={q}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["people"][0]["number"]
        .as_str()
        .unwrap_or_else(|| panic!("{role} {q}: {body}"))
        .to_owned()
}

/// The last names of a provider list, in its order.
async fn provider_names(c: &reqwest::Client, url: &str) -> Vec<String> {
    let (status, body) = get_json(c, url).await;
    assert_eq!(status, 200, "{url}: {body}");
    body["providers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["provider"]["last_name"].as_str())
        .map(str::to_owned)
        .collect()
}

/// The portals' rules (`backends/README.md`, "The rules by URL") through the gateway,
/// with the demo's people and data: each person logs in at the simulated provider, acts
/// with the rights the seed gave, and the backend answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portals_rules_through_the_gateway() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut demo = DemoRun::start(dir.path()).await;
    let base = demo.url.clone();

    // Nicolas Simon, agent of ALE Schaerbeek (his only organisation: chosen at login).
    let nicolas = logged_in(
        &demo,
        "citizen-14",
        "nicolas@example.be",
        "/vouchers/whoami",
    )
    .await;

    // The provider list filters and sorts. The demo's providers: Paul Renard unemployed
    // for a year, Sarah Haddad on the CPAS income from 200 days ago then unemployed for
    // 30 days, Jean Collin not eligible for 60 days (nothing before).
    let providers = format!("{base}/vouchers/api/providers");
    let before = (chrono::Utc::now().date_naive() - chrono::Days::new(100)).to_string();
    assert_eq!(
        provider_names(&nicolas, &format!("{providers}?type=not_eligible")).await,
        ["Collin"]
    );
    assert_eq!(
        provider_names(&nicolas, &format!("{providers}?type=eligible")).await,
        ["Haddad", "Renard"]
    );
    assert_eq!(
        provider_names(
            &nicolas,
            &format!("{providers}?type=integration_income&on={before}")
        )
        .await,
        ["Haddad"]
    );
    assert!(
        provider_names(&nicolas, &format!("{providers}?type=integration_income"))
            .await
            .is_empty()
    );
    assert_eq!(
        provider_names(&nicolas, &format!("{providers}?type=none&on={before}")).await,
        ["Collin"]
    );
    assert_eq!(
        provider_names(
            &nicolas,
            &format!("{providers}?cpas=schaerbeek&on={before}")
        )
        .await,
        ["Haddad"]
    );
    assert_eq!(
        provider_names(&nicolas, &format!("{providers}?q=renard")).await,
        ["Renard"]
    );
    assert_eq!(
        provider_names(&nicolas, &format!("{providers}?sort=name&dir=desc")).await,
        ["Renard", "Haddad", "Collin"]
    );
    assert_eq!(
        provider_names(&nicolas, &format!("{providers}?sort=since")).await,
        ["Renard", "Collin", "Haddad"]
    );
    let (status, body) = get_json(&nicolas, &format!("{providers}?type=retired")).await;
    assert_eq!(status, 400, "{body}");
    // The page answers the same filter.
    let page = nicolas
        .get(format!("{base}/vouchers/providers?type=not_eligible"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("providers page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("Collin") && !html.contains("Renard") && !html.contains("Haddad"),
        "{html}"
    );

    // No electronic prestation before 1 September 2023, even for a user authorized then
    // and a provider eligible then; the first day is accepted.
    let (status, user) = send_json(
        &nicolas,
        reqwest::Method::POST,
        &format!("{base}/vouchers/api/users"),
        &serde_json::json!({
            "kind": "natural", "first_name": "Yves", "last_name": "Mercier",
            "postcode": "1030", "city": "Schaerbeek", "language": "fr",
            "valid_from": "2023-08-01", "valid_until": "2024-07-31",
        }),
    )
    .await;
    assert_eq!(status, 201, "{user}");
    let (status, provider) = send_json(
        &nicolas,
        reqwest::Method::POST,
        &providers,
        &serde_json::json!({
            "first_name": "Zoé", "last_name": "Vandamme",
            "effective_from": "2023-08-01", "provider_type": "unemployed",
        }),
    )
    .await;
    assert_eq!(status, 201, "{provider}");
    let work = |date: &str| {
        serde_json::json!({
            "user_id": user["id"], "provider_id": provider["id"], "date": date,
            "hours": 2, "activity": "gardening",
        })
    };
    let prestations = format!("{base}/vouchers/api/prestations");
    let (status, body) = send_json(
        &nicolas,
        reqwest::Method::POST,
        &prestations,
        &work("2023-08-31"),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.to_string()
            .contains("electronic prestations start on 1 September 2023"),
        "{body}"
    );
    let (status, body) = send_json(
        &nicolas,
        reqwest::Method::POST,
        &prestations,
        &work("2023-09-01"),
    )
    .await;
    assert_eq!(status, 201, "{body}");

    // David, acting as himself, reaches nothing of another user: Anne's record and her
    // prestations are the agency's.
    let (status, users) = get_json(&nicolas, &format!("{base}/vouchers/api/users?q=Dubois")).await;
    assert_eq!(status, 200, "{users}");
    let anne = users["users"][0]["user"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("Anne Dubois: {users}"))
        .to_owned();
    let (status, works) = get_json(&nicolas, &format!("{prestations}?user_id={anne}")).await;
    assert_eq!(status, 200, "{works}");
    let annes = works["prestations"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a prestation of Anne: {works}"))
        .to_owned();
    let david = logged_in(&demo, "citizen-4", "david@example.be", "/vouchers/me").await;
    // The gateway lets him through to the backend, which shows him his own wallet only.
    let (status, me) = get_json(&david, &format!("{base}/vouchers/api/me")).await;
    assert_eq!(status, 200, "{me}");
    let names: Vec<&str> = me["wallets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w["display_name"].as_str())
        .collect();
    assert_eq!(names, ["David Lambert"], "{me}");
    assert!(!me.to_string().contains("Dubois"), "{me}");
    for path in [
        format!("/vouchers/api/users/{anne}"),
        format!("/vouchers/api/prestations/{annes}"),
        "/vouchers/api/prestations".to_owned(),
    ] {
        let (status, body) = get_json(&david, &format!("{base}{path}")).await;
        assert_eq!(status, 403, "{path}: {body}");
    }
    let (status, body) = send_json(
        &david,
        reqwest::Method::POST,
        &format!("{base}/vouchers/api/users/{anne}/link-code"),
        &serde_json::json!({}),
    )
    .await;
    assert_eq!(status, 403, "{body}");

    // Hugo Martin runs Dupont Cleaning's office: a prestation from before 1 June 2025
    // that he encodes for Chloé is not refused, it goes to her for validation, and his
    // list of what the workers must still validate shows it.
    let hugo = logged_in(&demo, "citizen-8", "hugo@example.be", "/prestations/whoami").await;
    let emma = person_number(&hugo, &base, "client", "Emma").await;
    let chloe = person_number(&hugo, &base, "worker", "Chlo").await;
    let (status, encoded) = send_json(
        &hugo,
        reqwest::Method::POST,
        &format!("{base}/prestations/api/prestations"),
        &serde_json::json!({
            "user_number": emma, "worker_number": chloe, "date": "2025-05-15",
            "hours": 3, "activity": "cleaning", "send": true,
        }),
    )
    .await;
    assert_eq!(status, 201, "{encoded}");
    assert_eq!(encoded["status"]["code"], "to_validate", "{encoded}");
    assert_eq!(encoded["date"], "2025-05-15", "{encoded}");
    let (status, office) = get_json(&hugo, &format!("{base}/prestations/api/enterprise")).await;
    assert_eq!(status, 200, "{office}");
    assert!(
        office["to_validate"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["id"] == encoded["id"]),
        "{office}"
    );
    assert!(
        office["contested"]
            .as_array()
            .is_some_and(|c| !c.is_empty()),
        "{office}"
    );

    demo.stop().await;
}

/// Act for the organisation numbered `number` (digits only), as the shell's switcher
/// offers it.
async fn act_for(c: &reqwest::Client, base: &str, number: &str) {
    let home = c
        .get(format!("{base}/"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("home")
        .text()
        .await
        .expect("html");
    let csrf = field(&home, "csrf").unwrap_or_else(|| panic!("no csrf on the home page: {home}"));
    let structure = home
        .split("<option value=\"")
        .skip(1)
        .find(|o| {
            let text = o.split("</option>").next().unwrap_or_default();
            text.chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .contains(number)
        })
        .and_then(|o| o.split('"').next())
        .unwrap_or_else(|| panic!("{number} is not offered on the home page: {home}"))
        .to_owned();
    let switched = c
        .post(format!("{base}/auth/structure"))
        .header("accept", "application/json")
        .form(&[
            ("csrf", csrf.as_str()),
            ("structure_id", structure.as_str()),
        ])
        .send()
        .await
        .expect("switch");
    assert_eq!(switched.status(), 200);
}

/// A backend page as `c` sees it, with the CSRF token of its forms.
async fn page_and_token(c: &reqwest::Client, url: &str) -> (String, String) {
    let r = c
        .get(url)
        .header("accept", "text/html")
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), 200, "{url}");
    let html = r.text().await.expect("html");
    let csrf = field(&html, "_csrf").unwrap_or_else(|| panic!("no form on {url}: {html}"));
    (html, csrf)
}

/// A form posted as a browser does: the status and where it sends the browser.
async fn post_form(c: &reqwest::Client, url: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let r = c
        .post(url)
        .header("accept", "text/html")
        .form(fields)
        .send()
        .await
        .expect("form");
    (r.status().as_u16(), location(&r))
}

/// A `multipart/form-data` body as a browser sends a form with a file: its content type
/// and bytes.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----demo-dossiers-boundary-7d1f3a9c";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"{file_name}\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Post a `multipart/form-data` body: the status, where it sends a browser, and the JSON
/// answer (null for a page).
async fn post_multipart(
    c: &reqwest::Client,
    url: &str,
    accept: &str,
    (kind, body): (String, Vec<u8>),
) -> (u16, String, serde_json::Value) {
    let r = c
        .post(url)
        .header("accept", accept)
        .header("content-type", kind)
        .body(body)
        .send()
        .await
        .expect("multipart");
    let status = r.status().as_u16();
    let to = location(&r);
    (
        status,
        to,
        r.json().await.unwrap_or(serde_json::Value::Null),
    )
}

/// The actions of a dossier's history, with who did them and the note.
fn history(dossier: &serde_json::Value) -> Vec<(String, String, String)> {
    dossier["history"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            (s("action"), s("actor_name"), s("note"))
        })
        .collect()
}

/// An 8×8 PNG: the screenshot a provider gives as proof.
const SCREENSHOT: [u8; 74] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x08, 0x08, 0x02, 0x00, 0x00, 0x00, 0x4b, 0x6d, 0x29,
    0xdc, 0x00, 0x00, 0x00, 0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x38, 0xa3, 0xa4, 0x84,
    0x15, 0x31, 0x0c, 0x2d, 0x09, 0x00, 0xbc, 0xce, 0x44, 0x01, 0x3e, 0xb2, 0x93, 0xcb, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// The chèques-entreprises rules (`backends/README.md`, "The rules by URL") through the
/// gateway, with the demo's people: Chloé Janssens introduces dossiers for Dupont
/// Cleaning (read, modify), Sofie Mertens decides them for the administration
/// « Chèques-entreprises » (read, modify, process), Rik Jacobs encodes for Van den Berg
/// Schoonmaak (read, modify; another organisation, no `process`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cheques_entreprises_rules_through_the_gateway() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut demo = DemoRun::start(dir.path()).await;
    let base = demo.url.clone();
    let api = format!("{base}/prestations/api");
    let put = reqwest::Method::PUT;
    let post = reqwest::Method::POST;

    let chloe = logged_in(
        &demo,
        "citizen-3",
        "chloe@example.be",
        "/prestations/whoami",
    )
    .await;
    act_for(&chloe, &base, "0123456749").await;

    // The competence matrix: the 12 cheques of the 7 themes, named as the portal does.
    let (status, catalogue) = get_json(&chloe, &format!("{api}/cheques")).await;
    assert_eq!(status, 200, "{catalogue}");
    let themes: Vec<(&str, &str)> = catalogue["theme"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["code"].as_str().unwrap_or_default(),
                t["label"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(themes.len(), 7, "{catalogue}");
    let matrix: Vec<String> = catalogue["cheque"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let theme = themes
                .iter()
                .find(|(code, _)| c["theme"] == *code)
                .map(|(_, label)| *label)
                .unwrap_or("?");
            format!("{theme} - {}", c["label"].as_str().unwrap_or_default())
        })
        .collect();
    assert_eq!(
        matrix,
        [
            "Création - Chèque Formation à la création d'entreprise - PME",
            "Création - Chèque Conseil à la création d'entreprise",
            "Croissance - Chèque Diagnostic croissance et développement d'entreprise",
            "Croissance - Chèque Accompagnement croissance et développement d'entreprise",
            "Economie circulaire - Chèque Economie circulaire",
            "Innovation - Chèque Technologique - RW",
            "Innovation - Chèque Propriété intellectuelle - RW",
            "Internationalisation - Chèque Booster export",
            "Internationalisation - Chèque Consultance export",
            "Numérique - Chèque Maturité numérique",
            "Numérique - Chèque Cybersécurité",
            "Transmission - Chèque transmission",
        ],
        "{catalogue}"
    );
    let page = chloe
        .get(format!("{base}/prestations/dossiers/cheques"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("matrix page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    for label in [
        "Chèque Maturité numérique",
        "Chèque Cybersécurité",
        "Chèque Booster export",
    ] {
        assert!(html.contains(label), "{label}: {html}");
    }

    // Her organisation's record, modified through the API and through the form.
    let (status, own) = get_json(&chloe, &format!("{api}/organisation")).await;
    assert_eq!(status, 200, "{own}");
    assert_eq!(own["street"], "Rue Haute 120", "{own}");
    let (status, body) = send_json(
        &chloe,
        put.clone(),
        &format!("{api}/organisation"),
        &serde_json::json!({ "name": "Dupont Cleaning", "email": "not an address" }),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (status, changed) = send_json(
        &chloe,
        put.clone(),
        &format!("{api}/organisation"),
        &serde_json::json!({
            "name": "Dupont Cleaning", "street": "Rue Haute 122", "postcode": "1000",
            "city": "Bruxelles", "email": "conseil@dupont-cleaning.example",
            "phone": "+32 2 555 01 22",
        }),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["version"], own["version"].as_i64().unwrap_or(0) + 1);
    let (_, token) = page_and_token(&chloe, &format!("{base}/prestations/organisation")).await;
    let (status, to) = post_form(
        &chloe,
        &format!("{base}/prestations/organisation"),
        &[
            ("_csrf", token.as_str()),
            ("name", "Dupont Cleaning"),
            ("street", "Rue Haute 122"),
            ("postcode", "1000"),
            ("city", "Bruxelles"),
            ("email", "dossiers@dupont-cleaning.example"),
            ("phone", "+32 2 555 01 22"),
        ],
    )
    .await;
    assert_eq!((status, to.as_str()), (303, "/prestations/organisation"));
    let (_, own) = get_json(&chloe, &format!("{api}/organisation")).await;
    assert_eq!(
        (&own["street"], &own["email"], &own["phone"]),
        (
            &serde_json::json!("Rue Haute 122"),
            &serde_json::json!("dossiers@dupont-cleaning.example"),
            &serde_json::json!("+32 2 555 01 22")
        ),
        "{own}"
    );

    // A beneficiary record: created, modified (by the form), and its record lists its
    // dossiers. The demo's bakery lists its three.
    let (status, beneficiaries) = get_json(&chloe, &format!("{api}/beneficiaries")).await;
    assert_eq!(status, 200, "{beneficiaries}");
    let bakery = beneficiaries["beneficiaries"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|b| b["name"] == "Boulangerie Lambert SRL")
        .and_then(|b| b["id"].as_str())
        .unwrap_or_else(|| panic!("the bakery: {beneficiaries}"))
        .to_owned();
    let (status, record) = get_json(&chloe, &format!("{api}/beneficiaries/{bakery}")).await;
    assert_eq!(status, 200, "{record}");
    let mut cheques: Vec<&str> = record["dossiers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["cheque"]["code"].as_str())
        .collect();
    cheques.sort_unstable();
    assert_eq!(
        cheques,
        ["DIG-CYBER", "GRO-DIAGNOSIS", "TRA-TRANSFER"],
        "{record}"
    );
    let (status, florist) = send_json(
        &chloe,
        post.clone(),
        &format!("{api}/beneficiaries"),
        &serde_json::json!({
            "enterprise_number": "0412.345.614", "name": "Fleurs Janssens SRL",
            "street": "Chaussée de Wavre 12", "postcode": "1050", "city": "Ixelles",
        }),
    )
    .await;
    assert_eq!(status, 201, "{florist}");
    let florist_id = florist["id"].as_str().unwrap_or_default().to_owned();
    let (status, body) = send_json(
        &chloe,
        post.clone(),
        &format!("{api}/beneficiaries"),
        &serde_json::json!({ "enterprise_number": "0412.345.614", "name": "Again" }),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    let (_, token) = page_and_token(
        &chloe,
        &format!("{base}/prestations/beneficiaries/{florist_id}"),
    )
    .await;
    let (status, to) = post_form(
        &chloe,
        &format!("{base}/prestations/beneficiaries/{florist_id}"),
        &[
            ("_csrf", token.as_str()),
            ("name", "Fleurs Janssens SRL"),
            ("street", "Place Flagey 3"),
            ("postcode", "1050"),
            ("city", "Ixelles"),
            ("email", "info@fleurs-janssens.example"),
            ("phone", ""),
        ],
    )
    .await;
    assert_eq!(status, 303, "{to}");
    let (status, record) = get_json(&chloe, &format!("{api}/beneficiaries/{florist_id}")).await;
    assert_eq!(status, 200, "{record}");
    assert_eq!(record["street"], "Place Flagey 3", "{record}");
    assert_eq!(record["email"], "info@fleurs-janssens.example", "{record}");
    assert_eq!(record["version"], 2, "{record}");
    assert_eq!(record["dossiers"], serde_json::json!([]), "{record}");

    // Rik acts for another organisation: none of Dupont's records; his organisation's
    // record is his own.
    let rik = logged_in(&demo, "citizen-18", "rik@example.be", "/prestations/whoami").await;
    let (status, body) = get_json(&rik, &format!("{api}/beneficiaries/{florist_id}")).await;
    assert_eq!(status, 404, "{body}");
    let (status, theirs) = get_json(&rik, &format!("{api}/organisation")).await;
    assert_eq!(status, 200, "{theirs}");
    assert_eq!(theirs["name"], "Van den Berg Schoonmaak", "{theirs}");

    // A dossier for the florist with a subcontractor the platform does not know yet: its
    // name is the one typed, and is required.
    let start = (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string();
    let dossier = |subcontractor: &str, name: Option<&str>| {
        serde_json::json!({
            "beneficiary_number": "0412345614", "beneficiary_name": "Fleurs Janssens SRL",
            "cheque": "DIG-CYBER", "start_date": start,
            "description": "Audit de sécurité de la boutique en ligne.",
            "subcontractor_number": subcontractor, "subcontractor_name": name,
        })
    };
    let (status, body) = send_json(
        &chloe,
        post.clone(),
        &format!("{api}/dossiers"),
        &dossier("0498.765.486", None),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (status, unknown) = send_json(
        &chloe,
        post.clone(),
        &format!("{api}/dossiers"),
        &dossier("0498.765.486", Some("Sécurité Namur SRL")),
    )
    .await;
    assert_eq!(status, 201, "{unknown}");
    assert_eq!(
        unknown["subcontractor"],
        serde_json::json!({
            "enterprise_number": "0498.765.486", "name": "Sécurité Namur SRL", "known": false,
        }),
        "{unknown}"
    );
    assert_eq!(unknown["status"]["code"], "01", "{unknown}");
    // The florist's record now lists it.
    let (_, record) = get_json(&chloe, &format!("{api}/beneficiaries/{florist_id}")).await;
    let ids: Vec<&str> = record["dossiers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert_eq!(ids, [unknown["id"].as_str().unwrap_or("?")], "{record}");
    // A provider the platform knows (Van den Berg opened its record above) is recognised
    // by its number however it is written, with its own name; and a provider cannot be
    // its own subcontractor (the assertion writes its number with dots, a form without).
    let (status, known) = send_json(
        &chloe,
        post.clone(),
        &format!("{api}/dossiers"),
        &dossier("0441122346", Some("A name typed by hand")),
    )
    .await;
    assert_eq!(status, 201, "{known}");
    assert_eq!(
        known["subcontractor"],
        serde_json::json!({
            "enterprise_number": "0441.122.346", "name": "Van den Berg Schoonmaak", "known": true,
        }),
        "{known}"
    );
    let (status, body) = send_json(
        &chloe,
        post.clone(),
        &format!("{api}/dossiers"),
        &dossier("0123456749", Some("Dupont")),
    )
    .await;
    assert_eq!(status, 400, "its own subcontractor: {body}");

    // A regularisation: Chloé asks with the form (reason and screenshot), which the
    // proof is mandatory for; before that, the administration does not see a dossier
    // still being introduced.
    let id = unknown["id"].as_str().unwrap_or_default().to_owned();
    let sofie = logged_in(
        &demo,
        "citizen-19",
        "sofie@example.be",
        "/prestations/whoami",
    )
    .await;
    act_for(&sofie, &base, "0671234456").await;
    let (status, body) = get_json(&sofie, &format!("{api}/dossiers/{id}")).await;
    assert_eq!(status, 404, "{body}");
    let reason = "Le portail affichait une erreur 500 à chaque soumission.";
    let (status, _, body) = post_multipart(
        &chloe,
        &format!("{api}/dossiers/{id}/regularisations"),
        "application/json",
        multipart(&[("reason", reason)], None),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (_, token) = page_and_token(&chloe, &format!("{base}/prestations/dossiers/{id}")).await;
    let (status, to, _) = post_multipart(
        &chloe,
        &format!("{base}/prestations/dossiers/{id}/regularisations"),
        "text/html",
        multipart(
            &[("_csrf", token.as_str()), ("reason", reason)],
            Some(("proof", "erreur-500.png", &SCREENSHOT[..])),
        ),
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (303, format!("/prestations/dossiers/{id}").as_str())
    );
    let (status, asked) = get_json(&chloe, &format!("{api}/dossiers/{id}/regularisations")).await;
    assert_eq!(status, 200, "{asked}");
    let rid = asked["regularisations"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("the request: {asked}"))
        .to_owned();
    assert_eq!(asked["regularisations"][0]["status"], "pending", "{asked}");
    assert_eq!(asked["regularisations"][0]["proof_type"], "image/png");

    // Sofie sees it among the regularisations to decide (with the demo's own), and its
    // proof.
    let list = sofie
        .get(format!("{base}/prestations/dossiers"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("dossiers page");
    assert_eq!(list.status(), 200);
    let html = list.text().await.expect("html");
    let to_decide = html
        .split("<h2>Regularisations to decide</h2>")
        .nth(1)
        .and_then(|s| s.split("</ul>").next())
        .unwrap_or_else(|| panic!("no regularisation to decide: {html}"));
    assert!(
        to_decide.contains(&format!("dossiers/{id}\""))
            && to_decide.contains(reason)
            && to_decide.contains("Le portail refusait la soumission"),
        "{to_decide}"
    );
    let proof = sofie
        .get(format!(
            "{base}/prestations/dossiers/{id}/regularisations/{rid}/proof"
        ))
        .send()
        .await
        .expect("proof");
    assert_eq!(proof.status(), 200);
    assert!(
        proof
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("attachment")),
        "{:?}",
        proof.headers()
    );
    assert_eq!(proof.bytes().await.expect("bytes").as_ref(), SCREENSHOT);

    // Neither the provider nor a person without `process` decides; another organisation
    // does not even see the dossier.
    let until = (chrono::Utc::now().date_naive() + chrono::Days::new(14)).to_string();
    let grant =
        serde_json::json!({ "decision": "grant", "until": until, "note": "Panne confirmée." });
    let decide = format!("{api}/dossiers/{id}/regularisations/{rid}/decide");
    let (status, body) = send_json(&chloe, post.clone(), &decide, &grant).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = send_json(&rik, post.clone(), &decide, &grant).await;
    assert_eq!(status, 403, "{body}");
    for path in [
        format!("/dossiers/{id}"),
        format!("/dossiers/{id}/regularisations"),
    ] {
        let (status, body) = get_json(&rik, &format!("{api}{path}")).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    let proof = rik
        .get(format!(
            "{base}/prestations/dossiers/{id}/regularisations/{rid}/proof"
        ))
        .send()
        .await
        .expect("proof");
    assert_eq!(proof.status(), 404);
    let (status, theirs) = get_json(&rik, &format!("{api}/dossiers")).await;
    assert_eq!(status, 200, "{theirs}");
    assert!(!theirs.to_string().contains(&id), "{theirs}");

    // Sofie grants it with the form: the dossier may be submitted until then, and its
    // history records who asked, who decided and why.
    let (html, token) = page_and_token(&sofie, &format!("{base}/prestations/dossiers/{id}")).await;
    assert!(
        html.contains(&format!("/regularisations/{rid}/decide")),
        "{html}"
    );
    let (status, to) = post_form(
        &sofie,
        &format!("{base}/prestations/dossiers/{id}/regularisations/{rid}/decide"),
        &[
            ("_csrf", token.as_str()),
            ("decision", "grant"),
            ("until", until.as_str()),
            ("note", "Panne confirmée."),
        ],
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (303, format!("/prestations/dossiers/{id}").as_str())
    );
    let (status, body) = send_json(&sofie, post.clone(), &decide, &grant).await;
    assert_eq!(status, 409, "{body}");
    let (status, after) = get_json(&chloe, &format!("{api}/dossiers/{id}")).await;
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["submit_by"], until.as_str(), "{after}");
    let lines = history(&after);
    assert!(
        lines.contains(&(
            "regularisation_requested".to_owned(),
            "Chloé Janssens".to_owned(),
            reason.to_owned()
        )),
        "{lines:?}"
    );
    assert!(
        lines.contains(&(
            "regularisation_granted".to_owned(),
            "Sofie Mertens".to_owned(),
            format!("may be submitted until {until}: Panne confirmée.")
        )),
        "{lines:?}"
    );
    let (_, decided) = get_json(&chloe, &format!("{api}/dossiers/{id}/regularisations")).await;
    assert_eq!(
        decided["regularisations"][0]["status"], "granted",
        "{decided}"
    );
    assert_eq!(
        decided["regularisations"][0]["decided_by_name"], "Sofie Mertens",
        "{decided}"
    );

    demo.stop().await;
}
