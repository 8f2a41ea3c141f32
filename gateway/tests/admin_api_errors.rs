//! Every error of the administration API is its JSON error body with the right status,
//! also those the HTTP stack writes itself: a body over the limit (413), a query or path
//! that does not parse, a body that is not text, a method not allowed.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Send `head` (no body) and read the answer until the gateway closes.
async fn raw(addr: SocketAddr, head: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    s.write_all(head.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

/// `bytes` as a stream of 64 KiB chunks (sent without a declared length).
fn futures_chunks(
    bytes: Vec<u8>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        bytes.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    futures_util::stream::iter(chunks)
}

async fn assert_json_error(r: reqwest::Response, status: u16, what: &str) -> Value {
    assert_eq!(r.status().as_u16(), status, "{what}");
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(ct.starts_with("application/json"), "{what}: {ct}");
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert!(body["error"].is_string(), "{what}: {body}");
    assert!(body["message"].is_string(), "{what}: {body}");
    body
}

#[tokio::test]
async fn admin_api_errors_are_json_with_the_right_status() {
    let env = Env::start(operators()).await;
    let david = Person::login(&env, "citizen-4").await;
    let (c, cookie, csrf) = (&david.c, &david.cookie, &david.csrf);
    let post = |path: &str| {
        c.post(format!("{}{path}", env.url))
            .header("cookie", cookie)
            .header("x-csrf-token", csrf)
    };

    // 5 MB of JSON, and 5 MB of register extract: refused from the declared length,
    // before the body is sent (as curl does, waiting on `Expect: 100-continue`).
    for (path, content_type) in [
        (
            "/admin/api/structures/x/attachment-requests",
            "application/json",
        ),
        ("/admin/api/representatives/import", "text/csv"),
    ] {
        let answer = raw(
            env.listen,
            &format!(
                "POST {path} HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\n\
                 X-CSRF-Token: {csrf}\r\nContent-Type: {content_type}\r\n\
                 Content-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
                env.listen,
                5 * 1024 * 1024
            ),
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
        assert!(answer.contains("application/json"), "{path}: {answer}");
        assert!(
            answer.contains("\"error\":\"payload_too_large\""),
            "{path}: {answer}"
        );
    }
    // A chunked body (no declared length) over the limit: 413 too.
    let big = format!("{{\"comment\":\"{}\"}}", "a".repeat(3 * 1024 * 1024));
    let stream = futures_chunks(big.into_bytes());
    let r = post("/admin/api/structures/x/attachment-requests")
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await;
    if let Ok(r) = r {
        // The gateway may close the connection before the client sent it all; when the
        // answer made it back, it is the JSON 413.
        assert_json_error(r, 413, "3 MB chunked JSON").await;
    }
    // A body that is not text.
    let r = post("/admin/api/representatives/import")
        .header("content-type", "text/csv")
        .body(vec![0xff, 0xfe, 0x00, 0x80])
        .send()
        .await
        .expect("bytes");
    assert_json_error(r, 400, "non-UTF-8 body").await;
    // A query that does not parse.
    let r = c
        .get(format!("{}/admin/api/audit?from=yesterday", env.url))
        .header("cookie", cookie)
        .send()
        .await
        .expect("query");
    assert_json_error(r, 400, "bad query").await;
    // A method not allowed.
    let r = c
        .delete(format!("{}/admin/api/me", env.url))
        .header("cookie", cookie)
        .header("x-csrf-token", csrf)
        .send()
        .await
        .expect("delete");
    assert_json_error(r, 405, "DELETE /me").await;
    // Not JSON where JSON is due.
    let r = post("/admin/api/structures/x/attachment-requests")
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .expect("text");
    assert_json_error(r, 415, "text body").await;
}
