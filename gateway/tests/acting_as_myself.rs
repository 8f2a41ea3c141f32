//! Acting as oneself: a private person (a titres-services or ALE user) acts for
//! themselves, not for an organisation, on the routes whose `contexts` accept it.

mod support;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use support::*;

async fn claims(env: &Env, echo: &Value, audience: &str) -> assertion::Claims {
    let token = echo["headers"]["x-gateway-assertion"]
        .as_str()
        .expect("assertion");
    let verifier = assertion::Verifier::new(assertion::VerifierConfig {
        jwks_url: format!("{}{}", env.url, assertion::JWKS_PATH),
        issuer: env.url.clone(),
        audience: audience.to_owned(),
        leeway_secs: 5,
        min_refresh: Duration::from_secs(1),
    });
    verifier.verify(token).await.expect("valid assertion")
}

async fn start() -> Env {
    let (backend, _task) = echo_backend().await;
    Env::start(Options {
        extra_routes: format!(
            "[[applications]]\nid = \"prestations\"\nname = \"Prestations\"\nlevels = [\"read\"]\n\
             [[routes]]\nprefix = \"/mine\"\nupstream = \"http://{backend}\"\n\
             application = \"prestations\"\naccess = \"policy\"\nmethods = {{ GET = \"read\" }}\n\
             contexts = [\"organisation\", \"myself\"]\n\
             [[routes]]\nprefix = \"/orgonly\"\nupstream = \"http://{backend}\"\n\
             application = \"prestations\"\naccess = \"policy\"\nmethods = {{ GET = \"read\" }}\n\
             [admin]\noperators = [\"sim:citizen-4\"]\n"
        ),
        ..Options::default()
    })
    .await
}

#[test]
fn an_unknown_context_is_refused_by_the_configuration() {
    let listen: std::net::SocketAddr = "127.0.0.1:1".parse().expect("addr");
    let text = config_text(
        listen,
        "sqlite::memory:",
        "http://127.0.0.1:2",
        listen,
        &Options {
            extra_routes: "[[routes]]\nprefix = \"/p\"\nupstream = \"http://127.0.0.1:3\"\n\
                           access = \"authenticated\"\ncontexts = [\"me\"]\n"
                .to_owned(),
            ..Options::default()
        },
    );
    let e = gateway::Config::from_toml(&text).expect_err("refused");
    assert!(e.to_string().contains("routes[4].contexts"), "{e}");
}

#[tokio::test]
async fn a_person_without_organisation_acts_as_themselves() {
    let env = start().await;
    let bob = Person::login(&env, "citizen-3").await;
    let (status, echo) = bob.api_get("/mine/list").await;
    assert_eq!(status, StatusCode::OK, "{echo}");
    let c = claims(&env, &echo, "prestations").await;
    assert_eq!(c.acting, assertion::Acting::Myself);
    assert!(c.structure.is_none() && c.services.is_empty() && c.rights.is_empty());
    assert!(c.is_consistent());
    // A route for organisations only: choose an organisation first.
    let (status, body) = bob.api_get("/orgonly/list").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body.to_string().contains("Choose the organisation"),
        "{body}"
    );
    // A forged structure id is still refused, and changes nothing.
    for forged in ["Myself", "00000000-0000-0000-0000-000000000000", ""] {
        assert_eq!(bob.switch(forged).await, StatusCode::FORBIDDEN, "{forged}");
    }
    assert_eq!(bob.api_get("/mine/list").await.0, StatusCode::OK);
}

#[tokio::test]
async fn switching_to_myself_and_back() {
    let env = start().await;
    let david = Person::login(&env, "citizen-4").await;
    let r = david
        .c
        .post(format!("{}/admin/api/representatives/import", env.url))
        .header("cookie", &david.cookie)
        .header("x-csrf-token", &david.csrf)
        .body(format!(
            "enterprise_number;organisation_name;function;national_number;start_date\n\
             0123456749;Acme SA;Administrateur;{ALICE};2020-01-01\n"
        ))
        .send()
        .await
        .expect("import");
    assert_eq!(r.status(), StatusCode::OK);
    let alice = Person::login(&env, "citizen-1").await;
    let (status, me) = alice.api_get("/admin/api/me").await;
    assert_eq!(status, StatusCode::OK, "{me}");
    let acme = me["structures"][0]["id"].as_str().expect("acme").to_owned();
    let (status, body) = alice
        .api_post(
            &format!("/admin/api/structures/{acme}/main-managers"),
            serde_json::json!({ "national_number": BRUNO }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let bruno = Person::login(&env, "citizen-2").await;
    // His only organisation is chosen at login.
    let (status, echo) = bruno.api_get("/vouchers/x").await;
    assert_eq!(status, StatusCode::OK);
    let c = claims(&env, &echo, "vouchers").await;
    assert_eq!(c.acting, assertion::Acting::Organisation);
    assert_eq!(c.structure.map(|s| s.id), Some(acme.clone()));
    assert_eq!(bruno.switch("myself").await, StatusCode::OK);
    let (status, echo) = bruno.api_get("/mine/x").await;
    assert_eq!(status, StatusCode::OK, "{echo}");
    let c = claims(&env, &echo, "prestations").await;
    assert_eq!(c.acting, assertion::Acting::Myself);
    assert!(c.structure.is_none() && c.services.is_empty() && c.rights.is_empty());
    assert_eq!(bruno.api_get("/orgonly/x").await.0, StatusCode::FORBIDDEN);
    assert_eq!(bruno.switch(&acme).await, StatusCode::OK);
    let (_, echo) = bruno.api_get("/vouchers/x").await;
    let c = claims(&env, &echo, "vouchers").await;
    assert_eq!(c.acting, assertion::Acting::Organisation);
    assert_eq!(c.structure.map(|s| s.id), Some(acme));
}
