//! The pages in the person's language (the `shell` claim's `lang`, else
//! `Accept-Language`, else English), with the seed's status names, no catalogue key left
//! raw in a page, dates written per language, and the strict Content-Security-Policy on
//! every answer.

mod common;

use assertion::ShellClaims;
use axum::body::Body;
use axum::http::{HeaderMap, Method, StatusCode};
use backend_kit::ManualClock;
use backend_kit::db_tests;
use backend_kit::test_support::{TestDb, structure};
use common::http::*;
use common::*;
use i18n::Lang;
use serde_json::json;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

fn assert_secured(headers: &HeaderMap, what: &str) {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    assert_eq!(get("content-security-policy"), Some(CSP), "{what}");
    assert_eq!(get("x-content-type-options"), Some("nosniff"), "{what}");
    assert_eq!(get("referrer-policy"), Some("same-origin"), "{what}");
}

/// A token of `sub` for `s` (acting as themselves when `None`), in `lang` as chosen at
/// the gateway.
fn token(
    h: &Http,
    sub: &str,
    s: Option<(&str, &str, &str)>,
    rights: &[&str],
    lang: Option<&str>,
) -> String {
    let mut c = h.issuer.claims("prestations", sub, sub);
    match s {
        Some((id, number, name)) => c.structure = Some(structure(id, number, name)),
        None => c.acting = assertion::Acting::Myself,
    }
    c.rights = rights.iter().map(|r| (*r).to_owned()).collect();
    c.shell = lang.map(|l| ShellClaims {
        lang: l.to_owned(),
        ..ShellClaims::default()
    });
    h.issuer.sign(&c)
}

/// The page as it reads: autoescaping writes `/` and `'` inside texts as entities.
async fn get(h: &Http, path: &str, token: &str) -> (StatusCode, HeaderMap, String) {
    let (status, headers, page) = h
        .call(Method::GET, path, &[(assertion::HEADER, token)], None)
        .await;
    (status, headers, unescape(&page))
}

fn unescape(page: &str) -> String {
    page.replace("&#x2f;", "/").replace("&#x27;", "'")
}

