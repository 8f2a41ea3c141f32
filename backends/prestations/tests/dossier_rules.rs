//! The portal's own rules for business dossiers (seed 003), on SQLite and PostgreSQL: the
//! competence matrix as published, beneficiary records created, modified and listing
//! their dossiers, the provider's organisation modified, a subcontractor not yet known to
//! the platform, the regularisation of a dossier hindered by a malfunction (deadline
//! derogation with reason and proof, decided by an operator, in the history).

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use backend_kit::db_tests;
use backend_kit::test_support::TestDb;
use backend_kit::{Caller, ManualClock};
use common::http::*;
use common::*;
use prestations::dossiers::records::OrganisationInput;
use prestations::dossiers::regularisation::{Decision, Proof, RequestStatus};
use prestations::dossiers::service::DossierError;
use prestations::dossiers::{DossierAction, DossierInput, DossierStatus};
use serde_json::json;

const PROVIDER: (&str, &str, &str) = ("prov", "0203201340", "Conseil SA");
const OTHER: (&str, &str, &str) = ("prov2", "0403449625", "Advies BV");

fn provider() -> Caller {
    Caller::new(claims(
        "p1",
        "Paula Provider",
        Some(PROVIDER),
        &["read", "modify"],
    ))
}

fn other_provider() -> Caller {
    Caller::new(claims("p2", "Piet", Some(OTHER), &["read", "modify"]))
}

fn operator() -> Caller {
    Caller::new(claims(
        "a1",
        "Anna Admin",
        Some(("admin", "0412000075", "Administration")),
        &["read", "modify", "process"],
    ))
}

fn dossier(beneficiary: &str, start: &str) -> DossierInput {
    DossierInput {
        beneficiary_number: beneficiary.to_owned(),
        beneficiary_name: "Boulangerie Dupont".to_owned(),
        cheque: "DIG-CYBER".to_owned(),
        description: Some("Audit of the web shop".to_owned()),
        start_date: Some(start.to_owned()),
        ..DossierInput::default()
    }
}

fn org(name: &str) -> OrganisationInput {
    OrganisationInput {
        name: Some(name.to_owned()),
        ..OrganisationInput::default()
    }
}

/// A PNG's signature and a few bytes: what the proof check recognises.
fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&[0, 0, 0, 13, b'I', b'H', b'D', b'R', 0xff, 0x00]);
    bytes
}

async fn the_shipped_matrix_is_the_seeds(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 2), 9);
    let h = setup(db, &clock, |_| {}).await;
    let p = h.token("p1", "Paula Provider", Some(PROVIDER), &["read", "modify"]);
    let (_, cheques) = h.json(Method::GET, "/api/cheques", &p, None).await;
    let labels: Vec<&str> = cheques["cheque"]
        .as_array()
        .expect("cheques")
        .iter()
        .filter_map(|c| c["label"].as_str())
        .collect();
    assert_eq!(labels.len(), 12);
    assert!(labels.contains(&"Chèque Technologique - RW"));
    assert!(labels.contains(&"Chèque Booster export"));
    assert!(
        cheques["cheque"]
            .as_array()
            .is_some_and(|all| all.iter().all(|c| c["energy"] == false))
    );
    let (status, page) = h.page("/dossiers/cheques", &p).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.matches("<td>100%</td>").count(), 12);
    assert!(page.contains(
        "<td lang=\"fr\">Chèque Cybersécurité</td><td lang=\"fr\">Chèque Cybersécurité</td>"
    ));
    h.app.close().await;
}

