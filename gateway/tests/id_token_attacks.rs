//! Every kind of bad ID token is refused. A hostile provider (discovery, JWKS, token
//! endpoint) answers the code exchange with the token each case crafts; the gateway must
//! open no session for any of them, and must for the control case.

mod support;

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use support::*;

#[derive(Default)]
struct Rogue {
    issuer: String,
    token: String,
}

type Shared = Arc<Mutex<Rogue>>;

async fn rogue_provider(ring: assertion::KeyRing) -> (String, Shared) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let issuer = format!("http://{}", l.local_addr().expect("addr"));
    let shared: Shared = Arc::new(Mutex::new(Rogue {
        issuer: issuer.clone(),
        token: String::new(),
    }));
    let jwks = ring.jwks();
    let app = Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(|State(s): State<Shared>| async move {
                let i = s.lock().expect("lock").issuer.clone();
                Json(json!({
                    "issuer": i,
                    "authorization_endpoint": format!("{i}/authorize"),
                    "token_endpoint": format!("{i}/token"),
                    "jwks_uri": format!("{i}/jwks"),
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["EdDSA"],
                }))
            }),
        )
        .route("/jwks", get(move || async move { Json(jwks.clone()) }))
        .route(
            "/token",
            post(|State(s): State<Shared>| async move {
                let t = s.lock().expect("lock").token.clone();
                Json(json!({ "access_token": "at", "token_type": "Bearer", "expires_in": 60, "id_token": t }))
            }),
        )
        .with_state(shared.clone());
    tokio::spawn(async move {
        let _ = axum::serve(l, app).await;
    });
    (issuer, shared)
}

fn query_param(url: &str, name: &str) -> String {
    url::Url::parse(url)
        .expect("url")
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .expect("param")
}

fn unsigned(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{body}.")
}

#[tokio::test]
async fn bad_id_tokens_open_no_session() {
    let now = gateway::signing::now_secs();
    let good_key = assertion::KeyMaterial::generate(now - 10, 3600);
    let ring = assertion::KeyRing::new(vec![good_key.clone()]);
    // A key with the same kid that the provider never published.
    let mut forged = assertion::KeyMaterial::generate(now - 10, 3600);
    forged.kid = good_key.kid.clone();
    let forged_ring = assertion::KeyRing::new(vec![forged]);
    let (issuer, rogue) = rogue_provider(ring.clone()).await;

    let dir = tempfile::tempdir().expect("dir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let listen = listener.local_addr().expect("addr");
    let (backend, _echo) = echo_backend().await;
    let db = format!("sqlite://{}", dir.path().join("gw.db").display());
    let text = config_text(
        listen,
        &db,
        &issuer,
        backend,
        &Options {
            acr_values: "[]".to_owned(),
            ..Options::default()
        },
    )
    .replace("label = \"Simulated eID\"", "label = \"Rogue\"");
    let state = gateway::AppState::build(gateway::Config::from_toml(&text).expect("config"))
        .await
        .expect("state");
    let running = gateway::spawn(state, listener).expect("spawn");
    let base = format!("http://{listen}");
    let c = client();

    let mut previous_nonce = String::new();
    type Craft = Box<dyn Fn(&str, &str, &str) -> String>;
    let claims = move |iss: &str, nonce: &str| json!({ "iss": iss, "sub": "victim", "aud": "gw", "iat": now, "exp": now + 300, "nonce": nonce, "name": "Victim" });
    let r1 = ring.clone();
    let cases: Vec<(&str, bool, Craft)> = vec![
        (
            "control: a good token",
            true,
            Box::new(move |iss, n, _| r1.sign(&claims(iss, n), now).expect("sign")),
        ),
        (
            "wrong signature",
            false,
            Box::new(move |iss, n, _| forged_ring.sign(&claims(iss, n), now).expect("sign")),
        ),
        (
            "alg none",
            false,
            Box::new(move |iss, n, _| unsigned(&claims(iss, n))),
        ),
        ("wrong issuer", false, {
            let r = ring.clone();
            Box::new(move |_, n, _| {
                r.sign(&claims("https://evil.example", n), now)
                    .expect("sign")
            })
        }),
        ("wrong audience", false, {
            let r = ring.clone();
            Box::new(move |iss, n, _| {
                let mut c = claims(iss, n);
                c["aud"] = json!("someone-else");
                r.sign(&c, now).expect("sign")
            })
        }),
        ("expired", false, {
            let r = ring.clone();
            Box::new(move |iss, n, _| {
                let mut c = claims(iss, n);
                c["iat"] = json!(now - 4000);
                c["exp"] = json!(now - 3000);
                r.sign(&c, now).expect("sign")
            })
        }),
        ("issued too long ago", false, {
            let r = ring.clone();
            Box::new(move |iss, n, _| {
                let mut c = claims(iss, n);
                c["iat"] = json!(now - 3000);
                r.sign(&c, now).expect("sign")
            })
        }),
        ("missing nonce", false, {
            let r = ring.clone();
            Box::new(move |iss, _, _| {
                let mut c = claims(iss, "x");
                c.as_object_mut().expect("obj").remove("nonce");
                r.sign(&c, now).expect("sign")
            })
        }),
        ("replayed nonce of an earlier login", false, {
            let r = ring.clone();
            Box::new(move |iss, _, previous| r.sign(&claims(iss, previous), now).expect("sign"))
        }),
        ("azp of another client", false, {
            let r = ring.clone();
            Box::new(move |iss, n, _| {
                let mut c = claims(iss, n);
                c["azp"] = json!("other");
                r.sign(&c, now).expect("sign")
            })
        }),
        ("several audiences without azp", false, {
            let r = ring.clone();
            Box::new(move |iss, n, _| {
                let mut c = claims(iss, n);
                c["aud"] = json!(["gw", "other"]);
                r.sign(&c, now).expect("sign")
            })
        }),
    ];
    for (name, accepted, craft) in cases {
        let start = c
            .get(format!("{base}/auth/login/sim"))
            .send()
            .await
            .expect("start");
        assert_eq!(start.status(), 303, "{name}");
        let login_cookie = cookie_value(&set_cookie(&start, "gw_login").expect("cookie"));
        let authorize = location(&start);
        let state = query_param(&authorize, "state");
        let nonce = query_param(&authorize, "nonce");
        rogue.lock().expect("lock").token = craft(&issuer, &nonce, &previous_nonce);
        let cb = c
            .get(format!(
                "{base}/auth/callback?code=abc&state={}&iss={}",
                urlencode(&state),
                urlencode(&issuer)
            ))
            .header("cookie", format!("gw_login={login_cookie}"))
            .send()
            .await
            .expect("callback");
        let session = set_cookie(&cb, "gw_session");
        if accepted {
            assert_eq!(cb.status(), 303, "{name}");
            assert!(session.is_some(), "{name}");
        } else {
            assert_eq!(cb.status(), 400, "{name}");
            assert!(session.is_none(), "{name}: a session was opened");
        }
        previous_nonce = nonce;
    }
    running.shutdown().await.expect("stop");
}
