//! Shared test helpers: callers with chosen rights, an app on a test database with a manual
//! clock.
#![allow(dead_code)]

use assertion::{ActiveStructure, Claims};
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
        structure: structure.map(|(id, n, name)| ActiveStructure {
            id: id.to_owned(),
            enterprise_number: n.to_owned(),
            name: name.to_owned(),
        }),
        services: vec![],
        rights: rights.iter().map(|r| (*r).to_owned()).collect(),
    }
}

/// A worker of S1.
pub fn worker() -> Caller {
    Caller(claims("w1", "Wendy Worker", Some(S1), &["read", "modify"]))
}

/// The office of S1.
pub fn office() -> Caller {
    Caller(claims(
        "o1",
        "Olivier Office",
        Some(S1),
        &["read", "modify", "manage"],
    ))
}

/// The user (client), a private person without structure.
pub fn user() -> Caller {
    Caller(claims("u1", "Ursula User", None, &["read", "modify"]))
}

/// Someone unrelated.
pub fn stranger() -> Caller {
    Caller(claims(
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