async fn beneficiary_records_are_created_modified_and_list_their_dossiers(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 2), 9);
    let app = app(db, &clock).await;
    let svc = app.dossiers();
    let mut input = org("Boulangerie Dupont");
    input.enterprise_number = Some("0412.000.075".to_owned());
    let record = svc
        .create_beneficiary(&provider(), &input)
        .await
        .expect("create");
    assert_eq!(record.enterprise_number, "0412000075");
    assert!(matches!(
        svc.create_beneficiary(&provider(), &input).await,
        Err(DossierError::Conflict(_))
    ));
    let mut bad = input.clone();
    bad.enterprise_number = Some("0412.000.076".to_owned());
    assert!(matches!(
        svc.create_beneficiary(&provider(), &bad).await,
        Err(DossierError::Invalid(_))
    ));
    let mut changed = org("Boulangerie Dupont & Fils");
    changed.email = Some("not an address".to_owned());
    assert!(matches!(
        svc.update_beneficiary(&provider(), &record.id, &changed)
            .await,
        Err(DossierError::Invalid(_))
    ));
    changed.email = Some("contact@dupont.example".to_owned());
    changed.city = Some("Namur".to_owned());
    let modified = svc
        .update_beneficiary(&provider(), &record.id, &changed)
        .await
        .expect("modify");
    assert_eq!(
        (modified.name.as_str(), modified.version),
        ("Boulangerie Dupont & Fils", 2)
    );
    assert_eq!(modified.enterprise_number, "0412000075", "the number stays");
    let d1 = svc
        .create(&provider(), &dossier("0412000075", "2026-04-01"))
        .await
        .expect("dossier");
    let listed = svc
        .dossiers_of(&provider(), &modified)
        .await
        .expect("dossiers");
    assert_eq!(
        listed.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        [d1.id.as_str()]
    );
    // Another provider never sees or changes this record.
    assert!(matches!(
        svc.beneficiary(&other_provider(), &record.id).await,
        Err(DossierError::NotFound)
    ));
    assert!(matches!(
        svc.update_beneficiary(&other_provider(), &record.id, &changed)
            .await,
        Err(DossierError::NotFound)
    ));
    // A dossier for a new beneficiary gives it a record.
    svc.create(&provider(), &dossier("0203.201.340", "2026-04-01"))
        .await
        .expect_err("not the provider itself");
    svc.create(&other_provider(), &dossier("0412000075", "2026-04-01"))
        .await
        .expect("another provider's dossier");
    let theirs = svc.beneficiaries(&other_provider()).await.expect("records");
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].name, "Boulangerie Dupont", "its own record");
    app.close().await;
}

async fn beneficiary_pages(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 2), 9);
    let h = setup(db, &clock, |_| {}).await;
    let p = h.token("p1", "Paula Provider", Some(PROVIDER), &["read", "modify"]);
    let (_, page) = h.page("/beneficiaries", &p).await;
    let token = csrf_of(&page);
    let (status, _, page) = h
        .form(
            "/beneficiaries",
            &p,
            &format!("_csrf={token}&enterprise_number=0412000076&name=Boulangerie"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("id=\"enterprise_number-error\""),
        "next to the field"
    );
    let (status, headers, _) = h
        .form(
            "/beneficiaries",
            &p,
            &format!("_csrf={token}&enterprise_number=0412000075&name=Boulangerie"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_owned();
    let (status, _, _) = h
        .form(&location, &p, "_csrf=wrong&name=Boulangerie+Dupont")
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "CSRF");
    let (status, _, _) = h
        .form(
            &location,
            &p,
            &format!("_csrf={token}&name=Boulangerie+Dupont&city=Namur"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let created = json!({ "beneficiary_number": "0412000075", "beneficiary_name": "Boulangerie Dupont", "cheque": "DIG-CYBER", "description": "Audit", "start_date": "2026-04-01" });
    let (_, made) = h
        .json(Method::POST, "/api/dossiers", &p, Some(created))
        .await;
    let (_, page) = h.page(&location, &p).await;
    assert!(page.contains("Boulangerie Dupont") && page.contains("Namur"));
    assert!(
        page.contains(made["reference"].as_str().expect("reference")),
        "the record lists its dossiers"
    );
    let other = h.token("p2", "Piet", Some(OTHER), &["read", "modify"]);
    let (status, _) = h.page(&location, &other).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    h.app.close().await;
}

async fn the_providers_organisation_is_modified(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 2), 9);
    let app = app(db, &clock).await;
    let svc = app.dossiers();
    let own = svc.own_organisation(&provider()).await.expect("record");
    assert_eq!(
        (own.name.as_str(), own.enterprise_number.as_str()),
        ("Conseil SA", "0203201340")
    );
    let mut input = org("Conseil & Associés SA");
    input.street = Some("Rue Haute 1".to_owned());
    input.email = Some("info@conseil.example".to_owned());
    let changed = svc
        .update_own_organisation(&provider(), &input)
        .await
        .expect("modify");
    assert_eq!(changed.version, 2);
    let again = svc.own_organisation(&provider()).await.expect("record");
    assert_eq!(again.name, "Conseil & Associés SA");
    assert_eq!(again.street.as_deref(), Some("Rue Haute 1"));
    assert!(matches!(
        svc.update_own_organisation(&provider(), &org("  ")).await,
        Err(DossierError::Invalid(_))
    ));
    let history = prestations::dossiers::store::events(app.pool(), &own.id)
        .await
        .expect("events");
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].action.as_str(), history[0].actor_name.as_str()),
        ("modify_organisation", "Paula Provider")
    );
    let known = prestations::dossiers::records::known_providers(app.pool())
        .await
        .expect("known");
    assert_eq!(
        known,
        [("0203201340".to_owned(), "Conseil & Associés SA".to_owned())]
    );
    app.close().await;
}

