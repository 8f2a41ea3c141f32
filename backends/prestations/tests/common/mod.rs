//! Shared test helpers: callers with chosen rights, an app on a test database with a manual
//! clock.
#![allow(dead_code)]

pub mod http;

use assertion::{Acting, ActiveStructure, Claims};
use backend_kit::test_support::TestDb;
use backend_kit::{Caller, ManualClock};
use chrono::NaiveDate;
use prestations::{App, Config};

pub const S1: (&str, &str, &str) = ("s1", "0403449625", "Clean & Co");
pub const S2: (&str, &str, &str) = ("s2", "0203201340", "Other Services");

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

pub fn claims(
    sub: &str,
    name: &str,
    structure: Option<(&str, &str, &str)>,
    rights: &[&str],
) -> Claims {
    Claims {
        iss: "http://127.0.0.1:9".to_owned(),
        aud: "prestations".to_owned(),
        sub: sub.to_owned(),
        name: name.to_owned(),
        sid: format!("sid-{sub}"),
        acr: "eidas-high".to_owned(),
        amr: vec!["fed".to_owned()],
        iat: 0,
        exp: 0,
        jti: "j".to_owned(),
        acting: Acting::Organisation,
        structure: structure.map(|(id, n, name)| ActiveStructure {
            id: id.to_owned(),
            enterprise_number: n.to_owned(),
            name: name.to_owned(),
        }),
        services: vec![],
        rights: rights.iter().map(|r| (*r).to_owned()).collect(),
        shell: None,
    }
}

/// A worker of S1.
pub fn worker() -> Caller {
    Caller::new(claims("w1", "Wendy Worker", Some(S1), &["read", "modify"]))
}

/// The office of S1.
pub fn office() -> Caller {
    Caller::new(claims(
        "o1",
        "Olivier Office",
        Some(S1),
        &["read", "modify", "manage"],
    ))
}

/// A person acting as themselves (a private client), as the gateway asserts them: no
/// rights.
pub fn myself(sub: &str, name: &str) -> Caller {
    let mut c = claims(sub, name, None, &[]);
    c.acting = Acting::Myself;
    Caller::new(c)
}

/// The user (client), a private person acting as themselves.
pub fn user() -> Caller {
    myself("u1", "Ursula User")
}

/// The voucher-user number of `caller`, given on their first visit.
pub async fn number(app: &App, caller: &Caller) -> String {
    prestations::registry::ensure_now(app.pool(), caller.sub(), caller.name(), 0)
        .await
        .expect("person")
        .number
}

/// Someone unrelated.
pub fn stranger() -> Caller {
    Caller::new(claims(
        "x1",
        "Xavier",
        Some(S2),
        &["read", "modify", "manage"],
    ))
}

pub fn config(db: &TestDb, clock: &ManualClock) -> Config {
    let mut c = Config::new(
        &db.url,
        "http://127.0.0.1:9/.well-known/jwks.json",
        "http://127.0.0.1:9",
    );
    c.clock = std::sync::Arc::new(clock.clone());
    c.max_connections = 4;
    c
}

pub async fn app(db: &TestDb, clock: &ManualClock) -> App {
    prestations::build(config(db, clock))
        .await
        .expect("build app")
}

/// The voucher-user number of the user `u1`, registered first by [`register_people`].
pub fn u1_number() -> String {
    prestations::registry::number_of(1)
}

/// The voucher-user number of the worker `w1`, registered second.
pub fn w1_number() -> String {
    prestations::registry::number_of(2)
}

/// The user and the worker act here once (in this order), so they have their numbers.
pub async fn register_people(app: &App) {
    assert_eq!(number(app, &user()).await, u1_number());
    assert_eq!(number(app, &worker()).await, w1_number());
}

/// A catalogue an operator configured with an energy cheque (`ENE-TEST`) beside the seed's.
pub fn energy_catalogue() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cheques-with-energy.toml")
}

/// An app whose catalogue has an energy cheque.
pub async fn app_with_energy(db: &TestDb, clock: &ManualClock) -> App {
    let mut c = config(db, clock);
    c.catalogue_file = Some(energy_catalogue());
    prestations::build(c).await.expect("build app")
}
