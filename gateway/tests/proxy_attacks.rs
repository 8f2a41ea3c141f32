//! Attacks through the proxy that need a hostile peer: a backend planting the gateway's
//! cookies with bytes a text reading cannot parse, a client's `Host` injected into
//! `Forwarded`, identity and routing-override headers spelled with underscores, and
//! service scopes the client made up.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use policy::Scope;
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// An upstream that answers every request with `head` (status line and headers, raw
/// bytes) and a two-byte body.
async fn hostile_upstream(head: Vec<u8>) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = l.local_addr().expect("addr");
    let task = tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            let head = head.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match s.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let mut out = head;
                out.extend_from_slice(b"Content-Length: 2\r\nConnection: close\r\n\r\nok");
                let _ = s.write_all(&out).await;
                let _ = s.shutdown().await;
            });
        }
    });
    (addr, task)
}

/// Send `request` as raw bytes and read the whole answer (the request asks to close).
async fn raw(addr: SocketAddr, request: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(request).await.expect("write");
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

fn status_of(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {answer:?}"))
}

/// The cookie name of a raw `Set-Cookie` value, read as a browser reads it.
fn cookie_name(raw: &[u8]) -> String {
    let name = raw.split(|b| *b == b'=').next().unwrap_or_default();
    String::from_utf8_lossy(name)
        .trim_matches(|c: char| c == ' ' || c == '\t')
        .to_owned()
}

#[tokio::test]
async fn a_backend_cannot_plant_the_gateways_cookies_whatever_the_bytes() {
    let mut head = b"HTTP/1.1 200 OK\r\n".to_vec();
    let lines: [&[u8]; 8] = [
        b"gw_session=evil1; Path=/; HttpOnly; SameSite=Lax; X=\xe9",
        "gw_session=evil2; Path=/; X=\u{e9}t\u{e9}".as_bytes(),
        b" __Host-gw_session=evil3; Path=/; Secure; X=\xff",
        b"GW_LOGIN=evil4; X=\xe9",
        b"\tgw_device=evil5; X=\xc3",
        b"gw_factor =evil6; X=\x80",
        b"theirs=ok; Path=/",
        b"theirs2=ok; X=\xe9",
    ];
    for l in lines {
        head.extend_from_slice(b"Set-Cookie: ");
        head.extend_from_slice(l);
        head.extend_from_slice(b"\r\n");
    }
    let (upstream, task) = hostile_upstream(head).await;
    let env = Env::start(Options {
        extra_routes: format!(
            "[[routes]]\nprefix = \"/hostile\"\nupstream = \"http://{upstream}\"\n\
             application = \"hostile\"\naccess = \"public\"\n"
        ),
        ..Options::default()
    })
    .await;
    let r = client()
        .get(format!("{}/hostile/x", env.url))
        .send()
        .await
        .expect("proxied");
    assert_eq!(r.status(), 200);
    let names: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| cookie_name(v.as_bytes()))
        .collect();
    for name in &names {
        let bare = name.trim_start_matches("__Host-").to_ascii_lowercase();
        assert!(
            !["gw_session", "gw_login", "gw_device", "gw_factor"].contains(&bare.as_str()),
            "the backend set the gateway's cookie {name:?}: {names:?}"
        );
    }
    assert!(names.contains(&"theirs".to_owned()), "{names:?}");
    assert!(names.contains(&"theirs2".to_owned()), "{names:?}");
    task.abort();
}