async fn a_subcontractor_not_yet_known_to_the_platform(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 2), 9);
    let app = app(db, &clock).await;
    let svc = app.dossiers();
    let mut input = dossier("0412000075", "2026-04-01");
    input.subcontractor_number = Some("0403.449.625".to_owned());
    let err = svc
        .create(&provider(), &input)
        .await
        .expect_err("an unknown one needs its name");
    assert!(err.to_string().contains("give its name"), "{err}");
    input.subcontractor_name = Some("Advies BV".to_owned());
    let d1 = svc.create(&provider(), &input).await.expect("unknown one");
    assert_eq!(d1.subcontractor_number.as_deref(), Some("0403449625"));
    assert_eq!(d1.subcontractor_name.as_deref(), Some("Advies BV"));
    assert!(!d1.subcontractor_known);
    // Once the other provider uses the platform, it is known by its own record.
    let mut own = org("Advies & Partners BV");
    own.city = Some("Gent".to_owned());
    svc.update_own_organisation(&other_provider(), &own)
        .await
        .expect("its record");
    input.subcontractor_name = Some("a typo".to_owned());
    let d2 = svc.create(&provider(), &input).await.expect("known one");
    assert!(d2.subcontractor_known);
    assert_eq!(
        d2.subcontractor_name.as_deref(),
        Some("Advies & Partners BV")
    );
    input.subcontractor_number = Some("0203.201.340".to_owned());
    assert!(matches!(
        svc.create(&provider(), &input).await,
        Err(DossierError::Invalid(_))
    ));
    // The page says so.
    let h = setup(db, &clock, |_| {}).await;
    let p = h.token("p1", "Paula Provider", Some(PROVIDER), &["read", "modify"]);
    let (_, page) = h.page(&format!("/dossiers/{}", d1.id), &p).await;
    assert!(page.contains("Advies BV") && page.contains("not yet known to the platform"));
    let (_, page) = h.page("/dossiers/new?cheque=DIG-CYBER", &p).await;
    assert!(
        page.contains(
            "<option value=\"0403449625\">Advies &amp; Partners BV (0403.449.625)</option>"
        ),
        "the known ones to pick from"
    );
    h.app.close().await;
    app.close().await;
}

