//! Self-tests of the harness: each real peer is started and exercised for real, with
//! independent clients (the `openidconnect` crate as relying party, `lettre` as mail
//! sender, `sqlx`, a local axum page in Chromium, `totp-rs` against `pyotp`).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::{Form, State};
use axum::response::Html;
use axum::routing::{get, post};
use e2e::http::{self, urlencode};
use e2e::{
    OidcAccount, OidcClient, OidcProvider, OidcProviderConfig, Postgres, SmtpServer,
    VirtualAuthenticator, WebDriver, totp_at, totp_now, totp_now_from_uri,
};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{
    AdditionalClaims, AuthenticationContextClass, AuthorizationCode, ClientId, ClientSecret,
    CsrfToken, IdToken, IssuerUrl, Nonce, PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{Connection, Executor, PgConnection, Row};
use url::Url;

/// Generous bound for anything awaited (never a timing assertion).
const WAIT: Duration = Duration::from_secs(30);

/// Serves `router` on 127.0.0.1:0 in the background; returns its address.
async fn serve(router: Router) -> Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(addr)
}

/// The claims of the provider's ID token beyond the standard ones.
#[derive(Debug, Clone, Deserialize, Serialize)]
struct EidClaims {
    rrn: String,
    sid: Option<String>,
}
impl AdditionalClaims for EidClaims {}

type EidIdToken =
    IdToken<EidClaims, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

#[derive(Deserialize)]
struct LogoutForm {
    logout_token: String,
}

/// The payload of a JWT, not verified (the tests compare its fields only).
fn jwt_payload(token: &str) -> Result<Value> {
    use base64::Engine;
    let payload = token.split('.').nth(1).context("not a JWT")?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload)?;
    Ok(serde_json::from_slice(&bytes)?)
}

