//! The pages in the person's language (the `shell` claim's `lang`, else
//! `Accept-Language`, else English), no catalogue key left raw in a page, dates written
//! per language, and the security headers (strict Content-Security-Policy) on every
//! answer, the stylesheet included.

mod common;

use assertion::ShellClaims;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use backend_kit::ManualClock;
use backend_kit::db_tests;
use backend_kit::test_support::{TestDb, TestIssuer, structure};
use common::*;
use http_body_util::BodyExt;
use i18n::Lang;
use serde_json::{Value, json};
use tower::ServiceExt;
use vouchers::App;

struct Http {
    app: App,
    router: Router,
    issuer: TestIssuer,
}

async fn setup(db: &TestDb, clock: &ManualClock) -> Http {
    let issuer = TestIssuer::start().await;
    let mut config = common::config(db, clock);
    config.jwks_url = issuer.jwks_url.clone();
    config.issuer = issuer.issuer.clone();
    let app = vouchers::build(config).await.expect("build");
    let router = app.router();
    Http {
        app,
        router,
        issuer,
    }
}

impl Http {
    /// An agent of ALE1 with every right; `lang` is the language chosen at the gateway
    /// (no `shell` claim at all when `None`).
    fn token(&self, lang: Option<&str>) -> String {
        let mut c = self.issuer.claims("vouchers", "a1", "Agent One");
        c.structure = Some(structure(ALE1.0, ALE1.1, ALE1.2));
        c.rights = vec!["read".to_owned(), "modify".to_owned()];
        c.shell = lang.map(|l| ShellClaims {
            lang: l.to_owned(),
            ..ShellClaims::default()
        });
        self.issuer.sign(&c)
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> (StatusCode, HeaderMap, String) {
        let mut req = Request::builder().method(method).uri(path);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req
            .body(body.map(Body::from).unwrap_or_else(Body::empty))
            .expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("response");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    async fn page(&self, path: &str, token: &str) -> (StatusCode, HeaderMap, String) {
        self.call(Method::GET, path, &[(assertion::HEADER, token)], None)
            .await
    }

    async fn json(&self, method: Method, path: &str, token: &str, body: Value) -> Value {
        let (status, _, text) = self
            .call(
                method,
                path,
                &[
                    (assertion::HEADER, token),
                    ("content-type", "application/json"),
                ],
                Some(body.to_string()),
            )
            .await;
        assert!(status.is_success(), "{path}: {status} {text}");
        serde_json::from_str(&text).expect("json")
    }

    async fn form(&self, path: &str, token: &str, body: &str) -> StatusCode {
        let headers = [
            (assertion::HEADER, token),
            ("content-type", "application/x-www-form-urlencoded"),
        ];
        self.call(Method::POST, path, &headers, Some(body.to_owned()))
            .await
            .0
    }
}

fn csrf_of(page: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = page.find(marker).expect("csrf field") + marker.len();
    page[start..].split('"').next().expect("token").to_owned()
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

fn assert_secured(headers: &HeaderMap, what: &str) {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    assert_eq!(get("content-security-policy"), Some(CSP), "{what}");
    assert_eq!(get("x-content-type-options"), Some("nosniff"), "{what}");
    assert_eq!(get("referrer-policy"), Some("same-origin"), "{what}");
}

/// A user, a provider and a prestation of 2 March 2026, so that every page has rows.
async fn data(h: &Http) -> (String, String, String) {
    let t = h.token(None);
    let user = h
        .json(
            Method::POST,
            "/api/users",
            &t,
            json!({ "kind": "natural", "first_name": "Anne", "last_name": "Dupont",
                    "valid_from": "2026-01-01", "valid_until": "2026-12-31" }),
        )
        .await;
    let user = user["id"].as_str().expect("user id").to_owned();
    let (_, _, page) = h.page("/providers", &t).await;
    let csrf = csrf_of(&page);
    let status = h
        .form(
            "/providers",
            &t,
            &format!("_csrf={csrf}&first_name=Paul&last_name=Martin&provider_type=unemployed&effective_from=2026-01-01"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let providers = h
        .call(
            Method::GET,
            "/api/providers",
            &[(assertion::HEADER, &t)],
            None,
        )
        .await
        .2;
    let providers: Value = serde_json::from_str(&providers).expect("json");
    let provider = providers["providers"][0]["provider"]["id"]
        .as_str()
        .expect("provider id")
        .to_owned();
    let work = h
        .json(
            Method::POST,
            "/api/prestations",
            &t,
            json!({ "user_id": user, "provider_id": provider, "date": "2026-03-02",
                    "hours": 2, "activity": "gardening" }),
        )
        .await;
    let work = work["id"].as_str().expect("prestation id").to_owned();
    (user, provider, work)
}

async fn pages_speak_the_persons_language(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let h = setup(db, &clock).await;
    let (user, provider, work) = data(&h).await;
    let catalogue = vouchers::texts::catalogue();
    let keys: Vec<String> = catalogue
        .all_keys()
        .into_iter()
        .filter(|k| k.starts_with("vouchers_") || k.starts_with("kit_"))
        .collect();
    let paths = [
        "/".to_owned(),
        "/users".to_owned(),
        "/users/new".to_owned(),
        format!("/users/{user}"),
        "/providers".to_owned(),
        format!("/providers/{provider}"),
        "/prestations".to_owned(),
        "/prestations/new".to_owned(),
        format!("/prestations/{work}"),
        "/invoices".to_owned(),
    ];
    // (language, a text of the catalogue, the prestation's date as written)
    for (lang, text, date) in [
        (Lang::Fr, "Prestations impayées", "02/03/2026"),
        (Lang::Nl, "Onbetaalde prestaties", "02/03/2026"),
        (Lang::En, "Unpaid prestations", "2026-03-02"),
    ] {
        let token = h.token(Some(lang.code()));
        for path in &paths {
            let (status, headers, page) = h.page(path, &token).await;
            assert_eq!(status, StatusCode::OK, "{path} in {}", lang.code());
            assert_secured(&headers, path);
            assert!(
                page.contains(&format!("<html lang=\"{}\">", lang.code())),
                "{path} in {}",
                lang.code()
            );
            assert!(
                page.contains(&catalogue.t(lang, "vouchers_nav_users")),
                "{path}: the navigation in {}",
                lang.code()
            );
            for key in &keys {
                assert!(!page.contains(key.as_str()), "{path}: `{key}` left raw");
            }
            assert!(
                !page.contains("<style") && !page.contains(" style="),
                "{path}"
            );
        }
        let (_, _, home) = h.page("/", &token).await;
        assert!(home.contains(text), "{}: {home}", lang.code());
        let (_, _, list) = h.page("/prestations", &token).await;
        assert!(list.contains(date), "{}: {list}", lang.code());
        assert!(
            list.contains(&catalogue.t(lang, "vouchers_status_unpaid"))
                && list.contains(&catalogue.t(lang, "vouchers_type_unemployed")),
            "{}",
            lang.code()
        );
    }
    // A person acting as themselves reads their (empty) wallet page in their language.
    for (lang, text) in [
        ("fr", "Lier un portefeuille"),
        ("nl", "Een portefeuille koppelen"),
    ] {
        let mut me = h.issuer.claims("vouchers", "citizen-7", "Anne Dupont");
        me.acting = assertion::Acting::Myself;
        me.rights = vec!["read".to_owned(), "modify".to_owned()];
        me.shell = Some(ShellClaims {
            lang: lang.to_owned(),
            ..ShellClaims::default()
        });
        let (status, headers, page) = h.page("/", &h.issuer.sign(&me)).await;
        assert_eq!(status, StatusCode::OK);
        assert_secured(&headers, "/ as oneself");
        assert!(page.contains(&format!("<html lang=\"{lang}\">")) && page.contains(text));
        for key in &keys {
            assert!(
                !page.contains(key.as_str()),
                "/ as oneself: `{key}` left raw"
            );
        }
    }
    let (_, _, fr) = h.page("/prestations", &h.token(Some("fr"))).await;
    assert!(fr.contains("Impayée"), "{fr}");
    let (_, _, fr) = h
        .page(&format!("/prestations/{work}"), &h.token(Some("fr")))
        .await;
    assert!(fr.contains("Petits travaux de jardinage"), "{fr}");
    let (_, _, nl) = h
        .page(&format!("/prestations/{work}"), &h.token(Some("nl")))
        .await;
    assert!(nl.contains("Kleine tuinwerken"), "{nl}");
    h.app.close().await;
}

async fn without_a_choice_the_browser_language_counts(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let h = setup(db, &clock).await;
    let plain = h.token(None);
    let with_accept = |accept: &'static str| {
        let token = plain.clone();
        let h = &h;
        async move {
            h.call(
                Method::GET,
                "/users",
                &[(assertion::HEADER, &token), ("accept-language", accept)],
                None,
            )
            .await
            .2
        }
    };
    assert!(
        with_accept("nl-BE,nl;q=0.9,fr;q=0.8")
            .await
            .contains("<html lang=\"nl\">")
    );
    assert!(
        with_accept("de-DE, fr;q=0.5")
            .await
            .contains("<html lang=\"fr\">")
    );
    assert!(with_accept("de-DE").await.contains("<html lang=\"en\">"));
    // The choice made at the gateway wins over the browser.
    let (_, _, page) = h
        .call(
            Method::GET,
            "/users",
            &[
                (assertion::HEADER, &h.token(Some("fr"))),
                ("accept-language", "nl"),
            ],
            None,
        )
        .await;
    assert!(page.contains("<html lang=\"fr\">") && page.contains("Utilisateurs"));
    // A refusal the kit writes is in the person's language too.
    let status = h.form("/users", &h.token(Some("nl")), "_csrf=forged").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, _, refused) = h
        .call(
            Method::POST,
            "/users",
            &[
                (assertion::HEADER, &h.token(Some("nl"))),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            Some("_csrf=forged".to_owned()),
        )
        .await;
    assert!(refused.contains("Het formulier is verlopen"), "{refused}");
    // The error page itself is in that language too.
    assert!(
        refused.contains("<html lang=\"nl\">") && refused.contains("<h1>Geen toegang</h1>"),
        "{refused}"
    );
    let (status, headers, missing) = h.page("/users/nobody", &h.token(Some("fr"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_secured(&headers, "error page");
    assert!(
        missing.contains("<html lang=\"fr\">") && missing.contains("<h1>Introuvable</h1>"),
        "{missing}"
    );
    h.app.close().await;
}

async fn every_answer_carries_the_security_headers(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let h = setup(db, &clock).await;
    let t = h.token(Some("fr"));
    for (path, token, want) in [
        ("/healthz", None, StatusCode::OK),
        ("/users", None, StatusCode::UNAUTHORIZED),
        ("/users", Some(t.as_str()), StatusCode::OK),
        ("/api/users", Some(t.as_str()), StatusCode::OK),
        ("/users/nobody", Some(t.as_str()), StatusCode::NOT_FOUND),
        ("/no/such/page", Some(t.as_str()), StatusCode::NOT_FOUND),
        ("/users.xlsx", Some(t.as_str()), StatusCode::OK),
    ] {
        let headers: Vec<(&str, &str)> = token
            .map(|t| vec![(assertion::HEADER, t)])
            .unwrap_or_default();
        let (status, got, _) = h.call(Method::GET, path, &headers, None).await;
        assert_eq!(status, want, "{path}");
        assert_secured(&got, path);
    }
    // The stylesheet: open, CSS, cached; the layout links it and has no inline style.
    let (status, headers, css) = h.call(Method::GET, "/static/app.css", &[], None).await;
    assert_eq!(status, StatusCode::OK);
    assert_secured(&headers, "stylesheet");
    assert_eq!(
        headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("text/css; charset=utf-8")
    );
    assert!(
        headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("max-age"))
    );
    assert!(css.contains(".badge"));
    let (_, headers, page) = h.page("/users", &t).await;
    assert_eq!(
        headers.get("cache-control").and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    assert!(page.contains("href=\"/static/app.css\"") && !page.contains("<style"));
    h.app.close().await;
}

/// No template of this backend has an inline style or an inline event handler.
#[test]
fn no_template_has_inline_style_or_script() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs = [root.join("templates"), root.join("../kit/templates")];
    for dir in dirs {
        for entry in std::fs::read_dir(&dir).expect("templates").flatten() {
            let text = std::fs::read_to_string(entry.path()).expect("template");
            let lower = text.to_ascii_lowercase();
            let name = entry.path().display().to_string();
            assert!(
                !lower.contains("<style") && !lower.contains(" style="),
                "{name}"
            );
            assert!(!lower.contains("<script"), "{name}");
            for handler in [
                " onclick=",
                " onload=",
                " onchange=",
                " onsubmit=",
                " oninput=",
            ] {
                assert!(!lower.contains(handler), "{name}: {handler}");
            }
        }
    }
}

/// A refusal of the services reaches the page in the person's language, from the
/// catalogue, and the JSON API in English: a provider without a first name, and a
/// prestation of a provider nobody has.
async fn refusals_are_in_the_persons_language(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let h = setup(db, &clock).await;
    let (user, _, _) = data(&h).await;
    for (lang, name, provider) in [
        ("fr", "le prénom est requis", "choisissez un prestataire"),
        ("nl", "de voornaam is vereist", "kies een dienstverlener"),
        ("en", "first_name is required", "choose a provider"),
    ] {
        let t = h.token(Some(lang));
        let (_, _, page) = h.page("/providers", &t).await;
        let csrf = csrf_of(&page);
        let headers = [
            (assertion::HEADER, t.as_str()),
            ("content-type", "application/x-www-form-urlencoded"),
        ];
        let body = format!(
            "_csrf={csrf}&first_name=&last_name=Martin&provider_type=unemployed&effective_from=2026-01-01"
        );
        let (status, _, page) = h
            .call(Method::POST, "/providers", &headers, Some(body))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{lang}: {page}");
        assert!(page.contains(name), "{lang}: {name} missing: {page}");
        let (_, _, page) = h.page("/prestations/new", &t).await;
        let csrf = csrf_of(&page);
        let body = format!(
            "_csrf={csrf}&user_id={user}&provider_id=nobody&date=2026-03-02&hours=2&activity=gardening"
        );
        let (status, _, page) = h
            .call(Method::POST, "/prestations", &headers, Some(body))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{lang}: {page}");
        assert!(
            page.contains(provider),
            "{lang}: {provider} missing: {page}"
        );
    }
    let t = h.token(Some("fr"));
    let (status, _, body) = h
        .call(
            Method::POST,
            "/api/providers",
            &[
                (assertion::HEADER, t.as_str()),
                ("content-type", "application/json"),
            ],
            Some(
                json!({ "first_name": " ", "last_name": "Martin", "provider_type": "unemployed" })
                    .to_string(),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(body["message"], "first_name is required", "{body}");
}

/// A page's refusal is drawn like every other page: the backend's layout with the
/// portal shell and navigation, in the person's language, with the right status.
async fn error_pages_carry_the_shell(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 10), 9);
    let h = setup(db, &clock).await;
    for (lang, text) in [
        ("nl", "kies eerst uw agentschap"),
        ("fr", "votre agence comme structure active"),
    ] {
        // No agency chosen: the agency's pages are refused.
        let mut c = h.issuer.claims("vouchers", "p1", "Paul Person");
        c.rights = vec!["read".to_owned()];
        c.shell = Some(ShellClaims {
            lang: lang.to_owned(),
            ..ShellClaims::default()
        });
        let t = h.issuer.sign(&c);
        let (status, headers, page) = h.page("/users", &t).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{lang}: {page}");
        assert_eq!(
            headers.get("cache-control").and_then(|v| v.to_str().ok()),
            Some("no-store")
        );
        assert_secured(&headers, "an error page");
        assert!(page.contains(&format!("lang=\"{lang}\"")), "{lang}: {page}");
        assert!(page.contains("/static/app.css"), "the layout: {page}");
        assert!(page.contains("class=\"app-nav\""), "the navigation: {page}");
        assert!(page.contains("role=\"alert\""), "{page}");
        assert!(
            page.to_lowercase().contains(text),
            "{lang}: {text} missing: {page}"
        );
    }
}

db_tests!(
    error_pages_carry_the_shell,
    refusals_are_in_the_persons_language,
    pages_speak_the_persons_language,
    without_a_choice_the_browser_language_counts,
    every_answer_carries_the_security_headers,
);