async fn a_hindered_dossier_is_regularised(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 2), 9);
    let app = app(db, &clock).await;
    let svc = app.dossiers();
    assert!(matches!(
        svc.create(&provider(), &dossier("0412000075", "2026-03-01"))
            .await,
        Err(DossierError::Invalid(_))
    ));
    let d1 = svc
        .create(&provider(), &dossier("0412000075", "2026-03-05"))
        .await
        .expect("create");
    assert_eq!(d1.submit_by, Some(d(2026, 3, 5)));
    // The platform failed; the start date passed.
    clock.set_brussels(d(2026, 3, 6), 9);
    let err = svc
        .act(&provider(), &d1.id, DossierAction::Submit, None)
        .await
        .expect_err("late");
    assert!(matches!(err, DossierError::Deadline(_)), "{err}");
    let reason = Some("The submit button answered an error on 4 March");
    let proof = |bytes: Vec<u8>| {
        Some(Proof {
            name: "screen.png".to_owned(),
            bytes,
        })
    };
    for (r, p) in [
        (None, proof(png())),
        (Some("  "), proof(png())),
        (reason, None),
        (reason, proof(Vec::new())),
        (reason, proof(b"<html>not an image</html>".to_vec())),
    ] {
        assert!(matches!(
            svc.request_regularisation(&provider(), &d1.id, r, p).await,
            Err(DossierError::Invalid(_))
        ));
    }
    assert!(matches!(
        svc.request_regularisation(&other_provider(), &d1.id, reason, proof(png()))
            .await,
        Err(DossierError::NotFound)
    ));
    let req = svc
        .request_regularisation(&provider(), &d1.id, reason, proof(png()))
        .await
        .expect("request");
    assert_eq!(req.status, RequestStatus::Pending);
    assert_eq!(req.proof_type, "image/png");
    assert!(matches!(
        svc.request_regularisation(&provider(), &d1.id, reason, proof(png()))
            .await,
        Err(DossierError::Conflict(_))
    ));
    // An operator sees it, though the dossier is still being introduced.
    let pending = svc
        .pending_regularisations(&operator())
        .await
        .expect("list");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].1, d1.reference);
    let grant = Decision {
        decision: "grant".to_owned(),
        until: Some("2026-03-10".to_owned()),
        note: Some("malfunction confirmed by the helpdesk".to_owned()),
    };
    assert!(matches!(
        svc.decide_regularisation(&provider(), &d1.id, &req.id, &grant)
            .await,
        Err(DossierError::Forbidden(_))
    ));
    let own_operator = Caller::new(claims(
        "p9",
        "Provider's operator",
        Some(PROVIDER),
        &["read", "modify", "process"],
    ));
    assert!(matches!(
        svc.decide_regularisation(&own_operator, &d1.id, &req.id, &grant)
            .await,
        Err(DossierError::Forbidden(_))
    ));
    let refuse_without_reason = Decision {
        decision: "refuse".to_owned(),
        ..Decision::default()
    };
    assert!(matches!(
        svc.decide_regularisation(&operator(), &d1.id, &req.id, &refuse_without_reason)
            .await,
        Err(DossierError::Invalid(_))
    ));
    let decided = svc
        .decide_regularisation(&operator(), &d1.id, &req.id, &grant)
        .await
        .expect("grant");
    assert_eq!(decided.status, RequestStatus::Granted);
    assert_eq!(decided.decided_by_name.as_deref(), Some("Anna Admin"));
    assert!(matches!(
        svc.decide_regularisation(&operator(), &d1.id, &req.id, &grant)
            .await,
        Err(DossierError::Conflict(_))
    ));
    let submitted = svc
        .act(&provider(), &d1.id, DossierAction::Submit, None)
        .await
        .expect("submitted within the derogation");
    assert_eq!(submitted.status, DossierStatus::Introduced);
    let history = svc.events(&provider(), &d1.id).await.expect("history");
    let lines: Vec<(&str, &str)> = history
        .iter()
        .map(|e| (e.action.as_str(), e.actor_name.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            ("create", "Paula Provider"),
            ("regularisation_requested", "Paula Provider"),
            ("regularisation_granted", "Anna Admin"),
            ("submit", "Paula Provider")
        ]
    );
    assert_eq!(
        history[2].note.as_deref(),
        Some("may be submitted until 2026-03-10: malfunction confirmed by the helpdesk")
    );
    // A refusal keeps the deadline.
    let d2 = svc
        .create(&provider(), &dossier("0412000075", "2026-03-07"))
        .await
        .expect("create");
    clock.set_brussels(d(2026, 3, 9), 9);
    let req2 = svc
        .request_regularisation(&provider(), &d2.id, reason, proof(png()))
        .await
        .expect("request");
    let refuse = Decision {
        decision: "refuse".to_owned(),
        note: Some("no malfunction on that day".to_owned()),
        ..Decision::default()
    };
    svc.decide_regularisation(&operator(), &d2.id, &req2.id, &refuse)
        .await
        .expect("refuse");
    assert!(matches!(
        svc.act(&provider(), &d2.id, DossierAction::Submit, None)
            .await,
        Err(DossierError::Deadline(_))
    ));
    app.close().await;
}