#[tokio::test]
async fn the_host_header_is_one_valid_authority_or_the_request_is_refused() {
    let env = Env::start(Options::default()).await;
    let addr = env.listen;
    let injected = raw(
        addr,
        b"GET /public/x HTTP/1.1\r\nHost: a\", for=6.6.6.6;proto=https;host=\"evil.example\r\n\
          Connection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status_of(&injected), 400, "{injected}");
    assert!(!injected.contains("6.6.6.6"), "{injected}");
    let missing = raw(addr, b"GET /public/x HTTP/1.1\r\nConnection: close\r\n\r\n").await;
    assert_eq!(status_of(&missing), 400, "{missing}");
    let old = raw(addr, b"GET /public/x HTTP/1.0\r\n\r\n").await;
    assert_eq!(status_of(&old), 400, "{old}");
    let two = raw(
        addr,
        format!(
            "GET /public/x HTTP/1.1\r\nHost: {addr}\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    )
    .await;
    assert_eq!(status_of(&two), 400, "{two}");
    for bad in ["user@evil.example", "a b", "evil.example/x", ""] {
        let r = raw(
            addr,
            format!("GET /public/x HTTP/1.1\r\nHost: {bad}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .await;
        assert_eq!(status_of(&r), 400, "Host {bad:?}: {r}");
    }
    // The gateway's own pages are behind the same check.
    let own = raw(addr, b"GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n").await;
    assert_eq!(status_of(&own), 400, "{own}");
    // A valid host reaches the backend, quoted as RFC 7239 says.
    let ok = raw(
        addr,
        format!("GET /public/x HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await;
    assert_eq!(status_of(&ok), 200, "{ok}");
    let body = ok.split("\r\n\r\n").nth(1).expect("body");
    let echo: serde_json::Value = serde_json::from_str(body).expect("echo");
    assert_eq!(
        echo["headers"]["forwarded"],
        format!("for=\"127.0.0.1\";proto=http;host=\"{addr}\"")
    );
    assert_eq!(echo["headers"]["x-forwarded-host"], addr.to_string());
}

#[tokio::test]
async fn identity_and_routing_override_headers_never_reach_a_backend_in_any_spelling() {
    let env = Env::start(Options::default()).await;
    let c = client();
    let hostile = [
        "X_Gateway_Assertion",
        "x-gateway_assertion",
        "Remote_User",
        "X_Remote_User",
        "X_Forwarded_User",
        "X-Original-URL",
        "X_Original_Url",
        "X-Rewrite-URL",
        "X-Forwarded-Prefix",
        "X-Forwarded-Path",
        "X-Forwarded-Uri",
        "X-Forwarded-Port",
        "X-Forwarded-Server",
        "X_Forwarded_For",
        "X_Forwarded_Host",
        "True-Client-IP",
        "X-Client-IP",
        "X-Real_IP",
        "CF-Connecting-IP",
        "X-Cluster-Client-IP",
        "X-HTTP-Method-Override",
        "X_HTTP_Method_Override",
        "X-HTTP-Method",
        "X-Method-Override",
        "X-Original-Method",
        "X-Envoy-Original-Path",
        "X-Auth-Request-User",
        "X_User",
        "X-Remote-Group",
        "X-Forwarded-Groups",
        "X-Auth-Request-Groups",
    ];
    let mut request = c.get(format!("{}/public/x", env.url));
    for name in hostile {
        request = request.header(name, "DELETE");
    }
    let r = request.header("x-kept", "1").send().await.expect("proxied");
    assert_eq!(r.status(), 200);
    let echo: serde_json::Value = r.json().await.expect("echo");
    let got = echo["headers"].as_object().expect("headers");
    let ours = [
        "x-forwarded-for",
        "x-forwarded-proto",
        "x-forwarded-host",
        "forwarded",
    ];
    for name in hostile {
        let normal = name.to_ascii_lowercase().replace('_', "-");
        if ours.contains(&normal.as_str()) {
            assert_ne!(got[&normal], "DELETE", "{name} was forwarded");
            continue;
        }
        let seen: Vec<&String> = got
            .keys()
            .filter(|k| k.replace('_', "-") == normal)
            .collect();
        assert!(seen.is_empty(), "{name} reached the backend as {seen:?}");
    }
    assert_eq!(got["x-kept"], "1");
    assert_eq!(echo["method"], "GET");
}

#[tokio::test]
async fn only_real_services_of_the_structure_can_be_chosen() {
    let env = Env::start(Options::default()).await;
    let read = levels(&env, "vouchers", &["read"]).await;
    let a = structure(&env, ACME).await;
    let liege = service(&env, &a, "LGE", "Liège").await;
    let b = structure(&env, BOLT).await;
    let other = service(&env, &b, "OTH", "Other").await;
    let day = Some(now_ms() + 86_400_000);
    grant(&env, &a, ALICE, &read, Scope::Structure, day).await;
    let c = client();
    let session = login(&env, &c, "citizen-1").await;
    let cookie = format!("gw_session={session}");
    let status = session_status(&env, &c, &cookie).await;
    let csrf = status["csrf"].as_str().expect("csrf").to_owned();
    let switch = |services: String| {
        c.post(format!("{}/auth/structure", env.url))
            .header("cookie", &cookie)
            .header("accept", "application/json")
            .form(&[
                ("csrf", csrf.as_str()),
                ("structure_id", a.0.as_str()),
                ("services", services.as_str()),
            ])
            .send()
    };
    for forged in [
        "NOT-A-SERVICE,<b>x</b>".to_owned(),
        format!("{},NOT-A-SERVICE", liege.0),
        other.0.clone(),
        "LGE".to_owned(),
    ] {
        let r = switch(forged.clone()).await.expect("switch");
        assert_eq!(r.status(), 403, "services {forged:?} accepted");
        let e: serde_json::Value = r.json().await.expect("json error");
        assert!(e["error"].is_string(), "{e}");
    }
    let r = switch(liege.0.clone()).await.expect("switch");
    assert_eq!(r.status(), 200);
    let r: serde_json::Value = r.json().await.expect("json");
    assert_eq!(r["services"], serde_json::json!([liege.0]));
    // The assertion carries only that real service.
    let echo: serde_json::Value = c
        .get(format!("{}/vouchers/x", env.url))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("proxied")
        .json()
        .await
        .expect("echo");
    let token = echo["headers"]["x-gateway-assertion"]
        .as_str()
        .expect("assertion");
    let payload = token.split('.').nth(1).expect("payload");
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload)
            .expect("b64"),
    )
    .expect("claims");
    assert_eq!(claims["services"], serde_json::json!([liege.0]), "{claims}");
}