fn query_param(url: &str, name: &str) -> Option<String> {
    Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn oidc_provider_login_pkce_rrn_acr_backchannel_and_restart() -> Result<()> {
    // A relying party that receives back-channel logout tokens.
    let logout_tokens: Arc<Mutex<Vec<String>>> = Arc::default();
    let rp = serve(
        Router::new()
            .route(
                "/backchannel",
                post(
                    |State(tokens): State<Arc<Mutex<Vec<String>>>>,
                     Form(form): Form<LogoutForm>| async move {
                        tokens.lock().expect("lock").push(form.logout_token);
                        ""
                    },
                ),
            )
            .with_state(logout_tokens.clone()),
    )
    .await?;
    let redirect_uri = format!("http://{rp}/callback");
    let mut provider = OidcProvider::start(OidcProviderConfig {
        clients: vec![OidcClient {
            client_id: "gateway".to_owned(),
            client_secret: "a-long-enough-test-secret".to_owned(),
            redirect_uris: vec![redirect_uri.clone()],
            post_logout_redirect_uris: vec![format!("http://{rp}/bye")],
            backchannel_logout_uri: Some(format!("http://{rp}/backchannel")),
            ..Default::default()
        }],
        accounts: vec![OidcAccount {
            account_id: "alice".to_owned(),
            name: "Alice Martin".to_owned(),
            email: "alice@example.test".to_owned(),
            rrn: Some("85073003328".to_owned()),
            acr: Some("eidas3".to_owned()),
            amr: vec!["eid".to_owned()],
        }],
        acr_values: vec!["eidas2".to_owned(), "eidas3".to_owned()],
        ..Default::default()
    })
    .await?;
    assert!(provider.issuer.starts_with("http://127.0.0.1:"));

    // The relying party: the openidconnect crate, discovery included.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let metadata =
        CoreProviderMetadata::discover_async(IssuerUrl::new(provider.issuer.clone())?, &http)
            .await?;
    let rp_client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new("gateway".to_owned()),
        Some(ClientSecret::new("a-long-enough-test-secret".to_owned())),
    )
    .set_redirect_uri(RedirectUrl::new(redirect_uri.clone())?);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (authorize_url, state, nonce) = rp_client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".to_owned()))
        .add_scope(Scope::new("email".to_owned()))
        .add_auth_context_value(AuthenticationContextClass::new("eidas3".to_owned()))
        .set_pkce_challenge(challenge)
        .url();

    let browser = http::browser();
    let callback = provider
        .login(&browser, authorize_url.as_str(), "alice", &redirect_uri)
        .await?;
    assert_eq!(
        query_param(&callback, "state").as_deref(),
        Some(state.secret().as_str())
    );
    assert_eq!(
        query_param(&callback, "iss").as_deref(),
        Some(provider.issuer.as_str())
    );
    let code = query_param(&callback, "code").context("no code in callback")?;

    let tokens = rp_client
        .exchange_code(AuthorizationCode::new(code.clone()))?
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await?;
    let raw_id_token = tokens.id_token().context("no ID token")?.to_string();
    let id_token: EidIdToken = raw_id_token.parse()?;
    let claims = id_token.claims(&rp_client.id_token_verifier(), &nonce)?;
    assert_eq!(claims.subject().as_str(), "alice");
    assert_eq!(claims.additional_claims().rrn, "85073003328");
    assert_eq!(
        claims.auth_context_ref().map(|a| a.as_str()),
        Some("eidas3")
    );
    assert_eq!(
        claims
            .auth_method_refs()
            .map(|a| a.iter().map(|m| m.as_str().to_owned()).collect::<Vec<_>>()),
        Some(vec!["eid".to_owned()])
    );
    assert!(claims.auth_time().is_some());
    let sid = claims
        .additional_claims()
        .sid
        .clone()
        .context("no sid although back-channel logout is registered")?;

    // A code is single use.
    let (_, other_verifier) = PkceCodeChallenge::new_random_sha256();
    let reused = rp_client
        .exchange_code(AuthorizationCode::new(code))?
        .set_pkce_verifier(other_verifier)
        .request_async(&http)
        .await;
    assert!(reused.is_err(), "a used code was accepted again");

    // PKCE is required: an authorization request without it comes back as an error.
    let mut no_pkce = Url::parse(authorize_url.as_str())?;
    let pairs: Vec<(String, String)> = no_pkce
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("code_challenge"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    no_pkce.query_pairs_mut().clear().extend_pairs(pairs);
    let refused = provider
        .login(&http::browser(), no_pkce.as_str(), "alice", &redirect_uri)
        .await?;
    assert_eq!(
        query_param(&refused, "error").as_deref(),
        Some("invalid_request")
    );

    // Back-channel logout triggered at the provider reaches the relying party.
    assert_eq!(provider.sessions().await?.len(), 1);
    let sent = provider.backchannel_logout("alice", None).await?;
    assert_eq!(sent.len(), 1);
    assert!(sent[0].ok, "backchannel logout failed: {:?}", sent[0].error);
    let token = logout_tokens.lock().expect("lock").last().cloned();
    let logout = jwt_payload(&token.context("no logout token received")?)?;
    assert_eq!(logout["sid"], json!(sid));
    assert_eq!(logout["iss"], json!(provider.issuer));
    assert_eq!(logout["aud"], json!("gateway"));
    assert!(logout["events"]["http://schemas.openid.net/event/backchannel-logout"].is_object());
    assert!(provider.sessions().await?.is_empty());

    // A client added while running; a login at another acr; RP-initiated logout.
    let second_redirect = format!("http://{rp}/second/callback");
    provider
        .add_client(OidcClient {
            client_id: "second".to_owned(),
            client_secret: "another-long-test-secret".to_owned(),
            redirect_uris: vec![second_redirect.clone()],
            post_logout_redirect_uris: vec![format!("http://{rp}/second/bye")],
            backchannel_logout_uri: Some(format!("http://{rp}/backchannel")),
            id_token_signed_response_alg: Some("ES256".to_owned()),
            ..Default::default()
        })
        .await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let authorize = format!(
        "{}/auth?client_id=second&response_type=code&scope=openid&redirect_uri={}&state=s2&nonce=n2\
         &code_challenge={}&code_challenge_method=S256",
        provider.issuer,
        urlencode(&second_redirect),
        challenge.as_str()
    );
    let browser = http::browser();
    let callback = provider
        .login_with_acr(
            &browser,
            &authorize,
            "alice",
            Some("eidas2"),
            &second_redirect,
        )
        .await?;
    let code = query_param(&callback, "code").context("no code")?;
    let token_response: Value = http
        .post(format!("{}/token", provider.issuer))
        .basic_auth("second", Some("another-long-test-secret"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &second_redirect),
            ("code_verifier", verifier.secret()),
        ])
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let id_token = token_response["id_token"].as_str().context("no id_token")?;
    let header = jwt_payload(&format!(
        "x.{}",
        id_token.split('.').next().context("no header")?
    ))?;
    assert_eq!(header["alg"], json!("ES256"));
    assert_eq!(jwt_payload(id_token)?["acr"], json!("eidas2"));

    let before = logout_tokens.lock().expect("lock").len();
    let end_session = format!(
        "{}/session/end?id_token_hint={id_token}&post_logout_redirect_uri={}&state=bye1",
        provider.issuer,
        urlencode(&format!("http://{rp}/second/bye"))
    );
    let back = provider
        .confirm_logout(&browser, &end_session, &format!("http://{rp}/second/bye"))
        .await?;
    assert_eq!(query_param(&back, "state").as_deref(), Some("bye1"));
    assert_eq!(logout_tokens.lock().expect("lock").len(), before + 1);
    assert!(provider.backchannel_log().await?.iter().all(|c| c.ok));

    // Down and back on the same port, with the same keys; then a key rotation.
    let jwks_url = format!("{}/jwks", provider.issuer);
    let kids = |v: Value| -> Vec<String> {
        v["keys"]
            .as_array()
            .map(|keys| {
                keys.iter()
                    .filter_map(|k| k["kid"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let before_kids = kids(http.get(&jwks_url).send().await?.json().await?);
    let port = provider.port;
    provider.stop();
    assert!(http.get(provider.discovery_url()).send().await.is_err());
    provider.restart().await?;
    assert_eq!(provider.port, port);
    assert_eq!(
        kids(http.get(&jwks_url).send().await?.json().await?),
        before_kids
    );
    provider.rotate_keys().await?;
    let rotated = kids(http.get(&jwks_url).send().await?.json().await?);
    assert_eq!(rotated.len(), before_kids.len() * 2);
    assert_eq!(&rotated[before_kids.len()..], &before_kids[..]);
    Ok(())
}

#[tokio::test]
async fn smtp_server_receives_mail_sent_with_lettre() -> Result<()> {
    use lettre::message::{MultiPart, SinglePart, header::ContentType};
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

    let dir = tempfile::tempdir()?;
    let mut smtp = SmtpServer::start(dir.path()).await?;
    let transport = |port: u16| {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
            .port(port)
            .timeout(Some(WAIT))
            .build()
    };
    let mail = |code: &str| -> Result<Message> {
        Ok(Message::builder()
            .from("Passerelle <noreply@gateway.test>".parse()?)
            .to("Ann Peeters <ann@example.test>".parse()?)
            .subject("Votre code de vérification")
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(
                        format!(
                            "Bonjour Ann, votre code à usage unique est {code}.\n\
                                 Ou ouvrez http://localhost:8080/auth/verify?c={code}&lang=fr\n"
                        ),
                    ))
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(format!("<p>Code&nbsp;: <b>{code}</b></p>")),
                    ),
            )?)
    };
    transport(smtp.port).send(mail("482913")?).await?;
    let received = smtp.wait_for_message("ann@example.test", WAIT).await?;
    assert_eq!(received.subject, "Votre code de vérification");
    assert_eq!(received.from, "noreply@gateway.test");
    assert_eq!(received.mail_from, "noreply@gateway.test");
    assert_eq!(received.find_code(6, 8).as_deref(), Some("482913"));
    assert_eq!(
        received
            .find_link("http://localhost:8080/auth/verify")
            .as_deref(),
        Some("http://localhost:8080/auth/verify?c=482913&lang=fr")
    );
    assert!(
        received
            .html
            .as_deref()
            .is_some_and(|h| h.contains("<b>482913</b>"))
    );

    // Temporary refusal, then down, then back on the same port.
    smtp.set_rejecting(true)?;
    let refused = transport(smtp.port).send(mail("111111")?).await;
    assert!(refused.is_err_and(|e| e.is_transient()));
    smtp.set_rejecting(false)?;
    let port = smtp.port;
    smtp.stop();
    assert!(transport(port).send(mail("222222")?).await.is_err());
    smtp.restart().await?;
    assert_eq!(smtp.port, port);
    transport(smtp.port).send(mail("333333")?).await?;
    let next = smtp.wait_for_message("ANN@example.test", WAIT).await?;
    assert_eq!(next.find_code(6, 6).as_deref(), Some("333333"));
    assert_eq!(smtp.messages()?.len(), 2);
    Ok(())
}

async fn database_exists(server_url: &str, name: &str) -> Result<bool> {
    let mut conn = PgConnection::connect(server_url).await?;
    let row = sqlx::query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_one(&mut conn)
        .await?;
    Ok(row.try_get::<i64, _>("n")? == 1)
}

#[tokio::test]
async fn postgres_fresh_database_is_created_and_dropped() -> Result<()> {
    let server = Postgres::ensure().await?;
    let db = server.fresh_database().await?;
    let mut conn = PgConnection::connect(&db.url).await?;
    conn.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT NOT NULL)")
        .await?;
    sqlx::query("INSERT INTO t (id, v) VALUES ($1, $2)")
        .bind(1_i64)
        .bind("one")
        .execute(&mut conn)
        .await?;
    let name = db.name.clone();
    assert!(database_exists(&server.url, &name).await?);
    // The guard drops the database even with a connection still open.
    drop(db);
    assert!(!database_exists(&server.url, &name).await?);
    drop(conn);
    Ok(())
}

#[tokio::test]
async fn postgres_throwaway_cluster_stops_and_starts() -> Result<()> {
    let server = Postgres::start_private().await?;
    assert!(server.is_throwaway());
    let db = server.fresh_database().await?;
    PgConnection::connect(&db.url).await?.close().await?;
    server.stop().await?;
    assert!(PgConnection::connect(&db.url).await.is_err());
    server.start().await?;
    PgConnection::connect(&db.url).await?.close().await?;
    Ok(())
}

const PAGE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>harness page</title></head>
<body><form id="f" method="post" action="/echo"><label>Name <input id="name" name="name"></label>
<button id="go" type="submit">Go</button></form></body></html>"#;

#[derive(Deserialize)]
struct NameForm {
    name: String,
}

#[tokio::test]
async fn chromium_opens_a_local_page_with_a_virtual_authenticator() -> Result<()> {
    let site = serve(
        Router::new()
            .route("/", get(|| async { Html(PAGE) }))
            .route(
                "/echo",
                post(|Form(form): Form<NameForm>| async move {
                    Html(format!(
                        "<p id=\"out\">Hello {}</p>",
                        form.name.replace('<', "&lt;")
                    ))
                }),
            ),
    )
    .await?;
    let origin = format!("http://localhost:{}", site.port());
    let browser = WebDriver::start().await?;
    browser.goto(&format!("{origin}/")).await?;
    assert_eq!(browser.title().await?, "harness page");
    browser.fill("#name", "Ann").await?;
    browser.click_css("#go").await?;
    let out = browser.wait_for("#out", WAIT).await?;
    assert_eq!(browser.text(&out).await?, "Hello Ann");
    assert_eq!(browser.current_url().await?, format!("{origin}/echo"));
    assert!(browser.page_source().await?.contains("Hello Ann"));

    // WebAuthn: a registration with the virtual authenticator, on localhost.
    browser.goto(&format!("{origin}/")).await?;
    let authenticator = browser
        .add_virtual_authenticator(&VirtualAuthenticator::default())
        .await?;
    let created = browser
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            navigator.credentials.create({ publicKey: {
              challenge: new Uint8Array(32),
              rp: { name: "harness", id: "localhost" },
              user: { id: new Uint8Array([1, 2, 3]), name: "ann", displayName: "Ann" },
              pubKeyCredParams: [{ type: "public-key", alg: -7 }],
              authenticatorSelection: { residentKey: "required", userVerification: "required" },
            }}).then(c => done(c.type + ":" + c.id), e => done("error:" + e.name + ":" + e.message));"#,
            vec![],
        )
        .await?;
    let created = created.as_str().unwrap_or_default().to_owned();
    assert!(
        created.starts_with("public-key:"),
        "credential creation failed: {created}"
    );
    let credentials = browser.credentials(&authenticator).await?;
    assert_eq!(credentials.len(), 1);
    assert_eq!(credentials[0]["rpId"], json!("localhost"));
    assert_eq!(credentials[0]["isResidentCredential"], json!(true));

    let shot = browser.dir().join("page.png");
    browser.screenshot(&shot).await?;
    assert!(std::fs::read(&shot)?.starts_with(b"\x89PNG"));
    browser.quit().await?;
    Ok(())
}