async fn pages_speak_the_persons_language(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 2), 9);
    let h = setup(db, &clock, |c| c.catalogue_file = Some(energy_catalogue())).await;
    // A prestation the enterprise encodes for its worker (to validate by the worker), for
    // the user u1.
    let u1 = h.number(&h.user()).await;
    let w1 = h.number(&h.worker()).await;
    let office = h.office();
    let new = json!({ "user_number": u1, "worker_number": w1, "date": "2026-02-27", "hours": 2.5,
                      "activity": "laundry_ironing", "send": true });
    let (status, created) = h
        .json(Method::POST, "/api/prestations", &office, Some(new))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"]["code"], "to_validate");
    let id = created["id"].as_str().expect("id").to_owned();
    // A dossier of a provider.
    let provider_org = ("prov", "0203201340", "Conseil SA");
    let provider = token(&h, "p1", Some(provider_org), &["read", "modify"], None);
    let (_, _, page) = get(&h, "/dossiers/new?cheque=ENE-TEST", &provider).await;
    let csrf = csrf_of(&page);
    let body = format!(
        "_csrf={csrf}&cheque=ENE-TEST&start_date=2026-04-01&beneficiary_number=0412000075&beneficiary_name=Boulangerie&\
         weight_ENE-AUDIT=60&description_ENE-AUDIT=Audit&weight_ENE-PLAN=40&description_ENE-PLAN=Plan&weight_ENE-FOLLOW=0"
    );
    let (status, headers, _) = h
        .call(
            Method::POST,
            "/dossiers",
            &[
                (assertion::HEADER, provider.as_str()),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            Some(Body::from(body)),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let dossier = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_owned();

    let catalogue = prestations::texts::catalogue();
    let keys: Vec<String> = catalogue
        .all_keys()
        .into_iter()
        .filter(|k| k.starts_with("prestations_") || k.starts_with("kit_"))
        .collect();
    let detail = format!("/prestations/{id}");
    // (language, what the enterprise reads for the status, what the user reads, the date)
    for (lang, office_status, user_status, date) in [
        (
            Lang::Fr,
            "À valider par le·la travailleur·euse",
            "En attente de validation",
            "27/02/2026",
        ),
        (
            Lang::Nl,
            "Te valideren door de werknemer",
            "In afwachting van validatie",
            "27/02/2026",
        ),
        (
            Lang::En,
            "To be validated by the worker",
            "Waiting for validation",
            "2026-02-27",
        ),
    ] {
        let code = Some(lang.code());
        let as_office = token(&h, "o1", Some(S1), &["read", "modify", "manage"], code);
        let as_worker = token(&h, "w1", Some(S1), &["read", "modify"], code);
        let as_user = token(&h, "u1", None, &["read", "modify"], code);
        let as_provider = token(&h, "p1", Some(provider_org), &["read", "modify"], code);
        let visits: Vec<(&str, &str)> = vec![
            ("/", &as_office),
            ("/prestations", &as_office),
            ("/prestations/new", &as_office),
            ("/history", &as_office),
            (&detail, &as_office),
            ("/enterprise", &as_office),
            ("/enterprise/people?role=worker", &as_office),
            ("/enterprise/people?role=client", &as_office),
            ("/", &as_worker),
            (&detail, &as_worker),
            ("/me", &as_worker),
            ("/", &as_user),
            (&detail, &as_user),
            ("/prestations", &as_user),
            ("/dossiers", &as_provider),
            ("/dossiers/new", &as_provider),
            ("/dossiers/new?cheque=ENE-TEST", &as_provider),
            (&dossier, &as_provider),
            ("/dossiers/cheques", &as_provider),
            ("/beneficiaries", &as_provider),
            ("/organisation", &as_provider),
        ];
        for (path, who) in visits {
            let (status, headers, page) = get(&h, path, who).await;
            assert_eq!(status, StatusCode::OK, "{path} in {}", lang.code());
            assert_secured(&headers, path);
            assert!(
                page.contains(&format!("<html lang=\"{}\">", lang.code())),
                "{path} in {}",
                lang.code()
            );
            assert!(
                page.contains(&catalogue.t(lang, "prestations_nav_history")),
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
        let (_, _, page) = get(&h, &detail, &as_office).await;
        assert!(
            page.contains(&format!(
                "<span class=\"badge orange\">{office_status}</span>"
            )),
            "{}: {page}",
            lang.code()
        );
        assert!(page.contains(date), "{}", lang.code());
        assert!(page.contains(&catalogue.t(lang, "prestations_activity_laundry_ironing")));
        let (_, _, page) = get(&h, &detail, &as_user).await;
        assert!(
            page.contains(&format!(
                "<span class=\"badge orange\">{user_status}</span>"
            )),
            "{}: {page}",
            lang.code()
        );
        let (_, _, page) = get(&h, &dossier, &as_provider).await;
        assert!(
            page.contains(&format!(
                "01 {}",
                catalogue.t(lang, "prestations_dossier_status_01")
            )),
            "{}",
            lang.code()
        );
    }
    // The exports speak the person's language too.
    let office_fr = token(
        &h,
        "o1",
        Some(S1),
        &["read", "modify", "manage"],
        Some("fr"),
    );
    let (status, headers, csv) = h
        .call(
            Method::GET,
            "/prestations.csv",
            &[(assertion::HEADER, office_fr.as_str())],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_secured(&headers, "csv");
    assert!(
        csv.starts_with("Date,Entreprise,Numéro d'entreprise,")
            && csv.contains("À valider par le·la travailleur·euse")
            && csv.contains("27/02/2026")
            && csv.contains("Lessive et repassage"),
        "{csv}"
    );
    // A refused action says why in the person's language.
    let user_fr = token(&h, "u1", None, &["read", "modify"], Some("fr"));
    let (_, _, page) = get(&h, &detail, &user_fr).await;
    let csrf = csrf_of(&page);
    let (status, _, page) = h
        .call(
            Method::POST,
            &format!("{detail}/validate"),
            &[
                (assertion::HEADER, user_fr.as_str()),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            Some(Body::from(format!("_csrf={csrf}"))),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        unescape(&page).contains(
            "Impossible : seul·e le·la travailleur·euse valide ce que l'entreprise a encodé."
        ),
        "{page}"
    );
    // The seed's words, verbatim.
    let fr = token(
        &h,
        "o1",
        Some(S1),
        &["read", "modify", "manage"],
        Some("fr"),
    );
    let (_, _, page) = get(&h, "/prestations", &fr).await;
    assert!(page.contains("Légende des couleurs") && page.contains("Validée"));
    let nl = token(
        &h,
        "p1",
        Some(provider_org),
        &["read", "modify"],
        Some("nl"),
    );
    let (_, _, page) = get(&h, &dossier, &nl).await;
    assert!(page.contains("01 In aanvraag") && page.contains(">Verwijderen</button>"));
    // A dossier refusal says why in the person's language: once submitted (02), it can no
    // longer be deleted.
    let csrf = csrf_of(&page);
    let post = |path: String| {
        let (h, nl) = (&h, nl.clone());
        let body = format!("_csrf={csrf}");
        async move {
            h.call(
                Method::POST,
                &path,
                &[
                    (assertion::HEADER, nl.as_str()),
                    ("content-type", "application/x-www-form-urlencoded"),
                ],
                Some(Body::from(body)),
            )
            .await
        }
    };
    let (status, _, _) = post(format!("{dossier}/submit")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, page) = post(format!("{dossier}/delete")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("Niet mogelijk: alleen een dossier in aanvraag (01) kan worden verwijderd."),
        "{page}"
    );
    // Without a choice at the gateway, the browser's language; else English.
    let plain = h.worker();
    let (_, _, page) = h
        .call(
            Method::GET,
            "/",
            &[
                (assertion::HEADER, &plain),
                ("accept-language", "fr-BE,fr;q=0.9"),
            ],
            None,
        )
        .await;
    assert!(page.contains("<html lang=\"fr\">") && unescape(&page).contains("À faire"));
    let (_, _, page) = get(&h, "/", &plain).await;
    assert!(page.contains("<html lang=\"en\">") && page.contains("To do"));
    h.app.close().await;
}

async fn every_answer_carries_the_security_headers(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 2), 9);
    let h = setup(db, &clock, |_| {}).await;
    let worker = h.worker();
    for (path, token, want) in [
        ("/healthz", None, StatusCode::OK),
        ("/", None, StatusCode::UNAUTHORIZED),
        ("/", Some(worker.as_str()), StatusCode::OK),
        ("/api/prestations", Some(worker.as_str()), StatusCode::OK),
        (
            "/prestations/nothing",
            Some(worker.as_str()),
            StatusCode::NOT_FOUND,
        ),
        ("/prestations.csv", Some(worker.as_str()), StatusCode::OK),
        ("/static/app.css", None, StatusCode::OK),
    ] {
        let headers: Vec<(&str, &str)> = token
            .map(|t| vec![(assertion::HEADER, t)])
            .unwrap_or_default();
        let (status, got, _) = h.call(Method::GET, path, &headers, None).await;
        assert_eq!(status, want, "{path}");
        assert_secured(&got, path);
    }
    let (_, headers, css) = h.call(Method::GET, "/static/app.css", &[], None).await;
    assert_eq!(
        headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("text/css; charset=utf-8")
    );
    assert!(css.contains(".badge"));
    let (_, _, page) = get(&h, "/", &worker).await;
    assert!(page.contains("href=\"/static/app.css\"") && !page.contains("<style"));
    h.app.close().await;
}

/// No template of this backend has an inline style or an inline event handler.
#[test]
fn no_template_has_inline_style_or_script() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("templates"))
        .expect("templates")
        .flatten()
    {
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

/// The notices go out in the language of their recipient's last visit (English when the
/// recipient never came, which the other tests' English notices show).
async fn notices_are_in_the_recipients_language(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 2), 9);
    let h = setup(db, &clock, |_| {}).await;
    let worker_fr = token(&h, "w1", Some(S1), &["read", "modify"], Some("fr"));
    let user_nl = token(&h, "u1", None, &["read", "modify"], Some("nl"));
    let (status, _, _) = get(&h, "/", &worker_fr).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = get(&h, "/", &user_nl).await;
    assert_eq!(status, StatusCode::OK);
    let u1 = h.number(&user_nl).await;
    let w1 = h.number(&worker_fr).await;
    let office = h.office();
    let new = json!({ "user_number": u1, "worker_number": w1, "date": "2026-02-27", "hours": 2,
                      "activity": "cleaning", "send": true });
    let (status, created) = h
        .json(Method::POST, "/api/prestations", &office, Some(new))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().expect("id").to_owned();
    let queued = prestations::OUTBOX
        .with_prefix(h.app.pool(), "stage:")
        .await
        .expect("outbox");
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].subject, "Une prestation attend votre validation");
    assert!(
        queued[0].body.contains("27/02/2026") && queued[0].body.contains("Nettoyage"),
        "{}",
        queued[0].body
    );
    let (status, _) = h
        .json(
            Method::POST,
            &format!("/api/prestations/{id}/validate"),
            &worker_fr,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let queued = prestations::OUTBOX
        .with_prefix(h.app.pool(), "stage:")
        .await
        .expect("outbox");
    let to_user: Vec<_> = queued
        .iter()
        .filter(|m| m.about.as_deref() == Some("u1"))
        .collect();
    assert_eq!(to_user.len(), 1);
    assert_eq!(to_user[0].subject, "Gelieve een prestatie te bevestigen");
    assert!(
        to_user[0].body.contains("Schoonmaak"),
        "{}",
        to_user[0].body
    );
    h.app.close().await;
}

db_tests!(
    notices_are_in_the_recipients_language,
    pages_speak_the_persons_language,
    every_answer_carries_the_security_headers,
);