fn multipart(token: &str, reason: &str, proof: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    let mut text = |name: &str, value: &str| {
        body.extend_from_slice(
            format!(
                "--XBOUNDARY\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    };
    text("_csrf", token);
    text("reason", reason);
    body.extend_from_slice(
        b"--XBOUNDARY\r\nContent-Disposition: form-data; name=\"proof\"; filename=\"screen.png\"\r\nContent-Type: image/png\r\n\r\n",
    );
    body.extend_from_slice(proof);
    body.extend_from_slice(b"\r\n--XBOUNDARY--\r\n");
    body
}

async fn regularisation_pages(db: &TestDb) {
    let clock = ManualClock::at_brussels(d(2026, 3, 2), 9);
    let h = setup(db, &clock, |_| {}).await;
    let p = h.token("p1", "Paula Provider", Some(PROVIDER), &["read", "modify"]);
    let admin = h.token(
        "a1",
        "Anna Admin",
        Some(("admin", "0412000075", "Administration")),
        &["read", "modify", "process"],
    );
    let created = json!({ "beneficiary_number": "0412000075", "beneficiary_name": "Boulangerie", "cheque": "DIG-CYBER", "description": "Audit", "start_date": "2026-03-03" });
    let (status, made) = h
        .json(Method::POST, "/api/dossiers", &p, Some(created))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["id"].as_str().expect("id").to_owned();
    clock.set_brussels(d(2026, 3, 4), 9);
    let (status, body) = h
        .json(
            Method::POST,
            &format!("/api/dossiers/{id}/submit"),
            &p,
            None,
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("deadline_passed"))
    );
    let (_, page) = h.page(&format!("/dossiers/{id}"), &p).await;
    assert!(page.contains("enctype=\"multipart/form-data\"") && page.contains("name=\"proof\""));
    let token = csrf_of(&page);
    let post = |body: Vec<u8>| {
        let h = &h;
        let p = p.clone();
        let path = format!("/dossiers/{id}/regularisations");
        async move {
            let headers = [
                (assertion::HEADER, p.as_str()),
                ("content-type", "multipart/form-data; boundary=XBOUNDARY"),
            ];
            h.call(Method::POST, &path, &headers, Some(Body::from(body)))
                .await
        }
    };
    let (status, _, _) = post(multipart("forged", "The button failed", &png())).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "CSRF");
    let (status, _, page) = post(multipart(&token, "The button failed", b"GIF89a")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("a PNG or JPEG image or a PDF document"));
    let (status, _, _) = post(multipart(&token, "The button failed", &png())).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, list) = h
        .json(
            Method::GET,
            &format!("/api/dossiers/{id}/regularisations"),
            &admin,
            None,
        )
        .await;
    let rid = list["regularisations"][0]["id"]
        .as_str()
        .expect("request")
        .to_owned();
    let (status, headers, body) = h
        .call(
            Method::GET,
            &format!("/dossiers/{id}/regularisations/{rid}/proof"),
            &[(assertion::HEADER, admin.as_str())],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let header = |k: &str| {
        headers
            .get(k)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    assert_eq!(header("content-type"), "image/png");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(
        header("content-disposition"),
        "attachment; filename=\"screen.png\""
    );
    assert!(body.starts_with("\u{fffd}PNG"), "the bytes sent back");
    let stranger = h.token("p2", "Piet", Some(OTHER), &["read", "modify"]);
    let (status, _, _) = h
        .call(
            Method::GET,
            &format!("/dossiers/{id}/regularisations/{rid}/proof"),
            &[(assertion::HEADER, stranger.as_str())],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, page) = h.page("/dossiers", &admin).await;
    assert!(page.contains("Regularisations to decide"));
    let (_, page) = h.page(&format!("/dossiers/{id}"), &admin).await;
    let admin_token = csrf_of(&page);
    let (status, _, _) = h
        .form(
            &format!("/dossiers/{id}/regularisations/{rid}/decide"),
            &admin,
            &format!("_csrf={admin_token}&decision=grant&until=2026-03-11&note="),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, body) = h
        .json(
            Method::POST,
            &format!("/api/dossiers/{id}/submit"),
            &p,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    h.app.close().await;
}

db_tests!(
    the_shipped_matrix_is_the_seeds,
    beneficiary_records_are_created_modified_and_list_their_dossiers,
    beneficiary_pages,
    the_providers_organisation_is_modified,
    a_subcontractor_not_yet_known_to_the_platform,
    a_hindered_dossier_is_regularised,
    regularisation_pages,
);