#[test]
fn pyotp_matches_rfc6238_vectors_and_totp_rs() -> Result<()> {
    use totp_rs::{Algorithm, TOTP};

    // RFC 6238 appendix B, SHA-1: secret "12345678901234567890", 8 digits.
    let secret = b"12345678901234567890".to_vec();
    let secret_b32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let rfc = TOTP::new(Algorithm::SHA1, 8, 1, 30, secret, None, String::new())?;
    for (time, expected) in [
        (59, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ] {
        assert_eq!(totp_at(secret_b32, time, 8)?, expected, "pyotp at {time}");
        assert_eq!(rfc.generate(time), expected, "totp-rs at {time}");
    }

    // What an app reads from the QR code: pyotp from the otpauth URI, totp-rs alike.
    let app = TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        b"0123456789abcdefghij".to_vec(),
        Some("Gateway".to_owned()),
        "ann@example.test".to_owned(),
    )?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    // pyotp runs a moment later: accept the step it may have crossed into.
    let window = [app.generate(now), app.generate(now + 30)];
    assert!(window.contains(&totp_now(&app.get_secret_base32())?));
    assert!(window.contains(&totp_now_from_uri(&app.get_url())?));
    Ok(())
}

/// Processes whose command line mentions `needle` (from /proc).
fn processes_mentioning(needle: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(needle))
        .collect()
}

#[tokio::test]
async fn dropped_peers_leave_no_process_behind() -> Result<()> {
    let browser = WebDriver::start().await?;
    browser.goto("about:blank").await?;
    let profile = browser.dir().to_string_lossy().into_owned();
    assert!(!processes_mentioning(&profile).is_empty());
    drop(browser);
    let dir = tempfile::tempdir()?;
    let smtp = SmtpServer::start(dir.path()).await?;
    let smtp_dir = dir.path().to_string_lossy().into_owned();
    drop(smtp);
    // SIGKILLed processes vanish once reaped: allow a bounded moment for that.
    for _ in 0..100 {
        if processes_mentioning(&profile).is_empty() && processes_mentioning(&smtp_dir).is_empty() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!(
        "left behind: {:?} {:?}",
        processes_mentioning(&profile),
        processes_mentioning(&smtp_dir)
    )
}
