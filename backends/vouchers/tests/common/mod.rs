//! Shared test helpers: agents of two agencies, an app on a test database with a manual
//! clock, quick registrations.
#![allow(dead_code)]

use assertion::{Acting, ActiveStructure, Claims};
use backend_kit::test_support::TestDb;
use backend_kit::{Caller, ManualClock};
use chrono::NaiveDate;
use vouchers::users::{User, UserInput};
use vouchers::{App, Config};

pub const ALE1: (&str, &str, &str) = ("ale1", "0203201340", "ALE Namur");
pub const ALE2: (&str, &str, &str) = ("ale2", "0403449625", "ALE Gent");

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

pub fn claims(sub: &str, s: (&str, &str, &str), rights: &[&str]) -> Claims {
    Claims {
        iss: "http://127.0.0.1:9".to_owned(),
        aud: "vouchers".to_owned(),
        sub: sub.to_owned(),
        name: format!("Agent {sub}"),
        sid: format!("sid-{sub}"),
        acr: "eidas-high".to_owned(),
        amr: vec!["fed".to_owned()],
        iat: 0,
        exp: 0,
        jti: "j".to_owned(),
        acting: Acting::Organisation,
        structure: Some(ActiveStructure {
            id: s.0.to_owned(),
            enterprise_number: s.1.to_owned(),
            name: s.2.to_owned(),
        }),
        services: vec![],
        rights: rights.iter().map(|r| (*r).to_owned()).collect(),
        shell: None,
    }
}

/// An agent of ALE1.
pub fn agent() -> Caller {
    Caller::new(claims("a1", ALE1, &["read", "modify"]))
}

/// An agent of ALE2.
pub fn other_agent() -> Caller {
    Caller::new(claims("a2", ALE2, &["read", "modify"]))
}

pub fn config(db: &TestDb, clock: &ManualClock) -> Config {
    let mut c = Config::new(
        &db.url,
        "http://127.0.0.1:9/.well-known/jwks.json",
        "http://127.0.0.1:9",
    );
    c.clock = std::sync::Arc::new(clock.clone());
    c.max_connections = 5;
    c
}

pub async fn app(db: &TestDb, clock: &ManualClock) -> App {
    vouchers::build(config(db, clock)).await.expect("build app")
}

pub fn natural(first: &str, last: &str, until: &str) -> UserInput {
    UserInput {
        kind: "natural".to_owned(),
        first_name: Some(first.to_owned()),
        last_name: Some(last.to_owned()),
        postcode: Some("5000".to_owned()),
        city: Some("Namur".to_owned()),
        valid_until: Some(until.to_owned()),
        ..UserInput::default()
    }
}

pub fn legal(name: &str, common: Option<&str>, number: &str, email: Option<&str>) -> UserInput {
    UserInput {
        kind: "legal".to_owned(),
        legal_name: Some(name.to_owned()),
        common_name: common.map(str::to_owned),
        enterprise_number: Some(number.to_owned()),
        email: email.map(str::to_owned),
        street: Some("Rue de Fer 1".to_owned()),
        postcode: Some("5000".to_owned()),
        city: Some("Namur".to_owned()),
        valid_until: Some("2026-12-31".to_owned()),
        ..UserInput::default()
    }
}

pub async fn register(app: &App, input: &UserInput) -> User {
    app.agency()
        .register(&agent(), input)
        .await
        .expect("register")
}
